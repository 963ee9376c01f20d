import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Response } from 'supertest';
import { API_OPERATIONS } from '../apps/api/src/openapi/operations';
import { openApiPath, routedHandlers } from '../apps/api/src/openapi/openapi';
import { TOKENS, TestApp, doc, startTestApp } from './support/app';

type Json = Record<string, any>;

/** The OpenAPI document of the running server: complete against the router, and true to real answers. */
describe('OpenAPI document', () => {
  let t: TestApp;
  let openapi: Json;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);

  /** The schema the document gives for this answer (method, path template, status). */
  const schemaFor = (method: string, template: string, status: number): Json => {
    const op = openapi.paths[template]?.[method];
    if (!op) throw new Error(`${method} ${template} not in the document`);
    const r = op.responses[String(status)];
    if (!r) throw new Error(`${method} ${template}: status ${status} not documented (has ${Object.keys(op.responses)})`);
    return r.content['application/json'].schema;
  };
  const problems = (schema: Json, body: unknown) => {
    const validate = ajv.compile({ ...schema, components: openapi.components });
    return validate(body) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`);
  };
  const fits = (method: string, template: string, r: Response) => {
    expect({ what: `${method} ${template} ${r.status}`, problems: problems(schemaFor(method, template, r.status), r.body) }).toEqual({ what: `${method} ${template} ${r.status}`, problems: [] });
  };

  beforeAll(async () => {
    t = await startTestApp();
    openapi = (await t.http().get('/api/openapi.json').expect(200)).body;
  });
  afterAll(() => t?.close());

  test('3.1, served without a token; every route the router has is in it, with a Chinese summary, its role and its errors', async () => {
    expect(openapi.openapi).toBe('3.1.0');
    // the router's own table (Express, as Nest registered the controllers), the docs' own routes aside
    const router = (t.server.app.getHttpAdapter().getInstance() as { router: { stack: Array<{ route?: { path: string; methods?: Record<string, boolean> } }> } }).router;
    const routed = new Set<string>();
    for (const layer of router.stack) {
      if (!layer.route || !layer.route.path.startsWith('/api') || /^\/api\/(docs|openapi)/.test(layer.route.path)) continue;
      for (const [m, on] of Object.entries(layer.route.methods ?? {})) if (on && m !== '_all') routed.add(`${m} ${openApiPath(layer.route.path)}`);
    }
    const documented = new Set<string>();
    for (const [path, item] of Object.entries(openapi.paths as Json)) for (const m of Object.keys(item)) documented.add(`${m} ${path}`);
    expect(routed.size).toBeGreaterThanOrEqual(49);
    expect([...documented].sort()).toEqual([...routed].sort());
    // Nest's table gives the same, and each operation has its entry in operations.ts
    const nest = routedHandlers(t.server.app);
    expect(new Set(nest.map((h) => `${h.method} ${openApiPath(h.path)}`))).toEqual(routed);
    expect(nest.map((h) => h.operationId).filter((id) => !API_OPERATIONS[id])).toEqual([]);
    expect(Object.keys(API_OPERATIONS).filter((id) => !nest.some((h) => h.operationId === id))).toEqual([]);
    for (const [path, item] of Object.entries(openapi.paths as Json)) {
      for (const [m, op] of Object.entries(item as Json)) {
        const where = `${m} ${path}`;
        expect([where, /[\u4e00-\u9fff]/.test(op.summary)]).toEqual([where, true]);
        expect([where, ['public', 'reader', 'reviewer', 'editor', 'admin'].includes(op['x-quanze-role'])]).toEqual([where, true]);
        if (op['x-quanze-role'] !== 'public') expect([where, Object.keys(op.responses)]).toEqual([where, expect.arrayContaining(['401', '403'])]);
        if (m === 'post') expect([where, Object.keys(op.responses)]).toEqual([where, expect.arrayContaining(['409', '503'])]);
      }
    }
    const assign = openapi.paths['/api/regions/{code}/items/{item}/assign'].post;
    expect(assign['x-quanze-role']).toBe('editor');
    expect(assign.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/AssignItemDto' });
    expect(openapi.components.schemas.AssignItemDto.required).toEqual(expect.arrayContaining(['departmentId', 'effectiveFrom', 'document']));
    expect(openapi.paths['/api/metrics'].get['x-quanze-role']).toBe('admin');
    expect(openapi.paths['/api/health'].get.security).toEqual([]);
    expect(openapi.paths['/api/ownership'].get.parameters.filter((p: Json) => p.required).map((p: Json) => p.name)).toEqual(['region', 'item', 'at']);
    // every $ref resolves
    const refs = JSON.stringify(openapi).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
    expect([...new Set(refs)].map((r) => r.slice(22, -1)).filter((n) => !openapi.components.schemas[n])).toEqual([]);
  });

  test('the page /api/docs works offline: its scripts and styles come from this server', async () => {
    const page = await t.http().get('/api/docs').redirects(1).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const urls = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThan(1);
    expect(urls.filter((u) => /^(https?:)?\/\//.test(u))).toEqual([]);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    for (const u of urls) {
      const abs = new URL(u, `${t.server.url}/api/docs/`).pathname;
      const r = await t.http().get(abs).buffer(true).parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
      expect([abs, r.status, (r.body as Buffer).length > 100]).toEqual([abs, 200, true]);
    }
    const init = await t.http().get('/api/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toContain('权责清单');
  });

  test('real answers validate against their documented schemas (and a wrong one does not)', async () => {
    const setup: Array<[string, object]> = [
      ['/api/regions', { code: '650000', name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '1955-10-01', document: doc('区划') }],
      ['/api/regions', { code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '1982-01-01', document: doc('区划') }],
      ['/api/departments', { id: 'TJJ', name: '克拉玛依市统计局', regionCode: '650200', effectiveFrom: '2010-01-01', document: doc() }],
      ['/api/catalog/items', { code: 'X1', name: '对统计违法行为的行政处罚', type: '行政处罚', basis: ['《中华人民共和国统计法》第三十七条'], levels: ['city'], effectiveFrom: '2015-01-01', document: doc('目录') }],
      ['/api/catalog/items', { code: 'X2', name: '单用途商业预付卡备案', type: '其他行政权力', basis: [], levels: ['city'], effectiveFrom: '2015-01-01', document: doc('目录') }],
    ];
    const templates: Record<string, string> = { '/api/regions': '/api/regions', '/api/departments': '/api/departments', '/api/catalog/items': '/api/catalog/items' };
    for (const [path, body] of setup) fits('post', templates[path], await t.post(path, body).expect(201));
    const a = await t.post('/api/regions/650200/items/X1/assign', { departmentId: 'TJJ', role: 'lead', effectiveFrom: '2016-05-01', document: doc() }).expect(200);
    fits('post', '/api/regions/{code}/items/{item}/assign', a);
    fits('post', '/api/regions/{code}/items/{item}/transfer', await t.post('/api/regions/650200/items/X1/transfer', { fromDepartmentId: 'TJJ', toDepartmentId: 'TJJ', effectiveFrom: '2017-01-01', document: doc() }));
    fits('post', '/api/regions/{code}/items/{item}/assign', await t.post('/api/regions/650200/items/X1/assign', { departmentId: 'TJJ' }).expect(400));
    fits('post', '/api/regions/{code}/items/{item}/assign', await t.post('/api/regions/650200/items/X1/assign', { departmentId: 'TJJ', effectiveFrom: '2016-05-01', document: doc() }, 'reader').expect(403));
    // GET answers with a reader's token: [path template, request, status]
    const gets: Array<[string, string, number]> = [
      ['/api/ownership', '/api/ownership?region=650200&item=X1&at=2016-05-01', 200],
      ['/api/ownership', '/api/ownership?region=650200&item=X2&at=2016-05-01', 200],
      ['/api/ownership', '/api/ownership?region=650200&item=X1', 400],
      ['/api/regions/{code}/list', '/api/regions/650200/list?at=2016-06-01', 200],
      ['/api/regions/{code}/list/diff', '/api/regions/650200/list/diff?from=2015-06-01&to=2016-06-01', 200],
      ['/api/items/{code}/history', '/api/items/X1/history?region=650200', 200],
      ['/api/gaps', '/api/gaps?region=650200&at=2016-06-01', 200],
      ['/api/findings', '/api/findings?region=650200&at=2016-06-01', 200],
      ['/api/regions/{code}/staffing', '/api/regions/650200/staffing?at=2016-06-01', 200],
      ['/api/session', '/api/session', 200],
      ['/api/regions/{code}', '/api/regions/999999', 404],
      ['/api/regions', '/api/regions', 200],
      ['/api/regions/{code}', '/api/regions/650200', 200],
      ['/api/regions/{code}/departments', '/api/regions/650200/departments?at=2016-06-01', 200],
      ['/api/catalog/items', '/api/catalog/items?q=%E7%BB%9F%E8%AE%A1', 200],
      ['/api/catalog/items/{code}', '/api/catalog/items/X1', 200],
      ['/api/versions', '/api/versions?region=650200', 200],
      ['/api/regions/{code}/editions', '/api/regions/650200/editions', 200],
    ];
    for (const [template, path, status] of gets) fits('get', template, await t.get(path).expect(status));
    fits('get', '/api/ownership', await t.http().get('/api/ownership?region=650200&item=X1&at=2016-05-01').expect(401));
    fits('get', '/api/health', await t.http().get('/api/health').expect(200));

    // the check can fail: an answer that lost a field or changed a type does not fit
    const own = (await t.get('/api/ownership?region=650200&item=X1&at=2016-05-01')).body;
    const schema = schemaFor('get', '/api/ownership', 200);
    expect(problems(schema, own)).toEqual([]);
    expect(problems(schema, { ...own, status: 'maybe' }).length).toBeGreaterThan(0);
    const { owners: _dropped, ...noOwners } = own;
    expect(problems(schema, noOwners).length).toBeGreaterThan(0);
    expect(problems(schemaFor('post', '/api/regions/{code}/items/{item}/assign', 200), { ...a.body, eventIds: 'x' }).length).toBeGreaterThan(0);
  });

  test('the answers once typed only as "object" validate too: a change set through its life, the findings families, progress, timeline, department, editions, the dispute report, the public list, an import', async () => {
    const opened = await t.post('/api/change-sets', { regionCode: '650200', title: '2025年调整', document: doc('克编办〔2025〕1号') }).expect(201);
    fits('post', '/api/change-sets', opened);
    const id = opened.body.id as string;
    const change = { effectiveFrom: '2025-03-01', document: doc('克政办发〔2025〕3号') };
    // a command route with ?changeSet=: 202, its own documented answer
    fits('post', '/api/regions/{code}/items/{item}/assign', await t.post(`/api/regions/650200/items/X2/assign?changeSet=${id}`, { departmentId: 'TJJ', ...change }).expect(202));
    fits('post', '/api/regions/{code}/items/{item}/withdraw', await t.post(`/api/regions/650200/items/X1/withdraw?changeSet=${id}`, { departmentId: 'TJJ', ...change }).expect(202));
    fits('delete', '/api/change-sets/{id}/commands/{index}', await t.http().delete(`/api/change-sets/${id}/commands/1`).set('Authorization', `Bearer ${TOKENS.editor}`).expect(200));
    fits('get', '/api/change-sets/{id}', await t.get(`/api/change-sets/${id}`, 'reviewer').expect(200));
    fits('get', '/api/change-sets', await t.get('/api/change-sets?region=650200').expect(200));
    fits('get', '/api/change-sets/{id}/preview', await t.get(`/api/change-sets/${id}/preview`).expect(200));
    fits('post', '/api/change-sets/{id}/submit', await t.post(`/api/change-sets/${id}/submit`, {}).expect(200));
    fits('post', '/api/change-sets/{id}/review', await t.post(`/api/change-sets/${id}/review`, { decision: 'approve', note: '同意' }, 'reviewer').expect(200));
    const published = await t.post(`/api/change-sets/${id}/publish`, { document: doc('克政发〔2025〕8号'), publishedOn: '2025-02-20', edition: { number: '2025年版' } }, 'admin').expect(200);
    fits('post', '/api/change-sets/{id}/publish', published);
    expect(published.body.edition).toMatchObject({ number: '2025年版', itemCount: 2 });
    fits('post', '/api/change-sets/{id}/publish', await t.post(`/api/change-sets/${id}/publish`, { document: doc('克政发〔2025〕8号'), publishedOn: '2025-02-20' }, 'admin').expect(409));
    const other = (await t.post('/api/change-sets', { regionCode: '650200', title: '撤回的方案' }).expect(201)).body.id as string;
    fits('post', '/api/change-sets/{id}/withdraw', await t.post(`/api/change-sets/${other}/withdraw`, { note: '不再需要' }).expect(200));

    const gets: Array<[string, string, number]> = [
      ['/api/overlaps', '/api/overlaps?region=650200&at=2025-06-01', 200],
      ['/api/conformance', '/api/conformance?region=650200&at=2025-06-01', 200],
      ['/api/findings/progress', '/api/findings/progress?region=650200', 200],
      ['/api/items/{code}/timeline', '/api/items/X1/timeline?region=650200', 200],
      ['/api/departments/{id}', '/api/departments/TJJ?at=2025-06-01', 200],
    ];
    for (const [template, path, status] of gets) fits('get', template, await t.get(path).expect(status));
    // an edition declared directly, the dispute report (JSON; the HTML one is documented as text/html)
    fits('post', '/api/regions/{code}/editions', await t.post('/api/regions/650200/editions', { number: '2026年版', title: '2026年版', publishedOn: '2026-01-10', effectiveFrom: '2026-01-01', document: doc('克政发〔2026〕1号') }, 'admin').expect(201));
    fits('get', '/api/disputes/report', await t.get('/api/disputes/report?region=650200&item=X1&at=2025-06-01', 'reviewer').expect(200));
    const html = await t.get('/api/disputes/report?region=650200&item=X1&at=2025-06-01&format=html', 'reviewer').expect(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(Object.keys(openapi.paths['/api/disputes/report'].get.responses['200'].content)).toEqual(['application/json', 'text/html']);
    // the public list (no token): published editions only
    const pub: Array<[string, string]> = [
      ['/api/public/regions', '/api/public/regions'],
      ['/api/public/regions/{code}/editions', '/api/public/regions/650200/editions'],
      ['/api/public/regions/{code}/list', '/api/public/regions/650200/list'],
      ['/api/public/regions/{code}/list', '/api/public/regions/650200/list?edition=2025%E5%B9%B4%E7%89%88&q=X'],
      ['/api/public/items/{item}', '/api/public/items/X1?region=650200'],
    ];
    for (const [template, path] of pub) fits('get', template, await t.http().get(path).expect(200));
    // an import (multipart): the report, with a rejected row; and a dry run
    const csv = Buffer.from('序号,事项名称,权力类型,实施依据,行使主体\n1,对统计违法行为的处罚,行政处罚,《统计法》,克拉玛依市统计局\n2,,行政处罚,,\n', 'utf8');
    const upload = (fields: Record<string, string>) => {
      let r = t.http().post('/api/imports').set('Authorization', `Bearer ${TOKENS.editor}`);
      for (const [k, v] of Object.entries({ region: '650200', effective: '2024-01-01', document: '克政办发〔2024〕1号', ...fields })) r = r.field(k, v);
      return r.attach('files', csv, '清单.csv');
    };
    const imported = await upload({ createDepartments: 'true' }).expect(200);
    expect(imported.body.rowsRead).toBeGreaterThan(0);
    fits('post', '/api/imports', imported);
    const dry = await upload({ dryRun: 'true' }).expect(200);
    expect(dry.body.dryRun).toBe(true);
    fits('post', '/api/imports', dry);
    // and they can fail: a change set whose status is not one of the six does not fit
    const one = (await t.get(`/api/change-sets/${id}`)).body;
    expect(problems(schemaFor('get', '/api/change-sets/{id}', 200), { ...one, status: 'maybe' }).length).toBeGreaterThan(0);
    expect(problems(schemaFor('get', '/api/items/{code}/timeline', 200), { item: 'X1' }).length).toBeGreaterThan(0);
  });

  test('contract.schemas.json is what typescript-json-schema makes of libs/contract today', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { generateContractSchemas } = require('../scripts/contract-schemas') as typeof import('../scripts/contract-schemas');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(generateContractSchemas()).toEqual(require('../apps/api/src/openapi/contract.schemas.json'));
  }, 120_000);
});
