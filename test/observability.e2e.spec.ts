import request from 'supertest';
import { TOKENS, TestApp, doc, startTestApp } from './support/app';

/** The request log (pino JSON lines) and the Prometheus metrics of a real server over real HTTP. */
describe('request log and metrics', () => {
  let t: TestApp;
  const lines: string[] = [];
  const records = () => lines.map((l) => JSON.parse(l) as Record<string, any>);
  /** The line is written when the answer is finished, which may be just after the client has it: wait for n lines (at most 5 s), then a moment for any extra one. */
  const linesWritten = async (n: number) => {
    const t0 = Date.now();
    while (lines.length < n && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setImmediate(r));
  };

  beforeAll(async () => {
    t = await startTestApp({ QUANZE_LOG_LEVEL: 'info', QUANZE_METRICS_PORT: '0' }, { logDestination: { write: (s: string) => void lines.push(s) } });
    await t.post('/api/regions', { code: '650000', name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '1955-10-01', document: doc('区划') }).expect(201);
    await t.post('/api/regions', { code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '1982-01-01', document: doc('区划') }).expect(201);
    await t.post('/api/departments', { id: 'TJJ', name: '克拉玛依市统计局', regionCode: '650200', effectiveFrom: '2010-01-01', document: doc() }).expect(201);
    await t.post('/api/departments', { id: 'SWJ', name: '克拉玛依市商务局', regionCode: '650200', effectiveFrom: '2010-01-01', document: doc() }).expect(201);
    await t.post('/api/catalog/items', { code: 'X1', name: '对统计违法行为的行政处罚', type: '行政处罚', basis: [], levels: ['city'], effectiveFrom: '2015-01-01', document: doc('目录') }).expect(201);
  });
  afterAll(() => t?.close());

  test('one JSON line per request: id sent back, actor, role, route pattern, status, duration, events; a command its id and stream version', async () => {
    lines.length = 0;
    const a = await t.post('/api/regions/650200/items/X1/assign', { departmentId: 'TJJ', role: 'lead', effectiveFrom: '2016-05-01', document: doc() }).set('X-Request-Id', 'trace-42');
    expect(a.status).toBe(200);
    expect(a.headers['x-request-id']).toBe('trace-42');
    const g = await t.get('/api/ownership?region=650200&item=X1&at=2016-05-01');
    expect(g.status).toBe(200);
    expect(g.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    await t.http().get('/api/ownership?region=650200&item=X1&at=2016-05-01').expect(401);
    await t.get('/api/nothing-here').expect(404);
    await linesWritten(4);
    const rs = records();
    expect(rs).toHaveLength(4);
    const [assign, get, anon, missing] = rs;
    expect(assign).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      msg: 'request',
      reqId: 'trace-42',
      actor: 'editor-user',
      role: 'editor',
      method: 'POST',
      route: '/api/regions/:code/items/:item/assign',
      status: 200,
      durationMs: expect.any(Number),
      events: 1,
      commandId: a.body.commandId,
      streamVersion: a.body.streamVersion,
      position: a.body.position,
    });
    expect(get).toMatchObject({ reqId: g.headers['x-request-id'], actor: 'reader-user', role: 'reader', method: 'GET', route: '/api/ownership', status: 200, events: 0 });
    expect(get.commandId).toBeUndefined();
    expect(anon).toMatchObject({ actor: 'anonymous', role: null, route: '/api/ownership', status: 401 });
    expect(missing).toMatchObject({ path: '/api/nothing-here', status: 404 });
    expect(missing.route).toBeUndefined();
  });

  test('a token, a request body and a query never reach the log, not even from a bad request', async () => {
    lines.length = 0;
    const secret = 'body-secret-身份证-110101199003074477';
    await t.post('/api/regions/650200/items/X1/assign', { departmentId: 'SWJ', role: 'cooperating', effectiveFrom: '2017-01-01', document: doc(secret) }).expect(200);
    await t.post('/api/regions/650200/items/X1/assign', { departmentId: secret, document: doc() }).expect(400);
    await t.http().get(`/api/ownership?region=650200&item=${secret}&at=2016-05-01`).set('Authorization', `Bearer ${TOKENS.admin}`).expect(400);
    await t.http().get('/api/ownership').set('Authorization', 'Bearer not-a-token-but-secret-9876').expect(401);
    await t.http().get(`/api/metrics`).set('Authorization', `Bearer ${TOKENS.admin}`).set('X-Request-Id', 'not plain: <script>').expect(200);
    await linesWritten(5);
    expect(lines.length).toBe(5);
    const all = lines.join('');
    for (const token of [...Object.values(TOKENS), 'not-a-token-but-secret-9876', 'Bearer', secret, '110101199003074477', 'authorization']) expect(all).not.toContain(token);
    expect(all).not.toContain('?');
    expect(all).not.toContain('<script>'); // an X-Request-Id that is not short and plain is replaced
  });

  test('/api/metrics: admin only, Prometheus text with latency by route and status, appends, projection lag, snapshot age, store errors, memory and GC', async () => {
    await t.get('/api/metrics', 'editor').expect(403);
    await t.http().get('/api/metrics').expect(401);
    const before = await t.get('/api/metrics', 'admin').expect(200);
    expect(before.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const num = (text: string, series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(series + ' '));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    const events0 = num(before.text, 'quanze_events_appended_total')!;
    const appends0 = num(before.text, 'quanze_appends_total')!;
    expect(appends0).toBeGreaterThanOrEqual(6);
    await t.post('/api/regions/650200/items/X1/withdraw', { departmentId: 'TJJ', effectiveFrom: '2019-01-01', document: doc() }).expect(200);
    const m = (await t.get('/api/metrics', 'admin').expect(200)).text;
    expect(num(m, 'quanze_events_appended_total')).toBe(events0 + 1);
    expect(num(m, 'quanze_appends_total')).toBe(appends0 + 1);
    expect(num(m, 'quanze_http_request_duration_seconds_count{method="POST",route="/api/regions/:code/items/:item/withdraw",status="200"}')).toBe(1);
    expect(num(m, 'quanze_http_request_duration_seconds_count{method="POST",route="/api/regions/:code/items/:item/assign",status="400"}')).toBe(1);
    expect(m).toMatch(/quanze_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/api\/ownership",status="200"\} \d+/);
    const head = (await t.server.core.store.info()).headPosition;
    expect(num(m, 'quanze_event_store_head_position')).toBe(head);
    expect(num(m, 'quanze_projection_checkpoint')).toBe(head);
    expect(num(m, 'quanze_projection_lag_events')).toBe(0);
    expect(num(m, 'quanze_snapshot_age_seconds')).toBe(-1); // none written until the server stops
    await t.server.core.runner.saveSnapshot();
    const age = num((await t.get('/api/metrics', 'admin')).text, 'quanze_snapshot_age_seconds')!;
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(5);
    expect(m).toContain('# TYPE quanze_event_store_errors_total counter');
    expect(m).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(m).toMatch(/^nodejs_heap_size_used_bytes \d+/m);
    expect(m).toContain('# TYPE nodejs_gc_duration_seconds histogram');
  });

  test('an event-store failure is counted by operation', async () => {
    const store = t.server.core.store as unknown as { readStream(s: string): Promise<unknown> };
    const target = (t.server.core.registry as unknown as { store: { readStream: unknown } }).store;
    expect(target).toBe(store); // the registry writes through the instrumented store
    const stmts = (store as unknown as { stmts: { readStream: unknown } }).stmts;
    const real = stmts.readStream;
    stmts.readStream = { all: () => { throw new Error('disk I/O error (simulated)'); } };
    try {
      await expect(store.readStream('region-650200')).rejects.toThrow('simulated');
    } finally {
      stmts.readStream = real;
    }
    const m = (await t.get('/api/metrics', 'admin').expect(200)).text;
    expect(m).toMatch(/^quanze_event_store_errors_total\{operation="readStream"\} 1$/m);
  });

  test('QUANZE_METRICS_PORT: the same text without a token on its own port, nothing else there', async () => {
    expect(t.server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const u = new URL(t.server.metricsUrl!);
    const r = await request(u.origin).get('/metrics').expect(200);
    expect(r.text).toContain('quanze_projection_lag_events 0');
    await request(u.origin).get('/api/ownership').expect(404);
  });
});
