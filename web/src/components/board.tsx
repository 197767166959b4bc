/**
 * The command centre's board (CMD-8): cases waiting at each stage, the live map of open cases coloured by
 * status, and the overdue cases, most overdue first with how late they are. Refreshed every 15 seconds
 * while the page is visible — enough for a wall screen, far from per-second polling.
 */
import { A } from '@solidjs/router';
import { createResource, createSignal, For, onCleanup, Show } from 'solid-js';
import type { CaseStatus, CaseSummary, TenantProfile } from '../../../contracts';
import { api } from '../api/client';
import type { Board } from '../api/schemas';
import { t } from '../i18n';
import { OPEN_STATUSES, STATUS_COLORS, statusName, typeName } from '../lib/case-format';
import { bboxOf, caseMarkers } from '../lib/geo';
import { dueText, formatDateTime, useNow } from '../lib/time';
import { StatusBadge, UrgencyBadge } from './case-bits';
import { departmentNamer } from './case-timeline';
import { MapView } from './map';
import { Async, EmptyState, Panel, RefreshButton, settled } from './panel';

export const BOARD_REFRESH_MS = 15_000;

/** Overdue cases, the longest overdue first. */
export function sortOverdue(cases: readonly CaseSummary[]): CaseSummary[] {
  return [...cases].filter((c) => c.dueAt !== null).sort((a, b) => (a.dueAt ?? '').localeCompare(b.dueAt ?? ''));
}

/** The counters in stage order, every open stage shown (0 included). */
export function queueCounts(queues: Readonly<Record<string, number>>): { status: CaseStatus; count: number }[] {
  return OPEN_STATUSES.map((status) => ({ status, count: queues[status] ?? 0 }));
}

export interface BoardData {
  board: Board;
  /** Every open case known to the board: the lists of non-empty stages and the overdue ones. */
  open: CaseSummary[];
  at: number;
}

/** The board, then the cases of each stage that has any (one list call per non-empty stage). */
export async function loadBoard(): Promise<BoardData> {
  const board = await api.cases.board();
  const stages = OPEN_STATUSES.filter((s) => (board.queues[s] ?? 0) > 0);
  const lists = await Promise.all(stages.map((status) => api.cases.list({ status, limit: 500 }).then((r) => r.items, () => [] as CaseSummary[])));
  const byId = new Map<string, CaseSummary>();
  for (const c of [...lists.flat(), ...board.overdue]) byId.set(c.id, c);
  return { board, open: [...byId.values()], at: Date.now() };
}

export function CommandBoard(props: { tenant?: TenantProfile }) {
  const [data, { refetch }] = createResource(loadBoard);
  const [filter, setFilter] = createSignal<ReadonlySet<CaseStatus>>(new Set());
  const timer = setInterval(() => {
    if (typeof document === 'undefined' || !document.hidden) void refetch();
  }, BOARD_REFRESH_MS);
  onCleanup(() => clearInterval(timer));
  const toggle = (status: CaseStatus) =>
    setFilter((current) => {
      const next = new Set(current);
      if (next.has(status)) next.delete(status);
      else next.add(status);
      return next;
    });
  const departmentName = (code: string) => departmentNamer(props.tenant?.departments)(code);

  return (
    <div class="command-board">
      <Panel
        title={t('board.queues')}
        class="board-queues-panel"
        actions={
          <>
            <Show when={settled(data)}>
              {(d) => <span class="count">{t('board.updated', { time: formatDateTime(new Date(d().at).toISOString()).slice(11) })}</span>}
            </Show>
            <RefreshButton onClick={() => void refetch()} busy={data.loading} />
          </>
        }
      >
        <Async resource={data} onRetry={() => void refetch()}>
          {(d) => <QueueCounters queues={d().board.queues} selected={filter()} onToggle={toggle} />}
        </Async>
      </Panel>
      <Panel title={t('board.map')} class="board-map-panel" actions={<Show when={settled(data)}>{(d) => <span class="count">{t('board.openCases', { n: d().open.length })}</span>}</Show>}>
        <Async resource={data} onRetry={() => void refetch()}>
          {(d) => <LiveMap cases={d().open} filter={filter()} tenant={props.tenant} />}
        </Async>
      </Panel>
      <Panel title={t('board.overdue')} class="board-overdue-panel" actions={<Show when={settled(data)}>{(d) => <span class="count">{t('common.count', { n: d().board.overdue.length })}</span>}</Show>}>
        <Async resource={data} onRetry={() => void refetch()}>
          {(d) => <OverdueBoard cases={d().board.overdue} departmentName={departmentName} />}
        </Async>
      </Panel>
    </div>
  );
}

export function QueueCounters(props: { queues: Readonly<Record<string, number>>; selected?: ReadonlySet<CaseStatus>; onToggle?: (status: CaseStatus) => void }) {
  return (
    <ul class="queues" data-testid="board-queues" aria-label={t('board.filter')}>
      <For each={queueCounts(props.queues)}>
        {(q) => (
          <li>
            <button
              type="button"
              class="queue"
              classList={{ selected: props.selected?.has(q.status) ?? false, empty: q.count === 0 }}
              aria-pressed={props.selected?.has(q.status) ?? false}
              data-testid="queue"
              data-status={q.status}
              data-count={q.count}
              style={{ '--status-color': STATUS_COLORS[q.status] }}
              onClick={() => props.onToggle?.(q.status)}
            >
              <span class="queue-count">{q.count}</span>
              <span class="queue-name">
                <span class="dot" aria-hidden="true" />
                {statusName(q.status)}
              </span>
            </button>
          </li>
        )}
      </For>
    </ul>
  );
}

function LiveMap(props: { cases: readonly CaseSummary[]; filter: ReadonlySet<CaseStatus>; tenant?: TenantProfile }) {
  const markers = () => caseMarkers(props.cases, (c) => `${c.number} · ${statusName(c.status)} · ${typeName(c.kind, c.typeCode)}`, props.filter);
  const fit = () => {
    const box = bboxOf(props.cases.map((c) => c.location));
    if (!box) return undefined;
    const pad = 0.002;
    return [box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad] as const;
  };
  const center = () => {
    const b = props.tenant?.bounds;
    return b ? { lng: (b[0] + b[2]) / 2, lat: (b[1] + b[3]) / 2 } : undefined;
  };
  return (
    <div class="map map-live" data-testid="case-map" data-kind="live" data-markers={markers().length}>
      <MapView label={t('board.map')} fit={fit()} center={center()} zoom={12} markers={markers()} loadGrids={(box) => api.basedata.grids(box)} />
    </div>
  );
}

export function OverdueBoard(props: { cases: readonly CaseSummary[]; departmentName: (code: string) => string }) {
  const now = useNow();
  return (
    <Show when={props.cases.length > 0} fallback={<EmptyState title={t('board.overdueEmpty')} />}>
      <ol class="overdue" data-testid="overdue-board">
        <For each={sortOverdue(props.cases)}>
          {(c) => (
            <li class="overdue-item" data-testid="overdue-item" data-case={c.id} data-status={c.status}>
              <div class="overdue-head">
                <A href={`/case/${c.id}`} class="case-link mono">
                  {c.number}
                </A>
                <strong class="late-by">{dueText(c.dueAt, now())}</strong>
              </div>
              <div class="overdue-meta">
                <StatusBadge status={c.status} />
                <Show when={c.urgency === 'urgent'}>
                  <UrgencyBadge urgency={c.urgency} />
                </Show>
                <span>{typeName(c.kind, c.typeCode)}</span>
                <Show when={c.departments.length > 0}>
                  <span class="muted">{c.departments.map(props.departmentName).join('、')}</span>
                </Show>
              </div>
              <Show when={c.address}>
                <div class="muted small">{c.address}</div>
              </Show>
            </li>
          )}
        </For>
      </ol>
    </Show>
  );
}
