/**
 * 综合评价 (CMD-9): the indicators and scores of a period, grouped by inspector, position, department, grid,
 * region or the whole tenant — a bar chart of the scores, a table of every indicator (rates as percentages,
 * numerator/denominator on hover), grades A–E, and the same rows as a CSV download.
 */
import { createResource, createSignal, For, lazy, Show, Suspense } from 'solid-js';
import { api, type EvaluationQuery } from '../api/client';
import { EVALUATION_GROUPS, type EvaluationGroup, type EvaluationRow } from '../api/schemas';
import { departmentNamer } from '../components/case-timeline';
import { ErrorMessage } from '../components/error-message';
import { Async, EmptyState, Loading, Panel, RefreshButton } from '../components/panel';
import { lang, t } from '../i18n';
import { createAction } from '../lib/action';
import { nextDay, thisMonth } from '../lib/dates';
import { saveBlob } from '../lib/download';
import { formatIndicator, formatScore, indicatorColumns, indicatorHint, indicatorName, scoreBars, sortRows, subjectName } from '../lib/indicators';

const ScoreChart = lazy(() => import('../components/score-chart'));

export default function EvaluationPage() {
  const initial = thisMonth();
  const [from, setFrom] = createSignal(initial.from);
  const [to, setTo] = createSignal(initial.to);
  const [groupBy, setGroupBy] = createSignal<EvaluationGroup>('inspector');
  // People pick the last day they want included; the API takes [from, to), so `to` is the day after.
  const query = (): EvaluationQuery | undefined => (from() && to() && from() <= to() ? { from: from(), to: nextDay(to()), groupBy: groupBy() } : undefined);
  const [report, { refetch }] = createResource(query, (q) => api.evaluation.report(q));
  const [tenant] = createResource(async () => {
    try {
      return await api.tenant();
    } catch {
      return undefined;
    }
  });
  const departmentName = (code: string) => departmentNamer(tenant.state === 'ready' ? tenant()?.departments : undefined)(code);
  const name = (row: EvaluationRow) => subjectName(row, departmentName);
  // The file is named by the days the reader chose (both included), not the API's exclusive end.
  const exportCsv = createAction(async (q: EvaluationQuery) =>
    saveBlob(await api.evaluation.csv(q, lang() === 'en' ? 'en' : 'zh'), `evaluation-${q.groupBy}-${from()}-${to()}.csv`),
  );

  return (
    <section class="home evaluation" data-testid="evaluation-page">
      <header class="home-head">
        <h1>{t('eval.title')}</h1>
      </header>
      <Panel
        title={t('eval.groupBy')}
        actions={
          <>
            <button
              type="button"
              class="btn btn-small"
              data-testid="evaluation-export"
              disabled={!query() || exportCsv.pending()}
              onClick={() => {
                const q = query();
                if (q) void exportCsv.run(q);
              }}
            >
              {exportCsv.pending() ? t('eval.exporting') : t('eval.export')}
            </button>
            <RefreshButton onClick={() => void refetch()} busy={report.loading} />
          </>
        }
      >
        <div class="eval-controls">
          <label class="field">
            <span>{t('eval.from')}</span>
            <input type="date" data-testid="eval-from" value={from()} max={to()} onChange={(e) => setFrom(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>{t('eval.to')}</span>
            <input type="date" data-testid="eval-to" value={to()} min={from()} onChange={(e) => setTo(e.currentTarget.value)} />
          </label>
        </div>
        <div class="tabs" role="tablist" aria-label={t('eval.groupBy')}>
          <For each={EVALUATION_GROUPS}>
            {(g) => (
              <button type="button" role="tab" class="tab" aria-selected={groupBy() === g} data-testid={`eval-tab-${g}`} onClick={() => setGroupBy(g)}>
                {t(`eval.group.${g}`)}
              </button>
            )}
          </For>
        </div>
        <Show when={!query()}>
          <p class="field-error" role="alert">
            {t('eval.invalidPeriod')}
          </p>
        </Show>
        <Show when={exportCsv.error()}>{(error) => <ErrorMessage error={error()} />}</Show>
      </Panel>

      <Show when={query()}>
        <Async resource={report} onRetry={() => void refetch()}>
          {(value) => (
            <Show when={value().rows.length > 0} fallback={<EmptyState title={t('eval.empty')} testid="evaluation-empty" />}>
              <Panel title={t('eval.chart')} class="eval-chart">
                <Show when={scoreBars(value().rows, name).length > 0} fallback={<p class="muted" data-testid="evaluation-no-scores">{t('eval.noScores')}</p>}>
                  <Suspense fallback={<Loading />}>
                    <ScoreChart bars={scoreBars(value().rows, name)} label={t('eval.chart')} />
                  </Suspense>
                </Show>
              </Panel>
              <Panel title={t('eval.table')} class="eval-table-panel">
                <EvaluationTable rows={value().rows} name={name} />
              </Panel>
            </Show>
          )}
        </Async>
      </Show>
    </section>
  );
}

export function EvaluationTable(props: { rows: readonly EvaluationRow[]; name: (row: EvaluationRow) => string }) {
  const columns = () => indicatorColumns(props.rows);
  return (
    <div class="table-scroll">
      <table class="data-table" data-testid="evaluation-table">
        <thead>
          <tr>
            <th scope="col">{t('eval.subject')}</th>
            <th scope="col">{t('eval.score')}</th>
            <th scope="col">{t('eval.grade')}</th>
            <For each={columns()}>
              {(id) => (
                <th scope="col" title={indicatorHint(id)} data-indicator={id}>
                  {indicatorName(id)}
                </th>
              )}
            </For>
          </tr>
        </thead>
        <tbody>
          <For each={sortRows(props.rows)}>
            {(row) => (
              <tr data-testid="evaluation-row" data-subject={row.subject.id}>
                <th scope="row">
                  {props.name(row)}
                  <Show when={props.name(row) !== row.subject.id}>
                    <span class="muted mono small"> {row.subject.id}</span>
                  </Show>
                </th>
                <td class="num" data-testid="evaluation-score">
                  {formatScore(row.score)}
                </td>
                <td>
                  <Show when={row.grade} fallback={t('common.dash')}>
                    {(grade) => (
                      <span class={`grade grade-${grade()}`} data-testid="grade">
                        {grade()}
                      </span>
                    )}
                  </Show>
                </td>
                <For each={columns()}>
                  {(id) => {
                    const cell = () => formatIndicator(id, row.indicators[id]);
                    return (
                      <td class="num" title={cell().title} data-indicator={id}>
                        {cell().text}
                      </td>
                    );
                  }}
                </For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
