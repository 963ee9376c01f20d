// 发现: counts by kind for a region and date (conflicts, similar duties, multi-level duplication, gaps,
// 四级四同 deviations) and the findings ledger, whose status editors set (待派发 / 核查中 / 已销号).
import { api } from '../api.js';
import { ROLE_ZH, clear, docText, fmtInstant, h, hashLink, todayChina } from '../dom.js';
import { dateInput, errorMessage, errorNotice, field, notice, regionPicker, setFieldError, table } from '../widgets.js';

const KIND_ZH = {
  conflict: '职责交叉',
  similar: '相似职责/事项',
  'multi-level': '多层重复执法',
  gap: '职责缺位',
  unowned: '无人负责',
  'abolished-holder': '撤销部门仍持有事项',
  'abolished-department': '撤销部门仍持有事项',
  'no-duty': '无三定职责依据',
  'no-sanding': '部门无三定',
  conformance: '四级四同偏差',
  deviation: '四级四同偏差',
  'duty-missing': '职责缺失',
  'duty-deviation': '职责偏离',
  'unapproved-duty': '新增职责未核定',
};
const STATUSES = ['待派发', '核查中', '已销号'];
const kindZh = (k) => KIND_ZH[k] ?? k;

/** How many findings an answer holds: an array, or an object of arrays. */
function count(r) {
  if (Array.isArray(r)) return { total: r.length, parts: {} };
  if (r && typeof r === 'object') {
    const src = Array.isArray(r.items) ? { items: r.items } : Array.isArray(r.findings) ? { findings: r.findings } : r;
    const parts = {};
    for (const [k, v] of Object.entries(src)) if (Array.isArray(v)) parts[k] = v.length;
    return { total: Object.values(parts).reduce((a, b) => a + b, 0), parts };
  }
  return { total: 0, parts: {} };
}
const rowsOf = (r) => (Array.isArray(r) ? r : Array.isArray(r?.items) ? r.items : Array.isArray(r?.findings) ? r.findings : []);

export default {
  route: 'findings',
  title: '发现',
  minRole: 'reader',
  render({ root, params, setParams, can }) {
    const region = regionPicker({ value: params.region });
    const at = dateInput(params.at || todayChina());
    const status = h('select', {}, h('option', { value: '' }, '全部状态'), STATUSES.map((s) => h('option', { value: s }, s)));
    status.value = params.status ?? '';
    const out = h('div', { class: 'result' });
    const form = h(
      'form',
      { class: 'card query', novalidate: true },
      h('p', { class: 'lead' }, '职责交叉、相似职责、多层重复执法、职责缺位、四级四同偏差，以及发现台账的处理状态。'),
      h('div', { class: 'grid' }, field('行政区划', region.el, { required: true }), field('日期', at, { required: true }), field('台账状态', status)),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn-primary' }, '查看')),
    );
    root.append(form, out);

    const load = async () => {
      const q = { region: region.value, at: at.value, status: status.value };
      setParams(q);
      clear(out);
      if (!q.region || !q.at) return out.append(notice('info', '请选择行政区划和日期。'));
      out.append(h('p', { class: 'muted' }, '载入中…'));
      const get = (path, query) => api(path, { query }).then((v) => ({ ok: true, v }), (e) => ({ ok: false, e }));
      const [overlaps, gaps, conformance, ledger] = await Promise.all([
        get('/api/overlaps', { region: q.region, at: q.at }),
        get('/api/gaps', { region: q.region, at: q.at }),
        get('/api/conformance', { region: q.region, at: q.at }),
        get('/api/findings', { region: q.region, at: q.at, status: q.status }),
      ]);
      clear(out);
      const all = [overlaps, gaps, conformance, ledger];
      if (all.every((x) => !x.ok && x.e.notEnabled)) {
        out.append(notice('info', h('strong', {}, '功能尚未启用'), '：服务器还没有提供“发现”接口（/api/overlaps、/api/gaps、/api/conformance、/api/findings 返回 404）。上线后本页自动显示。'));
        return;
      }
      // counts by kind
      const counts = new Map();
      const add = (k, n) => counts.set(k, (counts.get(k) ?? 0) + n);
      if (ledger.ok && ledger.v?.counts?.byKind) {
        for (const [k, n] of Object.entries(ledger.v.counts.byKind)) add(k, n);
      } else {
        if (overlaps.ok) for (const o of rowsOf(overlaps.v)) add(o.kind ?? 'overlap', 1);
        if (gaps.ok) for (const [k, n] of Object.entries(count(gaps.v).parts)) add(k === 'items' || k === 'findings' ? 'gap' : k, n);
        if (conformance.ok) add('conformance', count(conformance.v).total);
      }
      const max = Math.max(1, ...counts.values());
      out.append(
        h(
          'section',
          { class: 'card' },
          h('h2', {}, `${q.at} 的发现（按类别）`),
          counts.size
            ? h('ul', { class: 'bars' }, [...counts].map(([k, n]) => h('li', {}, h('span', { class: 'bar-label' }, kindZh(k)), h('span', { class: 'bar', style: `width:${(n / max) * 100}%` }), h('strong', {}, String(n)))))
            : h('p', { class: 'muted' }, '没有发现。'),
          [overlaps, gaps, conformance].some((x) => !x.ok) ? h('p', { class: 'muted' }, '部分接口不可用：', [['职责交叉/相似', overlaps], ['缺位', gaps], ['四级四同', conformance]].filter(([, x]) => !x.ok).map(([n, x]) => `${n}（${x.e.notEnabled ? '功能尚未启用' : errorMessage(x.e)}）`).join('；')) : null,
        ),
      );
      if (conformance.ok && rowsOf(conformance.v).length) out.append(conformanceTable(rowsOf(conformance.v), q));
      // the ledger
      const box = h('section', { class: 'card' }, h('h2', {}, '发现台账'));
      out.append(box);
      if (!ledger.ok) return box.append(errorNotice(ledger.e));
      const rows = rowsOf(ledger.v);
      const by = ledger.v?.counts?.byStatus;
      if (by) box.append(h('div', { class: 'chips' }, Object.entries(by).map(([k, n]) => h('span', { class: 'chip' }, k, h('strong', {}, String(n))))));
      const kinds = [...new Set(rows.map((f) => f.kind))];
      const kindSel = h('select', {}, h('option', { value: '' }, '全部类别'), kinds.map((k) => h('option', { value: k }, kindZh(k))));
      const list = h('ol', { class: 'ledger' });
      let shown = 50;
      const more = h('button', { type: 'button', class: 'btn-secondary small', onclick: () => { shown += 50; draw(); } }, '显示更多');
      const draw = () => {
        const pick = rows.filter((f) => !kindSel.value || f.kind === kindSel.value);
        clear(list).append(...pick.slice(0, shown).map((f) => findingItem(f, can, load, q.region)));
        more.hidden = pick.length <= shown;
        if (!pick.length) list.append(h('li', { class: 'muted' }, '台账中没有符合条件的发现。'));
      };
      kindSel.addEventListener('change', () => { shown = 50; draw(); });
      const kindField = field('类别', kindSel);
      kindField.classList.add('narrow-field');
      box.append(rows.length > 1 ? kindField : null, list, more);
      draw();
    };
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      load();
    });
    if (params.region) load();
  },
};

function conformanceTable(rows, q) {
  const code = (r) => r.item?.itemCode ?? r.itemCode ?? r.code;
  const name = (r) => r.item?.itemName ?? r.itemName ?? r.name ?? '';
  const devs = (r) => (Array.isArray(r.deviations) ? r.deviations : [r]);
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, '四级四同偏差'),
    table(
      [
        { label: '事项', cell: (r) => (code(r) ? h('a', { href: hashLink('history', { region: q.region, item: code(r) }) }, `${name(r)}（${code(r)}）`) : '—') },
        { label: '要素', cell: (r) => devs(r).map((d) => h('div', {}, fieldZh(d.field))) },
        { label: '目录', cell: (r) => devs(r).map((d) => h('div', {}, val(d.catalogue ?? d.catalogueValue))) },
        { label: '清单', cell: (r) => devs(r).map((d) => h('div', {}, val(d.list ?? d.listValue))) },
      ],
      rows.slice(0, 200),
      { caption: rows.length > 200 ? `前 200 条（共 ${rows.length} 条）` : `共 ${rows.length} 条` },
    ),
  );
}
const fieldZh = (f) => ({ name: '名称', type: '类型', basis: '依据', code: '编码' })[f] ?? f;
const val = (v) => (Array.isArray(v) ? v.flat().join('；') : v ?? '—');

/** One finding: what it is, its dates and status, and why (both texts, score, settled by). */
function findingItem(f, can, reload, region) {
  const id = f.id ?? f.findingId;
  const texts = [f.a, f.b, f.left, f.right, ...(Array.isArray(f.texts) ? f.texts : [])].filter((x) => x && typeof x === 'object');
  const shown = new Set(['id', 'findingId', 'kind', 'status', 'title', 'region', 'regions', 'a', 'b', 'left', 'right', 'texts', 'score', 'settledBy', 'from', 'to', 'since', 'until', 'holds', 'history', 'statusHistory', 'item', 'leads', 'department', 'itemCodes', 'items', 'subject', 'deviations']);
  const rest = Object.entries(f).filter(([k, v]) => !shown.has(k) && v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && !v.length));
  const history = f.history ?? f.statusHistory;
  const itemLink = (code, name) => h('a', { href: hashLink('history', { region: f.region ?? region, item: code }) }, `${name ?? ''}（${code}）`);
  const deptLink = (d) => h('a', { href: hashLink('department', { region: f.region ?? region, id: d.departmentId }) }, d.departmentName ?? d.departmentId);
  const holds = Array.isArray(f.holds) ? f.holds.map((x) => `${x.from} 起${x.until ? `至 ${x.until}` : ''}`).join('；') : [f.from ?? f.since, f.to ?? f.until].filter(Boolean).join(' 至 ');
  const li = h(
    'li',
    { class: `finding kind-${f.kind}`, 'data-finding': id },
    h('div', { class: 'finding-head' }, h('span', { class: 'badge badge-conflict' }, kindZh(f.kind)), h('span', { class: `badge status-badge` }, f.status ?? '待派发'), h('span', { class: 'muted' }, holds)),
    f.title ? h('p', { class: 'finding-title' }, f.title) : null,
    h(
      'details',
      {},
      h('summary', {}, '说明'),
      f.item?.itemCode ? h('p', {}, '事项：', itemLink(f.item.itemCode, f.item.itemName), f.item.type ? ` · ${f.item.type}` : '') : null,
      Array.isArray(f.leads) && f.leads.length ? h('ul', {}, f.leads.map((l) => h('li', {}, deptLink(l), ` ${ROLE_ZH[l.role] ?? '牵头'}，自 ${l.since}，依据 ${docText(l.document)}`))) : null,
      f.department?.departmentId ? h('p', {}, '部门：', deptLink(f.department)) : null,
      Array.isArray(f.itemCodes) && f.itemCodes.length ? h('p', { class: 'muted' }, `涉及事项 ${f.itemCodes.length} 项：`, f.itemCodes.slice(0, 20).map((c, i) => [i ? '、' : '', itemLink(c, '')])) : null,
      texts.length
        ? h(
            'div',
            { class: 'pair' },
            texts.map((t) =>
              h(
                'blockquote',
                {},
                h('p', { class: 'muted' }, t.departmentId ? deptLink(t) : null, ` · ${t.kind === 'duty' ? '三定职责' : t.kind === 'item' ? '事项' : t.kind ?? ''} ${t.dutyId ?? t.itemCode ?? t.id ?? ''}`),
                t.text ?? t.itemName ?? t.name ?? JSON.stringify(t),
              ),
            ),
          )
        : null,
      f.score !== undefined ? h('p', {}, `相似度 ${typeof f.score === 'number' ? f.score.toFixed(3) : f.score}`) : null,
      f.settledBy ? h('p', { class: 'ok' }, '已由职责分工条款解决：', typeof f.settledBy === 'object' ? [f.settledBy.matter, f.settledBy.clauseId, f.settledBy.effectiveFrom && `自 ${f.settledBy.effectiveFrom}`, f.settledBy.document?.number].filter(Boolean).join(' · ') : String(f.settledBy)) : null,
      Array.isArray(f.deviations) && f.deviations.length ? h('ul', {}, f.deviations.map((d) => h('li', {}, `${fieldZh(d.field)}：目录“${val(d.catalogue)}”，清单“${val(d.list)}”`))) : null,
      rest.length ? h('dl', { class: 'kv' }, rest.map(([k, v]) => [h('dt', {}, k), h('dd', {}, typeof v === 'object' ? JSON.stringify(v) : String(v))])) : null,
      Array.isArray(history) && history.length
        ? h('ol', { class: 'status-history' }, history.map((s) => h('li', {}, `${fmtInstant(s.recordedAt)} ${s.from ? `${s.from} → ` : ''}${s.status}${s.note ? `：${s.note}` : ''}${s.document?.number ? `（${s.document.number}）` : ''}${s.actor ? ` · ${s.actor}` : ''}`)))
        : null,
    ),
  );
  if (can('editor') && id) li.append(statusForm(id, f.status, reload));
  return li;
}

function statusForm(id, current, reload) {
  const sel = h('select', { name: 'status' }, STATUSES.map((s) => h('option', { value: s }, s)));
  sel.value = STATUSES.includes(current) ? current : STATUSES[0];
  const note = h('input', { type: 'text', name: 'note', placeholder: '处理说明' });
  const docNo = h('input', { type: 'text', name: 'document.number', placeholder: '可选' });
  const fs = field('状态', sel, { name: 'status' });
  const fn = field('说明', note, { name: 'note' });
  const fd = field('文号', docNo, { name: 'document.number' });
  const msg = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'status-form', novalidate: true, 'aria-label': `处理 ${id}` }, fs, fn, fd, h('button', { type: 'submit', class: 'btn-primary small' }, '更新状态'), msg);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    setFieldError(fs, []);
    setFieldError(fn, []);
    setFieldError(fd, []);
    clear(msg);
    try {
      const body = { status: sel.value, ...(note.value.trim() ? { note: note.value.trim() } : {}), ...(docNo.value.trim() ? { document: { number: docNo.value.trim() } } : {}) };
      await api(`/api/findings/${encodeURIComponent(id)}/status`, { method: 'POST', body });
      msg.append(h('span', { class: 'ok' }, '已更新'));
      setTimeout(reload, 400);
    } catch (err) {
      for (const f of err.fields ?? []) setFieldError(f.field === 'note' ? fn : f.field.startsWith('document') ? fd : fs, f.errors);
      msg.append(errorNotice(err));
    }
  });
  return form;
}
