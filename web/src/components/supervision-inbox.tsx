/**
 * The tenant's 督办 inbox (PRV-SUP): items the province assigned to us, with a feedback form for those
 * waiting for our answer. Shown to the tenant admin, the leader and the shift leader.
 */
import { createResource, createSignal, For, Show } from 'solid-js';
import { SupervisionFeedback, type SupervisionItem } from '../../../contracts';
import { api } from '../api/client';
import { t } from '../i18n';
import { createAction } from '../lib/action';
import { useNow } from '../lib/time';
import { ErrorMessage } from './error-message';
import { Async, EmptyState, Panel, RefreshButton } from './panel';
import { SupervisionCard } from './supervision-card';

/** Open items first (awaiting feedback, then awaiting review), then closed; newest first within each. */
export function sortSupervision(items: readonly SupervisionItem[]): SupervisionItem[] {
  const rank = { 'awaiting-feedback': 0, 'awaiting-review': 1, closed: 2 } as const;
  return [...items].sort((a, b) => rank[a.status] - rank[b.status] || b.createdAt.localeCompare(a.createdAt));
}

export function SupervisionInbox(props: { class?: string }) {
  const [items, { refetch }] = createResource(async () => sortSupervision((await api.supervision()).items));
  const now = useNow();
  const [notice, setNotice] = createSignal(false);
  const sent = () => {
    setNotice(true);
    void refetch();
  };
  return (
    <Panel
      title={t('sup.inboxTitle')}
      testid="supervision-list"
      class={props.class}
      actions={<RefreshButton onClick={() => void refetch()} busy={items.loading} />}
    >
      <Show when={notice()}>
        <p class="notice" role="status">
          {t('sup.feedbackSent')}
        </p>
      </Show>
      <Async resource={items} onRetry={() => void refetch()}>
        {(list) => (
          <Show when={list().length > 0} fallback={<EmptyState title={t('sup.empty')} />}>
            <div class="sup-list">
              <For each={list()}>
                {(item) => (
                  <SupervisionCard item={item} now={now()}>
                    <Show when={item.status === 'awaiting-feedback'}>
                      <FeedbackForm id={item.id} onSent={sent} />
                    </Show>
                  </SupervisionCard>
                )}
              </For>
            </div>
          </Show>
        )}
      </Async>
    </Panel>
  );
}

function FeedbackForm(props: { id: string; onSent: () => void }) {
  const [text, setText] = createSignal('');
  const [invalid, setInvalid] = createSignal(false);
  const send = createAction((body: string) => api.feedback(props.id, { text: body }));

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const parsed = SupervisionFeedback.safeParse({ text: text() });
    setInvalid(!parsed.success);
    if (!parsed.success) return;
    await send.run(parsed.data.text);
    if (send.error() === undefined) {
      setText('');
      props.onSent();
    }
  };

  return (
    <form class="stack" data-testid="feedback-form" onSubmit={submit} noValidate>
      <label class="field">
        <span>{t('sup.feedbackLabel')}</span>
        <textarea
          rows={3}
          value={text()}
          placeholder={t('sup.feedbackPlaceholder')}
          maxLength={2000}
          aria-invalid={invalid()}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </label>
      <Show when={invalid()}>
        <p class="field-error" role="alert">
          {t('sup.feedbackTooShort')}
        </p>
      </Show>
      <Show when={send.error()}>{(error) => <ErrorMessage error={error()} />}</Show>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={send.pending()}>
          {send.pending() ? t('common.submitting') : t('sup.feedbackSubmit')}
        </button>
      </div>
    </form>
  );
}
