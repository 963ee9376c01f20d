import { Registry } from '../../../application/src';
import { SqliteEventStore } from '../../../event-store/src';
import { ProjectionRunner } from '../runner';
import { RegistryProjection } from '../registry/registry.projection';
import { findingsLedger, findingsOn } from './findings.query';

/**
 * Issue 17: boundary clauses settle by text (matched words and score), settled findings counted apart, and
 * multi-level findings only where the two levels' scopes do not divide the matter.
 */
const doc = { number: '测试〔2016〕1号' };
const ctx = { actor: 'test' };
const NAME = '对未取得安全生产许可证擅自生产的处罚';

async function setUp() {
  const store = new SqliteEventStore({ file: ':memory:' });
  const view = new RegistryProjection();
  const runner = new ProjectionRunner(store, [view]);
  await runner.start();
  const r = new Registry(store, view);
  await r.registerRegion({ code: '650000', name: '新疆', level: 'province', effectiveFrom: '2000-01-01', document: doc }, ctx);
  await r.registerRegion({ code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '2000-01-01', document: doc }, ctx);
  await r.registerRegion({ code: '650202', name: '独山子区', level: 'county', parentCode: '650200', effectiveFrom: '2000-01-01', document: doc }, ctx);
  for (const [id, region] of [['A', '650200'], ['B', '650200'], ['C', '650200'], ['K', '650202']]) await r.establishDepartment({ id, name: `部门${id}`, regionCode: region, effectiveFrom: '2010-01-01', document: doc }, ctx);
  const sync = async (p: Promise<{ position: number }>) => runner.waitFor((await p).position);
  return { store, view, runner, r, sync };
}

describe('the office view', () => {
  test('a clause given only as text settles a conflict when it names both departments and covers the item: matched words and score; settled counted apart', async () => {
    const { store, view, runner, r, sync } = await setUp();
    await r.defineCatalogItem({ code: 'I1', name: NAME, type: '行政处罚', basis: ['《安全生产许可证条例》'], levels: ['city'], effectiveFrom: '2015-01-01', document: doc }, ctx);
    for (const d of ['A', 'B']) await r.assignItem({ regionCode: '650200', itemCode: 'I1', departmentId: d, role: 'lead', effectiveFrom: '2016-01-01', document: doc }, ctx);
    // a clause naming A and C only does not settle it; one naming A and B by text does, from its date
    await r.agreeBoundaryClause({ clauseId: 'X', regionCode: '650200', matter: `${NAME}由部门A牵头、部门C配合`, leadDepartmentId: 'A', assistingDepartmentIds: ['C'], effectiveFrom: '2017-01-01', document: doc }, ctx);
    await sync(r.agreeBoundaryClause({ clauseId: 'Y', regionCode: '650200', matter: `未取得安全生产许可证擅自生产行为的查处，由部门A牵头，部门B配合`, leadDepartmentId: 'A', assistingDepartmentIds: ['B'], effectiveFrom: '2018-01-01', document: doc }, ctx));
    const before = findingsLedger(view, { region: '650200', at: '2017-06-01' });
    expect([before.counts.settled, before.counts.byState['待派发'], before.counts.byKind.conflict]).toEqual([0, before.counts.byStatus['待派发'], 1]);
    const after = findingsLedger(view, { region: '650200', at: '2018-06-01' });
    const conflict = after.findings.find((f) => f.kind === 'conflict')!;
    expect(conflict.settledBy).toMatchObject({ clauseId: 'Y', coveredBy: 'matter', matterCovers: NAME });
    const settledBy = conflict.settledBy as { matterScore: number; matchedWords: string[] };
    expect(settledBy.matterScore).toBeGreaterThanOrEqual(0.6);
    expect(settledBy.matchedWords[0]).toBe('未取得安全生产许可证擅自生产');
    expect([after.counts.settled, after.counts.byState['已由职责分工解决'], after.counts.byState['待派发']]).toEqual([1, 1, after.counts.byStatus['待派发'] - 1]);
    // grouped by department: both departments have the conflict
    expect(after.byDepartment.filter((g) => g.findingIds.includes(conflict.id)).map((g) => [g.departmentName, g.settled])).toEqual([
      ['部门A', 1],
      ['部门B', 1],
    ]);
    await runner.stop();
    await store.close();
  });

  test('multi-level by scope: 分级行使 (one level receives and forwards, or scopes divide) is no finding; the same scope at both levels is', async () => {
    const { store, view, runner, r, sync } = await setUp();
    const items: Array<[string, string, string]> = [
      ['F', '负责本级权限内的行政许可', '接收申请并签署意见上报'],
      ['D', '市级负责跨区及投资额5000万元以上项目', '区级负责辖区内5000万元以下项目'],
      ['S', '依法实施行政处罚', '依法实施行政处罚'],
    ];
    for (const [code, up, low] of items) {
      await r.defineCatalogItem({ code, name: `事项${code}的处罚`, type: '行政处罚', basis: ['某法'], levels: ['city', 'county'], effectiveFrom: '2015-01-01', document: doc }, ctx);
      await r.assignItem({ regionCode: '650200', itemCode: code, departmentId: 'A', role: 'lead', effectiveFrom: '2016-01-01', document: doc, asPublished: { fields: { 权限: up } } }, ctx);
      await sync(r.assignItem({ regionCode: '650202', itemCode: code, departmentId: 'K', role: 'lead', effectiveFrom: '2016-01-01', document: doc, asPublished: { fields: { 权限: low } } }, ctx));
    }
    const found = findingsOn(view, { region: '650200', at: '2020-01-01' }).findings.filter((f) => f.kind.startsWith('multi-level'));
    expect(found.map((f) => [f.kind, (f.item as { itemCode: string }).itemCode, f.reasons])).toEqual([['multi-level', 'S', ['no-delegation', 'same-scope']]]);
    expect(found[0].scope).toMatchObject({ verdict: 'same', upper: '依法实施行政处罚', lower: '依法实施行政处罚', score: 1 });
    expect(found[0].title).toContain('两级权限相同');
    await runner.stop();
    await store.close();
  });
});
