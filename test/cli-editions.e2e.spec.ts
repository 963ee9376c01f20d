import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quanze } from './support/cli';
import { workbook } from '../libs/import/src/testing/workbooks';

/**
 * `import --edition <number> --published <date>` (the imported list is that published edition) and
 * `export --edition <number>` (the list as that edition published it), and the report naming the edition.
 */
const HEADER = ['序号', '事项名称', '权力类型', '实施依据', '行使主体'];
const LIST_2024 = workbook({
  S: [HEADER, ['1', '对档案违法行为的处罚', '行政处罚', '《中华人民共和国档案法》第四十八条', '市档案局'], ['2', '档案工作监督检查', '行政检查', '《中华人民共和国档案法》第四十二条', '市档案局']],
});
const LIST_2025 = workbook({
  S: [HEADER, ['1', '对档案违法行为的处罚', '行政处罚', '《中华人民共和国档案法》第四十八条', '市档案局'], ['2', '档案工作监督检查', '行政检查', '《中华人民共和国档案法》第四十二条', '市档案局'], ['3', '对统计违法行为的处罚', '行政处罚', '《中华人民共和国统计法》第三十七条', '市统计局']],
});
const COMMON = ['--region', '650200', '--create-departments', '--json'];

describe('npx quanze import --edition / export --edition', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quanze-cli-editions-'));
  const f2024 = join(dir, '2024年权责清单.xlsx');
  const f2025 = join(dir, '2025年权责清单.xlsx');
  beforeAll(() => {
    writeFileSync(f2024, LIST_2024);
    writeFileSync(f2025, LIST_2025);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('import --edition publishes the imported list as that edition; again records nothing and publishes nothing', async () => {
    const bad = await quanze(dir, 'import', f2024, ...COMMON, '--effective', '2024-01-01', '--document', '克政办发〔2024〕1号', '--edition', '2024年版');
    expect([bad.code, bad.stderr]).toEqual([1, expect.stringContaining('--edition 与 --published 须同时给出')]);
    const badDate = await quanze(dir, 'import', f2024, ...COMMON, '--effective', '2024-01-01', '--document', '克政办发〔2024〕1号', '--edition', '2024年版', '--published', '2023-13-01');
    expect(badDate.code).not.toBe(0);
    const r = await quanze(dir, 'import', f2024, ...COMMON, '--effective', '2024-01-01', '--document', '克政办发〔2024〕1号', '--edition', '2024年版', '--published', '2023-12-20');
    expect([r.code, r.stderr]).toEqual([0, '']);
    const j = JSON.parse(r.stdout);
    expect([j.rowsRead, j.recorded]).toEqual([2, 2]);
    expect(j.edition).toMatchObject({ number: '2024年版', status: 'published', publishedOn: '2023-12-20', effectiveFrom: '2024-01-01', document: '克政办发〔2024〕1号', itemCount: 2 });
    expect(j.edition.hash).toMatch(/^[0-9a-f]{64}$/);
    const again = await quanze(dir, 'import', f2024, ...COMMON, '--effective', '2024-01-01', '--document', '克政办发〔2024〕1号', '--edition', '2024年版', '--published', '2023-12-20');
    const k = JSON.parse(again.stdout);
    expect([again.code, k.recorded, k.unchanged, k.edition.status, k.edition.hash]).toEqual([0, 0, 2, 'unchanged', j.edition.hash]);
    const human = await quanze(dir, 'import', f2024, '--region', '650200', '--effective', '2024-01-01', '--document', '克政办发〔2024〕1号', '--edition', '2024年版', '--published', '2023-12-20');
    expect(human.stdout).toContain('版本：已存在，内容相同，未重复发布 2024年版（克政办发〔2024〕1号，2023-12-20 公布，自 2024-01-01 施行），2 项');
  }, 120000);

  test('export --edition writes what the edition published, not what was recorded since', async () => {
    const later = await quanze(dir, 'import', f2025, ...COMMON, '--effective', '2025-01-01', '--document', '克政办发〔2025〕1号');
    expect([later.code, JSON.parse(later.stdout).recorded]).toEqual([0, 1]);
    const out = join(dir, 'edition.csv');
    const e = await quanze(dir, 'export', '--region', '650200', '--edition', '2024年版', '--out', out);
    expect([e.code, e.stderr]).toEqual([0, '']);
    expect(e.stdout).toContain('2024年版（克政办发〔2024〕1号，2023-12-20 公布，自 2024-01-01 施行）');
    const csv = readFileSync(out, 'utf8');
    expect(csv).toContain('对档案违法行为的处罚');
    expect(csv).not.toContain('对统计违法行为的处罚');
    const now = join(dir, 'now.csv');
    expect((await quanze(dir, 'export', '--region', '650200', '--at', '2025-06-01', '--out', now)).code).toBe(0);
    expect(readFileSync(now, 'utf8')).toContain('对统计违法行为的处罚');
    const both = await quanze(dir, 'export', '--region', '650200', '--at', '2025-06-01', '--edition', '2024年版', '--out', now);
    expect([both.code, both.stderr]).toEqual([1, expect.stringContaining('--at <日期> 或 --edition <版本号> 之一')]);
    const none = await quanze(dir, 'export', '--region', '650200', '--edition', '1999年版', '--out', now);
    expect([none.code, none.stderr]).toEqual([4, expect.stringContaining('没有版本「1999年版」')]);
  }, 120000);

  test('an edition number taken by other content is refused (exit 2), the rows still recorded once', async () => {
    const r = await quanze(dir, 'import', f2025, ...COMMON, '--effective', '2025-01-01', '--document', '克政办发〔2025〕1号', '--edition', '2024年版', '--published', '2024-12-20');
    const j = JSON.parse(r.stdout);
    expect([r.code, j.recorded, j.edition.status]).toEqual([2, 0, 'refused']);
    expect(j.edition.reason).toContain('已有版本 2024年版');
    const ok = await quanze(dir, 'import', f2025, ...COMMON, '--effective', '2025-01-01', '--document', '克政办发〔2025〕1号', '--edition', '2025年版', '--published', '2024-12-20');
    expect([ok.code, JSON.parse(ok.stdout).edition]).toEqual([0, expect.objectContaining({ status: 'published', itemCount: 3 })]);
    // the report names the edition in force on the day
    const csv = readFileSync(join(dir, 'edition.csv'), 'utf8').split(/\r?\n/);
    const code = csv.find((l) => l.includes('对档案违法行为的处罚'))!.split(',')[1];
    const report = await quanze(dir, 'report', '--region', '650200', '--item', code, '--at', '2024-06-01', '--out', join(dir, 'r.json'), '--format', 'json');
    expect(report.code).toBe(0);
    expect(report.stdout).toContain('按当日公布的清单：2024年版（克政办发〔2024〕1号，2023-12-20 公布，自 2024-01-01 施行）有明确牵头部门');
    expect(report.stdout).toContain('按当日登记（截至 2024-06-01 23:59:59（北京时间））：当时尚无登记');
    const asOf = await quanze(dir, 'report', '--region', '650200', '--item', code, '--at', '2024-06-01', '--as-known-at', new Date().toISOString(), '--format', 'json');
    expect(JSON.parse(asOf.stdout).asRecordedOnTheDay.status).toBe('owned');
  }, 120000);
});
