/**
 * From a sheet's grid to list entries: one entry per data row, with the continuation rows that belong
 * to it (the rest of a merged block, the other levels of the same item, a hidden county row) joined in.
 */
import { ItemType } from '../../domain/src';
import { ColumnMap, ColumnMapping, Field, HeaderOptions, detectHeader, fieldOf } from './columns';
import { SheetGrid, cellKey, unsafeCellReason } from './workbook';
import { nameKey, normaliseType, squash, splitPackedSubItems, stripListNumber, typeFromTitle, unlessPlaceholder } from './text';

/** One row of an item at one level (an item may have one per level: 自治区级 / 地州市级 / 县市区级). */
export interface LevelRow {
  row: number;
  level: string;
  scope: string;
  subject: string;
  organ: string;
  cooperating: string;
  /** Extra columns of this row. */
  extras: Record<string, string>;
}

/** A data row of a published list, continuation rows joined. */
export interface ListEntry {
  sheet: string;
  /** 1-based spreadsheet row of the entry's first row, as Excel shows it. */
  row: number;
  /** Every spreadsheet row that belongs to it. */
  rows: number[];
  seq: string;
  mainName: string;
  /** The sub-items (子项) named in the row: one per item; empty for an item without sub-items. */
  subNames: string[];
  /** The 子项 cell as published (list number and whitespace removed), to tell rows apart. */
  subText: string;
  code: string;
  /** The type as published (whitespace removed), or '' when the cell is empty. */
  typeRaw: string;
  type?: ItemType;
  typeSource: 'column' | 'section' | 'sheet' | 'previous' | 'none';
  basisRaw: string;
  levelRows: LevelRow[];
  /** What makes the row unusable as it stands (it is rejected with these reasons). */
  problems: string[];
  /** The entry's rows as published, cell by cell in the sheet's layout (SheetResult.layout). */
  cells: string[][];
  /** Per row: the layout positions whose value came from a merged cell above or to the left. */
  merged: number[][];
}

/** The columns of a sheet as published: what an export in the source layout writes back. */
export interface SheetLayout {
  /** The header row(s) as published, one text per layout column (two rows under merged headers). */
  header: string[][];
  /** Per layout column: the field it was read as ('' for a column kept under its own label). */
  fields: string[];
  /** Per layout column: the label of the extra field it is kept under ('' for a field). */
  labels: string[];
}

export interface SheetResult {
  sheet: string;
  /** 1-based header row, or undefined when the sheet has no recognisable header. */
  headerRow?: number;
  columns: Record<string, string>;
  entries: ListEntry[];
  continuationRows: number;
  /** Blank, title, section, note and repeated header rows. */
  skippedRows: number;
  hiddenUnderMerge: number;
  /** A department named above the header ("部门名称：市机关事务管理局"). */
  departmentHint?: string;
  /** Non-empty rows in a sheet without a header (reported: nothing in it was read). */
  unreadRows?: number;
  /** Which column became which field, and why. */
  mapping?: ColumnMapping[];
  layout?: SheetLayout;
}

const DEPT_HINT = /^(部门名称|单位名称|填报单位|实施主体|行使主体|部门|单位)[:：]\s*(.+)$/;

function departmentHintIn(grid: SheetGrid, upTo: number): string | undefined {
  for (let r = 0; r < Math.min(upTo, grid.rows.length); r++) {
    for (const v of grid.rows[r] ?? []) {
      const m = v ? DEPT_HINT.exec(v.trim()) : null;
      if (m) return squash(m[2]).replace(/[（(]?盖章[)）]?$/, '') || undefined;
    }
  }
  return undefined;
}

/** Reads the entries of one sheet. */
export function readSheet(grid: SheetGrid, options: HeaderOptions = {}): SheetResult {
  const result: SheetResult = { sheet: grid.name, columns: {}, entries: [], continuationRows: 0, skippedRows: 0, hiddenUnderMerge: grid.hiddenUnderMerge };
  const map = detectHeader(grid, options);
  if (!map) {
    result.unreadRows = grid.rows.filter((r) => r.some((v) => v)).length;
    return result;
  }
  result.headerRow = map.headerRow + 1;
  result.columns = map.described;
  result.mapping = map.mapping;
  const fieldAt = new Map<number, string>();
  for (const [fl, c] of Object.entries(map.fields)) fieldAt.set(c as number, fl);
  const labelAt = new Map(map.extras.map((x) => [x.col, x.label]));
  const headerRows: string[][] = [];
  for (let r = map.headerRow; r < map.dataStart; r++) headerRows.push(map.layout.map((c) => grid.rows[r]?.[c] ?? ''));
  result.layout = { header: headerRows, fields: map.layout.map((c) => fieldAt.get(c) ?? ''), labels: map.layout.map((c) => labelAt.get(c) ?? '') };
  const cellsOf = (r: number) => map.layout.map((c) => grid.rows[r]?.[c] ?? '');
  const mergedOf = (r: number) => map.layout.flatMap((c, i) => (grid.filled.has(cellKey(r, c)) ? [i] : []));
  const addRow = (e: ListEntry, r: number) => {
    e.rows.push(r + 1);
    e.cells.push(cellsOf(r));
    e.merged.push(mergedOf(r));
  };
  result.departmentHint = departmentHintIn(grid, map.headerRow);
  const sheetType = typeFromTitle(grid.name);
  const f = map.fields;
  const OPTIONAL = new Set<Field>(['sub', 'code', 'subCode', 'organ', 'level', 'scope', 'cooperating', 'basis']);
  const get = (r: number, field: Field): string => {
    const v = f[field] === undefined ? '' : grid.rows[r]?.[f[field]!] ?? '';
    return v && OPTIONAL.has(field) ? unlessPlaceholder(v) : v;
  };
  const filled = (r: number, field: Field): boolean => f[field] !== undefined && grid.filled.has(cellKey(r, f[field]!));
  const own = (r: number, field: Field): string => (filled(r, field) ? '' : get(r, field));
  const extrasOf = (r: number, onlyOwn: boolean): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const x of map.extras) {
      const v = grid.rows[r]?.[x.col] ?? '';
      if (v && unlessPlaceholder(v) && !(onlyOwn && grid.filled.has(cellKey(r, x.col)))) out[x.label] = v;
    }
    return out;
  };
  const levelRow = (r: number): LevelRow => ({
    row: r + 1,
    level: get(r, 'level'),
    scope: get(r, 'scope'),
    subject: get(r, 'subject'),
    organ: get(r, 'organ'),
    cooperating: get(r, 'cooperating'),
    extras: extrasOf(r, false),
  });
  const tooLong = (r: number): string[] => {
    const out: string[] = [];
    for (let c = 0; c < grid.nCols; c++) {
      if (grid.tooLong.has(cellKey(r, c))) out.push(`第 ${r + 1} 行第 ${c + 1} 列的内容超过单元格长度上限，未导入`);
      const unsafe = unsafeCellReason(grid, r, c);
      if (unsafe) out.push(unsafe);
    }
    return out;
  };

  let sectionType: ItemType | undefined;
  let prev: ListEntry | undefined;
  const itemFields: Field[] = ['name', 'sub', 'type', 'basis', 'code', 'subCode', 'seq'];
  const levelFields: Field[] = ['subject', 'organ', 'level', 'scope', 'cooperating'];

  for (let r = map.dataStart; r < grid.rows.length; r++) {
    const row = grid.rows[r] ?? [];
    const cells: Array<{ c: number; v: string; filled: boolean }> = [];
    for (let c = 0; c < grid.nCols; c++) if (row[c]) cells.push({ c, v: row[c], filled: grid.filled.has(cellKey(r, c)) });
    if (cells.length === 0) {
      result.skippedRows++;
      continue;
    }
    // a repeated header row (lists printed page by page)
    const nameCell = get(r, 'name');
    if (nameCell && fieldOf(nameCell) === 'name' && cells.filter((x) => fieldOf(x.v)).length >= 2) {
      result.skippedRows++;
      continue;
    }
    // a banner: one value across the row (title, section "一、行政许可（11项）", note)
    const distinct = new Set(cells.map((x) => squash(x.v)));
    const ownCells = cells.filter((x) => !x.filled);
    if (distinct.size === 1 && ownCells.length <= 1) {
      const text = cells[0].v;
      const onlyInName = cells.length === 1 && cells[0].c === f.name;
      const t = typeFromTitle(text);
      const isSection = t !== undefined || /^([一二三四五六七八九十]+、|第[一二三四五六七八九十]+[部分章节类])/.test(squash(text)) || /^(注|说明|备注|附|填报|审核|制表)/.test(squash(text));
      if (!onlyInName || isSection || ownCells.length === 0) {
        if (t) sectionType = t;
        if (ownCells.length === 0 && prev) {
          // the whole row is covered by merges from above: the rest of the entry's block
          addRow(prev, r);
          result.continuationRows++;
        } else result.skippedRows++;
        continue;
      }
    }
    const hasOwnItem = itemFields.some((fl) => own(r, fl) !== '');
    const hasOwnLevel = levelFields.some((fl) => own(r, fl) !== '');
    if (!hasOwnItem && !hasOwnLevel && ownCells.length > 0 && !prev) {
      result.skippedRows++;
      continue;
    }
    // continuation of the entry above?
    if (prev) {
      const name = squash(get(r, 'name'));
      const subRaw = squash(stripListNumber(get(r, 'sub')));
      const seq = squash(get(r, 'seq'));
      const typeText = squash(get(r, 'type'));
      const code = squash(get(r, 'code'));
      const same =
        (!name || filled(r, 'name') || nameKey(name) === nameKey(prev.mainName)) &&
        (!subRaw || filled(r, 'sub') || nameKey(subRaw) === nameKey(prev.subText)) &&
        (!seq || filled(r, 'seq') || seq === prev.seq) &&
        (!typeText || filled(r, 'type') || normaliseType(typeText) === prev.type) &&
        (!code || filled(r, 'code') || code === prev.code);
      if (same) {
        result.continuationRows++;
        addRow(prev, r);
        prev.problems.push(...tooLong(r));
        if (hasOwnLevel) prev.levelRows.push(levelRow(r));
        else {
          const extras = extrasOf(r, true);
          const first = prev.levelRows[0];
          for (const [k, v] of Object.entries(extras)) first.extras[k] = first.extras[k] ? `${first.extras[k]}\n${v}` : v;
        }
        const basis = own(r, 'basis');
        if (basis && basis !== prev.basisRaw) prev.basisRaw = prev.basisRaw ? `${prev.basisRaw}\n${basis}` : basis;
        continue;
      }
    }
    // a new entry (a sub-item row without its own 事项名称 inherits the one above)
    const name = squash(get(r, 'name'));
    const subCell = get(r, 'sub');
    const mainName = name || (prev && (subCell || !get(r, 'seq')) ? prev.mainName : '');
    const typeRaw = squash(get(r, 'type'));
    let type = typeRaw ? normaliseType(typeRaw) : undefined;
    let typeSource: ListEntry['typeSource'] = 'column';
    if (!typeRaw) {
      if (sectionType) [type, typeSource] = [sectionType, 'section'];
      else if (sheetType) [type, typeSource] = [sheetType, 'sheet'];
      else if (prev && prev.mainName === mainName && prev.type) [type, typeSource] = [prev.type, 'previous'];
      else typeSource = 'none';
    }
    const problems = tooLong(r);
    if (!mainName) problems.push('缺少事项名称');
    if (typeRaw && !type) problems.push(`无法识别的权力类型「${typeRaw}」（应为 行政许可、行政处罚、行政强制、行政征收、行政给付、行政检查、行政确认、行政奖励、行政裁决、其他行政权力 或 公共服务）`);
    else if (!type) problems.push('缺少权力类型（该行、所在分节和工作表名称都没有写明）');
    const subNames = splitPackedSubItems(subCell).map((s) => squash(stripListNumber(s))).filter((s) => s !== '');
    const entry: ListEntry = {
      sheet: grid.name,
      row: r + 1,
      rows: [r + 1],
      cells: [cellsOf(r)],
      merged: [mergedOf(r)],
      seq: squash(get(r, 'seq')),
      mainName,
      subNames,
      subText: squash(stripListNumber(subCell)),
      code: squash(get(r, 'subCode')) || squash(get(r, 'code')),
      typeRaw,
      type,
      typeSource,
      basisRaw: get(r, 'basis') || (!name && prev && prev.mainName === mainName ? prev.basisRaw : ''),
      levelRows: [levelRow(r)],
      problems,
    };
    result.entries.push(entry);
    prev = entry;
  }
  return result;
}
