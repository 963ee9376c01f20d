import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TOKENS, TestApp, startTestApp } from './support/app';
import { workbook } from '../libs/import/src/testing/workbooks';

const XLS = join(__dirname, '..', '../shared/data/karamay-qzqd/xls');
const real = existsSync(XLS);
if (!real) console.warn(`import.e2e: ${XLS} not found — the tests on the real Karamay files are skipped`);
const STATS = '2025年克拉玛依市统计局权责清单.xlsx';
const ARCHIVES = '克拉玛依市档案局2024年权责清单.xlsx';
const realFile = (f: string) => readFileSync(join(XLS, f));
const small = workbook({ S: [['序号', '事项名称', '权力类型', '实施依据', '行使主体'], ['1', '对统计违法行为的处罚', '行政处罚', '《统计法》', '市统计局']] });

describe('POST /api/imports (multipart)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  const upload = (files: Array<[Buffer, string]>, fields: Record<string, string> = {}, role: keyof typeof TOKENS = 'editor') => {
    let r = t.http().post('/api/imports').set('Authorization', `Bearer ${TOKENS[role]}`);
    for (const [k, v] of Object.entries({ region: '650200', effective: '2024-01-01', document: '克政办发〔2024〕1号', ...fields })) r = r.field(k, v);
    for (const [data, name] of files) r = r.attach('files', data, name);
    return r;
  };

  (real ? test : test.skip)('real lists: the contract report, departments created, ownership readable at once, twice records nothing', async () => {
    const r = await upload([[realFile(STATS), STATS], [realFile(ARCHIVES), ARCHIVES]], { createDepartments: 'true' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ rowsRead: 15, recorded: 15, unchanged: 0, rejected: [] });
    expect(r.body.departmentsCreated.map((d: { name: string }) => d.name).sort()).toEqual(['克拉玛依市委办公室（市档案局）', '克拉玛依市统计局']);
    expect(r.body.files.map((f: { file: string; rowsRead: number }) => [f.file, f.rowsRead])).toEqual([
      [STATS, 3],
      [ARCHIVES, 12],
    ]);
    expect(r.body.regionsRegistered.map((x: { code: string }) => x.code)).toEqual(['650000', '650200']);
    const tj = r.body.departmentsCreated.find((d: { name: string }) => d.name === '克拉玛依市统计局').id;
    const held = await t.get(`/api/departments/${tj}?at=2024-06-01`);
    expect(held.status).toBe(200);
    const items: Array<{ itemCode: string }> = held.body.items;
    expect(items).toHaveLength(3);
    const code = items[0].itemCode;
    const o = await t.get(`/api/ownership?region=650200&item=${code}&at=2024-06-01`);
    expect(o.body).toMatchObject({ status: 'owned', owners: [expect.objectContaining({ departmentId: tj, departmentName: '克拉玛依市统计局', document: { number: '克政办发〔2024〕1号' } })] });
    const again = await upload([[realFile(STATS), STATS], [realFile(ARCHIVES), ARCHIVES]], { createDepartments: 'true' });
    expect(again.body).toMatchObject({ rowsRead: 15, recorded: 0, unchanged: 15, rejected: [], departmentsCreated: [] });
  });

  test('rows the registry cannot take are reported with file, sheet, row and reason', async () => {
    const r = await upload([[small, '清单.xlsx']], { region: '650203' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ rowsRead: 1, recorded: 0, unchanged: 0, departmentsCreated: [] });
    expect(r.body.rejected).toEqual([{ file: '清单.xlsx', sheet: 'S', row: 2, reason: expect.stringContaining('不存在') }]);
  });

  test('a wrong file type, a missing file, bad fields: 400 with a clear message', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    const wrong = await upload([[png, 'photo.png']]);
    expect([wrong.status, wrong.body.code, wrong.body.message]).toEqual([400, 'UNSUPPORTED_TYPE', expect.stringContaining('不支持的文件类型')]);
    const truncated = await upload([[small.subarray(0, 200), 'cut.xlsx']]);
    expect([truncated.status, truncated.body.code]).toEqual([400, 'CORRUPT_FILE']);
    const none = await upload([]);
    expect([none.status, none.body.code]).toEqual([400, 'NO_FILES']);
    const bad = await upload([[small, 'a.xlsx']], { region: 'abc', effective: '2024-02-30' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['effective', 'region']);
    const extra = await upload([[small, 'a.xlsx']], { nonsense: 'x' });
    expect(extra.status).toBe(400);
    const unknown = await upload([[small, 'a.xlsx']], { region: '990000' });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'UNKNOWN_REGION']);
  });

  test('upload size is capped (413) and only editors may import', async () => {
    const big = await upload([[Buffer.alloc(50 * 1024 * 1024 + 1, 0x41), 'big.csv']]);
    expect([big.status, big.body.code]).toEqual([413, 'FILE_TOO_LARGE']);
    expect((await upload([[small, 'a.xlsx']], {}, 'reader')).status).toBe(403);
    expect((await t.http().post('/api/imports').attach('files', small, 'a.xlsx')).status).toBe(401);
  });
});

const run = promisify(execFile);
const root = join(__dirname, '..');
const quanze = (dataDir: string, ...args: string[]) =>
  run(process.execPath, ['-r', join(root, 'bin/ts-register.js'), join(root, 'apps/cli/src/main.ts'), ...args], { env: { ...process.env, QUANZE_DATA_DIR: dataDir }, cwd: root }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
  );

describe('npx quanze import', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quanze-cli-import-'));
  const afterAllCleanups: Array<() => void> = [];
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    for (const c of afterAllCleanups) c();
  });

  test('--json prints exactly the contract report; exit 2 with rejected rows, 0 without; twice records nothing', async () => {
    const f = join(dir, '统计局.xlsx');
    writeFileSync(f, real ? realFile(STATS) : small);
    const common = [f, '--region', '650200', '--effective', '2024-01-01', '--document', '克政办发〔2024〕1号', '--json'];
    const rejected = await quanze(dir, 'import', ...common);
    expect(rejected.code).toBe(2);
    const report = JSON.parse(rejected.stdout);
    expect(Object.keys(report)).toEqual(['rowsRead', 'recorded', 'unchanged', 'rejected', 'departmentsCreated']);
    expect(report.rejected[0]).toEqual({ file: '统计局.xlsx', sheet: expect.any(String), row: expect.any(Number), reason: expect.stringContaining('--create-departments') });
    expect(rejected.stderr).toBe('');
    const ok = await quanze(dir, 'import', ...common, '--create-departments');
    expect(ok.code).toBe(0);
    const r = JSON.parse(ok.stdout);
    expect(r.recorded).toBe(r.rowsRead);
    expect(r.departmentsCreated).toEqual([{ id: expect.stringMatching(/^D650200-/), name: '克拉玛依市统计局' }]);
    const again = JSON.parse((await quanze(dir, 'import', ...common, '--create-departments')).stdout);
    expect([again.recorded, again.unchanged]).toEqual([0, r.rowsRead]);
  }, 60_000);

  test('human output in Chinese; an unreadable file is exit 1 with nothing recorded', async () => {
    // A store of its own: the test above may have imported the same small workbook already.
    const dir = mkdtempSync(join(tmpdir(), 'quanze-cli-import-human-'));
    afterAllCleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const f = join(dir, 'x.xlsx');
    writeFileSync(f, small);
    const human = await quanze(dir, 'import', f, '--region', '650200', '--effective', '2024-01-01', '--document', 'D1', '--create-departments');
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('x.xlsx（xlsx）：读取 1 行，登记 1，未变 0，拒绝 0');
    const bad = join(dir, 'bad.xlsx');
    writeFileSync(bad, 'not a workbook');
    const r = await quanze(dir, 'import', bad, '--region', '650200', '--effective', '2024-01-01', '--document', 'D1');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad.xlsx：扩展名为 .xlsx，但文件内容不是 Excel 工作簿');
    const missing = await quanze(dir, 'import', join(dir, 'nope.xls'), '--region', '650200', '--effective', '2024-01-01', '--document', 'D1');
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringContaining('找不到该文件')]);
  }, 60_000);
});
