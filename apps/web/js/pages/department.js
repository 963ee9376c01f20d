// 部门: a department on a date — its 三定 in force (duties, internal organs, staffing), the items it holds, its versions.
import { api } from '../api.js';
import { DEPT_STATUS_ZH, ROLE_ZH, beijingToIso, clear, docText, fmtInstant, h, hashLink, isoToBeijing, todayChina } from '../dom.js';
import { dateInput, departmentSelect, errorNotice, field, instantInput, notice, regionPicker, table } from '../widgets.js';

export default {
  route: 'department',
  title: '部门',
  minRole: 'reader',
  render({ root, params, setParams, can }) {
    const dept = departmentSelect({ value: params.id });
    const at = dateInput(params.at || todayChina());
    const region = regionPicker({ value: params.region, onChange: (code) => dept.load(code, at.value || todayChina()) });
    const known = instantInput(params.asKnownAt ? isoToBeijing(params.asKnownAt) : '');
    const out = h('div', { class: 'result' });
    const form = h(
      'form',
      { class: 'card query', novalidate: true },
      h('div', { class: 'grid' }, field('行政区划', region.el, { required: true }), field('部门', dept.el, { required: true }), field('日期', at, { required: true }), field('按某一时刻的登记（可选）', known, { hint: '北京时间' })),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn-primary' }, '查看')),
    );
    root.append(form, out);

    const load = async () => {
      const q = { region: region.value, id: dept.value, at: at.value, asKnownAt: beijingToIso(known.value) };
      setParams(q);
      clear(out);
      if (!q.id || !q.at) return out.append(notice('info', '请选择区划和部门。'));
      out.append(h('p', { class: 'muted' }, '载入中…'));
      try {
        const d = await api(`/api/departments/${encodeURIComponent(q.id)}`, { query: { at: q.at, asKnownAt: q.asKnownAt } });
        clear(out).append(view(d, q, can, (date) => { at.value = date; load(); }));
      } catch (e) {
        clear(out).append(errorNotice(e));
      }
    };
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      load();
    });
    if (params.id) load();
  },
};

function view(d, q, can, goto) {
  const s = d.sanding;
  const dutyText = new Map();
  if (s) {
    for (const x of s.duties) dutyText.set(x.id, x.text);
    for (const o of s.internalOrgans) for (const x of o.duties) dutyText.set(x.id, `${o.name}：${x.text}`);
  }
  return h(
    'div',
    { class: 'dept' },
    h('h2', {}, d.name, ' ', h('span', { class: `badge badge-${d.status === 'active' ? 'owned' : 'conflict'}` }, DEPT_STATUS_ZH[d.status] ?? d.status)),
    h(
      'p',
      { class: 'muted' },
      `${d.regionName}（${d.regionCode}）· 部门 id ${d.id} · 设立于 ${d.establishedOn}`,
      d.abolishedOn ? ` · 撤销于 ${d.abolishedOn}` : '',
      d.successorId ? ` · 承继部门 ` : '',
      d.successorId ? h('a', { href: hashLink('department', { region: d.regionCode, id: d.successorId, at: q.at }) }, d.successorId) : null,
      ` · ${d.at}${d.asKnownAt ? ` · 按 ${fmtInstant(d.asKnownAt)} 时的登记` : ''}`,
    ),
    h(
      'section',
      { class: 'card' },
      h('h3', {}, '“三定”规定（当日施行）'),
      s
        ? [
            h('p', { class: 'muted' }, `自 ${s.from} 起施行，依据 ${docText(s.document)}`),
            h('dl', { class: 'staffing' }, h('dt', {}, '核定编制'), h('dd', {}, `${s.staffing.authorized} 名`), h('dt', {}, '领导职数'), h('dd', {}, `${s.staffing.leaders} 名`)),
            h('h4', {}, `主要职责（${s.duties.length} 条）`),
            h('ol', { class: 'duties' }, s.duties.map((x) => h('li', { 'data-duty': x.id }, h('span', { class: 'duty-id' }, x.id), x.text))),
            h('h4', {}, `内设机构（${s.internalOrgans.length} 个）`),
            s.internalOrgans.length
              ? h('ul', { class: 'organs' }, s.internalOrgans.map((o) => h('li', {}, h('strong', {}, o.name), h('span', { class: 'muted' }, ` ${o.id}`), o.duties.length ? h('ol', { class: 'duties' }, o.duties.map((x) => h('li', {}, h('span', { class: 'duty-id' }, x.id), x.text))) : null)))
              : h('p', { class: 'muted' }, '（无）'),
          ]
        : notice('warn', `${d.at} 没有施行中的“三定”规定。`),
      can('editor') ? h('p', { class: 'links' }, h('a', { href: hashLink('edit', { cmd: 'issueSanding', region: d.regionCode, id: d.id }) }, '录入新一版三定')) : null,
    ),
    table(
      [
        { label: '事项', cell: (i) => h('a', { href: hashLink('history', { region: i.regionCode, item: i.itemCode, at: d.at }) }, `${i.itemName}（${i.itemCode}）`) },
        { label: '类型', cell: (i) => i.type },
        { label: '角色', cell: (i) => ROLE_ZH[i.role] ?? i.role },
        { label: '区划', cell: (i) => i.regionCode },
        { label: '自', cell: (i) => i.since },
        { label: '依据', cell: (i) => i.document.number },
        { label: '三定职责', cell: (i) => (i.dutyIds?.length ? i.dutyIds.map((id) => h('div', { title: dutyText.get(id) ?? '' }, id, dutyText.has(id) ? '' : h('span', { class: 'badge badge-unowned' }, '不在现行三定中'))) : h('span', { class: 'muted' }, '未注明')) },
      ],
      d.items,
      { caption: `当日承担的事项（${d.items.length} 项）`, empty: '当日不承担任何事项' },
    ),
    h(
      'section',
      { class: 'card versions' },
      h('h3', {}, '历次版本'),
      h('h4', {}, '名称'),
      h('ol', {}, d.names.map((n) => h('li', {}, `${n.from} 起：${n.name} `, h('button', { type: 'button', class: 'btn-link', onclick: () => goto(n.from) }, '查看该日')))),
      h('h4', {}, '“三定”版本'),
      d.sandingVersions.length
        ? h('ol', {}, d.sandingVersions.map((v) => h('li', { class: s && v.from === s.from ? 'current' : '' }, `${v.from} 起施行，依据 ${docText(v.document)} `, s && v.from === s.from ? h('span', { class: 'badge badge-owned' }, '当日施行') : h('button', { type: 'button', class: 'btn-link', onclick: () => goto(v.from) }, '查看该版'))))
        : h('p', { class: 'muted' }, '尚未登记“三定”。'),
    ),
  );
}
