import * as XLSX from '@e965/xlsx';
import { parseFiles } from './importer';
import { DEFAULT_LIMITS, ImportError, ImportLimits } from './limits';
import { readSheet } from './rows';
import { workbook, zip } from './testing/workbooks';
import { readWorkbook } from './workbook';

const HEADER = ['序号', '事项名称', '权力类型', '实施依据', '行使主体'];
const ok = workbook({ S: [HEADER, ['1', '对统计违法行为的处罚', '行政处罚', '《统计法》', '市统计局']] });
const limits = (l: Partial<ImportLimits>): ImportLimits => ({ ...DEFAULT_LIMITS, ...l });

/** The ImportError a read throws (fails the test when it does not throw one). */
function refusal(fn: () => unknown): ImportError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw new Error(`expected an ImportError, got ${e instanceof Error ? e.stack : String(e)}`);
  }
  throw new Error('expected an ImportError, nothing was thrown');
}

/** An .xlsx whose first worksheet part is replaced by `xml` (the rest as SheetJS wrote it). */
function withSheetXml(xml: (original: string) => string): Buffer {
  const cfb = XLSX.CFB.read(ok, { type: 'buffer' });
  const path = cfb.FullPaths.find((p: string) => /worksheets\/sheet1\.xml$/.test(p))!;
  const entry = XLSX.CFB.find(cfb, path)!;
  entry.content = Buffer.from(xml(Buffer.from(entry.content as Uint8Array).toString('utf8'))) as never;
  return XLSX.CFB.write(cfb, { type: 'buffer', fileType: 'zip', compression: true }) as Buffer;
}

describe('hostile and malformed input: a clear error, never a crash or a hang', () => {
  test('a well-formed file reads (the baseline the others break)', () => {
    const wb = readWorkbook('ok.xlsx', ok);
    expect(readSheet(wb.sheets[0]).entries.map((e) => e.mainName)).toEqual(['对统计违法行为的处罚']);
  });

  test('a truncated .xlsx', () => {
    for (const cut of [0.3, 0.6, 0.95]) {
      const e = refusal(() => readWorkbook('cut.xlsx', ok.subarray(0, Math.floor(ok.length * cut))));
      expect(e.code).toBe('CORRUPT_FILE');
      expect(e.message).toContain('cut.xlsx：无法读取');
    }
  });

  test('a zip bomb is refused before it is inflated beyond the cap', () => {
    const bomb = zip([
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(20 * 1024 * 1024, 0x20) },
    ]);
    expect(bomb.length).toBeLessThan(100 * 1024);
    const e = refusal(() => readWorkbook('bomb.xlsx', bomb, limits({ maxUncompressedBytes: 5 * 1024 * 1024 })));
    expect([e.code, e.message]).toEqual(['ZIP_BOMB', expect.stringContaining('疑似压缩炸弹')]);
  });

  test('a zip whose directory lies about the inflated size is caught while inflating', () => {
    const liar = zip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(20 * 1024 * 1024, 0x20), declaredSize: 100 }]);
    const e = refusal(() => readWorkbook('liar.xlsx', liar, limits({ maxUncompressedBytes: 5 * 1024 * 1024 })));
    expect(e.code).toBe('ZIP_BOMB');
  });

  test('a sheet of 10^6 empty rows (.xlsx and .csv) reads its data rows quickly', () => {
    const rows: string[] = [];
    for (let r = 3; r <= 1_000_000; r++) rows.push(`<row r="${r}"/>`);
    const xlsx = withSheetXml((x) => x.replace('</sheetData>', `${rows.join('')}</sheetData>`).replace(/<dimension ref="[^"]*"\/>/, '<dimension ref="A1:E1000000"/>'));
    const csv = Buffer.from(`${HEADER.join(',')}\n1,甲,行政处罚,《某法》,市某局\n${',,,,\n'.repeat(1_000_000)}`);
    for (const [name, data] of [['empty.xlsx', xlsx], ['empty.csv', csv]] as const) {
      const started = Date.now();
      const [file] = parseFiles([{ name, data }]);
      expect(file.sheets[0].entries).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(15_000);
    }
  }, 30_000);

  test('too many rows, cells, columns, sheets, bytes: each refused with its limit named', () => {
    const many = workbook({ S: [HEADER, ...Array.from({ length: 50 }, (_, i) => [String(i + 1), `事项${i}`, '行政处罚', '', '市某局'])] });
    expect(refusal(() => readWorkbook('rows.xlsx', many, limits({ maxRows: 20 }))).code).toBe('TOO_MANY_ROWS');
    expect(refusal(() => readWorkbook('cells.xlsx', many, limits({ maxCells: 100 }))).code).toBe('TOO_MANY_CELLS');
    expect(refusal(() => readWorkbook('cells.xls', workbook({ S: [HEADER, ...Array.from({ length: 50 }, () => HEADER)] }, 'biff8'), limits({ maxCells: 100 }))).code).toBe('TOO_MANY_CELLS');
    expect(refusal(() => readWorkbook('cells.csv', Buffer.from('a,b,c\n'.repeat(100)), limits({ maxCells: 100 }))).code).toBe('TOO_MANY_CELLS');
    const wide = workbook({ S: [[...HEADER, ...Array.from({ length: 20 }, (_, i) => `列${i}`)]] });
    expect(refusal(() => readWorkbook('wide.xlsx', wide, limits({ maxColumns: 10 }))).code).toBe('TOO_MANY_COLUMNS');
    const sheets = workbook(Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`S${i}`, [HEADER]])));
    expect(refusal(() => readWorkbook('sheets.xlsx', sheets, limits({ maxSheets: 3 }))).code).toBe('TOO_MANY_SHEETS');
    const big = refusal(() => readWorkbook('big.xlsx', ok, limits({ maxFileBytes: 100 })));
    expect([big.code, big.message]).toEqual(['FILE_TOO_LARGE', expect.stringContaining('超过上限')]);
    expect(refusal(() => readWorkbook('empty.xlsx', Buffer.alloc(0))).code).toBe('EMPTY_FILE');
  });

  test('an overlong cell: the row is kept but marked, never silently cut', () => {
    const long = '很'.repeat(200);
    const wb = readWorkbook('long.xlsx', workbook({ S: [HEADER, ['1', '甲', '行政处罚', long, '市某局']] }), limits({ maxCellChars: 100 }));
    const [entry] = readSheet(wb.sheets[0]).entries;
    expect(entry.problems).toEqual(['第 2 行第 4 列的内容超过单元格长度上限，未导入']);
  });

  test('formulas are never evaluated: the cached value is read, a CSV "=…" stays text', () => {
    const xlsx = withSheetXml((x) => x.replace(/<c r="B2"[^>]*>.*?<\/c>/, '<c r="B2" t="str"><f>HYPERLINK("http://evil","x")&amp;CONCAT(A1)</f><v>缓存的事项名称</v></c>'));
    const [sheet] = parseFiles([{ name: 'f.xlsx', data: xlsx }])[0].sheets;
    expect(sheet.entries[0].mainName).toBe('缓存的事项名称');
    const csv = parseFiles([{ name: 'f.csv', data: Buffer.from(`${HEADER.join(',')}\n1,"=cmd|' /C calc'!A0",行政处罚,,市某局\n`) }]);
    expect(csv[0].sheets[0].entries[0].mainName).toBe("=cmd|'/Ccalc'!A0");
  });

  test('a header-less workbook: NO_HEADER, naming what a header needs', () => {
    const e = refusal(() => parseFiles([{ name: 'noheader.xlsx', data: workbook({ S: [['1', '甲', '行政处罚'], ['2', '乙', '行政许可']] }) }]));
    expect(e.code).toBe('NO_HEADER');
    expect(e.message).toContain('找不到表头');
    expect(e.message).toContain('事项名称');
  });

  test('a CSV in GBK is detected and decoded; UTF-8 with BOM and UTF-16 too', () => {
    const text = `${HEADER.join(',')}\n1,对统计违法行为的处罚,行政处罚,《统计法》,市统计局\n`;
    const gbk = Buffer.from(new Uint8Array([...encodeGbkSample(text)]));
    const wb = readWorkbook('gbk.csv', gbk);
    expect(wb.encoding).toBe('GB18030/GBK');
    expect(readSheet(wb.sheets[0]).entries[0]).toMatchObject({ mainName: '对统计违法行为的处罚', type: '行政处罚' });
    expect(readWorkbook('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])).encoding).toBe('UTF-8 (BOM)');
    const utf16 = readWorkbook('u16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    expect(readSheet(utf16.sheets[0]).entries[0].mainName).toBe('对统计违法行为的处罚');
  });

  test('codes with leading zeros in a CSV stay text', () => {
    const [file] = parseFiles([{ name: 'codes.csv', data: Buffer.from('职权编码,事项名称,事项类型,实施主体\n000123018000,饮用水供水单位卫生许可,01,市卫健委\n') }]);
    expect(file.sheets[0].entries[0]).toMatchObject({ code: '000123018000', type: '行政许可' });
  });

  test('binary garbage, or text named .xlsx: UNSUPPORTED_TYPE', () => {
    expect(refusal(() => readWorkbook('x.xlsx', Buffer.from([0x00, 0x01, 0xff, 0x00, 0x13, 0x37]))).code).toBe('UNSUPPORTED_TYPE');
    expect(refusal(() => readWorkbook('x.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]))).code).toBe('UNSUPPORTED_TYPE');
    const e = refusal(() => readWorkbook('renamed.xlsx', Buffer.from('这不是 Excel 文件，只是一段文字')));
    expect([e.code, e.message]).toEqual(['UNSUPPORTED_TYPE', expect.stringContaining('扩展名为 .xlsx')]);
  });

  test('several bad files: one error naming each, nothing read', () => {
    const e = refusal(() => parseFiles([{ name: 'good.xlsx', data: ok }, { name: 'a.xlsx', data: ok.subarray(0, 100) }, { name: 'b.csv', data: Buffer.alloc(0) }]));
    expect(e.message.split('\n')).toEqual([expect.stringContaining('a.xlsx'), expect.stringContaining('b.csv')]);
  });
});

/**
 * GBK bytes of a text made of ASCII and the characters used here, without an encoder library: each
 * Chinese character is looked up by decoding the GBK code space once (TextDecoder knows GBK).
 */
function encodeGbkSample(text: string): number[] {
  const table = new Map<string, number[]>();
  const dec = new TextDecoder('gbk');
  for (let hi = 0x81; hi <= 0xfe; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue;
      const ch = dec.decode(new Uint8Array([hi, lo]));
      if (ch.length === 1 && !table.has(ch)) table.set(ch, [hi, lo]);
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) out.push(ch.charCodeAt(0));
    else {
      const b = table.get(ch);
      if (!b) throw new Error(`no GBK code for ${ch}`);
      out.push(...b);
    }
  }
  return out;
}
