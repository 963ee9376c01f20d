// Reusable controls: labelled fields, notices, API error messages, region/item/department pickers.
import { api } from './api.js';
import { LEVEL_ZH, clear, debounce, h, newId, todayChina } from './dom.js';

export function notice(kind, ...content) {
  return h('div', { class: `notice notice-${kind}`, role: kind === 'error' || kind === 'warn' ? 'alert' : 'status' }, ...content);
}

/** A clear sentence for any failure of the API. */
export function errorMessage(err) {
  if (!err || typeof err !== 'object' || !('status' in err)) return `出错了：${err?.message ?? err}`;
  if (err.status === 0) return err.message;
  if (err.status === 401) return '访问令牌无效或已失效，请重新登录。';
  if (err.status === 403) return `无权限：${err.message}`;
  if (err.notEnabled) return '功能尚未启用：服务器还没有提供这项功能。';
  if (err.status === 404) return `未找到：${err.message}`;
  if (err.code === 'WRONG_EXPECTED_VERSION') return `他人已先行修改了同一条记录，本次提交未作任何变更。${err.message}`;
  if (err.status === 409) return `未登记：${err.message}（${err.code}）`;
  if (err.status === 400) return `请求有误：${err.fields.length ? err.fields.map((f) => `${f.field}：${f.errors.join('；')}`).join('；') : err.message}`;
  if (err.status === 503) return `事件库暂不可用：${err.message}`;
  return `服务器错误（${err.status}）：${err.message}`;
}

export function errorNotice(err) {
  if (err?.notEnabled) return notice('info', h('strong', {}, '功能尚未启用'), '：服务器还没有提供这项功能（接口返回 404）。该功能上线后此处会自动显示。');
  return notice(err?.status === 409 && err.code === 'WRONG_EXPECTED_VERSION' ? 'warn' : 'error', errorMessage(err));
}

/** A labelled field: label, control, hint, and the place where the API's field errors appear. */
export function field(label, control, { hint, name, required, wide } = {}) {
  const input = control.matches?.('input,select,textarea') ? control : control.querySelector?.('input,select,textarea');
  const id = input?.id || newId('f');
  if (input && !input.id) input.id = id;
  const errId = `${id}-err`;
  const hintId = hint ? `${id}-hint` : undefined;
  if (input) input.setAttribute('aria-describedby', [hintId, errId].filter(Boolean).join(' '));
  const wrap = h(
    'div',
    { class: `field${wide ? ' wide' : ''}`, dataset: name ? { field: name } : undefined },
    h('label', { for: id }, label, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    control,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    h('p', { class: 'field-error', id: errId, 'aria-live': 'polite' }),
  );
  return wrap;
}

export function setFieldError(wrap, messages) {
  const p = wrap.querySelector(':scope > .field-error');
  const input = wrap.querySelector('input,select,textarea');
  if (p) p.textContent = messages?.length ? messages.join('；') : '';
  wrap.classList.toggle('invalid', !!messages?.length);
  if (input) {
    if (messages?.length) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
}

export const dateInput = (value = '', attrs = {}) => h('input', { type: 'date', value, min: '1900-01-01', max: '2200-12-31', ...attrs });
export const instantInput = (value = '', attrs = {}) => h('input', { type: 'datetime-local', step: '0.001', value, ...attrs });

/**
 * An accessible combobox: type to search, arrows to move, Enter to pick, Escape to close.
 * search(text) → [{ value, label, detail }]. accept(text) may turn typed text into a value directly.
 */
export function combobox({ placeholder, search, onPick, accept, label: ariaLabel }) {
  const listId = newId('lb');
  const input = h('input', { type: 'search', role: 'combobox', autocomplete: 'off', 'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': listId, placeholder, 'aria-label': ariaLabel });
  const list = h('ul', { id: listId, role: 'listbox', class: 'listbox', hidden: true });
  const box = h('div', { class: 'combo' }, input, list);
  let options = [];
  let active = -1;
  let seq = 0;
  let picked = null;
  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const highlight = (i) => {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute('aria-selected', String(j === i)));
    if (i >= 0 && list.children[i]) {
      input.setAttribute('aria-activedescendant', list.children[i].id);
      list.children[i].scrollIntoView({ block: 'nearest' });
    }
  };
  const pick = (opt) => {
    seq++; // a search still in flight must not reopen the list
    picked = opt;
    input.value = opt.label;
    close();
    onPick?.(opt);
  };
  const render = () => {
    clear(list);
    options.forEach((o, i) =>
      list.append(
        h(
          'li',
          { id: `${listId}-${i}`, role: 'option', 'aria-selected': 'false', onmousedown: (e) => e.preventDefault(), onclick: () => pick(o) },
          h('span', { class: 'opt-label' }, o.label),
          o.detail ? h('span', { class: 'opt-detail' }, o.detail) : null,
        ),
      ),
    );
    if (!options.length) list.append(h('li', { class: 'empty', role: 'presentation' }, '无匹配结果'));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    highlight(options.length ? 0 : -1);
  };
  const run = debounce(async () => {
    if (picked) return;
    const my = ++seq;
    const text = input.value.trim();
    if (!text) return close();
    try {
      const r = await search(text);
      if (my !== seq) return;
      options = r;
      render();
    } catch {
      /* a failed suggestion is not worth an alert */
    }
  }, 150);
  input.addEventListener('input', () => {
    picked = null;
    run();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' && !list.hidden) {
      e.preventDefault();
      highlight(Math.min(active + 1, options.length - 1));
    } else if (e.key === 'ArrowUp' && !list.hidden) {
      e.preventDefault();
      highlight(Math.max(active - 1, 0));
    } else if (e.key === 'Enter') {
      if (!list.hidden && active >= 0 && options[active]) {
        e.preventDefault();
        pick(options[active]);
      } else if (accept) {
        const o = accept(input.value.trim());
        if (o) {
          e.preventDefault();
          pick(o);
        }
      }
    } else if (e.key === 'Escape') close();
  });
  input.addEventListener('blur', () => {
    setTimeout(close, 120);
    if (!picked && accept) {
      const o = accept(input.value.trim());
      if (o) pick(o);
    }
  });
  return {
    el: box,
    input,
    setText(t) {
      input.value = t;
    },
    get picked() {
      return picked;
    },
    setPicked(o) {
      picked = o;
      input.value = o ? o.label : '';
    },
  };
}

const regionLabel = (r) => `${r.name}（${r.code}）`;
const regionDetail = (r) => [LEVEL_ZH[r.level], r.path?.map((p) => p.name).join(' / ')].filter(Boolean).join(' · ');
const regionCache = new Map();

export async function fetchRegion(code) {
  if (!regionCache.has(code)) regionCache.set(code, api(`/api/regions/${encodeURIComponent(code)}`).catch(() => null));
  return regionCache.get(code);
}

/**
 * Region picker: search by name or code, or browse the four-level tree (省 → 市 → 县 → 乡).
 * .value is the region code.
 */
export function regionPicker({ value = '', onChange, label = '行政区划' } = {}) {
  let current = value;
  const combo = combobox({
    label,
    placeholder: '输入名称或区划代码，如 克拉玛依 / 650200',
    search: async (q) => (await api('/api/regions', { query: { q, limit: 20 } })).items.map((r) => ({ value: r.code, label: regionLabel(r), detail: regionDetail(r), row: r })),
    accept: (t) => (/^\d{6}(\d{3}|\d{6})?$/.test(t) ? { value: t, label: t } : null),
    onPick: (o) => set(o.value, o.row),
  });
  const treeId = newId('tree');
  const toggle = h('button', { type: 'button', class: 'btn-secondary small', 'aria-expanded': 'false', 'aria-controls': treeId }, '区划树');
  const tree = h('div', { id: treeId, class: 'region-tree', hidden: true });
  const el = h('div', { class: 'region-picker' }, h('div', { class: 'row-inline' }, combo.el, toggle), tree);
  const set = (code, row) => {
    current = code;
    combo.setPicked(code ? { value: code, label: row ? regionLabel(row) : code } : null);
    if (code && !row) fetchRegion(code).then((r) => r && current === code && combo.setPicked({ value: code, label: regionLabel(r) }));
    el.dispatchEvent(new CustomEvent('change', { bubbles: true }));
    onChange?.(code, row);
  };
  const node = (r) => {
    const li = h('li', { role: 'treeitem', 'aria-expanded': r.children ? 'false' : undefined, 'aria-label': `${r.name} ${LEVEL_ZH[r.level]}` });
    const kids = h('ul', { role: 'group', hidden: true });
    const exp = r.children
      ? h('button', {
          type: 'button',
          class: 'tree-toggle',
          'aria-label': `展开 ${r.name}`,
          onclick: async () => {
            const open = li.getAttribute('aria-expanded') === 'true';
            li.setAttribute('aria-expanded', String(!open));
            exp.textContent = open ? '▸' : '▾';
            kids.hidden = open;
            if (!open && !kids.childElementCount) await loadInto(kids, r.code);
          },
        }, '▸')
      : h('span', { class: 'tree-toggle', 'aria-hidden': 'true' }, '·');
    li.append(
      exp,
      h('button', { type: 'button', class: 'tree-pick', onclick: () => { set(r.code, r); tree.hidden = true; toggle.setAttribute('aria-expanded', 'false'); } }, r.name, h('span', { class: 'muted' }, ` ${r.code} ${LEVEL_ZH[r.level]}`)),
      kids,
    );
    return li;
  };
  const loadInto = async (ul, parent) => {
    ul.append(h('li', { class: 'muted', role: 'presentation' }, '载入中…'));
    try {
      const r = await api('/api/regions', { query: { parent, limit: 200 } });
      clear(ul);
      for (const x of r.items) ul.append(node(x));
      if (r.total > r.items.length) ul.append(h('li', { class: 'muted', role: 'presentation' }, `另有 ${r.total - r.items.length} 个，请用搜索`));
      if (!r.items.length) ul.append(h('li', { class: 'muted', role: 'presentation' }, '（无）'));
    } catch (e) {
      clear(ul).append(h('li', { class: 'muted', role: 'presentation' }, errorMessage(e)));
    }
  };
  toggle.addEventListener('click', async () => {
    const open = tree.hidden;
    tree.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    if (open && !tree.childElementCount) {
      const ul = h('ul', { role: 'tree', 'aria-label': '行政区划树' });
      tree.append(ul);
      await loadInto(ul, undefined);
    }
  });
  if (value) set(value);
  return {
    el,
    input: combo.input,
    get value() {
      return combo.picked ? current : '';
    },
    set,
  };
}

/** Item picker: search the catalogue by code or by part of the Chinese name. .value is the item code. */
export function itemPicker({ value = '', onChange, label = '事项' } = {}) {
  let current = value;
  const combo = combobox({
    label,
    placeholder: '输入事项编码或名称中的几个字',
    search: async (q) =>
      (await api('/api/catalog/items', { query: { q, limit: 20 } })).items.map((i) => ({
        value: i.code,
        label: `${i.name}（${i.code}）`,
        detail: `${i.type}${i.retired ? ' · 已取消' : ''}`,
        row: i,
      })),
    accept: (t) => (/^[A-Za-z0-9][A-Za-z0-9._\-]{0,63}$/.test(t) ? { value: t, label: t } : null),
    onPick: (o) => set(o.value, o.row),
  });
  const set = (code, row) => {
    current = code;
    combo.setPicked(code ? { value: code, label: row ? `${row.name}（${code}）` : code } : null);
    if (code && !row) {
      api(`/api/catalog/items/${encodeURIComponent(code)}`).then(
        (r) => current === code && combo.setPicked({ value: code, label: `${r.name}（${code}）` }),
        () => {},
      );
    }
    combo.el.dispatchEvent(new CustomEvent('change', { bubbles: true }));
    onChange?.(code, row);
  };
  if (value) set(value);
  return {
    el: combo.el,
    input: combo.input,
    get value() {
      return combo.picked ? current : '';
    },
    set,
  };
}

/** A <select> of a region's departments (names on `at`), reloaded when the region changes. */
export function departmentSelect({ value = '', optional = false, optionalLabel = '（不指定）', onChange } = {}) {
  const select = h('select', {}, h('option', { value: '' }, '请先选择区划'));
  let want = value;
  let rows = [];
  select.addEventListener('change', () => {
    want = select.value;
    onChange?.(select.value, rows.find((r) => r.id === select.value));
  });
  return {
    el: select,
    input: select,
    get value() {
      return select.value || want || '';
    },
    get rows() {
      return rows;
    },
    set(v) {
      want = v;
      select.value = v;
    },
    async load(region, at = todayChina()) {
      if (!region) {
        rows = [];
        select.replaceChildren(h('option', { value: '' }, '请先选择区划'));
        return;
      }
      try {
        const r = await api(`/api/regions/${encodeURIComponent(region)}/departments`, { query: { at, limit: 200 } });
        rows = r.items;
        select.replaceChildren(
          h('option', { value: '' }, optional ? optionalLabel : rows.length ? '请选择部门' : '该区划尚无部门'),
          ...rows.map((d) => h('option', { value: d.id }, `${d.name}（${d.id}）${d.status === 'active' ? '' : ' · ' + (d.status === 'abolished' ? '已撤销' : '尚未设立')}`)),
        );
        if (want && !rows.some((d) => d.id === want)) select.append(h('option', { value: want }, want));
        select.value = want || '';
      } catch (e) {
        rows = [];
        select.replaceChildren(h('option', { value: '' }, errorMessage(e)));
      }
    },
  };
}

export function statusBadge(status, text) {
  return h('span', { class: `badge badge-${status}` }, text);
}

/** Renders a table from rows with column definitions [{ label, cell: row => node|string, class }]. */
export function table(columns, rows, { caption, empty = '（无）', rowAttrs } = {}) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.class }, c.label)))),
      h(
        'tbody',
        {},
        rows.length ? rows.map((r, i) => h('tr', rowAttrs?.(r, i) ?? {}, columns.map((c) => h('td', { class: c.class }, c.cell(r, i))))) : h('tr', {}, h('td', { colspan: columns.length, class: 'muted' }, empty)),
      ),
    ),
  );
}
