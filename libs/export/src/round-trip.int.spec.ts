/**
 * The publishable list, whole: the 14 real Karamay lists imported into one region, exported in their source
 * layout (for the region and per department) and imported again: nothing recorded, nothing rejected, and
 * every source column of every recorded row comes back as it was published (whitespace normalised).
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from '../../application/src';
import { SqliteEventStore } from '../../event-store/src';
import { ProjectionRunner, RegistryProjection } from '../../projections/src';
import { ImportInput, ImportResult, importLists, readWorkbook, REGISTRY_SHEET } from '../../import/src';
import { exportPublishedList, publishedList } from './published-list';

const XLS = join(__dirname, '../../..', '../shared/data/karamay-qzqd/xls');
const present = existsSync(XLS);
if (!present) console.warn(`round-trip.int.spec: ${XLS} not found (the shared data dir beside the repo) — skipped`);
const describeReal = present ? describe : describe.skip;

const norm = (s: string) => s.replace(/[\s\u00a0\u3000\u200b\ufeff]+/g, '');

describeReal('export in the source layout, imported again', () => {
  let dir: string;
  let store: SqliteEventStore;
  let inputs: ImportInput[];
  let first: ImportResult;
  const view = async () => {
    const v = new RegistryProjection();
    await new ProjectionRunner(store, [v]).rebuild();
    return v;
  };
  const options = { region: '650200', effective: '2024-01-01', document: { number: '克政办发〔2024〕1号' }, createDepartments: true };

  beforeAll(async () => {
    inputs = readdirSync(XLS)
      .filter((f) => /\.(xlsx?|csv)$/i.test(f))
      .sort()
      .map((f) => ({ name: f, data: readFileSync(join(XLS, f)) }));
    dir = mkdtempSync(join(tmpdir(), 'quanze-roundtrip-'));
    store = new SqliteEventStore({ file: join(dir, 'events.db') });
    first = await importLists(new Registry(store), await view(), inputs, options);
  }, 120000);
  afterAll(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Every source row of every recorded entry, cell by cell as read from the published file. */
  function sourceRows(): Map<string, string[]> {
    const rejected = new Set(first.rejected.map((r) => `${r.file}|${r.sheet}|${r.row}`));
    const out = new Map<string, string[]>();
    for (const input of inputs) {
      for (const f of first.files.filter((x) => x.file === input.name)) {
        const wb = readWorkbook(input.name, input.data);
        for (const s of f.sheets) {
          if (s.headerRow === undefined) continue;
          const grid = wb.sheets.find((g) => g.name === s.sheet)!;
          const cols = (s.mapping ?? []).map((m) => m.column);
          // the data rows the import read are those after the header that are in the export (compared below)
          for (let r = s.headerRow; r < grid.rows.length; r++) {
            if (rejected.has(`${input.name}|${s.sheet}|${r + 1}`)) continue;
            out.set(`${input.name}|${s.sheet}|${r + 1}`, cols.map((c) => norm(grid.rows[r]?.[colIndex(c)] ?? '')));
          }
        }
      }
    }
    return out;
  }
  const colIndex = (name: string) => [...name].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;

  test('the region, then each department: re-import records nothing, rejects nothing; every cell as published', async () => {
    expect(first.recorded).toBeGreaterThan(1600);
    const v = await view();
    const region = publishedList(v, { region: '650200', at: '2024-06-01' });
    const regionFile = { name: '克拉玛依市权责清单.xlsx', data: exportPublishedList(region, { layout: 'source' }) };
    const departments = [...new Set(region.items.map((x) => x.departmentId))].filter(Boolean).sort();
    const perDepartment = departments.map((id) => {
      const p = publishedList(v, { region: '650200', at: '2024-06-01', department: id });
      return { name: `${p.department!.name}.xlsx`, data: exportPublishedList(p, { layout: 'source' }) };
    });
    expect(perDepartment.length).toBeGreaterThanOrEqual(14);

    // every exported data row is a published row, cell for cell
    const source = sourceRows();
    const wb = readWorkbook(regionFile.name, regionFile.data);
    let compared = 0;
    const exportedRows = new Set<string>();
    for (const x of region.items) {
      const row = x.wording?.row;
      if (!row) continue;
      const key = `${row.file}|${row.sheet}|${row.at}`;
      if (exportedRows.has(key)) continue;
      exportedRows.add(key);
      row.cells.forEach((cells, i) => {
        const want = source.get(`${row.file}|${row.sheet}|${row.at! + i}`);
        expect(want).toBeDefined();
        expect(cells.map(norm)).toEqual(want);
        compared++;
      });
    }
    expect(compared).toBeGreaterThan(1600);
    // … and the exported workbook holds exactly those cells (merges undone by the reader)
    const exportedCells = new Map<string, number>();
    for (const g of wb.sheets) {
      if (g.name === REGISTRY_SHEET) continue;
      for (const r of g.rows) if (r.some((c) => c)) exportedCells.set(r.map(norm).join('|'), (exportedCells.get(r.map(norm).join('|')) ?? 0) + 1);
    }
    let found = 0;
    for (const key of exportedRows) {
      const [file, sheet, at] = key.split('|');
      const x = region.items.find((i) => i.wording?.row?.file === file && i.wording.row.sheet === sheet && i.wording.row.at === Number(at))!;
      for (const cells of x.wording!.row!.cells) if (exportedCells.has(cells.map(norm).join('|'))) found++;
    }
    expect(found).toBe(compared);

    for (const files of [[regionFile], perDepartment]) {
      const again = await importLists(new Registry(store), await view(), files, { ...options, effective: '2024-06-01', document: { number: '往返' } });
      expect(again.rejected).toEqual([]);
      expect(again.recorded).toBe(0);
      expect(again.unchanged).toBe(again.rowsRead);
      expect(again.rowsRead).toBeGreaterThan(1600);
    }
  }, 180000);

  test('a revised 追责情形 is a change of the published wording, recorded with its date', async () => {
    const v = await view();
    const p = publishedList(v, { region: '650200', at: '2024-06-01' });
    const x = p.items.find((i) => i.wording?.fields?.['追责情形'] && i.wording.row?.file?.includes('统计局'))!;
    expect(x).toBeDefined();
    const dept = publishedList(v, { region: '650200', at: '2024-06-01', department: x.departmentId });
    // the department's list with one 追责情形 cell changed
    const col = x.wording!.row!.header[0].findIndex((h) => norm(h) === '追责情形');
    const before = x.wording!.row!.cells[0][col];
    for (const i of dept.items) if (i.wording?.row && i.item.code === x.item.code) i.wording = { ...i.wording, row: { ...i.wording.row, cells: i.wording.row.cells.map((c, n) => (n === 0 ? c.map((v2, k) => (k === col ? `${v2}\n5.新增的追责情形。` : v2)) : c)) } };
    const file = { name: 'revised.xlsx', data: exportPublishedList(dept, { layout: 'source' }) };
    const r = await importLists(new Registry(store), await view(), [file], { ...options, effective: '2025-01-01', document: { number: '克政办发〔2025〕2号' } });
    expect(r.rejected).toEqual([]);
    expect(r.recorded).toBe(1);
    const after = publishedList(await view(), { region: '650200', at: '2025-02-01' }).items.find((i) => i.item.code === x.item.code)!;
    expect(after.wording!.fields!['追责情形']).toContain('新增的追责情形');
    const earlier = publishedList(await view(), { region: '650200', at: '2024-06-01' }).items.find((i) => i.item.code === x.item.code)!;
    expect(earlier.wording!.fields!['追责情形']).toBe(before);
  }, 120000);
});
