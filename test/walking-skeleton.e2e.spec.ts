import { RegistryProjection, ProjectionRunner } from '../libs/projections/src';
import { TestApp, doc, startTestApp } from './support/app';

describe('walking skeleton over HTTP on the embedded store', () => {
  let t: TestApp;
  const count = async () => (await t.server.core.store.info()).eventCount;
  const owner = (item: string, at: string, asKnownAt?: string) =>
    t.get(`/api/ownership?region=650200&item=${item}&at=${at}${asKnownAt ? `&asKnownAt=${encodeURIComponent(asKnownAt)}` : ''}`);

  beforeAll(async () => {
    t = await startTestApp();
    const setup: Array<[string, object]> = [
      ['/api/regions', { code: '650000', name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '1955-10-01', document: doc('区划') }],
      ['/api/regions', { code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '1982-01-01', document: doc('区划') }],
      ['/api/departments', { id: 'TJJ', name: '克拉玛依市统计局', regionCode: '650200', effectiveFrom: '2010-01-01', document: doc() }],
      ['/api/departments', { id: 'SWJ', name: '克拉玛依市商务局', regionCode: '650200', effectiveFrom: '2010-01-01', document: doc() }],
      ['/api/departments', { id: 'NEW', name: '克拉玛依市新设局', regionCode: '650200', effectiveFrom: '2019-03-01', document: doc() }],
      ['/api/catalog/items', { code: 'X1', name: '对统计违法行为的行政处罚', type: '行政处罚', basis: ['《中华人民共和国统计法》第三十七条'], levels: ['city', 'county'], effectiveFrom: '2015-01-01', document: doc('目录') }],
      ['/api/catalog/items', { code: 'X2', name: '单用途商业预付卡备案', type: '其他行政权力', basis: ['《单用途商业预付卡管理办法》'], levels: ['city'], effectiveFrom: '2015-01-01', document: doc('目录') }],
      ['/api/catalog/items', { code: 'X3', name: '县级专属事项', type: '行政检查', basis: [], levels: ['county'], effectiveFrom: '2015-01-01', document: doc('目录') }],
    ];
    for (const [path, body] of setup) {
      const r = await t.post(path, body);
      expect([r.status, r.body.code]).toEqual([201, undefined]);
    }
  });
  afterAll(() => t?.close());

  test('assign, transfer, withdraw: ownership before and after each effective date', async () => {
    expect((await owner('X1', '2016-05-01')).body).toMatchObject({ status: 'unowned', owners: [] });
    const a = await t.post('/api/regions/650200/items/X1/assign', { departmentId: 'TJJ', role: 'lead', effectiveFrom: '2016-05-01', document: doc() });
    expect(a.status).toBe(200);
    expect(a.body.eventIds).toHaveLength(1);
    expect(a.body.recordedAt).toMatch(/Z$/);
    expect(a.body.streamVersion).toBe(0);
    expect(a.body.warnings).toEqual([]);

    expect((await owner('X1', '2016-04-30')).body.status).toBe('unowned');
    const on = (await owner('X1', '2016-05-01')).body;
    expect(on).toMatchObject({ region: '650200', item: 'X1', at: '2016-05-01', status: 'owned' });
    expect(on.owners).toEqual([
      expect.objectContaining({ departmentId: 'TJJ', departmentName: '克拉玛依市统计局', role: 'lead', since: '2016-05-01', eventId: a.body.eventIds[0], document: doc() }),
    ]);

    const tr = await t.post('/api/regions/650200/items/X1/transfer', { fromDepartmentId: 'TJJ', toDepartmentId: 'SWJ', effectiveFrom: '2020-03-01', document: doc('克编办〔2020〕3号') });
    expect(tr.status).toBe(200);
    expect((await owner('X1', '2020-02-29')).body.owners.map((o: any) => o.departmentId)).toEqual(['TJJ']);
    const after = (await owner('X1', '2020-03-01')).body;
    expect(after.owners.map((o: any) => [o.departmentId, o.since, o.document.number])).toEqual([['SWJ', '2020-03-01', '克编办〔2020〕3号']]);

    const w = await t.post('/api/regions/650200/items/X1/withdraw', { departmentId: 'SWJ', effectiveFrom: '2021-01-01', document: doc('克编办〔2021〕1号') });
    expect(w.status).toBe(200);
    expect(w.body.warnings.map((x: any) => x.code)).toEqual(['GAP']);
    expect((await owner('X1', '2020-12-31')).body.status).toBe('owned');
    expect((await owner('X1', '2021-01-01')).body).toMatchObject({ status: 'unowned', owners: [] });

    // asKnownAt: before the transfer was recorded, 2020-03-01 still belonged to TJJ.
    const beforeTransfer = new Date(Date.parse(tr.body.recordedAt) - 1).toISOString();
    expect((await owner('X1', '2020-03-01', beforeTransfer)).body.owners.map((o: any) => o.departmentId)).toEqual(['TJJ']);
    expect((await owner('X1', '2020-03-01', tr.body.recordedAt)).body.owners.map((o: any) => o.departmentId)).toEqual(['SWJ']);
  });

  test('a second lead is recorded, reported as a conflict and warned about', async () => {
    await t.post('/api/regions/650200/items/X2/assign', { departmentId: 'SWJ', role: 'lead', effectiveFrom: '2018-01-01', document: doc() }).expect(200);
    const r = await t.post('/api/regions/650200/items/X2/assign', { departmentId: 'TJJ', role: 'lead', effectiveFrom: '2019-01-01', document: doc() });
    expect(r.status).toBe(200);
    expect(r.body.warnings).toEqual([expect.objectContaining({ code: 'CONFLICT' })]);
    expect((await owner('X2', '2018-12-31')).body.status).toBe('owned');
    const c = (await owner('X2', '2019-01-01')).body;
    expect(c.status).toBe('conflict');
    expect(c.owners.map((o: any) => o.departmentId).sort()).toEqual(['SWJ', 'TJJ']);
  });

  test('an item the catalogue gives to another level and nobody holds is not in the list', async () => {
    expect((await owner('X3', '2020-01-01')).body).toMatchObject({ status: 'not-in-list', owners: [] });
  });

  test.each([
    { what: 'transfer from a department that does not hold the item', path: '/api/regions/650200/items/X1/transfer', body: { fromDepartmentId: 'TJJ', toDepartmentId: 'SWJ', effectiveFrom: '2022-01-01', document: doc() }, status: 409, code: 'NOT_HELD' },
    { what: 'assign before the department exists', path: '/api/regions/650200/items/X3/assign', body: { departmentId: 'NEW', effectiveFrom: '2018-01-01', document: doc() }, status: 409, code: 'BEFORE_DEPARTMENT_EXISTS' },
    { what: 'assign to an unknown department', path: '/api/regions/650200/items/X3/assign', body: { departmentId: 'NOPE', effectiveFrom: '2020-01-01', document: doc() }, status: 409, code: 'UNKNOWN_DEPARTMENT' },
    { what: 'assign before the item is in the catalogue', path: '/api/regions/650200/items/X3/assign', body: { departmentId: 'TJJ', effectiveFrom: '2014-01-01', document: doc() }, status: 409, code: 'BEFORE_ITEM_EXISTS' },
    { what: 'assign the same holding twice', path: '/api/regions/650200/items/X2/assign', body: { departmentId: 'SWJ', effectiveFrom: '2020-01-01', document: doc() }, status: 409, code: 'ALREADY_ASSIGNED' },
    { what: 'register a department twice', path: '/api/departments', body: { id: 'TJJ', name: '重复', regionCode: '650200', effectiveFrom: '2020-01-01', document: doc() }, status: 409, code: 'DEPARTMENT_EXISTS' },
    { what: 'a department in an unregistered region', path: '/api/departments', body: { id: 'Z1', name: '某局', regionCode: '650203', effectiveFrom: '2020-01-01', document: doc() }, status: 409, code: 'UNKNOWN_REGION' },
    { what: 'assign in an unknown region', path: '/api/regions/650203/items/X1/assign', body: { departmentId: 'TJJ', effectiveFrom: '2020-01-01', document: doc() }, status: 404, code: 'UNKNOWN_REGION' },
    { what: 'assign an unknown item', path: '/api/regions/650200/items/NOPE/assign', body: { departmentId: 'TJJ', effectiveFrom: '2020-01-01', document: doc() }, status: 404, code: 'UNKNOWN_ITEM' },
    { what: 'rename an unknown department', path: '/api/departments/NOPE/rename', body: { name: 'x', effectiveFrom: '2020-01-01', document: doc() }, status: 404, code: 'UNKNOWN_DEPARTMENT' },
  ])('$what → $status $code, nothing appended', async ({ path, body, status, code }) => {
    const before = await count();
    const r = await t.post(path, body);
    expect([r.status, r.body.code]).toEqual([status, code]);
    expect(typeof r.body.message).toBe('string');
    expect(await count()).toBe(before);
  });

  test.each([
    ['missing document', '/api/departments', { id: 'Q1', name: 'x', regionCode: '650200', effectiveFrom: '2020-01-01' }, ['document']],
    ['empty 文号', '/api/departments', { id: 'Q1', name: 'x', regionCode: '650200', effectiveFrom: '2020-01-01', document: { number: ' ' } }, ['document.number']],
    ['impossible date', '/api/departments', { id: 'Q1', name: 'x', regionCode: '650200', effectiveFrom: '2023-02-30', document: doc() }, ['effectiveFrom']],
    ['wrong types', '/api/catalog/items', { code: 'Q', name: 5, type: '许可', basis: 'x', levels: ['nation'], effectiveFrom: '2020-01-01', document: doc() }, ['name', 'type', 'basis', 'levels']],
    ['unknown field', '/api/departments', { id: 'Q1', name: 'x', regionCode: '650200', effectiveFrom: '2020-01-01', document: doc(), isAdmin: true }, ['isAdmin']],
    ['bad role', '/api/regions/650200/items/X1/assign', { departmentId: 'TJJ', role: 'boss', effectiveFrom: '2020-01-01', document: doc() }, ['role']],
    ['bad path parameter', '/api/regions/65/items/X1/assign', { departmentId: 'TJJ', effectiveFrom: '2020-01-01', document: doc() }, ['code']],
  ])('bad body (%s) → 400 naming each field, nothing appended', async (_what, path, body, fields) => {
    const before = await count();
    const r = await t.post(path, body);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('VALIDATION');
    expect(r.body.fields.map((f: any) => f.field).sort()).toEqual([...fields].sort());
    expect(await count()).toBe(before);
  });

  test('malformed JSON → 400; bad query → 400', async () => {
    const r = await t.http().post('/api/departments').set('Authorization', 'Bearer editor-token-0123456789abcdef').set('Content-Type', 'application/json').send('{"id":');
    expect(r.status).toBe(400);
    const q = await t.get('/api/ownership?region=650200&item=X1&at=2020-13-01');
    expect(q.status).toBe(400);
    expect(q.body.fields.map((f: any) => f.field)).toEqual(['at']);
    const k = await t.get('/api/ownership?region=650200&item=X1&at=2020-01-01&asKnownAt=yesterday');
    expect(k.body.fields.map((f: any) => f.field)).toEqual(['asKnownAt']);
  });

  test('no token 401, unknown token 401, wrong role 403; health needs none', async () => {
    expect((await t.http().get('/api/ownership?region=650200&item=X1&at=2020-01-01')).status).toBe(401);
    expect((await t.http().get('/api/ownership?region=650200&item=X1&at=2020-01-01').set('Authorization', 'Bearer not-a-token-at-all-xxxx')).status).toBe(401);
    const before = await count();
    const r = await t.post('/api/departments', { id: 'R1', name: 'x', regionCode: '650200', effectiveFrom: '2020-01-01', document: doc() }, 'reader');
    expect(r.status).toBe(403);
    expect((await t.post('/api/departments', { id: 'R1', name: 'x', regionCode: '650200', effectiveFrom: '2020-01-01', document: doc() }, 'reviewer')).status).toBe(403);
    expect(await count()).toBe(before);
    const h = await t.http().get('/api/health');
    expect(h.status).toBe(200);
    expect(h.body.projections[0]).toMatchObject({ name: 'registry', lag: 0, live: true });
    expect(h.body.projections[0].checkpoint).toBe(before);
  });

  test('unknown region or item in a query → 404', async () => {
    expect((await t.get('/api/ownership?region=650203&item=X1&at=2020-01-01')).status).toBe(404);
    expect((await t.get('/api/ownership?region=650200&item=NOPE&at=2020-01-01')).status).toBe(404);
  });

  test('expectedVersion: a stale version is 409 and changes nothing; the right one applies', async () => {
    const before = await count();
    const stale = await t.post('/api/departments/TJJ/rename', { name: '统计局（新）', effectiveFrom: '2021-01-01', document: doc(), expectedVersion: 5 });
    expect([stale.status, stale.body.code]).toEqual([409, 'WRONG_EXPECTED_VERSION']);
    expect(await count()).toBe(before);
    const ok = await t.post('/api/departments/TJJ/rename', { name: '统计局（新）', effectiveFrom: '2021-01-01', document: doc(), expectedVersion: 0 });
    expect([ok.status, ok.body.streamVersion]).toEqual([200, 1]);
    expect((await owner('X2', '2021-06-01')).body.owners.find((o: any) => o.departmentId === 'TJJ').departmentName).toBe('统计局（新）');
    expect((await owner('X2', '2020-06-01')).body.owners.find((o: any) => o.departmentId === 'TJJ').departmentName).toBe('克拉玛依市统计局');
  });

  test('a command retried with the same Idempotency-Key is recorded once', async () => {
    const body = { id: 'IDEM', name: '幂等局', regionCode: '650200', effectiveFrom: '2020-01-01', document: doc() };
    const first = await t.post('/api/departments', body).set('Idempotency-Key', 'cmd-idem-1');
    const second = await t.post('/api/departments', body).set('Idempotency-Key', 'cmd-idem-1');
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.eventIds).toEqual(first.body.eventIds);
    expect((await t.server.core.store.readStream('department-IDEM')).length).toBe(1);
    // The same key on a different command is refused, not answered with the first command's result.
    const before = await count();
    const other = await t.post('/api/departments', { ...body, id: 'IDEM2' }).set('Idempotency-Key', 'cmd-idem-1');
    expect([other.status, other.body.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await count()).toBe(before);
  });

  test('a projection rebuilt from zero equals the live one', async () => {
    const rebuilt = new RegistryProjection();
    await new ProjectionRunner(t.server.core.store, [rebuilt]).rebuild(7);
    expect(rebuilt.state()).toEqual(t.server.core.view.state());
  });
});
