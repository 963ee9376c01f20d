import { ApiError, api } from './api';

/** The web app's client and the read gate (apps/api/src/http/read-gate.ts): a busy read model is waited out, not shown as an error. */
describe('api(): 503 READ_MODEL_BUSY', () => {
  const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    ({ ok: status < 400, status, headers: { get: (k: string) => headers[k] ?? null }, json: async () => body, text: async () => JSON.stringify(body) }) as unknown as Response;
  const realFetch = global.fetch;
  afterEach(() => {
    global.fetch = realFetch;
    jest.useRealTimers();
  });

  test('a GET answered READ_MODEL_BUSY is asked again after Retry-After, and its data returned', async () => {
    jest.useFakeTimers();
    const busy = answer(503, { code: 'READ_MODEL_BUSY', message: '读模型正在载入' }, { 'Retry-After': '1' });
    const calls: number[] = [];
    global.fetch = jest.fn(async () => (calls.push(Date.now()), calls.length <= 2 ? busy : answer(200, { departments: ['D1'] }))) as unknown as typeof fetch;
    const got = api('/api/regions/650200/departments', { token: 't' });
    await jest.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1001);
    await expect(got).resolves.toEqual({ departments: ['D1'] });
    expect(calls).toHaveLength(3);
  });

  test('a command (POST) is never repeated; another 503 is an error at once', async () => {
    global.fetch = jest.fn(async () => answer(503, { code: 'READ_MODEL_BUSY', message: 'x' }, { 'Retry-After': '1' })) as unknown as typeof fetch;
    await expect(api('/api/regions', { method: 'POST', body: {}, token: 't' })).rejects.toMatchObject({ status: 503, code: 'READ_MODEL_BUSY' });
    expect(global.fetch).toHaveBeenCalledTimes(1);
    global.fetch = jest.fn(async () => answer(503, { code: 'FINDINGS_BUSY', message: 'y' })) as unknown as typeof fetch;
    await expect(api('/api/gaps', { token: 't' })).rejects.toBeInstanceOf(ApiError);
    expect(global.fetch).toHaveBeenCalledTimes(1);
  });
});
