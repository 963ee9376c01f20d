import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from '../../libs/application/src';
import { SqliteEventStore } from '../../libs/event-store/src';
import { importLists } from '../../libs/import/src';
import { ProjectionRunner } from '../../libs/projections/src/runner';
import { RegistryProjection } from '../../libs/projections/src/registry/registry.projection';
import { DEFAULT_FINDINGS_OPTIONS, FindingsEngine } from '../../libs/projections/src/findings/findings.engine';
import { findingsOn, gaps } from '../../libs/projections/src/findings/findings.query';
import { TEXT_VECTORS } from '../../libs/projections/src/findings/text-similarity';
import { crossDepartmentPairs, linkStats } from './calibrate';
import labelled from './labelled-pairs.json';
import { readKaramayLists, sharedDataDir } from './karamay-lists';
import { rebuildSandings } from './real-registry';

/**
 * The whole city: the 14 real Karamay lists imported through the importer, then every finding computed
 * (docs/findings.md records these counts; docs/similarity-calibration.md the calibration checked here).
 */
const data = sharedDataDir();
if (!data) console.warn('SKIPPED: ../shared/data/karamay-qzqd not found (set QUANZE_SHARED_DATA): the real-list findings and calibration tests did not run');
const suite = data ? describe : describe.skip;

suite('findings on the real Karamay lists', () => {
  const store = new SqliteEventStore({ file: ':memory:' });
  const view = new RegistryProjection();
  const runner = new ProjectionRunner(store, [view]);
  const AT = '2024-06-01';

  beforeAll(async () => {
    await runner.start();
    const dir = join(data!, 'karamay-qzqd', 'xls');
    const inputs = readdirSync(dir)
      .filter((f) => /\.xlsx?$/i.test(f))
      .sort()
      .map((f) => ({ name: f, data: readFileSync(join(dir, f)) }));
    const r = await importLists(new Registry(store), view, inputs, { region: '650200', effective: '2024-01-01', document: { number: '克拉玛依市2024年权责清单（公示）' }, createDepartments: true });
    await runner.waitFor(r.position, 60_000);
  }, 120_000);
  afterAll(async () => {
    await runner.stop();
    await store.close();
  });

  test('the city: 17 similar pairs between departments, every department without a 三定, the two duplicate rows of the lists, nothing else', () => {
    const engine = new FindingsEngine(view);
    const t0 = performance.now();
    const computed = engine.region('650200')!;
    const ms = performance.now() - t0;
    const found = findingsOn(view, { region: '650200', at: AT }).findings;
    const by: Record<string, number> = {};
    for (const f of found) by[f.kind] = (by[f.kind] ?? 0) + 1;
    console.log(`Karamay city, ${view.itemCodesIn('650200').size} list entries, ${view.departmentIdsIn('650200').size} departments: ${found.length} findings ${JSON.stringify(by)}; computed in ${Math.round(ms)} ms (${computed.findings.size} timelines)`);
    expect(by).toEqual({ similar: 17, 'no-sanding': 15, 'list-duplicate': 2 });
    // the lists' own duplicates (docs/import.md, "The 14 Karamay lists"): 住建局 row 141 repeats row 130, 生态环境局 row 138 row 70
    expect(found.filter((f) => f.kind === 'list-duplicate').map((f) => f.title.replace(/行（.*$/, '行')).sort()).toEqual([
      '克拉玛依市住房和城乡建设局2024年权责清单.xls「准确版」第 141 行重复第 130 行',
      '克拉玛依市生态环境局2024年权责清单.xls「市生态环境局（217项）」第 138 行重复第 70 行',
    ]);
    expect(found.filter((f) => f.kind === 'similar').every((f) => (f.score as number) >= DEFAULT_FINDINGS_OPTIONS.similarity)).toBe(true);
  });

  test('三定 rebuilt from the lists\' own 部门职责 column: items link to duties, 职责偏离 and coverage', async () => {
    // each department's 三定 = the distinct 部门职责 texts its list cites (what the establishment office would load)
    await rebuildSandings(store, view, runner, '650200');
    const t0 = performance.now();
    const g = gaps(view, { region: '650200', at: AT });
    const ms = performance.now() - t0;
    const cov = Object.values(g.coverage);
    const sum = (f: (c: (typeof cov)[number]) => number) => cov.reduce((n, c) => n + f(c), 0);
    const summary = {
      departmentsWithSanding: cov.length,
      'no-sanding': g['no-sanding'].length,
      'unapproved-duty': g['unapproved-duty'].length,
      'duty-deviation': g['duty-deviation'].length,
      'duty-missing': g['duty-missing'].length,
      duties: sum((c) => c.duties),
      dutiesWithItems: sum((c) => c.dutiesWithItems),
      items: sum((c) => c.items),
      itemsWithDuties: sum((c) => c.itemsWithDuties),
    };
    console.log(`三定 from 部门职责: ${JSON.stringify(summary)} in ${Math.round(ms)} ms`);
    console.log(g['duty-deviation'].map((f) => f.title).join('\n'));
    expect(summary.departmentsWithSanding).toBe(14);
    expect(g['no-sanding'].map((f) => f.title)).toHaveLength(1); // 医疗保障局's list has no 部门职责 column
    expect(g['duty-deviation'].length).toBeGreaterThanOrEqual(2);
    expect(g['duty-deviation'].some((f) => (f.other as { departmentName: string }).departmentName.includes('生态环境局') && (f.department as { departmentName: string }).departmentName.includes('农业农村局'))).toBe(true);
    expect(summary.itemsWithDuties).toBeGreaterThan(summary.items * 0.2);
  });
});

suite('similarity calibration on the real lists', () => {
  const items = data ? readKaramayLists(data) : [];

  test('the threshold pairs what the calibration says, and the hand-labelled sample keeps its precision', () => {
    const pairs = crossDepartmentPairs(items, 0.3);
    const at = (t: number) => pairs.filter((p) => p.score >= t).length;
    expect([at(0.55), at(0.5), at(0.45), at(0.4)]).toEqual([17, 24, 37, 61]);
    // the sample: every labelled pair is still found with its score band, and precision at the threshold holds
    const score = (p: (typeof labelled.pairs)[number]) => TEXT_VECTORS.cosine(p.a.name, p.b.name);
    const above = labelled.pairs.filter((p) => score(p) >= DEFAULT_FINDINGS_OPTIONS.similarity);
    const same = above.filter((p) => p.label === 'same').length;
    const related = above.filter((p) => p.label === 'related').length;
    expect(above).toHaveLength(17);
    expect(same / above.length).toBeGreaterThanOrEqual(0.7);
    expect((same + related) / above.length).toBeGreaterThanOrEqual(0.8);
    const missed = labelled.pairs.filter((p) => p.label === 'same' && score(p) < DEFAULT_FINDINGS_OPTIONS.similarity);
    expect(missed).toHaveLength(5);
  });

  test('containment links items to their own 部门职责 and flags few 职责偏离', () => {
    const s = linkStats(items, { link: DEFAULT_FINDINGS_OPTIONS.link, deviation: DEFAULT_FINDINGS_OPTIONS.deviation, margin: DEFAULT_FINDINGS_OPTIONS.deviationMargin });
    const hi = s.precisionByBand.filter((b) => b.from >= 0.6);
    expect(hi.reduce((n, b) => n + b.items * b.precision, 0) / hi.reduce((n, b) => n + b.items, 0)).toBeGreaterThan(0.75);
    expect(s.deviations.length).toBeLessThanOrEqual(3);
    expect(s.deviations.map((d) => d.otherDepartment)).toContain('克拉玛依市生态环境局');
  });
});
