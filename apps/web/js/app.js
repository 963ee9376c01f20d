// The shell: sign-in, navigation by role, hash routes (#/owner?region=…&item=…), page mounting.
import { api, clearToken, getToken, onUnauthenticated, setToken } from './api.js';
import { USER_ROLE_ZH, clear, h } from './dom.js';
import { errorMessage, field, notice, setFieldError } from './widgets.js';
import owner from './pages/owner.js';
import list from './pages/list.js';
import historyPage from './pages/history.js';
import department from './pages/department.js';
import findings from './pages/findings.js';
import edit from './pages/edit.js';
import imports from './pages/imports.js';
import report from './pages/report.js';

const PAGES = [owner, list, historyPage, department, findings, report, edit, imports];
const RANK = { reader: 0, reviewer: 1, editor: 2, admin: 3 };
const APP = '权责清单登记簿';

const state = { session: null, cleanup: null };
const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');

export const can = (role) => !!state.session && RANK[state.session.role] >= RANK[role];

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [route, query = ''] = raw.split('?');
  return { route: route || 'owner', params: Object.fromEntries(new URLSearchParams(query)) };
}

/** Records the page's inputs in the address (shareable, survives reload) without re-rendering. */
function setParams(route, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  history.replaceState(null, '', `#/${route}${s ? `?${s}` : ''}`);
}

function renderNav(current) {
  clear(nav);
  const ul = h('ul', {});
  for (const p of PAGES) {
    if (!can(p.minRole)) continue;
    ul.append(h('li', {}, h('a', { href: `#/${p.route}`, 'aria-current': p.route === current ? 'page' : undefined }, p.title)));
  }
  nav.append(ul);
}

function renderWho() {
  clear(who);
  if (!state.session) return;
  who.append(
    h('span', { class: 'who-name' }, state.session.name),
    h('span', { class: `role role-${state.session.role}` }, USER_ROLE_ZH[state.session.role] ?? state.session.role),
    h('button', { type: 'button', class: 'btn-link', onclick: signOut }, '退出'),
  );
}

async function route() {
  if (!state.session) return;
  const { route, params } = parseHash();
  const page = PAGES.find((p) => p.route === route);
  if (state.cleanup) {
    try {
      state.cleanup();
    } catch {
      /* ignore */
    }
    state.cleanup = null;
  }
  renderNav(route);
  clear(main);
  if (!page) {
    document.title = `未找到 · ${APP}`;
    main.append(h('h1', {}, '未找到该页面'), h('p', {}, h('a', { href: '#/owner' }, '回到“谁负责”')));
    return;
  }
  document.title = `${page.title} · ${APP}`;
  const root = h('section', { class: `page page-${page.route}`, 'aria-labelledby': 'page-title' }, h('h1', { id: 'page-title', tabindex: '-1' }, page.title));
  main.append(root);
  if (!can(page.minRole)) {
    root.append(
      notice(
        'error',
        h('strong', {}, '无权限'),
        `：“${page.title}”需要${USER_ROLE_ZH[page.minRole]}（${page.minRole}）或更高角色，当前令牌为${USER_ROLE_ZH[state.session.role]}（${state.session.role}）。`,
        page.minRole === 'editor' ? '如需录入，请向编办管理员申请录入权限的令牌。' : '',
      ),
    );
    return;
  }
  try {
    state.cleanup = (await page.render({ root, params, session: state.session, can, setParams: (p) => setParams(page.route, p) })) ?? null;
  } catch (e) {
    root.append(notice('error', errorMessage(e)));
  }
}

function signOut() {
  clearToken();
  state.session = null;
  renderWho();
  showSignIn();
}

function showSignIn(message) {
  clear(nav);
  clear(main);
  document.title = `登录 · ${APP}`;
  const input = h('input', { type: 'password', name: 'token', autocomplete: 'off', spellcheck: 'false', required: true });
  const wrap = field('访问令牌', input, { hint: '令牌由编办管理员发放；首次启动服务时生成在“数据目录/tokens.json”中。令牌只保存在本浏览器标签页内，关闭即失效。', name: 'token', required: true });
  const form = h(
    'form',
    { class: 'card signin', novalidate: true },
    h('h1', { id: 'page-title' }, '登录'),
    h('p', {}, '行政区划权责清单与“三定”规定的登记、查询与核查。'),
    message ? notice('warn', message) : null,
    wrap,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn-primary' }, '登录')),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const token = input.value.trim();
    if (!token) return setFieldError(wrap, ['请输入访问令牌']);
    try {
      state.session = await api('/api/session', { token });
      setToken(token);
      setFieldError(wrap, []);
      renderWho();
      if (!location.hash || location.hash === '#/' || location.hash === '#') history.replaceState(null, '', '#/owner');
      await route();
      document.getElementById('page-title')?.focus();
    } catch (err) {
      setFieldError(wrap, [err.status === 401 ? '令牌无效，请核对后重试' : errorMessage(err)]);
      input.focus();
    }
  });
  main.append(form);
  input.focus();
}

async function health() {
  const foot = document.getElementById('health');
  try {
    const r = await fetch('/api/health').then((x) => x.json());
    foot.textContent = `事件库：${r.store.kind} · 事件 ${r.store.events} 条 · 读模型${r.status === 'ok' ? '已同步' : '追赶中'}`;
  } catch {
    foot.textContent = '服务器状态未知';
  }
}

async function start() {
  onUnauthenticated(() => {
    if (!state.session) return;
    clearToken();
    state.session = null;
    renderWho();
    showSignIn('访问令牌已失效，请重新登录。');
  });
  window.addEventListener('hashchange', () => route().then(() => document.getElementById('page-title')?.focus({ preventScroll: true })));
  health();
  const token = getToken();
  if (token) {
    try {
      state.session = await api('/api/session', { token });
    } catch {
      clearToken();
    }
  }
  renderWho();
  if (state.session) await route();
  else showSignIn();
  document.documentElement.dataset.ready = 'true';
}

start();
