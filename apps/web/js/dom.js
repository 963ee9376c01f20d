// Small DOM and formatting helpers. Text always goes in as text nodes: nothing from the API is parsed as HTML.

/** h('div', { class: 'x', onclick: fn, 'aria-label': '…' }, child, [children], 'text') */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'value' && 'value' in el) el.value = v;
      else if (k === 'checked' || k === 'selected' || k === 'disabled' || k === 'hidden' || k === 'multiple' || k === 'required' || k === 'open') {
        el[k] = !!v;
        if (v === true && k !== 'checked' && k !== 'selected') el.setAttribute(k, '');
      } else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** SVG element. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs ?? {})) if (v !== undefined && v !== null && v !== false) el.setAttribute(k, String(v));
  for (const c of children.flat(Infinity)) if (c !== undefined && c !== null && c !== false) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

export const clear = (el) => {
  el.replaceChildren();
  return el;
};

let uid = 0;
export const newId = (prefix = 'id') => `${prefix}-${++uid}`;

export const LEVEL_ZH = { province: '省级', city: '市级', county: '县级', township: '乡级' };
export const ROLE_ZH = { lead: '牵头', cooperating: '配合' };
export const USER_ROLE_ZH = { reader: '只读用户', reviewer: '审查人员', editor: '录入人员', admin: '管理员' };
export const STATUS_ZH = {
  owned: '有明确牵头部门',
  conflict: '职责交叉（多个牵头部门）',
  unowned: '无人负责（职责缺位）',
  'not-in-list': '不在本级清单中',
};
export const STATUS_SHORT = { owned: '明确', conflict: '交叉', unowned: '缺位', 'not-in-list': '不在清单' };
export const DEPT_STATUS_ZH = { active: '存续', abolished: '已撤销', 'not-yet-established': '尚未设立' };
export const ITEM_TYPES = ['行政许可', '行政处罚', '行政强制', '行政征收', '行政给付', '行政检查', '行政确认', '行政奖励', '行政裁决', '其他行政权力', '公共服务'];
export const EVENT_ZH = {
  RegionRegistered: '登记区划',
  CatalogItemDefined: '列入目录',
  CatalogItemRevised: '修改目录要素',
  CatalogItemRetired: '从目录取消',
  DepartmentEstablished: '设立部门',
  DepartmentRenamed: '部门更名',
  DepartmentAbolished: '撤销部门',
  SandingIssued: '印发三定',
  ItemAssigned: '认领（列入本级清单）',
  ItemTransferred: '划转',
  ItemWithdrawn: '移出清单',
  ItemDelegated: '下放',
  ItemReceived: '承接下放',
  ItemRecalled: '上收',
  ItemReturned: '交回（被上收）',
  BoundaryClauseAgreed: '职责分工',
  EventRetracted: '撤回（更正）',
};

/** Today's date in China time, YYYY-MM-DD. */
export const todayChina = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** An instant shown in Beijing time: 2024-05-01 16:00:03.120. */
export function fmtInstant(iso, { ms = false } = {}) {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return String(iso);
  const s = new Date(t + 8 * 3600_000).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, ms ? 23 : 19)}`;
}

/** A datetime-local value read as Beijing time → ISO instant (UTC). */
export function beijingToIso(v) {
  if (!v) return '';
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(:\d\d(\.\d{1,3})?)?$/.exec(v);
  if (!m) return '';
  const t = Date.parse(`${m[1]}T${m[2]}${m[3] ?? ':00'}+08:00`);
  return Number.isNaN(t) ? '' : new Date(t).toISOString();
}

/** ISO instant → datetime-local value in Beijing time (with milliseconds when there are any). */
export function isoToBeijing(iso) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = new Date(t + 8 * 3600_000).toISOString();
  return s.endsWith('.000Z') ? s.slice(0, 19) : s.slice(0, 23);
}

export function docText(doc) {
  if (!doc) return '';
  const extra = [doc.title, doc.issuedBy, doc.issuedOn].filter(Boolean).join('，');
  return extra ? `${doc.number}（${extra}）` : doc.number;
}

export const hashLink = (route, params = {}) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const qs = q.toString();
  return `#/${route}${qs ? `?${qs}` : ''}`;
};

export function debounce(fn, ms = 150) {
  let t;
  return (...a) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...a), ms);
  };
}

/** Download text as a file (CSV export). */
export function download(filename, text, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  setTimeout(() => {
    URL.revokeObjectURL(url);
    a.remove();
  }, 1000);
}

export const csvCell = (v) => {
  const t = Array.isArray(v) ? v.join('；') : String(v ?? '');
  return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
};
