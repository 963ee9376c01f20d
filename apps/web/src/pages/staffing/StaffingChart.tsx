// One department's staffing over time (Apache ECharts, tree-shaken: line series, grid, tooltip, legend, SVG
// renderer): 核定编制 and 实有在编 as steps from each date where something changed, with a text alternative.
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useId, useRef } from 'react';
import type { StaffingPoint } from '../../../../../libs/contract/src';
import { pct } from './format';

echarts.use([LineChart, GridComponent, TooltipComponent, LegendComponent, SVGRenderer]);

type SeriesPoint = StaffingPoint;


export function StaffingChart({ title, series, until }: { title: string; series: SeriesPoint[]; until?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const captionId = useId();
  const text = series.map((s) => `${s.from} 起 核定 ${s.authorized} 名、实有 ${s.actual} 人（使用率 ${pct(s.usage)}）、领导 ${s.leadersFilled}/${s.leadersAuthorized}、编外 ${s.outside}`).join('；');
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'svg', locale: 'ZH' });
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(el);
    const line = (name: string, color: string, pick: (s: SeriesPoint) => number) => ({ name, type: 'line', step: 'end', color, symbolSize: 6, data: [...series, ...(until && series.length && until > series[series.length - 1].from ? [{ ...series[series.length - 1], from: until }] : [])].map((s) => [s.from, pick(s)]) });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, textStyle: { color: '#262626' } },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'time', axisLabel: { color: '#595959' } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#595959' }, splitLine: { lineStyle: { color: '#edf0f5' } } },
      series: [line('核定编制', '#1f5fa8', (s) => s.authorized), line('实有在编', '#c0392b', (s) => s.actual), line('编外人员', '#7f8c8d', (s) => s.outside)],
    });
    return () => {
      resize.disconnect();
      chart.dispose();
    };
  }, [JSON.stringify(series), until]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <figure className="staffing-chart">
      <div ref={box} className="staffing-chart-canvas" role="img" aria-labelledby={captionId} style={{ height: 260 }} />
      <figcaption id={captionId} className="sr-only">
        {title}：{text || '无'}
      </figcaption>
    </figure>
  );
}
