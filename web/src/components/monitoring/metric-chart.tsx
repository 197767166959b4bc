/**
 * One metric of a device over its recent time buckets (MON-1): the average as a line over a shaded min–max
 * band (ECharts, imported module by module: the line chart, grid/tooltip components, the canvas renderer).
 * Only the device page loads it, lazily. Series come from lib/monitoring.ts (`metricSeries`, tested there);
 * component tests replace this module with test/metric-chart-stub.tsx.
 */
import { LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { createEffect, onCleanup, onMount } from 'solid-js';
import { t } from '../../i18n';
import { formatNumber, type MetricSeries } from '../../lib/monitoring';
import { formatDateTime } from '../../lib/time';

echarts.use([LineChart, GridComponent, TooltipComponent, CanvasRenderer]);

const LINE = '#1d5fa8';
const BAND = 'rgba(29, 95, 168, 0.16)';

export default function MetricChart(props: { series: MetricSeries; label: string }) {
  let element!: HTMLDivElement;
  onMount(() => {
    const chart = echarts.init(element, undefined, { renderer: 'canvas' });
    createEffect(() => {
      const { points, unit } = props.series;
      const at = (iso: string) => Date.parse(iso);
      const value = (v: number) => (unit ? `${formatNumber(v)} ${unit}` : formatNumber(v));
      chart.setOption(
        {
          grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
          tooltip: {
            trigger: 'axis',
            formatter: (params: unknown) => {
              const first = Array.isArray(params) ? (params[0] as { dataIndex?: number } | undefined) : undefined;
              const p = first?.dataIndex === undefined ? undefined : points[first.dataIndex];
              if (!p) return '';
              return `${formatDateTime(p.t)}<br/>${t('mon.chart.avg')}: ${value(p.avg)}<br/>${t('mon.chart.range')}: ${value(p.min)} – ${value(p.max)}`;
            },
          },
          // Beijing time, `HH:mm` over `MM-DD` (formatDateTime), whatever the browser's time zone.
          xAxis: {
            type: 'time',
            axisLabel: {
              hideOverlap: true,
              formatter: (v: number) => {
                const text = formatDateTime(new Date(v).toISOString());
                return `${text.slice(11)}\n${text.slice(5, 10)}`;
              },
            },
          },
          yAxis: { type: 'value', scale: true },
          series: [
            { name: 'min', type: 'line', stack: 'band', data: points.map((p) => [at(p.t), p.min]), lineStyle: { opacity: 0 }, symbol: 'none', silent: true },
            { name: 'range', type: 'line', stack: 'band', data: points.map((p) => [at(p.t), p.max - p.min]), lineStyle: { opacity: 0 }, areaStyle: { color: BAND }, symbol: 'none', silent: true },
            { name: 'avg', type: 'line', data: points.map((p) => [at(p.t), p.avg]), lineStyle: { color: LINE, width: 2 }, itemStyle: { color: LINE }, showSymbol: points.length < 40 },
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
  return <div ref={element} class="metric-chart" role="img" aria-label={props.label} />;
}
