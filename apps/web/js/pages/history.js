// 事项历史: the item's timeline (one lane per department on the effective-date axis), replayable
// "as known at" every recorded moment, and every event in recorded order with its retractions.
import { api } from '../api.js';
import { EVENT_ZH, ROLE_ZH, append, clear, docText, fmtInstant, h, hashLink } from '../dom.js';
import { Timeline } from '../timeline.js';
import { dateInput, errorNotice, field, itemPicker, notice, regionPicker, table } from '../widgets.js';

export default {
  route: 'history',
  title: '事项历史',
  minRole: 'reader',
  render({ root, params, setParams, can }) {
    const region = regionPicker({ value: params.region });
    const item = itemPicker({ value: params.item });
    const at = dateInput(params.at || '');
    const out = h('div', { class: 'result' });
    const form = h(
      'form',
      { class: 'card query', novalidate: true },
      h('div', { class: 'grid' }, field('行政区划', region.el, { required: true }), field('事项', item.el, { required: true }), field('查看日期（可选）', at, { hint: '在时间轴上标出这一天' })),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn-primary' }, '显示历史')),
    );
    root.append(form, out);
    let state = { ...params };

    const load = async () => {
      state = { ...state, region: region.value, item: item.value, at: at.value };
      setParams(state);
      clear(out);
      if (!state.region || !state.item) return out.append(notice('info', '请选择行政区划和事项。'));
      out.append(h('p', { class: 'muted' }, '载入中…'));
      try {
        const [hist, depts] = await Promise.all([
          api(`/api/items/${encodeURIComponent(state.item)}/history`, { query: { region: state.region } }),
          api(`/api/regions/${encodeURIComponent(state.region)}/departments`, { query: { limit: 200 } }).catch(() => ({ items: [] })),
        ]);
        const names = new Map(depts.items.map((d) => [d.id, d.name]));
        clear(out).append(await view(hist, names));
      } catch (e) {
        clear(out).append(errorNotice(e));
      }
    };

    const view = async (hist, names) => {
      const moments = [...new Set(hist.events.map((e) => e.recordedAt))].sort();
      const domain = hist.events.flatMap((e) => (e.effectiveFrom ? [e.effectiveFrom] : []));
      const tl = new Timeline();
      const slider = h('input', { type: 'range', min: '0', max: String(moments.length), step: '1', value: String(moments.length), id: 'replay', 'aria-describedby': 'replay-now' });
      const nowText = h('p', { id: 'replay-now', class: 'replay-now', 'aria-live': 'polite' });
      const events = h('ol', { class: 'events' });
      const cursorText = h('p', { class: 'cursor-text', 'aria-live': 'polite' });
      const title = h('h2', {}, '');
      let idx = moments.length;
      if (state.asKnownAt) {
        const i = moments.findIndex((m) => m === state.asKnownAt);
        if (i >= 0) idx = i;
      }
      slider.value = String(idx);

      const nameOf = (id) => names.get(id) ?? id;
      const drawEvents = (T) => {
        clear(events);
        for (const e of hist.events) {
          const future = T && e.recordedAt > T;
          const retracted = e.retractedBy && (!T || e.retractedBy.recordedAt <= T);
          const body = h(
            'div',
            { class: 'ev-body' },
            h('span', { class: 'ev-type' }, EVENT_ZH[e.type] ?? e.type),
            h('span', { class: 'ev-what' }, describe(e, nameOf)),
            e.effectiveFrom ? h('span', { class: 'ev-eff' }, `生效 ${e.effectiveFrom}`) : null,
            e.document ? h('span', { class: 'ev-doc' }, `文号 ${docText(e.document)}`) : null,
            e.reason ? h('span', { class: 'ev-reason' }, `理由：${e.reason}`) : null,
          );
          const li = h(
            'li',
            { class: `ev${retracted ? ' retracted' : ''}${future ? ' future' : ''}${e.type === 'EventRetracted' ? ' retraction' : ''}`, id: `ev-${e.eventId}`, 'data-event-id': e.eventId, 'data-type': e.type, tabindex: '-1' },
            h('time', { datetime: e.recordedAt, title: e.recordedAt }, `登记 ${fmtInstant(e.recordedAt, { ms: true })}`),
            retracted ? h('del', {}, body) : body,
            e.actor ? h('span', { class: 'ev-actor' }, `登记人 ${e.actor}`) : null,
            future ? h('span', { class: 'badge badge-muted' }, '该时刻尚未登记') : null,
            retracted
              ? h(
                  'p',
                  { class: 'ev-retracted-by' },
                  `已于 ${fmtInstant(e.retractedBy.recordedAt, { ms: true })} 撤回：${e.retractedBy.reason}，依据 ${docText(e.retractedBy.document)}`,
                  e.retractedBy.actor ? `（${e.retractedBy.actor}）` : '',
                  ' ',
                  jump(e.retractedBy.eventId, '查看撤回记录'),
                )
              : null,
            e.type === 'EventRetracted' && e.data?.eventId ? h('p', { class: 'ev-retracts' }, '被撤回的事件：', jump(e.data.eventId, '跳转')) : null,
            can('editor') && !e.retractedBy && e.type !== 'EventRetracted' && !future ? h('a', { class: 'ev-action', href: hashLink('edit', { cmd: 'retract', eventId: e.eventId }) }, '撤回此事件（更正）') : null,
          );
          events.append(li);
        }
      };
      const jump = (id, text) =>
        h('button', { type: 'button', class: 'btn-link', onclick: () => { const el = document.getElementById(`ev-${id}`); el?.scrollIntoView({ block: 'center' }); el?.focus(); } }, text);

      const show = async () => {
        idx = Number(slider.value);
        const T = idx < moments.length ? moments[idx] : '';
        state = { ...state, asKnownAt: T };
        setParams(state);
        const atMoment = T ? hist.events.filter((e) => e.recordedAt === T) : [];
        append(clear(nowText), [
          T
            ? [h('strong', {}, `按 ${fmtInstant(T, { ms: true })}（北京时间）时的登记`), `：第 ${idx + 1}/${moments.length} 次登记。此刻登记了 `, atMoment.map((e) => `${EVENT_ZH[e.type] ?? e.type}${e.effectiveFrom ? `（生效 ${e.effectiveFrom}）` : ''}`).join('、'), '。']
            : [h('strong', {}, '按现有记录'), `（含全部 ${moments.length} 次登记及其后的所有更正）。`],
        ]);
        slider.setAttribute('aria-valuetext', T ? `登记时刻 ${fmtInstant(T)}` : '现在');
        try {
          const data = await api(`/api/items/${encodeURIComponent(hist.item)}/timeline`, { query: { region: state.region, asKnownAt: T } });
          clear(title).append(`${data.itemName}（${data.item}）· ${data.regionName}`);
          tl.draw(data, { at: state.at, domain });
          clear(cursorText);
          if (state.at) {
            const held = data.lanes.flatMap((l) => l.segments.filter((g) => g.from <= state.at && (!g.to || state.at < g.to)).map((g) => `${l.departmentName}（${ROLE_ZH[g.role]}）`));
            cursorText.append(h('strong', {}, state.at), ` 负责部门：${held.length ? held.join('、') : '无'}`, T ? '（按所选登记时刻）' : '（按现有记录）');
          }
          tl.el.dataset.asKnownAt = T;
          drawEvents(T);
          laneTable(data);
        } catch (e) {
          clear(nowText).append(errorNotice(e));
        }
      };
      const tableBox = h('details', { class: 'lane-table' }, h('summary', {}, '时间轴数据（表格）'));
      const laneTable = (data) => {
        tableBox.querySelector('.table-wrap')?.remove();
        tableBox.append(
          table(
            [
              { label: '部门', cell: (r) => r.name },
              { label: '角色', cell: (r) => ROLE_ZH[r.role] },
              { label: '自', cell: (r) => r.from },
              { label: '至', cell: (r) => r.to ?? '今' },
              { label: '依据', cell: (r) => docText(r.document) },
            ],
            data.lanes.flatMap((l) => l.segments.map((g) => ({ name: l.departmentName, ...g }))),
          ),
        );
      };
      slider.addEventListener('input', show);
      const step = (d) => {
        slider.value = String(Math.min(moments.length, Math.max(0, Number(slider.value) + d)));
        show();
      };
      const replay = h(
        'div',
        { class: 'card replay' },
        h('label', { for: 'replay' }, '按登记时刻回放（“当时所知”）'),
        h(
          'div',
          { class: 'replay-row' },
          h('button', { type: 'button', class: 'btn-secondary small', onclick: () => step(-1), 'aria-label': '上一次登记' }, '◀'),
          slider,
          h('button', { type: 'button', class: 'btn-secondary small', onclick: () => step(1), 'aria-label': '下一次登记' }, '▶'),
          h('button', { type: 'button', class: 'btn-secondary small', onclick: () => { slider.value = String(moments.length); show(); } }, '现在'),
        ),
        h('div', { class: 'ticks', 'aria-hidden': 'true' }, moments.map((m, i) => h('span', { style: `left:${moments.length ? (i / moments.length) * 100 : 0}%`, title: fmtInstant(m, { ms: true }), class: hist.events.some((e) => e.recordedAt === m && e.type === 'EventRetracted') ? 'tick-retract' : '' }))),
        nowText,
      );
      const box = h(
        'div',
        {},
        title,
        h('p', { class: 'muted' }, '横轴为生效日期（法律效力）；拖动回放滑块，看登记簿在每次登记之后如何回答——更正（撤回后重新登记）会让分界线移动。'),
        replay,
        tl.el,
        cursorText,
        tableBox,
        h('h2', {}, '全部事件（按登记顺序）'),
        h('p', { class: 'muted' }, '被撤回的事件以删除线显示，并注明撤回记录；撤回不抹去历史。'),
        events,
        h('p', { class: 'links' }, h('a', { href: hashLink('owner', { region: state.region, item: state.item, at: state.at }) }, '谁负责'), can('reviewer') ? h('a', { href: hashLink('report', { region: state.region, item: state.item, at: state.at }) }, '争议报告') : null),
      );
      // draw after insertion so the timeline knows its width
      setTimeout(show, 0);
      return box;
    };

    form.addEventListener('submit', (e) => {
      e.preventDefault();
      state.asKnownAt = '';
      load();
    });
    if (params.region && params.item) load();
  },
};

function describe(e, name) {
  const d = e.data ?? {};
  switch (e.type) {
    case 'ItemAssigned':
      return `${name(d.departmentId)} ${ROLE_ZH[d.role] ?? ''}${d.internalOrgan ? `（承办：${d.internalOrgan}）` : ''}`;
    case 'ItemTransferred':
      return `${name(d.fromDepartmentId)} → ${name(d.toDepartmentId)}`;
    case 'ItemWithdrawn':
      return d.departmentId ? `${name(d.departmentId)} 不再承担` : '全部部门不再承担';
    case 'ItemDelegated':
      return `下放至 ${(d.toRegionCodes ?? []).join('、')}`;
    case 'ItemReceived':
      return `承接自 ${d.fromRegionCode}${d.departmentId ? `，由 ${name(d.departmentId)} 负责` : ''}`;
    case 'ItemRecalled':
      return `自 ${(d.fromRegionCodes ?? []).join('、')} 上收，由 ${name(d.departmentId)} 负责`;
    case 'ItemReturned':
      return `被 ${d.toRegionCode} 上收`;
    case 'CatalogItemDefined':
      return `${d.name}（${d.type}）`;
    case 'CatalogItemRevised':
      return ['name', 'type', 'basis', 'levels'].filter((k) => d[k] !== undefined).map((k) => ({ name: '名称', type: '类型', basis: '依据', levels: '层级' })[k]).join('、') + ' 修改';
    case 'EventRetracted':
      return `撤回事件 ${String(d.eventId ?? '').slice(0, 8)}…`;
    default:
      return '';
  }
}
