import { SqliteEventStore } from '../../event-store/src';
import { ProjectionRunner, RegistryProjection, ownership } from '../../projections/src';
import { Registry } from './registry';

/** Events that change shape: an ItemAssigned stored in its v1 shape is read as v2 everywhere. */
describe('upcasting old-shaped events read from the store', () => {
  test('ItemAssigned v1 (document as a bare 文号, no role) answers as v2 in projections and in deciders', async () => {
    const store = new SqliteEventStore({ file: ':memory:' });
    const registry = new Registry(store);
    const ctx = { actor: 'test' };
    const doc = { number: '区划' };
    await registry.registerRegion({ code: '650000', name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '2000-01-01', document: doc }, ctx);
    await registry.registerRegion({ code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '2000-01-01', document: doc }, ctx);
    await registry.establishDepartment({ id: 'A', name: '甲局', regionCode: '650200', effectiveFrom: '2010-01-01', document: doc }, ctx);
    await registry.establishDepartment({ id: 'B', name: '乙局', regionCode: '650200', effectiveFrom: '2010-01-01', document: doc }, ctx);
    await registry.defineCatalogItem({ code: 'X', name: '某事项', type: '行政检查', basis: [], levels: ['city'], effectiveFrom: '2010-01-01', document: doc }, ctx);
    // Written as the first importer wrote it: schemaVersion 1.
    await store.append([
      {
        stream: 'assignment-650200-X',
        expectedVersion: 'no_stream',
        events: [{ id: 'old-1', type: 'ItemAssigned', data: { regionCode: '650200', itemCode: 'X', departmentId: 'A', effectiveFrom: '2016-01-01', document: '克政发〔2016〕1号' }, metadata: { actor: 'importer-v1', schemaVersion: 1 } }],
      },
    ]);
    const view = new RegistryProjection();
    await new ProjectionRunner(store, [view]).rebuild();
    const a = ownership(view, { region: '650200', item: 'X', at: '2017-01-01' });
    expect(a.owners).toEqual([expect.objectContaining({ departmentId: 'A', role: 'lead', document: { number: '克政发〔2016〕1号' } })]);
    // The decider sees the upcast shape too: the v1 holder can be transferred from.
    const r = await registry.transferItem({ regionCode: '650200', itemCode: 'X', fromDepartmentId: 'A', toDepartmentId: 'B', effectiveFrom: '2020-01-01', document: doc }, ctx);
    expect(r.eventIds).toHaveLength(1);
    await registry.assignItem({ regionCode: '650200', itemCode: 'X', departmentId: 'A', role: 'cooperating', effectiveFrom: '2021-01-01', document: doc }, ctx);
    const stored = await store.readStream('assignment-650200-X');
    // Old events stay as they were written; new ones are written in the current shape.
    expect(stored.map((e) => [e.type, e.metadata.schemaVersion])).toEqual([['ItemAssigned', 1], ['ItemTransferred', 1], ['ItemAssigned', 2]]);
    expect(typeof stored[0].data.document).toBe('string');
    await store.close();
  });
});
