import * as XLSX from '@e965/xlsx';
import { Registry } from '../../../application/src';
import { SqliteEventStore } from '../../../event-store/src';
import { StaffingProjection } from '../../../projections/src';
import { STAFFING_COLUMNS, importStaffing, readStaffingRows } from './staffing-sheet';

/** #22 item 11 for the 定编制 template: its cells get the list import's unsafe-character check (one function). */
const template = (rows: string[][]): Buffer => {
  const ws = XLSX.utils.aoa_to_sheet([['机构编制（定编制）填报模板'], STAFFING_COLUMNS.map((c) => c.header), ...rows]);
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, '定编制');
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
};
const row = (name: string, reason = '') => STAFFING_COLUMNS.map((c) => (c.field === 'name' ? name : c.field === 'auth:行政编制' ? '5' : c.field === 'reason' ? reason : ''));

describe('staffing template: cells with unsafe characters are refused, as in list imports', () => {
  const data = template([row('市统计局'), row('市\u202E局档案'), row('市审计局', '调整\u0000原因'), row('市\u200B财政局'), row('市民政局')]);

  test('readStaffingRows marks the rows (bidi override, NUL, zero-width) with the cell, the others not', () => {
    const rows = readStaffingRows('t.xlsx', data);
    expect(rows.map((r) => r.row)).toEqual([3, 4, 5, 6, 7]);
    expect(rows[0].refused).toBeUndefined();
    expect(rows[1].refused).toMatch(/^第 4 行第 1 列 含有不允许的字符 U\+202E/);
    expect(rows[2].refused).toMatch(/U\+0000/);
    expect(rows[3].refused).toMatch(/U\+200B/);
    expect(rows[4].refused).toBeUndefined();
  });

  test('importStaffing rejects exactly those rows with that reason, before anything is decided on them', async () => {
    const store = new SqliteEventStore({ file: ':memory:' });
    const r = await importStaffing(new Registry(store), new StaffingProjection(), { name: 't.xlsx', data }, { region: '650200', effective: '2024-01-01', document: { number: '克编〔2024〕1号' } });
    const reasons = new Map(r.rejected.map((x) => [x.row, x.reason]));
    expect(reasons.get(4)).toMatch(/U\+202E/);
    expect(reasons.get(5)).toMatch(/U\+0000/);
    expect(reasons.get(6)).toMatch(/U\+200B/);
    // the clean rows are decided (here: no such department in an empty registry), not refused for their text
    expect(reasons.get(3)).toMatch(/未登记/);
    expect(reasons.get(7)).toMatch(/未登记/);
    await store.close();
  });
});
