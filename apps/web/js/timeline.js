// The item timeline: one lane per department on the valid-time (effective date) axis, drawn in SVG.
// Re-drawing with another "as known at" moment animates the segments from where they were, so a
// correction visibly moves a boundary.
import { ROLE_ZH, docText, h, s, todayChina } from './dom.js';

const DAY = 86400000;
const dayNo = (d) => Math.floor(Date.parse(`${d}T00:00:00Z`) / DAY);
const dateOf = (n) => new Date(n * DAY).toISOString().slice(0, 10);

/** Width of a label in px at 12px: CJK ≈ 12, Latin ≈ 7. */
const textWidth = (t) => [...t].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e80 ? 12 : 7), 0);
const fit = (t, px) => {
  if (textWidth(t) <= px) return t;
  let out = '';
  for (const c of t) {
    if (textWidth(out + c + '…') > px) break;
    out += c;
  }
  return out ? out + '…' : '';
};

/** Intervals where more than one department leads (职责交叉). */
export function conflicts(lanes) {
  const points = new Set();
  const leads = lanes.flatMap((l) => l.segments.filter((s) => s.role === 'lead').map((s) => ({ from: s.from, to: s.to, dept: l.departmentId })));
  for (const x of leads) {
    points.add(x.from);
    if (x.to) points.add(x.to);
  }
  const sorted = [...points].sort();
  const out = [];
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

export class Timeline {
  constructor() {
    this.el = h('div', { class: 'timeline' });
    this.prev = new Map();
  }

  /** data: the /api/items/{code}/timeline answer; opts.at: a date cursor. */
  draw(data, { at, domain } = {}) {
    const W = Math.max(640, this.el.clientWidth || 960);
    const names = [...data.lanes.map((l) => l.departmentName), '承接下放'];
    const labelW = Math.min(280, Math.max(120, Math.max(...names.map(textWidth)) * 1.1 + 16));
    const x0 = labelW + 10;
    const x1 = W - 20;
    const today = todayChina();
    const all = [
      ...data.catalogue.map((c) => c.from),
      ...data.lanes.flatMap((l) => l.segments.flatMap((g) => [g.from, g.to].filter(Boolean))),
      ...data.delegations.flatMap((g) => [g.from, g.to].filter(Boolean)),
      ...(domain ?? []),
      today,
      ...(at ? [at] : []),
    ];
    const lo = Math.min(...all.map(dayNo)) - 200;
    const hi = Math.max(...all.map(dayNo)) + 400;
    const X = (d) => x0 + ((dayNo(d) - lo) / (hi - lo)) * (x1 - x0);
    const rowH = 34;
    const rows = [
      { kind: 'catalogue', label: '目录', title: '事项在目录中的版本' },
      ...data.lanes.map((l) => ({ kind: 'lane', label: l.departmentName, title: `${l.departmentName}（${l.departmentId}）`, lane: l })),
      ...(data.delegations.length ? [{ kind: 'delegated', label: '已下放', title: '下放至下级区划' }] : []),
      ...(data.received.length ? [{ kind: 'received', label: '承接下放', title: '由上级区划下放' }] : []),
    ];
    const top = 26;
    const H = top + rows.length * rowH + (at ? 52 : 34);
    const svg = s('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${data.itemName} 在 ${data.regionName} 的负责部门时间轴` });
    // conflict bands behind everything
    for (const c of conflicts(data.lanes)) {
      const xa = X(c.from);
      const xb = c.to ? X(c.to) : x1;
      svg.append(s('rect', { class: 'conflict-band', x: xa, y: top - 4, width: Math.max(2, xb - xa), height: rows.length * rowH + 4 }, s('title', {}, `职责交叉：${c.from} 起${c.to ? `至 ${c.to}` : ''}有多个牵头部门`)));
      svg.append(s('text', { class: 'conflict-label', x: xa + 4, y: top - 8 }, '职责交叉'));
    }
    // year ticks
    const y0 = Number(dateOf(lo).slice(0, 4)) + 1;
    const y1 = Number(dateOf(hi).slice(0, 4));
    const step = y1 - y0 > 24 ? 5 : y1 - y0 > 12 ? 2 : 1;
    const axisY = top + rows.length * rowH + 6;
    svg.append(s('line', { class: 'axis', x1: x0, x2: x1, y1: axisY, y2: axisY }));
    for (let y = y0; y <= y1; y++) {
      if (y % step) continue;
      const x = X(`${y}-01-01`);
      svg.append(s('line', { class: 'grid', x1: x, x2: x, y1: top - 4, y2: axisY + 4 }), s('text', { class: 'tick', x, y: axisY + 18, 'text-anchor': 'middle' }, String(y)));
    }
    // rows
    const next = new Map();
    rows.forEach((r, i) => {
      const y = top + i * rowH;
      svg.append(s('rect', { class: `row-bg ${i % 2 ? 'odd' : ''}`, x: 0, y, width: W, height: rowH }));
      svg.append(s('text', { class: `row-label ${r.kind}`, x: 8, y: y + rowH / 2 + 4 }, fit(r.label, labelW - 12), s('title', {}, r.title)));
      const segs =
        r.kind === 'catalogue'
          ? data.catalogue.map((c, j) => ({ from: c.from, to: data.catalogue[j + 1]?.from ?? null, cls: c.retired ? 'cat retired' : 'cat', text: c.retired ? '已取消' : `${c.name}`, tip: `${c.from} 起：${c.retired ? '从目录取消' : `${c.name}（${c.type}）`}，依据 ${docText(c.document)}` }))
          : r.kind === 'lane'
            ? r.lane.segments.map((g) => ({ from: g.from, to: g.to, cls: `seg role-${g.role}`, text: `${ROLE_ZH[g.role]} · ${g.from} 起 · ${g.document.number}`, tip: `${r.lane.departmentName} ${ROLE_ZH[g.role]}：${g.from} 至 ${g.to ?? '今'}，依据 ${docText(g.document)}`, dept: r.lane.departmentId, role: g.role }))
            : r.kind === 'delegated'
              ? data.delegations.map((g) => ({ from: g.from, to: g.to, cls: 'seg delegated', text: `下放至 ${g.regions.join('、')}`, tip: `${g.from} 至 ${g.to ?? '今'} 下放至 ${g.regions.join('、')}` }))
              : data.received.map((g) => ({ from: g.from, to: g.to, cls: 'seg received', text: `承接自 ${g.fromRegion}`, tip: `${g.from} 至 ${g.to ?? '今'} 由 ${g.fromRegion} 下放承接` }));
      segs.forEach((g, j) => {
        const key = `${r.kind}|${r.lane?.departmentId ?? ''}|${j}`;
        const xa = X(g.from);
        const xb = g.to ? X(g.to) : x1;
        const w = Math.max(3, xb - xa - 1);
        const old = this.prev.get(key);
        const rect = s('rect', { x: old ? old.x : xa, y: y + 6, width: old ? old.w : w, height: rowH - 12, rx: 4 });
        const g2 = s(
          'g',
          { class: `${g.cls}${g.to ? '' : ' open'}`, 'data-dept': g.dept, 'data-role': g.role, 'data-from': g.from, 'data-to': g.to ?? '' },
          rect,
          s('title', {}, g.tip),
        );
        const label = fit(g.text, w - 10);
        if (label) g2.append(s('text', { x: xa + 6, y: y + rowH / 2 + 4 }, label));
        if (!g.to) g2.append(s('path', { class: 'arrow', d: `M${x1 - 8},${y + 10} L${x1},${y + rowH / 2} L${x1 - 8},${y + rowH - 10}` }));
        svg.append(g2);
        next.set(key, { x: xa, w });
        if (old && (old.x !== xa || old.w !== w)) {
          requestAnimationFrame(() =>
            requestAnimationFrame(() => {
              rect.setAttribute('x', xa);
              rect.setAttribute('width', w);
            }),
          );
        }
      });
    });
    // today and the date cursor
    const tx = X(today);
    svg.append(s('line', { class: 'today', x1: tx, x2: tx, y1: top - 4, y2: axisY }), s('text', { class: 'today-label', x: tx, y: top - 14, 'text-anchor': 'middle' }, '今天'));
    if (at) {
      const ax = X(at);
      svg.append(s('line', { class: 'cursor', x1: ax, x2: ax, y1: top - 8, y2: axisY + 4 }), s('text', { class: 'cursor-label', x: ax + 4, y: axisY + 30 }, `查看日期 ${at}`));
    }
    this.prev = next;
    this.el.replaceChildren(svg, legend());
  }
}

function legend() {
  return h(
    'p',
    { class: 'legend' },
    h('span', { class: 'key key-lead' }),
    '牵头 ',
    h('span', { class: 'key key-cooperating' }),
    '配合 ',
    h('span', { class: 'key key-delegated' }),
    '下放 ',
    h('span', { class: 'key key-conflict' }),
    '职责交叉 ',
    h('span', { class: 'key key-today' }),
    '今天（右端箭头：至今仍有效）',
  );
}
