/**
 * The real-data registry the findings' precision is measured on (docs/findings.md, "Precision on real data"):
 *
 * - the 14 real Karamay lists (../shared/data/karamay-qzqd/xls) read once AS A CATALOGUE at the autonomous
 *   region 650000 (each item with the levels its rows name: 自治区级 / 地州市级 / 县市区级), so both levels
 *   below share item codes;
 * - the same files imported as the CITY's list (650200: the 地州市级 rows, their 行使主体 and 权限 text) and
 *   as a DISTRICT's list (650203 克拉玛依区: the 县市区级 rows of the same items, their 行使主体 and 权限
 *   text). The shared data has no separately published district list; this two-level case is built from
 *   the real rows each list gives per level, which is what a district's list of the same departments says;
 * - a 三定 per city department rebuilt from the distinct 部门职责 texts its list cites (the establishment
 *   office would load the real 三定; the lists quote it);
 * - apart, in a registry of its own (buildGuanganRegistry): 广安区's published list (sichuan-guangan-items).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from '../../libs/application/src';
import type { ItemType } from '../../libs/domain/src';
import { SqliteEventStore } from '../../libs/event-store/src';
import { importLists } from '../../libs/import/src';
import { ProjectionRunner } from '../../libs/projections/src/runner';
import { RegistryProjection } from '../../libs/projections/src/registry/registry.projection';
import { parseLevels } from '../../libs/import/src/text';
import { sharedDataDir } from './karamay-lists';

export const CITY = '650200';
export const DISTRICT = '650203';
export const PROVINCE = '650000';
export const AT = '2024-06-01';
/** 广安市广安区 (Sichuan): its published 政务服务事项 list, 34 departments (sichuan-guangan-items). */
export const GUANGAN = '511602';

export interface RealRegistry {
  store: SqliteEventStore;
  view: RegistryProjection;
  runner: ProjectionRunner;
  close(): Promise<void>;
  imports: Record<string, { recorded: number; rejected: number }>;
}

export async function buildRealRegistry(options: { sanding?: boolean; district?: boolean; dataDir?: string } = {}): Promise<RealRegistry> {
  const data = options.dataDir ?? sharedDataDir();
  if (!data) throw new Error('找不到 ../shared/data/karamay-qzqd/xls（可设置 QUANZE_SHARED_DATA）');
  const store = new SqliteEventStore({ file: ':memory:' });
  const view = new RegistryProjection();
  const runner = new ProjectionRunner(store, [view]);
  await runner.start();
  const registry = new Registry(store);
  const dir = join(data, 'karamay-qzqd', 'xls');
  const inputs = () =>
    readdirSync(dir)
      .filter((f) => /\.xlsx?$/i.test(f))
      .sort()
      .map((f) => ({ name: f, data: readFileSync(join(dir, f)) }));
  const imports: RealRegistry['imports'] = {};
  const run = async (region: string, extra: { asCatalogue?: boolean; createDepartments?: boolean }, number: string) => {
    const r = await importLists(registry, view, inputs(), { region, effective: '2024-01-01', document: { number }, ...extra });
    await runner.waitFor(r.position, 120_000);
    imports[region] = { recorded: r.recorded, rejected: r.rejected.length };
  };
  if (options.district !== false) await run(PROVINCE, { asCatalogue: true }, '自治区权责事项目录（据克拉玛依市各部门清单各层级行整理，测试用）');
  await run(CITY, { createDepartments: true }, '克拉玛依市2024年权责清单（公示）');
  if (options.district !== false) {
    await run(DISTRICT, { createDepartments: true }, '克拉玛依区权责清单（据市清单县市区级行整理，测试用）');
    await withdrawUnlevelled(registry, view, runner, DISTRICT);
  }
  if (options.sanding !== false) await rebuildSandings(store, view, runner, CITY);
  return {
    store,
    view,
    runner,
    imports,
    async close() {
      await runner.stop();
      await store.close();
    },
  };
}

const GUANGAN_TYPES: Record<string, ItemType> = { '1': '行政许可', '5': '行政给付', '7': '行政确认', '8': '行政奖励', '9': '行政裁决', '10': '其他行政权力', '20': '公共服务' };

/**
 * 广安区's list (guangan_items.csv): each row an item of the district with its real 实施编码 (the basic code
 * before the area code), its 事项类型 (taskType) and its department, recorded as the district's list: the
 * catalogue item (county level) and the department's lead holding. No 三定 and no scope texts are given.
 */
export async function buildGuanganRegistry(dataDir = sharedDataDir()): Promise<RealRegistry> {
  if (!dataDir) throw new Error('找不到 ../shared/data（可设置 QUANZE_SHARED_DATA）');
  // a registry of its own: its catalogue items are Sichuan's, they do not apply to Karamay's counties
  const store = new SqliteEventStore({ file: ':memory:' });
  const view = new RegistryProjection();
  const runner = new ProjectionRunner(store, [view]);
  await runner.start();
  const recorded = await loadGuangan(new Registry(store, view), runner, dataDir);
  return {
    store,
    view,
    runner,
    imports: { [GUANGAN]: { recorded, rejected: 0 } },
    async close() {
      await runner.stop();
      await store.close();
    },
  };
}

async function loadGuangan(registry: Registry, runner: ProjectionRunner, data: string): Promise<number> {
  const ctx = { actor: 'calibration' };
  const document = { number: '广安区政务服务事项清单（办事指南，sczwfw.gov.cn）' };
  const since = { effectiveFrom: '2024-01-01', document };
  await registry.registerRegion({ code: '510000', name: '四川省', level: 'province', ...since, effectiveFrom: '2000-01-01' }, ctx);
  await registry.registerRegion({ code: '511600', name: '广安市', level: 'city', parentCode: '510000', ...since, effectiveFrom: '2000-01-01' }, ctx);
  await registry.registerRegion({ code: GUANGAN, name: '广安区', level: 'county', parentCode: '511600', ...since, effectiveFrom: '2000-01-01' }, ctx);
  const rows = readFileSync(join(data, 'sichuan-guangan-items', 'guangan_items.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
  const departments = new Map<string, string>();
  let position = 0;
  let recorded = 0;
  for (const line of rows) {
    const [department, , name, itemCode, taskType, areaCode] = line.split(',');
    const type = GUANGAN_TYPES[taskType];
    if (!type || !name) continue;
    const code = itemCode.split(`-${areaCode}`)[0];
    let id = departments.get(department);
    if (!id) {
      id = `GA-${String(departments.size + 1).padStart(2, '0')}`;
      departments.set(department, id);
      await registry.establishDepartment({ id, name: `广安${department}`, regionCode: GUANGAN, ...since }, ctx);
    }
    await registry.defineCatalogItem({ code, name, type, basis: [], levels: ['county'], ...since }, ctx);
    position = (await registry.assignItem({ regionCode: GUANGAN, itemCode: code, departmentId: id, role: 'lead', ...since }, ctx)).position;
    recorded++;
  }
  await runner.waitFor(position, 120_000);
  return recorded;
}

/**
 * A row whose 实施层级 names no level the importer reads (医疗保障局's list has no such column; 档案局 writes
 * "地州\n市级") is imported at any level: it does not say it is the district's, so the district's list built
 * from the city's rows leaves it out.
 */
async function withdrawUnlevelled(registry: Registry, view: RegistryProjection, runner: ProjectionRunner, region: string): Promise<void> {
  let position = 0;
  for (const item of [...view.itemCodesIn(region)].sort()) {
    for (const f of view.assignmentFacts(region, item)) {
      const e = f.event;
      if (e.type !== 'ItemAssigned') continue;
      const fields = (e.data.asPublished as { fields?: Record<string, string> } | undefined)?.fields ?? {};
      if (parseLevels(fields['实施层级'] ?? '').includes('county')) continue;
      const r = await registry.withdrawItem(
        { regionCode: region, itemCode: item, departmentId: e.data.departmentId, effectiveFrom: '2024-01-01', document: { number: '克拉玛依区权责清单（据市清单县市区级行整理，测试用）' }, reason: '清单未注明实施层级，不属于区级清单' },
        { actor: 'calibration' },
      );
      position = Math.max(position, r.position);
    }
  }
  if (position) await runner.waitFor(position, 120_000);
}

/** Each department's 三定 = the distinct 部门职责 texts its list cites. */
export async function rebuildSandings(store: SqliteEventStore, view: RegistryProjection, runner: ProjectionRunner, region: string): Promise<void> {
  const registry = new Registry(store, view);
  let position = 0;
  for (const id of [...view.departmentIdsIn(region)].sort()) {
    const texts = new Set<string>();
    for (const { regionCode, itemCode } of view.entriesOf(id)) {
      for (const f of view.assignmentFacts(regionCode, itemCode)) {
        const e = f.event;
        if (e.type === 'ItemAssigned' && e.data.departmentId === id) {
          const duty = (e.data.asPublished as { fields?: Record<string, string> } | undefined)?.fields?.['部门职责']?.replace(/\s+/g, '');
          if (duty) texts.add(duty);
        }
      }
    }
    if (texts.size === 0) continue;
    const duties = [...texts].sort().map((text, i) => ({ id: `${id}-D${String(i + 1).padStart(3, '0')}`, text }));
    const r = await registry.issueSanding(
      { id, duties, internalOrgans: [], staffing: { authorized: 100, leaders: 10 }, effectiveFrom: '2024-01-01', document: { number: '三定（据清单部门职责栏重建，测试用）' } },
      { actor: 'calibration' },
    );
    position = Math.max(position, r.position);
  }
  if (position) await runner.waitFor(position, 120_000);
}
