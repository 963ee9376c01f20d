/**
 * Text helpers for published lists: names wrapped mid-word in narrow columns, layout spaces, legal
 * bases in one cell. Pure functions, no I/O.
 */
import { ITEM_TYPES, ItemType, LEVELS, Level } from '../../domain/src';

/** Every whitespace character removed (narrow columns wrap names mid-word: "对拒绝\n配合统\n计调查"). */
export function squash(s: string): string {
  return s.replace(/[\s\u00a0\u3000\u200b\ufeff]+/g, '');
}

/** Runs of spaces collapsed, spaces next to full-width punctuation dropped (layout artefacts). */
export function collapseSpaces(s: string): string {
  return s
    .replace(/[ \t\u00a0\u3000\u200b]+/g, ' ')
    .replace(/ ?([，。、；：！？（）《》【】〈〉“”‘’]) ?/g, '$1')
    .trim();
}

/** A cell's text as kept: line breaks normalised, control characters dropped, trimmed. */
export function cleanCell(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
}

/** The key two names are compared by: no whitespace, one form of brackets and common punctuation. */
export function nameKey(s: string): string {
  return squash(s)
    .replace(/[（]/g, '(')
    .replace(/[）]/g, ')')
    .replace(/[，]/g, ',')
    .replace(/[；]/g, ';')
    .replace(/[：]/g, ':')
    .replace(/[“”"]/g, '"')
    .replace(/[‘’']/g, "'")
    .replace(/[〈＜]/g, '<')
    .replace(/[〉＞]/g, '>');
}

const TYPE_SET = new Set<string>(ITEM_TYPES);

/** Letter and number codes some provinces use for the type (Liaoning 01…10/20, Karamay XK/CF …). */
const TYPE_CODES: Record<string, ItemType> = {
  '01': '行政许可', '1': '行政许可', XK: '行政许可',
  '02': '行政处罚', '2': '行政处罚', CF: '行政处罚',
  '03': '行政强制', '3': '行政强制', QZ: '行政强制',
  '04': '行政征收', '4': '行政征收', ZS: '行政征收',
  '05': '行政给付', '5': '行政给付', JF: '行政给付', GF: '行政给付',
  '06': '行政检查', '6': '行政检查', JC: '行政检查',
  '07': '行政确认', '7': '行政确认', QR: '行政确认',
  '08': '行政奖励', '8': '行政奖励', JL: '行政奖励',
  '09': '行政裁决', '9': '行政裁决', CJ: '行政裁决',
  '10': '其他行政权力', QT: '其他行政权力',
  '20': '公共服务', GG: '公共服务',
};

/**
 * A published type in one of the eleven types, or undefined. Accepts the short forms (许可, 处罚),
 * 行政强制措施/行政强制执行, 行政监督检查, 其他权力/其他职权/其他类, 公共服务事项, the numeric and letter
 * codes of the national code scheme, and a trailing "类" or "事项".
 */
export function normaliseType(raw: string): ItemType | undefined {
  let t = squash(raw).replace(/[（(].*?[)）]$/, '');
  if (!t) return undefined;
  if (TYPE_CODES[t.toUpperCase()]) return TYPE_CODES[t.toUpperCase()];
  t = t.replace(/(类事项|事项|类)$/, '') || t;
  if (TYPE_SET.has(t)) return t as ItemType;
  if (/^其他/.test(t)) return '其他行政权力';
  if (/^公共服务/.test(t)) return '公共服务';
  if (/^行政强制(措施|执行)?$/.test(t) || t === '强制' || t === '强制措施' || t === '强制执行') return '行政强制';
  if (/^行政(监督)?检查$/.test(t) || t === '检查' || t === '监督检查') return '行政检查';
  if (t === '行政征用' || t === '征用') return '行政征收';
  for (const it of ITEM_TYPES) {
    const short = it.replace(/^行政/, '');
    if (t === short || t === `行政${short}`) return it;
  }
  return undefined;
}

/** The type named by a per-type sheet or a section row: "行政处罚（254项）", "一、行政许可（11项）". */
export function typeFromTitle(title: string): ItemType | undefined {
  const s = squash(title)
    .replace(/^([一二三四五六七八九十]+|\d+)[、.．]/, '')
    .replace(/[（(].*$/, '')
    .replace(/(清单|事项|目录)$/, '');
  return normaliseType(s);
}

/** Levels named in a 实施层级 text (自治区级 / 地州市级 / 县市区级 / 乡镇, and their other spellings). */
export function parseLevels(raw: string): Level[] {
  const t = squash(raw)
    .replace(/自治区(本)?级/g, '省级')
    .replace(/县市区|县\(市、区\)|县（市、区）|县\(市\)|县（市）|县市|旗县市区|旗县区|县区|区县|旗县/g, '县');
  const out = new Set<Level>();
  if (/省级|省本级|省\(区、市\)|省（区、市）|省直/.test(t)) out.add('province');
  if (/地州市|地\(州、市\)|地（州、市）|州市|市级|市本级|地级|设区的市|地市|市州|盟市/.test(t)) out.add('city');
  if (/县级|县本级|县\(区\)|县（区）|区级|县$/.test(t) || /(^|、|，|,)县(、|，|,|$)/.test(t)) out.add('county');
  if (/乡镇|乡\(镇|乡（镇|街道|乡级|镇级|乡、镇/.test(t)) out.add('township');
  return LEVELS.filter((l) => out.has(l));
}

/** A leading list number of a sub-item: "2.", "（3）", "二、". */
export function stripListNumber(s: string): string {
  return s.replace(/^\s*((\d+|[一二三四五六七八九十]+)\s*[.．、,，]|[（(]\s*\d+\s*[）)])\s*/, '');
}

/**
 * Several 子项 packed in one cell ("1.新设采矿权审批   2.采矿权延续登记 …"): the parts, when the cell
 * numbers them 1, 2, 3 … in order; otherwise the cell as one sub-item.
 */
export function splitPackedSubItems(raw: string): string[] {
  const text = raw.trim();
  if (!text) return [];
  const re = /(^|[\s；;。，,])(\d{1,2})\s*[.．、](?!\d)/g;
  const marks: Array<{ n: number; at: number; body: number }> = [];
  for (let m = re.exec(text); m; m = re.exec(text)) marks.push({ n: Number(m[2]), at: m.index + m[1].length, body: m.index + m[0].length });
  // keep the marks that number the parts 1, 2, 3 … from the start of the cell
  const seq: typeof marks = [];
  for (const m of marks) if (m.n === seq.length + 1 && (seq.length > 0 || m.at === 0)) seq.push(m);
  if (seq.length < 2) return [text];
  return seq.map((m, i) => text.slice(m.body, i + 1 < seq.length ? seq[i + 1].at : undefined).replace(/[\s；;。，,]+$/, '').trim()).filter((s) => s !== '');
}

/**
 * An 实施依据 cell split into legal references. A reference starts at a line (or a sentence after "；"/"。")
 * that begins with 【法律】-style tags, 《…》 or 实施《…》 (optionally after a list number); other lines
 * (article text, wrapped lines) belong to the reference above. Nothing is cut.
 */
export function splitBasis(raw: string): string[] {
  const startsRef = (s: string): boolean => {
    const t = s.replace(/^[\s\u3000]*((\d+|[一二三四五六七八九十]+)[.．、]|[（(]\d+[）)])?[\s\u3000]*/, '');
    return /^(【|\[|《|实施《|[^\s《》【】]{1,6}】《)/.test(t);
  };
  const units: Array<{ text: string; forceNew: boolean }> = [];
  for (const line of raw.replace(/\r\n?/g, '\n').split('\n')) {
    if (!line.trim()) continue;
    const sentences = line.match(/[^；。;]*[；。;]?/g)?.filter((s) => s !== '') ?? [line];
    let cur = '';
    let first = true;
    for (const s of sentences) {
      if (cur && startsRef(s)) {
        units.push({ text: cur, forceNew: false });
        cur = s;
        first = false;
        units.push({ text: '', forceNew: true });
      } else cur += s;
    }
    if (first || cur) units.push({ text: cur, forceNew: false });
  }
  const refs: string[] = [];
  let current = '';
  let forceNew = false;
  for (const u of units) {
    if (u.forceNew) {
      forceNew = true;
      continue;
    }
    const piece = collapseSpaces(u.text);
    if (!piece) continue;
    if (!current) current = piece;
    else if (forceNew || startsRef(piece)) {
      refs.push(current);
      current = piece;
    } else current += piece;
    forceNew = false;
  }
  if (current) refs.push(current);
  return refs.map((r) => r.trim()).filter((r) => r !== '' && !/^[；。;,，、\s]*$/.test(r));
}

/** What lists write in an optional cell that has nothing to say: 无, /, —, 空, 暂无 (and their variants). */
export function isPlaceholder(s: string): boolean {
  // the longest placeholder is 3 characters: a long cell (a basis, a scope) is never one, whatever its spaces
  if (s.length > 64) return false;
  return /^(无|\/|／|\\|—+|－+|-+|–+|空|暂无|无。|没有|不涉及|\(无\)|（无）)$/.test(squash(s));
}

/** A cell's value, or '' when it only holds a placeholder. */
export const unlessPlaceholder = (s: string): string => (isPlaceholder(s) ? '' : s);

export const isItemType = (s: string): s is ItemType => TYPE_SET.has(s);
