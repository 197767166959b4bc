import { fireEvent, render, screen } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { ActionError, choicesOf, Field, FormProblem, Notice, Options, ProblemList, SelectField, SubmitButton, TextField } from './form-field';

describe('form fields', () => {
  it('a text field is a labelled input bound to its value', () => {
    // Prepare
    const [name, setName] = createSignal('');
    render(() => <TextField label="名称" testid="name" inputmode="decimal" value={name()} onInput={setName} />);
    // Act
    fireEvent.input(screen.getByLabelText('名称'), { target: { value: '五一大道' } });
    // Assess
    expect(name()).toBe('五一大道');
    const input = screen.getByTestId('name');
    expect(input.tagName).toBe('INPUT');
    expect(input.getAttribute('inputmode')).toBe('decimal');
    expect(input.closest('label')?.className).toBe('field');
  });

  it('with rows it is a textarea, and a class widens the field', () => {
    render(() => <TextField label="说明" testid="note" rows={2} class="span" value="x" onInput={() => undefined} />);
    const area = screen.getByTestId('note');
    expect(area.tagName).toBe('TEXTAREA');
    expect(area.getAttribute('rows')).toBe('2');
    expect(area.closest('label')?.className).toBe('field span');
  });

  it('a select field offers a blank first choice and reports the chosen value', () => {
    const [v, setV] = createSignal<'a' | 'b' | ''>('');
    render(() => <SelectField label="部门" testid="dept" value={v()} blank="无" choices={choicesOf(['a', 'b'] as const, (x) => x.toUpperCase())} onChange={setV} />);
    const select = screen.getByLabelText('部门') as HTMLSelectElement;
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([
      ['', '无'],
      ['a', 'A'],
      ['b', 'B'],
    ]);
    fireEvent.change(select, { target: { value: 'b' } });
    expect(v()).toBe('b');
    expect(select.options[2]!.selected).toBe(true);
  });

  it('options mark the current value selected', () => {
    render(() => (
      <Field label="等级">
        <select data-testid="level">
          <Options choices={[{ value: 'x', label: 'X' }, { value: 'y', label: 'Y' }]} selected="y" />
        </select>
      </Field>
    ));
    expect((screen.getByTestId('level') as HTMLSelectElement).value).toBe('y');
  });

  it('problems, notices and the API refusal show only when there is something to say', () => {
    const [problem, setProblem] = createSignal('');
    render(() => (
      <>
        <FormProblem problem={problem()} testid="problem" />
        <ProblemList problems={problem() ? [problem(), '请填写说明'] : []} testid="problems" />
        <Notice text={problem() ? '已提交' : ''} testid="done" />
        <ActionError error={problem() ? new ApiError(0, 'NETWORK_ERROR') : undefined} />
      </>
    ));
    expect(screen.queryByTestId('problem')).toBeNull();
    expect(screen.queryByTestId('problems')).toBeNull();
    expect(screen.queryByTestId('done')).toBeNull();
    expect(screen.queryByTestId('error-message')).toBeNull();
    setProblem('请填写名称');
    expect(screen.getByTestId('problem').getAttribute('role')).toBe('alert');
    expect(screen.getByTestId('problem').textContent).toBe('请填写名称');
    expect(screen.getByTestId('problems').querySelectorAll('li')).toHaveLength(2);
    expect(screen.getByTestId('done').className).toBe('ok');
    expect(screen.getByTestId('error-message').textContent).toContain('网络连接失败');
  });

  it('the submit button says it is submitting and is disabled meanwhile', () => {
    const [pending, setPending] = createSignal(false);
    render(() => <SubmitButton label="登记" pending={pending()} testid="submit" />);
    const button = screen.getByTestId('submit') as HTMLButtonElement;
    expect([button.type, button.className, button.textContent, button.disabled]).toEqual(['submit', 'btn btn-primary', '登记', false]);
    setPending(true);
    expect([button.textContent, button.disabled]).toEqual(['提交中…', true]);
  });
});
