import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { SqliteEventStore } from '../libs/event-store/src';
import { Registry } from '../libs/application/src';
import { quanze } from './support/cli';

const sheetRows = (file: string) => XLSX.utils.sheet_to_json<string[]>(XLSX.read(readFileSync(file)).Sheets['定编制'], { header: 1, defval: '' });

/** Issue 18: the 定编制 template round trip — template → fill → import → export of staffing → import records nothing. */
describe('npx quanze template staffing / import-staffing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quanze-staffing-'));
  beforeAll(async () => {
    const store = new SqliteEventStore({ file: join(dir, 'events.db') });
    const r = new Registry(store);
    const ctx = { actor: 'test' };
    const doc = { number: '克编发〔2019〕1号' };
    await r.registerRegion({ code: '650000', name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '2000-01-01', document: doc }, ctx);
    await r.registerRegion({ code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '2000-01-01', document: doc }, ctx);
    for (const [id, name] of [['TJ', '市统计局'], ['EE', '市生态环境局']]) {
      await r.establishDepartment({ id, name, regionCode: '650200', effectiveFrom: '2010-01-01', document: doc }, ctx);
      await r.issueSanding({ id, effectiveFrom: '2019-01-01', document: doc, duties: [{ id: `${id}-1`, text: '职责' }], internalOrgans: [{ id: `${id}-o`, name: '综合科', duties: [] }], staffing: { authorized: 10, leaders: 2 } }, ctx);
    }
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the round trip, every row accounted for, and a second import of the export records nothing', async () => {
    const template = join(dir, 'template.xlsx');
    expect((await quanze(dir, 'template', 'staffing', '--out', template)).code).toBe(0);
    const [title, note, header] = sheetRows(template);
    expect(title[0]).toContain('定编制');
    expect(note[0]).toContain('说明');
    expect(header.slice(0, 4)).toEqual(['部门名称', '统一社会信用代码（部门编号）', '机构性质', '核定行政编制']);

    // filled in by the office: by id and by name, one unknown department, one bad cell
    const filled = join(dir, 'filled.xlsx');
    const row = (v: Record<string, string | number>) => header.map((h) => v[h] ?? '');
    const ws = XLSX.utils.aoa_to_sheet([title, note, header,
      row({ 部门名称: '市统计局', '统一社会信用代码（部门编号）': 'TJ', 机构性质: '行政机关', 核定行政编制: 10, 核定工勤编制: 2, '核定领导职数（按职务，如 局长1、副局长3）': '局长1、副局长2', 实有行政编制: 11, 实有工勤编制: 2, '实配领导（按职务）': '局长1、副局长3', 编外人员: 4, '变动原因（招录、调入、调出、退休、年度核对…）': '年度核对' }),
      row({ 部门名称: '市生态环境局', 实有行政编制: 8 }),
      row({ 部门名称: '市不存在局', 实有行政编制: 3 }),
      row({ 部门名称: '市统计局', 实有事业编制: 'abc' }),
    ]);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, '定编制');
    writeFileSync(filled, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }));

    const first = await quanze(dir, 'import-staffing', filled, '--region', '650200', '--effective', '2024-01-01', '--document', '克编发〔2024〕2号', '--json');
    expect(first.code).toBe(2);
    const r1 = JSON.parse(first.stdout);
    expect([r1.rowsRead, r1.recorded, r1.unchanged]).toEqual([4, 2, 0]);
    expect(r1.rejected.map((x: any) => [x.row, x.reason])).toEqual([
      [6, expect.stringContaining('市不存在局')],
      [7, expect.stringContaining('abc')],
    ]);
    expect(r1.changes).toEqual([
      { row: 4, departmentId: 'TJ', sanding: true, actual: true },
      { row: 5, departmentId: 'EE', sanding: false, actual: true },
    ]);
    expect(r1.recorded + r1.unchanged + r1.rejected.length).toBe(r1.rowsRead);

    const findings = JSON.parse((await quanze(dir, 'findings', '--region', '650200', '--at', '2024-06-01', '--json')).stdout);
    expect(findings.findings.filter((f: any) => ['overstaffed', 'over-leaders'].includes(f.kind)).map((f: any) => [f.kind, f.severity]).sort()).toEqual([['over-leaders', 'red'], ['overstaffed', 'red']]);

    // the export of staffing (the template filled with the region's staffing in force) imports as unchanged
    const exported = join(dir, 'export.xlsx');
    expect((await quanze(dir, 'template', 'staffing', '--region', '650200', '--at', '2024-06-01', '--out', exported)).code).toBe(0);
    const tj = sheetRows(exported).find((r) => r[1] === 'TJ')!;
    expect(tj.slice(2, 12)).toEqual(['行政机关', 10, 0, 2, '局长1、副局长2', 11, 0, 2, '局长1、副局长3', 4]);
    const again = JSON.parse((await quanze(dir, 'import-staffing', exported, '--region', '650200', '--effective', '2024-06-01', '--document', '克编发〔2024〕3号', '--json')).stdout);
    expect([again.rowsRead, again.recorded, again.unchanged, again.rejected]).toEqual([2, 0, 2, []]);
    // and the filled file a second time records nothing new either
    const twice = JSON.parse((await quanze(dir, 'import-staffing', filled, '--region', '650200', '--effective', '2024-01-01', '--document', '克编发〔2024〕2号', '--json')).stdout);
    expect([twice.recorded, twice.unchanged, twice.rejected.length]).toEqual([0, 2, 2]);
  });

  test('a file without the template header is refused with a clear error, nothing recorded', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, '名称,数量\n甲,1\n');
    const r = await quanze(dir, 'import-staffing', bad, '--region', '650200', '--effective', '2024-01-01');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('找不到定编制模板的表头');
  });
});
