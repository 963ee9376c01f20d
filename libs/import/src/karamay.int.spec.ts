import { Registry } from '../../application/src';
/**
 * The 14 real lists of Karamay (../shared/data/karamay-qzqd/xls) imported into a fresh store, checked
 * against the reference parse in expected-counts.csv. Skipped, with a warning, where the shared data is absent.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../event-store/src';
import { ProjectionRunner, RegistryProjection, ownership } from '../../projections/src';
import { ImportInput, ImportResult, importLists, parseFiles } from './importer';
import { localItemCode } from './naming';

const DATA = join(__dirname, '../../..', '../shared/data/karamay-qzqd');
const XLS = join(DATA, 'xls');
const present = existsSync(XLS);
if (!present) console.warn(`karamay.int.spec: ${XLS} not found (the shared data dir beside the repo) — the real-file import test is skipped`);
const describeReal = present ? describe : describe.skip;

/**
 * Data rows per file = expected-counts.csv's rows_with_item − continuation_rows, except where this importer
 * reads the file differently (each checked in the file; see docs/import.md):
 * - 人力资源和社会保障局 +8, 应急管理局 +12: a 子项 in its own row (empty 序号, empty or merged 事项名称) is an
 *   item of its own here (the reference counts it as a continuation of the item above);
 * - 农业农村局 −1: the 行政征收 sheet gives one item three rows, one per level (自治区级, 县市区级, then 序号 1
 *   again for 地州市级); here it is one item with three levels, the reference reads two items.
 */
const DIFFERENCES: Record<string, number> = {
  '克拉玛依市人力资源和社会保障局2024年权责清单.xls': 8,
  '克拉玛依市应急管理局2024年权责清单.xls': 12,
  '2024年市农业农村局权责清单.xls': -1,
};

describeReal('the 14 Karamay lists', () => {
  let dir: string;
  let store: SqliteEventStore;
  let inputs: ImportInput[];
  let first: ImportResult;
  const expected = new Map<string, number>();

  const view = async () => {
    const v = new RegistryProjection();
    await new ProjectionRunner(store, [v]).rebuild();
    return v;
  };
  const run = async (createDepartments: boolean) => importLists(new Registry(store), await view(), inputs, { region: '650200', effective: '2024-01-01', document: { number: '克政办发〔2024〕1号' }, createDepartments });

  beforeAll(async () => {
    for (const line of readFileSync(join(DATA, 'expected-counts.csv'), 'utf8').trim().split(/\r?\n/).slice(1)) {
      const [file, rows, continuation] = line.split(',');
      expected.set(file, Number(rows) - Number(continuation) + (DIFFERENCES[file] ?? 0));
    }
    inputs = readdirSync(XLS)
      .filter((f) => /\.(xlsx?|csv)$/i.test(f))
      .sort()
      .map((f) => ({ name: f, data: readFileSync(join(XLS, f)) }));
    dir = mkdtempSync(join(tmpdir(), 'quanze-karamay-'));
    store = new SqliteEventStore({ file: join(dir, 'events.db') });
  });
  afterAll(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('without --create-departments every row is rejected with the department it names', async () => {
    const r = await run(false);
    expect(r.rowsRead).toBe(1702);
    expect([r.recorded, r.unchanged, r.rejected.length]).toEqual([0, 0, 1702]);
    expect(r.rejected.every((x) => /部门「.+」在区划 650200（克拉玛依市）中不存在/.test(x.reason))).toBe(true);
    expect(r.rejected.find((x) => x.file.startsWith('2025年克拉玛依市统计局'))).toEqual({ file: '2025年克拉玛依市统计局权责清单.xlsx', sheet: 'Sheet1', row: 3, reason: expect.stringContaining('行使主体写作「市统计局」') });
  });

  test('every file: rows read as the reference parse says (differences explained), every row accounted for', async () => {
    first = await run(true);
    expect(first.files.map((f) => f.file)).toEqual([...expected.keys()].sort());
    for (const f of first.files) {
      expect({ file: f.file, rowsRead: f.rowsRead }).toEqual({ file: f.file, rowsRead: expected.get(f.file) });
      expect(f.recorded + f.unchanged + f.rejected).toBe(f.rowsRead);
    }
    expect(first.recorded + first.unchanged + first.rejected.length).toBe(first.rowsRead);
    // the only rejections: two rows each list an item a second time for the same department (same name and
    // type, another legal basis) — the published list's own duplicate
    expect(first.rejected.map((x) => [x.file, x.row])).toEqual([
      ['克拉玛依市住房和城乡建设局2024年权责清单.xls', 141],
      ['克拉玛依市生态环境局2024年权责清单.xls', 138],
    ]);
    expect(first.rejected[0].reason).toContain('与「准确版」第 130 行是同一事项');
    expect(first.departmentsCreated.map((d) => d.name)).toEqual(
      expect.arrayContaining(['克拉玛依市统计局', '克拉玛依市农业农村局', '克拉玛依市发展和改革委员会', '克拉玛依市委办公室（市档案局）', '克拉玛依市自然资源局', '克拉玛依市国土资源执法监察支队']),
    );
    // 发改委 writes itself two ways (with and without "（粮食和物资储备局）"): one department
    expect(first.departmentsCreated.filter((d) => d.name.startsWith('克拉玛依市发展和改革委员会'))).toHaveLength(1);
    expect(first.departmentsCreated).toHaveLength(15);
  }, 60_000);

  test('the same files again record nothing', async () => {
    const before = (await store.info()).eventCount;
    const again = await run(true);
    expect([again.rowsRead, again.recorded, again.unchanged, again.rejected.length, again.departmentsCreated.length]).toEqual([first.rowsRead, 0, first.recorded, 2, 0]);
    expect((await store.info()).eventCount).toBe(before);
  }, 60_000);

  test('ownership afterwards: sampled rows belong to the department their list names', async () => {
    const v = await view();
    const entry = (file: string, row: number) => {
      const parsed = parseFiles([inputs.find((i) => i.name === file)!])[0];
      return parsed.sheets.flatMap((s) => s.entries).find((e) => e.row === row)!;
    };
    const owners = (code: string) => ownership(v, { region: '650200', item: code, at: '2024-06-01' });
    // 统计局 row 3: name wrapped mid-word, merged over two rows, 行使主体 "市统计局"
    const tj = entry('2025年克拉玛依市统计局权责清单.xlsx', 3);
    const tjOwner = owners(localItemCode('650200', tj.type!, tj.mainName));
    expect(tjOwner).toMatchObject({ status: 'owned', itemName: expect.stringMatching(/^对拒绝配合统计调查/), owners: [expect.objectContaining({ departmentName: '克拉玛依市统计局', role: 'lead' })] });
    // 文旅局 row 281: a county-level row hidden under the merge — kept as a level, the city department owns it here
    const wl = entry('克拉玛依市文化体育广播电视和旅游局2024年权责清单.xlsx', 281);
    const wlCode = localItemCode('650200', wl.type!, wl.mainName);
    expect(owners(wlCode).owners.map((o) => o.departmentName)).toEqual(['克拉玛依市文化体育广播电视和旅游局']);
    expect(v.catalogItem(wlCode)[0].levels).toEqual(['city', 'county']);
    // 自然资源局 row 4: five 子项 in one cell, five items, one atomic row
    const zr = owners(localItemCode('650200', '行政许可', '开采矿产资源审批（采矿权延续登记）'));
    expect(zr.owners.map((o) => o.departmentName)).toEqual(['克拉玛依市自然资源局']);
    // 农业农村局 行政征收: province, county and city rows; the city's department ("地州市农业农村局") owns it
    const ny = owners(localItemCode('650200', '行政征收', '对渔业资源增殖保护费的征收'));
    expect(ny.owners.map((o) => o.departmentName)).toEqual(['克拉玛依市农业农村局']);
  });
});
