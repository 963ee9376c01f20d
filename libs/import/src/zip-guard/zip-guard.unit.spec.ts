import * as XLSX from '@e965/xlsx';
import { crc32, deflateRawSync } from 'node:zlib';
import { DEFAULT_LIMITS, ImportError } from '../limits';
import { readSheet } from '../rows';
import { workbook } from '../testing/workbooks';
import { readWorkbook } from '../workbook';
import { guardZip } from './zip-guard';

const HEADER = ['序号', '事项名称', '权力类型', '实施依据', '行使主体'];
const book = (name: string) => workbook({ S: [HEADER, ['1', name, '行政处罚', '《统计法》', '市统计局']] });

/** The parts of a workbook SheetJS wrote: name → content. */
function parts(xlsx: Buffer): Array<{ name: string; data: Buffer }> {
  const cfb = XLSX.CFB.read(xlsx, { type: 'buffer' });
  const out: Array<{ name: string; data: Buffer }> = [];
  cfb.FileIndex.forEach((entry: { type: number; content?: unknown }, i: number) => {
    if (entry.type !== 2 || !entry.content) return;
    out.push({ name: cfb.FullPaths[i].replace(/^[^/]*\//, ''), data: Buffer.from(entry.content as Uint8Array) });
  });
  return out;
}

interface RawEntry {
  name: string;
  data: Buffer;
  /** Name in the local header when it should differ from the directory's. */
  localName?: string;
  /** Compressed bytes to store instead of deflate(data). */
  body?: Buffer;
  declaredSize?: number;
}

/** Local entries and directory of a zip whose first local header sits at `base`. */
function pieces(entries: RawEntry[], base = 0): { locals: Buffer<ArrayBufferLike>; cd: Buffer<ArrayBufferLike>; count: number } {
  const locals: Buffer[] = [];
  const cds: Buffer[] = [];
  let offset = base;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'latin1');
    const localName = Buffer.from(e.localName ?? e.name, 'latin1');
    const body = e.body ?? deflateRawSync(e.data);
    const size = e.declaredSize ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(e.data), 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(localName.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(8, 10);
    cd.writeUInt32LE(crc32(e.data), 16);
    cd.writeUInt32LE(body.length, 20);
    cd.writeUInt32LE(size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    locals.push(local, localName, body);
    cds.push(cd, name);
    offset += 30 + localName.length + body.length;
  }
  return { locals: Buffer.concat(locals), cd: Buffer.concat(cds), count: entries.length };
}

function eocd(count: number, cdSize: number, cdOffset: number, comment: Uint8Array = new Uint8Array(0)): Buffer {
  const b = Buffer.alloc(22);
  b.writeUInt32LE(0x06054b50, 0);
  b.writeUInt16LE(count, 8);
  b.writeUInt16LE(count, 10);
  b.writeUInt32LE(cdSize, 12);
  b.writeUInt32LE(cdOffset, 16);
  b.writeUInt16LE(comment.length, 20);
  return Buffer.concat([b, comment]);
}

function zipOf(entries: RawEntry[]): Buffer {
  const z = pieces(entries);
  return Buffer.concat([z.locals, z.cd, eocd(z.count, z.cd.length, z.locals.length)]);
}

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
    const b = pieces(parts(book('乙：隐藏的事项')));
    const aBase = b.locals.length + b.cd.length;
    const a = pieces(parts(book('甲：看得见的事项')), aBase);
    const hidden = eocd(b.count, b.cd.length, b.locals.length);
    const aCdOffset = aBase + a.locals.length;
    const file = Buffer.concat([b.locals, b.cd, a.locals, a.cd, eocd(a.count, a.cd.length, aCdOffset, hidden)]);
    // what SheetJS alone does with it: the hidden rows
    const raw = XLSX.read(file, { type: 'buffer', dense: true });
    expect(JSON.stringify(XLSX.utils.sheet_to_json(raw.Sheets[raw.SheetNames[0]], { header: 1 }))).toContain('乙：隐藏的事项');
    const e = refusal(() => readWorkbook('two.xlsx', file));
    expect([e.code, e.message]).toEqual(['CORRUPT_FILE', expect.stringContaining('第二个目录')]);
  });

  test('local-header names that differ from the directory names are refused', () => {
    // the directory calls the sheet an image (not counted by a worksheet-name check), the local header a sheet
    const ps = parts(book('甲'));
    const crafted = ps.map((p) => (/worksheets\/sheet1\.xml$/.test(p.name) ? { ...p, name: 'xl/media/image1.png', localName: p.name } : p));
    const file = zipOf(crafted);
    const e = refusal(() => readWorkbook('names.xlsx', file));
    expect([e.code, e.message]).toEqual(['CORRUPT_FILE', expect.stringContaining('文件名不一致')]);
  });

  test('a bomb past the 100 MB cap is refused (default limits), honest or lying about its size', () => {
    const ps = parts(book('甲'));
    const big = Buffer.alloc(DEFAULT_LIMITS.maxUncompressedBytes + 1024 * 1024, 0x20);
    const deflated = deflateRawSync(big, { level: 1 });
    expect(deflated.length).toBeLessThan(1024 * 1024);
    const honest = zipOf([...ps, { name: 'xl/media/pad.xml', data: big, body: deflated }]);
    expect(refusal(() => readWorkbook('bomb.xlsx', honest)).code).toBe('ZIP_BOMB');
    // declares 100 bytes: caught while inflating, with no more than 101 bytes allocated for it
    const liar = zipOf([...ps, { name: 'xl/media/pad.xml', data: big, body: deflated, declaredSize: 100 }]);
    expect(refusal(() => readWorkbook('liar.xlsx', liar)).code).toBe('ZIP_BOMB');
    // a stream that goes on past its compressed size (SheetJS would inflate it to its end): cut, so refused
    const short = zipOf([...ps, { name: 'xl/media/pad.xml', data: Buffer.from('x'), body: deflated.subarray(0, 100) }]);
    expect(refusal(() => readWorkbook('short.xlsx', short)).code).toBe('ZIP_BOMB');
  }, 30_000);

  test('cells past the 500 k cap are counted in a sheet part not named like a worksheet', () => {
    const ps = parts(book('甲'));
    const cells = Array.from({ length: DEFAULT_LIMITS.maxCells + 1000 }, (_, i) => `<c r="A${i + 2}"><v>1</v></c>`).join('');
    const moved = ps.map((p) => {
      if (/worksheets\/sheet1\.xml$/.test(p.name)) return { name: 'xl/data/s.xml', data: Buffer.from(p.data.toString('utf8').replace('</sheetData>', `<row r="2">${cells}</row></sheetData>`)) };
      if (/workbook\.xml\.rels$/.test(p.name)) return { ...p, data: Buffer.from(p.data.toString('utf8').replace(/worksheets\/sheet1\.xml/, 'data/s.xml')) };
      if (/\[Content_Types\]\.xml$/.test(p.name)) return { ...p, data: Buffer.from(p.data.toString('utf8').replace('/xl/worksheets/sheet1.xml', '/xl/data/s.xml')) };
      return p;
    });
    const e = refusal(() => readWorkbook('cells.xlsx', zipOf(moved)));
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
