// 录入: a form for every command. Field errors from the API appear at the field; the 文号 is asked for
// every change; warnings the command returns are shown; a record changed by someone else since the
// form read it is refused (409 WRONG_EXPECTED_VERSION) with a clear message.
import { api } from '../api.js';
import { clear, fmtInstant, h, hashLink, newId, todayChina } from '../dom.js';
import { COMMANDS } from '../commands.js';
import { dateInput, departmentSelect, errorMessage, field, itemPicker, notice, regionPicker, setFieldError } from '../widgets.js';

export default {
  route: 'edit',
  title: '录入',
  minRole: 'editor',
  render({ root, params, setParams }) {
    const chooser = h(
      'select',
      { id: 'cmd' },
      [...new Set(COMMANDS.map((c) => c.group))].map((g) => h('optgroup', { label: g }, COMMANDS.filter((c) => c.group === g).map((c) => h('option', { value: c.id }, c.label)))),
    );
    chooser.value = COMMANDS.some((c) => c.id === params.cmd) ? params.cmd : 'assign';
    const box = h('div', {});
    root.append(
      h('div', { class: 'card' }, h('p', { class: 'lead' }, '每一项变更都须注明授权文件的文号和生效日期。登记后不可修改，只能撤回（更正），历史完整保留。'), field('录入事项', chooser)),
      box,
    );
    const show = (prefill) => {
      setParams({ cmd: chooser.value, ...prefill });
      clear(box).append(commandForm(COMMANDS.find((c) => c.id === chooser.value), prefill, (p) => setParams({ cmd: chooser.value, ...p })));
    };
    chooser.addEventListener('change', () => show({}));
    const { cmd, ...prefill } = params;
    show(prefill);
  },
};

const setPath = (o, path, v) => {
  const keys = path.split('.');
  let cur = o;
  for (const k of keys.slice(0, -1)) cur = cur[k] ??= {};
  cur[keys[keys.length - 1]] = v;
};

function commandForm(def, prefill, remember) {
  const wraps = new Map(); // body path → field wrapper (where its errors go)
  const controls = new Map();
  const listeners = new Map();
  const on = (name, fn) => listeners.set(name, [...(listeners.get(name) ?? []), fn]);
  const emit = (name) => (listeners.get(name) ?? []).forEach((fn) => fn());
  const ctx = { wraps, controls, on, emit, value: (n) => controls.get(n)?.get() };

  const grid = h('div', { class: 'grid' });
  let groupTitle = '';
  for (const f of def.fields) {
    if (f.group && f.group !== groupTitle) {
      groupTitle = f.group;
      grid.append(h('h3', { class: 'wide' }, f.group));
    }
    const c = makeControl(f, ctx, prefill);
    controls.set(f.name, c);
    const wrap = c.wrap ?? field(f.label, c.el, { name: f.name, hint: f.hint, required: f.required, wide: f.wide });
    wraps.set(f.name, wrap);
    for (const a of f.alias ?? []) wraps.set(a, wrap);
    grid.append(wrap);
  }
  // document (文号) and reason: every change carries them
  const docFields = [
    ['document.number', '文号', { required: true, hint: '如：长政办发〔2022〕14号' }],
    ['document.title', '文件标题', {}],
    ['document.issuedBy', '发文机关', {}],
    ['document.issuedOn', '发文日期', { type: 'date' }],
  ];
  const docBox = h('fieldset', { class: 'grid doc wide' }, h('legend', {}, '授权文件'));
  for (const [name, label, o] of docFields) {
    const input = o.type === 'date' ? dateInput('', { name }) : h('input', { type: 'text', name });
    const wrap = field(label, input, { name, required: o.required, hint: o.hint });
    wraps.set(name, wrap);
    controls.set(name, { get: () => input.value.trim(), el: input, doc: true });
    docBox.append(wrap);
  }
  wraps.set('document', docBox);
  if (!def.noEffective) {
    const reason = h('textarea', { name: 'reason', rows: '2' });
    const wrap = field('理由（可选）', reason, { name: 'reason', wide: true });
    wraps.set('reason', wrap);
    controls.set('reason', { get: () => reason.value.trim() || undefined, el: reason });
    docBox.append(wrap);
  }

  // expectedVersion: the version of the record the form looked at
  let expected;
  let lastKey = '';
  let seq = 0;
  const versionLine = h('p', { class: 'version muted', 'aria-live': 'polite' });
  const readVersion = async (force = true) => {
    if (!def.version) return;
    const q = def.version(collect(def, controls).body);
    const key = JSON.stringify(q);
    if (!force && key === lastKey) return;
    lastKey = key;
    const my = ++seq;
    expected = undefined;
    clear(versionLine);
    if (!q) return;
    try {
      const r = await api('/api/versions', { query: q });
      if (my !== seq) return;
      expected = r.version;
      versionLine.append(r.version < 0 ? '该记录尚不存在（将新建）' : `记录当前为第 ${r.version} 版；提交时将核对，若他人已先行修改，本次提交会被拒绝。`, ' ', h('button', { type: 'button', class: 'btn-link', onclick: () => readVersion(true) }, '重新读取'));
    } catch {
      if (my === seq) versionLine.append('（无法读取记录版本，提交时不作版本核对）');
    }
  };
  for (const f of def.fields) if (['region', 'item', 'department'].includes(f.type) && !f.name.startsWith('_')) on(f.name, () => readVersion(false));
  const result = h('div', { class: 'result', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'btn-primary' }, '提交登记');
  const form = h(
    'form',
    { class: 'card command', novalidate: true, 'data-command': def.id, 'aria-label': def.label },
    h('h2', {}, def.label),
    grid,
    docBox,
    versionLine,
    h('div', { class: 'actions' }, submit),
    result,
  );

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    form.querySelectorAll('.field.invalid').forEach((w) => setFieldError(w, []));
    clear(result);
    const { body, missing } = collect(def, controls);
    if (missing.length) {
      for (const m of missing) setFieldError(wraps.get(m), ['必填']);
      result.append(notice('error', `请先填写：${missing.map((m) => def.fields.find((f) => f.name === m)?.label ?? m).join('、')}`));
      wraps.get(missing[0])?.querySelector('input,select,textarea')?.focus();
      return;
    }
    const url = def.path(body);
    for (const k of Object.keys(def.pathFields ?? {})) delete body[k];
    if (expected !== undefined) body.expectedVersion = expected;
    submit.disabled = true;
    submit.textContent = '提交中…';
    try {
      const r = await api(url, { method: 'POST', body });
      const full = collect(def, controls).body;
      result.append(success(r, full));
      remember(Object.fromEntries(['regionCode', 'itemCode', 'id', 'code'].filter((k) => typeof full[k] === 'string').map((k) => [k === 'regionCode' ? 'region' : k === 'itemCode' ? 'item' : k, full[k]])));
      if (def.version) {
        expected = r.streamVersion;
        readVersion();
      }
    } catch (err) {
      result.append(failure(err, def, wraps, readVersion, form));
    } finally {
      submit.disabled = false;
      submit.textContent = '提交登记';
    }
  });
  setTimeout(() => readVersion(false), 0);
  return form;
}

/** The request body from the controls, and the required path fields left empty. */
function collect(def, controls) {
  const body = {};
  const missing = [];
  for (const f of def.fields) {
    const c = controls.get(f.name);
    if (f.name.startsWith('_')) continue;
    if (c.contribute) {
      c.contribute(body);
      continue;
    }
    const v = c.get();
    if (def.pathFields && f.name in def.pathFields && !v) {
      missing.push(f.name);
      continue;
    }
    if (v !== undefined) setPath(body, f.name, v);
  }
  const doc = {};
  for (const k of ['number', 'title', 'issuedBy', 'issuedOn']) {
    const v = controls.get(`document.${k}`).get();
    if (k === 'number' || v) doc[k] = v;
  }
  body.document = doc;
  const reason = controls.get('reason')?.get();
  if (reason) body.reason = reason;
  return { body, missing };
}

function success(r, full) {
  const region = full.regionCode;
  const item = full.itemCode;
  return h(
    'div',
    { class: 'card ok-card', role: 'status' },
    h('h3', {}, '已登记'),
    h('p', {}, `事件 ${r.eventIds.length} 条，登记时刻 ${fmtInstant(r.recordedAt, { ms: true })}（北京时间），记录版本 ${r.streamVersion}。`),
    h('details', {}, h('summary', {}, '事件 id'), h('ul', { class: 'mono' }, r.eventIds.map((id) => h('li', {}, id)))),
    r.warnings?.length
      ? notice('warn', h('strong', {}, '注意：本次登记使情况变差（已按文件登记，并作为发现报告）'), h('ul', {}, r.warnings.map((w) => h('li', { 'data-warning': w.code }, `${w.message}（${w.code}）`))))
      : null,
    region && item
      ? h('p', { class: 'links' }, h('a', { href: hashLink('owner', { region, item, at: full.effectiveFrom }) }, '谁负责（生效日）'), h('a', { href: hashLink('history', { region, item }) }, '事项历史'))
      : null,
  );
}

function failure(err, def, wraps, readVersion, form) {
  if (err.code === 'WRONG_EXPECTED_VERSION') {
    const d = err.details ?? {};
    return notice(
      'warn',
      h('strong', {}, '他人已先行修改了同一条记录'),
      h('p', {}, `您打开表单时看到的是第 ${d.expectedVersion ?? '?'} 版，现在已是第 ${d.actualVersion ?? '更新的'} 版。本次提交未作任何变更。`),
      h('p', {}, '请先查看最新情况（如“谁负责”或“事项历史”），确认仍需变更后重新读取版本再提交。'),
      h('button', { type: 'button', class: 'btn-secondary', onclick: (e) => { readVersion(); e.target.closest('.notice')?.remove(); } }, '重新读取版本'),
    );
  }
  if (err.status === 400 && err.fields?.length) {
    const unplaced = [];
    const paramAlias = Object.fromEntries(Object.entries(def.pathFields ?? {}).map(([k, v]) => [v, k]));
    for (const f of err.fields) {
      let name = paramAlias[f.field] ?? f.field;
      let wrap = wraps.get(name);
      while (!wrap && name.includes('.')) {
        name = name.slice(0, name.lastIndexOf('.'));
        wrap = wraps.get(name);
      }
      const exact = form.querySelector(`.field[data-field="${CSS.escape(f.field)}"]`);
      if (exact) setFieldError(exact, f.errors);
      else if (wrap?.classList.contains('field')) setFieldError(wrap, f.errors);
      else unplaced.push(f);
    }
    const first = form.querySelector('.field.invalid input, .field.invalid select, .field.invalid textarea');
    first?.focus();
    return notice('error', h('strong', {}, '有字段需要更正'), '：请查看标红的字段。', unplaced.length ? h('ul', {}, unplaced.map((f) => h('li', {}, `${f.field}：${f.errors.join('；')}`))) : null);
  }
  return notice(err.status === 403 ? 'error' : 'error', errorMessage(err));
}

/** A control for one field definition: { el, get() } or { el, contribute(body) }. */
function makeControl(f, ctx, prefill) {
  const pre = (keys) => keys.map((k) => prefill[k]).find((v) => v);
  switch (f.type) {
    case 'text': {
      const input = h('input', { type: 'text', name: f.name, inputmode: f.inputmode, value: pre([f.name]) ?? '' });
      input.addEventListener('change', () => ctx.emit(f.name));
      return { el: input, get: () => (input.value.trim() || (f.required ? '' : undefined)) };
    }
    case 'textarea': {
      const input = h('textarea', { name: f.name, rows: '3' });
      return { el: input, get: () => (input.value.trim() || (f.required ? '' : undefined)) };
    }
    case 'date': {
      const input = dateInput(f.name === 'effectiveFrom' ? prefill.effectiveFrom ?? '' : '', { name: f.name });
      input.addEventListener('change', () => ctx.emit(f.name));
      return { el: input, get: () => input.value || undefined };
    }
    case 'number': {
      const input = h('input', { type: 'number', name: f.name, min: '0', step: '1' });
      return { el: input, get: () => (input.value === '' ? undefined : Number(input.value)) };
    }
    case 'select': {
      const sel = h('select', { name: f.name }, f.required && !f.options.some(([v]) => v === '') ? h('option', { value: '' }, '请选择') : null, f.options.map(([v, l]) => h('option', { value: v }, l)));
      if (f.name === 'role') sel.value = 'lead';
      return { el: sel, get: () => sel.value || (f.required ? '' : undefined) };
    }
    case 'checks': {
      const box = h('div', { class: 'checks', role: 'group' }, f.options.map(([v, l]) => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: v }), l)));
      return { el: box, get: () => { const v = [...box.querySelectorAll('input:checked')].map((i) => i.value); return v.length || f.required ? v : undefined; } };
    }
    case 'lines': {
      const input = h('textarea', { name: f.name, rows: '3' });
      return { el: input, get: () => { const v = input.value.split(/\r?\n/).map((x) => x.trim()).filter(Boolean); return v.length || f.required ? v : undefined; } };
    }
    case 'region': {
      const p = regionPicker({ value: pre(f.name === 'parentCode' ? [] : ['region']), onChange: () => ctx.emit(f.name) });
      return { el: p.el, get: () => p.value || undefined };
    }
    case 'item': {
      const p = itemPicker({ value: pre(['item', f.name === 'code' ? 'code' : 'itemCode']), onChange: () => ctx.emit(f.name) });
      return { el: p.el, get: () => p.value || undefined };
    }
    case 'department': {
      const d = departmentSelect({ value: pre([f.name, f.name === 'fromDepartmentId' ? 'from' : f.name === 'id' ? 'id' : '_']) ?? '', optional: !f.required, optionalLabel: f.optionalLabel, onChange: () => ctx.emit(f.name) });
      const reload = () => d.load(ctx.value(f.regionField), ctx.value('effectiveFrom') || todayChina()).then(() => ctx.emit(f.name));
      ctx.on(f.regionField, reload);
      ctx.on('effectiveFrom', reload);
      setTimeout(() => ctx.value(f.regionField) && reload(), 0);
      return { el: d.el, get: () => d.value || undefined };
    }
    case 'departmentChecks': {
      const box = h('div', { class: 'checks', role: 'group' }, h('span', { class: 'muted' }, '请先选择区划'));
      const reload = async () => {
        const region = ctx.value(f.regionField);
        if (!region) return;
        try {
          const r = await api(`/api/regions/${encodeURIComponent(region)}/departments`, { query: { at: ctx.value('effectiveFrom') || todayChina(), all: 'false', limit: 200 } });
          box.replaceChildren(...(r.items.length ? r.items.map((d) => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: d.id }), d.name)) : [h('span', { class: 'muted' }, '该区划尚无部门')]));
        } catch (e) {
          box.replaceChildren(h('span', { class: 'muted' }, errorMessage(e)));
        }
      };
      ctx.on(f.regionField, reload);
      return { el: box, get: () => [...box.querySelectorAll('input:checked')].map((i) => i.value) };
    }
    case 'duties': {
      // the 三定 duties of the chosen department in force on the effective date, as checkboxes
      const box = h('div', { class: 'checks duties-pick', role: 'group' }, h('span', { class: 'muted' }, '选择部门后显示其现行三定职责'));
      const free = h('input', { type: 'text', placeholder: '或直接输入职责编号，逗号分隔', 'aria-label': '职责编号' });
      const reload = async () => {
        const id = ctx.value(f.departmentField);
        if (!id) return;
        try {
          const d = await api(`/api/departments/${encodeURIComponent(id)}`, { query: { at: ctx.value('effectiveFrom') || todayChina() } });
          const s = d.sanding;
          const duties = s ? [...s.duties.map((x) => ({ ...x, organ: '' })), ...s.internalOrgans.flatMap((o) => o.duties.map((x) => ({ ...x, organ: o.name })))] : [];
          box.replaceChildren(...(duties.length ? duties.map((x) => h('label', { class: 'check duty' }, h('input', { type: 'checkbox', value: x.id }), h('span', { class: 'duty-id' }, x.id), x.organ ? `${x.organ}：` : '', x.text)) : [h('span', { class: 'muted' }, '该部门在生效日期没有施行中的三定')]));
        } catch (e) {
          box.replaceChildren(h('span', { class: 'muted' }, errorMessage(e)));
        }
      };
      ctx.on(f.departmentField, reload);
      ctx.on('effectiveFrom', reload);
      return {
        el: h('div', {}, box, free),
        get: () => {
          const v = [...box.querySelectorAll('input:checked')].map((i) => i.value).concat(free.value.split(/[,，\s]+/).filter(Boolean));
          return v.length ? [...new Set(v)] : undefined;
        },
      };
    }
    case 'children': {
      // child regions of the chosen region, each with an optional receiving department
      const box = h('div', { class: 'children' }, h('span', { class: 'muted' }, '请先选择区划'));
      const rows = [];
      const reload = async () => {
        const region = ctx.value('regionCode');
        rows.length = 0;
        if (!region) return;
        try {
          const r = await api('/api/regions', { query: { parent: region, limit: 200 } });
          box.replaceChildren(
            ...(r.items.length
              ? r.items.map((c) => {
                  const cb = h('input', { type: 'checkbox', value: c.code });
                  const d = f.withDepartments ? departmentSelect({ optional: true, optionalLabel: '（承接部门待定）' }) : null;
                  if (d) {
                    d.el.disabled = true;
                    d.el.setAttribute('aria-label', `${c.name} 承接部门`);
                    cb.addEventListener('change', () => {
                      d.el.disabled = !cb.checked;
                      if (cb.checked && !d.rows.length) d.load(c.code, ctx.value('effectiveFrom') || todayChina());
                    });
                  }
                  rows.push({ code: c.code, cb, d });
                  return h('div', { class: 'child-row' }, h('label', { class: 'check' }, cb, `${c.name}（${c.code}）`), d?.el);
                })
              : [h('span', { class: 'muted' }, '该区划没有下级区划')]),
          );
        } catch (e) {
          box.replaceChildren(h('span', { class: 'muted' }, errorMessage(e)));
        }
      };
      ctx.on('regionCode', reload);
      setTimeout(() => ctx.value('regionCode') && reload(), 0);
      return {
        el: box,
        contribute: (body) => {
          const picked = rows.filter((r) => r.cb.checked);
          body[f.name] = picked.map((r) => r.code);
          if (f.withDepartments) {
            const map = Object.fromEntries(picked.filter((r) => r.d?.value).map((r) => [r.code, r.d.value]));
            if (Object.keys(map).length) body.departmentIds = map;
          }
        },
        get: () => rows.filter((r) => r.cb.checked).map((r) => r.code),
      };
    }
    case 'rows':
      return rowsControl(f, ctx);
    default:
      throw new Error(`unknown field type ${f.type}`);
  }
}

/** Repeating rows (三定 duties, internal organs); each cell is its own field so errors land on it. */
function rowsControl(f, ctx) {
  const list = h('div', { class: 'rows' });
  const rows = [];
  const add = () => {
    const cells = {};
    const row = h('div', { class: 'row-item', role: 'group', 'aria-label': `${f.label} 第 ${rows.length + 1} 项` });
    for (const c of f.columns) {
      const input = c.type === 'textarea' || c.type === 'dutylines' ? h('textarea', { rows: c.type === 'dutylines' ? '3' : '2' }) : h('input', { type: 'text' });
      const wrap = field(`${c.label}`, input, {});
      wrap.classList.add(c.width === 'narrow' ? 'narrow' : 'grow');
      cells[c.key] = { input, type: c.type, wrap };
      row.append(wrap);
    }
    const entry = { cells, row };
    row.append(h('button', { type: 'button', class: 'btn-link remove', onclick: () => { row.remove(); rows.splice(rows.indexOf(entry), 1); } }, '删除'));
    rows.push(entry);
    list.append(row);
    number();
  };
  const value = (r) => Object.fromEntries(Object.entries(r.cells).map(([k, c]) => [k, c.type === 'dutylines' ? dutyLines(c.input.value) : c.input.value.trim()]));
  const filled = (o) => Object.values(o).some((v) => (Array.isArray(v) ? v.length : v));
  /** Names follow the index each row will have in the request, so the API's "duties.2.text" lands on its row. */
  const number = () => {
    let k = 0;
    rows.forEach((r, j) => {
      const index = filled(value(r)) ? k++ : `empty${j}`;
      for (const [key, c] of Object.entries(r.cells)) {
        const name = `${f.name}.${index}.${key}`;
        c.input.name = name;
        c.wrap.dataset.field = name;
        ctx.wraps.set(name, c.wrap);
      }
    });
  };
  for (let i = 0; i < (f.minRows ?? 1); i++) add();
  const wrap = h(
    'fieldset',
    { class: 'field wide rows-field', dataset: { field: f.name } },
    h('legend', {}, f.label),
    list,
    h('button', { type: 'button', class: 'btn-secondary small', onclick: add }, f.addLabel ?? '增加'),
    h('p', { class: 'field-error', id: newId('err'), 'aria-live': 'polite' }),
  );
  return {
    wrap,
    el: wrap,
    get: () => {
      number();
      return rows.map(value).filter(filled);
    },
  };
}

/** "编号 内容" per line → [{ id, text }] */
function dutyLines(text) {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const m = /^(\S+?)[\s:：|｜、]+(.*)$/.exec(l);
      return m ? { id: m[1], text: m[2].trim() } : { id: l, text: '' };
    });
}

