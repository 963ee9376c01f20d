// The item timeline: one lane per department on the valid-time (effective date) axis, drawn by Apache
// ECharts (tree-shaken: the custom series, a grid, a tooltip and the SVG renderer only). Re-drawn with
// another "as known at" moment, the bars glide from where they were, so a correction visibly moves a
// boundary. A chart says nothing to a screen reader: the table next to it is its text alternative.
import { CustomChart } from 'echarts/charts';
import type { CustomSeriesOption } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import type { GridComponentOption, TooltipComponentOption } from 'echarts/components';
import * as echarts from 'echarts/core';
import type { ComposeOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useLayoutEffect, useRef } from 'react';
import { docText } from '../../components/Feedback';
import { ROLE_ZH } from '../../lib/labels';
import { todayChina } from '../../lib/time';
import type { DocumentRef as Doc } from '../../../../../libs/contract/src';
import { escapeHtml } from '../../lib/html';
export type { Doc };

echarts.use([CustomChart, GridComponent, TooltipComponent, SVGRenderer]);

type Option = ComposeOption<CustomSeriesOption | GridComponentOption | TooltipComponentOption>;

export interface Segment {
  from: string;
  to: string | null;
  role: 'lead' | 'cooperating';
  document: Doc;
  eventId: string;
}
export interface Lane {
  departmentId: string;
  departmentName: string;
  segments: Segment[];
}
export interface TimelineData {
  item: string;
  itemName: string;
  region: string;
  regionName: string;
  asKnownAt: string | null;
  catalogue: Array<{ from: string; name: string; type: string; retired?: boolean; document: Doc }>;
  lanes: Lane[];
  delegations: Array<{ from: string; to: string | null; regions: string[] }>;
  received: Array<{ from: string; to: string | null; fromRegion: string }>;
  dates: string[];
}

/** The colours of the legend (they pass 3:1 against white as graphics; white text on them passes AA). */
export const COLORS = {
  lead: '#1f5fa8',
  cooperating: '#2f7d4a',
  delegated: '#6b7685',
  received: '#7a5aa6',
  catalogue: '#dfe6ef',
  retired: '#c9ced6',
  conflict: '#c62828',
  today: '#b7791f',
  cursor: '#c62828',
};

/** Intervals where more than one department leads (职责交叉). */
export function conflicts(lanes: Lane[]): Array<{ from: string; to: string | null }> {
  const points = new Set<string>();
  const leads = lanes.flatMap((l) => l.segments.filter((s) => s.role === 'lead'));
  for (const x of leads) {
    points.add(x.from);
    if (x.to) points.add(x.to);
  }
  const sorted = [...points].sort();
  const out: Array<{ from: string; to: string | null }> = [];
  for (let i = 0; i < sorted.length; i++) {
    const d = sorted[i];
    const n = leads.filter((x) => x.from <= d && (x.to === null || d < x.to)).length;
    if (n > 1) {
      const to = sorted[i + 1] ?? null;
      const last = out[out.length - 1];
      if (last && last.to === d) last.to = to;
      else out.push({ from: d, to });
    }
  }
  return out;
}

/** A calendar date as the browser's local midnight: the time axis labels its years and months in local time. */
const ms = (d: string) => {
  const [y, m, day] = d.split('-').map(Number);
  return new Date(y, m - 1, day).getTime();
};
const DAY = 86_400_000;
/** Width of a label in px at 12px: CJK ≈ 12, Latin ≈ 7. */
const textWidth = (t: string) => [...t].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e80 ? 12 : 7), 0);
const fit = (t: string, px: number) => {
  if (textWidth(t) <= px) return t;
  let out = '';
  for (const c of t) {
    if (textWidth(out + c + '…') > px) break;
    out += c;
  }
  return out ? out + '…' : '';
};
const esc = escapeHtml;

interface Row {
  label: string;
  kind: 'catalogue' | 'lane' | 'delegated' | 'received';
}
interface Bar {
  key: string;
  row: number;
  from: string;
  to: string | null;
  fill: string;
  ink: string;
  text: string;
  tip: string;
}

export interface Layout {
  /** x (px) of the start of each lane segment, keyed `${departmentId}|${from}`. */
  x: Record<string, number>;
}

export const ROW_H = 40;

/** Rows and bars of the picture. */
function model(data: TimelineData) {
  const rows: Row[] = [
    { label: '事项目录', kind: 'catalogue' },
    ...data.lanes.map((l): Row => ({ label: l.departmentName, kind: 'lane' })),
    ...(data.delegations.length ? [{ label: '已下放', kind: 'delegated' } as Row] : []),
    ...(data.received.length ? [{ label: '承接下放', kind: 'received' } as Row] : []),
  ];
  const bars: Bar[] = [];
  data.catalogue.forEach((c, j) =>
    bars.push({
      key: `cat|${j}`,
      row: 0,
      from: c.from,
      to: data.catalogue[j + 1]?.from ?? null,
      fill: c.retired ? COLORS.retired : COLORS.catalogue,
      ink: '#2b3645',
      text: c.retired ? '已从目录取消' : `${c.name}（${c.type}）`,
      tip: `${esc(c.from)} 起：${c.retired ? '从目录取消' : `${esc(c.name)}（${esc(c.type)}）`}<br/>依据 ${esc(docText(c.document))}`,
    }),
  );
  data.lanes.forEach((l, i) =>
    l.segments.forEach((g, j) =>
      bars.push({
        key: `${l.departmentId}|${j}`,
        row: i + 1,
        from: g.from,
        to: g.to,
        fill: COLORS[g.role] ?? COLORS.lead,
        ink: '#fff',
        text: `${ROLE_ZH[g.role] ?? g.role} · ${g.from} 起 · ${g.document.number}`,
        tip: `<b>${esc(l.departmentName)}</b>（${esc(l.departmentId)}）<br/>${esc(ROLE_ZH[g.role] ?? g.role)}：${esc(g.from)} 至 ${esc(g.to ?? '今')}<br/>依据 ${esc(docText(g.document))}`,
      }),
    ),
  );
  const dRow = 1 + data.lanes.length;
  data.delegations.forEach((g, j) =>
    bars.push({ key: `del|${j}`, row: dRow, from: g.from, to: g.to, fill: COLORS.delegated, ink: '#fff', text: `下放至 ${g.regions.join('、')}`, tip: `${esc(g.from)} 至 ${esc(g.to ?? '今')}：下放至 ${esc(g.regions.join('、'))}` }),
  );
  const rRow = dRow + (data.delegations.length ? 1 : 0);
  data.received.forEach((g, j) =>
    bars.push({ key: `rec|${j}`, row: rRow, from: g.from, to: g.to, fill: COLORS.received, ink: '#fff', text: `承接自 ${g.fromRegion}`, tip: `${esc(g.from)} 至 ${esc(g.to ?? '今')}：由 ${esc(g.fromRegion)} 下放承接` }),
  );
  return { rows, bars };
}

export function chartHeight(data: TimelineData): number {
  return 56 + model(data).rows.length * ROW_H + 56;
}

function option(data: TimelineData, at: string | undefined, domain: string[], width: number): Option {
  const { rows, bars } = model(data);
  const today = todayChina();
  const all = [...bars.flatMap((b) => [b.from, b.to ?? b.from]), ...domain, today, ...(at ? [at] : [])].map(ms);
  const lo = Math.min(...all) - 200 * DAY;
  const hi = Math.max(...all) + 400 * DAY;
  const labelW = Math.min(260, Math.max(96, Math.ceil(Math.max(...rows.map((r) => textWidth(r.label))) * 1.15) + 8)); // 13px bold
  const bands = conflicts(data.lanes);
  const marks: Array<{ t: number; kind: 'today' | 'at'; text: string }> = [{ t: ms(today), kind: 'today', text: `今天 ${today}` }];
  if (at) marks.push({ t: ms(at), kind: 'at', text: `查看日期 ${at}` });
  const years = (hi - lo) / (365 * DAY);
  const plotW = width - labelW - 40;
  return {
    animationDurationUpdate: 600,
    animationEasingUpdate: 'cubicInOut',
    textStyle: { fontFamily: '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif' },
    grid: { left: labelW + 20, right: 24, top: 52, bottom: 52 },
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (p: any) => (p.seriesId === 'bars' ? bars[p.dataIndex]?.tip : p.seriesId === 'conflicts' ? `<b style="color:${COLORS.conflict}">职责交叉</b><br/>${esc(bands[p.dataIndex].from)} 起${bands[p.dataIndex].to ? `至 ${esc(bands[p.dataIndex].to)}` : ''}有多个牵头部门` : esc(marks[p.dataIndex]?.text)) ?? '',
    },
    xAxis: {
      type: 'time',
      min: lo,
      max: hi,
      splitNumber: Math.max(2, Math.min(Math.round(years), Math.floor(plotW / 70))),
      axisLine: { lineStyle: { color: '#8c97a5' } },
      axisTick: { lineStyle: { color: '#8c97a5' } },
      axisLabel: { color: '#4a5566', hideOverlap: true, formatter: { year: '{yyyy}年', month: '{M}月', day: '{M}月{d}日' } as any },
      splitLine: { show: true, lineStyle: { color: '#e6eaf0' } },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map((r) => r.label),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: '#c5ccd6' } },
      axisLabel: { color: '#1f2a37', fontSize: 13, fontWeight: 600, width: labelW, overflow: 'truncate', margin: 12 },
      splitArea: { show: true, areaStyle: { color: ['#ffffff', '#f6f8fb'] } },
    },
    series: [
      {
        id: 'conflicts',
        type: 'custom',
        silent: false,
        z: 1,
        encode: { x: [0, 1], y: 2 },
        data: bands.map((b) => [ms(b.from), b.to ? ms(b.to) : hi, 0]),
        renderItem: (params: any, api: any) => {
          const cs = params.coordSys;
          const x0 = api.coord([api.value(0), 0])[0];
          const x1 = api.coord([api.value(1), 0])[0];
          return {
            type: 'group',
            children: [
              { type: 'rect', transition: ['shape'], shape: { x: x0, y: cs.y, width: Math.max(2, x1 - x0), height: cs.height }, style: { fill: 'rgba(198,40,40,0.13)', stroke: 'rgba(198,40,40,0.6)', lineDash: [4, 3] } },
              { type: 'text', x: x0 + 4, y: cs.y - 6, style: { text: '职责交叉', fill: COLORS.conflict, font: 'bold 12px sans-serif', verticalAlign: 'bottom' } },
            ],
          } as any;
        },
      },
      {
        id: 'bars',
        type: 'custom',
        z: 2,
        encode: { x: [1, 2], y: 0 },
        data: bars.map((b) => ({ name: b.key, value: [b.row, ms(b.from), b.to ? ms(b.to) : hi, b.to ? 0 : 1] })),
        renderItem: (params: any, api: any) => {
          const b = bars[params.dataIndex];
          const [x0, yc] = api.coord([api.value(1), api.value(0)]);
          const x1 = api.coord([api.value(2), api.value(0)])[0];
          const h = Math.min(26, api.size([0, 1])[1] * 0.66);
          const open = api.value(3) === 1;
          const w = Math.max(3, x1 - x0 - 1);
          const label = fit(b.text, w - (open ? 22 : 12));
          return {
            type: 'group',
            children: [
              { type: 'rect', transition: ['shape'], shape: { x: x0, y: yc - h / 2, width: w, height: h, r: 3 }, style: { fill: b.fill } },
              { type: 'text', transition: ['x', 'y'], x: x0 + 6, y: yc, silent: true, style: { text: label, fill: b.ink, font: '600 12px sans-serif', verticalAlign: 'middle' } },
              open
                ? { type: 'polyline', transition: ['shape'], silent: true, shape: { points: [[x1 - 12, yc - 6], [x1 - 5, yc], [x1 - 12, yc + 6]] }, style: { stroke: b.ink, lineWidth: 2, fill: 'none', opacity: 0.85 } }
                : { type: 'group', children: [] },
            ],
          } as any;
        },
      },
      {
        id: 'marks',
        type: 'custom',
        z: 3,
        encode: { x: 0, y: 1 },
        data: marks.map((m) => [m.t, 0]),
        renderItem: (params: any, api: any) => {
          const m = marks[params.dataIndex];
          const cs = params.coordSys;
          const x = api.coord([api.value(0), 0])[0];
          const color = m.kind === 'today' ? COLORS.today : COLORS.cursor;
          const bottom = cs.y + cs.height;
          return {
            type: 'group',
            children: [
              { type: 'line', transition: ['shape'], shape: { x1: x, y1: cs.y - 4, x2: x, y2: bottom + 4 }, style: { stroke: color, lineWidth: 2, lineDash: m.kind === 'today' ? [5, 4] : undefined } },
              m.kind === 'today'
                ? { type: 'text', x, y: cs.y - 22, style: { text: m.text, fill: '#7a5200', font: '12px sans-serif', align: 'center', verticalAlign: 'bottom' } }
                : { type: 'text', x: x + 4, y: bottom + 26, style: { text: m.text, fill: COLORS.cursor, font: '600 12px sans-serif', verticalAlign: 'top', align: x > cs.x + cs.width - 120 ? 'right' : 'left' } },
            ],
          } as any;
        },
      },
    ],
  };
}

/** The chart; `onLayout` gets the pixel position of every lane segment's start after each drawing. */
export function TimelineChart({ data, at, domain, label, onLayout }: { data: TimelineData; at?: string; domain: string[]; label: string; onLayout?(l: Layout): void }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const height = chartHeight(data);

  useLayoutEffect(() => {
    const c = echarts.init(el.current!, undefined, { renderer: 'svg', locale: 'ZH' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current!);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useLayoutEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.resize();
    c.setOption(option(data, at, domain, c.getWidth()));
    if (onLayout) {
      const x: Record<string, number> = {};
      for (const l of data.lanes) for (const g of l.segments) x[`${l.departmentId}|${g.from}`] = Math.round(c.convertToPixel({ xAxisIndex: 0 }, ms(g.from)) as number);
      onLayout({ x });
    }
  }, [data, at, domain, height]); // eslint-disable-line react-hooks/exhaustive-deps

  return <div ref={el} className="timeline-chart" role="img" aria-label={label} style={{ height }} />;
}
