/**
 * 确认 (acknowledge) and 处置 (dispose) of one alarm (MON-3), each with a note: optional when acknowledging,
 * at least 2 characters when disposing (the note says how it was dealt with). The answer (the alarm as it is
 * now) goes back to the list; a refusal (someone else was faster, the alarm cleared) is shown as the API says it.
 */
import { createSignal, Show } from 'solid-js';
import type { AlarmStatus, AlarmView } from '../../../../contracts';
import { api } from '../../api/client';
import { t } from '../../i18n';
import { createAction } from '../../lib/action';
import { ErrorMessage } from '../error-message';

type AlarmActionName = 'acknowledge' | 'dispose';

export const canAcknowledge = (status: AlarmStatus): boolean => status === 'raised';
export const canDispose = (status: AlarmStatus): boolean => status === 'raised' || status === 'acknowledged';

export function AlarmActions(props: { alarm: { id: string; status: AlarmStatus }; onDone: (alarm: AlarmView) => void }) {
  const [open, setOpen] = createSignal<AlarmActionName | null>(null);
  const [note, setNote] = createSignal('');
  const [problem, setProblem] = createSignal('');
  const action = createAction((name: AlarmActionName, text: string) =>
    name === 'acknowledge' ? api.alarms.acknowledge(props.alarm.id, { note: text }) : api.alarms.dispose(props.alarm.id, { note: text }),
  );
  const start = (name: AlarmActionName) => {
    setOpen(name);
    setProblem('');
    action.clearError();
  };
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const name = open();
    if (!name) return;
    const text = note().trim();
    if (name === 'dispose' && text.length < 2) {
      setProblem(t('mon.alarm.noteRequired'));
      return;
    }
    setProblem('');
    const result = await action.run(name, text);
    if (result) {
      setOpen(null);
      setNote('');
      props.onDone(result);
    }
  };

  return (
    <div class="alarm-actions" data-testid="alarm-actions">
      <Show when={open() === null}>
        <div class="action-buttons">
          <Show when={canAcknowledge(props.alarm.status)}>
            <button type="button" class="btn btn-small" data-testid="alarm-acknowledge" onClick={() => start('acknowledge')}>
              {t('mon.alarm.acknowledge')}
            </button>
          </Show>
          <Show when={canDispose(props.alarm.status)}>
            <button type="button" class="btn btn-small btn-primary" data-testid="alarm-dispose" onClick={() => start('dispose')}>
              {t('mon.alarm.dispose')}
            </button>
          </Show>
        </div>
      </Show>
      <Show when={open()}>
        {(name) => (
          <form class="alarm-form stack" data-testid="alarm-form" data-action={name()} onSubmit={(e) => void submit(e)} noValidate>
            <label class="field">
              <span>{name() === 'dispose' ? t('mon.alarm.disposeNote') : t('mon.alarm.acknowledgeNote')}</span>
              <textarea
                data-testid="alarm-note"
                rows={2}
                maxLength={1000}
                value={note()}
                placeholder={name() === 'dispose' ? t('mon.alarm.disposePlaceholder') : t('mon.alarm.acknowledgePlaceholder')}
                aria-invalid={problem() !== ''}
                onInput={(e) => setNote(e.currentTarget.value)}
              />
            </label>
            <Show when={problem()}>
              <p class="field-error" role="alert" data-testid="alarm-note-error">
                {problem()}
              </p>
            </Show>
            <Show when={action.error()}>{(error) => <ErrorMessage error={error()} />}</Show>
            <div class="form-actions form-actions-start">
              <button type="submit" class="btn btn-small btn-primary" data-testid="alarm-submit" disabled={action.pending()}>
                {action.pending() ? t('common.submitting') : name() === 'dispose' ? t('mon.alarm.dispose') : t('mon.alarm.acknowledge')}
              </button>
              <button type="button" class="btn btn-small btn-ghost" onClick={() => setOpen(null)} disabled={action.pending()}>
                {t('common.cancel')}
              </button>
            </div>
          </form>
        )}
      </Show>
    </div>
  );
}
