import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, BrowserContext, Locator, Page, chromium } from 'playwright-core';
import { TOKENS, TestApp, doc, startTestApp } from '../support/app';
import './expect-locator';

/**
 * The web app (issue 8) driven as users drive it — Debian's Chromium, headless, through playwright-core —
 * against the real server on a real store in a temp dir, with the data seeded through the API.
 * Every page must load without a console error or a failed request, except the ones a test provokes
 * (a 400, a 403, a 409), which the test allows by status and URL.
 */
export const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--lang=zh-CN'];
export const SHOTS = process.env.QUANZE_SHOTS_DIR || join(tmpdir(), 'quanze-web-shots');
const haveChromium = existsSync(CHROMIUM);
const ROOT = join(__dirname, '..', '..');

export interface Watch {
  problems: string[];
  /** Responses with these (status, url) are expected by the test. */
  allow: Array<{ status: number; url: RegExp }>;
}

export interface Recorded {
  wrongTransfer: string;
  wrongTransferId: string;
  retraction: string;
  rightTransfer: string;
}

export interface WebEnv {
  t: TestApp;
  base: string;
  browser: Browser;
  recorded: Recorded;
  timings: string[];
  /** POSTs through the API as the admin, expecting `status`. */
  api(path: string, body: object, status?: number): Promise<{ eventIds: string[]; recordedAt: string; streamVersion: number; warnings: unknown[] }>;
  /** A fresh browser tab (own sessionStorage) that records console errors and failed requests. */
  open(): Promise<{ page: Page; watch: Watch }>;
}

/**
 * The bundle the API serves (dist/web, or QUANZE_WEB_DIR) is rebuilt when a source under apps/web is newer
 * than it. Engineers working side by side give each run its own QUANZE_WEB_DIR so builds do not collide.
 */
export function ensureWebBuilt(): void {
  const out = process.env.QUANZE_WEB_DIR || join(ROOT, 'dist', 'web');
  const built = join(out, 'index.html');
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((m, e) => Math.max(m, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs), 0);
  if (existsSync(built) && statSync(built).mtimeMs >= newest(join(ROOT, 'apps', 'web'))) return;
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  execFileSync(process.execPath, [vite, 'build', '--config', join(ROOT, 'apps', 'web', 'vite.config.mts'), '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

/**
 * A describe block with the server, the seeded data (a region tree, four departments, a 三定, three
 * items, and a transfer recorded with the wrong date, retracted and recorded again) and a browser.
 * Without Chromium: CI fails loudly; a developer's machine skips with a warning.
 */
export function describeWeb(title: string, body: (env: WebEnv) => void, options: { demo?: boolean } = {}): void {
  if (!haveChromium) {
    if (process.env.CI) {
      test('chromium is installed (required in CI)', () => {
        throw new Error(`${CHROMIUM} is missing: the browser tests cannot run. .ci/run installs it (apt-get install -y --no-install-recommends chromium fonts-wqy-zenhei).`);
      });
    } else {
      console.warn(`[web e2e] ${CHROMIUM} not found: browser tests skipped (apt-get install -y chromium fonts-wqy-zenhei). In CI they fail.`);
    }
  }
  const d = haveChromium ? describe : describe.skip;
  const ctxs: BrowserContext[] = [];
  const env = { recorded: {} as Recorded, timings: [] as string[] } as WebEnv;
  env.api = async (path, payload, status = 200) => {
    const r = await env.t.post(path, payload);
    expect([r.status, r.body.code, r.body.message]).toEqual([status, undefined, undefined]);
    return r.body;
  };
  env.open = async () => {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    ctxs.push(context);
    const page = await context.newPage();
    const watch: Watch = { problems: [], allow: [] };
    const allowed = (status: number, url: string) => watch.allow.some((a) => a.status === status && a.url.test(url));
    page.on('pageerror', (e) => watch.problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => {
      // a navigation away while a request is in flight is not a failure of the page
      if (!/ERR_ABORTED/.test(r.failure()?.errorText ?? '')) watch.problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !allowed(r.status(), r.url())) watch.problems.push(`HTTP ${r.status()} ${r.url()}`);
    });
    page.on('console', (m) => {
      if (m.type() !== 'error' && m.type() !== 'warning') return;
      const status = Number(/status of (\d{3})/.exec(m.text())?.[1]);
      if (status && allowed(status, m.location().url)) return;
      watch.problems.push(`console ${m.type()}: ${m.text()} ${m.location().url}`);
    });
    return { page, watch };
  };

  d(title, () => {
    jest.setTimeout(120_000);
    beforeAll(async () => {
      ensureWebBuilt();
      mkdirSync(SHOTS, { recursive: true });
      // with demo: the store starts with the real Karamay demo data, as `npm start` loads it
      env.t = await startTestApp(options.demo ? { QUANZE_DEMO: '1' } : {});
      env.base = env.t.server.url;
      env.browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
      if (!options.demo) await seed(env);
    });
    afterAll(async () => {
      for (const c of ctxs) await c.close().catch(() => undefined);
      await env.browser?.close();
      await env.t?.close();
      if (env.timings.length) console.log(`[web e2e] ${env.timings.join('; ')}; screenshots in ${SHOTS}`);
    });
    body(env);
  });
}

/** The data, as an establishment office would record it. */
async function seed(env: WebEnv): Promise<void> {
  const { api, recorded } = env;
  await api('/api/regions', { code: '650000', name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '1955-10-01', document: doc('国务院批复') }, 201);
  await api('/api/regions', { code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '1982-01-01', document: doc('国务院批复') }, 201);
  for (const [code, name] of [['650202', '独山子区'], ['650203', '克拉玛依区']]) {
    await api('/api/regions', { code, name, level: 'county', parentCode: '650200', effectiveFrom: '1982-01-01', document: doc('国务院批复') }, 201);
  }
  const depts = [
    ['KLMY-RSJ', '克拉玛依市人力资源和社会保障局'],
    ['KLMY-YBJ', '克拉玛依市医疗保障局'],
    ['KLMY-STHJJ', '克拉玛依市生态环境局'],
    ['KLMY-NYNCJ', '克拉玛依市农业农村局'],
  ];
  for (const [id, name] of depts) await api('/api/departments', { id, name, regionCode: '650200', effectiveFrom: '2019-03-01', document: doc('克编委〔2019〕2号') }, 201);
  await api('/api/departments/KLMY-YBJ/sanding', {
    duties: [{ id: 'YB-1', text: '负责医疗保障基金监督管理，依法查处医疗保障领域违法违规行为。' }, { id: 'YB-2', text: '组织制定医疗保障筹资和待遇政策。' }],
    internalOrgans: [{ id: 'YB-JG', name: '基金监管科', duties: [{ id: 'YB-JG-1', text: '承担医疗保障基金监督检查工作。' }] }],
    staffing: { authorized: 28, leaders: 4 },
    effectiveFrom: '2019-03-01',
    document: doc('克编委〔2019〕5号'),
  });
  const items = [
    ['P1', '对以欺诈、伪造证明材料等手段骗取社会保险待遇的处罚', '行政处罚'],
    ['P2', '公共机构节能监督检查', '行政检查'],
    ['P3', '对土壤污染责任人未按照规定实施后期管理的处罚', '行政处罚'],
  ];
  for (const [code, name, type] of items) {
    await api('/api/catalog/items', { code, name, type, basis: ['《中华人民共和国社会保险法》第八十八条'], levels: ['city', 'county'], effectiveFrom: '2019-01-01', document: doc('新编办〔2019〕1号') }, 201);
  }
  await api('/api/regions/650200/items/P1/assign', { departmentId: 'KLMY-RSJ', effectiveFrom: '2019-06-01', document: doc('克政办发〔2019〕3号') });
  await api('/api/regions/650200/items/P2/assign', { departmentId: 'KLMY-NYNCJ', effectiveFrom: '2019-06-01', document: doc('克政办发〔2019〕3号') });
  await api('/api/regions/650200/items/P3/assign', { departmentId: 'KLMY-STHJJ', effectiveFrom: '2019-06-01', document: doc('克政办发〔2019〕3号') });
  // the correction: a transfer recorded with the wrong date, retracted, recorded again with the right one
  const wrong = await api('/api/regions/650200/items/P1/transfer', { fromDepartmentId: 'KLMY-RSJ', toDepartmentId: 'KLMY-YBJ', effectiveFrom: '2022-03-01', document: doc('克编办〔2021〕4号') });
  recorded.wrongTransfer = wrong.recordedAt;
  recorded.wrongTransferId = wrong.eventIds[0];
  const retraction = await api(`/api/events/${wrong.eventIds[0]}/retract`, { reason: '生效日期登记错误', document: doc('克编办〔2022〕9号') });
  recorded.retraction = retraction.recordedAt;
  const right = await api('/api/regions/650200/items/P1/transfer', { fromDepartmentId: 'KLMY-RSJ', toDepartmentId: 'KLMY-YBJ', effectiveFrom: '2022-01-01', document: doc('克编办〔2021〕4号（更正）') });
  recorded.rightTransfer = right.recordedAt;
}

export async function signIn(env: WebEnv, page: Page, role: keyof typeof TOKENS): Promise<void> {
  await page.goto(`${env.base}/`);
  await page.getByLabel('访问令牌').fill(TOKENS[role]);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('#nav a').first().waitFor();
}

/** Navigates inside the app (a hash route) and waits for the page's title. */
export async function go(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => ((globalThis as any).location.hash = h), hash);
  await page.locator('#page-title').waitFor();
}

export const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
export const clean = (w: Watch) => expect(w.problems).toEqual([]);

/** With QUANZE_DOC_SHOTS=docs/img: the small pictures docs show (the union of the given parts). */
export async function docShot(page: Page, name: string, selectors: string[]): Promise<void> {
  const dir = process.env.QUANZE_DOC_SHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const boxes = (await Promise.all(selectors.map((sel) => page.locator(sel).first().boundingBox()))).filter((b) => b !== null);
  const x = Math.min(...boxes.map((b) => b.x)) - 8;
  const y = Math.min(...boxes.map((b) => b.y)) - 8;
  const w = Math.max(...boxes.map((b) => b.x + b.width)) - x + 8;
  const h = Math.max(...boxes.map((b) => b.y + b.height)) - y + 8;
  await page.screenshot({ path: join(dir, `${name}.png`), clip: { x: Math.max(0, x), y: Math.max(0, y), width: w, height: h }, fullPage: true });
}

// ——— Ant Design controls, driven as a keyboard or mouse user would ———

/** The open dropdown's option with this text (Select or TreeSelect). */
export const option = (page: Page, name: string | RegExp): Locator =>
  page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').locator('.ant-select-item-option, .ant-select-tree-node-content-wrapper').filter({ hasText: name }).first();

/** Types into a Select/TreeSelect labelled `label` and picks the option matching `name`. */
export async function pick(scope: Page | Locator, page: Page, label: string | RegExp, text: string, name: string | RegExp): Promise<void> {
  const box = scope.getByRole('combobox', { name: label });
  await box.click();
  await box.fill(text);
  await option(page, name).click();
}

/** A Select's option by its visible text, without typing (departments, types…). */
export async function choose(scope: Page | Locator, page: Page, label: string | RegExp, name: string | RegExp): Promise<void> {
  await scope.getByRole('combobox', { name: label }).click();
  await option(page, name).click();
}

/** A date (or date-time) picker: typed, then Enter, as the keyboard user does. */
export async function typeDate(scope: Page | Locator, label: string | RegExp, value: string): Promise<void> {
  const input = scope.getByLabel(label, { exact: typeof label === 'string' });
  await input.click();
  await input.fill(value);
  await input.press('Enter');
}

/**
 * Accessibility by axe-core (run inside the page): the violations of WCAG 2 A/AA rules, serious or
 * critical, as "rule: target" lines. A test expects none.
 */
export async function a11y(page: Page, scope = 'body'): Promise<string[]> {
  await page.mouse.move(0, 0); // colours as at rest, not under a hovering pointer
  // …and not half-way through a transition: the hover-out fade, a closing dropdown's leave animation (axe
  // read a link mid-fade at 4.49:1, and a closing list, on a fast run). Finish every running animation and
  // transition, let the app react to their end over two frames, and finish what that started.
  for (let i = 0; i < 2; i++) {
    await page.evaluate(() => {
      const w = globalThis as any; // the page's window (this file is compiled without the DOM's types)
      // (a spinner's endless animation cannot be finished: left running)
      for (const a of w.document.getAnimations()) if (a.effect?.getComputedTiming().endTime !== Infinity) a.finish();
      return new Promise<void>((done) => w.requestAnimationFrame(() => w.requestAnimationFrame(() => done())));
    });
  }
  // evaluated through the DevTools protocol: the app's Content-Security-Policy rightly refuses injected <script>s
  if (!(await page.evaluate(() => !!(globalThis as any).axe))) await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const found = await page.evaluate(async (sel) => {
    const axe = (globalThis as any).axe;
    const r = await axe.run(sel, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return r.violations
      .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v: any) => v.nodes.map((n: any) => `${v.id}: ${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1]?.trim() ?? v.help}`));
  }, scope);
  return found;
}
