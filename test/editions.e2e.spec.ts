import { TestApp, doc, startTestApp } from './support/app';

/** Issue 16: numbered editions (年版), lists and diffs by edition, ownership as published, and the public list (公示). */
describe('editions and the public list', () => {
  let t: TestApp;
  const ok = async (path: string, body: object, status = 200, role: 'editor' | 'admin' = 'editor') => {
    const r = await t.post(path, body, role);
    expect([r.status, r.body.code, r.body.message]).toEqual([status, undefined, undefined]);
    return r.body;
  };
  const get = async (path: string) => {
    const r = await t.get(path);
    expect([r.status, r.body.message]).toEqual([200, undefined]);
    return r.body;
  };
  const publish = (number: string, effectiveFrom: string, publishedOn: string, role: 'editor' | 'admin' | 'reviewer' = 'admin') =>
    t.post('/api/regions/650200/editions', { number, title: `克拉玛依市权责清单（${number}）`, effectiveFrom, publishedOn, document: doc(`克政办发〔${number.slice(0, 4)}〕1号`) }, role);
  const owners = (list: any, code: string) => list.items.find((i: any) => i.code === code)?.owners.map((o: any) => `${o.departmentId}:${o.role}`);
  let e2024: any;

  beforeAll(async () => {
    t = await startTestApp();
    await ok('/api/regions', { code: '650000', name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '2000-01-01', document: doc('区划') }, 201);
    await ok('/api/regions', { code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '2000-01-01', document: doc('区划') }, 201);
    await ok('/api/departments', { id: 'RS', name: '市人力资源和社会保障局', regionCode: '650200', effectiveFrom: '2010-01-01', document: doc() }, 201);
    await ok('/api/departments', { id: 'YB', name: '市医疗保障局', regionCode: '650200', effectiveFrom: '2019-01-01', document: doc() }, 201);
    for (const [code, name] of [['X', '对骗取医疗保险基金行为的处罚'], ['Y', '社会保险登记'], ['Z', '医疗保障定点机构协议管理']]) {
      await ok('/api/catalog/items', { code, name, type: code === 'X' ? '行政处罚' : '其他行政权力', basis: ['《中华人民共和国社会保险法》第八十七条'], levels: ['city'], effectiveFrom: '2015-01-01', document: doc('目录') }, 201);
    }
    await ok('/api/regions/650200/items/X/assign', { departmentId: 'RS', effectiveFrom: '2020-01-01', document: doc('清单') });
    await ok('/api/regions/650200/items/Y/assign', { departmentId: 'RS', effectiveFrom: '2020-01-01', document: doc('清单') });
  });
  afterAll(() => t.close());

  it('only an admin publishes an edition; it is recorded with the hash of its content', async () => {
    expect((await publish('2024年版', '2024-01-01', '2024-01-15', 'editor')).status).toBe(403);
    expect((await publish('2024年版', '2024-01-01', '2024-01-15', 'reviewer')).status).toBe(403);
    const r = await publish('2024年版', '2024-01-01', '2024-01-15');
    expect([r.status, r.body.code]).toEqual([201, undefined]);
    expect(r.body.eventIds).toHaveLength(1);
    expect(r.body.edition).toMatchObject({ number: '2024年版', itemCount: 2 });
    expect(r.body.edition.hash).toMatch(/^[0-9a-f]{64}$/);
    e2024 = r.body.edition;
    const again = await publish('2024年版', '2024-01-01', '2024-02-01');
    expect([again.status, again.body.code]).toEqual([409, 'EDITION_EXISTS']);
    const bad = await t.post('/api/regions/650200/editions', { number: '', effectiveFrom: '2024-01-01', publishedOn: 'x', document: doc() }, 'admin');
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: any) => f.field).sort()).toEqual(['number', 'publishedOn']);
  });

  it('later changes do not change what an edition published; ownership as published names the edition', async () => {
    await ok('/api/regions/650200/items/X/transfer', { fromDepartmentId: 'RS', toDepartmentId: 'YB', effectiveFrom: '2024-06-01', document: doc('克政办发〔2024〕9号') });
    await ok('/api/regions/650200/items/Z/assign', { departmentId: 'YB', effectiveFrom: '2024-06-01', document: doc('克政办发〔2024〕9号') });
    const l = await get(`/api/regions/650200/list?edition=${encodeURIComponent('2024年版')}`);
    expect(l.edition).toMatchObject({ number: '2024年版', hash: e2024.hash, hashValid: true });
    expect(l.items.map((i: any) => i.code)).toEqual(['X', 'Y']);
    expect(owners(l, 'X')).toEqual(['RS:lead']);
    const now = await get('/api/ownership?region=650200&item=X&at=2024-07-01');
    expect(now.owners.map((o: any) => o.departmentId)).toEqual(['YB']);
    const asPublished = await get('/api/ownership?region=650200&item=X&at=2024-07-01&asPublished=true');
    expect(asPublished.owners.map((o: any) => o.departmentId)).toEqual(['RS']);
    expect(asPublished.edition).toMatchObject({ number: '2024年版', publishedOn: '2024-01-15' });
    // Before the first edition was published there was no published list.
    const before = await get('/api/ownership?region=650200&item=X&at=2024-01-10&asPublished=true');
    expect([before.status, before.edition]).toEqual(['not-in-list', null]);
    expect((await t.get('/api/ownership?region=650200&item=X&at=2024-07-01&asPublished=yes')).status).toBe(400);
  });

  it('a second edition; the diff between editions shows what was added and transferred', async () => {
    expect((await publish('2025年版', '2025-01-01', '2025-01-10')).status).toBe(201);
    const editions = await get('/api/regions/650200/editions');
    expect(editions.editions.map((e: any) => e.number)).toEqual(['2025年版', '2024年版']);
    const d = await get(`/api/regions/650200/list/diff?fromEdition=${encodeURIComponent('2024年版')}&toEdition=${encodeURIComponent('2025年版')}`);
    expect(d.added.map((a: any) => a.code)).toEqual(['Z']);
    expect(d.transferred).toEqual([{ code: 'X', name: '对骗取医疗保险基金行为的处罚', from: ['市人力资源和社会保障局'], to: ['市医疗保障局'] }]);
    expect(d.removed).toEqual([]);
    expect((await t.get('/api/regions/650200/list/diff?fromEdition=2024年版'.replace('2024年版', encodeURIComponent('2024年版')))).status).toBe(400);
    expect((await t.get('/api/regions/650200/list?edition=1999')).status).toBe(404);
    const x = await t.get(`/api/regions/650200/list/export?edition=${encodeURIComponent('2024年版')}&format=csv`);
    expect(x.status).toBe(200);
    expect(x.text).toContain('市人力资源和社会保障局');
    expect(x.text).not.toContain('医疗保障定点机构协议管理');
  });

  describe('公示 (no token)', () => {
    let recordedAfter = '';
    beforeAll(async () => {
      // Recorded after the 2025 edition: a second lead for Y, effective on the edition's date. Not published.
      await ok('/api/regions/650200/items/Y/assign', { departmentId: 'YB', effectiveFrom: '2025-01-01', document: doc('克政办发〔2025〕3号') });
      recordedAfter = '市医疗保障局';
    });
    const anon = (path: string) => t.http().get(path);

    it('answers without a token, only from editions', async () => {
      const eds = await anon('/api/public/regions/650200/editions');
      expect(eds.status).toBe(200);
      expect(eds.body.editions.map((e: any) => e.number)).toEqual(['2025年版', '2024年版']);
      const latest = await anon('/api/public/regions/650200/list');
      expect(latest.body.edition.number).toBe('2025年版');
      const y = latest.body.items.find((i: any) => i.code === 'Y');
      expect(y.departments).toEqual([{ name: '市人力资源和社会保障局', role: '牵头' }]);
      expect(y.departments.map((d: any) => d.name)).not.toContain(recordedAfter);
      const byDept = await anon(`/api/public/regions/650200/list?edition=${encodeURIComponent('2025年版')}&department=${encodeURIComponent('市医疗保障局')}`);
      expect(byDept.body.items.map((i: any) => i.code)).toEqual(['X', 'Z']);
      const search = await anon(`/api/public/regions/650200/list?q=${encodeURIComponent('社会保险')}`);
      expect(search.body.items.map((i: any) => i.code)).toEqual(['Y']);
      const item = await anon('/api/public/items/X?region=650200');
      expect(item.body.editions.map((e: any) => [e.edition.number, e.item.departments[0].name])).toEqual([
        ['2025年版', '市医疗保障局'],
        ['2024年版', '市人力资源和社会保障局'],
      ]);
      expect((await anon('/api/public/items/NOPE?region=650200')).status).toBe(404);
      expect((await anon('/api/public/regions/650000/list')).body.code).toBe('NO_EDITION');
    });

    it('every public answer is free of actors, event ids, tokens, findings and later records; cacheable with an ETag', async () => {
      const paths = [
        '/api/public/regions/650200/editions',
        '/api/public/regions/650200/list',
        `/api/public/regions/650200/list?edition=${encodeURIComponent('2024年版')}`,
        '/api/public/items/X?region=650200',
        '/api/public/items/Y?region=650200',
        '/api/public/items/Z?region=650200',
      ];
      for (const p of paths) {
        const r = await anon(p);
        expect(r.status).toBe(200);
        const text = JSON.stringify(r.body);
        for (const forbidden of ['actor', 'eventId', 'recordedAt', 'token', 'editor-user', 'admin-user', 'finding', 'contentAsKnownAt', '克政办发〔2025〕3号']) expect([p, text.includes(forbidden)]).toEqual([p, false]);
        const etag = r.headers.etag;
        expect(etag).toMatch(/^"/);
        const again = await anon(p).set('If-None-Match', etag);
        expect(again.status).toBe(304);
      }
    });
  });
});
