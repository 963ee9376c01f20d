// A small horizontal bar chart (Apache ECharts, tree-shaken: bar series, grid, tooltip, SVG renderer) with
// its text alternative: the chart is an image to assistive technology, labelled by the same figures in words.
import { BarChart as Bars } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useId, useRef } from 'react';
import './bar-chart.css';
import { escapeHtml } from '../../lib/html';

echarts.use([Bars, GridComponent, TooltipComponent, SVGRenderer]);

export interface Bar {
  key: string;
  label: string;
  value: number;
  color?: string;
}

export interface BarChartProps {
  bars: Bar[];
  /** The chart's title for people (and the start of its text alternative). */
  title: string;
  unit?: string;
  /** Called with the bar's key when a bar is clicked (a keyboard equivalent must exist elsewhere). */
  onPick?(key: string): void;
  className?: string;
}

const ROW = 30;

export function BarChart({ bars, title, unit = '项', onPick, className }: BarChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  const captionId = useId();
  const text = bars.map((b) => `${b.label} ${b.value} ${unit}`).join('，');
  const height = Math.max(2, bars.length) * ROW + 24;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'svg', locale: 'ZH' });
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(el);
    chart.on('click', (p: any) => pick.current?.(bars[p.dataIndex]?.key));
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'item', formatter: (p: any) => `${escapeHtml(p.name)}：${escapeHtml(p.value)} ${escapeHtml(unit)}` },
      xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#edf0f5' } }, axisLabel: { color: '#595959' } },
      yAxis: {
        type: 'category',
        inverse: true,
        data: bars.map((b) => b.label),
        axisTick: { show: false },
        axisLine: { lineStyle: { color: '#c9d1dc' } },
        axisLabel: { color: '#262626', fontSize: 12 },
      },
      series: [
        {
          type: 'bar',
          barMaxWidth: 18,
          cursor: onPick ? 'pointer' : 'default',
          data: bars.map((b) => ({ value: b.value, itemStyle: { color: b.color ?? '#1f5fa8', borderRadius: [0, 3, 3, 0] } })),
          label: { show: true, position: 'right', color: '#262626', formatter: (p: any) => String(p.value) },
        },
      ],
    });
    return () => {
      resize.disconnect();
      chart.dispose();
    };
  }, [JSON.stringify(bars), unit, !!onPick]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <figure className={`bar-chart ${className ?? ''}`}>
      <div ref={box} className="bar-chart-canvas" role="img" aria-labelledby={captionId} style={{ height }} />
      <figcaption id={captionId} className="sr-only">
        {title}：{text || '无'}
      </figcaption>
    </figure>
  );
}
