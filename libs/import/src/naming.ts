/**
 * Names and ids the importer derives: the department a 行使主体 cell means, a department's deterministic id,
 * an item's deterministic local code. Pure functions.
 */
import { createHash } from 'node:crypto';
import { Level } from '../../domain/src';
import { nameKey, squash } from './text';

const sha1 = (s: string) => createHash('sha1').update(s, 'utf8').digest('hex');

/**
 * The local code of an item no catalogue knows: "L" + region + "-" + the first 10 hex digits (upper
 * case) of sha1(type + "|" + name). The same as the demo data's codes, so a list and the demo agree.
 */
export function localItemCode(regionCode: string, type: string, name: string): string {
  return `L${regionCode}-${sha1(`${type}|${name}`).slice(0, 10).toUpperCase()}`;
}

/** A department's deterministic id: "D" + region + "-" + 8 hex digits of its name's key (brackets' remarks aside). */
export function departmentId(regionCode: string, name: string): string {
  return `D${regionCode}-${sha1(departmentKey(name)).slice(0, 8).toUpperCase()}`;
}

/** The key two department names are compared by: no whitespace, one form of brackets, remarks in brackets dropped. */
export function departmentKey(name: string): string {
  return nameKey(name).replace(/\([^()]*\)$/g, '').replace(/\([^()]*\)$/g, '');
}

/** A region's name without its kind ("克拉玛依市" → "克拉玛依", "新疆维吾尔自治区" → "新疆"). */
export function shortRegionName(name: string): string {
  return name.replace(/(维吾尔自治区|壮族自治区|回族自治区|特别行政区|自治区|自治州|自治县|自治旗|地区|林区|省|市|县|区|旗|盟|镇|乡|街道)$/, '') || name;
}

const PLACEHOLDERS: Record<Level, RegExp> = {
  province: /^(自治区级?|省级?|省本级)(?=.)/,
  city: /^(地州市级?|地\(州、市\)级?|地（州、市）级?|州市级?|地市级?|设区的市级?|市州级?|盟市级?|市级|市本级|市)(?=.)/,
  county: /^(县市区级?|县\(市、区\)级?|县（市、区）级?|县区级?|区县级?|旗县级?|县级|区级|县|区|旗)(?=.)/,
  township: /^(乡镇级?|乡（镇）|乡\(镇\)|街道|乡|镇)(?=.)/,
};

/**
 * The department a 行使主体 names, spelled out for the region: a placeholder of the region's level or an
 * abbreviation ("地州市农业农村局", "市统计局") gets the region's name ("克拉玛依市农业农村局"); "人民政府（X承办）"
 * means X. Other names are kept as published (whitespace removed).
 */
export function canonicalDepartmentName(raw: string, region: { name: string; level: Level }): string {
  let s = squash(raw).replace(/[。；;，,、]+$/, '');
  const undertaken = /^.*?人民政府[（(](.+?)(具体)?承办[)）]$/.exec(s);
  if (undertaken) s = undertaken[1];
  const short = shortRegionName(region.name);
  if (s.startsWith(region.name) || (short.length >= 2 && s.startsWith(short))) return s;
  // "市场监督管理局" names the market regulator, not "市" + "场…"
  if (/^(市场|市政|县域|区域)/.test(s)) return `${region.name}${s}`;
  const m = PLACEHOLDERS[region.level].exec(s);
  if (m) return `${region.name}${s.slice(m[0].length)}`;
  return s;
}

/**
 * The bodies a 行使主体 cell names: "A、B" → [A, B] (the first leads). Separators inside brackets do not
 * split ("市委宣传部（新闻出版局、版权局）" is one).
 */
export function splitSubjects(raw: string): string[] {
  const s = squash(raw);
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '（' || ch === '(') depth++;
    if (ch === '）' || ch === ')') depth = Math.max(0, depth - 1);
    if (depth === 0 && /[、，,；;/／]/.test(ch)) {
      if (cur) out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) out.push(cur);
  return out.filter((x) => x.length > 0);
}
