import { TestApp, doc, startTestApp } from './support/app';

/** Issue 22.8: /api answers carry CSP, nosniff and no-store; the HTML report its own policy. */
describe('/api response headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ PORT: '46020' });
    await t.post('/api/regions', { code: '650000', name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '1955-10-01', document: doc() });
    await t.post('/api/regions', { code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '1982-01-01', document: doc() });
    await t.post('/api/departments', { id: 'A', name: '克拉玛依市统计局', regionCode: '650200', effectiveFrom: '2010-01-01', document: doc() });
    await t.post('/api/catalog/items', { code: 'E1', name: '对统计违法行为的处罚', type: '行政处罚', basis: [], levels: ['city'], effectiveFrom: '2015-01-01', document: doc() });
    await t.post('/api/regions/650200/items/E1/assign', { departmentId: 'A', effectiveFrom: '2016-01-01', document: doc() });
  });
  afterAll(() => t?.close());

  test('JSON answers (success, 400, 401, 404): default-src none, nosniff, no-store', async () => {
    const answers = [await t.get('/api/health'), await t.get('/api/regions/650000'), await t.get('/api/ownership?region=650000'), await t.http().get('/api/regions'), await t.get('/api/nothing-here')];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 400, 401, 404]);
    for (const r of answers) {
      expect(r.headers['content-security-policy']).toContain("default-src 'none'");
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['cache-control']).toBe('no-store');
    }
  });

  test('the HTML report carries its own policy (inline style only), nosniff, no-store', async () => {
    const r = await t.get('/api/disputes/report?region=650200&item=E1&at=2020-01-01&format=html', 'reviewer');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toContain('text/html');
    expect(r.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'");
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });
});
