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
 * uncompressed size written in the directory.
 */
export function zip(entries: Array<{ name: string; data: Buffer; declaredSize?: number }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const body = deflateRawSync(e.data);
    const crc = crc32(e.data);
    const size = e.declaredSize ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}
