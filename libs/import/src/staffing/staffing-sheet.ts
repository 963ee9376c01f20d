/**
 * 定编制 in and out by Excel: one layout (STAFFING_COLUMNS) for the template `quanze template staffing`
 * writes (empty, or filled with a region's staffing in force: the export), and for `import-staffing`
 * (and the web import) to read. One row per department: 部门, 统一社会信用代码, 机构性质, 核定 per category,
 * 领导职数 by post, 实有 per category, 实配领导 by post, 编外, 变动原因.
 *
 * Reading goes through the importer's own helpers (readWorkbook: caps, merged cells, encodings; cleanCell;
 * normaliseHeader). An import is one atomic batch of the write path (registry.batch); a refused row is
 * rolled back to its savepoint and reported with its reason.
 */
import type * as XLSX from '@e965/xlsx';
import { randomUUID } from 'node:crypto';
import {
  DocumentRef,
  DomainError,
  IssueSanding,
  NotFoundError,
  ORGAN_NATURES,
  STAFFING_CATEGORIES,
  Staffing,
  departmentActiveOn,
  departmentNameOn,
  isCalendarDate,
  isOrganNature,
  sandingOn,
  DepartmentEvent,
  departmentStream,
  evolveDepartment,
  fold,
  initialDepartmentState,
} from '../../../domain/src';
import { CommandContext, Registry, WriteSession, issueSanding, reportActualStaffing } from '../../../application/src';
import type { DepartmentStaffing, StaffingProjection } from '../../../projections/src';
import { formatPosts, parsePosts } from '../../../contract/src';
import { DEFAULT_LIMITS, ImportError, ImportLimits } from '../limits';
import { normaliseHeader } from '../columns';
import { loadSheetJs, readWorkbook, unsafeCellReason } from '../workbook';

export type StaffingField =
  | 'name'
  | 'id'
  | 'nature'
  | 'auth:行政编制'
  | 'auth:事业编制'
  | 'auth:工勤编制'
  | 'authLeaders'
  | 'act:行政编制'
  | 'act:事业编制'
  | 'act:工勤编制'
  | 'actLeaders'
  | 'outside'
  | 'reason';

/** The template's columns, in order, with their headers. */
export const STAFFING_COLUMNS: Array<{ field: StaffingField; header: string }> = [
  { field: 'name', header: '部门名称' },
  { field: 'id', header: '统一社会信用代码（部门编号）' },
  { field: 'nature', header: '机构性质' },
  { field: 'auth:行政编制', header: '核定行政编制' },
  { field: 'auth:事业编制', header: '核定事业编制' },
  { field: 'auth:工勤编制', header: '核定工勤编制' },
  { field: 'authLeaders', header: '核定领导职数（按职务，如 局长1、副局长3）' },
  { field: 'act:行政编制', header: '实有行政编制' },
  { field: 'act:事业编制', header: '实有事业编制' },
  { field: 'act:工勤编制', header: '实有工勤编制' },
  { field: 'actLeaders', header: '实配领导（按职务）' },
  { field: 'outside', header: '编外人员' },
  { field: 'reason', header: '变动原因（招录、调入、调出、退休、年度核对…）' },
];

const FIELD_BY_HEADER = new Map<string, StaffingField>();
for (const c of STAFFING_COLUMNS) {
  FIELD_BY_HEADER.set(normaliseHeader(c.header), c.field);
  FIELD_BY_HEADER.set(normaliseHeader(c.header.replace(/（.*）$/, '')), c.field);
}
for (const [h, f] of [
  ['部门', 'name'],
  ['单位名称', 'name'],
  ['统一社会信用代码', 'id'],
  ['部门编号', 'id'],
  ['编外', 'outside'],
  ['变动原因', 'reason'],
  ['核定领导职数', 'authLeaders'],
  ['实配领导职数', 'actLeaders'],
] as Array<[string, StaffingField]>) {
  FIELD_BY_HEADER.set(normaliseHeader(h), f);
}

export const TEMPLATE_NOTE =
  '说明：每行一个部门。核定栏（机构性质、核定编制、核定领导职数）与三定不同时，自生效日期起登记新一版三定（职责、内设机构沿用施行中的一版）；实有栏与施行中的实有人员不同时，登记一次实有人员变动。留空的一组不作变更。领导职数按职务填写，如“局长1、副局长3”。';

/** Leader posts in a cell; a part it cannot read is the row's error. */
function postsOf(cell: string): Record<string, number> {
  try {
    return parsePosts(cell);
  } catch (e) {
    throw new DomainError('BAD_CELL', (e as Error).message);
  }
}

/** The template: the header row, and one row per department given (a region's staffing in force: the export). */
export function staffingWorkbook(departments: DepartmentStaffing[] = [], title = '机构编制（定编制）填报模板'): Buffer {
  const cat = (d: DepartmentStaffing, c: string) => d.categories.find((x) => x.category === c);
  const rows: Array<Array<string | number>> = [[title], [TEMPLATE_NOTE], STAFFING_COLUMNS.map((c) => c.header)];
  for (const d of departments) {
    const hasCategories = d.categories.some((c) => c.authorized > 0);
    const authorisedPosts = Object.fromEntries(d.leaders.filter((l) => l.authorized > 0).map((l) => [l.post, l.authorized]));
    const filledPosts = Object.fromEntries(d.leaders.filter((l) => l.filled > 0).map((l) => [l.post, l.filled]));
    const v = (f: StaffingField): string | number => {
      switch (f) {
        case 'name':
          return d.departmentName;
        case 'id':
          return d.departmentId;
        case 'nature':
          return d.nature ?? '';
        case 'authLeaders':
          return hasCategories ? formatPosts(authorisedPosts) : '';
        case 'actLeaders':
          return d.actualSince ? formatPosts(filledPosts) : '';
        case 'outside':
          return d.actualSince ? d.outside : '';
        case 'reason':
          return d.actualSince?.reason ?? '';
        default: {
          const [kind, c] = f.split(':');
          if (kind === 'auth') return hasCategories ? (cat(d, c)?.authorized ?? 0) : '';
          return d.actualSince ? (cat(d, c)?.actual ?? 0) : '';
        }
      }
    };
    rows.push(STAFFING_COLUMNS.map((c) => v(c.field)));
  }
  const ws = loadSheetJs().utils.aoa_to_sheet(rows);
  ws['!cols'] = STAFFING_COLUMNS.map((c) => ({ wch: Math.max(10, Math.min(30, c.header.length * 2)) }));
  const wb = loadSheetJs().utils.book_new();
  loadSheetJs().utils.book_append_sheet(wb, ws, '定编制');
  return loadSheetJs().write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
}

export interface StaffingRow {
  sheet: string;
  /** Excel row number (1-based). */
  row: number;
  cells: Partial<Record<StaffingField, string>>;
  /** Why the row is refused before anything is decided: a cell with an unsafe character (as in list imports). */
  refused?: string;
}

/** The template's rows from a workbook (the first sheet whose header names 部门名称 and a 核定 or 实有 column). */
export function readStaffingRows(file: string, data: Buffer, limits: ImportLimits = DEFAULT_LIMITS): StaffingRow[] {
  const wb = readWorkbook(file, data, limits);
  for (const sheet of wb.sheets) {
    for (let r = 0; r < Math.min(sheet.rows.length, 20); r++) {
      const map = new Map<number, StaffingField>();
      (sheet.rows[r] ?? []).forEach((h, c) => {
        const f = FIELD_BY_HEADER.get(normaliseHeader(h));
        if (f && ![...map.values()].includes(f)) map.set(c, f);
      });
      const fields = new Set(map.values());
      if (!fields.has('name') || ![...fields].some((f) => f.startsWith('auth') || f.startsWith('act'))) continue;
      const out: StaffingRow[] = [];
      for (let i = r + 1; i < sheet.rows.length; i++) {
        const cells: StaffingRow['cells'] = {};
        const refused: string[] = [];
        for (const [c, f] of map) {
          const v = (sheet.rows[i]?.[c] ?? '').trim();
          if (v) cells[f] = v;
          const unsafe = unsafeCellReason(sheet, i, c);
          if (unsafe) refused.push(unsafe);
        }
        if (Object.keys(cells).length || refused.length) out.push({ sheet: sheet.name, row: i + 1, cells, ...(refused.length ? { refused: refused.join('；') } : {}) });
      }
      return out;
    }
  }
  throw new ImportError('NO_HEADER', `${file}：找不到定编制模板的表头（需要“部门名称”和核定或实有编制列；请用 npx quanze template staffing 生成模板）`, file);
}

/** True when a workbook has the staffing template's header (the web import routes it here). */
export function isStaffingWorkbook(file: string, data: Buffer): boolean {
  return staffingRowsIfTemplate(file, data) !== undefined;
}

/** The template's rows, or undefined when the workbook is not the template (or cannot be read as one). */
export function staffingRowsIfTemplate(file: string, data: Buffer): StaffingRow[] | undefined {
  try {
    return readStaffingRows(file, data);
  } catch {
    return undefined;
  }
}

export interface StaffingImportOptions {
  region: string;
  effective: string;
  /** The document the changes rest on (required when a row changes the 核定 figures: a new 三定 version). */
  document?: DocumentRef;
  actor?: string;
}

export interface StaffingImportReport {
  rowsRead: number;
  recorded: number;
  unchanged: number;
  rejected: Array<{ file: string; sheet: string; row: number; reason: string }>;
  /** Per recorded row, what it changed. */
  changes: Array<{ row: number; departmentId: string; sanding: boolean; actual: boolean }>;
  eventIds: string[];
  position: number;
}

const count = (s: string | undefined, what: string): number | undefined => {
  if (s === undefined) return undefined;
  if (!/^\d{1,7}$/.test(s.replace(/\.0+$/, ''))) throw new DomainError('BAD_CELL', `${what}「${s}」应为不小于 0 的整数`);
  return Number(s.replace(/\.0+$/, ''));
};

const sameCounts = (a: Record<string, number | undefined> = {}, b: Record<string, number | undefined> = {}) =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])].every((k) => (a[k] ?? 0) === (b[k] ?? 0));

/** The 核定 part of a row as a staffing, or undefined when the row leaves it blank. */
function authorisedOf(cells: StaffingRow['cells'], current: Staffing | undefined): Staffing | undefined {
  const given = STAFFING_CATEGORIES.some((c) => cells[`auth:${c}` as StaffingField] !== undefined) || cells.authLeaders !== undefined || cells.nature !== undefined;
  if (!given) return undefined;
  if (cells.nature !== undefined && !isOrganNature(cells.nature)) throw new DomainError('UNKNOWN_NATURE', `机构性质「${cells.nature}」应为 ${ORGAN_NATURES.join('、')} 之一`);
  const categories = Object.fromEntries(STAFFING_CATEGORIES.map((c) => [c, count(cells[`auth:${c}` as StaffingField], `核定${c}`) ?? 0]));
  const leaderPosts = cells.authLeaders !== undefined ? postsOf(cells.authLeaders) : (current?.leaderPosts ?? {});
  const authorized = Object.values(categories).reduce((a, b) => a + b, 0);
  const leaders = Object.values(leaderPosts).reduce((a, b) => a + b, 0);
  const nature = (cells.nature ?? current?.nature) as Staffing['nature'];
  return { authorized, leaders, categories, leaderPosts, ...(nature ? { nature } : {}) };
}

const sameStaffing = (a: Staffing, b: Staffing) =>
  a.authorized === b.authorized && a.leaders === b.leaders && sameCounts(a.categories, b.categories) && sameCounts(a.leaderPosts, b.leaderPosts) && (a.nature ?? '') === (b.nature ?? '');

/**
 * Imports a filled template into the region from `effective` on: per row, a new 三定 version when the 核定
 * figures differ from the one in force, and a 实有人员 report when the actual ones differ. A row is
 * recorded, unchanged, or rejected with its reason; `recorded + unchanged + rejected.length == rowsRead`.
 */
export async function importStaffing(registry: Registry, staffing: StaffingProjection, file: { name: string; data: Buffer }, o: StaffingImportOptions, read?: StaffingRow[]): Promise<StaffingImportReport> {
  if (!/^\d{6}(\d{3}|\d{6})?$/.test(o.region ?? '')) throw new ImportError('BAD_OPTION', `区划代码 ${o.region} 无效`);
  if (!isCalendarDate(o.effective)) throw new ImportError('BAD_OPTION', `生效日期 ${o.effective} 无效：应为 YYYY-MM-DD`);
  // `read`: the rows as a worker thread read them (the API); else read here (the CLI)
  const rows = read ?? readStaffingRows(file.name, file.data);
  // departments of the region by id and by their name on the effective date (as the read model stands)
  const byName = new Map<string, string>();
  const ids = new Set(staffing.departmentIds(o.region));
  for (const id of ids) {
    const d = staffing.staffing(id).department;
    if (d && departmentActiveOn(d, o.effective)) byName.set(departmentNameOn(d, o.effective).replace(/\s+/g, ''), id);
  }
  const importId = `import-staffing-${randomUUID()}`;
  const ctx: CommandContext = { actor: o.actor ?? 'importer', correlationId: importId };
  let report: StaffingImportReport | undefined;
  const written = await registry.batch(ctx, async (s) => {
    const r: StaffingImportReport = (report = { rowsRead: rows.length, recorded: 0, unchanged: 0, rejected: [], changes: [], eventIds: [], position: 0 });
    for (const row of rows) {
      if (row.refused) {
        r.rejected.push({ file: file.name, sheet: row.sheet, row: row.row, reason: row.refused });
        continue;
      }
      const sp = s.savepoint();
      try {
        const change = await importRow(s, row, o, ids, byName);
        if (change.sanding || change.actual) {
          r.recorded++;
          r.changes.push({ row: row.row, ...change });
        } else r.unchanged++;
      } catch (e) {
        s.rollback(sp);
        if (!(e instanceof DomainError || e instanceof NotFoundError)) throw e;
        r.rejected.push({ file: file.name, sheet: row.sheet, row: row.row, reason: e.message });
      }
    }
  });
  report!.eventIds = written.eventIds;
  report!.position = written.position;
  return report!;
}

async function importRow(s: WriteSession, row: StaffingRow, o: StaffingImportOptions, ids: Set<string>, byName: Map<string, string>): Promise<{ departmentId: string; sanding: boolean; actual: boolean }> {
  const c = row.cells;
  const id = c.id && ids.has(c.id) ? c.id : c.name ? byName.get(c.name.replace(/\s+/g, '')) : undefined;
  if (!id) throw new NotFoundError('UNKNOWN_DEPARTMENT', `部门「${c.name ?? c.id ?? ''}」${c.id ? `（${c.id}）` : ''}在区划 ${o.region} 中未登记或在 ${o.effective} 不存在`);
  const department = fold(evolveDepartment, initialDepartmentState, await s.events<DepartmentEvent>(departmentStream(id)));
  if (!department) throw new NotFoundError('UNKNOWN_DEPARTMENT', `部门 ${id} 不存在`);
  const inForce: IssueSanding | undefined = sandingOn(department, o.effective);
  let sanding = false;
  const wanted = authorisedOf(c, inForce?.staffing);
  if (wanted && !(inForce && sameStaffing(inForce.staffing, wanted))) {
    if (!inForce) throw new DomainError('NO_SANDING', `部门 ${departmentNameOn(department, o.effective)} 在 ${o.effective} 无施行中的三定：核定编制请随三定录入（职责、内设机构）`);
    if (!o.document?.number?.trim()) throw new DomainError('DOCUMENT_REQUIRED', '核定编制有变更（新一版三定）须给出授权文件文号（--document）');
    await issueSanding(s, { id, effectiveFrom: o.effective, document: o.document, duties: inForce.duties, internalOrgans: inForce.internalOrgans, staffing: wanted, reason: '定编制模板导入：核定编制调整' });
    sanding = true;
  }
  let actual = false;
  const actualGiven = STAFFING_CATEGORIES.some((k) => c[`act:${k}` as StaffingField] !== undefined) || c.actLeaders !== undefined || c.outside !== undefined;
  if (actualGiven) {
    const counts = Object.fromEntries(STAFFING_CATEGORIES.map((k) => [k, count(c[`act:${k}` as StaffingField], `实有${k}`) ?? 0]));
    try {
      await reportActualStaffing(s, {
        departmentId: id,
        effectiveFrom: o.effective,
        ...(o.document?.number?.trim() ? { document: o.document } : {}),
        reason: c.reason ?? '年度核对',
        counts,
        leaders: c.actLeaders !== undefined ? postsOf(c.actLeaders) : {},
        outside: count(c.outside, '编外人员') ?? 0,
      });
      actual = true;
    } catch (e) {
      if (!(e instanceof DomainError && e.code === 'NOTHING_CHANGED')) throw e;
    }
  }
  return { departmentId: id, sanding, actual };
}
