import { Registry } from '../../../application/src';
import { SqliteEventStore } from '../../../event-store/src';
import { ProjectionRunner } from '../runner';
import { RegistryProjection } from '../registry/registry.projection';
import { regionListDiff } from './list.query';

const doc = { number: '测试〔2016〕1号' };
const ctx = { actor: 'test' };

describe('the list diff between two dates', () => {
  test('a second lead beside the first is leadAdded (a conflict), not a transfer; a real transfer stays a transfer', async () => {
    const store = new SqliteEventStore({ file: ':memory:' });
    const view = new RegistryProjection();
    const runner = new ProjectionRunner(store, [view]);
    await runner.start();
    const r = new Registry(store, view);
    await r.registerRegion({ code: '650000', name: '新疆', level: 'province', effectiveFrom: '2000-01-01', document: doc }, ctx);
    await r.registerRegion({ code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '2000-01-01', document: doc }, ctx);
    for (const id of ['A', 'B']) await r.establishDepartment({ id, name: `部门${id}`, regionCode: '650200', effectiveFrom: '2010-01-01', document: doc }, ctx);
    for (const code of ['I1', 'I2']) await r.defineCatalogItem({ code, name: `事项${code}`, type: '行政处罚', basis: ['某法'], levels: ['city'], effectiveFrom: '2015-01-01', document: doc }, ctx);
    for (const code of ['I1', 'I2']) await r.assignItem({ regionCode: '650200', itemCode: code, departmentId: 'A', role: 'lead', effectiveFrom: '2016-01-01', document: doc }, ctx);
    await r.assignItem({ regionCode: '650200', itemCode: 'I1', departmentId: 'B', role: 'lead', effectiveFrom: '2018-01-01', document: doc }, ctx);
    const last = await r.transferItem({ regionCode: '650200', itemCode: 'I2', fromDepartmentId: 'A', toDepartmentId: 'B', effectiveFrom: '2018-01-01', document: doc }, ctx);
    await runner.waitFor(last.position);
    const diff = regionListDiff(view, { region: '650200', from: '2017-01-01', to: '2019-01-01' });
    expect(diff.leadAdded).toEqual([{ code: 'I1', name: '事项I1', leads: ['部门A'], added: ['部门B'], conflict: true }]);
    expect(diff.transferred).toEqual([{ code: 'I2', name: '事项I2', from: ['部门A'], to: ['部门B'] }]);
    await runner.stop();
    await store.close();
  });
});
