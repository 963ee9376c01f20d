/**
 * Import options of the contract's "Import, more layouts": `--columns` for a header the importer does
 * not know, `--dry-run` (nothing recorded), a batch where one file cannot be read (the others import,
 * `files` in the --json report, exit 2), and the same on POST /api/imports (`columns`, `dryRun`).
 * The workbooks are built here with the project's spreadsheet library.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOKENS, TestApp, startTestApp } from './support/app';
import { quanze } from './support/cli';
import { workbook } from '../libs/import/src/testing/workbooks';

// 职能 is in no synonym table, and its cells do not read like item names (no 对…的, no …许可/…处罚 ending):
// neither the header nor the content names the item column
const UNKNOWN_HEADER = workbook({
  清单: [
    ['序号', '职能', '权力类型', '实施依据', '行使主体'],
    ['1', '统计数据质量抽查', '行政检查', '《中华人民共和国统计法》第三十三条', '市统计局'],
    ['2', '统计违法举报受理', '其他行政权力', '《中华人民共和国统计法》第三十七条', '市统计局'],
    ['3', '统计信用评价', '其他行政权力', '《统计法实施条例》第四十条', '市统计局'],
    ['4', '统计调查项目目录编制', '其他行政权力', '《统计法实施条例》第八条', '市统计局'],
  ],
});
const GOOD = workbook({ S: [['序号', '事项名称', '权力类型', '实施依据', '行使主体'], ['1', '对档案违法行为的处罚', '行政处罚', '《中华人民共和国档案法》第四十八条', '市档案局']] });
const COMMON = ['--region', '650200', '--effective', '2024-01-01', '--document', '克政办发〔2024〕1号'];

describe('npx quanze import --columns / --dry-run / a batch with a broken file', () => {
  const dirs: string[] = [];
  const store = () => {
    const d = mkdtempSync(join(tmpdir(), 'quanze-import-columns-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  test('a header no synonym knows: refused without --columns (exit 1); --dry-run shows the mapping and records nothing; then imported', async () => {
    const dir = store();
    const f = join(dir, '统计局清单.xlsx');
    writeFileSync(f, UNKNOWN_HEADER);
    const refused = await quanze(dir, 'import', f, ...COMMON, '--create-departments', '--json');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('找不到表头');

    const dry = await quanze(dir, 'import', f, ...COMMON, '--create-departments', '--columns', '事项名称=职能', '--dry-run', '--json');
    expect([dry.code, dry.stderr]).toEqual([0, '']);
    const report = JSON.parse(dry.stdout);
    expect(report).toMatchObject({ dryRun: true, rowsRead: 4 });
    const sheet = report.files[0].sheets[0];
    expect(sheet.headerRow).toBe(1);
    expect(sheet.mapping.find((m: { header: string }) => m.header === '职能')).toMatchObject({ column: 'B', field: 'name', fieldLabel: '事项名称', why: '按 --columns 指定' });
    expect(sheet.mapping.find((m: { header: string }) => m.header === '权力类型')).toMatchObject({ field: 'type', why: '按表头' });
    expect(sheet.samples.map((x: { row: number; 事项名称: string }) => [x.row, x.事项名称])).toEqual([
      [2, '统计数据质量抽查'],
      [3, '统计违法举报受理'],
      [4, '统计信用评价'],
    ]);

    // a dry run records nothing: region, date and document may be left out
    const human = await quanze(dir, 'import', f, '--columns', '事项名称=职能', '--dry-run');
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('试读（不登记任何内容）');
    expect(human.stdout).toContain('B 职能 → 事项名称（按 --columns 指定）');
    expect(human.stdout).toContain('第 2 行：事项名称=统计数据质量抽查');

    // the dry runs recorded nothing: the real import records every row
    const ok = await quanze(dir, 'import', f, ...COMMON, '--create-departments', '--columns', '事项名称=职能', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ rowsRead: 4, recorded: 4, unchanged: 0, rejected: [], departmentsCreated: [{ name: '克拉玛依市统计局' }] });

    const bad = await quanze(dir, 'import', f, ...COMMON, '--columns', '名字=职能', '--dry-run');
    expect([bad.code, bad.stderr]).toEqual([1, expect.stringContaining('不认识的字段「名字」')]);
    // an import without them is refused naming what is missing, nothing recorded
    const without = await quanze(dir, 'import', f, '--region', '650200', '--columns', '事项名称=职能');
    expect([without.code, without.stderr]).toEqual([1, expect.stringContaining('导入须给出 --effective、--document')]);
  }, 90_000);

  test('one unreadable file and one missing file in a batch do not stop the others: exit 2, files in the --json report', async () => {
    const dir = store();
    const good = join(dir, '档案局.xlsx');
    const broken = join(dir, '坏文件.xlsx');
    writeFileSync(good, GOOD);
    writeFileSync(broken, 'not a workbook');
    const r = await quanze(dir, 'import', broken, good, join(dir, '没有.xls'), ...COMMON, '--create-departments', '--json');
    expect([r.code, r.stderr]).toEqual([2, '']);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(['rowsRead', 'recorded', 'unchanged', 'rejected', 'departmentsCreated', 'files']);
    expect(report).toMatchObject({ rowsRead: 1, recorded: 1, unchanged: 0, rejected: [] });
    expect(report.files).toEqual([
      { file: '坏文件.xlsx', rowsRead: 0, recorded: 0, unchanged: 0, rejected: 0, error: expect.stringContaining('不是 Excel 工作簿') },
      { file: '档案局.xlsx', rowsRead: 1, recorded: 1, unchanged: 0, rejected: 0 },
      { file: '没有.xls', rowsRead: 0, recorded: 0, unchanged: 0, rejected: 0, error: expect.stringContaining('找不到该文件') },
    ]);
    // all recorded or unchanged, every file read: exit 0, files listed
    const other = join(dir, '统计局.xlsx');
    writeFileSync(other, workbook({ S: [['事项名称', '权力类型', '行使主体'], ['对统计违法行为的处罚', '行政处罚', '市档案局']] }));
    const again = await quanze(dir, 'import', good, other, ...COMMON, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).files.map((f: { recorded: number; unchanged: number }) => [f.recorded, f.unchanged])).toEqual([
      [0, 1],
      [1, 0],
    ]);
    // the human report names the file it could not read
    const human = await quanze(dir, 'import', broken, good, ...COMMON);
    expect(human.code).toBe(2);
    expect(human.stdout).toContain('坏文件.xlsx：未导入');
    expect(human.stdout).toContain('未导入的文件 1 个');
  }, 90_000);
});

describe('POST /api/imports: columns and dryRun', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());
  const upload = (files: Array<[Buffer, string]>, fields: Record<string, string>) => {
    let r = t.http().post('/api/imports').set('Authorization', `Bearer ${TOKENS.editor}`);
    for (const [k, v] of Object.entries({ region: '650200', effective: '2024-01-01', document: '克政办发〔2024〕1号', createDepartments: 'true', ...fields })) r = r.field(k, v);
    for (const [data, name] of files) r = r.attach('files', data, name);
    return r;
  };

  test('dryRun shows the mapping and records nothing; columns names the item column; a bad columns field is 400', async () => {
    const none = await upload([[UNKNOWN_HEADER, 'a.xlsx']], {});
    expect([none.status, none.body.code]).toEqual([400, 'NO_HEADER']);
    const dry = await upload([[UNKNOWN_HEADER, 'a.xlsx'], [Buffer.from('junk'), 'b.xlsx']], { columns: '事项名称=职能', dryRun: 'true' });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, rowsRead: 4 });
    expect(dry.body.files[0].sheets[0].mapping[1]).toMatchObject({ header: '职能', field: 'name', why: '按 --columns 指定' });
    expect(dry.body.files[0].sheets[0].samples).toHaveLength(3);
    expect(dry.body.files[1]).toMatchObject({ file: 'b.xlsx', error: expect.any(String) });
    const real = await upload([[UNKNOWN_HEADER, 'a.xlsx']], { columns: '事项名称=职能' });
    expect(real.status).toBe(200);
    expect(real.body).toMatchObject({ rowsRead: 4, recorded: 4, rejected: [] });
    const bad = await upload([[UNKNOWN_HEADER, 'a.xlsx']], { columns: '事项名称' });
    expect([bad.status, bad.body.code, bad.body.message]).toEqual([400, 'BAD_OPTION', expect.stringContaining('字段=表头')]);
  }, 60_000);
});
