// 清单: a region's list on a date, filterable; what changed between two dates; CSV export of the view.
import { api, getToken, qs } from '../api.js';
import { ROLE_ZH, STATUS_SHORT, STATUS_ZH, beijingToIso, clear, csvCell, download, fmtInstant, h, hashLink, isoToBeijing, todayChina } from '../dom.js';
import { dateInput, errorNotice, field, instantInput, notice, regionPicker, statusBadge, table } from '../widgets.js';

const PAGE_SIZE = 50;
const FIELD_ZH = { name: '名称', type: '类型', basis: '依据', code: '编码' };

export default {
  route: 'list',
  title: '清单',
  minRole: 'reader',
  render({ root, params, setParams }) {
    const region = regionPicker({ value: params.region });
    const at = dateInput(params.at || todayChina());
    const known = instantInput(params.asKnownAt ? isoToBeijing(params.asKnownAt) : '');
    const out = h('div', { class: 'result' });
    const form = h(
      'form',
      { class: 'card query', novalidate: true },
      h('div', { class: 'grid' }, field('行政区划', region.el, { required: true }), field('日期', at, { required: true }), field('按某一时刻的登记（可选）', known, { hint: '北京时间；留空＝按现有记录' })),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn-primary' }, '显示清单')),
    );
    root.append(form, out);
    let state = { ...params };

    const load = async () => {
      state = { ...state, region: region.value, at: at.value, asKnownAt: beijingToIso(known.value), page: '1' };
      setParams(state);
      clear(out);
      if (!state.region || !state.at) return out.append(notice('info', '请选择行政区划和日期。'));
      out.append(h('p', { class: 'muted' }, '载入中…'));
      try {
        const list = await api(`/api/regions/${encodeURIComponent(state.region)}/list`, { query: { at: state.at, asKnownAt: state.asKnownAt } });
        clear(out).append(view(list));
      } catch (e) {
        clear(out).append(errorNotice(e));
      }
    };

    const view = (list) => {
      const types = Object.keys(list.counts.byType).sort();
      const depts = new Map();
      for (const i of list.items) for (const o of i.owners) depts.set(o.departmentId, o.departmentName);
      const typeSel = h('select', {}, h('option', { value: '' }, '全部类型'), types.map((t) => h('option', { value: t }, `${t}（${list.counts.byType[t]}）`)));
      const deptSel = h('select', {}, h('option', { value: '' }, '全部部门'), [...depts].sort((a, b) => a[1].localeCompare(b[1], 'zh')).map(([id, n]) => h('option', { value: id }, n)));
      const confSel = h('select', {}, h('option', { value: '' }, '全部'), h('option', { value: 'yes' }, '符合目录'), h('option', { value: 'no' }, '偏离目录'));
      const statusSel = h('select', {}, h('option', { value: '' }, '全部'), ['owned', 'conflict', 'unowned'].map((s) => h('option', { value: s }, STATUS_ZH[s])));
      const text = h('input', { type: 'search', placeholder: '编码或名称' });
      typeSel.value = state.type ?? '';
      deptSel.value = state.dept ?? '';
      confSel.value = state.conf ?? '';
      statusSel.value = state.status ?? '';
      text.value = state.q ?? '';
      const tableBox = h('div', {});
      const pager = h('nav', { class: 'pager', 'aria-label': '分页' });
      let pageNo = Number(state.page) || 1;

      const filtered = () => {
        const q = text.value.trim().toLowerCase();
        return list.items.filter(
          (i) =>
            (!typeSel.value || i.type === typeSel.value) &&
            (!deptSel.value || i.owners.some((o) => o.departmentId === deptSel.value)) &&
            (!confSel.value || (confSel.value === 'yes') === i.conforms) &&
            (!statusSel.value || i.status === statusSel.value) &&
            (!q || i.code.toLowerCase().includes(q) || i.name.toLowerCase().includes(q)),
        );
      };
      const draw = () => {
        const rows = filtered();
        const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
        pageNo = Math.min(Math.max(1, pageNo), pages);
        state = { ...state, type: typeSel.value, dept: deptSel.value, conf: confSel.value, status: statusSel.value, q: text.value.trim(), page: pageNo > 1 ? String(pageNo) : '' };
        setParams(state);
        const slice = rows.slice((pageNo - 1) * PAGE_SIZE, pageNo * PAGE_SIZE);
        clear(tableBox).append(
          table(
            [
              { label: '编码', class: 'mono nowrap', cell: (i) => h('a', { href: hashLink('history', { region: list.region, item: i.code, at: list.at }) }, i.code) },
              { label: '事项名称', class: 'name', cell: (i) => h('span', { title: i.basis.join('\n') }, i.name) },
              { label: '类型', class: 'nowrap', cell: (i) => i.type },
              {
                label: '部门',
                class: 'depts',
                cell: (i) =>
                  i.owners.length
                    ? i.owners.map((o) => h('div', {}, h('a', { href: hashLink('department', { region: list.region, id: o.departmentId, at: list.at }) }, o.departmentName), h('span', { class: 'muted' }, ` ${ROLE_ZH[o.role]} · 自 ${o.since}`)))
                    : h('span', { class: 'muted' }, '—'),
              },
              { label: '状态', class: 'nowrap', cell: (i) => statusBadge(i.status, STATUS_SHORT[i.status]) },
              {
                label: '四级四同',
                class: 'nowrap',
                cell: (i) =>
                  i.conforms
                    ? h('span', { class: 'ok', title: '与目录一致' }, '✓ 一致')
                    : h('details', {}, h('summary', {}, `偏离 ${i.deviations.length} 项`), h('ul', {}, i.deviations.map((d) => h('li', {}, `${FIELD_ZH[d.field] ?? d.field}：目录“${fmtVal(d.catalogue ?? d.catalogueValue)}”，清单“${fmtVal(d.list ?? d.listValue ?? d.published)}”`)))),
              },
            ],
            slice,
            { caption: `${list.regionName} · ${list.at} · 共 ${rows.length} 项（第 ${pageNo}/${pages} 页）`, empty: '没有符合条件的事项', rowAttrs: (i) => ({ 'data-code': i.code }) },
          ),
        );
        clear(pager).append(
          h('button', { type: 'button', class: 'btn-secondary small', disabled: pageNo <= 1, onclick: () => { pageNo--; draw(); } }, '上一页'),
          h('span', {}, ` 第 ${pageNo} / ${pages} 页 `),
          h('button', { type: 'button', class: 'btn-secondary small', disabled: pageNo >= pages, onclick: () => { pageNo++; draw(); } }, '下一页'),
        );
      };
      for (const c of [typeSel, deptSel, confSel, statusSel]) c.addEventListener('change', () => { pageNo = 1; draw(); });
      text.addEventListener('input', () => { pageNo = 1; draw(); });

      const exportCsv = () => {
        const head = ['事项编码', '事项名称', '事项类型', '牵头部门', '配合部门', '自', '依据文号', '状态', '四级四同', '设定依据'];
        const lines = filtered().map((i) => {
          const leads = i.owners.filter((o) => o.role === 'lead');
          const coop = i.owners.filter((o) => o.role !== 'lead');
          return [i.code, i.name, i.type, leads.map((o) => o.departmentName), coop.map((o) => o.departmentName), leads[0]?.since ?? '', leads.map((o) => o.document.number), STATUS_ZH[i.status], i.conforms ? '一致' : i.deviations.map((d) => d.field).join('、'), i.basis].map(csvCell).join(',');
        });
        download(`${list.regionName}权责清单_${list.at}.csv`, '\ufeff' + [head.join(','), ...lines].join('\r\n'));
      };

      // The whole list in force as the server's .xlsx (title row, published-list columns).
      const exportXlsx = async () => {
        const res = await fetch(`/api/regions/${encodeURIComponent(list.region)}/list/export` + qs({ at: list.at, asKnownAt: list.asKnownAt ?? undefined, format: 'xlsx' }), { headers: { Authorization: `Bearer ${getToken()}` } });
        if (!res.ok) return;
        download(`${list.regionName}权责清单_${list.at}.xlsx`, await res.blob(), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      };

      const c = list.counts;
      const summary = h(
        'div',
        { class: 'chips' },
        chip('事项', c.items),
        chip('职责交叉', c.conflict, c.conflict ? 'conflict' : ''),
        chip('无人负责', c.unowned, c.unowned ? 'unowned' : ''),
        chip('偏离目录', c.deviating, c.deviating ? 'warn' : ''),
        types.map((t) => chip(t, c.byType[t])),
      );
      const filters = h(
        'div',
        { class: 'card filters', role: 'search', 'aria-label': '筛选清单' },
        h('div', { class: 'grid' }, field('类型', typeSel), field('部门', deptSel), field('四级四同', confSel), field('状态', statusSel), field('搜索', text)),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', class: 'btn-secondary', onclick: exportCsv }, '导出 CSV（当前筛选）'),
          h('button', { type: 'button', class: 'btn-secondary', onclick: exportXlsx }, '导出 Excel（全部事项）'),
        ),
      );
      draw();
      return h('div', {}, h('h2', {}, `${list.regionName}（${list.region}）${list.at} 施行的权责清单`), list.asKnownAt ? h('p', { class: 'muted' }, `按 ${fmtInstant(list.asKnownAt, { ms: true })} 时的登记`) : null, summary, filters, tableBox, pager, diffBox(list));
    };

    const diffBox = (list) => {
      const from = dateInput(state.from || shiftYear(list.at, -1));
      const to = dateInput(state.to || list.at);
      const res = h('div', { 'aria-live': 'polite' });
      const f = h(
        'form',
        { class: 'card', novalidate: true },
        h('h2', {}, '两个日期之间的变化'),
        h('div', { class: 'grid' }, field('自', from), field('至', to)),
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn-primary' }, '比较')),
        res,
      );
      const run = async () => {
        state = { ...state, from: from.value, to: to.value };
        setParams(state);
        clear(res).append(h('p', { class: 'muted' }, '比较中…'));
        try {
          const d = await api(`/api/regions/${encodeURIComponent(list.region)}/list/diff`, { query: { from: from.value, to: to.value, asKnownAt: state.asKnownAt } });
          clear(res).append(diffView(d, list.region));
        } catch (e) {
          clear(res).append(errorNotice(e));
        }
      };
      f.addEventListener('submit', (e) => {
        e.preventDefault();
        run();
      });
      if (state.from && state.to) run();
      return f;
    };

    form.addEventListener('submit', (e) => {
      e.preventDefault();
      load();
    });
    if (params.region) {
      const keep = { ...params };
      state = keep;
      load().then(() => {});
    }
  },
};

const chip = (label, n, kind = '') => h('span', { class: `chip ${kind ? 'chip-' + kind : ''}` }, label, h('strong', {}, String(n)));
const fmtVal = (v) => (Array.isArray(v) ? v.join('；') : v ?? '—');
function shiftYear(date, n) {
  const y = Number(date.slice(0, 4)) + n;
  const md = date.slice(4) === '-02-29' ? '-02-28' : date.slice(4);
  return `${y}${md}`;
}

function diffView(d, region) {
  const link = (code) => h('a', { href: hashLink('history', { region, item: code }) }, code);
  const total = d.added.length + d.removed.length + d.transferred.length + d.revised.length;
  if (!total) return notice('info', `${d.from} 至 ${d.to} 之间清单没有变化。`);
  return h(
    'div',
    { class: 'diff' },
    d.added.length ? table([{ label: '编码', cell: (x) => link(x.code) }, { label: '名称', cell: (x) => x.name }, { label: '部门', cell: (x) => x.owners.join('、') || '—' }], d.added, { caption: `新增 ${d.added.length} 项` }) : null,
    d.removed.length ? table([{ label: '编码', cell: (x) => link(x.code) }, { label: '名称', cell: (x) => x.name }, { label: '原部门', cell: (x) => x.owners.join('、') || '—' }], d.removed, { caption: `移出 ${d.removed.length} 项` }) : null,
    d.transferred.length ? table([{ label: '编码', cell: (x) => link(x.code) }, { label: '名称', cell: (x) => x.name }, { label: '原部门', cell: (x) => x.from.join('、') || '—' }, { label: '现部门', cell: (x) => x.to.join('、') || '—' }], d.transferred, { caption: `划转 ${d.transferred.length} 项` }) : null,
    d.revised.length ? table([{ label: '编码', cell: (x) => link(x.code) }, { label: '名称', cell: (x) => x.name }, { label: '变更要素', cell: (x) => x.fields.map((f) => `${f}：${fmtVal(x.before[f])} → ${fmtVal(x.after[f])}`).join('\n') }], d.revised, { caption: `要素变更 ${d.revised.length} 项` }) : null,
  );
}
