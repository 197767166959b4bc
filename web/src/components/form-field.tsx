/**
 * The markup every form here repeats: a labelled field (`<label class="field"><span>label</span>…`), a text
 * input or a select bound to a value, the options of a select from a list of values, a problem line, the
 * submit button that says it is submitting, and the API's refusal under the form.
 */
import { For, Show, type JSX } from 'solid-js';
import { t } from '../i18n';
import { ErrorMessage } from './error-message';

/** One choice of a select: the value sent and the text shown. */
export interface Choice<T extends string> {
  value: T;
  label: string;
}

/** Choices from a list of values and the function that names them. */
export function choicesOf<T extends string>(values: readonly T[], name: (value: T) => string): Choice<T>[] {
  return values.map((value) => ({ value, label: name(value) }));
}

/** A label around a control: the label text first, then the control. */
export function Field(props: { label: JSX.Element; class?: string; children: JSX.Element }) {
  return (
    <label class={props.class ? `field ${props.class}` : 'field'}>
      <span>{props.label}</span>
      {props.children}
    </label>
  );
}

/** A labelled text input (or textarea) bound to a string. */
export function TextField(props: {
  label: JSX.Element;
  testid: string;
  value: string;
  onInput: (value: string) => void;
  type?: string;
  inputmode?: 'decimal' | 'numeric';
  placeholder?: string;
  /** A textarea of this many rows (0: the browser's default) instead of an input. */
  rows?: number;
  class?: string;
}) {
  return (
    <Field label={props.label} class={props.class}>
      <Show
        when={props.rows !== undefined}
        fallback={<input type={props.type} data-testid={props.testid} inputmode={props.inputmode} value={props.value} placeholder={props.placeholder} onInput={(e) => props.onInput(e.currentTarget.value)} />}
      >
        <textarea data-testid={props.testid} rows={props.rows || undefined} value={props.value} placeholder={props.placeholder} onInput={(e) => props.onInput(e.currentTarget.value)} />
      </Show>
    </Field>
  );
}

/** `<option>`s for the choices, the current one selected. */
export function Options<T extends string>(props: { choices: readonly Choice<T>[]; selected: T | '' }) {
  return (
    <For each={props.choices}>
      {(c) => (
        <option value={c.value} selected={props.selected === c.value}>
          {c.label}
        </option>
      )}
    </For>
  );
}

/** A labelled select bound to a value; `blank` adds a first choice with the value `''`. */
export function SelectField<T extends string>(props: { label: JSX.Element; testid: string; value: T | ''; choices: readonly Choice<T>[]; onChange: (value: T) => void; blank?: string }) {
  return (
    <Field label={props.label}>
      <select data-testid={props.testid} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value as T)}>
        <Show when={props.blank !== undefined}>
          <option value="" selected={props.value === ''}>
            {props.blank}
          </option>
        </Show>
        <Options choices={props.choices} selected={props.value} />
      </select>
    </Field>
  );
}

/** What is wrong before anything is sent (shown while there is something to say). */
export function FormProblem(props: { problem: string; testid?: string }) {
  return (
    <Show when={props.problem}>
      <p class="field-error" role="alert" data-testid={props.testid}>
        {props.problem}
      </p>
    </Show>
  );
}

/** The API's refusal of the last attempt, if any. */
export function ActionError(props: { error: unknown }) {
  return <Show when={props.error}>{(error) => <ErrorMessage error={error()} />}</Show>;
}

/** The form's submit button at the start of its row: disabled and saying so while the request is under way. */
export function SubmitButton(props: { label: string; pending: boolean; testid: string; class?: string }) {
  return (
    <div class="form-actions form-actions-start">
      <button type="submit" class={props.class ?? 'btn btn-primary'} data-testid={props.testid} disabled={props.pending}>
        {props.pending ? t('common.submitting') : props.label}
      </button>
    </div>
  );
}

/** The problems found in the fields, one line each (shown while there are some). */
export function ProblemList(props: { problems: readonly string[]; testid: string }) {
  return (
    <Show when={props.problems.length}>
      <ul class="form-problems" data-testid={props.testid}>
        <For each={props.problems}>{(p) => <li>{p}</li>}</For>
      </ul>
    </Show>
  );
}

/** What the last submission did (`ok` by default), shown while there is something to say. */
export function Notice(props: { text: string; testid: string; class?: string }) {
  return (
    <Show when={props.text}>
      <p class={props.class ?? 'ok'} data-testid={props.testid}>
        {props.text}
      </p>
    </Show>
  );
}
