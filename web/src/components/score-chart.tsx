/**
 * The evaluation scores as a horizontal bar chart (ECharts, imported module by module: core, the bar chart,
 * grid/tooltip components and the canvas renderer). Only the evaluation route loads it. Data shaping is in
 * lib/indicators.ts (`scoreBars`) and tested there; component tests replace this module.
 */
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { createEffect, onCleanup, onMount } from 'solid-js';
import type { ScoreBar } from '../lib/indicators';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

export default function ScoreChart(props: { bars: readonly ScoreBar[]; label: string }) {
  let element!: HTMLDivElement;
  onMount(() => {
    const chart = echarts.init(element, undefined, { renderer: 'canvas' });
    createEffect(() => {
      const bars = [...props.bars].reverse(); // ECharts draws the first category at the bottom
      chart.setOption(
        {
          grid: { left: 8, right: 40, top: 8, bottom: 24, containLabel: true },
          tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
          xAxis: { type: 'value', min: 0, max: 100 },
          yAxis: { type: 'category', data: bars.map((b) => b.name), axisLabel: { width: 160, overflow: 'truncate' } },
          series: [
            {
              type: 'bar',
              data: bars.map((b) => ({ value: b.score, itemStyle: { color: b.color } })),
              label: { show: true, position: 'right' },
              barMaxWidth: 22,
            },
          ],
        },
        { notMerge: true },
      );
      chart.resize();
    });
    const resize = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(() => chart.resize());
    resize?.observe(element);
    onCleanup(() => {
      resize?.disconnect();
      chart.dispose();
    });
  });
  return <div ref={element} class="score-chart" role="img" aria-label={props.label} style={{ height: `${Math.max(160, props.bars.length * 30 + 40)}px` }} />;
}
