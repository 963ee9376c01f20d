import * as XLSX from '@e965/xlsx';
import { TOKENS, TestApp, doc, startTestApp } from './support/app';
import { ensureWebBuilt } from './web/harness';

/**
 * Issue 16 item 5: the public list (公示) shows only what was published. An edition is published, then
 * the registry records more — a new department and item assigned to it, a second lead on a published
 * item (a 职责交叉 finding), documents and reasons of its own — and every public route (found from the
 * server's router, so a new one cannot slip by) and every /public/ page is walked without a token: none
 * contains a later name, a later document, a finding, an actor, an event id or a token. Publishing a
 * second edition then shows those names where they now belong, so the check can see them.
 */
describe('公示: every public route answers only what was published', () => {
  let t: TestApp;
  const eventIds: string[] = [];
  const ok = async (path: string, body: object, status = 200, role: 'editor' | 'admin' = 'editor') => {
    const r = await t.post(path, body, role);
    expect([r.status, r.body.code, r.body.message]).toEqual([status, undefined, undefined]);
    eventIds.push(...(r.body.eventIds ?? []));
    return r.body;
  };
  const anon = (path: string) => t.http().get(path);
  const binary = (path: string, token?: string) => {
    const r = t.http().get(path);
    if (token) r.set('Authorization', `Bearer ${token}`);
    return r.buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  };
  const E2024 = encodeURIComponent('2024年版');
  const E2025 = encodeURIComponent('2025年版');

  // recorded after the 2024 edition: none of it may show in 2024's public answers
  const LATER = {
    department: '市数据资源管理局',
    item: '对违规采集公共数据行为的处罚',
    itemCode: 'LATE1',
    document: '克政办发〔2024〕77号',
    conflictDocument: '克编办〔2024〕88号',
    reason: '后来登记的理由文字',
    duty: '负责公共数据资源管理的后记职责',
  };
  // a change set (调整方案) drafted after the edition and submitted, never published: none of it is public
  const DRAFT = {
    title: '未公布的调整方案草稿',
    document: '克编办〔2024〕99号',
    item: '对草稿中新增事项的处罚',
    itemCode: 'DRAFT1',
    reason: '草稿里的调整理由',
    note: '草稿提交审核的说明',
  };
  let draftId = '';
  const ACTORS = ['admin-user', 'editor-user', 'reviewer-user', 'reader-user'];
  let findingIds: string[] = [];

  beforeAll(async () => {
    ensureWebBuilt(); // the /public/ page is walked too
    t = await startTestApp();
    await ok('/api/regions', { code: '650000', name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '2000-01-01', document: doc('区划') }, 201);
    await ok('/api/regions', { code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '2000-01-01', document: doc('区划') }, 201);
    await ok('/api/departments', { id: 'RS', name: '市人力资源和社会保障局', regionCode: '650200', effectiveFrom: '2010-01-01', document: doc() }, 201);
    await ok('/api/departments', { id: 'YB', name: '市医疗保障局', regionCode: '650200', effectiveFrom: '2019-01-01', document: doc() }, 201);
    for (const [code, name, type] of [
      ['X', '对骗取医疗保险基金行为的处罚', '行政处罚'],
      ['Y', '社会保险登记', '其他行政权力'],
      ['Z', '医疗保障定点机构协议管理', '行政检查'],
    ]) {
      await ok('/api/catalog/items', { code, name, type, basis: ['《中华人民共和国社会保险法》第八十七条'], levels: ['city'], effectiveFrom: '2015-01-01', document: doc('目录') }, 201);
    }
    await ok('/api/regions/650200/items/X/assign', { departmentId: 'RS', effectiveFrom: '2020-01-01', document: doc('清单') });
    await ok('/api/regions/650200/items/Y/assign', { departmentId: 'RS', effectiveFrom: '2020-01-01', document: doc('清单') });
    await ok('/api/regions/650200/items/Z/assign', { departmentId: 'YB', effectiveFrom: '2020-01-01', document: doc('清单') });
    await ok('/api/regions/650200/editions', { number: '2024年版', title: '克拉玛依市权责清单（2024年版）', effectiveFrom: '2024-01-01', publishedOn: '2024-01-15', document: doc('克政办发〔2024〕1号') }, 201, 'admin');

    // ——— recorded after the edition, effective before or on its date (a back-dated correction) and after it
    await ok('/api/departments', { id: 'SJ', name: LATER.department, regionCode: '650200', effectiveFrom: '2023-06-01', document: doc(LATER.document), reason: LATER.reason }, 201);
    await ok('/api/departments/SJ/sanding', { duties: [{ id: 'SJ-1', text: LATER.duty }], internalOrgans: [], staffing: { authorized: 10, leaders: 2 }, effectiveFrom: '2023-06-01', document: doc(LATER.document) });
    await ok('/api/catalog/items', { code: LATER.itemCode, name: LATER.item, type: '行政处罚', basis: ['《中华人民共和国数据安全法》第四十五条'], levels: ['city'], effectiveFrom: '2015-01-01', document: doc(LATER.document) }, 201);
    await ok(`/api/regions/650200/items/${LATER.itemCode}/assign`, { departmentId: 'SJ', effectiveFrom: '2023-06-01', document: doc(LATER.document), reason: LATER.reason });
    // a second lead on a published item, from before the edition's date: a 职责交叉 in the registry now
    const conflict = await ok('/api/regions/650200/items/Y/assign', { departmentId: 'SJ', effectiveFrom: '2023-06-01', document: doc(LATER.conflictDocument), reason: LATER.reason });
    expect(conflict.warnings.map((w: any) => w.code)).toContain('CONFLICT');
    // a draft: a new item and a transfer of a published item, submitted for review, never published
    const opened = await t.post('/api/change-sets', { regionCode: '650200', title: DRAFT.title, document: doc(DRAFT.document) });
    expect(opened.status).toBe(201);
    draftId = opened.body.id;
    const inDraft = async (path: string, body: object) => {
      const r = await t.post(`${path}?changeSet=${draftId}`, body);
      expect([r.status, r.body.code]).toEqual([202, undefined]);
    };
    await inDraft('/api/catalog/items', { code: DRAFT.itemCode, name: DRAFT.item, type: '行政处罚', basis: ['《中华人民共和国社会保险法》第九十四条'], levels: ['city'], effectiveFrom: '2024-03-01', document: doc(DRAFT.document), reason: DRAFT.reason });
    await inDraft(`/api/regions/650200/items/${DRAFT.itemCode}/assign`, { departmentId: 'YB', effectiveFrom: '2024-03-01', document: doc(DRAFT.document), reason: DRAFT.reason });
    await inDraft('/api/regions/650200/items/Z/transfer', { fromDepartmentId: 'YB', toDepartmentId: 'RS', effectiveFrom: '2024-03-01', document: doc(DRAFT.document), reason: DRAFT.reason });
    expect((await t.post(`/api/change-sets/${draftId}/submit`, { note: DRAFT.note })).body.status).toBe('submitted');
  });
  afterAll(() => t.close());

  test('the later records are really there for signed-in users: a conflict finding, the new item', async () => {
    const list = await t.get('/api/regions/650200/list?at=2024-06-01');
    expect(list.body.items.find((i: any) => i.code === 'Y').status).toBe('conflict');
    expect(list.body.items.map((i: any) => i.code)).toContain(LATER.itemCode);
    const ledger = await t.get('/api/findings?region=650200&at=2024-06-01');
    expect(ledger.status).toBe(200);
    const conflicts = ledger.body.findings.filter((f: any) => f.kind === 'conflict');
    expect(conflicts.length).toBeGreaterThan(0);
    findingIds = ledger.body.findings.map((f: any) => f.id);
    expect(findingIds.length).toBeGreaterThan(0);
    // the draft is there for signed-in users, with its commands
    const cs = await t.get(`/api/change-sets/${draftId}`);
    expect([cs.status, cs.body.status, cs.body.commands.length]).toEqual([200, 'submitted', 3]);
  });

  /** Every public GET the walk makes, with what it must answer. */
  const walk = (): Array<{ path: string; status: number; binary?: boolean }> => [
    { path: '/api/public/regions', status: 200 },
    { path: '/api/public/regions/650200/editions', status: 200 },
    { path: '/api/public/regions/650000/editions', status: 200 },
    { path: '/api/public/regions/650200/list', status: 200 },
    { path: `/api/public/regions/650200/list?edition=${E2024}`, status: 200 },
    { path: `/api/public/regions/650200/list?edition=${E2024}&department=${encodeURIComponent('市人力资源和社会保障局')}`, status: 200 },
    { path: `/api/public/regions/650200/list?edition=${E2024}&department=${encodeURIComponent(LATER.department)}`, status: 200 },
    { path: `/api/public/regions/650200/list?edition=${E2024}&q=${encodeURIComponent('处罚')}`, status: 200 },
    { path: `/api/public/regions/650200/list?edition=${E2024}&q=${LATER.itemCode}`, status: 200 },
    { path: '/api/public/regions/650000/list', status: 404 },
    { path: '/api/public/items/X?region=650200', status: 200 },
    { path: '/api/public/items/Y?region=650200', status: 200 },
    { path: '/api/public/items/Z?region=650200', status: 200 },
    { path: `/api/public/items/${LATER.itemCode}?region=650200`, status: 404 },
    { path: `/api/public/regions/650200/editions/${E2024}/export.xlsx`, status: 200, binary: true },
    { path: `/api/public/regions/650200/editions/${encodeURIComponent('1999年版')}/export.xlsx`, status: 404 },
    { path: '/public/', status: 200 },
    { path: `/public/?region=650200&edition=${E2024}`, status: 200 },
    { path: `/public/?region=650200&item=Y`, status: 200 },
  ];
  /** The routes the walk covers, as the router names them. */
  const COVERED = ['/api/public/regions', '/api/public/regions/:code/editions', '/api/public/regions/:code/list', '/api/public/items/:item', '/api/public/regions/:code/editions/:number/export.xlsx'];

  /** What an xlsx says, as text: every cell of every sheet. */
  const xlsxText = (body: Buffer) => {
    const wb = XLSX.read(body, { type: 'buffer' });
    return { sheets: wb.SheetNames, text: wb.SheetNames.map((n) => XLSX.utils.sheet_to_csv(wb.Sheets[n])).join('\n') };
  };
  const answerText = async (w: { path: string; binary?: boolean }, token?: string) => {
    if (w.binary) {
      const r = await binary(w.path, token);
      return { r, text: r.status === 200 ? xlsxText(r.body).text : JSON.stringify(r.body) };
    }
    const r = token ? await t.http().get(w.path).set('Authorization', `Bearer ${token}`) : await anon(w.path);
    return { r, text: r.headers['content-type']?.includes('json') ? JSON.stringify(r.body) : r.text };
  };

  test('the server has no public route the walk does not cover; every other route wants a token', async () => {
    const instance: any = t.server.app.getHttpAdapter().getInstance();
    const stack: any[] = (instance.router ?? instance._router).stack;
    const routes = stack.filter((l) => l.route).flatMap((l) => Object.keys(l.route.methods).map((m) => ({ method: m.toUpperCase(), path: String(l.route.path) })));
    expect(routes.length).toBeGreaterThan(30);
    const sample = (p: string) => p.replace(/:code/g, '650200').replace(/:item|:itemCode/g, 'X').replace(/:number/g, E2024).replace(/:[A-Za-z]+/g, 'X1');
    const open: string[] = [];
    for (const { method, path } of routes) {
      const req = method === 'GET' ? t.http().get(sample(path)) : method === 'POST' ? t.http().post(sample(path)).send({}) : method === 'PUT' ? t.http().put(sample(path)).send({}) : method === 'DELETE' ? t.http().delete(sample(path)) : undefined;
      if (!req) continue;
      const r = await req;
      if (r.status !== 401) open.push(`${method} ${path}`);
    }
    // the API's own description (OpenAPI, Swagger UI) is open too: routes and schemas, no registry data (checked below)
    const described = (r: string) => /^GET \/api\/(docs|openapi)\b/.test(r);
    expect(open.filter((r) => !described(r)).sort()).toEqual([...COVERED.map((p) => `GET ${p}`), 'GET /api/health'].sort());
  });

  test('the API description (openapi, docs) holds no registry data', async () => {
    const data = [LATER.department, LATER.item, LATER.document, LATER.reason, ...ACTORS, ...Object.values(TOKENS), ...eventIds, ...findingIds];
    for (const path of ['/api/openapi.json', '/api/openapi.yaml', '/api/docs/']) {
      const r = await anon(path);
      expect([path, r.status]).toEqual([path, 200]);
      const text = r.headers['content-type']?.includes('json') ? JSON.stringify(r.body) : r.text;
      expect([path, data.filter((f) => text.includes(f))]).toEqual([path, []]);
    }
  });

  test('no public answer or page holds a later record, a finding, an actor, an event id or a token; all cacheable', async () => {
    expect(findingIds.length).toBeGreaterThan(0);
    const forbidden = [
      LATER.department, LATER.item, LATER.itemCode, LATER.document, LATER.conflictDocument, LATER.reason, LATER.duty,
      DRAFT.title, DRAFT.document, DRAFT.item, DRAFT.itemCode, DRAFT.reason, DRAFT.note, draftId,
      ...ACTORS, ...Object.values(TOKENS), ...eventIds, ...findingIds,
      'actor', 'eventId', 'recordedAt', 'contentAsKnownAt', 'changeSetId', 'finding', 'conflict', '职责交叉', 'deviation', '四级四同',
    ];
    expect(eventIds.length).toBeGreaterThan(15);
    for (const w of walk()) {
      const { r, text } = await answerText(w);
      expect([w.path, r.status]).toEqual([w.path, w.status]);
      // (a 404 may echo what was asked for: the code in the path is not a leak)
      const found = forbidden.filter((f) => text.includes(f) && !decodeURIComponent(w.path).includes(f));
      expect([w.path, found]).toEqual([w.path, []]);
      // a token changes nothing: the public answer is the same for everyone
      const withToken = await answerText(w, TOKENS.admin);
      expect([w.path, withToken.text]).toEqual([w.path, text]);
      if (w.status === 200 && w.path.startsWith('/api/')) {
        expect(r.headers['cache-control']).toBe('public, max-age=60');
        const etag = r.headers.etag;
        expect(etag).toMatch(/^"[\w-]+"$/);
        expect((await anon(w.path).set('If-None-Match', etag)).status).toBe(304);
      }
    }
  });

  test('the answers say what was published: the 2024 list with its departments, the xlsx without the registry sheet', async () => {
    const l = await anon(`/api/public/regions/650200/list?edition=${E2024}`);
    expect(l.body.items.map((i: any) => [i.code, i.departments])).toEqual([
      ['X', [{ name: '市人力资源和社会保障局', role: '牵头' }]],
      ['Y', [{ name: '市人力资源和社会保障局', role: '牵头' }]],
      ['Z', [{ name: '市医疗保障局', role: '牵头' }]],
    ]);
    expect(l.body.byType).toEqual({ 行政处罚: 1, 其他行政权力: 1, 行政检查: 1 });
    const regions = await anon('/api/public/regions');
    expect(regions.body.regions).toEqual([expect.objectContaining({ code: '650200', name: '克拉玛依市', editions: 1, latest: expect.objectContaining({ number: '2024年版', itemCount: 3 }) })]);
    const x = await binary(`/api/public/regions/650200/editions/${E2024}/export.xlsx`);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    expect(decodeURIComponent(x.headers['content-disposition'])).toContain('克拉玛依市权责清单-2024年版.xlsx');
    const { sheets, text } = xlsxText(x.body);
    expect(sheets).toEqual(['权责清单']);
    expect(text).toContain('克拉玛依市 权责清单（2024年版）');
    for (const name of ['对骗取医疗保险基金行为的处罚', '社会保险登记', '医疗保障定点机构协议管理']) expect(text).toContain(name);
    // the signed-in export of the same edition is the same list, with the registry's sheet after it
    const signedIn = await binary(`/api/regions/650200/list/export?edition=${E2024}`, TOKENS.reader);
    const s = xlsxText(signedIn.body);
    expect(s.sheets.length).toBe(2);
    expect(s.sheets[0]).toBe('权责清单');
    expect(s.text.split('\n').slice(0, 5)).toEqual(text.split('\n').slice(0, 5));
    expect((await anon(`/api/public/regions/650200/editions/${encodeURIComponent('<script>')}/export.xlsx`)).status).toBe(400);
  });

  test('published later, the same names appear in the new edition only: the walk would have seen them', async () => {
    await ok('/api/regions/650200/editions', { number: '2025年版', effectiveFrom: '2025-01-01', publishedOn: '2025-01-10', document: doc('克政办发〔2025〕1号') }, 201, 'admin');
    const l = await anon(`/api/public/regions/650200/list?edition=${E2025}`);
    const text = JSON.stringify(l.body);
    expect(text).toContain(LATER.department);
    expect(text).toContain(LATER.item);
    const y = l.body.items.find((i: any) => i.code === 'Y');
    expect(y.departments.map((d: any) => d.name).sort()).toEqual([LATER.department, '市人力资源和社会保障局'].sort());
    const xlsx = xlsxText((await binary(`/api/public/regions/650200/editions/${E2025}/export.xlsx`)).body).text;
    expect(xlsx).toContain(LATER.item);
    // the 2024 edition still says what it said
    const old = JSON.stringify((await anon(`/api/public/regions/650200/list?edition=${E2024}`)).body);
    expect(old).not.toContain(LATER.department);
    // the draft under review is in neither edition: publishing an edition does not publish a draft
    for (const e of [E2024, E2025]) {
      const t2 = JSON.stringify((await anon(`/api/public/regions/650200/list?edition=${e}`)).body);
      for (const f of [DRAFT.item, DRAFT.itemCode, DRAFT.document, DRAFT.title]) expect([e, f, t2.includes(f)]).toEqual([e, f, false]);
    }
    expect(l.body.items.find((i: any) => i.code === 'Z').departments.map((d: any) => d.name)).toEqual(['市医疗保障局']);
    const item = await anon(`/api/public/items/${LATER.itemCode}?region=650200`);
    expect(item.body.editions.map((e: any) => [e.edition.number, e.item?.name ?? null])).toEqual([
      ['2025年版', LATER.item],
      ['2024年版', null],
    ]);
    // the default (latest) list moved on; its ETag changed with it
    expect((await anon('/api/public/regions/650200/list')).body.edition.number).toBe('2025年版');
  });
});
