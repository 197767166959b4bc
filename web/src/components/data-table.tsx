/**
 * One list as a table, the way every registry and board shows one: a header cell per column, a row per item
 * (each cell carrying its column's name in `data-label`, so a row reads as a card on a phone), the empty state
 * when there are none, and while the rows are not there yet a loading line or the error with a retry. The
 * page keeps its own test ids: the table's, each row's attributes, the empty state's. Columns are best made
 * once per page (not inline in JSX): rows and cells are then kept across reloads and language switches.
 */
import { For, Show, type JSX } from 'solid-js';
import { t, type MessageKey } from '../i18n';
import { ErrorMessage } from './error-message';
import { EmptyState, Loading, RefreshButton } from './panel';

export interface Column<T> {
  /** The header's catalogue key; its text is also each cell's `data-label`. */
  header: MessageKey;
  cell: (row: T) => JSX.Element;
  /** The cell's class (`span`, `num`, `mono` …). */
  class?: string;
  /** The test id of each of its cells. */
  testid?: string;
  /** The column is shown only while this holds (e.g. an actions column for the roles that act). */
  when?: () => boolean;
}

/** Attributes of one row: its test id, `data-*` for tests and styling, a class. */
export type RowAttributes = Record<string, string | undefined>;

export function DataTable<T>(props: {
  /** The rows, or undefined while loading (or after a failed first load). */
  rows: readonly T[] | undefined;
  columns: readonly Column<T>[];
  testid: string;
  /** Classes besides `data-table`. */
  class?: string;
  caption?: string;
  row?: (item: T) => RowAttributes;
  /** What shows instead of the table when there are no rows. */
  empty?: { title: string; testid?: string };
  /** Without `empty`: the table stays, with one row saying this. */
  emptyRow?: string;
  /** A failed load: shown with a retry, above the rows when some were loaded before. */
  error?: unknown;
  onRetry?: () => void;
}) {
  const columns = () => props.columns.filter((c) => c.when?.() ?? true);
  return (
    <Show
      when={props.rows}
      fallback={
        <Show when={props.error} fallback={<Loading />}>
          {(error) => <ErrorMessage error={error()} onRetry={props.onRetry} />}
        </Show>
      }
    >
      {(rows) => (
        <>
          <Show when={props.error}>{(error) => <ErrorMessage error={error()} onRetry={props.onRetry} />}</Show>
          <Show when={rows().length > 0 || props.empty === undefined} fallback={<EmptyState title={props.empty?.title ?? ''} testid={props.empty?.testid} />}>
            <div class="table-scroll">
              <table class={props.class ? `data-table ${props.class}` : 'data-table'} data-testid={props.testid}>
                <Show when={props.caption}>
                  <caption>{props.caption}</caption>
                </Show>
                <thead>
                  <tr>
                    <For each={columns()}>{(c) => <th scope="col">{t(c.header)}</th>}</For>
                  </tr>
                </thead>
                <tbody>
                  <For
                    each={rows()}
                    fallback={
                      <Show when={props.emptyRow}>
                        <tr>
                          <td colSpan={columns().length}>{props.emptyRow}</td>
                        </tr>
                      </Show>
                    }
                  >
                    {(item) => (
                      <tr {...props.row?.(item)}>
                        <For each={columns()}>
                          {(c) => (
                            <td data-label={t(c.header)} class={c.class} data-testid={c.testid}>
                              {c.cell(item)}
                            </td>
                          )}
                        </For>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </Show>
        </>
      )}
    </Show>
  );
}

/** A list panel's header actions: how many rows (once loaded) and a refresh button. */
export function ListActions(props: { count: number | undefined; onRefresh: () => void; busy?: boolean }) {
  return (
    <>
      <Show when={props.count !== undefined}>
        <span class="count">{t('common.count', { n: props.count ?? 0 })}</span>
      </Show>
      <RefreshButton onClick={props.onRefresh} busy={props.busy} />
    </>
  );
}
