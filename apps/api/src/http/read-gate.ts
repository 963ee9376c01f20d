/**
 * The visibility switch of a large append (#22): the runner applies a large append (an import) to the
 * read models in slices, the event loop serving requests between them; a reader of the read models who
 * arrives meanwhile waits until the whole append is applied (`runner.settled()`), so no answer ever shows
 * part of an import. What does not read the read models answers at once: `/api/health` (it reports the
 * runner's checkpoint and lag), `/api/metrics`, the API's documentation; commands too (they decide on
 * the store, whose reads never see an append before it is committed whole).
 */
const UNGATED = ['/api/health', '/api/metrics', '/api/openapi.json', '/api/docs'];

export function readGate(runner: { settled(): Promise<void> }) {
  return (req: { method: string; path: string }, _res: unknown, next: () => void) => {
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (!read || !(req.path === '/api' || req.path.startsWith('/api/')) || UNGATED.some((p) => req.path === p || req.path.startsWith(`${p}/`))) return next();
    void runner.settled().then(() => next());
  };
}
