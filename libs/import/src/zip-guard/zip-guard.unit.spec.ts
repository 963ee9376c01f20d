import * as XLSX from '@e965/xlsx';
import { deflateRawSync } from 'node:zlib';
import { DEFAULT_LIMITS, ImportError } from '../limits';
import { readSheet } from '../rows';
import { book, hiddenCellsXlsx, hiddenDirectoryXlsx, mismatchedNamesXlsx, parts, zipBombXlsx, zipOf } from '../testing/crafted-zips';
import { readWorkbook } from '../workbook';
import { guardZip } from './zip-guard';


function refusal(fn: () => unknown): ImportError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw new Error(`expected an ImportError, got ${e instanceof Error ? e.stack : String(e)}`);
  }
  throw new Error('expected an ImportError, nothing was thrown');
}

const names = (xlsx: Buffer, file = 'x.xlsx') => readSheet(readWorkbook(file, xlsx).sheets[0]).entries.map((e) => e.mainName);

describe('zip guard: the caps are checked on exactly what the parser reads', () => {
  test('a workbook rebuilt by hand from its parts reads as before (the baseline)', () => {
    expect(names(zipOf(parts(book('对统计违法行为的处罚'))))).toEqual(['对统计违法行为的处罚']);
  });

  test('the canonical zip holds the same parts, and SheetJS reads it the same', () => {
    const original = book('甲事项');
    const canonical = guardZip('a.xlsx', original, DEFAULT_LIMITS);
    expect(parts(canonical).map((p) => [p.name, p.data.toString('base64')])).toEqual(parts(original).map((p) => [p.name, p.data.toString('base64')]));
  });

  test('a hidden second directory (the one SheetJS would find) is refused', () => {
    // B: the rows the parser would read; A: what zip tools show. B's directory is reached through an
    // end record hidden in A's comment, which a reader scanning back from the end finds first.
    const file = hiddenDirectoryXlsx();
    // what SheetJS alone does with it: the hidden rows
    const raw = XLSX.read(file, { type: 'buffer', dense: true });
    expect(JSON.stringify(XLSX.utils.sheet_to_json(raw.Sheets[raw.SheetNames[0]], { header: 1 }))).toContain('乙：隐藏的事项');
    const e = refusal(() => readWorkbook('two.xlsx', file));
    expect([e.code, e.message]).toEqual(['CORRUPT_FILE', expect.stringContaining('第二个目录')]);
  });

  test('local-header names that differ from the directory names are refused', () => {
    // the directory calls the sheet an image (not counted by a worksheet-name check), the local header a sheet
    const file = mismatchedNamesXlsx();
    const e = refusal(() => readWorkbook('names.xlsx', file));
    expect([e.code, e.message]).toEqual(['CORRUPT_FILE', expect.stringContaining('文件名不一致')]);
  });

  test('a bomb past the 100 MB cap is refused (default limits), honest or lying about its size', () => {
    expect(zipBombXlsx().length).toBeLessThan(1024 * 1024);
    expect(refusal(() => readWorkbook('bomb.xlsx', zipBombXlsx())).code).toBe('ZIP_BOMB');
    // declares 100 bytes: caught while inflating, with no more than 101 bytes allocated for it
    expect(refusal(() => readWorkbook('liar.xlsx', zipBombXlsx(100))).code).toBe('ZIP_BOMB');
    const ps = parts(book('甲'));
    const deflated = deflateRawSync(Buffer.alloc(DEFAULT_LIMITS.maxUncompressedBytes + 1024 * 1024, 0x20), { level: 1 });
    // a stream that goes on past its compressed size (SheetJS would inflate it to its end): cut, so refused
    const short = zipOf([...ps, { name: 'xl/media/pad.xml', data: Buffer.from('x'), body: deflated.subarray(0, 100) }]);
    expect(refusal(() => readWorkbook('short.xlsx', short)).code).toBe('ZIP_BOMB');
  }, 30_000);

  test('cells past the 500 k cap are counted in a sheet part not named like a worksheet', () => {
    const e = refusal(() => readWorkbook('cells.xlsx', hiddenCellsXlsx()));
    expect([e.code, e.message]).toEqual(['TOO_MANY_CELLS', expect.stringContaining('超过上限 500000')]);
  });

  test('a file starting PK\\7\\8 (which SheetJS also reads as a zip) goes through the guard', () => {
    const z = book('甲');
    const file = Buffer.concat([Buffer.from([0x50, 0x4b, 0x07, 0x08]), z]);
    // offsets now shifted by 4: the guard reads it strictly and refuses rather than passing it to SheetJS as text
    expect(refusal(() => readWorkbook('pk78.csv', file)).code).toBe('CORRUPT_FILE');
  });

  test('a wrong CRC and a duplicated name are refused', () => {
    const ps = parts(book('甲'));
    const z = zipOf(ps);
    const cdAt = z.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const badCrc = Buffer.from(z);
    badCrc.writeUInt32LE((badCrc.readUInt32LE(cdAt + 16) ^ 1) >>> 0, cdAt + 16);
    expect(refusal(() => readWorkbook('crc.xlsx', badCrc)).message).toContain('校验失败');
    expect(refusal(() => readWorkbook('dup.xlsx', zipOf([...ps, ps[ps.length - 1]]))).message).toContain('出现两次');
  });
});
