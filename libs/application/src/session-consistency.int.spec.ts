import { SqliteEventStore } from '../../event-store/src';
import { Registry, WriteSession, retractEvent } from '.';

const ctx = { actor: 't' };
const doc = { number: '克编委〔2024〕1号' };

/**
 * A decision and the version its append expects come from ONE read of the stream. Found by the
 * torture's races on PostgreSQL: two concurrent retractions of one event both succeeded, because the
 * retraction decided on a raw read and the append took its expected version from a second, later read.
 */
describe('a write session reads each stream once', () => {
  let store: SqliteEventStore;
  let registry: Registry;
  beforeEach(async () => {
    store = new SqliteEventStore({ file: ':memory:' });
    registry = new Registry(store);
    await registry.registerRegion({ code: '650000', name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '2000-01-01', document: doc }, ctx);
    await registry.establishDepartment({ id: 'D1', name: '市统计局', regionCode: '650000', effectiveFrom: '2010-01-01', document: doc }, ctx);
    await registry.renameDepartment({ id: 'D1', name: '自治区统计局', effectiveFrom: '2012-01-01', document: doc }, ctx);
  });
  afterEach(() => store.close());

  test('a retraction decided before a concurrent one was recorded plans its append on the version it read', async () => {
    const s = new WriteSession(store);
    const renamed = (await store.readStream('department-D1'))[1].id;
    await retractEvent(s, { eventId: renamed, reason: '录入错误', document: doc });
    // Meanwhile another writer retracts the same event.
    await registry.retractEvent({ eventId: renamed, reason: '录入错误', document: doc }, { actor: 'admin' });
    const plan = await s.plan('department-D1');
    expect(plan.readVersion).toBe(1); // the version the decision saw, not 2
    expect(plan.appends.map((a) => [a.stream, a.readVersion])).toEqual([['department-D1', 1]]);
    await expect(store.append(plan.appends.map((a) => ({ stream: a.stream, expectedVersion: a.readVersion!, events: a.events.map((e, i) => ({ id: `x${i}`, type: e.type, data: e.data, metadata: {} })) })))).rejects.toThrow();
  });

  test('two retractions of one event at once: one is recorded, the other is refused ALREADY_RETRACTED', async () => {
    const renamed = (await store.readStream('department-D1'))[1].id;
    const results = await Promise.allSettled([0, 1, 2, 3].map(() => registry.retractEvent({ eventId: renamed, reason: '录入错误', document: doc }, { actor: 'admin' })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as { code?: string }).code).toBe('ALREADY_RETRACTED');
    expect((await store.readStream('department-D1')).filter((e) => e.type === 'EventRetracted')).toHaveLength(1);
  });
});
