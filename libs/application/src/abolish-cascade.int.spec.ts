import { SqliteEventStore } from '../../event-store/src';
import { RegistryProjection, ProjectionRunner, ownership } from '../../projections/src';
import { Registry } from '.';

const ctx = { actor: 't' };
const doc = { number: '克编委〔2024〕1号' };

/** Abolition with a successor moves the items on every write path: with the live read model as index, and without any. */
describe.each([
  ['without an index (CLI, scripts, importer): found in the log', false],
  ['with the read model as index (API)', true],
])('abolishing a department %s', (_name, withIndex) => {
  let store: SqliteEventStore;
  let registry: Registry;
  let view: RegistryProjection;
  let runner: ProjectionRunner;

  beforeEach(async () => {
    store = new SqliteEventStore({ file: ':memory:' });
    view = new RegistryProjection();
    runner = new ProjectionRunner(store, [view]);
    await runner.start();
    registry = withIndex ? new Registry(store, view) : new Registry(store);
    await registry.registerRegion({ code: '650000', name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '2000-01-01', document: doc }, ctx);
    await registry.registerRegion({ code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '2000-01-01', document: doc }, ctx);
    for (const id of ['OLD', 'NEW']) await registry.establishDepartment({ id, name: `市${id}局`, regionCode: '650200', effectiveFrom: '2010-01-01', document: doc }, ctx);
    for (const code of ['P1', 'P2', 'P3']) {
      await registry.defineCatalogItem({ code, name: `事项${code}`, type: '行政许可', basis: ['某法'], levels: ['city'], effectiveFrom: '2010-01-01', document: doc }, ctx);
    }
    await registry.assignItem({ regionCode: '650200', itemCode: 'P1', departmentId: 'OLD', role: 'lead', effectiveFrom: '2015-01-01', document: doc }, ctx);
    await registry.assignItem({ regionCode: '650200', itemCode: 'P2', departmentId: 'OLD', role: 'cooperating', effectiveFrom: '2015-01-01', document: doc }, ctx);
    // held once, transferred away before the abolition: not moved again
    const r = await registry.assignItem({ regionCode: '650200', itemCode: 'P3', departmentId: 'OLD', role: 'lead', effectiveFrom: '2015-01-01', document: doc }, ctx);
    const t = await registry.transferItem({ regionCode: '650200', itemCode: 'P3', fromDepartmentId: 'OLD', toDepartmentId: 'NEW', effectiveFrom: '2018-01-01', document: doc }, ctx);
    await runner.waitFor(Math.max(r.position, t.position));
  });
  afterEach(async () => {
    await runner.stop();
    await store.close();
  });

  test('with a successor: every item it holds moves to it in the same append', async () => {
    const res = await registry.abolishDepartment({ id: 'OLD', successorId: 'NEW', effectiveFrom: '2020-01-01', document: doc }, ctx);
    expect(res.eventIds).toHaveLength(3);
    await runner.waitFor(res.position);
    const holders = (item: string, at: string) => ownership(view, { region: '650200', item, at }).owners.map((h) => `${h.departmentId}:${h.role}`);
    expect(holders('P1', '2020-01-01')).toEqual(['NEW:lead']);
    expect(holders('P2', '2020-01-01')).toEqual(['NEW:cooperating']);
    expect(holders('P3', '2020-01-01')).toEqual(['NEW:lead']);
    expect(holders('P1', '2019-12-31')).toEqual(['OLD:lead']);
    const events = await Promise.all(res.eventIds.map((id) => store.readEvent(id)));
    expect(new Set(events.map((e) => e!.recordedAt)).size).toBe(1);
    expect(events.map((e) => `${e!.stream}:${e!.type}`)).toEqual(['department-OLD:DepartmentAbolished', 'assignment-650200-P1:ItemTransferred', 'assignment-650200-P2:ItemTransferred']);
  });

  test('an item assigned earlier in the same batch (an import, a change set) moves too: the read model and the log do not know it yet', async () => {
    await registry.defineCatalogItem({ code: 'P4', name: '事项P4', type: '行政许可', basis: ['某法'], levels: ['city'], effectiveFrom: '2010-01-01', document: doc }, ctx);
    const res = await registry.batch(ctx, async (s) => {
      await registry.decideInto(s, 'assignItem', { regionCode: '650200', itemCode: 'P4', departmentId: 'OLD', role: 'lead', effectiveFrom: '2016-01-01', document: doc });
      await registry.decideInto(s, 'abolishDepartment', { id: 'OLD', successorId: 'NEW', effectiveFrom: '2020-01-01', document: doc });
    });
    await runner.waitFor(res.position);
    const events = await Promise.all(res.eventIds.map((id) => store.readEvent(id)));
    expect(events.map((e) => `${e!.stream}:${e!.type}`).sort()).toEqual([
      'assignment-650200-P1:ItemTransferred',
      'assignment-650200-P2:ItemTransferred',
      'assignment-650200-P4:ItemAssigned',
      'assignment-650200-P4:ItemTransferred',
      'department-OLD:DepartmentAbolished',
    ]);
    expect(ownership(view, { region: '650200', item: 'P4', at: '2020-01-01' }).owners.map((h) => `${h.departmentId}:${h.role}`)).toEqual(['NEW:lead']);
  });

  test('without one: the items stay and the answer names them (职责缺位)', async () => {
    const res = await registry.abolishDepartment({ id: 'OLD', effectiveFrom: '2020-01-01', document: doc }, ctx);
    expect(res.eventIds).toHaveLength(1);
    expect(res.warnings).toEqual([expect.objectContaining({ code: 'ABOLISHED_HOLDING_ITEMS', details: { items: [{ regionCode: '650200', itemCode: 'P1' }, { regionCode: '650200', itemCode: 'P2' }] } })]);
  });
});
