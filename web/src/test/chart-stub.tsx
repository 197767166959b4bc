/** Stand-in for components/score-chart (ECharts needs a canvas): lists the bars it was given. */
import { For } from 'solid-js';
import type { ScoreBar } from '../lib/indicators';

export default function ChartStub(props: { bars: readonly ScoreBar[]; label: string }) {
  return (
    <ol data-testid="chart-stub">
      <For each={props.bars}>{(bar) => <li data-score={bar.score} data-color={bar.color}>{bar.name}</li>}</For>
    </ol>
  );
}
