// 谁负责: who owned an item in a region on a date, as known now or as known at an earlier instant.
import { api } from '../api.js';
import { ROLE_ZH, STATUS_ZH, beijingToIso, clear, docText, fmtInstant, h, hashLink, isoToBeijing, todayChina } from '../dom.js';
import { dateInput, errorNotice, field, instantInput, itemPicker, notice, regionPicker, statusBadge, table } from '../widgets.js';

export default {
  route: 'owner',
  title: '谁负责',
  minRole: 'reader',
  render({ root, params, setParams, can }) {
    const region = regionPicker({ value: params.region });
    const item = itemPicker({ value: params.item });
    const at = dateInput(params.at || todayChina(), { name: 'at' });
    const known = instantInput(params.asKnownAt ? isoToBeijing(params.asKnownAt) : '', { name: 'asKnownAt' });
    const out = h('div', { class: 'result', 'aria-live': 'polite' });
    const form = h(
      'form',
      { class: 'card query', novalidate: true },
      h('p', { class: 'lead' }, '选择行政区划和事项，给出日期，即可查到当日由哪个部门负责、依据哪份文件。'),
      h(
        'div',
        { class: 'grid' },
        field('行政区划', region.el, { name: 'region', hint: '可搜索名称或代码，也可展开区划树（省→市→县→乡）', required: true }),
        field('事项', item.el, { name: 'item', hint: '输入事项编码或名称中的几个字', required: true }),
        field('日期', at, { name: 'at', hint: '法律效力上的日期（生效日期轴）', required: true }),
        field('按某一时刻的登记（可选）', known, { name: 'asKnownAt', hint: '北京时间。留空＝按现有记录（含所有更正）；填入则只看该时刻以前登记的内容' }),
      ),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn-primary' }, '查询'), h('button', { type: 'button', class: 'btn-secondary', onclick: () => (known.value = '') }, '清除登记时刻')),
    );
    root.append(form, out);

    const run = async () => {
      const q = { region: region.value, item: item.value, at: at.value, asKnownAt: beijingToIso(known.value) };
      setParams(q);
      clear(out);
      if (!q.region || !q.item || !q.at) {
        out.append(notice('info', '请选择行政区划、事项和日期。'));
        return;
      }
      out.append(h('p', { class: 'muted' }, '查询中…'));
      try {
        const r = await api('/api/ownership', { query: q });
        clear(out).append(answer(r, q, can));
      } catch (e) {
        clear(out).append(errorNotice(e));
      }
    };
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      run();
    });
    if (params.region && params.item) run();
  },
};

function answer(r, q, can) {
  const basis = r.asKnownAt ? `按 ${fmtInstant(r.asKnownAt, { ms: true })}（北京时间）时的登记` : '按现有记录（含其后所有更正）';
  const leads = r.owners.filter((o) => o.role === 'lead');
  return h(
    'article',
    { class: `card answer status-${r.status}`, 'data-status': r.status },
    h('h2', {}, `${r.itemName}（${r.item}）`),
    h('p', { class: 'muted' }, `${r.regionName}（${r.region}）· ${r.at} · ${basis}`),
    h(
      'p',
      { class: 'verdict' },
      statusBadge(r.status, STATUS_ZH[r.status] ?? r.status),
      leads.length === 1 ? h('span', { class: 'owner-name' }, leads[0].departmentName) : null,
      leads.length === 1 ? h('span', { class: 'muted' }, ` 自 ${leads[0].since} 起负责，依据 ${leads[0].document.number}`) : null,
    ),
    r.recorded === false ? notice('info', '在所选登记时刻，登记簿中还没有这个区划或事项的任何记录。') : null,
    r.delegatedTo?.length ? notice('info', `该事项已下放至下级区划：${r.delegatedTo.join('、')}。`, ...r.delegatedTo.map((c) => h('a', { href: hashLink('owner', { ...q, region: c }), class: 'inline-link' }, ` 查看 ${c}`))) : null,
    r.receivedFrom ? notice('info', `该事项由上级区划 ${r.receivedFrom} 下放承接。`) : null,
    r.owners.length
      ? table(
          [
            { label: '部门', cell: (o) => h('a', { href: hashLink('department', { region: r.region, id: o.departmentId, at: r.at, asKnownAt: r.asKnownAt }) }, o.departmentName) },
            { label: '角色', cell: (o) => ROLE_ZH[o.role] ?? o.role },
            { label: '自', cell: (o) => o.since },
            { label: '依据文件（文号）', cell: (o) => docText(o.document) },
            { label: '备注', cell: (o) => (o.departmentActive === false ? h('span', { class: 'badge badge-conflict' }, '该日部门已撤销或尚未设立') : '') },
          ],
          r.owners,
          { caption: '负责部门' },
        )
      : null,
    h(
      'p',
      { class: 'links' },
      h('a', { href: hashLink('history', { region: r.region, item: r.item, at: r.at }) }, '事项历史（时间轴）'),
      can('reviewer') ? h('a', { href: hashLink('report', { region: r.region, item: r.item, at: r.at }) }, '争议报告') : null,
      h('a', { href: hashLink('list', { region: r.region, at: r.at }) }, '本级清单'),
      can('editor') && leads.length ? h('a', { href: hashLink('edit', { cmd: 'transfer', region: r.region, item: r.item, from: leads[0].departmentId }) }, '录入划转') : null,
      can('editor') && !r.owners.length ? h('a', { href: hashLink('edit', { cmd: 'assign', region: r.region, item: r.item }) }, '录入认领') : null,
    ),
  );
}
