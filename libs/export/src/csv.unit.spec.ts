import * as XLSX from '@e965/xlsx';
import { csvCell, toCsv } from './csv';

describe('CSV cells: formula injection neutralised (OWASP), NUL never written', () => {
  test.each(['=HYPERLINK("http://x","y")', '+1+2', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd', '=1'])('%j is written as text', (v) => {
    const cell = csvCell(v);
    expect(cell.startsWith(`"'`)).toBe(true);
    // read back as a spreadsheet would: a string with the quote, never a formula
    const wb = XLSX.read(toCsv([[v]]).replace(/^\ufeff/, ''), { type: 'string', raw: false, cellFormula: true });
    const c = wb.Sheets[wb.SheetNames[0]].A1;
    expect(c.f).toBeUndefined();
    expect(c.t).toBe('s');
  });

  test('ordinary cells are unchanged; commas, quotes and newlines are quoted', () => {
    expect(csvCell('对统计违法行为的处罚')).toBe('对统计违法行为的处罚');
    expect(csvCell('2024-01-01')).toBe('2024-01-01');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('说"明"')).toBe('"说""明"""');
    expect(csvCell(['甲', '乙'])).toBe('甲；乙');
    expect(csvCell(undefined)).toBe('');
  });

  test('NUL and other control characters are dropped, tab/LF/CR inside a cell kept', () => {
    expect(csvCell('a\u0000b\u0007c')).toBe('abc');
    expect(csvCell('a\nb')).toBe('"a\nb"');
    expect(toCsv([['x', 'y'], ['1', '2']])).toBe('\ufeffx,y\r\n1,2\r\n');
  });
});
