/**
 * Importing published lists into the registry. Two phases:
 *  1. read every file (no write): a file that cannot be read at all stops the import before anything is
 *     recorded (ImportError);
 *  2. record every data row as ONE atomic append (department established if asked, item defined in the
 *     catalogue if new, assignment with the published wording) — or leave it unchanged, or reject it with
 *     a reason. Never half a row. Ids and codes are deterministic, and a row whose facts are already in
 *     the registry records nothing, so importing the same file twice records nothing the second time.
 */
import { randomUUID } from 'node:crypto';
import {
  AssignItem,
  CatalogVersion,
  DefineCatalogItem,
  Holding,
  DocumentRef,
  RegionState,
  DomainError,
  EstablishDepartment,
  ItemType,
  LEVEL_NAMES_ZH,
  Level,
  LEVELS,
  NotFoundError,
  PublishedRow,
  PublishedWording,
  ReviseCatalogItem,
  Role,
  Warning,
  catalogVersionOn,
  deviations,
  catalogVersions,
  departmentActiveOn,
  departmentNameOn,
  holdingsOn,
  isCalendarDate,
} from '../../domain/src';
import {
  CommandContext,
  Registry,
  WriteSession,
  assignItem,
  catalogEvents,
  defineCatalogItem,
  departmentState,
  entryFacts,
  establishDepartment,
  noteDuplicateRow,
  regionState,
  registerRegion,
  reviseCatalogItem,
} from '../../application/src';
import type { RegistryProjection } from '../../projections/src';
import { DIVISIONS_DOCUMENT, divisionChain } from './divisions';
import { DEFAULT_LIMITS, ImportError, ImportLimits } from './limits';
import { canonicalDepartmentName, departmentId, departmentKey, expandAbbreviation, isAbbreviationOf, localItemCode, splitSubjects } from './naming';
import { LevelRow, ListEntry, SheetResult, readSheet } from './rows';
import { ColumnMapping, ColumnOverrides, HeaderOptions } from './columns';
import { isRegistrySheet } from './registry-sheet';
import { nameKey, parseLevels, splitBasis, squash } from './text';
import { FileFormat, readWorkbook } from './workbook';

export interface ImportInput {
  /** The file's name as the user knows it (shown in the report). */
  name: string;
  data: Buffer;
}

export interface ImportOptions {
  region: string;
  /** YYYY-MM-DD: when the list takes effect. */
  effective: string;
  document: DocumentRef;
  /** Establish the departments a list names that the region does not have yet (deterministic ids). */
  createDepartments?: boolean;
  /** The workbook is a catalogue (指导目录): define/revise catalogue items with their levels, assign nothing. */
  asCatalogue?: boolean;
  /** The department (name or id) for rows whose list names none. */
  department?: string;
  actor?: string;
  /** Columns named by the user (`--columns "事项名称=项目"`): they win over synonyms and content. */
  columns?: ColumnOverrides;
  limits?: Partial<ImportLimits>;
  onProgress?: (p: { done: number; total: number; file: string }) => void;
  /**
   * Phase 1 elsewhere (the API: `readFilesInWorker`, a worker thread with its own heap cap); default:
   * `readFiles` on this thread (the CLI).
   */
  readFiles?: (inputs: ImportInput[], limits: ImportLimits, header: HeaderOptions) => ReadFile[] | Promise<ReadFile[]>;
  /**
   * Deciding the rows yields to the event loop after this many ms of work (default 10), so that a server
   * answers other requests meanwhile; the append stays one (all or nothing).
   */
  sliceMs?: number;
}

export interface RejectedRow {
  file: string;
  sheet: string;
  /** 1-based spreadsheet row, as Excel shows it (the entry's first row). */
  row: number;
  reason: string;
}

/** The report of the contract (CONTRACT.md, "Import"): exactly what `--json` prints. */
export interface ImportReport {
  rowsRead: number;
  recorded: number;
  unchanged: number;
  rejected: RejectedRow[];
  departmentsCreated: Array<{ id: string; name: string }>;
}

export interface SheetSummary {
  sheet: string;
  headerRow?: number;
  columns: Record<string, string>;
  dataRows: number;
  continuationRows: number;
  skippedRows: number;
  hiddenUnderMerge: number;
  /** Non-empty rows of a sheet without a recognisable header (not read). */
  unreadRows?: number;
  /** Which column became which field, and why. */
  mapping?: ColumnMapping[];
}

export interface FileSummary {
  file: string;
  /** Why the file could not be read (then nothing of it is imported; the other files are). */
  error?: string;
  errorCode?: string;
  format?: FileFormat;
  encoding?: string;
  sheets: SheetSummary[];
  rowsRead: number;
  recorded: number;
  unchanged: number;
  rejected: number;
}

export interface ImportResult extends ImportReport {
  /** The import's id: the correlation id in the metadata of every event it recorded. */
  importId: string;
  /** Events recorded by the import (all in one atomic append). */
  eventsRecorded: number;
  files: FileSummary[];
  regionsRegistered: Array<{ code: string; name: string }>;
  itemsDefined: number;
  itemsRevised: number;
  assignments: number;
  /** What the recorded rows made worse (e.g. CONFLICT: a second lead department), per row. */
  warnings: Array<{ file: string; sheet: string; row: number; code: string; message: string }>;
  /** Highest log position written (wait for projections to reach it to read the import back). */
  position: number;
  durationMs: number;
}

/** The contract's report out of a full result (what the CLI prints with --json). */
export function contractReport(r: ImportReport): ImportReport {
  return { rowsRead: r.rowsRead, recorded: r.recorded, unchanged: r.unchanged, rejected: r.rejected, departmentsCreated: r.departmentsCreated };
}

/** One file of a batch in the contract's report (`--json` with several files): its counts, or why it was not read. */
export interface ContractFile {
  file: string;
  rowsRead: number;
  recorded: number;
  unchanged: number;
  rejected: number;
  error?: string;
}

export function contractFiles(files: Array<Pick<FileSummary, 'file' | 'rowsRead' | 'recorded' | 'unchanged' | 'rejected' | 'error'>>): ContractFile[] {
  return files.map((f) => ({ file: f.file, rowsRead: f.rowsRead, recorded: f.recorded, unchanged: f.unchanged, rejected: f.rejected, ...(f.error ? { error: f.error } : {}) }));
}

/**
 * The contract's exit code of an import: 0 every row recorded or unchanged, 2 some rows or files
 * refused (the rest recorded), 1 nothing could be done (thrown as an ImportError before this).
 */
export function importExitCode(r: { rejected: unknown[]; files: Array<{ error?: string }> }): 0 | 2 {
  return r.rejected.length || r.files.some((f) => f.error) ? 2 : 0;
}

export interface ParsedFile {
  file: string;
  format: FileFormat;
  encoding?: string;
  sheets: SheetResult[];
}

/** One file read (phase 1), or why it cannot be. */
export type ReadFile = ({ ok: true } & ParsedFile) | { ok: false; file: string; error: ImportError };

/** Reads one file into sheets of entries; an ImportError for a file that cannot be read at all. */
export function parseFile(input: ImportInput, limits: ImportLimits = DEFAULT_LIMITS, header: HeaderOptions = {}): ParsedFile {
  const wb = readWorkbook(input.name, input.data, limits);
  const sheets = wb.sheets.filter((g) => !isRegistrySheet(g.name)).map((g) => readSheet(g, header));
  if (!sheets.some((s) => s.headerRow !== undefined)) {
    throw new ImportError(
      'NO_HEADER',
      `${input.name}：在任何工作表的前 30 行都找不到表头。需要一行列名，含「事项名称」（或 权责事项名称、职权名称 等同义列名，或内容像事项名称的一列）以及 权力类型、实施依据、行使主体、子项名称、序号、编码 中的至少一列；也可用 --columns "事项名称=<表头>" 指明`,
      input.name,
    );
  }
  return { file: input.name, format: wb.format, encoding: wb.encoding, sheets };
}

/** Phase 1, each file on its own: the files read, and those that cannot be, with their reason. */
export function readFiles(inputs: ImportInput[], limits: ImportLimits = DEFAULT_LIMITS, header: HeaderOptions = {}): ReadFile[] {
  if (inputs.length === 0) throw new ImportError('NO_FILES', '没有要导入的文件');
  if (inputs.length > limits.maxFiles) throw new ImportError('TOO_MANY_FILES', `一次最多导入 ${limits.maxFiles} 个文件，本次 ${inputs.length} 个`);
  return inputs.map((input): ReadFile => {
    try {
      return { ok: true, ...parseFile(input, limits, header) };
    } catch (e) {
      const error = e instanceof ImportError ? e : new ImportError('CORRUPT_FILE', `${input.name}：无法读取（${e instanceof Error ? e.message : String(e)}）`, input.name);
      return { ok: false, file: input.name, error };
    }
  });
}

/** Phase 1 for callers that need every file: throws one ImportError naming every file that cannot be read. */
export function parseFiles(inputs: ImportInput[], limits: ImportLimits = DEFAULT_LIMITS, header: HeaderOptions = {}): ParsedFile[] {
  const read = readFiles(inputs, limits, header);
  const errors = read.flatMap((r) => (r.ok ? [] : [r.error]));
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new ImportError(errors[0].code, errors.map((e) => e.message).join('\n'));
  return read.filter((r): r is Extract<ReadFile, { ok: true }> => r.ok);
}


/** What `--dry-run` shows per sheet: the header found, the mapping, three sample rows as they would be read. */
export interface DryRunSheet {
  sheet: string;
  headerRow?: number;
  mapping: ColumnMapping[];
  dataRows: number;
  samples: Array<{ row: number; 事项名称: string; 子项: string[]; 事项类型: string; 实施依据: string; 实施主体: string; 承办机构: string; 实施层级: string; problems: string[] }>;
  unreadRows?: number;
}
export interface DryRunReport {
  dryRun: true;
  rowsRead: number;
  files: Array<{ file: string; error?: string; errorCode?: string; sheets: DryRunSheet[] }>;
}

/** `--dry-run`: reads the files and says how, recording nothing (no store is touched). */
export function dryRun(inputs: ImportInput[], options: { columns?: ColumnOverrides; limits?: Partial<ImportLimits>; read?: ReadFile[] } = {}): DryRunReport {
  // `read`: the files as a worker thread read them (the API); else read here
  const read = options.read ?? readFiles(inputs, { ...DEFAULT_LIMITS, ...(options.limits ?? {}) }, { columns: options.columns });
  const report: DryRunReport = { dryRun: true, rowsRead: 0, files: [] };
  for (const f of read) {
    if (!f.ok) {
      report.files.push({ file: f.file, error: f.error.message, errorCode: f.error.code, sheets: [] });
      continue;
    }
    report.files.push({
      file: f.file,
      sheets: f.sheets.map((s) => {
        report.rowsRead += s.entries.length;
        return {
          sheet: s.sheet,
          ...(s.headerRow !== undefined ? { headerRow: s.headerRow } : {}),
          mapping: s.mapping ?? [],
          dataRows: s.entries.length,
          samples: s.entries.slice(0, 3).map((e) => ({
            row: e.row,
            事项名称: e.mainName,
            子项: e.subNames,
            事项类型: e.type ?? e.typeRaw,
            实施依据: e.basisRaw,
            实施主体: e.levelRows.map((l) => l.subject).filter(Boolean).join('\n'),
            承办机构: e.levelRows[0]?.organ ?? '',
            实施层级: e.levelRows.map((l) => l.level).filter(Boolean).join('\n'),
            problems: e.problems,
          })),
          ...(s.unreadRows ? { unreadRows: s.unreadRows } : {}),
        };
      }),
    });
  }
  return report;
}

// ---------------------------------------------------------------------------------------------
// Phase 2
// ---------------------------------------------------------------------------------------------

/** Published wording with the list's other columns: what the region's list says about the item. */
export interface ImportedWording extends PublishedWording {
  /** Every other column of the row as published (承办机构, 部门职责, 责任事项, 追责情形, 备注, unknown columns …). */
  fields?: Record<string, string>;
}

interface ItemPlan {
  code: string;
  name: string;
  type: ItemType;
  basis: string[];
  levels: Level[];
  /** --as-catalogue: each level's scope text (实施层级及权限 / 权限 of that level's row or sheet). */
  scopes?: Partial<Record<Level, string>>;
  /** Set when the catalogue does not know the item yet. */
  define?: DefineCatalogItem;
  asPublished: ImportedWording;
}

interface DeptRef {
  id: string;
  name: string;
  role: Role;
  establish?: EstablishDepartment;
}

type Resolution = { reject: string } | { items: ItemPlan[]; departments: DeptRef[]; internalOrgan?: string; levelNotStated?: boolean; notes?: Array<{ code: string; message: string }> };

/** The levels a sheet is named after ("县级目录", "自治区级", "乡镇（街道）"): a guide puts each level on its own sheet. */
export function sheetLevels(sheetName: string): Level[] {
  return /(省|自治区|地州市|州市|市|县市区|县|区|乡镇|乡|镇)(本)?级|乡镇|街道/.test(sheetName) ? parseLevels(sheetName) : [];
}

/** The levels a row states: its 实施层级 text, else its scope text, else the level its sheet is named after ("县级"). */
export function rowLevels(lr: Pick<LevelRow, 'level' | 'scope'>, sheetName: string): Level[] {
  const l = parseLevels(lr.level);
  if (l.length) return l;
  const s = parseLevels(lr.scope);
  return s.length ? s : sheetLevels(sheetName);
}

/** The items a list entry names: one per 子项 (「事项（子项）」, or the main name when the 子项 repeats it), else the main name. */
export function entryItemNames(entry: Pick<ListEntry, 'mainName' | 'subNames'>): string[] {
  return entry.subNames.length ? entry.subNames.map((s) => (nameKey(s) === nameKey(entry.mainName) ? entry.mainName : `${entry.mainName}（${s}）`)) : [entry.mainName];
}

const ITEM_CODE_RE = /^[A-Za-z0-9][A-Za-z0-9._\-]{0,63}$/;
const sameSet = <T>(a: T[], b: T[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/** Key-order-insensitive JSON, to compare wordings read back from the store with new ones. */
/**
 * Is the published row the wording already on record? Compared on the four 四级四同 fields (name, type,
 * basis, code); a holding recorded without its own wording follows the catalogue, so a row that words
 * the item as the catalogue does is unchanged too (an exported list imported again records nothing).
 * Other columns (`fields`) are kept when something material is recorded, but do not make a change alone.
 */
function sameWording(held: PublishedWording | undefined, row: PublishedWording | undefined, version: CatalogVersion | undefined): boolean {
  if (!held) return !!version && deviations(version, row).length === 0;
  if (!row || held.name !== row.name || held.type !== row.type || held.code !== row.code || !sameList(held.basis, row.basis)) return false;
  // the 责任 part and every other column: a revised 追责情形 is a change (whitespace aside); a holding
  // recorded without them (by hand, or by the demo) is not changed by a list that adds them
  if (!held.fields) return true;
  return sameFields(held.fields, row.fields ?? {});
}

const sameList = (a: string[] | undefined, b: string[] | undefined) => (a ?? []).length === (b ?? []).length && (a ?? []).every((x, i) => x === b![i]);

/** Two rows' other columns alike, whitespace aside; an empty column is no column (compared without building either side). */
function sameFields(a: Record<string, string>, b: Record<string, string>): boolean {
  for (const k in a) if (squash(a[k] ?? '') !== squash(b[k] ?? '')) return false;
  for (const k in b) if (!(k in a) && squash(b[k] ?? '') !== '') return false;
  return true;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/**
 * Phase 2 over the files read in phase 1; see importLists. Matching and reporting are the importer's;
 * every decision is a use case of libs/application on one write session (the whole import is one
 * atomic append). A refused row is rolled back to its savepoint and reported.
 */
class ImportRun {
  private region!: RegionState;
  private readonly deptIndex = new Map<string, Set<string>>();
  private readonly deptNames = new Map<string, { name: string; active: boolean }>();
  private readonly itemByCode = new Set<string>();
  private readonly itemByNameType = new Map<string, string[]>();
  private readonly claimed = new Map<string, { sheet: string; row: number; file: string }>();
  /** --as-catalogue: every item's levels and scopes over all the rows and sheets of the import. */
  private readonly catalogueMerge = new Map<string, { levels: Set<Level>; scopes: Partial<Record<Level, string>> }>();
  /** --as-catalogue: items defined or revised by this import (their rows on other level sheets are recorded with them). */
  private readonly touchedItems = new Set<string>();
  private readonly noted = new Set<string>();
  readonly result: ImportResult;

  constructor(
    private readonly session: WriteSession,
    private readonly view: RegistryProjection,
    private readonly options: ImportOptions,
    importId: string,
  ) {
    this.result = { importId, rowsRead: 0, recorded: 0, unchanged: 0, rejected: [], departmentsCreated: [], files: [], regionsRegistered: [], itemsDefined: 0, itemsRevised: 0, assignments: 0, warnings: [], position: 0, durationMs: 0, eventsRecorded: 0 };
  }

  /** Registers the region and its ancestors from the national list when the registry does not know them. */
  async ensureRegion(): Promise<void> {
    const code = this.options.region;
    let region = await regionState(this.session, code);
    if (!region) {
      const chain = divisionChain(code);
      if (!chain) {
        throw new ImportError('UNKNOWN_REGION', `行政区划 ${code} 尚未登记，也不在内置的全国区划代码表（国家统计局 2023）中：请先登记该区划（POST /api/regions）`);
      }
      let parentSince: string | undefined;
      for (const d of chain) {
        const existing = await regionState(this.session, d.code);
        if (existing) {
          parentSince = existing.since;
          continue;
        }
        let since = this.options.effective < '2000-01-01' ? this.options.effective : '2000-01-01';
        if (parentSince && parentSince > since) since = parentSince;
        await registerRegion(this.session, {
          code: d.code,
          name: d.name,
          level: d.level,
          ...(d.parentCode ? { parentCode: d.parentCode } : {}),
          effectiveFrom: since,
          document: DIVISIONS_DOCUMENT,
          reason: '导入清单时按全国区划代码表自动登记',
        });
        this.result.regionsRegistered.push({ code: d.code, name: d.name });
        parentSince = since;
      }
      region = await regionState(this.session, code);
    }
    if (!region) throw new ImportError('UNKNOWN_REGION', `行政区划 ${code} 登记失败`);
    if (this.options.effective < region.since) {
      throw new ImportError('BEFORE_REGION_EXISTS', `生效日期 ${this.options.effective} 早于行政区划 ${code}（${region.name}）的登记生效日期 ${region.since}`);
    }
    this.region = region;
  }

  /** What the registry already knows: the region's departments and the catalogue, by name. */
  /**
   * The region's departments and the whole catalogue by name, in slices of `sliceMs` (other requests are
   * served between them, as between the rows): with 75,000 catalogue items this was one 600-900 ms step
   * of the server for every import queued behind a large one (#22).
   */
  async buildIndexes(sliceMs = 10): Promise<void> {
    const at = this.options.effective;
    let start = performance.now();
    let n = 0;
    const due = () => (++n & 63) === 0 && performance.now() - start >= sliceMs;
    const pause = async () => {
      await new Promise((r) => setImmediate(r));
      start = performance.now();
    };
    for (const id of this.view.departmentIdsIn(this.region.code)) {
      const d = this.view.department(id);
      if (d) this.indexDepartment(id, departmentNameOn(d, at), departmentActiveOn(d, at));
      if (due()) await pause();
    }
    for (const code of this.view.catalogCodes()) {
      const versions = this.view.catalogItem(code);
      if (versions.length > 0) {
        const v = catalogVersionOn(versions, at) ?? versions[0];
        this.indexItem(code, v.name, v.type);
      }
      if (due()) await pause();
    }
  }

  private indexDepartment(id: string, name: string, active: boolean): void {
    this.deptNames.set(id, { name, active });
    const canonicalName = canonicalDepartmentName(name, this.region);
    for (const key of this.departmentKeys(canonicalName)) {
      const set = this.deptIndex.get(key) ?? new Set<string>();
      set.add(id);
      this.deptIndex.set(key, set);
    }
    this.deptIndex.set(`id:${id}`, new Set([id]));
  }

  private departmentKeys(canonicalName: string): string[] {
    const full = nameKey(canonicalName);
    const stripped = departmentKey(canonicalName);
    const core = this.coreOf(canonicalName);
    return [`full:${full}`, `key:${stripped}`, `core:${core}`, `abbr:${expandAbbreviation(core)}`];
  }

  /** A department name without remarks in brackets and without the region's name ("克拉玛依市科技局" → "科技局"). */
  private coreOf(canonicalName: string): string {
    const stripped = departmentKey(canonicalName);
    return stripped.startsWith(nameKey(this.region.name)) ? stripped.slice(nameKey(this.region.name).length) : stripped;
  }

  private indexItem(code: string, name: string, type: string): void {
    this.itemByCode.add(code);
    const k = `${type}|${nameKey(name)}`;
    const list = this.itemByNameType.get(k) ?? [];
    if (!list.includes(code)) list.push(code);
    // a catalogue code before a local one, then the smallest: deterministic
    list.sort((a, b) => (a.startsWith('L') === b.startsWith('L') ? (a < b ? -1 : a > b ? 1 : 0) : a.startsWith('L') ? 1 : -1));
    this.itemByNameType.set(k, list);
  }

  /** The department a name means: an existing one of the region (active preferred), or a new one. */
  private findDepartment(raw: string): { id: string; name: string; exists: boolean; note?: { code: string; message: string } } | { ambiguous: string[] } {
    const canonicalName = canonicalDepartmentName(raw, this.region);
    const byId = this.deptIndex.get(`id:${squash(raw)}`);
    if (byId) {
      const id = [...byId][0];
      return { id, name: this.deptNames.get(id)!.name, exists: true };
    }
    const shortNote = (id: string, how: string) => ({ code: 'DEPARTMENT_SHORT_NAME', message: `行使主体「${squash(raw)}」${how}对应本区划已有部门「${this.deptNames.get(id)!.name}」（${id}），未另设部门；如不是同一部门请改用全称` });
    for (const key of this.departmentKeys(canonicalName)) {
      const ids = [...(this.deptIndex.get(key) ?? [])];
      if (ids.length === 0) continue;
      const active = ids.filter((id) => this.deptNames.get(id)?.active);
      const pick = active.length ? active : ids;
      if (pick.length > 1) return { ambiguous: pick.map((id) => `${id}（${this.deptNames.get(id)?.name}）`) };
      const found = { id: pick[0], name: this.deptNames.get(pick[0])!.name, exists: true };
      return key.startsWith('abbr:') ? { ...found, note: shortNote(pick[0], '按常用简称') } : found;
    }
    // the id this importer would give it: a department created by an earlier import and renamed since
    const id = departmentId(this.region.code, canonicalName);
    if (this.deptNames.has(id)) return { id, name: this.deptNames.get(id)!.name, exists: true };
    // a short form no table holds ("住建局" beside "住房和城乡建设局", or the other way round): one active
    // department of the region it abbreviates is that department; several are only named in a warning
    const core = this.coreOf(canonicalName);
    const close = [...this.deptNames].filter(([, d]) => d.active).filter(([, d]) => {
      const other = this.coreOf(canonicalDepartmentName(d.name, this.region));
      return isAbbreviationOf(core, other) || isAbbreviationOf(other, core);
    });
    if (close.length === 1) return { id: close[0][0], name: close[0][1].name, exists: true, note: shortNote(close[0][0], '按简称规则（字序相同）') };
    const note = close.length
      ? { code: 'DEPARTMENT_NAME_CLOSE', message: `部门「${canonicalName}」与本区划已有部门 ${close.map(([i, d]) => `「${d.name}」（${i}）`).join('')} 名称相近，未能确定是哪一个：请核对` }
      : undefined;
    return { id, name: canonicalName, exists: false, ...(note ? { note } : {}) };
  }

  /** The levels a row states: its 实施层级 text, else its scope text, else the level its sheet is named after ("县级"). */
  private levelsOf(lr: ListEntry['levelRows'][number], sheet: SheetResult): Level[] {
    return rowLevels(lr, sheet.sheet);
  }

  /** From a list entry to what the row will record, or why it cannot be. */
  resolve(file: string, sheet: SheetResult, entry: ListEntry): Resolution {
    if (entry.problems.length) return { reject: entry.problems.join('；') };
    const type = entry.type!;
    const basis = splitBasis(entry.basisRaw);
    const allLevels = new Set<Level>();
    for (const lr of entry.levelRows) for (const l of this.levelsOf(lr, sheet)) allLevels.add(l);
    const withLevels = entry.levelRows.filter((lr) => this.levelsOf(lr, sheet).length > 0);
    const ours = withLevels.length ? entry.levelRows.filter((lr) => this.levelsOf(lr, sheet).includes(this.region.level)) : entry.levelRows;
    const names = entryItemNames(entry);
    const listCode = names.length === 1 && entry.code ? entry.code : '';

    if (this.options.asCatalogue) {
      // an empty 实施层级 (no level in the row, its scope or its sheet's name) is "not stated", never "every
      // level": the item is recorded for the importing region's level, and the report says so
      const stated = LEVELS.filter((l) => allLevels.has(l));
      const levels = stated.length ? stated : [this.region.level];
      const scopes: Partial<Record<Level, string>> = {};
      for (const lr of entry.levelRows) {
        const text = squash(lr.scope) || (/[:：]/.test(lr.level) ? squash(lr.level) : '');
        if (!text) continue;
        for (const l of this.levelsOf(lr, sheet)) scopes[l] = scopes[l] && scopes[l] !== text ? `${scopes[l]}\n${text}` : text;
      }
      const items = names.map((name) => {
        const code = this.itemCode(listCode, name, type, true);
        return { code, name, type, basis, levels, ...(Object.keys(scopes).length ? { scopes } : {}), asPublished: {} };
      });
      return { items, departments: [], ...(stated.length ? {} : { levelNotStated: true }) };
    }

    if (ours.length === 0) {
      const named = [...allLevels].map((l) => LEVEL_NAMES_ZH[l]).join('、');
      return { reject: `该事项在本表中的实施层级为 ${named}，不含本区划的层级（${LEVEL_NAMES_ZH[this.region.level]}），不属于本级清单` };
    }
    const levels = LEVELS.filter((l) => allLevels.has(l) || l === this.region.level);
    // departments: the 行使主体 of our level's row(s); the first named leads
    const subjectTexts = ours.map((lr) => lr.subject).filter((s) => squash(s) !== '');
    const fallback = sheet.departmentHint ?? this.options.department;
    if (subjectTexts.length === 0 && !fallback) return { reject: '未写明行使主体（实施部门），也没有用 --department 指定部门' };
    const departments: DeptRef[] = [];
    const notes: Array<{ code: string; message: string }> = [];
    for (const text of subjectTexts.length ? subjectTexts : [fallback!]) {
      for (const raw of splitSubjects(text)) {
        const found = this.findDepartment(raw);
        if ('ambiguous' in found) return { reject: `行使主体「${raw}」对应本区划多个部门：${found.ambiguous.join('、')}` };
        if (found.note) notes.push(found.note);
        if (departments.some((d) => d.id === found.id)) continue;
        const ref: DeptRef = { id: found.id, name: found.name, role: departments.length === 0 ? 'lead' : 'cooperating' };
        if (!found.exists) {
          if (!this.options.createDepartments) {
            return { reject: `部门「${found.name}」在区划 ${this.region.code}（${this.region.name}）中不存在（行使主体写作「${raw}」；可加 --create-departments 自动设立）` };
          }
          ref.establish = { id: found.id, name: found.name, regionCode: this.region.code, effectiveFrom: this.options.effective, document: this.options.document, reason: `导入 ${file} 时按清单所列行使主体设立` };
        }
        departments.push(ref);
      }
    }
    const first = ours[0];
    const fields: Record<string, string> = {};
    const subjectAsPublished = subjectTexts.join('\n') || fallback!;
    fields['行使主体'] = subjectAsPublished;
    if (first.organ) fields['承办机构'] = first.organ;
    if (first.level) fields['实施层级'] = first.level;
    if (first.scope) fields['权限'] = first.scope;
    if (first.cooperating) fields['共同实施部门'] = first.cooperating;
    for (const [k, v] of Object.entries(first.extras)) fields[k] = v;
    const others = entry.levelRows.filter((lr) => !ours.includes(lr));
    if (others.length) fields['其他层级'] = others.map((lr) => [lr.level, lr.subject, lr.organ].map((x) => squash(x)).join('｜')).join('\n');
    const row: PublishedRow = { file, sheet: sheet.sheet, at: entry.row, header: sheet.layout?.header ?? [], fields: sheet.layout?.fields, cells: entry.cells, ...(entry.merged.some((m) => m.length) ? { merged: entry.merged } : {}) };
    const items: ItemPlan[] = names.map((name, i) => {
      const code = this.itemCode(listCode, name, type, false);
      // the registry's own local code in a list (an export imported again) is not the list's wording
      const ownCode = listCode && listCode === code && listCode.startsWith(`L${this.region.code}-`);
      const subItem = entry.subNames.length ? entry.subNames[i] : undefined;
      const asPublished: ImportedWording = { name, type, basis, ...(listCode && !ownCode ? { code: listCode } : {}), fields, ...(subItem && nameKey(subItem) !== nameKey(entry.mainName) ? { subItem } : {}), row };
      return { code, name, type, basis, levels, asPublished };
    });
    const internalOrgan = first.organ ? squash(first.organ).slice(0, 200) : undefined;
    return { items, departments, internalOrgan, ...(notes.length ? { notes } : {}) };
  }

  /**
   * --as-catalogue, before recording: one item over all its rows. A guide for several levels lists the
   * same item on each level's sheet with that level's scope; the item gets every level and each scope.
   * Rows of the same item and level stay duplicates (rejected when recorded).
   */
  planCatalogue(files: ParsedFile[]): void {
    const seen = new Set<string>();
    for (const f of files) {
      for (const sheet of f.sheets) {
        for (const entry of sheet.entries) {
          const r = this.resolve(f.file, sheet, entry);
          if ('reject' in r) continue;
          for (const i of r.items) {
            const m = this.catalogueMerge.get(i.code) ?? { levels: new Set<Level>(), scopes: {} };
            // a level already given by an earlier row is that row's (the later one is a duplicate)
            const fresh = i.levels.filter((l) => !seen.has(`${i.code}|${l}`));
            for (const l of fresh) {
              seen.add(`${i.code}|${l}`);
              m.levels.add(l);
              if (i.scopes?.[l]) m.scopes[l] = i.scopes[l];
            }
            this.catalogueMerge.set(i.code, m);
          }
        }
      }
    }
  }

  private mergedCatalogueItem(item: ItemPlan): ItemPlan {
    const m = this.catalogueMerge.get(item.code);
    if (!m) return item;
    const levels = LEVELS.filter((l) => m.levels.has(l) || item.levels.includes(l));
    const scopes = { ...m.scopes };
    return { ...item, levels, ...(Object.keys(scopes).length ? { scopes } : { scopes: undefined }) };
  }

  /** By the list's code if the catalogue has it; else by name and type; else a deterministic local code. */
  private itemCode(listCode: string, name: string, type: ItemType, catalogue: boolean): string {
    if (listCode && ITEM_CODE_RE.test(listCode) && (catalogue || this.itemByCode.has(listCode))) return listCode;
    const byName = this.itemByNameType.get(`${type}|${nameKey(name)}`);
    if (byName?.length) return byName[0];
    return localItemCode(this.region.code, type, name);
  }

  /** Records one entry (one atomic append), or finds it unchanged, or rejects it. */
  async record(file: string, sheet: SheetResult, entry: ListEntry, summary: FileSummary): Promise<void> {
    const reject = (reason: string) => {
      const rows = entry.rows.length > 1 ? `（第 ${entry.rows[0]}–${entry.rows[entry.rows.length - 1]} 行）` : '';
      this.result.rejected.push({ file, sheet: sheet.sheet, row: entry.row, reason: `${reason}${rows}` });
      summary.rejected++;
    };
    const resolution = this.resolve(file, sheet, entry);
    if ('reject' in resolution) return reject(resolution.reject);
    // one item for one department once per import: a second row saying the same would overwrite the first;
    // a catalogue item once per level (a guide lists it once on each level's sheet)
    const cat = this.options.asCatalogue;
    const keys = resolution.items.flatMap((i) => (cat ? i.levels.map((l) => `${i.code}|@${l}`) : resolution.departments.length ? resolution.departments.map((d) => `${i.code}|${d.id}`) : [i.code]));
    for (const k of keys) {
      const prior = this.claimed.get(k);
      if (prior) {
        const [code, second] = k.split('|');
        const where = `${prior.file === file ? '' : `${prior.file} 的`}「${prior.sheet}」第 ${prior.row} 行`;
        const same = cat ? `、同一层级（${LEVEL_NAMES_ZH[second.slice(1) as Level]}）` : resolution.departments.length ? '、同一部门' : '';
        // a list's own duplicate row: rejected, and kept as a note (finding list-duplicate) the office sees after the import
        if (!cat) {
          const item = resolution.items.find((i) => i.code === code);
          await noteDuplicateRow(this.session, {
            regionCode: this.region.code,
            itemCode: code,
            itemName: item?.name ?? code,
            ...(second ? { departmentId: second } : {}),
            duplicate: { file, sheet: sheet.sheet, row: entry.row },
            first: { file: prior.file, sheet: prior.sheet, row: prior.row },
            effectiveFrom: this.options.effective,
            document: this.options.document,
          });
        }
        return reject(`与${where}是同一事项（同名同类型，编码 ${code}）${same}：重复行未导入，请核对后合并`);
      }
    }
    if (cat && resolution.levelNotStated) {
      this.result.warnings.push({ file, sheet: sheet.sheet, row: entry.row, code: 'LEVEL_NOT_STATED', message: `未写明实施层级：按导入区划的层级（${LEVEL_NAMES_ZH[this.region.level]}）登记，不视为适用于所有层级` });
    }
    try {
      const outcome = cat ? await this.recordCatalogue(file, sheet, entry, resolution.items.map((i) => this.mergedCatalogueItem(i))) : await this.recordList(file, sheet, entry, resolution);
      for (const k of keys) this.claimed.set(k, { file, sheet: sheet.sheet, row: entry.row });
      // a department found under a short form, or a new one close to others: said once per name and import
      for (const n of resolution.notes ?? []) {
        if (this.noted.has(n.message)) continue;
        this.noted.add(n.message);
        this.result.warnings.push({ file, sheet: sheet.sheet, row: entry.row, ...n });
      }
      if (outcome === 'unchanged') {
        this.result.unchanged++;
        summary.unchanged++;
      } else {
        this.result.recorded++;
        summary.recorded++;
      }
    } catch (e) {
      if (e instanceof DomainError || e instanceof NotFoundError) return reject(e.message);
      throw e;
    }
  }

  private async recordList(file: string, sheet: SheetResult, entry: ListEntry, r: Extract<Resolution, { items: ItemPlan[] }>): Promise<'recorded' | 'unchanged'> {
    const s = this.session;
    const effective = this.options.effective;
    const reason = `导入 ${file}「${sheet.sheet}」第 ${entry.row} 行`;
    const savepoint = s.savepoint();
    const outcome = { created: [] as DeptRef[], defined: [] as ItemPlan[], assignments: 0, warnings: [] as Warning[] };
    try {
      for (const d of r.departments) {
        if (!(await departmentState(s, d.id)) && d.establish) {
          await establishDepartment(s, d.establish);
          outcome.created.push(d);
        }
      }
      for (const item of r.items) {
        // every department already holds it, worded as this row words it: unchanged, without reading the
        // catalogue stream (an item held is defined; a re-import reads one stream per row, not two)
        const heldNow = holdingsOn(await entryFacts(s, this.region.code, item.code), effective);
        const unchanged = (d: DeptRef, held: Holding | undefined) => !!held && (held.role === d.role || (d.role === 'cooperating' && held.role === 'lead'));
        const alreadyWorded = (d: DeptRef) => {
          const held = heldNow.find((h) => h.departmentId === d.id);
          return unchanged(d, held) && !!held!.asPublished && sameWording(held!.asPublished, item.asPublished, undefined);
        };
        if (r.departments.length > 0 && r.departments.every(alreadyWorded)) continue;
        if ((await catalogEvents(s, item.code)).length === 0) {
          const define: DefineCatalogItem = { code: item.code, name: item.name, type: item.type, basis: item.basis, levels: item.levels, effectiveFrom: effective, document: this.options.document, reason };
          await defineCatalogItem(s, define);
          outcome.defined.push(item);
        }
        const version = catalogVersionOn(catalogVersions(await catalogEvents(s, item.code)), effective);
        for (const d of r.departments) {
          const held = holdingsOn(await entryFacts(s, this.region.code, item.code), effective).find((h) => h.departmentId === d.id);
          // A body named after the first in a cell reads as cooperating, but an import does not demote a recorded lead.
          if (unchanged(d, held) && sameWording(held!.asPublished, item.asPublished, version)) continue;
          const cmd: AssignItem = {
            regionCode: this.region.code,
            itemCode: item.code,
            departmentId: d.id,
            role: d.role,
            ...(r.internalOrgan && d.role === 'lead' ? { internalOrgan: r.internalOrgan } : {}),
            asPublished: item.asPublished,
            effectiveFrom: effective,
            document: this.options.document,
            reason,
          };
          outcome.warnings.push(...(await assignItem(s, cmd)));
          outcome.assignments++;
        }
      }
    } catch (e) {
      s.rollback(savepoint);
      throw e;
    }
    // nothing to assign: the row is unchanged, and what it would have established or defined is not recorded
    if (outcome.assignments === 0) {
      s.rollback(savepoint);
      return 'unchanged';
    }
    for (const d of outcome.created) {
      this.indexDepartment(d.id, d.name, true);
      this.result.departmentsCreated.push({ id: d.id, name: d.name });
    }
    for (const i of outcome.defined) this.indexItem(i.code, i.name, i.type);
    this.result.itemsDefined += outcome.defined.length;
    this.result.assignments += outcome.assignments;
    for (const w of outcome.warnings) this.result.warnings.push({ file, sheet: sheet.sheet, row: entry.row, code: w.code, message: w.message });
    return 'recorded';
  }

  private async recordCatalogue(file: string, sheet: SheetResult, entry: ListEntry, items: ItemPlan[]): Promise<'recorded' | 'unchanged'> {
    const s = this.session;
    const effective = this.options.effective;
    const reason = `导入目录 ${file}「${sheet.sheet}」第 ${entry.row} 行`;
    const savepoint = s.savepoint();
    const defined: ItemPlan[] = [];
    let revised = 0;
    let touched = 0;
    try {
      for (const item of items) {
        const existing = await catalogEvents(s, item.code);
        if (existing.length === 0) {
          await defineCatalogItem(s, { code: item.code, name: item.name, type: item.type, basis: item.basis, levels: item.levels, ...(item.scopes ? { scopes: item.scopes } : {}), effectiveFrom: effective, document: this.options.document, reason });
          defined.push(item);
          continue;
        }
        const versions = catalogVersions(existing);
        const v: CatalogVersion | undefined = catalogVersionOn(versions, effective);
        if (!v) throw new DomainError('BEFORE_ITEM_EXISTS', `目录事项 ${item.code} 自 ${versions[0].from} 起才列入目录，早于该日期不能修订`);
        const change: Partial<ReviseCatalogItem> = {};
        if (nameKey(v.name) !== nameKey(item.name)) change.name = item.name;
        if (v.type !== item.type) change.type = item.type;
        if (!sameSet(v.basis, item.basis)) change.basis = item.basis;
        if (!sameSet(v.levels, item.levels)) change.levels = item.levels;
        if (canonical(v.scopes ?? {}) !== canonical(item.scopes ?? {})) change.scopes = item.scopes ?? {};
        // the item's other level, on a sheet read earlier in this import: recorded with it
        if (Object.keys(change).length === 0 && !v.retired) {
          if (this.touchedItems.has(item.code)) touched++;
          continue;
        }
        await reviseCatalogItem(s, { code: item.code, ...change, effectiveFrom: effective, document: this.options.document, reason });
        revised++;
      }
    } catch (e) {
      s.rollback(savepoint);
      throw e;
    }
    if (defined.length === 0 && revised === 0) return touched ? 'recorded' : 'unchanged';
    for (const i of items) this.touchedItems.add(i.code);
    for (const i of defined) this.indexItem(i.code, i.name, i.type);
    this.result.itemsDefined += defined.length;
    this.result.itemsRevised += revised;
    return 'recorded';
  }
}

/**
 * Imports published lists into the region, ALL OR NOTHING: every row is decided in memory on one write
 * session of libs/application (`registry.batch`) and the whole import is one atomic append, so an
 * import that fails (or is killed) midway leaves nothing in force. Rows the rules refuse are reported
 * and left out; the rest is recorded. `view` is the registry read model as the store stands (the
 * server's live one, or a rebuilt one): it is only used to find departments and catalogue items by
 * name; every decision is made on streams read from the store, as every write is. The import's id is
 * the correlation id of every event it records.
 */
export async function importLists(registry: Registry, view: RegistryProjection, inputs: ImportInput[], options: ImportOptions): Promise<ImportResult> {
  const started = Date.now();
  const limits = { ...DEFAULT_LIMITS, ...(options.limits ?? {}) };
  if (!/^\d{6}(\d{3}|\d{6})?$/.test(options.region ?? '')) throw new ImportError('BAD_OPTION', `区划代码 ${options.region} 无效：应为 6 位（省市县）或 9 位（乡镇）数字`);
  if (!isCalendarDate(options.effective)) throw new ImportError('BAD_OPTION', `生效日期 ${options.effective} 无效：应为 YYYY-MM-DD`);
  const docNumber = options.document?.number?.trim() ?? '';
  if (!docNumber || docNumber.length > 200) throw new ImportError('BAD_OPTION', '必须给出授权文件的文号（--document），不超过 200 字');
  const read = await (options.readFiles ?? readFiles)(inputs, limits, { columns: options.columns });
  const parsed = read.filter((r): r is Extract<ReadFile, { ok: true }> => r.ok);
  const failed = read.filter((r): r is Extract<ReadFile, { ok: false }> => !r.ok);
  // nothing could be read: nothing is done (exit 1), naming every file; otherwise each file stands alone
  if (parsed.length === 0) {
    if (failed.length === 1) throw failed[0].error;
    throw new ImportError(failed[0].error.code, failed.map((x) => x.error.message).join('\n'));
  }
  const opts: ImportOptions = { ...options, document: { ...options.document, number: docNumber } };
  const importId = `import-${randomUUID()}`;
  const ctx: CommandContext = { actor: options.actor ?? 'importer', correlationId: importId };
  const total = parsed.reduce((n, f) => n + f.sheets.reduce((m, s) => m + s.entries.length, 0), 0);
  let run: ImportRun | undefined;
  const written = await registry.batch(ctx, async (session) => {
    // a concurrent write makes the batch decide again: every attempt starts from nothing
    run = new ImportRun(session, view, opts, importId);
    await run.ensureRegion();
    await run.buildIndexes(options.sliceMs ?? 10);
    if (opts.asCatalogue) run.planCatalogue(parsed);
    for (const f of failed) run.result.files.push({ file: f.file, error: f.error.message, errorCode: f.error.code, sheets: [], rowsRead: 0, recorded: 0, unchanged: 0, rejected: 0 });
    let done = 0;
    const sliceMs = options.sliceMs ?? 10;
    let sliceStart = performance.now();
    for (const f of parsed) {
      const summary = fileSummary(f);
      run.result.files.push(summary);
      for (const sheet of f.sheets) {
        for (const entry of sheet.entries) {
          summary.rowsRead++;
          run.result.rowsRead++;
          await run.record(f.file, sheet, entry, summary);
          options.onProgress?.({ done: ++done, total, file: f.file });
          // other requests are served between slices (a write to a stream this import read makes the
          // batch decide again, see Registry.batch)
          if (performance.now() - sliceStart >= sliceMs) {
            await new Promise((r) => setImmediate(r));
            sliceStart = performance.now();
          }
        }
      }
    }
  });
  const result = run!.result;
  result.position = written.position;
  result.eventsRecorded = written.eventIds.length;
  result.durationMs = Date.now() - started;
  return result;
}

function fileSummary(f: ParsedFile): FileSummary {
  return {
    file: f.file,
    format: f.format,
    ...(f.encoding ? { encoding: f.encoding } : {}),
    sheets: f.sheets.map((s) => ({
      sheet: s.sheet,
      ...(s.headerRow !== undefined ? { headerRow: s.headerRow } : {}),
      columns: s.columns,
      dataRows: s.entries.length,
      continuationRows: s.continuationRows,
      skippedRows: s.skippedRows,
      hiddenUnderMerge: s.hiddenUnderMerge,
      ...(s.unreadRows ? { unreadRows: s.unreadRows } : {}),
      ...(s.mapping ? { mapping: s.mapping } : {}),
    })),
    rowsRead: 0,
    recorded: 0,
    unchanged: 0,
    rejected: 0,
  };
}
