/**
 * Crafted workbooks (#22 item 3): zips whose directory and local headers disagree, bombs, hidden cells.
 * Shared by the zip guard's unit tests and the torture harness's availability phase, which sends them to
 * POST /api/imports while /api/health is polled.
 */
import * as XLSX from '@e965/xlsx';
import { deflateRawSync } from 'node:zlib';
import { DEFAULT_LIMITS } from '../limits';
import { eocd, pieces, zipOf, workbook } from './workbooks';

export { RawEntry, eocd, pieces, zipOf } from './workbooks';

const HEADER = ['序号', '事项名称', '权力类型', '实施依据', '行使主体'];
/** A one-row list. */
export const book = (name: string) => workbook({ S: [HEADER, ['1', name, '行政处罚', '《统计法》', '市统计局']] });

/** The parts of a workbook SheetJS wrote: name → content. */
export function parts(xlsx: Buffer): Array<{ name: string; data: Buffer }> {
  const cfb = XLSX.CFB.read(xlsx, { type: 'buffer' });
  const out: Array<{ name: string; data: Buffer }> = [];
  cfb.FileIndex.forEach((entry: { type: number; content?: unknown }, i: number) => {
    if (entry.type !== 2 || !entry.content) return;
    out.push({ name: cfb.FullPaths[i].replace(/^[^/]*\//, ''), data: Buffer.from(entry.content as Uint8Array) });
  });
  return out;
}

/** B's rows behind an end record hidden in A's comment: zip tools show A, SheetJS alone reads B. */
export function hiddenDirectoryXlsx(visible = '甲：看得见的事项', hidden = '乙：隐藏的事项'): Buffer {
  const b = pieces(parts(book(hidden)));
  const aBase = b.locals.length + b.cd.length;
  const a = pieces(parts(book(visible)), aBase);
  const end = eocd(b.count, b.cd.length, b.locals.length);
  const aCdOffset = aBase + a.locals.length;
  return Buffer.concat([b.locals, b.cd, a.locals, a.cd, eocd(a.count, a.cd.length, aCdOffset, end)]);
}

/** The directory calls the sheet an image, its local header a sheet. */
export function mismatchedNamesXlsx(): Buffer {
  const ps = parts(book('甲'));
  return zipOf(ps.map((p) => (/worksheets\/sheet1\.xml$/.test(p.name) ? { ...p, name: 'xl/media/image1.png', localName: p.name } : p)));
}

/** A part inflating past the 100 MB cap (< 1 MB on disk); `declaredSize` to lie about it. */
export function zipBombXlsx(declaredSize?: number): Buffer {
  const ps = parts(book('甲'));
  const big = Buffer.alloc(DEFAULT_LIMITS.maxUncompressedBytes + 1024 * 1024, 0x20);
  return zipOf([...ps, { name: 'xl/media/pad.xml', data: big, body: deflateRawSync(big, { level: 1 }), ...(declaredSize !== undefined ? { declaredSize } : {}) }]);
}

/** 501,000 cells in a sheet part not named like a worksheet. */
export function hiddenCellsXlsx(): Buffer {
  const ps = parts(book('甲'));
  const cells = Array.from({ length: DEFAULT_LIMITS.maxCells + 1000 }, (_, i) => `<c r="A${i + 2}"><v>1</v></c>`).join('');
  return zipOf(
    ps.map((p) => {
      if (/worksheets\/sheet1\.xml$/.test(p.name)) return { name: 'xl/data/s.xml', data: Buffer.from(p.data.toString('utf8').replace('</sheetData>', `<row r="2">${cells}</row></sheetData>`)) };
      if (/workbook\.xml\.rels$/.test(p.name)) return { ...p, data: Buffer.from(p.data.toString('utf8').replace(/worksheets\/sheet1\.xml/, 'data/s.xml')) };
      if (/\[Content_Types\]\.xml$/.test(p.name)) return { ...p, data: Buffer.from(p.data.toString('utf8').replace('/xl/worksheets/sheet1.xml', '/xl/data/s.xml')) };
      return p;
    }),
  );
}
