import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TestApp, startTestApp } from '../support/app';
import { ensureWebBuilt } from './harness';

/** How the API serves the built web app: strict headers, hashed assets cached for good, /api untouched. */
describe('the web app served by the API', () => {
  let t: TestApp;
  beforeAll(async () => {
    ensureWebBuilt();
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  test('/ is the app, with the Content-Security-Policy and no caching of index.html', async () => {
    const r = await t.http().get('/');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/html/);
    expect(r.text).toContain('<div id="root">');
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect(r.headers['cache-control']).toBe('no-cache');
  });

  test('hashed assets are cached as immutable; /api is never answered from the files', async () => {
    const dir = process.env.QUANZE_WEB_DIR || join(__dirname, '..', '..', 'dist', 'web');
    const asset = readdirSync(join(dir, 'assets')).find((f) => f.endsWith('.js'))!;
    const a = await t.http().get(`/assets/${asset}`);
    expect(a.status).toBe(200);
    expect(a.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // an API path that happens to name a file is still the API's (its JSON 404), never the page
    const api = await t.http().get('/api/index.html');
    expect(api.status).toBe(404);
    expect(api.headers['content-type']).toMatch(/json/);
    expect(api.text).not.toContain('<div id="root">');
    const health = await t.http().get('/api/health');
    expect(health.status).toBe(200);
  });
});
