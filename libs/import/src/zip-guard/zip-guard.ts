/**
 * The one zip reader of the importer. A .xlsx is a zip; SheetJS reads zips its own way (it looks for the
 * end-of-directory record from another offset, takes entry names from the local headers, and inflates
 * from the local header to the end of the deflate stream, whatever the directory says). Checking caps on
 * the directory while the parser reads something else let a crafted file show one set of rows to zip tools
 * and import another, or inflate past the caps.
 *
 * So here the zip is read once, strictly (one end-of-directory record, local headers that agree with the
 * directory, CRC and sizes checked while inflating under the byte budget, cells counted in every part),
 * and the parser is then given a canonical zip rebuilt from exactly the entries that passed: the same
 * names, the same compressed bytes, one directory, no comment. Whatever offset or name SheetJS prefers,
 * it can only find what was checked.
 */
import { crc32, inflateRawSync } from 'node:zlib';
import { ImportError, ImportLimits, mb } from '../limits';

/** SheetJS treats a buffer as a zip when it starts with `PK` and two bytes below 9 (not only `PK\3\4`). */
export const looksLikeZip = (b: Buffer) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] < 0x09 && b[3] < 0x09;

const EOCD = 0x06054b50;
const CEN = 0x02014b50;
const LOC = 0x04034b50;
const EOCD_SIG = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

interface CheckedEntry {
  name: Buffer;
  method: number;
  crc: number;
  csize: number;
  usize: number;
  /** The compressed bytes, exactly as they were checked. */
  body: Buffer;
}

function occurrences(buf: Buffer, needle: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(needle); i >= 0; i = buf.indexOf(needle, i + needle.length)) n++;
  return n;
}
const CELL_TAGS = ['<c ', '<c>', ':c ', ':c>'].map((s) => Buffer.from(s, 'latin1'));

/**
 * Cells a part can hold at most: `<c …>` elements of an XML part (with or without a namespace prefix);
 * for a binary part (.bin, as in .xlsb) its size / 10 (the smallest BIFF12 cell record is 10 bytes).
 * Every part is counted, not only the ones named like worksheets: the parser finds sheets through the
 * workbook's relationships, which may point anywhere.
 */
export function cellsIn(name: string, data: Buffer): number {
  if (/\.bin$/i.test(name)) return Math.floor(data.length / 10);
  let n = 0;
  for (const t of CELL_TAGS) n += occurrences(data, t);
  return n;
}

/**
 * Checks a .xlsx zip against the limits and returns the canonical zip the parser must read instead of
 * `buf`. Throws an ImportError (CORRUPT_FILE, ZIP_BOMB, TOO_MANY_CELLS) otherwise.
 */
export function guardZip(file: string, buf: Buffer, limits: ImportLimits): Buffer {
  const corrupt = (why: string) => new ImportError('CORRUPT_FILE', `${file}：无法读取，文件已损坏或不完整（${why}）`, file);
  const bomb = () => new ImportError('ZIP_BOMB', `${file}：解压后超过 ${mb(limits.maxUncompressedBytes)} 上限（疑似压缩炸弹），已拒绝`, file);
  if (buf.length < 22) throw corrupt('找不到 zip 目录，文件可能被截断');

  // The end-of-directory record: the one whose comment reaches exactly the end of the file.
  // Two candidates, or a record signature after the chosen one (SheetJS takes the last signature it
  // finds, whatever its comment length), mean a second directory that some reader would take.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === EOCD && i + 22 + buf.readUInt16LE(i + 20) === buf.length) {
      if (eocd >= 0) throw corrupt('zip 含有第二个目录');
      eocd = i;
    }
  }
  if (eocd < 0) throw corrupt('找不到 zip 目录，文件可能被截断');
  if (buf.indexOf(EOCD_SIG, eocd + 4) >= 0) throw corrupt('zip 含有第二个目录');
  const disk = buf.readUInt16LE(eocd + 4);
  const cdDisk = buf.readUInt16LE(eocd + 6);
  const countHere = buf.readUInt16LE(eocd + 8);
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) throw corrupt('不支持 ZIP64 格式');
  if (disk !== 0 || cdDisk !== 0 || countHere !== count) throw corrupt('不支持分卷 zip');
  if (count > limits.maxZipEntries) throw new ImportError('ZIP_BOMB', `${file}：压缩包内文件数 ${count} 超过上限 ${limits.maxZipEntries}（疑似恶意文件）`, file);
  if (cdOffset + cdSize > eocd) throw corrupt('zip 目录越界');

  let p = cdOffset;
  let budget = limits.maxUncompressedBytes;
  let cells = 0;
  const names = new Set<string>();
  const entries: CheckedEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (p + 46 > cdOffset + cdSize || buf.readUInt32LE(p) !== CEN) throw corrupt('zip 目录项损坏');
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const csize = buf.readUInt32LE(p + 20);
    const usize = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const nameBytes = buf.subarray(p + 46, p + 46 + nameLen);
    const name = nameBytes.toString('latin1');
    p += 46 + nameLen + extraLen + commentLen;
    if (p > cdOffset + cdSize) throw corrupt('zip 目录项损坏');
    if (flags & 0x2041) throw new ImportError('ENCRYPTED', `${file}：文件有密码保护，请另存为无密码的文件后再导入`, file);
    if (csize === 0xffffffff || usize === 0xffffffff) throw corrupt('不支持 ZIP64 格式');
    if (names.has(name)) throw corrupt(`zip 目录中「${name.slice(0, 100)}」出现两次`);
    names.add(name);
    if (usize > budget) throw bomb();

    if (local + 30 > buf.length || buf.readUInt32LE(local) !== LOC) throw corrupt('zip 文件头损坏');
    const localNameLen = buf.readUInt16LE(local + 26);
    const localExtraLen = buf.readUInt16LE(local + 28);
    if (!buf.subarray(local + 30, local + 30 + localNameLen).equals(nameBytes)) throw corrupt('zip 文件头与目录中的文件名不一致');
    if (buf.readUInt16LE(local + 8) !== method) throw corrupt('zip 文件头与目录中的压缩方式不一致');
    const start = local + 30 + localNameLen + localExtraLen;
    if (start + csize > cdOffset) throw corrupt('zip 数据被截断');
    const body = buf.subarray(start, start + csize);

    let out: Buffer;
    if (method === 0) {
      if (csize !== usize) throw corrupt('zip 数据大小不一致');
      out = body;
    } else if (method === 8) {
      try {
        // one byte more than declared: a stream longer than the directory says is caught, not cut
        out = inflateRawSync(body, { maxOutputLength: Math.max(1, Math.min(budget, usize + 1)) });
      } catch (e) {
        if (e instanceof RangeError || (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
          // more than the directory declares (or than the budget): a bomb or a lying directory
          throw bomb();
        }
        throw corrupt('压缩数据损坏');
      }
    } else {
      throw corrupt(`不支持的压缩方式 ${method}`);
    }
    if (out.length !== usize) throw corrupt('zip 数据大小与目录不符');
    if (crc32(out) !== crc) throw corrupt('zip 数据校验失败');
    budget -= out.length;
    if (budget < 0) throw bomb();
    cells += cellsIn(name, out);
    if (cells > limits.maxCells) {
      throw new ImportError('TOO_MANY_CELLS', `${file}：单元格数约 ${cells} 个，超过上限 ${limits.maxCells} 个（文件过大，请拆分后导入）`, file);
    }
    entries.push({ name: nameBytes, method, crc, csize, usize, body });
  }
  return writeCanonicalZip(entries);
}

/** One local header + data per entry, then one directory and one end record: nothing else. */
function writeCanonicalZip(entries: CheckedEntry[]): Buffer {
  let size = 22;
  for (const e of entries) size += 30 + e.name.length + e.csize + 46 + e.name.length;
  const out = Buffer.alloc(size);
  const offsets: number[] = [];
  let p = 0;
  for (const e of entries) {
    offsets.push(p);
    out.writeUInt32LE(LOC, p);
    out.writeUInt16LE(20, p + 4);
    out.writeUInt16LE(0, p + 6);
    out.writeUInt16LE(e.method, p + 8);
    out.writeUInt32LE(e.crc, p + 14);
    out.writeUInt32LE(e.csize, p + 18);
    out.writeUInt32LE(e.usize, p + 22);
    out.writeUInt16LE(e.name.length, p + 26);
    out.writeUInt16LE(0, p + 28);
    e.name.copy(out, p + 30);
    e.body.copy(out, p + 30 + e.name.length);
    p += 30 + e.name.length + e.csize;
  }
  const cdStart = p;
  entries.forEach((e, i) => {
    out.writeUInt32LE(CEN, p);
    out.writeUInt16LE(20, p + 4);
    out.writeUInt16LE(20, p + 6);
    out.writeUInt16LE(0, p + 8);
    out.writeUInt16LE(e.method, p + 10);
    out.writeUInt32LE(e.crc, p + 16);
    out.writeUInt32LE(e.csize, p + 20);
    out.writeUInt32LE(e.usize, p + 24);
    out.writeUInt16LE(e.name.length, p + 28);
    out.writeUInt32LE(offsets[i], p + 42);
    e.name.copy(out, p + 46);
    p += 46 + e.name.length;
  });
  out.writeUInt32LE(EOCD, p);
  out.writeUInt16LE(entries.length, p + 8);
  out.writeUInt16LE(entries.length, p + 10);
  out.writeUInt32LE(p - cdStart, p + 12);
  out.writeUInt32LE(cdStart, p + 16);
  return out;
}
