/**
 * The findings ledger as a spreadsheet an office can work from: grouped by department (the departments
 * with most 合规类 problems first, each department's top problems first), one row per finding and
 * department. CSV cells are neutralised against formula injection (csv.ts); xlsx cells are plain strings.
 */
import type * as XLSX from '@e965/xlsx';
import { loadSheetJs } from '../../import/src/workbook';
import { LedgerAnswer, KIND_NAMES_ZH, SEVERITY_NAMES_ZH, stateOf } from '../../projections/src/findings';
import { toCsv } from './csv';

export const LEDGER_HEADER = ['部门', '性质', '类别', '状态', '说明', '起始日期', '截止日期', '发现编号'];

export function ledgerRows(a: LedgerAnswer): string[][] {
  const byId = new Map(a.findings.map((f) => [f.id, f]));
  const rows: string[][] = [];
  const row = (dept: string, id: string) => {
    const f = byId.get(id)!;
    rows.push([dept, f.severity ? SEVERITY_NAMES_ZH[f.severity] : '', KIND_NAMES_ZH[f.kind] ?? f.kind, stateOf(f), f.title, f.from, f.until ?? '', f.id]);
  };
  const placed = new Set<string>();
  for (const g of a.byDepartment) for (const id of g.findingIds) if (byId.has(id)) (row(g.departmentName, id), placed.add(id));
  for (const f of a.findings) if (!placed.has(f.id)) row('（未涉及部门）', f.id);
  return rows;
}

export function exportLedger(a: LedgerAnswer, format: 'csv' | 'xlsx'): Buffer {
  const rows = [LEDGER_HEADER, ...ledgerRows(a)];
  if (format === 'csv') return Buffer.from(toCsv(rows), 'utf8');
  const wb = loadSheetJs().utils.book_new();
  const title = [`${a.regionName ?? a.region}（${a.region}）${a.at} 发现台账`];
  // every cell a plain string (t: 's'): nothing a spreadsheet would evaluate
  const ws = loadSheetJs().utils.aoa_to_sheet([title, ...rows].map((r) => r.map((v) => ({ t: 's', v: String(v) }))));
  ws['!cols'] = [18, 10, 16, 14, 60, 12, 12, 28].map((wch) => ({ wch }));
  loadSheetJs().utils.book_append_sheet(wb, ws, '发现台账');
  return loadSheetJs().write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
}
