/**
 * The list a department could publish as it is: the rows of the region's list in force, in the layout they
 * were published in (`source`: its columns in order, every cell as published, merged cells merged again) or
 * in the standard layout (`standard`), with a title row; what only the registry knows (状态, 四级四同偏差 …)
 * on a second sheet. Importing such an export into the store it came from records nothing.
 */
import type * as XLSX from '@e965/xlsx';
import { loadSheetJs } from '../../import/src/workbook';
import { Holding, PublishedRow, PublishedWording, departmentNameOn, entryOn } from '../../domain/src';
import { EditionRecord, EditionsProjection, ListItem, RegionList, RegistryProjection, findEdition, regionList } from '../../projections/src';
import { REGISTRY_SHEET } from '../../import/src/registry-sheet';
import { toCsv } from './csv';

export type ExportLayout = 'source' | 'standard';

/** The standard layout's columns; 实施层级及权限 is two columns under one header (level, scope). */
export const STANDARD_COLUMNS = ['序号', '事项编码', '事项名称', '子项', '事项类型', '设定依据', '实施主体', '承办机构', '实施层级及权限', '实施层级及权限', '责任事项', '责任事项依据', '追责对象范围', '追责情形', '追责依据', '备注'] as const;
/** The published-row fields the standard columns show (the others get columns of their own after 备注). */
const STANDARD_FIELDS = new Set(['行使主体', '承办机构', '实施层级', '权限', '责任事项', '责任事项依据', '追责对象范围', '追责情形', '追责依据', '备注']);
export const REGISTRY_COLUMNS = ['部门', '事项编码', '事项名称', '事项类型', '状态', '承接自', '四级四同偏差', '最近变更日期', '来源'] as const;

const STATUS_ZH: Record<string, string> = { owned: '有牵头部门', conflict: '职责交叉', unowned: '无人负责', 'not-in-list': '不在清单' };

/** One item of the list with the holding whose published wording it is shown in. */
export interface ExportItem {
  item: ListItem;
  departmentId: string;
  departmentName: string;
  wording?: PublishedWording;
}

export interface PublishedListQuery {
  region: string;
  at: string;
  asKnownAt?: string;
  /** Only this department's list (the items it holds, lead or cooperating). */
  department?: string;
  /** The edition's name in the title ("2024年版"); default the date. */
  edition?: string;
}

export interface PublishedList {
  list: RegionList;
  /** The department when one was asked for. */
  department?: { id: string; name: string };
  items: ExportItem[];
  edition: string;
}

/** The items of the list in force, each with the holding whose published wording it is shown in. */
export function publishedList(view: RegistryProjection, q: PublishedListQuery): PublishedList {
  const list = regionList(view, { region: q.region, at: q.at, asKnownAt: q.asKnownAt });
  const items: ExportItem[] = [];
  let department: PublishedList['department'];
  for (const item of list.items) {
    const holdings = entryOn(view.assignmentFacts(q.region, item.code, q.asKnownAt), q.at).holdings;
    const pick = (h: Holding | undefined): ExportItem | undefined => {
      if (!h) return undefined;
      const owner = item.owners.find((o) => o.departmentId === h.departmentId);
      return { item, departmentId: h.departmentId, departmentName: owner?.departmentName ?? h.departmentId, wording: h.asPublished };
    };
    if (q.department) {
      const h = holdings.find((x) => x.departmentId === q.department);
      const x = pick(h);
      if (!x) continue;
      department = { id: x.departmentId, name: x.departmentName };
      // the department's wording, or the lead's when its own holding has none
      if (!x.wording?.row) x.wording = holdings.find((o) => o.asPublished?.row && o.departmentId !== q.department)?.asPublished ?? x.wording;
      items.push(x);
    } else {
      const x = pick(holdings.find((h) => h.role === 'lead') ?? holdings[0]);
      if (x) items.push(x);
      else items.push({ item, departmentId: '', departmentName: '' });
    }
  }
  if (q.department && !department) {
    const d = view.department(q.department, q.asKnownAt);
    department = { id: q.department, name: d ? departmentNameOn(d, q.at) : q.department };
  }
  return { list, department, items, edition: q.edition ?? `${q.at}版` };
}

interface OutSheet {
  name: string;
  rows: string[][];
  merges: XLSX.Range[];
  widths?: number[];
}

const trimName = (s: string) => s.replace(/[\\/?*[\]:]/g, '').slice(0, 31) || 'Sheet';

function uniqueName(taken: Set<string>, wanted: string): string {
  let name = trimName(wanted);
  for (let n = 2; taken.has(name); n++) name = `${trimName(wanted).slice(0, 27)} (${n})`;
  taken.add(name);
  return name;
}

function titleOf(p: PublishedList, departmentName?: string): string {
  return `${p.list.regionName} ${departmentName ? `${departmentName} ` : ''}权责清单（${p.edition}）`;
}

/** Horizontal merges of equal neighbours in a header row, vertical ones of a sub-header equal to its top. */
function headerMerges(header: string[][], at: number): XLSX.Range[] {
  const out: XLSX.Range[] = [];
  const top = header[0] ?? [];
  const covered = new Set<number>();
  for (let c = 0; c < top.length; ) {
    let e = c;
    while (e + 1 < top.length && top[e + 1] !== '' && top[e + 1] === top[c]) e++;
    if (e > c && top[c] !== '') {
      out.push({ s: { r: at, c }, e: { r: at, c: e } });
      for (let k = c; k <= e; k++) covered.add(k);
    }
    c = e + 1;
  }
  if (header.length > 1) for (let c = 0; c < top.length; c++) if (!covered.has(c) && top[c] !== '' && header[1][c] === top[c]) out.push({ s: { r: at, c }, e: { r: at + 1, c } });
  return out;
}

/** Writes header rows, blanking the cells a merge covers. */
function writeHeader(sheet: OutSheet, header: string[][]): void {
  const at = sheet.rows.length;
  const merges = headerMerges(header, at);
  const rows = header.map((r) => [...r]);
  for (const m of merges) for (let r = m.s.r; r <= m.e.r; r++) for (let c = m.s.c; c <= m.e.c; c++) if (r !== m.s.r || c !== m.s.c) rows[r - at][c] = '';
  sheet.rows.push(...rows);
  sheet.merges.push(...merges);
}

/** A source row's place, to merge a cell with the one above only when the two were neighbours as published. */
interface Placed {
  key: string;
  at: number;
  cells: string[];
  merged: Set<number>;
}

/** Writes entry rows; a cell that came from a merge is merged again with the cell above it. */
function writeRows(sheet: OutSheet, rows: Placed[], width: number): void {
  const start = sheet.rows.length;
  const out = rows.map((r) => [...r.cells, ...new Array<string>(Math.max(0, width - r.cells.length)).fill('')]);
  const runStart = new Array<number>(width).fill(-1);
  const close = (c: number, end: number) => {
    const s = runStart[c];
    if (s >= 0 && end > s) {
      sheet.merges.push({ s: { r: start + s, c }, e: { r: start + end, c } });
      for (let k = s + 1; k <= end; k++) out[k][c] = '';
    }
  };
  const values = rows.map((r) => [...r.cells]);
  for (let i = 0; i < rows.length; i++) {
    for (let c = 0; c < width; c++) {
      const continues = i > 0 && rows[i].merged.has(c) && rows[i - 1].key === rows[i].key && rows[i - 1].at === rows[i].at - 1 && values[i][c] === values[i - 1][c] && values[i][c] !== '';
      if (continues) continue;
      close(c, i - 1);
      runStart[c] = i;
    }
  }
  for (let c = 0; c < width; c++) close(c, rows.length - 1);
  sheet.rows.push(...out);
}

/** The item's main name (without its 子项) as the list words it. */
function mainNameOf(x: ExportItem): string {
  const w = x.wording;
  const name = w?.name?.trim() ? w.name : x.item.name;
  if (w?.subItem && name.endsWith(`（${w.subItem}）`)) return name.slice(0, -w.subItem.length - 2);
  return name;
}

/** The source cell of a field in a published row's first row, if the layout has that field. */
function sourceCell(row: PublishedRow | undefined, field: string): string | undefined {
  const i = row?.fields?.indexOf(field) ?? -1;
  return i >= 0 ? row!.cells[0]?.[i] ?? '' : undefined;
}

/** One item as a row of the standard layout (+ the extra columns asked for). */
function standardCells(x: ExportItem, n: number, extras: string[]): string[] {
  const w = x.wording;
  const f = w?.fields ?? {};
  const basis = sourceCell(w?.row, 'basis') ?? (w?.basis ?? x.item.basis).join('\n');
  return [
    String(n),
    x.item.code,
    mainNameOf(x),
    w?.subItem ?? '',
    w?.type ?? x.item.type,
    basis,
    f['行使主体'] ?? x.departmentName,
    f['承办机构'] ?? '',
    f['实施层级'] ?? '',
    f['权限'] ?? '',
    f['责任事项'] ?? '',
    f['责任事项依据'] ?? '',
    f['追责对象范围'] ?? '',
    f['追责情形'] ?? '',
    f['追责依据'] ?? '',
    f['备注'] ?? '',
    ...extras.map((k) => f[k] ?? ''),
  ];
}

function registrySheet(p: PublishedList, taken: Set<string>): OutSheet {
  const rows = p.items.map((x) => {
    const r = x.wording?.row;
    return [
      x.departmentName,
      x.item.code,
      x.item.name,
      x.item.type,
      STATUS_ZH[x.item.status] ?? x.item.status,
      x.item.receivedFrom ?? '',
      x.item.deviations.map((d) => `${d.field}：目录「${[d.catalogue].flat().join('；')}」/ 清单「${[d.list].flat().join('；')}」`).join('\n'),
      x.item.lastChange ?? '',
      r?.file ? `${r.file}「${r.sheet}」第 ${r.at} 行` : '',
    ];
  });
  return { name: uniqueName(taken, REGISTRY_SHEET), rows: [[`${p.list.regionName}（${p.list.region}）登记簿信息 · ${p.list.at}${p.list.asKnownAt ? ` · 按 ${p.list.asKnownAt} 的登记` : ''}（本表不属于公布的清单，导入时跳过）`], [...REGISTRY_COLUMNS], ...rows], merges: [], widths: [24, 22, 40, 12, 12, 10, 40, 12, 40] };
}

/** The standard layout: one sheet, one row per item. */
function standardSheets(p: PublishedList, taken: Set<string>): OutSheet[] {
  const extras: string[] = [];
  for (const x of p.items) for (const k of Object.keys(x.wording?.fields ?? {})) if (!STANDARD_FIELDS.has(k) && !extras.includes(k)) extras.push(k);
  const header = [...STANDARD_COLUMNS, ...extras];
  const sheet: OutSheet = { name: uniqueName(taken, '权责清单'), rows: [[titleOf(p, p.department?.name)]], merges: [{ s: { r: 0, c: 0 }, e: { r: 0, c: header.length - 1 } }], widths: [6, 22, 36, 20, 12, 60, 24, 20, 12, 30, 40, 40, 20, 40, 40, 12] };
  writeHeader(sheet, [header]);
  sheet.rows.push(...p.items.map((x, i) => standardCells(x, i + 1, extras)));
  return [sheet];
}

/**
 * The source layout: per department and per published sheet (lists split by type keep their sheets), the
 * layout's header and every row as published. Items recorded without a published row follow in the
 * standard layout. An entry naming several items (packed 子项) is written once.
 */
function sourceSheets(p: PublishedList, taken: Set<string>): OutSheet[] {
  interface Group {
    department: string;
    sheet: string;
    file: string;
    header: string[][];
    hasSubject: boolean;
    rows: Placed[];
    seen: Set<string>;
  }
  const groups = new Map<string, Group>();
  const withoutRow: ExportItem[] = [];
  for (const x of p.items) {
    const r = x.wording?.row;
    if (!r || r.cells.length === 0) {
      withoutRow.push(x);
      continue;
    }
    const deptName = p.department?.name ?? x.departmentName;
    const key = JSON.stringify([deptName, r.file ?? '', r.sheet ?? '', r.header]);
    let g = groups.get(key);
    if (!g) {
      g = { department: deptName, sheet: r.sheet ?? '清单', file: r.file ?? '', header: r.header, hasSubject: !!r.fields?.includes('subject'), rows: [], seen: new Set() };
      groups.set(key, g);
    }
    const origin = `${r.file}|${r.sheet}|${r.at}`;
    if (g.seen.has(origin)) continue;
    g.seen.add(origin);
    r.cells.forEach((cells, i) => g!.rows.push({ key: `${r.file}|${r.sheet}`, at: (r.at ?? 0) + i, cells, merged: new Set(r.merged?.[i] ?? []) }));
  }
  const out: OutSheet[] = [];
  const ordered = [...groups.values()].sort((a, b) => a.department.localeCompare(b.department, 'zh') || a.file.localeCompare(b.file, 'zh'));
  for (const g of ordered) {
    g.rows.sort((a, b) => a.at - b.at);
    const width = Math.max(g.header[0]?.length ?? 0, ...g.rows.map((r) => r.cells.length));
    const sheet: OutSheet = { name: uniqueName(taken, g.sheet), rows: [[titleOf(p, g.department)]], merges: [{ s: { r: 0, c: 0 }, e: { r: 0, c: Math.max(0, width - 1) } }] };
    // a list without a 行使主体 column names its department above the header, as published lists do
    if (!g.hasSubject) sheet.rows.push([`部门名称：${g.department}`]);
    writeHeader(sheet, g.header);
    writeRows(sheet, g.rows, width);
    sheet.widths = Array.from({ length: width }, (_, c) => Math.min(60, Math.max(6, ...g.header.map((h) => (h[c] ?? '').length * 2), ...g.rows.slice(0, 20).map((r) => Math.min(60, (r.cells[c] ?? '').length)))));
    out.push(sheet);
  }
  if (withoutRow.length) out.push(...standardSheets({ ...p, items: withoutRow }, taken));
  return out;
}

export interface ExportOptions {
  layout?: ExportLayout;
  format?: 'xlsx' | 'csv';
  /** The registry's sheet (状态, 四级四同偏差, sources) after the list's; false for the public list (公示). Default true. */
  registrySheet?: boolean;
}

/** The sheets of an export, as rows of text (what the xlsx and csv writers write). */
export function publishedSheets(p: PublishedList, layout: ExportLayout): Array<{ name: string; rows: string[][]; merges: XLSX.Range[]; widths?: number[] }> {
  const taken = new Set<string>();
  const sheets = layout === 'source' ? sourceSheets(p, taken) : standardSheets(p, taken);
  return [...sheets, registrySheet(p, taken)];
}

/**
 * The list as an .xlsx workbook (the list's sheets, then the registry's sheet) or CSV (the list's one
 * sheet without its title; a source layout spread over several sheets needs .xlsx).
 */
export function exportPublishedList(p: PublishedList, options: ExportOptions = {}): Buffer {
  const layout = options.layout ?? 'standard';
  const all = publishedSheets(p, layout);
  const sheets = options.registrySheet === false ? all.slice(0, -1) : all;
  if (options.format === 'csv') {
    const list = all.slice(0, -1);
    if (list.length > 1) throw new ExportError(`该清单的原版式有 ${list.length} 个工作表，CSV 只能写一个：请导出为 .xlsx，或用 --layout standard`);
    // formula-looking cells neutralised, NUL and control characters dropped (csv.ts)
    return Buffer.from(toCsv((list[0]?.rows ?? []).slice(1)), 'utf8');
  }
  const wb = loadSheetJs().utils.book_new();
  for (const s of sheets) {
    const ws = loadSheetJs().utils.aoa_to_sheet(s.rows);
    ws['!merges'] = s.merges;
    if (s.widths) ws['!cols'] = s.widths.map((wch) => ({ wch }));
    loadSheetJs().utils.book_append_sheet(wb, ws, s.name);
  }
  return loadSheetJs().write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
}

/** An export that cannot be written as asked (a user error: the message says why). */
export class ExportError extends Error {
  readonly code = 'BAD_EXPORT';
}

/**
 * The list to export, on a date or as an edition published it (`edition`: its list on its effective date
 * as known when it was recorded, titled with its number) — the API's `list/export?edition=` and the CLI's
 * `export --edition` both come here.
 */
export function publishedListFor(
  view: RegistryProjection,
  editions: EditionsProjection,
  q: { region: string; at?: string; asKnownAt?: string; department?: string; edition?: string },
): PublishedList & { at: string; editionRecord?: EditionRecord } {
  if (q.edition !== undefined) {
    const e = findEdition(editions, q.region, q.edition);
    return { ...publishedList(view, { region: q.region, at: e.effectiveFrom, asKnownAt: e.contentAsKnownAt, department: q.department, edition: e.number }), at: e.effectiveFrom, editionRecord: e };
  }
  if (q.at === undefined) throw new ExportError('请给出日期（at）或版本号（edition）');
  return { ...publishedList(view, { region: q.region, at: q.at, asKnownAt: q.asKnownAt, department: q.department }), at: q.at };
}
