/** Small pieces every case screen uses: the status badge, the urgency badge, and a list of case summaries. */
import { A } from '@solidjs/router';
import { For, Show, type JSX } from 'solid-js';
import type { CaseStatus, CaseSummary, Urgency } from '../../../contracts';
import { t } from '../i18n';
import { statusName, typeName, urgencyName } from '../lib/case-format';
import { dueState, dueText, formatDateTime } from '../lib/time';
import { EmptyState } from './panel';

export function StatusBadge(props: { status: CaseStatus }) {
  return (
    <span class={`badge case-status case-status-${props.status}`} data-testid="status-badge" data-status={props.status}>
      {statusName(props.status)}
    </span>
  );
}

export function UrgencyBadge(props: { urgency: Urgency }) {
  return <span class={`badge ${props.urgency === 'urgent' ? 'badge-danger' : 'badge-muted'}`}>{urgencyName(props.urgency)}</span>;
}

/** Case summaries as rows: number, type, status, time limit, address; each links to its detail. */
export function CaseRows(props: { cases: readonly CaseSummary[]; now: number; testid?: string; empty?: string; extra?: (c: CaseSummary) => JSX.Element }) {
  return (
    <Show when={props.cases.length > 0} fallback={<EmptyState title={props.empty ?? t('cases.empty')} />}>
      <ul class="case-rows" data-testid={props.testid ?? 'case-rows'}>
        <For each={props.cases}>
          {(c) => {
            const open = () => c.status !== 'closed' && c.status !== 'cancelled';
            const state = () => (open() ? dueState(c.dueAt, props.now) : 'none');
            return (
              <li class="case-row" classList={{ overdue: state() === 'overdue', soon: state() === 'soon' }} data-testid="case-row" data-case={c.id}>
                <div class="case-row-main">
                  <A href={`/case/${c.id}`} class="case-link mono">
                    {c.number}
                  </A>
                  <StatusBadge status={c.status} />
                  <Show when={c.urgency === 'urgent'}>
                    <UrgencyBadge urgency={c.urgency} />
                  </Show>
                  <span class="case-type">{typeName(c.kind, c.typeCode)}</span>
                  <Show when={props.extra}>{(extra) => <span class="case-row-extra">{extra()(c)}</span>}</Show>
                </div>
                <div class="case-row-meta">
                  <span class="muted">{c.address ?? c.gridId}</span>
                  <Show when={open() && c.dueAt}>
                    {(due) => (
                      <span>
                        {t('tasks.due')} <time datetime={due()}>{formatDateTime(due())}</time> <strong class="due-text">{dueText(due(), props.now)}</strong>
                      </span>
                    )}
                  </Show>
                </div>
              </li>
            );
          }}
        </For>
      </ul>
    </Show>
  );
}
