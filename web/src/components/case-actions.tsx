/**
 * The action panel of a case detail: a button for each action the API allows this viewer (`allowedActions`,
 * nothing else), and the form of the chosen one — 核实, 立案/作废 (with reclassification and the similar
 * cases nearby), 合并, 派遣 (lead and joint departments), 处置 (feedback, extension, return, suspension),
 * 延期/挂账审批, 恢复, 核查. After an action the case is reloaded. A 409 (someone else acted first) shows the
 * API's coded message and reloads too, so the screen shows the case as it now is.
 */
import { createResource, createSignal, createUniqueId, For, Match, Show, Switch, type JSX, type Resource } from 'solid-js';
import { CheckCase, DecideRequest, DispatchCase, FileCase, HandleCase, MergeCase, ResumeCase, VerifyCase, type Case, type CaseSummary, type Urgency } from '../../../contracts';
import { api, ApiError } from '../api/client';
import type { CaseActionName, CaseDetail } from '../api/schemas';
import { localized, t } from '../i18n';
import { typeLabel, urgencyName } from '../lib/case-format';
import { useNow } from '../lib/time';
import { CaseRows } from './case-bits';
import { ErrorMessage } from './error-message';
import { EmptyState, Loading, Panel } from './panel';
import { createPhotoUploads, PhotoUploader } from './photos';
import { TypePicker } from './type-picker';

type Submit = (call: () => Promise<Case>) => Promise<void>;

interface FormProps {
  kase: CaseDetail;
  submit: Submit;
  pending: boolean;
}

export const MAX_DEPARTMENTS = 5;

export function CaseActions(props: { kase: CaseDetail; onChanged: () => unknown }) {
  const [open, setOpen] = createSignal<CaseActionName>();
  const [pending, setPending] = createSignal(false);
  const [error, setError] = createSignal<unknown>();
  const [notice, setNotice] = createSignal<string>();
  const [conflict, setConflict] = createSignal(false);
  const [mergeTarget, setMergeTarget] = createSignal<string>();
  const allowed = () => props.kase.allowedActions;
  const offersSimilar = () => allowed().includes('file') || allowed().includes('merge');
  const [similar] = createResource(
    () => (offersSimilar() ? props.kase.id : undefined),
    async (id) => (await api.cases.similar(id)).items,
  );

  const submit = (name: CaseActionName): Submit => async (call) => {
    setPending(true);
    setError(undefined);
    setNotice(undefined);
    setConflict(false);
    try {
      await call();
      setOpen(undefined);
      setNotice(t('action.done', { action: t(`action.name.${name}`) }));
      await props.onChanged();
    } catch (caught) {
      setError(() => caught);
      if (caught instanceof ApiError && caught.status === 409) {
        setConflict(true);
        setOpen(undefined);
        await props.onChanged();
      }
    } finally {
      setPending(false);
    }
  };

  const choose = (name: CaseActionName) => {
    setOpen(open() === name ? undefined : name);
    setError(undefined);
    setNotice(undefined);
    setConflict(false);
  };

  const formProps = (name: CaseActionName): FormProps => ({ kase: props.kase, submit: submit(name), pending: pending() });

  return (
    <Panel title={t('action.title')} testid="case-actions" class="case-actions">
      <Show when={notice()}>
        <p class="notice" role="status" data-testid="action-notice">
          {notice()}
        </p>
      </Show>
      <Show when={error()}>
        {(e) => (
          <>
            <ErrorMessage error={e()} testid="action-error" />
            <Show when={conflict()}>
              <p class="muted small">{t('action.reloaded')}</p>
            </Show>
          </>
        )}
      </Show>
      <Show when={allowed().length > 0} fallback={<p class="muted" data-testid="no-actions">{t('action.none')}</p>}>
        <div class="action-buttons" role="group" aria-label={t('action.title')}>
          <For each={allowed()}>
            {(name) => (
              <button
                type="button"
                class="btn"
                classList={{ 'btn-primary': open() === name }}
                aria-pressed={open() === name}
                data-testid={`case-action-${name}`}
                onClick={() => choose(name)}
              >
                {t(`action.name.${name}`)}
              </button>
            )}
          </For>
        </div>
        <Switch>
          <Match when={open() === 'verify'}>
            <VerifyForm {...formProps('verify')} />
          </Match>
          <Match when={open() === 'file'}>
            <FileForm {...formProps('file')} />
          </Match>
          <Match when={open() === 'merge'}>
            <MergeForm {...formProps('merge')} similar={similar.state === 'ready' ? similar() : []} target={mergeTarget()} onTarget={setMergeTarget} />
          </Match>
          <Match when={open() === 'dispatch'}>
            <DispatchForm {...formProps('dispatch')} />
          </Match>
          <Match when={open() === 'handle'}>
            <HandleForm {...formProps('handle')} />
          </Match>
          <Match when={open() === 'extension'}>
            <DecideForm {...formProps('extension')} which="extension" />
          </Match>
          <Match when={open() === 'suspension'}>
            <DecideForm {...formProps('suspension')} which="suspension" />
          </Match>
          <Match when={open() === 'resume'}>
            <ResumeForm {...formProps('resume')} />
          </Match>
          <Match when={open() === 'check'}>
            <CheckForm {...formProps('check')} />
          </Match>
        </Switch>
        <Show when={offersSimilar()}>
          <SimilarCases
            similar={similar}
            canMerge={allowed().includes('merge')}
            onMerge={(id) => {
              setMergeTarget(id);
              setOpen('merge');
            }}
          />
        </Show>
      </Show>
    </Panel>
  );
}

// ---------------------------------------------------------------------------------------------------------
// Form parts

function ActionForm(props: { name: CaseActionName; onSubmit: () => void; pending: boolean; problem?: string; children: JSX.Element }) {
  return (
    <form
      class="stack action-form"
      data-testid={`action-form-${props.name}`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
    >
      {props.children}
      <Show when={props.problem}>
        <p class="field-error" role="alert" data-testid="action-problem">
          {props.problem}
        </p>
      </Show>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="action-submit" disabled={props.pending}>
          {props.pending ? t('common.submitting') : t('action.submit')}
        </button>
      </div>
    </form>
  );
}

function Choice<T extends string | boolean>(props: { legend: string; value: T | undefined; options: readonly { value: T; label: string }[]; onChange: (value: T) => void }) {
  const name = createUniqueId();
  return (
    <fieldset class="field choice">
      <legend>{props.legend}</legend>
      <For each={props.options}>
        {(option) => (
          <label>
            <input type="radio" name={name} checked={props.value === option.value} onChange={() => props.onChange(option.value)} />
            {option.label}
          </label>
        )}
      </For>
    </fieldset>
  );
}

function NoteField(props: { value: string; onInput: (value: string) => void; invalid?: boolean }) {
  return (
    <label class="field">
      <span>{t('action.note')}</span>
      <textarea
        rows={3}
        maxLength={1000}
        data-testid="action-note"
        value={props.value}
        placeholder={t('action.notePlaceholder')}
        aria-invalid={props.invalid}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
    </label>
  );
}

/** A form's validation: run `check` on submit; its message stays until the next submit. */
function useProblem() {
  const [problem, setProblem] = createSignal<string>();
  return {
    problem,
    /** The first failing rule's message, or undefined when every rule passes. */
    check: (...rules: [boolean, string][]) => {
      const failing = rules.find(([bad]) => bad);
      setProblem(failing?.[1]);
      return failing === undefined;
    },
  };
}

const noteTooShort = (note: string) => note.trim().length < 2;

// ---------------------------------------------------------------------------------------------------------
// Forms, one per action

function VerifyForm(props: FormProps) {
  const [confirmed, setConfirmed] = createSignal(true);
  const [note, setNote] = createSignal('');
  const photos = createPhotoUploads('check');
  const v = useProblem();
  const send = () => {
    if (!v.check([!confirmed() && noteTooShort(note()), t('action.noteRequired')], [photos.unsettled(), t('photo.wait')])) return;
    const body = VerifyCase.parse({ confirmed: confirmed(), note: note(), photoIds: photos.ids() });
    void props.submit(() => api.cases.verify(props.kase.id, body));
  };
  return (
    <ActionForm name="verify" onSubmit={send} pending={props.pending} problem={v.problem()}>
      <Choice
        legend={t('action.verify.question')}
        value={confirmed()}
        options={[
          { value: true, label: t('action.verify.confirmed') },
          { value: false, label: t('action.verify.rejected') },
        ]}
        onChange={setConfirmed}
      />
      <PhotoUploader uploads={photos} label={t('action.photos')} />
      <NoteField value={note()} onInput={setNote} />
    </ActionForm>
  );
}

function FileForm(props: FormProps) {
  const [decision, setDecision] = createSignal<'file' | 'cancel'>('file');
  const [reclassify, setReclassify] = createSignal(false);
  const [typeCode, setTypeCode] = createSignal<string | undefined>(props.kase.typeCode);
  const [urgency, setUrgency] = createSignal<Urgency | ''>('');
  const [note, setNote] = createSignal('');
  const v = useProblem();
  const send = () => {
    const filing = decision() === 'file';
    if (!v.check([!filing && noteTooShort(note()), t('action.noteRequired')], [filing && reclassify() && !typeCode(), t('type.required')])) return;
    const changedType = filing && reclassify() && typeCode() !== props.kase.typeCode ? typeCode() : undefined;
    const changedUrgency = filing && urgency() !== '' && urgency() !== props.kase.urgency ? (urgency() as Urgency) : undefined;
    const body = FileCase.parse({ decision: decision(), note: note(), typeCode: changedType, urgency: changedUrgency });
    void props.submit(() => api.cases.file(props.kase.id, body));
  };
  return (
    <ActionForm name="file" onSubmit={send} pending={props.pending} problem={v.problem()}>
      <Choice
        legend={t('action.file.decision')}
        value={decision()}
        options={[
          { value: 'file', label: t('action.file.file') },
          { value: 'cancel', label: t('action.file.cancel') },
        ]}
        onChange={setDecision}
      />
      <Show when={decision() === 'file'}>
        <label class="check-line">
          <input type="checkbox" data-testid="file-reclassify" checked={reclassify()} onChange={(e) => setReclassify(e.currentTarget.checked)} />
          {t('action.file.reclassify')} <span class="muted">({typeLabel(props.kase.kind, props.kase.typeCode)})</span>
        </label>
        <Show when={reclassify()}>
          <TypePicker value={{ kind: props.kase.kind, code: typeCode() }} onChange={(value) => setTypeCode(value.code)} fixedKind />
        </Show>
        <label class="field">
          <span>{t('action.file.urgency')}</span>
          <select data-testid="file-urgency" value={urgency()} onChange={(e) => setUrgency(e.currentTarget.value as Urgency | '')}>
            <option value="">
              {t('action.file.keep')} ({urgencyName(props.kase.urgency)})
            </option>
            <option value="urgent">{urgencyName('urgent')}</option>
            <option value="ordinary">{urgencyName('ordinary')}</option>
          </select>
        </label>
      </Show>
      <NoteField value={note()} onInput={setNote} />
    </ActionForm>
  );
}

function SimilarCases(props: { similar: Resource<CaseSummary[]>; canMerge: boolean; onMerge: (id: string) => void }) {
  const now = useNow();
  const list = () => (props.similar.state === 'ready' ? (props.similar() ?? []) : []);
  return (
    <section class="similar" data-testid="similar-cases">
      <h3>{t('action.similar.title')}</h3>
      <Switch fallback={<Loading />}>
        <Match when={props.similar.state === 'errored'}>
          <ErrorMessage error={props.similar.error} />
        </Match>
        <Match when={props.similar.state === 'ready'}>
          <Show when={list().length > 0} fallback={<EmptyState title={t('action.similar.empty')} />}>
            <CaseRows
              cases={list()}
              now={now()}
              testid="similar-rows"
              extra={
                props.canMerge
                  ? (c) => (
                      <button type="button" class="btn btn-small" data-testid={`merge-into-${c.id}`} onClick={() => props.onMerge(c.id)}>
                        {t('action.merge.button')}
                      </button>
                    )
                  : undefined
              }
            />
          </Show>
        </Match>
      </Switch>
    </section>
  );
}

function MergeForm(props: FormProps & { similar: readonly CaseSummary[]; target: string | undefined; onTarget: (id: string) => void }) {
  const [note, setNote] = createSignal('');
  const v = useProblem();
  const send = () => {
    if (!v.check([!props.target, t('action.merge.choose')])) return;
    const body = MergeCase.parse({ into: props.target, note: note() });
    void props.submit(() => api.cases.merge(props.kase.id, body));
  };
  return (
    <ActionForm name="merge" onSubmit={send} pending={props.pending} problem={v.problem()}>
      <Show when={props.similar.length > 0} fallback={<EmptyState title={t('action.similar.empty')} />}>
        <Choice
          legend={t('action.merge.into')}
          value={props.target}
          options={props.similar.map((c) => ({ value: c.id, label: `${c.number} · ${c.address ?? c.gridId}` }))}
          onChange={props.onTarget}
        />
      </Show>
      <NoteField value={note()} onInput={setNote} />
    </ActionForm>
  );
}

function DispatchForm(props: FormProps) {
  const [tenant] = createResource(() => api.tenant());
  const [chosen, setChosen] = createSignal<string[]>([]);
  const [note, setNote] = createSignal('');
  const v = useProblem();
  const toggle = (code: string, on: boolean) => setChosen((list) => (on ? [...list.filter((c) => c !== code), code] : list.filter((c) => c !== code)));
  const makeLead = (code: string) => setChosen((list) => [code, ...list.filter((c) => c !== code)]);
  const send = () => {
    if (!v.check([chosen().length === 0, t('action.dispatch.none')], [chosen().length > MAX_DEPARTMENTS, t('action.dispatch.max', { n: MAX_DEPARTMENTS })])) return;
    const body = DispatchCase.parse({ departments: chosen(), note: note() });
    void props.submit(() => api.cases.dispatch(props.kase.id, body));
  };
  return (
    <ActionForm name="dispatch" onSubmit={send} pending={props.pending} problem={v.problem()}>
      <fieldset class="field">
        <legend>{t('action.dispatch.departments')}</legend>
        <p class="muted small">{t('action.dispatch.hint')}</p>
        <Switch fallback={<Loading />}>
          <Match when={tenant.state === 'errored'}>
            <ErrorMessage error={tenant.error} />
          </Match>
          <Match when={tenant.state === 'ready'}>
            <Show when={tenant()!.departments.length > 0} fallback={<EmptyState title={t('action.dispatch.noDepartments')} />}>
              <ul class="department-choices">
                <For each={tenant()!.departments}>
                  {(d) => {
                    const position = () => chosen().indexOf(d.code);
                    return (
                      <li data-testid="department-choice" data-code={d.code}>
                        <label class="check-line">
                          <input type="checkbox" value={d.code} checked={position() >= 0} onChange={(e) => toggle(d.code, e.currentTarget.checked)} />
                          {localized(d.name)} <span class="muted mono small">{d.code}</span>
                        </label>
                        <Show when={position() === 0}>
                          <span class="badge">{t('case.lead')}</span>
                        </Show>
                        <Show when={position() > 0}>
                          <span class="badge badge-muted">{t('case.joint')}</span>
                          <button type="button" class="btn btn-ghost btn-small" onClick={() => makeLead(d.code)}>
                            {t('action.dispatch.makeLead')}
                          </button>
                        </Show>
                      </li>
                    );
                  }}
                </For>
              </ul>
            </Show>
          </Match>
        </Switch>
      </fieldset>
      <NoteField value={note()} onInput={setNote} />
    </ActionForm>
  );
}

function HandleForm(props: FormProps) {
  const [action, setAction] = createSignal<'feedback' | 'extend' | 'return' | 'suspend'>('feedback');
  const [hours, setHours] = createSignal('');
  const [note, setNote] = createSignal('');
  const photos = createPhotoUploads('feedback');
  const v = useProblem();
  const send = () => {
    const h = Number(hours());
    const feedback = action() === 'feedback';
    if (
      !v.check(
        [noteTooShort(note()), t('action.noteRequired')],
        [action() === 'extend' && !(Number.isFinite(h) && h >= 1 && h <= 24 * 90), t('action.handle.hoursInvalid')],
        [feedback && photos.unsettled(), t('photo.wait')],
      )
    )
      return;
    const body = HandleCase.parse({
      action: action(),
      note: note(),
      photoIds: feedback ? photos.ids() : [],
      extendHours: action() === 'extend' ? h : undefined,
    });
    void props.submit(() => api.cases.handle(props.kase.id, body));
  };
  return (
    <ActionForm name="handle" onSubmit={send} pending={props.pending} problem={v.problem()}>
      <Choice
        legend={t('action.handle.kind')}
        value={action()}
        options={[
          { value: 'feedback', label: t('action.handle.feedback') },
          { value: 'extend', label: t('action.handle.extend') },
          { value: 'return', label: t('action.handle.return') },
          { value: 'suspend', label: t('action.handle.suspend') },
        ]}
        onChange={setAction}
      />
      <Show when={action() === 'feedback'}>
        <PhotoUploader uploads={photos} label={t('action.photos')} />
      </Show>
      <Show when={action() === 'extend'}>
        <label class="field">
          <span>{t('action.handle.hours')}</span>
          <input type="number" inputmode="numeric" min="1" max={24 * 90} step="1" data-testid="extend-hours" value={hours()} onInput={(e) => setHours(e.currentTarget.value)} />
        </label>
      </Show>
      <NoteField value={note()} onInput={setNote} />
    </ActionForm>
  );
}

function DecideForm(props: FormProps & { which: 'extension' | 'suspension' }) {
  const [approve, setApprove] = createSignal(true);
  const [note, setNote] = createSignal('');
  const v = useProblem();
  const send = () => {
    if (!v.check([!approve() && noteTooShort(note()), t('action.noteRequired')])) return;
    const body = DecideRequest.parse({ approve: approve(), note: note() });
    void props.submit(() => (props.which === 'extension' ? api.cases.extension(props.kase.id, body) : api.cases.suspension(props.kase.id, body)));
  };
  return (
    <ActionForm name={props.which} onSubmit={send} pending={props.pending} problem={v.problem()}>
      <Show when={props.which === 'extension' && props.kase.requestedExtensionHours}>
        {(h) => <p data-testid="requested-hours">{t('case.requestedExtension', { n: h() })}</p>}
      </Show>
      <Choice
        legend={t('action.decide.question')}
        value={approve()}
        options={[
          { value: true, label: t('action.decide.approve') },
          { value: false, label: t('action.decide.deny') },
        ]}
        onChange={setApprove}
      />
      <NoteField value={note()} onInput={setNote} />
    </ActionForm>
  );
}

function ResumeForm(props: FormProps) {
  const [note, setNote] = createSignal('');
  const send = () => {
    const body = ResumeCase.parse({ note: note() });
    void props.submit(() => api.cases.resume(props.kase.id, body));
  };
  return (
    <ActionForm name="resume" onSubmit={send} pending={props.pending}>
      <p class="muted">{t('action.resume.hint')}</p>
      <NoteField value={note()} onInput={setNote} />
    </ActionForm>
  );
}

function CheckForm(props: FormProps) {
  const [passed, setPassed] = createSignal(true);
  const [note, setNote] = createSignal('');
  const photos = createPhotoUploads('check');
  const v = useProblem();
  const send = () => {
    if (!v.check([!passed() && noteTooShort(note()), t('action.noteRequired')], [photos.unsettled(), t('photo.wait')])) return;
    const body = CheckCase.parse({ passed: passed(), note: note(), photoIds: photos.ids() });
    void props.submit(() => api.cases.check(props.kase.id, body));
  };
  return (
    <ActionForm name="check" onSubmit={send} pending={props.pending} problem={v.problem()}>
      <Choice
        legend={t('action.check.question')}
        value={passed()}
        options={[
          { value: true, label: t('action.check.passed') },
          { value: false, label: t('action.check.failed') },
        ]}
        onChange={setPassed}
      />
      <PhotoUploader uploads={photos} label={t('action.photos')} />
      <NoteField value={note()} onInput={setNote} />
    </ActionForm>
  );
}
