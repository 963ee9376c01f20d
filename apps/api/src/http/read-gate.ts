/**
 * The visibility switch of a large append (#22): the runner applies a large append (an import) to the
 * read models in slices, the event loop serving requests between them; a reader of the read models who
 * arrives meanwhile waits until the whole append is applied (`runner.settled()`), so no answer ever shows
 * part of an import. What does not read the read models answers at once: `/api/health` (it reports the
 * runner's checkpoint and lag), `/api/metrics`, the API's documentation; commands too (they decide on
 * the store, whose reads never see an append before it is committed whole).
 *
 * A reader never waits long: after `maxWaitMs` (READ_WAIT_MS, 50 ms) while the read models still hold
 * part of an append, it is answered 503 READ_MODEL_BUSY with `Retry-After: 1` — within 200 ms, instead of
 * waiting for the whole projection (2.7 s for a 40,000-row import in process, seconds more at 150,000:
 * decision 0017). The web app's client retries such a GET after Retry-After (apps/web/src/lib/api.ts).
 */
export const READ_WAIT_MS = 50;
const UNGATED = ['/api/health', '/api/metrics', '/api/openapi.json', '/api/docs'];

interface GateResponse {
  headersSent?: boolean;
  status(code: number): GateResponse;
  setHeader(name: string, value: string): unknown;
  json(body: unknown): unknown;
}

export function readGate(runner: { holding(): boolean; settled(): Promise<void> }, maxWaitMs = READ_WAIT_MS) {
  return (req: { method: string; path: string }, res: GateResponse, next: () => void) => {
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (!read || !(req.path === '/api' || req.path.startsWith('/api/')) || UNGATED.some((p) => req.path === p || req.path.startsWith(`${p}/`))) return next();
    // the usual case, on every read: nothing held, no promise and no timer
    if (!runner.holding()) return next();
    let done = false;
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      if (res.headersSent) return;
      res.setHeader('Retry-After', '1');
      res.status(503).json({
        statusCode: 503,
        error: 'Service Unavailable',
        code: 'READ_MODEL_BUSY',
        message: '读模型正在载入一次大批量登记（如导入），尚未载入完毕：请 1 秒后重试（/api/health 显示进度）',
      });
    }, maxWaitMs);
    timer.unref?.();
    void runner.settled().then(() => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      next();
    });
  };
}
