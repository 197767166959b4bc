/**
 * 我的巡检 (MON-5, `/inspector/patrol`, phone first): the inspector's open and today's patrol tasks; opening one lists
 * its targets, and each target not yet recorded takes the checklist (正常/异常 per item), a note and the phone's GPS
 * position; an abnormal result may report a case at once (type code, urgency). A retried submission is harmless:
 * the API returns the result it already has.
 */
import { createResource, createSignal, For, Show } from 'solid-js';
import type { PatrolResult, PatrolTarget, PatrolTask } from '../../../contracts';
import { patrolApi, type RecordResultInput } from '../api/patrol';
import { ActionError, Field, FormProblem, SubmitButton, TextField } from '../components/form-field';
import { Async, EmptyState, Panel, RefreshButton } from '../components/panel';
import { t } from '../i18n';
import { createAction } from '../lib/action';
import { taskState } from '../lib/patrol';
import { formatDateTime } from '../lib/time';

export default function MyPatrolPage() {
  return (
    <section class="home" data-testid="my-patrol-page">
      <header class="home-head">
        <h1>{t('section.myPatrol')}</h1>
      </header>
      <MyPatrolPanel />
    </section>
  );
}

/** The list of my tasks, each opening in place (also on the inspector's home). */
export function MyPatrolPanel() {
  const [tasks, { refetch }] = createResource(() => patrolApi.myTasks());
  const [open, setOpen] = createSignal<string>();
  return (
    <Panel title={t('section.myPatrol')} testid="my-patrol" actions={<RefreshButton onClick={() => void refetch()} busy={tasks.loading} />}>
      <Async resource={tasks} onRetry={() => void refetch()}>
        {(value) => (
          <Show when={value().items.length > 0} fallback={<EmptyState title={t('patrol.my.empty')} testid="my-patrol-empty" />}>
            <ul class="plain-list stack" data-testid="my-patrol-list">
              <For each={value().items}>
                {(task) => (
                  <li class="card" data-testid={`my-task-${task.id}`} data-state={taskState(task)}>
                    <div class="row-between">
                      <div>
                        <strong>{task.planName}</strong>
                        <div class="muted small">
                          {t('patrol.task.due')} {formatDateTime(task.dueAt)} · {t('patrol.task.progressValue', { done: task.recorded.length, total: task.targets.length })} ·{' '}
                          <span data-testid="my-task-state">{t(`patrol.task.state.${taskState(task)}`)}</span>
                        </div>
                      </div>
                      <button type="button" class="btn btn-small" data-testid="my-task-open" aria-expanded={open() === task.id} onClick={() => setOpen(open() === task.id ? undefined : task.id)}>
                        {open() === task.id ? t('patrol.my.close') : t('patrol.my.open')}
                      </button>
                    </div>
                    <Show when={open() === task.id}>
                      <TaskTargets taskId={task.id} onChanged={() => void refetch()} />
                    </Show>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </Async>
    </Panel>
  );
}

function TaskTargets(props: { taskId: string; onChanged: () => void }) {
  const [detail, { refetch }] = createResource(() => patrolApi.task(props.taskId));
  const resultOf = (targetId: string) => detail()?.results.find((r) => r.targetId === targetId);
  return (
    <Async resource={detail} onRetry={() => void refetch()}>
      {(d) => (
        <ol class="plain-list stack" data-testid="task-targets">
          <For each={d().task.targets}>
            {(target) => (
              <li class="target" data-testid={`target-${target.id}`}>
                <strong>{target.name}</strong> <span class="mono small muted">{target.id}</span>
                <Show when={resultOf(target.id)} fallback={<Show when={d().task.status === 'open'}><ResultForm task={d().task} target={target} onSaved={() => { void refetch(); props.onChanged(); }} /></Show>}>
                  {(r) => <RecordedResult result={r()} />}
                </Show>
              </li>
            )}
          </For>
        </ol>
      )}
    </Async>
  );
}

function RecordedResult(props: { result: PatrolResult }) {
  return (
    <p class="small" data-testid="target-result" data-outcome={props.result.outcome}>
      {t('patrol.target.done')} · {t(`patrol.outcome.${props.result.outcome}`)} · {formatDateTime(props.result.recordedAt)}
      <Show when={props.result.farFromTarget}>
        <span class="field-error" data-testid="target-far"> · {t('patrol.result.far', { m: Math.round(props.result.distanceM) })}</span>
      </Show>
      <Show when={props.result.caseNumber}>{(n) => <span data-testid="target-case"> · {t('patrol.result.case', { number: n() })}</span>}</Show>
    </p>
  );
}

type Fix = { lng: number; lat: number; accuracyM: number };

function ResultForm(props: { task: PatrolTask; target: PatrolTarget; onSaved: () => void }) {
  const [answers, setAnswers] = createSignal<Record<string, boolean>>(Object.fromEntries(props.target.checklist.map((c) => [c.id, true])));
  const [note, setNote] = createSignal('');
  const [fix, setFix] = createSignal<Fix>();
  const [locating, setLocating] = createSignal(false);
  const [problem, setProblem] = createSignal('');
  const [report, setReport] = createSignal(true);
  const [kind, setKind] = createSignal<'component' | 'matter'>(props.target.componentId ? 'component' : 'matter');
  const [typeCode, setTypeCode] = createSignal(props.target.componentId?.slice(6, 11) ?? '');
  const [urgent, setUrgent] = createSignal(false);
  const save = createAction((body: RecordResultInput) => patrolApi.recordResult(props.task.id, body));
  const abnormal = () => Object.values(answers()).some((ok) => !ok);

  const locate = () => {
    const geo = typeof navigator === 'undefined' ? undefined : navigator.geolocation;
    if (!geo) return setProblem(t('patrol.result.gpsUnsupported'));
    setLocating(true);
    setProblem('');
    geo.getCurrentPosition(
      (p) => {
        setLocating(false);
        setFix({ lng: Math.round(p.coords.longitude * 1e6) / 1e6, lat: Math.round(p.coords.latitude * 1e6) / 1e6, accuracyM: Math.round(p.coords.accuracy) });
      },
      (e) => {
        setLocating(false);
        setProblem(t('patrol.result.noGps', { reason: e.message || String(e.code) }));
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 30_000 },
    );
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const position = fix();
    if (!position) return setProblem(t('patrol.result.needGps'));
    if (abnormal() && report() && !/^\d{5}$/.test(typeCode())) return setProblem(t('patrol.result.typeCodeInvalid'));
    setProblem('');
    const body: RecordResultInput = {
      targetId: props.target.id,
      outcome: abnormal() ? 'abnormal' : 'normal',
      answers: props.target.checklist.map((c) => ({ itemId: c.id, ok: answers()[c.id] ?? true })),
      note: note().trim(),
      position,
      ...(abnormal() && report() ? { reportCase: { kind: kind(), typeCode: typeCode(), urgency: urgent() ? ('urgent' as const) : ('ordinary' as const) } } : {}),
    };
    if (await save.run(body)) props.onSaved();
  };

  return (
    <form class="stack result-form" data-testid={`result-form-${props.target.id}`} onSubmit={(e) => void submit(e)} noValidate>
      <fieldset class="field choice">
        <legend>{t('patrol.result.checklist')}</legend>
        <For each={props.target.checklist}>
          {(item) => (
            <div class="row-between" data-testid={`item-${item.id}`}>
              <span>{item.text}</span>
              <span>
                <label class="check-line">
                  <input type="radio" name={`${props.target.id}-${item.id}`} data-testid={`item-${item.id}-ok`} checked={answers()[item.id] !== false} onChange={() => setAnswers((a) => ({ ...a, [item.id]: true }))} />
                  {t('patrol.item.ok')}
                </label>
                <label class="check-line">
                  <input type="radio" name={`${props.target.id}-${item.id}`} data-testid={`item-${item.id}-bad`} checked={answers()[item.id] === false} onChange={() => setAnswers((a) => ({ ...a, [item.id]: false }))} />
                  {t('patrol.item.bad')}
                </label>
              </span>
            </div>
          )}
        </For>
      </fieldset>
      <TextField label={t('patrol.result.note')} testid="result-note" rows={2} value={note()} onInput={setNote} />
      <div class="form-actions form-actions-start">
        <button type="button" class="btn" data-testid="result-locate" onClick={locate} disabled={locating()}>
          {locating() ? t('patrol.result.locating') : t('patrol.result.locate')}
        </button>
        <Show when={fix()}>{(f) => <span class="muted small" data-testid="result-fix">{t('patrol.result.located', { m: f().accuracyM })}</span>}</Show>
      </div>
      <Show when={abnormal()}>
        <div class="stack" data-testid="result-abnormal">
          <p class="notice notice-warn">{t('patrol.outcome.abnormal')}</p>
          <label class="check-line">
            <input type="checkbox" data-testid="result-report" checked={report()} onChange={(e) => setReport(e.currentTarget.checked)} />
            {t('patrol.result.report')}
          </label>
          <Show when={report()}>
            <div class="field-row">
              <Field label={t('type.kind')}>
                <select data-testid="result-kind" value={kind()} onChange={(e) => setKind(e.currentTarget.value as 'component' | 'matter')}>
                  <option value="component" selected={kind() === 'component'}>{t('case.kind.component')}</option>
                  <option value="matter" selected={kind() === 'matter'}>{t('case.kind.matter')}</option>
                </select>
              </Field>
              <TextField label={t('patrol.result.typeCode')} testid="result-type" inputmode="numeric" value={typeCode()} onInput={(code) => setTypeCode(code.trim())} />
            </div>
            <label class="check-line">
              <input type="checkbox" data-testid="result-urgent" checked={urgent()} onChange={(e) => setUrgent(e.currentTarget.checked)} />
              {t('case.urgency.urgent')}
            </label>
          </Show>
        </div>
      </Show>
      <FormProblem problem={problem()} testid="result-problem" />
      <ActionError error={save.error()} />
      <SubmitButton label={t('patrol.result.submit')} pending={save.pending()} testid="result-submit" />
    </form>
  );
}
