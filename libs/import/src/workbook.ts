/**
 * Reading a published list file (.xls, .xlsx, .csv — and the HTML tables some sites serve as .xls)
 * into plain grids of text, with merged cells undone. Every size is capped before or while parsing, so
 * a malformed, huge or hostile file ends in an ImportError, never a crash or a hang.
 */
import type * as XLSX from '@e965/xlsx';
import Module from 'node:module';
import { dirname, join } from 'node:path';
import { DEFAULT_LIMITS, ImportError, ImportLimits, mb } from './limits';
import { findUnsafeChar, UnsafeChar, unsafeCharMessage } from '../../domain/src';
import { cleanCell } from './text';

/**
 * SheetJS, loaded on first use: a command that reads no workbook does not pay for it (~0.2 s), nor does
 * the main thread of an import whose files are parsed in worker threads, nor the API's start (the exports
 * and the staffing sheet write through it too).
 */
let sheetjs: typeof XLSX | undefined;
export function loadSheetJs(): typeof XLSX {
  if (!sheetjs) {
    lazyCodepages();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    sheetjs = require('@e965/xlsx') as typeof XLSX;
  }
  return sheetjs;
}

/**
 * SheetJS's codepage tables (cpexcel: 30-odd codepages, every encode and decode table built when it is
 * loaded, ~0.15 s of CPU) replaced, before SheetJS loads them, by a stand-in that loads them on first
 * need. The one call a list file makes (.xls strings: UTF-16LE, codepage 1200, from a Buffer) is
 * answered as cpexcel answers it (`Buffer#toString('utf16le')`, the BOM kept); any other call loads the
 * real tables and is theirs. Nothing when SheetJS is already loaded (its tables are then in use).
 */
export function lazyCodepages(): void {
  const file = join(dirname(require.resolve('@e965/xlsx')), 'dist', 'cpexcel.js');
  if (require.cache[file]) return;
  let real: { utils: Record<string, (...a: unknown[]) => unknown> } | undefined;
  const stub = new Module(file);
  const full = () => {
    if (!real) {
      delete require.cache[file];
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        real = require(file) as { utils: Record<string, (...a: unknown[]) => unknown> };
      } finally {
        require.cache[file] = stub;
      }
    }
    return real;
  };
  stub.filename = file;
  stub.loaded = true;
  stub.exports = {
    utils: {
      decode: (cp: number, data: unknown, ...rest: unknown[]) => (cp === 1200 && Buffer.isBuffer(data) ? data.toString('utf16le') : full().utils.decode(cp, data, ...rest)),
      encode: (...a: unknown[]) => full().utils.encode(...a),
      hascp: (...a: unknown[]) => full().utils.hascp(...a),
    },
  };
  require.cache[file] = stub;
}

/** Whitespace and zero-width characters around a cell's text (kept out of the unsafe-character check). */
const EDGES = /^[\s\u200b-\u200d\u2060\ufeff]+|[\s\u200b-\u200d\u2060\ufeff]+$/g;
import { guardZip, looksLikeZip } from './zip-guard/zip-guard';

export type FileFormat = 'xlsx' | 'xls' | 'csv' | 'html';

export interface SheetGrid {
  name: string;
  /** Row r (0-based; Excel row r + 1), column c: the cell's text ('' when empty). */
  rows: string[][];
  /** Number of columns read. */
  nCols: number;
  /** Cells holding a character no registry text may hold (control, bidi override, zero-width, NUL): their row is rejected. */
  unsafe: Map<number, UnsafeChar>;
  /** Cells that got their value from the top-left cell of a merge covering them. */
  filled: Set<number>;
  /** Cells longer than the limit (cut in `rows`; a data row holding one is rejected). */
  tooLong: Set<number>;
  /** Cells covered by a merge that still hold a value of their own (kept: Excel only hides them). */
  hiddenUnderMerge: number;
}

export interface Workbook {
  file: string;
  format: FileFormat;
  /** For text files: the encoding detected. */
  encoding?: string;
  sheets: SheetGrid[];
}

/** Key of a cell in SheetGrid's sets. */
export const cellKey = (r: number, c: number) => r * 1024 + c;

/**
 * Why a cell of the grid is refused, if it holds an unsafe character (control, bidi override, zero-width,
 * NUL: `findUnsafeChar`, the rule of every command's texts) — the one check of every importer's cells
 * (lists, the 定编制 template). The text names the cell as Excel does.
 */
export function unsafeCellReason(grid: Pick<SheetGrid, 'unsafe'>, r: number, c: number): string | undefined {
  const u = grid.unsafe.get(cellKey(r, c));
  return u ? unsafeCharMessage(`第 ${r + 1} 行第 ${c + 1} 列`, u).replace(/ \/ .*$/, '') : undefined;
}

const EMPTY_ROW: string[] = Object.freeze([]) as unknown as string[];
const CFB = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const startsWith = (b: Buffer, sig: number[]) => b.length >= sig.length && sig.every((x, i) => b[i] === x);

/** Reads one file. `file` is the name used in messages and in the report. */
export function readWorkbook(file: string, data: Buffer, limits: ImportLimits = DEFAULT_LIMITS): Workbook {
  if (data.length === 0) throw new ImportError('EMPTY_FILE', `${file}：文件为空`, file);
  if (data.length > limits.maxFileBytes) {
    throw new ImportError('FILE_TOO_LARGE', `${file}：文件大小 ${mb(data.length)} 超过上限 ${mb(limits.maxFileBytes)}`, file);
  }
  const ext = (/\.([A-Za-z0-9]+)$/.exec(file)?.[1] ?? '').toLowerCase();
  let format: FileFormat;
  let encoding: string | undefined;
  let wb: XLSX.WorkBook;
  const common: XLSX.ParsingOptions = { dense: true, cellFormula: false, cellHTML: false, cellStyles: false, cellNF: false, sheetStubs: false, bookVBA: false, bookDeps: false, bookFiles: false };
  if (looksLikeZip(data)) {
    format = 'xlsx';
    // the parser reads only the canonical zip of the entries that passed the caps (zip-guard)
    const checked = guardZip(file, data, limits);
    wb = parse(file, () => loadSheetJs().read(checked, { ...common, type: 'buffer' }));
  } else if (startsWith(data, CFB)) {
    format = 'xls';
    checkCells(file, countXlsCells(data), limits);
    wb = parse(file, () => loadSheetJs().read(data, { ...common, type: 'buffer' }));
  } else {
    const decoded = decodeText(data);
    if (!decoded) {
      throw new ImportError('UNSUPPORTED_TYPE', `${file}：不支持的文件类型（应为 .xls、.xlsx 或 .csv；文件内容不是其中任何一种）`, file);
    }
    encoding = decoded.encoding;
    const text = decoded.text;
    if (/^\s*</.test(text) && /<table[\s>]/i.test(text.slice(0, 1_000_000))) {
      format = 'html';
      checkCells(file, (text.match(/<t[dh][\s>]/gi) ?? []).length, limits);
      wb = parse(file, () => loadSheetJs().read(text, { ...common, type: 'string' }));
    } else if (ext === 'xls' || ext === 'xlsx') {
      throw new ImportError('UNSUPPORTED_TYPE', `${file}：扩展名为 .${ext}，但文件内容不是 Excel 工作簿（可能已损坏，或是改了扩展名的其他文件）`, file);
    } else {
      format = 'csv';
      checkCells(file, csvCells(text), limits);
      // raw: keep codes like 000123018000 as text; no formula is ever evaluated
      wb = parse(file, () => loadSheetJs().read(text.replace(/^\ufeff/, ''), { ...common, type: 'string', raw: true }));
    }
  }
  if (wb.SheetNames.length > limits.maxSheets) {
    throw new ImportError('TOO_MANY_SHEETS', `${file}：工作表数 ${wb.SheetNames.length} 超过上限 ${limits.maxSheets}`, file);
  }
  const sheets = wb.SheetNames.map((name) => toGrid(file, name, wb.Sheets[name], limits));
  return { file, format, encoding, sheets };
}

function parse(file: string, fn: () => XLSX.WorkBook): XLSX.WorkBook {
  try {
    return fn();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/password|encrypt/i.test(msg)) throw new ImportError('ENCRYPTED', `${file}：文件有密码保护，请另存为无密码的文件后再导入`, file);
    throw new ImportError('CORRUPT_FILE', `${file}：无法读取，文件已损坏或不完整（${msg.slice(0, 200)}）`, file);
  }
}

/**
 * Text of a non-workbook file: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset
 * of GBK, common for Chinese CSVs). Undefined for binary content.
 */
export function decodeText(data: Buffer): { text: string; encoding: string } | undefined {
  if (data[0] === 0xff && data[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(data.subarray(2)), encoding: 'UTF-16LE' };
  if (data[0] === 0xfe && data[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(data.subarray(2)), encoding: 'UTF-16BE' };
  const head = data.subarray(0, 64 * 1024);
  let zeros = 0;
  for (const b of head) if (b === 0) zeros++;
  if (zeros > 0) return undefined;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(data);
    return { text, encoding: data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? 'UTF-8 (BOM)' : 'UTF-8' };
  } catch {
    const text = new TextDecoder('gb18030').decode(data);
    // too many replacement characters: neither UTF-8 nor GBK text
    const bad = (text.match(/\ufffd/g) ?? []).length;
    if (bad > Math.max(10, text.length / 100)) return undefined;
    return { text, encoding: 'GB18030/GBK' };
  }
}

function checkCells(file: string, cells: number | undefined, limits: ImportLimits): void {
  if (cells !== undefined && cells > limits.maxCells) {
    throw new ImportError('TOO_MANY_CELLS', `${file}：单元格数约 ${cells} 个，超过上限 ${limits.maxCells} 个（文件过大，请拆分后导入）`, file);
  }
}

/** An upper bound of a CSV's cells: every separator of a line with content starts one (empty lines hold none). */
function csvCells(text: string): number {
  let cells = 0;
  for (const line of text.split('\n')) if (/[^,;\t\r ]/.test(line)) cells += (line.match(/[,;\t]/g)?.length ?? 0) + 1;
  return cells;
}

/**
 * Cell records of a BIFF8/BIFF5 workbook stream (.xls), walked without parsing them; undefined when the
 * compound file cannot be read (SheetJS then says why).
 */
export function countXlsCells(data: Buffer): number | undefined {
  let stream: Buffer;
  try {
    const cfb = loadSheetJs().CFB.read(data, { type: 'buffer' });
    const entry = loadSheetJs().CFB.find(cfb, 'Workbook') ?? loadSheetJs().CFB.find(cfb, 'Book');
    if (!entry?.content) return undefined;
    stream = Buffer.from(entry.content as Uint8Array);
  } catch {
    return undefined;
  }
  let cells = 0;
  for (let p = 0; p + 4 <= stream.length; ) {
    const type = stream.readUInt16LE(p);
    const len = stream.readUInt16LE(p + 2);
    // NUMBER, RK, LABELSST, LABEL, FORMULA, BOOLERR, RSTRING; MULRK holds several
    if (type === 0x0203 || type === 0x027e || type === 0x00fd || type === 0x0204 || type === 0x0006 || type === 0x0205 || type === 0x00d6) cells++;
    else if (type === 0x00bd && len >= 6) cells += Math.floor((len - 6) / 6);
    p += 4 + len;
  }
  return cells;
}

function cellText(c: XLSX.CellObject | undefined): string {
  if (!c || c.v === undefined || c.v === null) return '';
  switch (c.t) {
    case 'n': {
      const v = c.v as number;
      if (typeof c.w === 'string' && c.w !== '' && !/e[+-]?\d/i.test(c.w) && !c.w.includes('#')) return c.w;
      return Number.isInteger(v) && Math.abs(v) < 1e21 ? BigInt(v).toString() : String(v);
    }
    case 'b':
      return c.v ? 'TRUE' : 'FALSE';
    case 'd':
      return c.v instanceof Date ? c.v.toISOString().slice(0, 10) : String(c.v);
    case 'e':
      return '';
    default:
      return String(c.v);
  }
}

function toGrid(file: string, name: string, ws: XLSX.WorkSheet | undefined, limits: ImportLimits): SheetGrid {
  const grid: SheetGrid = { name, rows: [], nCols: 0, filled: new Set(), tooLong: new Set(), unsafe: new Map(), hiddenUnderMerge: 0 };
  if (!ws) return grid;
  const data = ((ws as unknown as { '!data'?: XLSX.CellObject[][] })['!data'] ?? []) as Array<XLSX.CellObject[] | undefined>;
  let lastRow = -1;
  let nonEmpty = 0;
  const rows: string[][] = [];
  for (let r = 0; r < data.length; r++) {
    const src = data[r];
    if (!src || src.length === 0) {
      rows.push(EMPTY_ROW);
      continue;
    }
    let row: string[] | undefined;
    const n = Math.min(src.length, limits.maxColumns);
    for (let c = 0; c < src.length; c++) {
      const cell = src[c];
      if (!cell) continue;
      let text = cellText(cell);
      if (text === '') continue;
      const unsafe = findUnsafeChar(text.replace(EDGES, ''), true);
      text = cleanCell(text);
      if (text === '') continue;
      if (c >= n) {
        throw new ImportError('TOO_MANY_COLUMNS', `${file}：工作表「${name}」第 ${r + 1} 行在第 ${c + 1} 列有内容，超过 ${limits.maxColumns} 列上限`, file);
      }
      if (!row) row = new Array<string>(n).fill('');
      if (text.length > limits.maxCellChars) {
        grid.tooLong.add(cellKey(r, c));
        text = text.slice(0, limits.maxCellChars);
      }
      row[c] = text;
      if (unsafe) grid.unsafe.set(cellKey(r, c), unsafe);
      if (c + 1 > grid.nCols) grid.nCols = c + 1;
    }
    if (row) {
      lastRow = r;
      if (++nonEmpty > limits.maxRows) {
        throw new ImportError('TOO_MANY_ROWS', `${file}：工作表「${name}」非空行超过 ${limits.maxRows} 行上限`, file);
      }
      rows.push(row);
    } else rows.push(EMPTY_ROW);
  }
  rows.length = lastRow + 1;
  grid.rows = rows;
  undoMerges(file, grid, ws['!merges'] ?? []);
  return grid;
}

/**
 * Merged ranges filled from their top-left cell, within the sheet's data. A covered cell that still
 * holds a value of its own keeps it (some workbooks hide a whole level row under a merge).
 */
function undoMerges(file: string, grid: SheetGrid, merges: XLSX.Range[]): void {
  const lastRow = grid.rows.length - 1;
  let budget = 20_000_000;
  for (const m of merges) {
    if (m.s.r > lastRow || m.s.c >= grid.nCols) continue;
    const origin = grid.rows[m.s.r][m.s.c] ?? '';
    const er = Math.min(m.e.r, lastRow);
    const ec = Math.min(m.e.c, grid.nCols - 1);
    budget -= (er - m.s.r + 1) * (ec - m.s.c + 1);
    if (budget < 0) throw new ImportError('TOO_MANY_MERGES', `${file}：工作表「${grid.name}」合并单元格覆盖范围过大`, file);
    for (let r = m.s.r; r <= er; r++) {
      for (let c = m.s.c; c <= ec; c++) {
        if (r === m.s.r && c === m.s.c) continue;
        let row = grid.rows[r];
        const own = row[c] ?? '';
        if (own !== '') {
          grid.hiddenUnderMerge++;
          continue;
        }
        if (origin === '') continue;
        if (row === EMPTY_ROW || row.length < grid.nCols) {
          row = [...row, ...new Array<string>(grid.nCols - row.length).fill('')];
          grid.rows[r] = row;
        }
        row[c] = origin;
        grid.filled.add(cellKey(r, c));
        if (grid.tooLong.has(cellKey(m.s.r, m.s.c))) grid.tooLong.add(cellKey(r, c));
        const unsafe = grid.unsafe.get(cellKey(m.s.r, m.s.c));
        if (unsafe) grid.unsafe.set(cellKey(r, c), unsafe);
      }
    }
  }
}

/** The Excel column name of a 0-based column index (0 → A, 26 → AA). */
export const columnName = (c: number) => loadSheetJs().utils.encode_col(c);
