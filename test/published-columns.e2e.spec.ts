import { TOKENS, TestApp, answers, doc, karamayWithTwoBureaus, startTestApp } from './support/app';

/**
 * Issue 15 item 1 over HTTP: the list's own columns of a row (责任事项, 追责情形 …) are part of the entry's
 * published wording — recorded by assign (asPublished.fields) with a document and an effective date, shown
 * on the list and the department's items, compared by the list diff; bad columns are refused whole.
 */
describe('the published columns of a list row over HTTP', () => {
  let t: TestApp;
  const { ok } = answers(() => t);
  beforeAll(async () => {
    t = await startTestApp();
    await karamayWithTwoBureaus(ok);
    await ok('/api/catalog/items', { code: 'X1', name: '对统计违法行为的行政处罚', type: '行政处罚', basis: ['《中华人民共和国统计法》第三十七条'], levels: ['city'], effectiveFrom: '2015-01-01', document: doc('目录') }, 201);
  });
  afterAll(() => t?.close());

  test('a revised 追责情形 is an assignment with its document and date; the list, the department and the diff show it', async () => {
    const fields = { 承办机构: '统计执法监督科', 责任事项: '1.立案责任\n2.调查责任', 追责情形: '对应当予以制止和处罚的违法行为不予制止、处罚的' };
    const a = await t.post('/api/regions/650200/items/X1/assign', { departmentId: 'RS', role: 'lead', asPublished: { fields }, effectiveFrom: '2016-05-01', document: doc() });
    expect([a.status, a.body.code, JSON.stringify(a.body.errors ?? a.body.message)]).toEqual([200, undefined, undefined]);
    const revised = { ...fields, 追责情形: '违法实施行政处罚的' };
    const b = await t.post('/api/regions/650200/items/X1/assign', { departmentId: 'RS', role: 'lead', asPublished: { fields: revised }, effectiveFrom: '2020-01-01', document: doc('克政办发〔2020〕3号') });
    expect(b.status).toBe(200);
    const before = (await t.get('/api/regions/650200/list?at=2017-01-01')).body;
    const after = (await t.get('/api/regions/650200/list?at=2021-01-01')).body;
    expect(before.items[0].published).toEqual({ fields });
    expect(after.items[0].published.fields.责任事项).toBe('1.立案责任\n2.调查责任');
    expect(after.items[0].published.fields.追责情形).toBe('违法实施行政处罚的');
    expect((await t.get('/api/departments/RS?at=2021-01-01')).body.items[0].published).toEqual({ fields: revised });
    const diff = (await t.get('/api/regions/650200/list/diff?from=2017-01-01&to=2021-01-01')).body;
    expect(diff.revised).toEqual([{ code: 'X1', name: '对统计违法行为的行政处罚', fields: ['追责情形'], before: { 追责情形: fields.追责情形 }, after: { 追责情形: '违法实施行政处罚的' } }]);
  });

  test('columns that are not { header: text } are refused whole with a field error; nothing is recorded', async () => {
    const count = async () => (await t.server.core.store.info()).eventCount;
    const n = await count();
    for (const fields of [['追责情形'], { 追责情形: 3 }, { '': 'x' }, { 追责情形: 'x'.repeat(32_768) }, { 追责情形: '违法\u202e实施' }, { '追责\n情形': 'x' }]) {
      const r = await t.post('/api/regions/650200/items/X1/assign', { departmentId: 'RS', role: 'lead', asPublished: { fields }, effectiveFrom: '2022-01-01', document: doc() });
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body)).toContain('asPublished');
    }
    expect(await count()).toBe(n);
  });

  test('the list answer is JSON with an ETag (304 when unchanged); an unknown region is a 404 naming it', async () => {
    const r = await t.get('/api/regions/650200/list?at=2021-01-01');
    expect([r.status, r.headers['content-type']]).toEqual([200, 'application/json; charset=utf-8']);
    expect(r.body.items.map((i: { code: string }) => i.code)).toEqual(['X1']);
    const again = await t.get('/api/regions/650200/list?at=2021-01-01').set('If-None-Match', r.headers.etag);
    expect(again.status).toBe(304);
    const head = await t.http().head('/api/regions/650200/list?at=2021-01-01').set('Authorization', `Bearer ${TOKENS.reader}`);
    expect([head.status, head.headers['content-length'], head.headers.etag]).toEqual([200, String(Buffer.byteLength(r.text)), r.headers.etag]);
    const missing = await t.get('/api/regions/659999/list?at=2021-01-01');
    expect([missing.status, missing.body.code]).toEqual([404, 'UNKNOWN_REGION']);
  });
});
