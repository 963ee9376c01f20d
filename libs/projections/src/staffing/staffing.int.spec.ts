import { SqliteEventStore } from '../../../event-store/src';
import { Registry } from '../../../application/src';
import { ProjectionRunner } from '../runner';
import { createReadModels } from '../read-models';
import { findingsOn } from '../findings';
import { regionStaffing } from './staffing.query';

/** The staffing read model fed live equals the one rebuilt from the log; the findings agree too. */
describe('StaffingProjection: rebuilt = live', () => {
  test('三定 staffing, 实有人员 reports and a retraction', async () => {
    const store = new SqliteEventStore({ file: ':memory:' });
    const registry = new Registry(store);
    const live = createReadModels();
    const runner = new ProjectionRunner(store, live.projections);
    await runner.start();
    const ctx = { actor: 'test' };
    const doc = { number: '克编发〔2020〕1号' };
    await registry.registerRegion({ code: '650000', name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '2000-01-01', document: doc }, ctx);
    await registry.registerRegion({ code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '2000-01-01', document: doc }, ctx);
    await registry.establishDepartment({ id: 'A', name: '甲局', regionCode: '650200', effectiveFrom: '2010-01-01', document: doc }, ctx);
    await registry.issueSanding({ id: 'A', effectiveFrom: '2019-01-01', document: doc, duties: [], internalOrgans: [], staffing: { categories: { 行政编制: 8, 事业编制: 2 }, leaderPosts: { 局长: 1, 副局长: 1 } } }, ctx);
    await registry.reportActualStaffing({ departmentId: 'A', effectiveFrom: '2020-01-01', reason: '年度核对', counts: { 行政编制: 5, 事业编制: 1 }, leaders: { 局长: 1 }, outside: 2 }, ctx);
    const wrong = await registry.reportActualStaffing({ departmentId: 'A', effectiveFrom: '2021-01-01', reason: '招录', counts: { 行政编制: 9, 事业编制: 1 }, leaders: { 局长: 1, 副局长: 2 } }, ctx);
    await registry.retractEvent({ eventId: wrong.eventIds[0], reason: '录入错误', document: doc }, ctx);
    const last = await registry.reportActualStaffing({ departmentId: 'A', effectiveFrom: '2022-01-01', reason: '调入', counts: { 行政编制: 7, 事业编制: 2 }, leaders: { 局长: 1, 副局长: 1 } }, ctx);
    await runner.waitFor(last.position);

    const rebuilt = createReadModels();
    await new ProjectionRunner(store, rebuilt.projections).rebuild();
    expect(rebuilt.staffing.state()).toEqual(live.staffing.state());
    const q = { region: '650200', at: '2021-06-01' };
    expect(regionStaffing(rebuilt.staffing, q)).toEqual(regionStaffing(live.staffing, q));
    expect(regionStaffing(live.staffing, q).departments[0].total).toMatchObject({ authorized: 10, actual: 6, usage: 0.6, band: '0-60' });
    const kinds = (m: typeof live) => findingsOn(m.view, q).findings.map((f) => [f.kind, f.id, f.from, f.until]);
    expect(kinds(rebuilt)).toEqual(kinds(live));
    expect(kinds(live).filter((k) => k[0] === 'low-usage')).toEqual([['low-usage', expect.any(String), '2020-01-01', undefined]]);
    await runner.stop();
    await store.close();
  });
});
