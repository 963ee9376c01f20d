import { TestApp, doc, startTestApp } from './support/app';

/**
 * Issue 16 item 4: the dispute report over HTTP, three ways — as published then (the edition in force on
 * the day), as recorded then (asKnownAt, default the end of the day in China time), as known now — on a
 * back-filled history and on a corrected one; every type, role and level in Chinese; HTML escaped, CSP.
 */
describe('the dispute report, three ways', () => {
  let t: TestApp;
  const ok = async (path: string, body: object, status = 200, role: 'editor' | 'admin' = 'editor') => {
    const r = await t.post(path, body, role);
    expect([r.status, r.body.code, r.body.message]).toEqual([status, undefined, undefined]);
    return r.body;
  };
  const report = async (q: string) => {
    const r = await t.get(`/api/disputes/report?region=650200&${q}`, 'reviewer');
    expect([r.status, r.body.message]).toEqual([200, undefined]);
    return r.body;
  };
  const ids = (a: any) => a.owners.map((o: any) => `${o.departmentId}:${o.roleLabel}`);

  beforeAll(async () => {
    t = await startTestApp();
    await ok('/api/regions', { code: '650000', name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '1955-10-01', document: doc('区划') }, 201);
    await ok('/api/regions', { code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '1982-01-01', document: doc('区划') }, 201);
    await ok('/api/departments', { id: 'RS', name: '市人力资源和社会保障局', regionCode: '650200', effectiveFrom: '2010-01-01', document: doc() }, 201);
    await ok('/api/departments', { id: 'YB', name: '市医疗保障局 <b onmouseover="x">', regionCode: '650200', effectiveFrom: '2010-01-01', document: doc() }, 201);
    for (const code of ['X', 'Y']) {
      await ok('/api/catalog/items', { code, name: `事项${code}`, type: '行政处罚', basis: ['某法第一条'], levels: ['city', 'county'], effectiveFrom: '2015-01-01', document: doc('目录') }, 201);
    }
    // Back-filled: the 2019 list recorded now (two rows of the same list for X), declared as the 2019年版 edition.
    const list = doc('克政办发〔2019〕演示1号');
    await ok('/api/regions/650200/items/X/assign', { departmentId: 'RS', effectiveFrom: '2019-01-01', document: list });
    await ok('/api/regions/650200/items/X/assign', { departmentId: 'YB', role: 'cooperating', effectiveFrom: '2019-01-01', document: list });
    await ok('/api/regions/650200/items/Y/assign', { departmentId: 'RS', effectiveFrom: '2019-01-01', document: list });
    await ok('/api/regions/650200/editions', { number: '2019年版', title: '克拉玛依市权责清单（2019年版）', publishedOn: '2019-01-10', effectiveFrom: '2019-01-01', document: list }, 201, 'admin');
  });
  afterAll(() => t?.close());

  it('back-filled: as published names the edition; as recorded then is empty, and the original record is no correction', async () => {
    const r = await report('item=X&at=2020-06-01');
    expect(r.question.asKnownAt).toBe('2020-06-01T15:59:59.999Z');
    expect(r.asPublishedThen.edition).toMatchObject({ number: '2019年版', publishedOn: '2019-01-10', effectiveFrom: '2019-01-01', document: { number: '克政办发〔2019〕演示1号' } });
    expect(ids(r.asPublishedThen)).toEqual(['RS:牵头', 'YB:配合']);
    expect([r.asRecordedOnTheDay.recorded, r.asRecordedOnTheDay.statusLabel]).toEqual([false, '当时尚无登记']);
    expect(ids(r.asKnownNow)).toEqual(['RS:牵头', 'YB:配合']);
    expect([r.backFilled, r.publishedDiffers, r.corrections]).toEqual([true, false, []]);
    expect(r.evolution.every((s: any) => s.original && !s.correction)).toBe(true);
    expect(r.labels).toMatchObject({ roles: { lead: '牵头', cooperating: '配合' }, levels: { city: '市级' }, eventTypes: { ItemAssigned: '认领（列入本级清单）' } });
    expect(r.itemVersion.levelLabels).toEqual(['市级', '县级']);

    const early = await report('item=X&at=2019-01-05');
    expect([early.asPublishedThen.edition, early.asPublishedThen.statusLabel]).toEqual([null, '当日尚无已公布的清单版本']);

    const html = await t.get('/api/disputes/report?region=650200&item=X&at=2020-06-01&format=html', 'reviewer');
    expect(html.status).toBe(200);
    expect(html.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(html.text).toContain('按当日公布的清单');
    expect(html.text).toContain('2019年版');
    expect(html.text).toContain('当时尚无登记');
    expect(html.text).toContain('原始登记');
    expect(html.text).toContain('市医疗保障局 &lt;b onmouseover=&quot;x&quot;&gt;');
    expect(html.text).not.toMatch(/<script|<b onmouseover|https?:\/\//);
    for (const code of ['ItemAssigned', 'CatalogItemDefined', 'cooperating', 'not-in-list']) expect([code, html.text.includes(code)]).toEqual([code, false]);
  });

  it('corrected: a retraction and a re-recorded transfer after the instant asked about; only what changed the day counts', async () => {
    const first = await ok('/api/regions/650200/items/Y/transfer', { fromDepartmentId: 'RS', toDepartmentId: 'YB', effectiveFrom: '2024-01-01', document: doc('克编办〔2023〕演示4号') });
    const t1 = first.recordedAt;
    const retract = await ok(`/api/events/${first.eventIds[0]}/retract`, { reason: '生效日期登记有误', document: doc('克编办〔2024〕演示11号') });
    const again = await ok('/api/regions/650200/items/Y/transfer', { fromDepartmentId: 'RS', toDepartmentId: 'YB', effectiveFrom: '2023-06-01', document: doc('克编办〔2023〕演示4号（更正）') });

    const r = await report(`item=Y&at=2023-08-01&asKnownAt=${encodeURIComponent(t1)}`);
    expect(r.question.asKnownAt).toBe(t1);
    expect(r.asPublishedThen.edition.number).toBe('2019年版');
    expect(ids(r.asPublishedThen)).toEqual(['RS:牵头']);
    expect(ids(r.asRecordedOnTheDay)).toEqual(['RS:牵头']);
    expect(ids(r.asKnownNow)).toEqual(['YB:牵头']);
    expect([r.backFilled, r.answersDiffer, r.publishedDiffers]).toEqual([false, true, true]);
    // the retraction did not change 2023-08-01 (the retracted transfer was in force only from 2024)
    expect(r.corrections.map((s: any) => s.eventId)).toEqual([again.eventIds[0]]);
    expect(r.evolution.find((s: any) => s.eventId === retract.eventIds[0])).toMatchObject({ typeLabel: '撤回（更正）', changedTheAnswer: false, correction: false });
    // on a day the retracted transfer had changed, the retraction is a correction too
    const later = await report(`item=Y&at=2024-03-01&asKnownAt=${encodeURIComponent(t1)}`);
    expect(later.corrections.map((s: any) => s.type)).toEqual(['EventRetracted', 'ItemTransferred']);
    expect(ids(later.asRecordedOnTheDay)).toEqual(['YB:牵头']);

    const html = await t.get(`/api/disputes/report?region=650200&item=Y&at=2023-08-01&asKnownAt=${encodeURIComponent(t1)}&format=html`, 'reviewer');
    expect(html.text).toContain('之后登记了 1 项改变该日答案的更正');
    expect(html.text).toContain('克编办〔2023〕演示4号（更正）');
  });

  it('refuses a bad asKnownAt and answers reviewers only', async () => {
    const bad = await t.get('/api/disputes/report?region=650200&item=X&at=2020-06-01&asKnownAt=yesterday', 'reviewer');
    expect([bad.status, bad.body.fields?.map((f: any) => f.field)]).toEqual([400, ['asKnownAt']]);
    expect((await t.get('/api/disputes/report?region=650200&item=X&at=2020-06-01')).status).toBe(403);
  });
});
