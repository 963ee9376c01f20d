/**
 * Finding the header row of a published list and mapping its columns by name: lists put the header
 * anywhere in the first rows, spell the columns differently and add columns of their own.
 */
import { SheetGrid, cellKey, columnName } from './workbook';
import { squash } from './text';

/** The columns the importer understands. Any other column is kept as an extra field under its label. */
export type Field = 'seq' | 'code' | 'subCode' | 'name' | 'sub' | 'type' | 'basis' | 'subject' | 'organ' | 'level' | 'scope' | 'cooperating';

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
}

const CORE: Field[] = ['name', 'sub', 'type', 'basis', 'subject', 'seq', 'code', 'level', 'organ'];

function cell(grid: SheetGrid, r: number, c: number): string {
  return grid.rows[r]?.[c] ?? '';
}

/** The header row among the first `scan` rows: the one naming the item column and most other known columns. */
export function detectHeader(grid: SheetGrid, scan = 30): ColumnMap | undefined {
  let best: { row: number; score: number } | undefined;
  for (let r = 0; r < Math.min(grid.rows.length, scan); r++) {
    const fields = new Set<Field>();
    for (let c = 0; c < grid.nCols; c++) {
      const text = cell(grid, r, c);
      if (!text || text.length > 40) continue;
      const f = fieldOf(text);
      if (f) fields.add(f);
    }
    if (!fields.has('name')) continue;
    const score = CORE.filter((f) => fields.has(f)).length;
    if (score < 2) continue;
    if (!best || score > best.score) best = { row: r, score };
  }
  if (!best) return undefined;
  return mapColumns(grid, best.row);
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

function mapColumns(grid: SheetGrid, headerRow: number): ColumnMap {
  const sub = isSubHeader(grid, headerRow);
  const labels: string[] = [];
  for (let c = 0; c < grid.nCols; c++) {
    const top = squash(cell(grid, headerRow, c));
    const below = sub ? squash(cell(grid, headerRow + 1, c)) : '';
    labels.push(below && !grid.filled.has(cellKey(headerRow + 1, c)) ? (fieldOf(below) ? below : `${top}/${below}`) : top);
  }
  const fields: Partial<Record<Field, number>> = {};
  const extras: ColumnMap['extras'] = [];
  const described: Record<string, string> = {};
  const used = new Map<string, number>();
  for (let c = 0; c < grid.nCols; c++) {
    const label = labels[c];
    let f = label ? fieldOf(label) : undefined;
    if (f === undefined && label.includes('/')) f = fieldOf(label.split('/').pop()!);
    // the second of two 实施层级及权限 columns (merged or repeated header) holds the scope text
    if (f === 'level' && fields.level !== undefined) f = fields.scope === undefined && fields.level === c - 1 ? 'scope' : undefined;
    // an unlabelled column right after 实施层级及权限 (the header merged over both, the merge lost) is the scope
    if (f === undefined && !label && fields.level === c - 1 && fields.scope === undefined && /权限/.test(labels[c - 1])) f = 'scope';
    if (f !== undefined && fields[f] === undefined) {
      fields[f] = c;
      described[columnName(c)] = `${label}→${f}`;
      continue;
    }
    let hasData = false;
    for (let r = headerRow + 1; r < grid.rows.length && !hasData; r++) hasData = cell(grid, r, c) !== '';
    if (!label && !hasData) continue;
    const known = KNOWN_EXTRAS.find(([, re]) => re.test(normaliseHeader(label)))?.[0];
    let key = known ?? (label || `列${columnName(c)}`);
    const n = (used.get(key) ?? 0) + 1;
    used.set(key, n);
    if (n > 1) key = `${key}(${n})`;
    extras.push({ col: c, label: key });
    described[columnName(c)] = `${label || '（无表头）'}→附加字段「${key}」`;
  }
  return { headerRow, dataStart: headerRow + (sub ? 2 : 1), fields, extras, described };
}
