import { TestApp, doc, startTestApp } from './support/app';

/** Issue 3: bitemporal answers, corrections, history, the whole lifecycle, the dispute report. */
describe('truth over time', () => {
  let t: TestApp;
  const count = async () => (await t.server.core.store.info()).eventCount;
  const owners = async (region: string, item: string, at: string, asKnownAt?: string) => {
    const r = await t.get(`/api/ownership?region=${region}&item=${item}&at=${at}${asKnownAt ? `&asKnownAt=${encodeURIComponent(asKnownAt)}` : ''}`);
    expect(r.status).toBe(200);
    return { status: r.body.status as string, ids: r.body.owners.map((o: any) => o.departmentId) as string[], body: r.body };
  };
  const ok = async (path: string, body: object, status = 200) => {
    const r = await t.post(path, body);
    expect([r.status, r.body.code, r.body.message]).toEqual([status, undefined, undefined]);
    return r.body;
  };

  beforeAll(async () => {
    t = await startTestApp();
    await ok('/api/regions', { code: '650000', name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '1955-10-01', document: doc('区划') }, 201);
    await ok('/api/regions', { code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '1982-01-01', document: doc('区划') }, 201);
    for (const [code, name] of [['650202', '独山子区'], ['650203', '克拉玛依区'], ['650204', '白碱滩区']]) {
      await ok('/api/regions', { code, name, level: 'county', parentCode: '650200', effectiveFrom: '1982-01-01', document: doc('区划') }, 201);
    }
    for (const [id, region] of [['A', '650200'], ['B', '650200'], ['C', '650200'], ['K1', '650202'], ['K2', '650203'], ['K3', '650204']]) {
      await ok('/api/departments', { id, name: `部门${id}`, regionCode: region, effectiveFrom: '2010-01-01', document: doc() }, 201);
    }
    for (const code of ['P1', 'P2', 'P3', 'P4']) {
      await ok('/api/catalog/items', { code, name: `事项${code}`, type: '行政处罚', basis: ['某法第一条'], levels: ['city', 'county'], effectiveFrom: '2015-01-01', document: doc('目录') }, 201);
    }
  });
  afterAll(() => t?.close());

  test('the public scenario: a transfer retracted and re-recorded with an earlier date', async () => {
    const t0 = new Date(Date.now() - 1000).toISOString();
    await ok('/api/regions/650200/items/P1/assign', { departmentId: 'A', effectiveFrom: '2016-05-01', document: doc('克政发〔2016〕1号') });
    const first = await ok('/api/regions/650200/items/P1/transfer', { fromDepartmentId: 'A', toDepartmentId: 'B', effectiveFrom: '2020-03-01', document: doc('克编办〔2020〕1号') });
    const t1 = first.recordedAt;
    const retract = await ok(`/api/events/${first.eventIds[0]}/retract`, { reason: '生效日期登记错误', document: doc('克编办〔2020〕9号') });
    await ok('/api/regions/650200/items/P1/transfer', { fromDepartmentId: 'A', toDepartmentId: 'B', effectiveFrom: '2020-02-10', document: doc('克编办〔2020〕1号（更正）') });
    expect(retract.recordedAt > t1).toBe(true);

    expect((await owners('650200', 'P1', '2020-02-20', t1)).ids).toEqual(['A']);
    expect((await owners('650200', 'P1', '2020-02-20')).ids).toEqual(['B']);
    expect((await owners('650200', 'P1', '2020-02-01', t1)).ids).toEqual(['A']);
    expect((await owners('650200', 'P1', '2020-02-01')).ids).toEqual(['A']);
    const before = await t.get(`/api/ownership?region=650200&item=P1&at=2020-02-20&asKnownAt=${encodeURIComponent(t0)}`);
    expect(before.body).toMatchObject({ status: 'not-in-list', owners: [], recorded: false });
    // Between the retraction and the new transfer: the retracted transfer no longer counts.
    expect((await owners('650200', 'P1', '2020-03-05', retract.recordedAt)).ids).toEqual(['A']);

    const h = await t.get('/api/items/P1/history?region=650200');
    expect(h.status).toBe(200);
    const types = h.body.events.map((e: any) => e.type);
    expect(types).toEqual(['CatalogItemDefined', 'ItemAssigned', 'ItemTransferred', 'EventRetracted', 'ItemTransferred']);
    const retracted = h.body.events[2];
    expect(retracted.retractedBy).toMatchObject({ reason: '生效日期登记错误', document: { number: '克编办〔2020〕9号' } });
    expect(h.body.events[3].document.number).toBe('克编办〔2020〕9号');
    expect(h.body.events.every((e: any) => e.actor === undefined)).toBe(true);
    const asReviewer = await t.get('/api/items/P1/history?region=650200', 'reviewer');
    expect(asReviewer.body.events.map((e: any) => e.actor)).toEqual(['editor-user', 'editor-user', 'editor-user', 'editor-user', 'editor-user']);
  });

  test('a retraction needs a reason and a document; a retracted event cannot be retracted twice', async () => {
    const a = await ok('/api/regions/650200/items/P4/assign', { departmentId: 'C', effectiveFrom: '2018-01-01', document: doc() });
    expect((await t.post(`/api/events/${a.eventIds[0]}/retract`, { document: doc() })).status).toBe(400);
    expect((await t.post(`/api/events/${a.eventIds[0]}/retract`, { reason: 'x' })).status).toBe(400);
    expect((await t.post('/api/events/00000000-0000-4000-8000-000000000000/retract', { reason: 'x', document: doc() })).status).toBe(404);
    await ok(`/api/events/${a.eventIds[0]}/retract`, { reason: '误录', document: doc() });
    const n = await count();
    const again = await t.post(`/api/events/${a.eventIds[0]}/retract`, { reason: '误录', document: doc() });
    expect([again.status, again.body.code]).toEqual([409, 'ALREADY_RETRACTED']);
    expect(await count()).toBe(n);
    expect((await owners('650200', 'P4', '2019-01-01')).status).toBe('unowned');
  });

  test('scheduled changes take effect on their date', async () => {
    await ok('/api/regions/650200/items/P2/assign', { departmentId: 'A', effectiveFrom: '2017-01-01', document: doc() });
    await ok('/api/regions/650200/items/P2/transfer', { fromDepartmentId: 'A', toDepartmentId: 'C', effectiveFrom: '2099-01-01', document: doc('未来文件') });
    expect((await owners('650200', 'P2', '2098-12-31')).ids).toEqual(['A']);
    expect((await owners('650200', 'P2', '2099-01-01')).ids).toEqual(['C']);
  });

  test('delegation (下放) and recall (上收) across streams, wholly or not at all', async () => {
    await ok('/api/regions/650200/items/P3/assign', { departmentId: 'A', effectiveFrom: '2016-01-01', document: doc() });
    const n = await count();
    const bad = await t.post('/api/regions/650200/items/P3/delegate', { toRegionCodes: ['650202', '650299'], departmentIds: { '650202': 'K1' }, effectiveFrom: '2021-01-01', document: doc() });
    expect([bad.status, bad.body.code]).toEqual([409, 'UNKNOWN_REGION']);
    expect(await count()).toBe(n);
    const d = await ok('/api/regions/650200/items/P3/delegate', { toRegionCodes: ['650202', '650203'], departmentIds: { '650202': 'K1', '650203': 'K2' }, effectiveFrom: '2021-01-01', document: doc('克政发〔2020〕下放') });
    expect(d.eventIds).toHaveLength(3);
    expect(await count()).toBe(n + 3);
    expect((await owners('650200', 'P3', '2020-12-31')).ids).toEqual(['A']);
    const city = await owners('650200', 'P3', '2021-01-01');
    expect([city.status, city.body.delegatedTo]).toEqual(['not-in-list', ['650202', '650203']]);
    expect((await owners('650202', 'P3', '2021-01-01')).ids).toEqual(['K1']);
    expect((await owners('650202', 'P3', '2021-01-01')).body.receivedFrom).toBe('650200');
    expect((await owners('650203', 'P3', '2021-01-01')).ids).toEqual(['K2']);
    expect((await owners('650204', 'P3', '2021-01-01')).status).toBe('unowned');

    const notDelegated = await t.post('/api/regions/650200/items/P3/recall', { fromRegionCodes: ['650202', '650204'], departmentId: 'B', effectiveFrom: '2023-01-01', document: doc() });
    expect([notDelegated.status, notDelegated.body.code]).toEqual([409, 'NOT_DELEGATED']);
    await ok('/api/regions/650200/items/P3/recall', { fromRegionCodes: ['650202'], departmentId: 'B', effectiveFrom: '2023-01-01', document: doc('上收') });
    expect((await owners('650200', 'P3', '2023-01-01')).ids).toEqual(['B']);
    expect((await owners('650202', 'P3', '2023-01-01')).status).toBe('unowned');
    expect((await owners('650203', 'P3', '2023-01-01')).ids).toEqual(['K2']);
  });

  test('abolition with a successor moves every item it holds in one command; without one they stay as a finding', async () => {
    await ok('/api/departments', { id: 'OLD', name: '旧局', regionCode: '650200', effectiveFrom: '2012-01-01', document: doc() }, 201);
    await ok('/api/departments', { id: 'NEW', name: '新局', regionCode: '650200', effectiveFrom: '2012-01-01', document: doc() }, 201);
    await ok('/api/departments', { id: 'GONE', name: '撤销局', regionCode: '650200', effectiveFrom: '2012-01-01', document: doc() }, 201);
    for (const [code, dept] of [['Q1', 'OLD'], ['Q2', 'OLD'], ['Q3', 'GONE']]) {
      await ok('/api/catalog/items', { code, name: `事项${code}`, type: '行政检查', basis: [], levels: ['city'], effectiveFrom: '2012-01-01', document: doc() }, 201);
      await ok(`/api/regions/650200/items/${code}/assign`, { departmentId: dept, effectiveFrom: '2013-01-01', document: doc() });
    }
    const a = await ok('/api/departments/OLD/abolish', { successorId: 'NEW', effectiveFrom: '2019-03-01', document: doc('机构改革') });
    expect(a.eventIds).toHaveLength(3);
    expect((await owners('650200', 'Q1', '2019-02-28')).ids).toEqual(['OLD']);
    expect((await owners('650200', 'Q1', '2019-03-01')).ids).toEqual(['NEW']);
    expect((await owners('650200', 'Q2', '2019-03-01')).ids).toEqual(['NEW']);
    const g = await ok('/api/departments/GONE/abolish', { effectiveFrom: '2019-03-01', document: doc('机构改革') });
    expect(g.warnings.map((w: any) => w.code)).toEqual(['ABOLISHED_HOLDING_ITEMS']);
    const q3 = await owners('650200', 'Q3', '2019-03-01');
    expect([q3.ids, q3.body.owners[0].departmentActive]).toEqual([['GONE'], false]);
    const dept = await t.get('/api/departments/OLD?at=2019-03-01');
    expect([dept.body.status, dept.body.successorId, dept.body.items]).toEqual(['abolished', 'NEW', []]);
    expect((await t.get('/api/departments/NEW?at=2019-03-01')).body.items.map((i: any) => i.itemCode)).toEqual(['Q1', 'Q2']);
  });

  test('三定 versions: the one in force on each date, with duties, organs and staffing', async () => {
    const v1 = { duties: [{ id: 'D1', text: '负责统计执法检查' }], internalOrgans: [{ id: 'O1', name: '执法科', duties: [{ id: 'D1a', text: '查处统计违法行为' }] }], staffing: { authorized: 20, leaders: 3 } };
    const v2 = { duties: [{ id: 'D1', text: '负责统计执法检查和统计督察' }], internalOrgans: [], staffing: { authorized: 18, leaders: 3 } };
    await ok('/api/departments/A/sanding', { ...v1, effectiveFrom: '2015-01-01', document: doc('三定2015') });
    await ok('/api/departments/A/sanding', { ...v2, effectiveFrom: '2019-03-01', document: doc('三定2019') });
    const bad = await t.post('/api/departments/A/sanding', { ...v1, duties: [{ id: 'X', text: 'a' }, { id: 'X', text: 'b' }], effectiveFrom: '2020-01-01', document: doc() });
    expect([bad.status, bad.body.code]).toEqual([409, 'DUPLICATE_DUTY_ID']);
    const s2016 = (await t.get('/api/departments/A?at=2016-01-01')).body.sanding;
    expect([s2016.from, s2016.staffing, s2016.internalOrgans[0].duties[0].text]).toEqual(['2015-01-01', { authorized: 20, leaders: 3 }, '查处统计违法行为']);
    const s2020 = (await t.get('/api/departments/A?at=2020-01-01')).body;
    expect([s2020.sanding.from, s2020.sanding.duties[0].text, s2020.sandingVersions.length]).toEqual(['2019-03-01', '负责统计执法检查和统计督察', 2]);
    expect((await t.get('/api/departments/A?at=2014-01-01')).body.sanding).toBeNull();
  });

  test('list on a date, and the diff between two dates', async () => {
    const l = await t.get('/api/regions/650200/list?at=2020-02-20');
    expect(l.status).toBe(200);
    const p1 = l.body.items.find((i: any) => i.code === 'P1');
    expect(p1.owners.map((o: any) => o.departmentId)).toEqual(['B']);
    const diff = (await t.get('/api/regions/650200/list/diff?from=2020-01-01&to=2021-06-01')).body;
    expect(diff.transferred.map((x: any) => x.code)).toContain('P1');
    expect(diff.removed.map((x: any) => x.code)).toContain('P3');
  });

  test('the dispute report: as recorded on the day and as known now, with every document and correction', async () => {
    expect((await t.get('/api/disputes/report?region=650200&item=P1&at=2020-02-20')).status).toBe(403);
    const r = await t.get('/api/disputes/report?region=650200&item=P1&at=2020-02-20', 'reviewer');
    expect(r.status).toBe(200);
    expect(r.body.asKnownNow.owners.map((o: any) => o.departmentId)).toEqual(['B']);
    expect(r.body.evolution.map((s: any) => s.type)).toEqual(['CatalogItemDefined', 'ItemAssigned', 'ItemTransferred', 'EventRetracted', 'ItemTransferred']);
    // recorded now, effective years ago: the definition and the first assignment are the original record;
    // the only correction is the transfer re-recorded with its earlier date (the first one and its retraction did not change 2020-02-20)
    expect(r.body.backFilled).toBe(true);
    expect(r.body.corrections.map((s: any) => [s.type, s.effectiveFrom])).toEqual([['ItemTransferred', '2020-02-10']]);
    expect(r.body.documents.map((d: any) => d.number)).toEqual(expect.arrayContaining(['克政发〔2016〕1号', '克编办〔2020〕1号', '克编办〔2020〕9号', '克编办〔2020〕1号（更正）']));
    expect(r.body.chainHead.hash).toMatch(/^[0-9a-f]{64}$/);
    const html = await t.get('/api/disputes/report?region=650200&item=P1&at=2020-02-20&format=html', 'reviewer');
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect(html.text).toContain('职责争议证据报告');
    expect(html.text).toContain('克编办〔2020〕9号');
    expect(html.text).not.toMatch(/<script|https?:\/\//);
  });

  test('boundary clauses are recorded and cited by the report', async () => {
    const b = await ok('/api/boundaries', { regionCode: '650200', matter: '事项P1的执法', leadDepartmentId: 'B', assistingDepartmentIds: ['A'], itemCodes: ['P1'], effectiveFrom: '2020-01-01', document: doc('职责分工协调意见书') }, 201);
    expect(b.eventIds).toHaveLength(1);
    const bad = await t.post('/api/boundaries', { regionCode: '650200', matter: 'x', leadDepartmentId: 'B', assistingDepartmentIds: ['B'], effectiveFrom: '2020-01-01', document: doc() });
    expect([bad.status, bad.body.code]).toEqual([409, 'LEAD_ALSO_ASSISTING']);
    const r = await t.get('/api/disputes/report?region=650200&item=P1&at=2020-02-20', 'reviewer');
    expect(r.body.boundaryClauses.map((c: any) => c.document.number)).toEqual(['职责分工协调意见书']);
  });
});

describe('catalogue items revised and retired over time', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    const post = async (path: string, body: object) => expect((await t.post(path, body)).status).toBeLessThan(300);
    await post('/api/regions', { code: '650000', name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '1955-10-01', document: doc() });
    await post('/api/regions', { code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '1982-01-01', document: doc() });
    await post('/api/departments', { id: 'A', name: '甲局', regionCode: '650200', effectiveFrom: '2010-01-01', document: doc() });
    await post('/api/catalog/items', { code: 'R1', name: '旧名称', type: '行政检查', basis: ['旧法'], levels: ['city'], effectiveFrom: '2015-01-01', document: doc('目录2015') });
    await post('/api/regions/650200/items/R1/assign', { departmentId: 'A', effectiveFrom: '2016-01-01', document: doc() });
  });
  afterAll(() => t?.close());

  test('a revision shows from its date on; the list and the diff see it', async () => {
    const r = await t.post('/api/catalog/items/R1/revise', { name: '新名称', basis: ['新法第三条'], effectiveFrom: '2020-01-01', document: doc('目录修订2020') });
    expect(r.status).toBe(200);
    const same = await t.post('/api/catalog/items/R1/revise', { name: '新名称', effectiveFrom: '2021-01-01', document: doc() });
    expect([same.status, same.body.code]).toEqual([409, 'NOTHING_CHANGED']);
    const item = async (at: string) => (await t.get(`/api/regions/650200/list?at=${at}`)).body.items.find((i: any) => i.code === 'R1');
    expect([(await item('2019-12-31')).name, (await item('2019-12-31')).basis]).toEqual(['旧名称', ['旧法']]);
    expect([(await item('2020-01-01')).name, (await item('2020-01-01')).basis]).toEqual(['新名称', ['新法第三条']]);
    const diff = (await t.get('/api/regions/650200/list/diff?from=2019-06-01&to=2020-06-01')).body;
    expect(diff.revised).toEqual([expect.objectContaining({ code: 'R1', fields: ['name', 'basis'], before: { name: '旧名称', basis: ['旧法'] }, after: { name: '新名称', basis: ['新法第三条'] } })]);
    expect((await t.get('/api/ownership?region=650200&item=R1&at=2019-01-01')).body.itemName).toBe('旧名称');
  });

  test('a retired item cannot be assigned from its date; the list flags it', async () => {
    expect((await t.post('/api/catalog/items/R1/retire', { effectiveFrom: '2023-01-01', document: doc('取消') })).status).toBe(200);
    const again = await t.post('/api/catalog/items/R1/retire', { effectiveFrom: '2024-01-01', document: doc() });
    expect([again.status, again.body.code]).toEqual([409, 'ITEM_RETIRED']);
    await t.post('/api/departments', { id: 'B', name: '乙局', regionCode: '650200', effectiveFrom: '2010-01-01', document: doc() });
    const late = await t.post('/api/regions/650200/items/R1/assign', { departmentId: 'B', effectiveFrom: '2023-06-01', document: doc() });
    expect([late.status, late.body.code]).toEqual([409, 'ITEM_RETIRED']);
    const listed = (await t.get('/api/regions/650200/list?at=2023-06-01')).body.items.find((i: any) => i.code === 'R1');
    expect(listed.retiredInCatalogue).toBe(true);
    expect((await t.post('/api/catalog/items/NOPE/retire', { effectiveFrom: '2023-01-01', document: doc() })).status).toBe(404);
  });
});
