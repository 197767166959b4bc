/** One supervision item (督办事项) as both sides see it: status, urgency, time limit, history. */
import { For, Show, type JSX } from 'solid-js';
import type { SupervisionItem } from '../../../contracts';
import { t } from '../i18n';
import { dueState, dueText, formatDateTime } from '../lib/time';

export function SupervisionCard(props: { item: SupervisionItem; now: number; tenantLabel?: string; children?: JSX.Element }) {
  const state = () => (props.item.status === 'closed' ? 'none' : dueState(props.item.dueAt, props.now));
  return (
    <article
      class="sup-card"
      classList={{ overdue: state() === 'overdue', soon: state() === 'soon' }}
      data-testid="supervision-item"
      data-status={props.item.status}
      id={`sup-${props.item.id}`}
    >
      <header class="sup-head">
        <Show when={props.item.urgency === 'urgent'}>
          <span class="badge badge-danger">{t('sup.urgency.urgent')}</span>
        </Show>
        <h3 class="sup-title">{props.item.title}</h3>
        <span class={`badge status-${props.item.status}`}>{t(`sup.status.${props.item.status}`)}</span>
      </header>
      <Show when={props.item.detail}>
        <p class="sup-detail">{props.item.detail}</p>
      </Show>
      <dl class="facts facts-inline">
        <Show when={props.tenantLabel}>
          <dt>{t('sup.tenant')}</dt>
          <dd>{props.tenantLabel}</dd>
        </Show>
        <dt>{t('sup.createdAt')}</dt>
        <dd>
          <time datetime={props.item.createdAt}>{formatDateTime(props.item.createdAt)}</time>
        </dd>
        <Show when={props.item.status !== 'closed' && props.item.dueAt}>
          {(dueAt) => (
            <>
              <dt>{t('tasks.due')}</dt>
              <dd>
                <time datetime={dueAt()}>{formatDateTime(dueAt())}</time> <strong class="due-text">{dueText(dueAt(), props.now)}</strong>
              </dd>
            </>
          )}
        </Show>
      </dl>
      <Show when={props.item.escalations > 0}>
        <p>
          <span class="badge badge-warn">{t('sup.escalations', { n: props.item.escalations })}</span>
        </p>
      </Show>
      <Show when={props.item.history.length > 0}>
        <details class="sup-history">
          <summary>
            {t('sup.history')} · {props.item.history.length}
          </summary>
          <ol>
            <For each={props.item.history}>
              {(event) => (
                <li>
                  <time datetime={event.at}>{formatDateTime(event.at)}</time> <strong>{t(`sup.action.${event.action}`)}</strong>{' '}
                  <span class="muted">{event.actor}</span>
                  <Show when={event.onTime !== undefined}>
                    {' '}
                    <span class={event.onTime ? 'badge badge-ok' : 'badge badge-danger'}>{event.onTime ? t('sup.onTime') : t('sup.late')}</span>
                  </Show>
                  <Show when={event.text}>
                    <p class="sup-event-text">{event.text}</p>
                  </Show>
                </li>
              )}
            </For>
          </ol>
        </details>
      </Show>
      {props.children}
    </article>
  );
}
