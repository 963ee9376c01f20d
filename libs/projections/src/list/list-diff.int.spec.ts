import { Registry } from '../../../application/src';
import { SqliteEventStore } from '../../../event-store/src';
import { ProjectionRunner } from '../runner';
import { RegistryProjection } from '../registry/registry.projection';
import { regionList, regionListDiff } from './list.query';
import { departmentView } from '../department/department.query';
import { EditionsProjection } from '../editions/editions.projection';
import { editionList } from '../editions/editions.query';
import { contentHash } from '../editions/edition-content';

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

  test('the list\'s own columns (责任事项, 追责情形 …) are on the list item and the department\'s item, and a revised 追责情形 is a revision in the diff; an edition hashed before they were shown stays valid', async () => {
    const store = new SqliteEventStore({ file: ':memory:' });
    const view = new RegistryProjection();
    const editions = new EditionsProjection();
    const runner = new ProjectionRunner(store, [view, editions]);
    await runner.start();
    const r = new Registry(store, view);
    await r.registerRegion({ code: '650000', name: '新疆', level: 'province', effectiveFrom: '2000-01-01', document: doc }, ctx);
    await r.registerRegion({ code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '2000-01-01', document: doc }, ctx);
    await r.establishDepartment({ id: 'A', name: '部门A', regionCode: '650200', effectiveFrom: '2010-01-01', document: doc }, ctx);
    await r.defineCatalogItem({ code: 'I1', name: '事项I1', type: '行政处罚', basis: ['某法'], levels: ['city'], effectiveFrom: '2015-01-01', document: doc }, ctx);
    const fields = { 承办机构: '执法科', 责任事项: '1.受理责任', 追责情形: '不依法履行职责的' };
    await r.assignItem({ regionCode: '650200', itemCode: 'I1', departmentId: 'A', role: 'lead', asPublished: { name: '事项I1', fields }, effectiveFrom: '2016-01-01', document: doc }, ctx);
    const revised = { ...fields, 追责情形: '不依法履行职责或者滥用职权的' };
    const last = await r.assignItem({ regionCode: '650200', itemCode: 'I1', departmentId: 'A', role: 'lead', asPublished: { name: '事项I1', fields: revised }, effectiveFrom: '2020-01-01', document: { number: '测试〔2020〕2号' } }, ctx);
    await runner.waitFor(last.position);
    expect(regionList(view, { region: '650200', at: '2017-01-01' }).items[0].published).toEqual({ fields });
    expect(regionList(view, { region: '650200', at: '2021-01-01' }).items[0].published).toEqual({ fields: revised });
    expect(departmentView(view, { id: 'A', at: '2021-01-01' }).items[0].published).toEqual({ fields: revised });
    const diff = regionListDiff(view, { region: '650200', from: '2017-01-01', to: '2021-01-01' });
    expect(diff.revised).toEqual([{ code: 'I1', name: '事项I1', fields: ['追责情形'], before: { 追责情形: fields.追责情形 }, after: { 追责情形: revised.追责情形 } }]);
    expect(diff.transferred).toEqual([]);
    // an edition recorded with hash version 1 (the content without the published columns) still verifies;
    // version 2 covers them, so the two hashes of this list differ
    const items = regionList(view, { region: '650200', at: '2021-01-01', asKnownAt: view.lastRecordedAt }).items;
    expect(contentHash(items, 1)).not.toBe(contentHash(items, 2));
    const e = await store.append([{ stream: 'editions-650200', expectedVersion: 'no_stream', events: [{ id: 'ed-v1', type: 'EditionPublished', data: { regionCode: '650200', number: '2021年版', document: doc, publishedOn: '2021-01-01', effectiveFrom: '2021-01-01', contentAsKnownAt: view.lastRecordedAt!, hash: contentHash(items, 1), itemCount: 1, hashVersion: 1 }, metadata: { actor: 'test' } }] }]);
    await runner.waitFor(e.position);
    expect(editionList(view, editions, '650200', '2021年版').edition.hashValid).toBe(true);
    await runner.stop();
    await store.close();
  });
});
