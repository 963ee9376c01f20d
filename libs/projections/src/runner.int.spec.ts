import { SqliteEventStore } from '../../event-store/src';
import { LIVE_PAGE, ProjectionRunner } from './runner';
import { RegistryProjection } from './registry/registry.projection';

/** The replay path reads two fields of the metadata without parsing it: the facts must be those of plain events. */
describe('ProjectionRunner: a rebuild (replay path) gives the facts of the events as readAll returns them', () => {
  test('actor, schemaVersion (upcasting) and unknown types, whatever the shape of the metadata', async () => {
    const store = new SqliteEventStore({ file: ':memory:' });
    const doc = { number: '文号〔2016〕1号' };
    const append = (stream: string, type: string, data: unknown, metadata: Record<string, unknown>) =>
      store.append([{ stream, expectedVersion: 'any', events: [{ id: `${stream}-${type}-${JSON.stringify(metadata)}`, type, data, metadata }] }]);
    await append('region-650200', 'RegionRegistered', { code: '650200', name: '克拉玛依市', level: 'city', effectiveFrom: '2000-01-01', document: doc }, { actor: 'a', schemaVersion: 1 });
    await append('department-A', 'DepartmentEstablished', { id: 'A', name: '甲局', regionCode: '650200', effectiveFrom: '2010-01-01', document: doc }, {});
    // v1: document as a bare string, no role — upcast to v2.
    await append('assignment-650200-X', 'ItemAssigned', { regionCode: '650200', itemCode: 'X', departmentId: 'A', effectiveFrom: '2016-01-01', document: '克政发〔2016〕1号' }, { actor: 'importer-v1', schemaVersion: 1 });
    await append('assignment-650200-Y', 'ItemAssigned', { regionCode: '650200', itemCode: 'Y', departmentId: 'A', role: 'lead', effectiveFrom: '2016-01-01', document: doc }, { actor: 'say "hi" \\', schemaVersion: 2 });
    await append('assignment-650200-Z', 'ItemAssigned', { regionCode: '650200', itemCode: 'Z', departmentId: 'A', role: 'lead', effectiveFrom: '2016-01-01', document: doc }, { trace: { actor: 'inner', schemaVersion: 1 }, actor: 'outer', schemaVersion: 2 });
    await append('other-1', 'SomethingElse', { x: 1 }, { actor: 'b' });

    const rebuilt = new RegistryProjection();
    await new ProjectionRunner(store, [rebuilt]).rebuild();
    const plain = new RegistryProjection();
    const runner = new ProjectionRunner(store, [plain]);
    for (const e of await store.readAll(0, 100)) runner.handle(e);

    const facts = [...rebuilt.facts()];
    expect(facts).toEqual([...plain.facts()]);
    expect(facts.map((f) => f.actor)).toEqual(['a', undefined, 'importer-v1', 'say "hi" \\', 'outer']);
    expect(facts[2].event.data).toMatchObject({ role: 'lead', document: { number: '克政发〔2016〕1号' } });
    expect(rebuilt.state()).toEqual(plain.state());
    await store.close();
  });
});

/** #22: a large append is applied in slices (the event loop runs), and readers who wait on settled() never see part of it. */
describe('ProjectionRunner: a large live append in slices, behind settled()', () => {
  test('timers run while 30,000 events are applied; every settled() reader sees whole appends only', async () => {
    const store = new SqliteEventStore({ file: ':memory:', pollIntervalMs: 20 });
    const runner = new ProjectionRunner(store, [new RegistryProjection()]);
    await runner.start();
    const ev = (i: number) => ({ id: `e-${i}-${Math.random()}`, type: 'SomethingElse', data: { i }, metadata: {} });
    const small = await store.append([{ stream: 's-small', expectedVersion: 'any', events: [ev(0)] }]);
    await runner.waitFor(small.position);
    const big = await store.append(Array.from({ length: 10_000 }, (_, i) => ({ stream: `s-${i}`, expectedVersion: 'any' as const, events: [ev(1), ev(2), ev(3)] })));
    // readers arrive throughout, as timers; each notes what the read model held when let in
    const seen: number[] = [];
    let ticks = 0;
    const timer = setInterval(() => {
      ticks++;
      void runner.settled().then(() => seen.push(runner.position));
    }, 1);
    expect(await runner.waitFor(big.position, 60_000)).toBe(true);
    await runner.settled();
    clearInterval(timer);
    await new Promise((r) => setTimeout(r, 20));
    expect(ticks).toBeGreaterThan(2);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((n) => n !== small.position && n !== big.position)).toEqual([]);
    await runner.stop();
    await store.close();
  }, 120_000);
});

describe('ProjectionRunner: live events read in small pages (#22)', () => {
  test(`a large append is read back ${LIVE_PAGE} rows at a time, not in pages of 1,000 (one 70-80 ms step each on a loaded host)`, async () => {
    const store = new SqliteEventStore({ file: ':memory:' });
    const runner = new ProjectionRunner(store, [new RegistryProjection()]);
    try {
      await runner.start();
      const limits: number[] = [];
      const readAll = store.readAll.bind(store);
      jest.spyOn(store, 'readAll').mockImplementation((from, limit) => (limits.push(limit), readAll(from, limit)));
      const events = Array.from({ length: 2_500 }, (_, i) => ({ id: `n${i}`, type: 'Noted', data: { i }, metadata: {} }));
      const r = await store.append([{ stream: 'notes', expectedVersion: 'no_stream', events }]);
      expect(await runner.waitFor(r.position)).toBe(true);
      expect(limits.length).toBeGreaterThanOrEqual(2_500 / LIVE_PAGE);
      expect(Math.max(...limits)).toBeLessThanOrEqual(LIVE_PAGE);
    } finally {
      await runner.stop();
      await store.close();
    }
  });
});
