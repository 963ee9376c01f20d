import { Commands, NOT_YET_VISIBLE } from './domain-command';

/** Commands.send calls the registry's use case itself and never answers as if the write were visible when it is not. */
describe('Commands.send', () => {
  const result = { commandId: 'c1', eventIds: ['e1'], recordedAt: '2026-12-03T00:00:00.000Z', streamVersion: 0, position: 42, warnings: [] };
  const make = (reached: boolean) => {
    const calls: Array<{ payload: unknown; ctx: { actor: string; commandId?: string; expectedVersion?: number } }> = [];
    const registry = {
      renameDepartment: async function (this: unknown, payload: unknown, ctx: never) {
        expect(this).toBe(registry); // called as a method of the registry
        calls.push({ payload, ctx });
        return result;
      },
    };
    const waited: number[] = [];
    const runner = { waitFor: async (p: number) => (waited.push(p), reached) };
    const commands = new Commands(registry as never, {} as never, runner as never);
    return { commands, calls, waited };
  };
  const req = { principal: { name: 'editor-user' }, headers: { 'idempotency-key': 'k-1' }, query: {} };

  test('the use case gets the payload without shell fields or undefined values, and the context from the request', async () => {
    const { commands, calls, waited } = make(true);
    const r = await commands.send('renameDepartment', { id: 'D1', name: '新名', effectiveFrom: '2024-01-01', document: { number: 'X' }, expectedVersion: 3, reason: undefined } as never, req);
    expect(r).toEqual(result);
    expect(calls).toHaveLength(1);
    expect(calls[0].payload).toEqual({ id: 'D1', name: '新名', effectiveFrom: '2024-01-01', document: { number: 'X' } });
    expect(calls[0].ctx).toMatchObject({ actor: 'editor-user', commandId: 'k-1', expectedVersion: 3 });
    expect(waited).toEqual([42]);
  });

  test('when the read model does not reach the events in time, the answer says so (NOT_YET_VISIBLE), the write stands', async () => {
    const { commands } = make(false);
    const r = await commands.send('renameDepartment', { id: 'D1', name: '新名', effectiveFrom: '2024-01-01', document: { number: 'X' } } as never, req);
    expect(r.eventIds).toEqual(['e1']);
    expect(r.warnings.map((w) => w.code)).toEqual([NOT_YET_VISIBLE]);
    expect(r.warnings[0].details).toEqual({ position: 42 });
  });
});
