import { Registry } from '../../../application/src';
import { SqliteEventStore } from '../../../event-store/src';
import { ProjectionRunner } from '../runner';
import { RegistryProjection } from '../registry/registry.projection';
import { itemHistory } from './history.query';

/**
 * An entry's history is read from its own streams (itemFactsIn): it must be the item's whole history
 * with the other regions' events left out — catalogue changes and retractions included, in recorded order.
 */
describe('history of one entry', () => {
  test('equals the item history across regions, filtered to the region (catalogue and retractions kept)', async () => {
    const store = new SqliteEventStore({ file: ':memory:' });
    const reg = new Registry(store);
    const ctx = { actor: 't' };
    const doc = { number: '测试' };
    await reg.registerRegion({ code: '650000', name: '新疆', level: 'province', effectiveFrom: '2000-01-01', document: doc }, ctx);
    for (const c of ['650200', '650300']) await reg.registerRegion({ code: c, name: `市${c}`, level: 'city', parentCode: '650000', effectiveFrom: '2000-01-01', document: doc }, ctx);
    for (const [id, region] of [['A', '650200'], ['B', '650200'], ['C', '650300']]) await reg.establishDepartment({ id, name: `部门${id}`, regionCode: region, effectiveFrom: '2010-01-01', document: doc }, ctx);
    await reg.defineCatalogItem({ code: 'I', name: '事项', type: '行政检查', basis: [], levels: ['city'], effectiveFrom: '2010-01-01', document: doc }, ctx);
    const a1 = await reg.assignItem({ regionCode: '650200', itemCode: 'I', departmentId: 'A', role: 'lead', effectiveFrom: '2016-01-01', document: doc }, ctx);
    await reg.assignItem({ regionCode: '650300', itemCode: 'I', departmentId: 'C', role: 'lead', effectiveFrom: '2016-01-01', document: doc }, ctx);
    const rev = await reg.reviseCatalogItem({ code: 'I', name: '事项（修订）', effectiveFrom: '2018-01-01', document: doc }, ctx);
    await reg.transferItem({ regionCode: '650200', itemCode: 'I', fromDepartmentId: 'A', toDepartmentId: 'B', effectiveFrom: '2019-01-01', document: doc }, ctx);
    const c2 = await reg.assignItem({ regionCode: '650300', itemCode: 'I', departmentId: 'C', role: 'cooperating', effectiveFrom: '2020-01-01', document: doc }, ctx);
    await reg.retractEvent({ eventId: c2.eventIds[0], reason: '错录', document: doc }, ctx);
    await reg.retractEvent({ eventId: rev.eventIds[0], reason: '错录', document: doc }, ctx);
    await reg.retractEvent({ eventId: a1.eventIds[0], reason: '错录', document: doc }, ctx);
    const view = new RegistryProjection();
    await new ProjectionRunner(store, [view]).rebuild();
    const whole = itemHistory(view, { item: 'I', withActors: true });
    for (const region of ['650200', '650300']) {
      const one = itemHistory(view, { item: 'I', region, withActors: true });
      expect(one.events).toEqual(whole.events.filter((e) => e.regionCode === undefined || e.regionCode === region));
      expect(one.events.map((e) => e.position)).toEqual([...one.events.map((e) => e.position)].sort((x, y) => x - y));
    }
    const mine = itemHistory(view, { item: 'I', region: '650300', withActors: false }).events.map((e) => e.type);
    expect(mine).toEqual(['CatalogItemDefined', 'ItemAssigned', 'CatalogItemRevised', 'ItemAssigned', 'EventRetracted', 'EventRetracted']);
    await store.close();
  });
});
