import { READ_WAIT_MS, readGate } from './read-gate';

/** The read gate holds readers of the read models while a large append is applied — but never without bound. */
describe('read gate', () => {
  const res = () => {
    const r = { code: 0, headers: {} as Record<string, string>, body: undefined as unknown, headersSent: false } as any;
    r.status = (c: number) => ((r.code = c), r);
    r.setHeader = (k: string, v: string) => (r.headers[k] = v);
    r.json = (b: unknown) => ((r.body = b), (r.headersSent = true), r);
    return r;
  };
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('a reader waits for settled(); health, metrics and commands pass at once', async () => {
    let release!: () => void;
    const settled = new Promise<void>((r) => (release = r));
    let held = true;
    const gate = readGate({ holding: () => held, settled: () => settled.then(() => void (held = false)) }, 1000);
    const passed: string[] = [];
    for (const [method, path] of [['GET', '/api/ownership'], ['GET', '/api/health'], ['POST', '/api/regions'], ['GET', '/api/metrics'], ['GET', '/public/']]) gate({ method, path }, res(), () => passed.push(`${method} ${path}`));
    expect(passed).toEqual(['GET /api/health', 'POST /api/regions', 'GET /api/metrics', 'GET /public/']);
    release();
    await settled;
    await Promise.resolve();
    expect(passed).toContain('GET /api/ownership');
  });

  test('nothing held: a reader passes at once, without waiting for a promise', () => {
    const gate = readGate({ holding: () => false, settled: () => new Promise<void>(() => undefined) }, 1000);
    const next = jest.fn();
    gate({ method: 'GET', path: '/api/ownership' }, res(), next);
    expect(next).toHaveBeenCalledTimes(1);
  });

  test('a runner that never settles: the reader is answered 503 READ_MODEL_BUSY with Retry-After, not held forever', async () => {
    const gate = readGate({ holding: () => true, settled: () => new Promise<void>(() => undefined) }, 1000);
    const r = res();
    const next = jest.fn();
    gate({ method: 'GET', path: '/api/lists' }, r, next);
    jest.advanceTimersByTime(999);
    expect(r.code).toBe(0);
    jest.advanceTimersByTime(1);
    expect([r.code, r.headers['Retry-After'], (r.body as { code: string }).code]).toEqual([503, '1', 'READ_MODEL_BUSY']);
    expect(next).not.toHaveBeenCalled();
  });

  test('by default a held reader is answered within READ_WAIT_MS (50 ms), not after the whole projection', () => {
    // the read models hold part of a large append for seconds (decision 0017): the reader is told so at once
    const gate = readGate({ holding: () => true, settled: () => new Promise<void>(() => undefined) });
    const r = res();
    const next = jest.fn();
    gate({ method: 'GET', path: '/api/regions/650200/departments' }, r, next);
    jest.advanceTimersByTime(READ_WAIT_MS - 1);
    expect(r.code).toBe(0);
    jest.advanceTimersByTime(1);
    expect([r.code, r.headers['Retry-After']]).toEqual([503, '1']);
    expect(READ_WAIT_MS).toBeLessThanOrEqual(50);
    expect(next).not.toHaveBeenCalled();
  });

  test('a reader whose append is applied within the wait is answered normally, and never also 503', async () => {
    let release!: () => void;
    const settled = new Promise<void>((r) => (release = r));
    const gate = readGate({ holding: () => true, settled: () => settled });
    const r = res();
    const next = jest.fn();
    gate({ method: 'GET', path: '/api/ownership' }, r, next);
    jest.advanceTimersByTime(READ_WAIT_MS - 10);
    release();
    await settled;
    await Promise.resolve();
    expect(next).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(1000);
    expect(r.code).toBe(0);
  });
});
