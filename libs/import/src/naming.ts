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

/**
 * Short forms of department names a list may use, and the full form (the core of the name: without the
 * region's name). Common forms in Chinese government lists; the rule below catches most others.
 */
export const DEPARTMENT_ABBREVIATIONS: Record<string, string> = {
  发改委: '发展和改革委员会',
  发展改革委: '发展和改革委员会',
  工信局: '工业和信息化局',
  科技局: '科学技术局',
  人社局: '人力资源和社会保障局',
  人力社保局: '人力资源和社会保障局',
  住建局: '住房和城乡建设局',
  住建委: '住房和城乡建设委员会',
  交通局: '交通运输局',
  农业局: '农业农村局',
  农牧局: '农业农村局',
  文旅局: '文化和旅游局',
  文体广旅局: '文化体育广播电视和旅游局',
  文体广电旅游局: '文化体育广播电视和旅游局',
  卫健委: '卫生健康委员会',
  卫生健康委: '卫生健康委员会',
  退役军人局: '退役军人事务局',
  应急局: '应急管理局',
  市场监管局: '市场监督管理局',
  医保局: '医疗保障局',
  林草局: '林业和草原局',
  机关事务局: '机关事务管理局',
  国资委: '国有资产监督管理委员会',
  民宗委: '民族宗教事务委员会',
  统战部: '统一战线工作部',
  网信办: '网络安全和信息化委员会办公室',
  城管局: '城市管理局',
  环保局: '生态环境局',
  国土局: '自然资源局',
  广电局: '广播电视局',
  审批局: '行政审批局',
  政务服务局: '政务服务管理局',
  数据局: '数据管理局',
  粮食局: '粮食和物资储备局',
};

/** A department name's core with a known short form spelled out ("科技局" → "科学技术局"). */
export function expandAbbreviation(core: string): string {
  return DEPARTMENT_ABBREVIATIONS[core] ?? core;
}

/** 委员会 / 办公室 compared as 委 / 办 (发改委 ~ 发展和改革委员会). */
const shortenKinds = (s: string) => s.replace(/委员会$/, '委').replace(/办公室$/, '办');

/**
 * Is `short` a plausible short form of `full` (two cores, region name removed)? Conservative: at least
 * three characters, the same first character and the same kind (局, 委, 办 …), and every character of the
 * short form in the full one, in order ("住建局" ~ "住房和城乡建设局", "市场监管局" ~ "市场监督管理局").
 */
export function isAbbreviationOf(short: string, full: string): boolean {
  const a = shortenKinds(short);
  const b = shortenKinds(full);
  if (a.length < 3 || a.length >= b.length || a[0] !== b[0] || a[a.length - 1] !== b[b.length - 1]) return false;
  let i = 0;
  for (const ch of b) if (ch === a[i]) i++;
  return i === a.length;
}
