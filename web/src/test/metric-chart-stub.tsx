/** Stand-in for components/monitoring/metric-chart (ECharts needs a canvas): lists the points it was given. */
import { For } from 'solid-js';
import type { MetricSeries } from '../lib/monitoring';

export default function MetricChartStub(props: { series: MetricSeries; label: string }) {
  return (
    <ol data-testid="metric-chart-stub" data-metric={props.series.metric} data-unit={props.series.unit} aria-label={props.label}>
      <For each={props.series.points}>{(p) => <li data-t={p.t} data-avg={p.avg} data-min={p.min} data-max={p.max} />}</For>
    </ol>
  );
}
