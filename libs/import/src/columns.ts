/**
 * Finding the header row of a published list and mapping its columns by name: lists put the header
 * anywhere in the first rows, spell the columns differently and add columns of their own.
 */
import { SheetGrid, cellKey, columnName } from './workbook';
import { isPlaceholder, normaliseType, parseLevels, squash } from './text';
import { IMPORT_FIELD_LABELS, type ImportField } from '../../contract/src';

/** The columns the importer understands. Any other column is kept as an extra field under its label. */
export type Field = ImportField;

/**
 * Header texts per field (compared without whitespace, with ASCII brackets, without a leading "*" or a
 * trailing remark in brackets). The first list is exact names; `fuzzy` below catches the rest.
 */
export const SYNONYMS: Record<Field, string[]> = {
  seq: ['序号', '序', '编号', '排序号', '顺序号', '序列号', '项目序号'],
  code: ['职权编码', '事项编码', '基本编码', '权力编码', '权责编码', '权责事项编码', '权力事项编码', '实施编码', '事项代码', '职权代码', '权力代码', '目录编码', '主项编码', '编码', '代码', '通用目录编码', '基本目录编码', '事项编号', '职权编号', '权力编号'],
  subCode: ['子项编码', '子项代码', '子项编号'],
  name: ['事项名称', '权责事项名称', '权力事项名称', '职权名称', '职权事项名称', '权力名称', '权责事项', '权力事项', '职权事项', '事项', '主项名称', '主项', '项目名称', '名称', '职权', '权责名称', '行政职权名称', '主项事项名称', '事项名称(主项)', '权责清单事项名称', '权力清单事项名称', '行政权力名称', '行政权力事项名称', '服务事项名称'],
  sub: ['子项名称', '子项', '子项事项名称', '子项目名称', '子项事项', '子项目', '事项子项', '子项权力名称', '子项职权名称'],
  type: ['权力类型', '事项类型', '职权类别', '职权类型', '权责类型', '权力类别', '事项类别', '权责类别', '类型', '类别', '职权分类', '事项分类', '权力性质', '权力分类', '行政职权类型', '职权性质', '行政权力类型'],
  basis: ['实施依据', '设定依据', '法律依据', '依据', '设定和实施依据', '设定依据和实施依据', '设定依据及实施依据', '法定依据', '行使依据', '设立依据', '法律法规依据', '职权依据', '权力依据', '实施依据(法律法规规章)', '法律法规规章依据'],
  subject: ['行使主体', '实施主体', '实施机关', '实施部门', '行使部门', '执法主体', '职权部门', '权力主体', '实施单位', '行使机关', '责任主体', '主体', '实施主体名称', '行使主体名称', '责任部门', '责任单位', '主管部门', '权力行使主体', '职权行使主体', '行使单位'],
  organ: ['承办机构', '承办科室', '内设机构', '承办处室', '责任科室', '承办单位', '具体承办机构', '办理机构', '承办部门', '责任处室', '具体承办科室', '承办机构(科室)', '内设机构(承办机构)'],
  level: ['实施层级', '行使层级', '实施层级及权限', '行使层级及权限', '层级', '实施层级及权限划分', '层级及权限', '权限层级', '实施级别', '行使级别', '行使层级及权限划分', '适用层级', '层级划分'],
  scope: ['权限', '行使权限', '实施权限', '权限划分', '职权范围', '实施范围', '权限范围', '各级权限'],
  cooperating: ['共同实施部门', '配合部门', '协同部门', '协办部门', '联合实施部门', '共同行使部门', '配合单位', '协同单位', '共同实施单位'],
};

/** Columns with a fixed label in extra fields (so that lists that spell them differently agree). */
export const KNOWN_EXTRAS: Array<[string, RegExp]> = [
  ['部门职责', /^(部门职责|职责|对应职责|三定职责|部门职责(依据)?)$/],
  ['责任事项', /^责任事项(内容)?$/],
  ['责任事项依据', /^责任事项依据$/],
  ['追责对象范围', /^追责对象(范围)?$/],
  ['追责情形', /^(追责情形|问责情形|追责情形及依据|追究责任情形)$/],
  ['追责依据', /^(追责依据|问责依据)$/],
  ['备注', /^备注$/],
];

const SYNONYM_INDEX = new Map<string, Field>();
for (const [field, names] of Object.entries(SYNONYMS) as Array<[Field, string[]]>) for (const n of names) SYNONYM_INDEX.set(normaliseHeader(n), field);

/** A header text in the form synonyms are compared in. */
export function normaliseHeader(s: string): string {
  return squash(s)
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .replace(/^[*＊]+/, '')
    .replace(/[*＊:：]+$/, '');
}

/** The field a header text names, if any: exact synonyms first, then a few safe rules. */
export function fieldOf(header: string): Field | undefined {
  const h = normaliseHeader(header);
  if (!h) return undefined;
  const exact = SYNONYM_INDEX.get(h) ?? SYNONYM_INDEX.get(h.replace(/\(.*?\)$/, ''));
  if (exact) return exact;
  if (h.length > 16) return undefined;
  if (/^(责任|追责|问责)/.test(h)) return undefined;
  if (/子项/.test(h) && /(编码|代码|编号)/.test(h)) return 'subCode';
  if (/子项/.test(h) && /(名称|事项)/.test(h)) return 'sub';
  if (/(编码|代码)$/.test(h) && !/(信用|区划|机构|组织|行政区)/.test(h)) return 'code';
  if (/(事项|职权|权力|权责)名称/.test(h)) return 'name';
  if (/(类型|类别)$/.test(h) && !/(对象|主体)/.test(h)) return 'type';
  if (/依据/.test(h)) return 'basis';
  if (/(行使|实施)主体/.test(h)) return 'subject';
  if (/承办/.test(h)) return 'organ';
  if (/层级/.test(h)) return 'level';
  if (/(共同实施|配合|协同|协办)(部门|单位)/.test(h)) return 'cooperating';
  return undefined;
}

export interface ColumnMap {
  /** 0-based row of the header (Excel row headerRow + 1). */
  headerRow: number;
  /** First row after the header (and its sub-header row, if any). */
  dataStart: number;
  fields: Partial<Record<Field, number>>;
  /** Every other column: its label in the extra fields. */
  extras: Array<{ col: number; label: string }>;
  /** Column letter → what it was read as, for the report. */
  described: Record<string, string>;
  /** Every kept column with the field it became and why (for the report and --dry-run). */
  mapping: ColumnMapping[];
  /** The columns of the source layout, in order (a header or data in it): what an export writes back. */
  layout: number[];
}

export interface ColumnMapping {
  column: string;
  header: string;
  field?: Field;
  fieldLabel?: string;
  /** The extra field's label, for a column that is not one of the fields. */
  extra?: string;
  why: string;
}

const CORE: Field[] = ['name', 'sub', 'type', 'basis', 'subject', 'seq', 'code', 'level', 'organ'];

/** What the user says a column is: field → the header text of that column (`--columns "事项名称=项目,…"`). */
export type ColumnOverrides = Partial<Record<Field, string>>;

export interface HeaderOptions {
  /** Columns named by the user: they win over synonyms and content. */
  columns?: ColumnOverrides;
  /** Rows scanned for the header (default 30). */
  scan?: number;
}

const FIELD_NAMES: Record<string, Field> = { seq: 'seq', code: 'code', subCode: 'subCode', name: 'name', sub: 'sub', type: 'type', basis: 'basis', subject: 'subject', organ: 'organ', level: 'level', scope: 'scope', cooperating: 'cooperating' };

/** The Chinese name of each field, as the report and `--columns` use it (one table, libs/contract). */
export const FIELD_LABELS: Record<Field, string> = IMPORT_FIELD_LABELS;

/**
 * `--columns "事项名称=项目,权力类型=类别"`: field (its Chinese name, a synonym, or the English key) = the
 * column's header text. Throws a message naming what is wrong.
 */
export function parseColumnsOption(spec: string): ColumnOverrides {
  const out: ColumnOverrides = {};
  for (const part of spec.split(/[,，;；\n]/).map((x) => x.trim()).filter(Boolean)) {
    const m = /^(.+?)\s*[=＝]\s*(.+)$/.exec(part);
    if (!m) throw new Error(`--columns 的「${part}」应写成 字段=表头，例如 事项名称=项目`);
    const field = FIELD_NAMES[m[1].trim()] ?? fieldOf(m[1]);
    if (!field) throw new Error(`--columns：不认识的字段「${m[1].trim()}」（可用：${Object.values(FIELD_LABELS).join('、')}）`);
    if (out[field] !== undefined) throw new Error(`--columns：字段「${FIELD_LABELS[field]}」指定了两次`);
    out[field] = m[2].trim();
  }
  return out;
}

function cell(grid: SheetGrid, r: number, c: number): string {
  return grid.rows[r]?.[c] ?? '';
}

/** The field the user named this header text as, if any. */
function overrideOf(header: string, columns: ColumnOverrides | undefined): Field | undefined {
  if (!columns) return undefined;
  const h = normaliseHeader(header);
  if (!h) return undefined;
  for (const [f, text] of Object.entries(columns) as Array<[Field, string]>) if (normaliseHeader(text) === h) return f;
  return undefined;
}

/** The header row among the first `scan` rows: the one naming the item column and most other known columns. */
export function detectHeader(grid: SheetGrid, options: HeaderOptions | number = {}): ColumnMap | undefined {
  const opts = typeof options === 'number' ? { scan: options } : options;
  const scan = opts.scan ?? 30;
  const candidates: Array<{ row: number; score: number; hasName: boolean }> = [];
  for (let r = 0; r < Math.min(grid.rows.length, scan); r++) {
    const fields = new Set<Field>();
    for (let c = 0; c < grid.nCols; c++) {
      const text = cell(grid, r, c);
      if (!text || text.length > 40) continue;
      const f = overrideOf(text, opts.columns) ?? fieldOf(text);
      if (f) fields.add(f);
    }
    const score = CORE.filter((f) => fields.has(f)).length;
    if (score < 2) continue;
    candidates.push({ row: r, score, hasName: fields.has('name') });
  }
  // a row naming the item column first; else the best row whose item column is found by its content
  const byScore = (a: { score: number; row: number }, b: { score: number; row: number }) => b.score - a.score || a.row - b.row;
  const named = candidates.filter((c) => c.hasName).sort(byScore);
  if (named.length) return mapColumns(grid, named[0].row, opts.columns);
  for (const c of candidates.sort(byScore)) {
    const map = mapColumns(grid, c.row, opts.columns);
    if (map.fields.name !== undefined) return map;
  }
  return undefined;
}

function isSubHeader(grid: SheetGrid, header: number): boolean {
  const r = header + 1;
  if (r >= grid.rows.length) return false;
  let own = 0;
  for (let c = 0; c < grid.nCols; c++) {
    const text = cell(grid, r, c);
    if (!text || grid.filled.has(cellKey(r, c))) continue;
    if (text.length > 12 || /\d/.test(text)) return false;
    // a sub-label sits under a header cell merged across columns, or is itself a known column name
    const under = cell(grid, header, c);
    const mergedAbove = grid.filled.has(cellKey(header, c)) || (c + 1 < grid.nCols && grid.filled.has(cellKey(header, c + 1)) && cell(grid, header, c + 1) === under);
    if (!mergedAbove && !fieldOf(text)) return false;
    own++;
  }
  return own > 0;
}

// ------------------------------------------------------------------------------------------------
// Recognising a column by what it holds (for headers no synonym knows)
// ------------------------------------------------------------------------------------------------

/** How a cell's text reads: as an item name, a legal basis, a type word, a level, a body, a number. */
const LOOKS: Array<[Field, (v: string) => boolean]> = [
  ['type', (v) => normaliseType(v) !== undefined && squash(v).length <= 12],
  ['basis', (v) => /《[^》]{2,60}》/.test(v) && (/第[一二三四五六七八九十百零〇\d]+条/.test(v) || v.length > 40)],
  ['level', (v) => squash(v).length <= 30 && parseLevels(v).length > 0 && !/《/.test(v)],
  ['seq', (v) => /^\d{1,5}(\.\d{1,3})?$/.test(squash(v))],
  [
    'name',
    (v) => {
      const t = squash(v);
      if (t.length < 4 || t.length > 120 || /《.*》第/.test(t)) return false;
      return /^对.{2,}的/.test(t) || /(许可|审批|核准|备案|登记|认定|确认|处罚|检查|征收|收费|奖励|表彰|裁决|给付|强制|查封|扣押|审核|审查|注册|发放|批准|核发|撤销|吊销|监督|管理)$/.test(t);
    },
  ],
  ['subject', (v) => /(局|厅|委员会|委|办公室|办|部|中心|站|队|院|所|政府)(（.*）|\(.*\))?$/.test(squash(v)) && squash(v).length <= 40 && !/^对/.test(squash(v))],
];

/** The share of a column's sampled non-empty cells that read as each field. */
function contentProfile(grid: SheetGrid, col: number, from: number): { n: number; share: Partial<Record<Field, number>> } {
  const counts: Partial<Record<Field, number>> = {};
  let n = 0;
  for (let r = from; r < grid.rows.length && n < 60; r++) {
    const v = grid.rows[r]?.[col] ?? '';
    if (!v || isPlaceholder(v)) continue;
    n++;
    for (const [f, test] of LOOKS) if (test(v)) counts[f] = (counts[f] ?? 0) + 1;
  }
  const share: Partial<Record<Field, number>> = {};
  for (const [f, k] of Object.entries(counts) as Array<[Field, number]>) share[f] = k / n;
  return { n, share };
}

/** Minimum share of sampled cells that must read as the field (and at least 3 cells). */
const CONTENT_THRESHOLD: Partial<Record<Field, number>> = { type: 0.8, basis: 0.5, level: 0.8, seq: 0.9, name: 0.6, subject: 0.8 };
const CONTENT_WHY: Partial<Record<Field, string>> = { type: '是权力类型', basis: '引用《…》第…条', level: '写明层级', seq: '是序号', name: '像事项名称（对…的处罚、…许可、…的检查）', subject: '像部门名称' };

function mapColumns(grid: SheetGrid, headerRow: number, overrides?: ColumnOverrides): ColumnMap {
  const sub = isSubHeader(grid, headerRow);
  const labels: string[] = [];
  for (let c = 0; c < grid.nCols; c++) {
    const top = squash(cell(grid, headerRow, c));
    const below = sub ? squash(cell(grid, headerRow + 1, c)) : '';
    labels.push(below && !grid.filled.has(cellKey(headerRow + 1, c)) ? (fieldOf(below) ? below : `${top}/${below}`) : top);
  }
  const dataStart = headerRow + (sub ? 2 : 1);
  const fields: Partial<Record<Field, number>> = {};
  const how: Record<number, string> = {};
  const taken = new Set<number>();
  // 1. the user's --columns
  for (let c = 0; c < grid.nCols; c++) {
    const f = overrideOf(labels[c], overrides) ?? (labels[c].includes('/') ? overrideOf(labels[c].split('/').pop()!, overrides) : undefined);
    if (f !== undefined && fields[f] === undefined) {
      fields[f] = c;
      taken.add(c);
      how[c] = '按 --columns 指定';
    }
  }
  // 2. header texts
  const byHeader: Array<Field | undefined> = [];
  for (let c = 0; c < grid.nCols; c++) {
    if (taken.has(c)) continue;
    const label = labels[c];
    let f = label ? fieldOf(label) : undefined;
    if (f === undefined && label.includes('/')) f = fieldOf(label.split('/').pop()!);
    // the second of two 实施层级及权限 columns (merged or repeated header) holds the scope text
    if (f === 'level' && fields.level !== undefined) f = fields.scope === undefined && fields.level === c - 1 ? 'scope' : undefined;
    // an unlabelled column right after 实施层级及权限 (the header merged over both, the merge lost) is the scope
    if (f === undefined && !label && fields.level === c - 1 && fields.scope === undefined && /权限/.test(labels[c - 1])) f = 'scope';
    byHeader[c] = f;
    if (f !== undefined && fields[f] === undefined) {
      fields[f] = c;
      taken.add(c);
      how[c] = '按表头';
    }
  }
  // 3. content, for the fields still missing, in columns whose header names nothing we know
  const open = (c: number) => !taken.has(c) && byHeader[c] === undefined && !KNOWN_EXTRAS.some(([, re]) => re.test(normaliseHeader(labels[c]))) && !/^(责任|追责|问责|备注)/.test(normaliseHeader(labels[c]));
  for (const f of ['name', 'type', 'basis', 'subject', 'level', 'seq'] as Field[]) {
    if (fields[f] !== undefined) continue;
    let best: { c: number; share: number; n: number } | undefined;
    for (let c = 0; c < grid.nCols; c++) {
      if (!open(c)) continue;
      const p = contentProfile(grid, c, dataStart);
      const share = p.share[f] ?? 0;
      if (p.n < 3 || share < (CONTENT_THRESHOLD[f] ?? 1)) continue;
      // a basis column also holds names of laws; a name column is not mostly types
      if (f === 'name' && ((p.share.basis ?? 0) > 0.3 || (p.share.type ?? 0) > 0.5)) continue;
      if (!best || share > best.share) best = { c, share, n: p.n };
    }
    if (best) {
      fields[f] = best.c;
      taken.add(best.c);
      how[best.c] = `按内容：抽样 ${best.n} 格中 ${Math.round(best.share * best.n)} 格${CONTENT_WHY[f]}`;
    }
  }
  const extras: ColumnMap['extras'] = [];
  const described: Record<string, string> = {};
  const mapping: ColumnMapping[] = [];
  const used = new Map<string, number>();
  const fieldAt = new Map<number, Field>();
  for (const [f, c] of Object.entries(fields) as Array<[Field, number]>) fieldAt.set(c, f);
  const layout: number[] = [];
  for (let c = 0; c < grid.nCols; c++) {
    const label = labels[c];
    const f = fieldAt.get(c);
    if (f !== undefined) {
      described[columnName(c)] = `${label}→${f}${how[c] === '按表头' ? '' : `（${how[c]}）`}`;
      mapping.push({ column: columnName(c), header: label, field: f, fieldLabel: FIELD_LABELS[f], why: how[c] });
      layout.push(c);
      continue;
    }
    let hasData = false;
    for (let r = headerRow + 1; r < grid.rows.length && !hasData; r++) hasData = cell(grid, r, c) !== '';
    if (!label && !hasData) continue;
    layout.push(c);
    const known = KNOWN_EXTRAS.find(([, re]) => re.test(normaliseHeader(label)))?.[0];
    let key = known ?? (label || `列${columnName(c)}`);
    const n = (used.get(key) ?? 0) + 1;
    used.set(key, n);
    if (n > 1) key = `${key}(${n})`;
    extras.push({ col: c, label: key });
    described[columnName(c)] = `${label || '（无表头）'}→附加字段「${key}」`;
    mapping.push({ column: columnName(c), header: label, extra: key, why: known ? '按表头（责任部分的固定列名）' : '未识别为字段，按其表头原样保留' });
  }
  return { headerRow, dataStart, fields, extras, described, mapping, layout };
}
