/** Building test workbooks in memory: sheets from arrays (with merges), and hand-made zips for hostile input. */
import * as XLSX from '@e965/xlsx';
import { deflateRawSync } from 'node:zlib';

export interface TestSheet {
  rows: unknown[][];
  /** Merges as Excel ranges, e.g. "A3:A5". */
  merges?: string[];
}

/** A workbook as .xlsx (default), .xls (biff8) or .csv bytes. */
export function workbook(sheets: Record<string, TestSheet | unknown[][]>, bookType: 'xlsx' | 'biff8' | 'csv' = 'xlsx'): Buffer {
  const wb = XLSX.utils.book_new();
  for (const [name, s] of Object.entries(sheets)) {
    const sheet: TestSheet = Array.isArray(s) ? { rows: s } : s;
    const ws = XLSX.utils.aoa_to_sheet(sheet.rows as unknown[][]);
    if (sheet.merges) ws['!merges'] = sheet.merges.map((m) => XLSX.utils.decode_range(m));
    XLSX.utils.book_append_sheet(wb, ws, name);
  }
  return XLSX.write(wb, { type: 'buffer', bookType, compression: true }) as Buffer;
}

/** The header row most Karamay lists use. */
export const KARAMAY_HEADER = ['序号', '事项名称', '子项名称', '权力类型', '实施依据', '行使主体', '承办机构', '实施层级及权限', '', '部门职责', '责任事项内容', '责任事项依据', '追责对象范围', '追责情形', '备注'];

let crcTable: number[] | undefined;
function crc32(buf: Buffer): number {
  if (!crcTable) {
    crcTable = [];
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable.push(c >>> 0);
    }
  }
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A zip made by hand (deflate), so that tests can make it lie: `declaredSize` overrides the
 * uncompressed size written in the directory (crafted-zips.ts makes it lie more).
 */
export function zip(entries: Array<{ name: string; data: Buffer; declaredSize?: number }>): Buffer {
  return zipOf(entries);
}

/** An entry of a hand-made zip. */
export interface RawEntry {
  name: string;
  data: Buffer;
  /** Name in the local header when it should differ from the directory's. */
  localName?: string;
  /** Compressed bytes to store instead of deflate(data). */
  body?: Buffer;
  declaredSize?: number;
}

/** Local entries and directory of a zip whose first local header sits at `base`. */
export function pieces(entries: RawEntry[], base = 0): { locals: Buffer<ArrayBufferLike>; cd: Buffer<ArrayBufferLike>; count: number } {
  const locals: Buffer[] = [];
  const cds: Buffer[] = [];
  let offset = base;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const localName = Buffer.from(e.localName ?? e.name, 'utf8');
    const body = e.body ?? deflateRawSync(e.data);
    const size = e.declaredSize ?? e.data.length;
    const crc = crc32(e.data);
    // local header and directory entry: [offset, value, bytes] little-endian
    const local = fields(30, [[0, 0x04034b50, 4], [4, 20, 2], [8, 8, 2], [14, crc, 4], [18, body.length, 4], [22, size, 4], [26, localName.length, 2]]);
    const cd = fields(46, [[0, 0x02014b50, 4], [4, 20, 2], [6, 20, 2], [10, 8, 2], [16, crc, 4], [20, body.length, 4], [24, size, 4], [28, name.length, 2], [42, offset, 4]]);
    locals.push(local, localName, body);
    cds.push(cd, name);
    offset += 30 + localName.length + body.length;
  }
  return { locals: Buffer.concat(locals), cd: Buffer.concat(cds), count: entries.length };
}

export function eocd(count: number, cdSize: number, cdOffset: number, comment: Uint8Array = new Uint8Array(0)): Buffer {
  return Buffer.concat([fields(22, [[0, 0x06054b50, 4], [8, count, 2], [10, count, 2], [12, cdSize, 4], [16, cdOffset, 4], [20, comment.length, 2]]), comment]);
}

function fields(size: number, values: Array<[number, number, 2 | 4]>): Buffer {
  const b = Buffer.alloc(size);
  for (const [at, v, n] of values) {
    if (n === 2) b.writeUInt16LE(v, at);
    else b.writeUInt32LE(v >>> 0, at);
  }
  return b;
}

export function zipOf(entries: RawEntry[]): Buffer {
  const z = pieces(entries);
  return Buffer.concat([z.locals, z.cd, eocd(z.count, z.cd.length, z.locals.length)]);
}

