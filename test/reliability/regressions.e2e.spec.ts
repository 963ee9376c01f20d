/**
 * Regression tests for the bugs the reliability harness found (docs/reliability.md lists them).
 * Each one failed before its fix.
 */
import { existsSync, rmSync } from 'node:fs';
import { Server } from 'node:http';
import { join } from 'node:path';
import { findJsonProblem } from '../../apps/api/src/http/json-guard';
import { TestApp, doc, startTestApp } from '../support/app';
import { ServerChild } from './support/child';
import { ROLE_TOKENS, SECRETS, TOKENS_ENV, tempDir } from './support/harness';
import { Api, forgetAgent, send } from './support/http';
import { CITY, COUNTIES, seedWorld } from './support/seed';

jest.setTimeout(60_000);

describe('regressions found by the reliability harness (in-process server, real HTTP)', () => {
  let t: TestApp;
  let api: Api;
  const count = async () => (await t.server.core.store.info()).eventCount;
  const raw = (path: string, body: string, headers: Record<string, string> = {}) =>
    send(t.server.url, { method: 'POST', path, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ROLE_TOKENS.editor}`, ...headers }, body });
  const region = (extra: Record<string, unknown> = {}) => ({ code: '660000', name: '测试省', level: 'province', effectiveFrom: '2000-01-01', document: doc(), ...extra });

  beforeAll(async () => {
    t = await startTestApp();
    api = new Api(t.server.url, ROLE_TOKENS.editor);
    await seedWorld(api);
  });
  afterAll(async () => {
    forgetAgent(t.server.url);
    await t?.close();
  });

  // Bug 1: deep JSON overflowed class-transformer's recursion → 500.
  test.each([
    ['a deep array in an unknown field', JSON.stringify(region({ extra: 'X' })).replace('"X"', '['.repeat(50_000) + ']'.repeat(50_000))],
    ['a deep object in the document', JSON.stringify(region({ document: 'X' })).replace('"X"', '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000))],
    ['40 levels in reason', JSON.stringify(region({ reason: 'X' })).replace('"X"', '['.repeat(40) + ']'.repeat(40))],
  ])('%s → 400 naming the field, not 500; nothing appended', async (_what, body) => {
    const before = await count();
    const r = await raw('/api/regions', body);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toMatchObject({ code: 'VALIDATION', fields: [expect.objectContaining({ errors: [expect.stringMatching(/嵌套过深/)] })] });
    expect(await count()).toBe(before);
  });

  test('a 三定 with a deep duties array → 400, not 500', async () => {
    const body = JSON.stringify({ effectiveFrom: '2020-01-01', document: doc(), duties: [], internalOrgans: [{ id: 'a', name: 'b', duties: 'X' }], staffing: { authorized: 1, leaders: 1 } }).replace('"X"', '['.repeat(30_000) + ']'.repeat(30_000));
    expect((await raw('/api/departments/D1/sanding', body)).status).toBe(400);
  });

  test('legitimate nesting (三定: organs → duties) is still accepted', async () => {
    const r = await api.post('/api/departments/D1/sanding', { effectiveFrom: '2020-01-01', document: doc(), duties: [{ id: 'd1', text: '职责' }], internalOrgans: [{ id: 'o1', name: '科室', duties: [{ id: 'od1', text: '科室职责' }] }], staffing: { authorized: 10, leaders: 2 } });
    expect(r.status).toBe(200);
  });

  // Bug 2: __proto__ / constructor keys were silently dropped or ignored and the command accepted (201),
  // although unknown fields are refused; a prototype key must never reach code that merges objects.
  test.each([
    ['__proto__ at the top', JSON.stringify(region()).replace('{', '{"__proto__":{"isAdmin":true},')],
    ['__proto__ in the document', JSON.stringify(region()).replace('"document":{', '"document":{"__proto__":{"x":1},')],
    ['constructor at the top', JSON.stringify(region({ constructor: { prototype: { polluted: 1 } } }))],
    ['constructor in the document', JSON.stringify(region({ document: { number: 'x', constructor: 1 } }))],
    ['prototype in a map', JSON.stringify({ toRegionCodes: [COUNTIES[0]], departmentIds: { prototype: 'D1' }, effectiveFrom: '2020-01-01', document: doc() })],
  ])('%s → 400 naming the key; nothing appended; Object.prototype untouched', async (_what, body) => {
    const before = await count();
    const r = await raw(body.includes('toRegionCodes') ? `/api/regions/${CITY}/items/X1/delegate` : '/api/regions', body);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text).fields[0].errors[0]).toMatch(/不允许的字段名/);
    expect(await count()).toBe(before);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('__proto__ / constructor in a query string → 400', async () => {
    for (const q of ['__proto__=1', 'constructor=x']) {
      const r = await send(t.server.url, { method: 'GET', path: `/api/regions/${CITY}/list?at=2020-01-01&${q}`, headers: { Authorization: `Bearer ${ROLE_TOKENS.reader}` } });
      expect(r.status).toBe(400);
    }
  });

  test('multipart form fields named like prototype paths do not pollute Object.prototype', async () => {
    const b = '----q';
    const field = (name: string, value: string) => `--${b}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const body = field('__proto__[polluted]', 'yes') + field('constructor[prototype][polluted]', 'yes') + field('region', CITY) + `--${b}--\r\n`;
    const r = await send(t.server.url, { method: 'POST', path: '/api/imports', headers: { Authorization: `Bearer ${ROLE_TOKENS.editor}`, 'Content-Type': `multipart/form-data; boundary=${b}` }, body });
    expect(r.status).toBeLessThan(500);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  // Bug 3: a lone surrogate was stored in the log for ever; it cannot be written as UTF-8 (exports, HTML).
  test('a lone surrogate in a string or a key → 400; a proper pair (emoji) is fine', async () => {
    expect((await raw('/api/regions', JSON.stringify(region({ name: '测试\ud800省' })))).status).toBe(400);
    expect((await raw('/api/regions', JSON.stringify(region({ document: { number: '\udc00' } })))).status).toBe(400);
    expect(findJsonProblem({ ['\ud800']: 1 })?.error).toMatch(/孤立的代理项/);
    expect(findJsonProblem({ name: '局👨‍👩‍👧' })).toBeUndefined();
  });

  // Bug 8: a name made only of invisible characters (zero-width space, BOM) passed `IsNotEmpty` after trim().
  test.each([['\u200b'], ['\ufeff\u200b'], [' \u3000\u2060 ']])('a name that is only invisible characters (%j) → 400; nothing appended', async (name) => {
    const before = await count();
    const r = await api.post('/api/departments', { id: 'ZW1', name, regionCode: CITY, effectiveFrom: '2020-01-01', document: doc() });
    expect([r.status, r.body.fields?.map((f: { field: string }) => f.field)]).toEqual([400, ['name']]);
    expect(await count()).toBe(before);
  });

  test('invisible characters around a name are trimmed; inside (an emoji ZWJ sequence) they stay', async () => {
    const r = await api.post('/api/departments', { id: 'ZW2', name: '\u200b克拉玛依市👨‍👩‍👧局\ufeff', regionCode: CITY, effectiveFrom: '2020-01-01', document: doc() });
    expect(r.status).toBe(201);
    const d = await api.get(`/api/departments/ZW2?at=2020-01-01`, ROLE_TOKENS.reader);
    expect(d.body.name).toBe('克拉玛依市👨‍👩‍👧局');
  });

  // Bug 4: @IsOptional() let null through: delegate with departmentIds: null crashed with a 500;
  // expectedVersion: null was a misleading 409; reason: null was stored as null.
  test.each([
    ['departmentIds: null on delegate', `/api/regions/${CITY}/items/X1/delegate`, { toRegionCodes: [COUNTIES[0]], departmentIds: null, effectiveFrom: '2020-01-01', document: doc() }, 'departmentIds'],
    ['expectedVersion: null', '/api/departments/D1/rename', { name: '新名', effectiveFrom: '2021-01-01', document: doc(), expectedVersion: null }, 'expectedVersion'],
    ['reason: null', '/api/departments/D1/rename', { name: '新名', effectiveFrom: '2021-01-01', document: doc(), reason: null }, 'reason'],
    ['document.title: null', '/api/departments/D1/rename', { name: '新名', effectiveFrom: '2021-01-01', document: { number: 'x', title: null } }, 'document.title'],
    ['an optional field of a nested array item', '/api/regions/650200/items/X1/assign', { departmentId: 'D1', effectiveFrom: '2021-01-01', document: doc(), asPublished: { name: null } }, 'asPublished.name'],
  ])('%s → 400 naming the field; nothing appended', async (_what, path, body, field) => {
    const before = await count();
    const r = await api.post(path, body);
    expect([r.status, r.body.code]).toEqual([400, 'VALIDATION']);
    expect(r.body.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(await count()).toBe(before);
  });

  test('delegation with departmentIds left out still works', async () => {
    await api.post(`/api/regions/${CITY}/items/X2/assign`, { departmentId: 'D1', effectiveFrom: '2010-01-01', document: doc() });
    const r = await api.post(`/api/regions/${CITY}/items/X2/delegate`, { toRegionCodes: [COUNTIES[0]], effectiveFrom: '2011-01-01', document: doc() });
    expect(r.status).toBe(200);
  });

  // Bug 5: errors from the body parser said "HttpException" and English text instead of the contract's words.
  test('body-parser errors carry the standard error name and the contract’s message', async () => {
    const big = await raw('/api/regions', JSON.stringify(region({ reason: 'x'.repeat(1_100_000) })));
    expect(big.status).toBe(413);
    expect(JSON.parse(big.text)).toMatchObject({ statusCode: 413, error: 'Payload Too Large', code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/请求体过大/) });
    const bad = await raw('/api/regions', 'null');
    expect(JSON.parse(bad.text)).toMatchObject({ statusCode: 400, error: 'Bad Request', message: '请求体不是有效的 JSON' });
    const gz = await raw('/api/regions', 'garbage', { 'Content-Encoding': 'gzip' });
    expect([gz.status, JSON.parse(gz.text).message]).toEqual([400, '请求体的压缩数据无效']);
    const pct = await send(t.server.url, { method: 'GET', path: '/api/departments/%E0%A4%A?at=2020-01-01', headers: { Authorization: `Bearer ${ROLE_TOKENS.reader}` } });
    expect([pct.status, JSON.parse(pct.text).message]).toEqual([400, '请求路径中含有无效的百分号编码']);
    const noToken = await send(t.server.url, { method: 'GET', path: '/api/session' });
    expect(JSON.parse(noToken.text)).toMatchObject({ statusCode: 401, error: 'Unauthorized', code: 'UNAUTHENTICATED' });
  });

  // Bug 6: a body with tens of thousands of unknown keys produced a multi-megabyte 400.
  test('a 400 lists at most 50 fields', async () => {
    const body: Record<string, unknown> = region();
    for (let i = 0; i < 40_000; i++) body[`k${i}`] = i;
    const r = await raw('/api/regions', JSON.stringify(body));
    expect(r.status).toBe(400);
    const b = JSON.parse(r.text);
    expect(b.fields).toHaveLength(50);
    expect(r.text.length).toBeLessThan(20_000);
  });

  test('body limit and header/request timeouts are set on the listening server', () => {
    const s = t.server.app.getHttpServer() as Server;
    expect(s.headersTimeout).toBeGreaterThan(0);
    expect(s.headersTimeout).toBeLessThanOrEqual(30_000);
    expect(s.requestTimeout).toBeGreaterThan(0);
    expect(s.requestTimeout).toBeLessThanOrEqual(120_000);
  });
});

// Bug 7: on SIGTERM, Nest's shutdown hook re-raised the signal once Nest had closed, so the process
// died (exit 143) before main.ts saved the read-model snapshot: every restart replayed the whole log.
describe('graceful stop of the real server process', () => {
  test('SIGTERM → exit 0, the read-model snapshot is saved, and the next start restores from it', async () => {
    const dir = tempDir('sigterm');
    const child = new ServerChild({ dataDir: dir, tokensEnv: TOKENS_ENV, secrets: SECRETS });
    try {
      const url = await child.start(60_000);
      await seedWorld(new Api(url, ROLE_TOKENS.editor));
      const head = (await new Api(url).get('/api/health')).body.store.headPosition;
      forgetAgent(url);
      const exit = await child.kill('SIGTERM');
      expect(exit).toEqual({ code: 0, signal: null });
      expect(existsSync(join(dir, 'readmodels', 'readmodels.snapshot'))).toBe(true);
      const url2 = await child.start(60_000);
      const h = (await new Api(url2).get('/api/health')).body;
      expect(h.projections[0].restoredFrom).toMatchObject({ snapshotPosition: head });
      expect(h.projections[0]).toMatchObject({ checkpoint: head, lag: 0 });
      forgetAgent(url2);
      expect(await child.kill('SIGINT')).toEqual({ code: 0, signal: null });
      expect(child.leaks.size).toBe(0);
    } finally {
      await child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
