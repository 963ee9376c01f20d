/*
 * Build the demo data set (libs/demo/src/demo-data.json) from the real data in the shared data dir.
 *
 * Regenerate (from the repo root):
 *   node -r ./bin/ts-register.js scripts/build-demo-data.ts
 *
 * Arguments: [dataDir] [outFile]
 *   dataDir  the shared data dir, default ../shared/data relative to the repo root
 *   outFile  default libs/demo/src/demo-data.json relative to the repo root
 * Options:
 *   --dump-all <file>  also write every parsed item of all 14 lists (for checking the parser)
 *
 * Inputs (see libs/demo/SOURCE.md):
 *   <dataDir>/karamay-qzqd/xls/*.xls(x)            real 权责清单 of Karamay city departments
 *   <dataDir>/modood-admin-divisions/{provinces,cities,areas,streets}.csv   NBS division codes
 *
 * Deterministic: same inputs give byte-identical output (no dates, no randomness, stable sort orders).
 */
import * as XLSX from '@e965/xlsx';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
// The eleven types of the domain.
import { ITEM_TYPES, ItemType } from '../libs/domain/src/shared/types';

// ---------------------------------------------------------------------------------------------
// Output shape
// ---------------------------------------------------------------------------------------------

type RegionLevel = 'province' | 'city' | 'county' | 'township';

interface DemoRegion {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode?: string;
}

interface DemoDepartment {
  id: string;
  name: string;
  regionCode: string;
  sourceFile: string;
}

interface DemoItem {
  code: string;
  name: string;
  type: ItemType;
  basis: string[];
  levels: RegionLevel[];
  departmentId: string;
  sourceFile: string;
  sheet: string;
  row: number;
}

interface DemoData {
  generatedFrom: string[];
  regions: DemoRegion[];
  departments: DemoDepartment[];
  items: DemoItem[];
}



const LEVEL_ORDER: RegionLevel[] = ['province', 'city', 'county', 'township'];

// ---------------------------------------------------------------------------------------------
// Configuration: which departments go into the demo (deterministic, by file)
// ---------------------------------------------------------------------------------------------

const QZQD_DIR = 'karamay-qzqd/xls';
const DIVISIONS_DIR = 'modood-admin-divisions';
const CITY_CODE = '650200';

interface DepartmentSpec {
  /** stable short ASCII id: KLMY + pinyin initials of the department */
  id: string;
  /** file name in karamay-qzqd/xls */
  file: string;
  /** department name from the file name, used when the list has no 行使主体/实施主体 column */
  fileDepartment: string;
}

/**
 * The demo departments. Chosen because their 行使主体 column names a body (商务局's list only says
 * "地州市商务主管部门", so it is left out), and together they cover most item types plus real
 * cross-department overlaps: 医保局 vs 人社局 (social-insurance fraud, supervision), 住建局 vs 应急局
 * (安全生产许可证), 农业农村局 vs 生态环境局 (soil pollution).
 */
const DEPARTMENTS: DepartmentSpec[] = [
  { id: 'KLMY-TJJ', file: '2025年克拉玛依市统计局权责清单.xlsx', fileDepartment: '克拉玛依市统计局' },
  { id: 'KLMY-YBJ', file: '克拉玛依市医疗保障局2024年权责清单.xls', fileDepartment: '克拉玛依市医疗保障局' },
  { id: 'KLMY-DAJ', file: '克拉玛依市档案局2024年权责清单.xlsx', fileDepartment: '克拉玛依市档案局' },
  {
    id: 'KLMY-JGSWGLJ',
    file: '克拉玛依市机关事务管理局2024年权责清单.xls',
    fileDepartment: '克拉玛依市机关事务管理局',
  },
  {
    id: 'KLMY-SWXCB',
    file: '克拉玛依市委宣传部（新闻出版局）2024年权责清单 (1).xlsx',
    fileDepartment: '克拉玛依市委宣传部（新闻出版局）',
  },
  {
    id: 'KLMY-RSJ',
    file: '克拉玛依市人力资源和社会保障局2024年权责清单.xls',
    fileDepartment: '克拉玛依市人力资源和社会保障局',
  },
  { id: 'KLMY-YJGLJ', file: '克拉玛依市应急管理局2024年权责清单.xls', fileDepartment: '克拉玛依市应急管理局' },
  { id: 'KLMY-STHJJ', file: '克拉玛依市生态环境局2024年权责清单.xls', fileDepartment: '克拉玛依市生态环境局' },
  {
    id: 'KLMY-ZJJ',
    file: '克拉玛依市住房和城乡建设局2024年权责清单.xls',
    fileDepartment: '克拉玛依市住房和城乡建设局',
  },
  { id: 'KLMY-NYNCJ', file: '2024年市农业农村局权责清单.xls', fileDepartment: '克拉玛依市农业农村局' },
  {
    id: 'KLMY-WTGLJ',
    file: '克拉玛依市文化体育广播电视和旅游局2024年权责清单.xlsx',
    fileDepartment: '克拉玛依市文化体育广播电视和旅游局',
  },
];

/** Items per department: quota per type, taken in list order, then topped up to PER_DEPT_TARGET. */
const TYPE_QUOTA: Array<[ItemType, number]> = [
  ['行政处罚', 3],
  ['行政许可', 2],
  ['行政检查', 2],
  ['行政强制', 1],
  ['行政确认', 1],
  ['行政奖励', 1],
  ['行政征收', 1],
  ['行政给付', 1],
  ['行政裁决', 1],
  ['其他行政权力', 1],
  ['公共服务', 1],
];
const PER_DEPT_TARGET = 10;
const PER_DEPT_MAX = 15;
const MULTI_LEVEL_PER_DEPT = 2;
const SIMILARITY_THRESHOLD = 0.5;
const MAX_SIMILAR_PAIRS = 6;
const MAX_PAIRS_PER_DEPT_PAIR = 2;
const BASIS_MAX_ENTRIES = 6;
const BASIS_MAX_CHARS = 500;

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

/** Remove every whitespace character (names in narrow columns are wrapped mid-word). */
function squash(s: string): string {
  return s.replace(/[\s\u00a0\u3000]+/g, '');
}

/** Collapse runs of spaces; drop spaces next to full-width punctuation (layout artefacts). */
function collapseSpaces(s: string): string {
  return s
    .replace(/[ \t\u00a0\u3000]+/g, ' ')
    .replace(/ ?([，。、；：！？（）《》【】〈〉“”‘’])(?: )?/g, '$1')
    .trim();
}

function sha1Hex(s: string): string {
  return createHash('sha1').update(s, 'utf8').digest('hex');
}

function findRepoRoot(start: string): string {
  let dir = path.resolve(start);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        const json = JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string };
        if (json.name === 'quanze') return dir;
      } catch {
        /* keep walking */
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(start);
    dir = parent;
  }
}

/** Minimal CSV reader (quoted fields, "" escapes); the division CSVs are simple. */
function readCsv(file: string): Array<Record<string, string>> {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
    } else field += ch;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h.trim(), (r[i] ?? '').trim()])));
}

// ---------------------------------------------------------------------------------------------
// Regions
// ---------------------------------------------------------------------------------------------

function buildRegions(divDir: string): DemoRegion[] {
  const provinces = readCsv(path.join(divDir, 'provinces.csv'));
  const cities = readCsv(path.join(divDir, 'cities.csv'));
  const areas = readCsv(path.join(divDir, 'areas.csv'));
  const streets = readCsv(path.join(divDir, 'streets.csv'));

  const cityCode4 = CITY_CODE.slice(0, 4);
  const provCode2 = CITY_CODE.slice(0, 2);
  const prov = provinces.find((p) => p.code === provCode2);
  const city = cities.find((c) => c.code === cityCode4);
  if (!prov || !city) throw new Error(`province ${provCode2} or city ${cityCode4} not found in ${divDir}`);

  const regions: DemoRegion[] = [
    { code: `${prov.code}0000`, name: prov.name, level: 'province' },
    { code: `${city.code}00`, name: city.name, level: 'city', parentCode: `${prov.code}0000` },
  ];
  const counties = areas.filter((a) => a.cityCode === cityCode4).sort((a, b) => a.code.localeCompare(b.code));
  for (const a of counties) {
    if (!/^\d{6}$/.test(a.code)) throw new Error(`bad county code ${a.code}`);
    regions.push({ code: a.code, name: a.name, level: 'county', parentCode: `${city.code}00` });
  }
  const countyCodes = new Set(counties.map((c) => c.code));
  const towns = streets.filter((s) => countyCodes.has(s.areaCode)).sort((a, b) => a.code.localeCompare(b.code));
  for (const s of towns) {
    if (!/^\d{9}$/.test(s.code)) throw new Error(`bad township code ${s.code}`);
    regions.push({ code: s.code, name: s.name, level: 'township', parentCode: s.areaCode });
  }
  return regions;
}

// ---------------------------------------------------------------------------------------------
// Spreadsheet parsing
// ---------------------------------------------------------------------------------------------

interface Cell {
  v: string;
  /** true when the value was copied into this cell from a merged range's top-left cell */
  filled: boolean;
}

/** The sheet as a dense grid, with merged ranges filled in. Columns are capped at maxCols. */
function sheetGrid(ws: XLSX.WorkSheet, maxCols = 40): { grid: Cell[][]; hiddenUnderMerge: number } {
  let hiddenUnderMerge = 0;
  const ref = ws['!ref'];
  if (!ref) return { grid: [], hiddenUnderMerge };
  const range = XLSX.utils.decode_range(ref);
  const nCols = Math.min(range.e.c + 1, maxCols);
  const grid: Cell[][] = [];
  for (let r = 0; r <= range.e.r; r++) {
    const row: Cell[] = [];
    for (let c = 0; c < nCols; c++) {
      const cell = ws[XLSX.utils.encode_cell({ r, c })] as XLSX.CellObject | undefined;
      let v = '';
      if (cell && cell.v !== undefined && cell.v !== null) v = cell.t === 'n' && cell.w ? cell.w : String(cell.v);
      row.push({ v, filled: false });
    }
    grid.push(row);
  }
  for (const m of ws['!merges'] ?? []) {
    if (m.s.r > range.e.r || m.s.c >= nCols) continue;
    const origin = grid[m.s.r][m.s.c].v;
    for (let r = m.s.r; r <= Math.min(m.e.r, range.e.r); r++) {
      for (let c = m.s.c; c <= Math.min(m.e.c, nCols - 1); c++) {
        if (r === m.s.r && c === m.s.c) continue;
        // some workbooks keep their own values in cells hidden under a merge (文旅局: the county-level
        // row under a merged item); keep such a value rather than hide it behind the merge
        if (grid[r][c].v.trim() !== '') {
          hiddenUnderMerge++;
          continue;
        }
        grid[r][c] = { v: origin, filled: true };
      }
    }
  }
  return { grid, hiddenUnderMerge };
}

interface Columns {
  seq?: number;
  name: number;
  sub?: number;
  type?: number;
  basis?: number;
  subject?: number;
  level?: number;
  code?: number;
}

function mapColumns(header: Cell[]): Columns | undefined {
  const names = header.map((c) => squash(c.v));
  const first = (pred: (h: string) => boolean): number | undefined => {
    const i = names.findIndex(pred);
    return i >= 0 ? i : undefined;
  };
  const name = first((h) => h === '事项名称' || h === '权力事项名称' || h === '职权名称');
  if (name === undefined) return undefined;
  return {
    name,
    seq: first((h) => h === '序号'),
    sub: first((h) => h.startsWith('子项')),
    type: first((h) => h === '权力类型' || h === '事项类型' || h === '职权类型' || h === '权责类型' || h === '类型'),
    basis:
      first((h) => h === '实施依据') ??
      first((h) => h === '设定依据') ??
      first((h) => h.includes('依据') && !h.includes('责任') && !h.includes('追责')),
    subject: first((h) => h === '行使主体' || h === '实施主体') ?? first((h) => h.includes('主体')),
    level: first((h) => h.startsWith('实施层级') || h.startsWith('行使层级')) ?? first((h) => h.includes('层级')),
    code: first((h) => /(职权|事项|权力|权责)?(编码|代码)$/.test(h) && !h.includes('信用')),
  };
}

function normaliseType(raw: string): ItemType | undefined {
  const t = squash(raw).replace(/类$/, '');
  if ((ITEM_TYPES as readonly string[]).includes(t)) return t as ItemType;
  if (/^其他/.test(t)) return '其他行政权力';
  if (t === '公共服务事项') return '公共服务';
  for (const it of ITEM_TYPES) {
    const short = it.replace(/^行政/, '');
    if (t === short || t === `行政${short}`) return it;
  }
  return undefined;
}

/** The type named by a per-type sheet, e.g. "行政处罚（254项）" → 行政处罚. */
function typeFromSheetName(sheet: string): ItemType | undefined {
  const s = squash(sheet).replace(/[（(].*$/, '');
  return normaliseType(s);
}

function parseLevels(raw: string): RegionLevel[] {
  const t = squash(raw);
  const out = new Set<RegionLevel>();
  if (/自治区级|自治区本级|省级|区本级/.test(t)) out.add('province');
  if (/地州市|地（州、市）|地\(州、市\)|州市级|市级|市本级|地级/.test(t)) out.add('city');
  if (/县市区|县（市、区）|县\(市、区\)|县级|区县|县区/.test(t)) out.add('county');
  if (/乡镇|乡（镇|乡\(镇|街道|乡级/.test(t)) out.add('township');
  return LEVEL_ORDER.filter((l) => out.has(l));
}

/**
 * Split an 实施依据 cell into separate legal references. A reference starts at a line (or at a
 * sentence after "；"/"。") that begins with a law marker: 【法律】-style tag or 《…》 (optionally after
 * a list number). Lines that do not start a reference (article text, wrapped lines) are appended to
 * the current reference. Each reference is whitespace-collapsed and capped.
 */
function splitBasis(raw: string): string[] {
  const startsRef = (s: string): boolean => {
    const t = s.replace(/^[\s\u3000]*((\d+|[一二三四五六七八九十]+)[.．、]|[（(]\d+[）)])?[\s\u3000]*/, '');
    // 【法律】《…》, 《…》, or 实施《…》若干规定 (a regulation whose title starts outside the brackets)
    return /^(【|\[|《|实施《)/.test(t);
  };
  const units: string[] = [];
  for (const line of raw.replace(/\r\n?/g, '\n').split('\n')) {
    if (!line.trim()) continue;
    // split the line into sentences, keeping the delimiter with the preceding sentence
    const sentences = line.match(/[^；。;]*[；。;]?/g)?.filter((s) => s !== '') ?? [line];
    let cur = '';
    for (const s of sentences) {
      if (cur && startsRef(s)) {
        units.push(cur);
        units.push('\u0000'); // marker: the next unit was split out of the same line
        cur = s;
      } else cur += s;
    }
    units.push(cur);
  }
  const refs: string[] = [];
  let current = '';
  let forceNew = false;
  for (const u of units) {
    if (u === '\u0000') {
      forceNew = true;
      continue;
    }
    const piece = collapseSpaces(u);
    if (!piece) continue;
    if (!current) current = piece;
    else if (forceNew || startsRef(piece)) {
      refs.push(current);
      current = piece;
    } else current += piece;
    forceNew = false;
  }
  if (current) refs.push(current);
  return refs
    .map((r) => r.trim())
    .filter((r) => r !== '' && !/^[；。;,，、\s]*$/.test(r))
    .map((r) => (r.length > BASIS_MAX_CHARS ? r.slice(0, BASIS_MAX_CHARS - 1) + '…' : r))
    .slice(0, BASIS_MAX_ENTRIES);
}

interface ParsedItem {
  file: string;
  sheet: string;
  /** 1-based spreadsheet row of the item's first row */
  row: number;
  seq: string;
  mainName: string;
  subName: string;
  name: string;
  type: ItemType | undefined;
  typeRaw: string;
  typeSource: 'column' | 'sheet' | 'previous' | 'none';
  basisRaw: string;
  subject: string;
  levelTexts: string[];
  levels: RegionLevel[];
  listCode: string;
  rows: number[];
}

interface SheetReport {
  file: string;
  sheet: string;
  headerRow: number | undefined;
  columns: Record<string, string>;
  items: number;
  continuationRows: number;
  skippedRows: number;
  /** cells covered by a merge that still hold their own value */
  hiddenUnderMerge: number;
}

function stripSubNumber(sub: string): string {
  return sub.replace(/^((\d+|[一二三四五六七八九十]+)[.．、]|[（(]\d+[）)])/, '');
}

function parseWorkbook(filePath: string, fileLabel: string, reports: SheetReport[]): ParsedItem[] {
  const wb = XLSX.read(fs.readFileSync(filePath), { cellDates: false });
  const items: ParsedItem[] = [];
  for (const sheet of wb.SheetNames) {
    const { grid, hiddenUnderMerge } = sheetGrid(wb.Sheets[sheet]);
    const report: SheetReport = {
      hiddenUnderMerge,
      file: fileLabel,
      sheet,
      headerRow: undefined,
      columns: {},
      items: 0,
      continuationRows: 0,
      skippedRows: 0,
    };
    reports.push(report);
    // header: first row (in the first 15) with a 事项名称 cell
    let headerIdx = -1;
    let cols: Columns | undefined;
    for (let r = 0; r < Math.min(grid.length, 15); r++) {
      cols = mapColumns(grid[r]);
      if (cols) {
        headerIdx = r;
        break;
      }
    }
    if (!cols || headerIdx < 0) continue;
    report.headerRow = headerIdx + 1;
    for (const [k, v] of Object.entries(cols)) {
      if (v !== undefined) report.columns[k] = `${XLSX.utils.encode_col(v)}:${squash(grid[headerIdx][v].v)}`;
    }
    const sheetType = typeFromSheetName(sheet);
    const get = (row: Cell[], c: number | undefined): Cell => (c === undefined ? { v: '', filled: false } : row[c] ?? { v: '', filled: false });

    let prev: ParsedItem | undefined;
    for (let r = headerIdx + 1; r < grid.length; r++) {
      const row = grid[r];
      const nonEmpty = row.filter((c) => c.v.trim() !== '');
      if (nonEmpty.length === 0) {
        report.skippedRows++;
        continue;
      }
      const seq = get(row, cols.seq);
      const nameC = get(row, cols.name);
      const subC = get(row, cols.sub);
      const typeC = get(row, cols.type);
      const basisC = get(row, cols.basis);
      const subjC = get(row, cols.subject);
      const levelC = get(row, cols.level);
      const codeC = get(row, cols.code);
      const name = squash(nameC.v);
      const sub = stripSubNumber(squash(subC.v));

      // repeated header row
      if (name === '事项名称' || squash(seq.v) === '序号') {
        report.skippedRows++;
        continue;
      }
      // title/section row: one value spread over the row by a merge
      const distinct = new Set(nonEmpty.map((c) => squash(c.v)));
      if (distinct.size === 1 && nonEmpty.length > 1 && nonEmpty.slice(1).every((c) => c.filled)) {
        report.skippedRows++;
        continue;
      }
      // section rows with text only in the first column (e.g. "一、行政许可", notes)
      if (!name && !sub && !squash(typeC.v) && !squash(basisC.v) && !squash(subjC.v) && !squash(levelC.v)) {
        report.skippedRows++;
        continue;
      }

      const seqV = squash(seq.v);
      const sameName = !name || nameC.filled || (prev !== undefined && name === prev.mainName);
      const sameSub = !sub || subC.filled || (prev !== undefined && sub === prev.subName);
      const sameSeq = !seqV || seq.filled || (prev !== undefined && seqV === prev.seq);
      const typeHere = normaliseType(typeC.v);
      const sameType = !typeHere || typeC.filled || (prev !== undefined && typeHere === prev.type);
      if (prev && sameName && sameSub && sameSeq && sameType) {
        // continuation row: another level of the item above (or the rest of a merged block)
        report.continuationRows++;
        prev.rows.push(r + 1);
        if (levelC.v.trim() && !levelC.filled) prev.levelTexts.push(levelC.v);
        if (!prev.basisRaw.trim() && basisC.v.trim()) prev.basisRaw = basisC.v;
        if (!prev.subject && squash(subjC.v)) prev.subject = squash(subjC.v);
        if (!prev.listCode && squash(codeC.v)) prev.listCode = squash(codeC.v);
        continue;
      }
      const mainName = name || (prev ? prev.mainName : '');
      if (!mainName) {
        report.skippedRows++;
        continue;
      }
      let type = typeHere;
      let typeSource: ParsedItem['typeSource'] = 'column';
      if (!type && sheetType) {
        type = sheetType;
        typeSource = 'sheet';
      } else if (!type && prev && prev.mainName === mainName) {
        type = prev.type;
        typeSource = 'previous';
      } else if (!type) typeSource = 'none';
      const item: ParsedItem = {
        file: fileLabel,
        sheet,
        row: r + 1,
        seq: seqV,
        mainName,
        subName: sub,
        name: sub ? `${mainName}（${sub}）` : mainName,
        type,
        typeRaw: typeC.v,
        typeSource,
        basisRaw: basisC.v || (!name && prev && prev.mainName === mainName ? prev.basisRaw : ''),
        subject: squash(subjC.v),
        levelTexts: levelC.v.trim() ? [levelC.v] : [],
        levels: [],
        listCode: squash(codeC.v),
        rows: [r + 1],
      };
      items.push(item);
      report.items++;
      prev = item;
    }
  }
  for (const it of items) {
    const lv = new Set<RegionLevel>();
    for (const t of it.levelTexts) for (const l of parseLevels(t)) lv.add(l);
    it.levels = lv.size ? LEVEL_ORDER.filter((l) => lv.has(l)) : ['city'];
  }
  return items;
}

// ---------------------------------------------------------------------------------------------
// Similarity (character bigrams, Jaccard)
// ---------------------------------------------------------------------------------------------

function bigrams(s: string): Set<string> {
  const t = s.replace(/[\s（）()《》〈〉<>“”"、，,。；;：:]/g, '');
  const out = new Set<string>();
  for (let i = 0; i + 1 < t.length; i++) out.add(t.slice(i, i + 2));
  return out;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

function departmentName(spec: DepartmentSpec, items: ParsedItem[]): string {
  // the implementing body as the list writes it: the most frequent 行使主体 of the city-level rows
  const counts = new Map<string, number>();
  for (const it of items) {
    if (!it.subject) continue;
    counts.set(it.subject, (counts.get(it.subject) ?? 0) + 1);
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  let name = best ? best[0] : spec.fileDepartment;
  // lists abbreviate the city as "市…" (市统计局) or keep the regional catalogue's placeholder
  // "地州市…" (地州市农业农村局): spell out the city so the name is unique nationally
  if (name.startsWith('地州市')) name = `克拉玛依市${name.slice(3)}`;
  else if (name.startsWith('市')) name = `克拉玛依${name}`;
  return name;
}

function main(): void {
  const args = process.argv.slice(2);
  let dumpAll: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--dump-all') dumpAll = args[++i];
    else positional.push(args[i]);
  }
  const root = findRepoRoot(process.cwd());
  const dataDir = path.resolve(root, positional[0] ?? '../shared/data');
  const outFile = path.resolve(root, positional[1] ?? 'libs/demo/src/demo-data.json');

  const qzqdDir = path.join(dataDir, QZQD_DIR);
  const divDir = path.join(dataDir, DIVISIONS_DIR);

  const regions = buildRegions(divDir);

  // parse every list (all 14, so the similarity search and the dump see the whole data set)
  const reports: SheetReport[] = [];
  const allFiles = fs
    .readdirSync(qzqdDir)
    .filter((f) => /\.xlsx?$/i.test(f))
    .sort();
  const parsed = new Map<string, ParsedItem[]>();
  for (const f of allFiles) parsed.set(f, parseWorkbook(path.join(qzqdDir, f), `${QZQD_DIR}/${f}`, reports));

  if (dumpAll) {
    const dump = {
      sheets: reports,
      items: [...parsed.values()].flat().map((it) => ({
        file: it.file,
        sheet: it.sheet,
        row: it.row,
        rows: it.rows,
        seq: it.seq,
        name: it.name,
        type: it.type ?? null,
        typeSource: it.typeSource,
        subject: it.subject,
        levels: it.levels,
        basis: splitBasis(it.basisRaw),
      })),
    };
    fs.writeFileSync(dumpAll, JSON.stringify(dump, null, 2) + '\n');
  }

  // candidates per chosen department: typed, named, with a legal basis, not a duplicate name
  const candidates = new Map<string, ParsedItem[]>();
  const departments: DemoDepartment[] = [];
  for (const spec of DEPARTMENTS) {
    const items = parsed.get(spec.file);
    if (!items) throw new Error(`missing list ${spec.file} in ${qzqdDir}`);
    departments.push({
      id: spec.id,
      name: departmentName(spec, items),
      regionCode: CITY_CODE,
      sourceFile: `${QZQD_DIR}/${spec.file}`,
    });
    const seen = new Set<string>();
    const ok = items.filter((it) => {
      if (!it.type || !it.name || splitBasis(it.basisRaw).length === 0) return false;
      const key = `${it.type}|${it.name}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    candidates.set(spec.id, ok);
  }

  // similar pairs across departments (same matter worded differently)
  interface Pair {
    a: ParsedItem;
    aDept: string;
    b: ParsedItem;
    bDept: string;
    j: number;
  }
  const pairs: Pair[] = [];
  const specIds = DEPARTMENTS.map((d) => d.id);
  const grams = new Map<ParsedItem, Set<string>>();
  for (const list of candidates.values()) for (const it of list) grams.set(it, bigrams(it.name));
  for (let x = 0; x < specIds.length; x++) {
    for (let y = x + 1; y < specIds.length; y++) {
      for (const a of candidates.get(specIds[x]) ?? []) {
        for (const b of candidates.get(specIds[y]) ?? []) {
          if (a.name === b.name) continue; // identical wording is not "worded differently"
          const j = jaccard(grams.get(a)!, grams.get(b)!);
          if (j >= SIMILARITY_THRESHOLD) pairs.push({ a, aDept: specIds[x], b, bDept: specIds[y], j });
        }
      }
    }
  }
  pairs.sort(
    (p, q) =>
      q.j - p.j ||
      p.aDept.localeCompare(q.aDept) ||
      p.a.row - q.a.row ||
      p.bDept.localeCompare(q.bDept) ||
      p.b.row - q.b.row,
  );
  const chosenPairs: Pair[] = [];
  const perDeptPair = new Map<string, number>();
  const usedInPairs = new Set<ParsedItem>();
  for (const p of pairs) {
    if (chosenPairs.length >= MAX_SIMILAR_PAIRS) break;
    const key = `${p.aDept}|${p.bDept}`;
    if ((perDeptPair.get(key) ?? 0) >= MAX_PAIRS_PER_DEPT_PAIR) continue;
    if (usedInPairs.has(p.a) || usedInPairs.has(p.b)) continue;
    chosenPairs.push(p);
    perDeptPair.set(key, (perDeptPair.get(key) ?? 0) + 1);
    usedInPairs.add(p.a);
    usedInPairs.add(p.b);
  }

  // per department: pair items, multi-level items, then type quotas in list order, then top up in list order
  const selected = new Map<string, ParsedItem[]>();
  for (const id of specIds) {
    const list = candidates.get(id) ?? [];
    const pick = new Set<ParsedItem>(list.filter((it) => usedInPairs.has(it)));
    // a few items exercised at more than one level (for the multi-level views)
    for (const it of list.filter((x) => x.levels.length > 1).slice(0, MULTI_LEVEL_PER_DEPT)) pick.add(it);
    for (const [type, quota] of TYPE_QUOTA) {
      let n = [...pick].filter((it) => it.type === type).length;
      for (const it of list) {
        if (n >= quota || pick.size >= PER_DEPT_TARGET) break;
        if (it.type === type && !pick.has(it)) {
          pick.add(it);
          n++;
        }
      }
    }
    for (const it of list) {
      if (pick.size >= PER_DEPT_TARGET) break;
      pick.add(it);
    }
    const ordered = list.filter((it) => pick.has(it)).slice(0, PER_DEPT_MAX);
    selected.set(id, ordered);
  }

  // items with codes
  const usedCodes = new Set<string>();
  const uniqueCode = (code: string): string => {
    if (!usedCodes.has(code)) {
      usedCodes.add(code);
      return code;
    }
    for (let n = 2; ; n++) {
      const c = `${code}-${n}`;
      if (!usedCodes.has(c)) {
        usedCodes.add(c);
        return c;
      }
    }
  };
  const items: DemoItem[] = [];
  for (const id of specIds) {
    for (const it of selected.get(id) ?? []) {
      const type = it.type as ItemType;
      const code = it.listCode
        ? it.listCode
        : `L${CITY_CODE}-${sha1Hex(`${type}|${it.name}`).slice(0, 10).toUpperCase()}`;
      items.push({
        code: uniqueCode(code),
        name: it.name,
        type,
        basis: splitBasis(it.basisRaw),
        levels: it.levels,
        departmentId: id,
        sourceFile: it.file,
        sheet: it.sheet,
        row: it.row,
      });
    }
  }

  const usedFiles = DEPARTMENTS.map((d) => `${QZQD_DIR}/${d.file}`);
  const data: DemoData = {
    generatedFrom: [
      ...usedFiles,
      `${DIVISIONS_DIR}/provinces.csv`,
      `${DIVISIONS_DIR}/cities.csv`,
      `${DIVISIONS_DIR}/areas.csv`,
      `${DIVISIONS_DIR}/streets.csv`,
    ],
    regions,
    departments,
    items,
  };
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  const json = JSON.stringify(data, null, 2) + '\n';
  fs.writeFileSync(outFile, json);

  // summary on stderr
  const log = (s: string): void => void process.stderr.write(s + '\n');
  log(`wrote ${path.relative(root, outFile)} (${Buffer.byteLength(json)} bytes)`);
  log(`regions: ${regions.length} (${LEVEL_ORDER.map((l) => `${l} ${regions.filter((r) => r.level === l).length}`).join(', ')})`);
  log(`departments: ${departments.length}`);
  for (const d of departments) {
    const its = items.filter((i) => i.departmentId === d.id);
    const byType = [...new Set(its.map((i) => i.type))].map((t) => `${t} ${its.filter((i) => i.type === t).length}`);
    log(`  ${d.id} ${d.name}: ${its.length} items (${byType.join(', ')})`);
  }
  log(`items: ${items.length}`);
  log(`similar pairs (bigram Jaccard >= ${SIMILARITY_THRESHOLD}): ${pairs.length} found, ${chosenPairs.length} kept`);
  for (const p of chosenPairs) log(`  ${p.j.toFixed(2)} ${p.aDept} ${p.a.name} <> ${p.bDept} ${p.b.name}`);
  log('sheets parsed:');
  for (const r of reports) {
    log(
      `  ${r.file.replace(`${QZQD_DIR}/`, '')} [${r.sheet}] header row ${r.headerRow ?? '-'}; items ${r.items}, continuation rows ${r.continuationRows}, values hidden under merges ${r.hiddenUnderMerge}`,
    );
  }
}

main();
