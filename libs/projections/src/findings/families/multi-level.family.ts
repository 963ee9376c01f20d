/** 多层重复执法: the same item held in the region and in an ancestor or descendant on the same dates. */
import { EntryOn, Holding, RegionState, catalogVersionOn } from '../../../../domain/src';
import { Detail, FindingFamily, itemOf, nameOf } from '../family';
import { keyedSegmentsOver, sortedDates } from '../intervals';
import { RegionContext, entryAt } from '../region-context';

function ancestors(ctx: RegionContext): RegionState[] {
  const out: RegionState[] = [];
  let r: RegionState | null = ctx.region;
  while (r?.parentCode && out.length < 4) {
    r = ctx.regionByCode(r.parentCode);
    if (r) out.push(r);
  }
  return out;
}

function descendants(ctx: RegionContext): RegionState[] {
  const out: RegionState[] = [];
  const queue = [ctx.region.code];
  while (queue.length) {
    const code = queue.shift()!;
    for (const child of ctx.childCodes(code)) {
      const r = ctx.regionByCode(child);
      if (!r) continue;
      out.push(r);
      queue.push(child);
    }
  }
  return out;
}

/** The lower entry came down from the upper region by delegation (directly or through the regions between). */
function delegatedDown(ctx: RegionContext, upper: string, item: string, lowerEntry: EntryOn, d: string): boolean {
  let e = lowerEntry;
  for (let i = 0; i < 4 && e.receivedFrom; i++) {
    if (e.receivedFrom === upper) return true;
    e = entryAt(ctx.entry(e.receivedFrom, item), d);
  }
  return false;
}

/** Items held in both `upper` and `lower` (a descendant) on the same dates. */
function* pair(ctx: RegionContext, upper: RegionState, lower: RegionState, mine: string[]) {
  const other = ctx.view.itemCodesIn(upper.code === ctx.region.code ? lower.code : upper.code);
  if (other.size === 0) return;
  // the units of the pair are replayed at once while no list from the lower region up changed (the pair's
  // entries and the delegations between them), nor the catalogue, a region or a retraction
  const g = ctx.group(`multi-level|${upper.code}|${lower.code}`, pathStamp(ctx, lower.code));
  if (g.replayed) return;
  for (const item of mine) {
    if (!other.has(item)) continue;
    yield;
    ctx.unit(`multi-level|${upper.code}|${upper.since}|${upper.level}|${lower.code}|${lower.since}|${lower.level}|${item}`, () => pairFindings(ctx, upper, lower, item));
  }
  g.done();
}

/** Counts that change whenever a list of the region or of a region above it does, or the catalogue, a region, a retraction. */
function pathStamp(ctx: RegionContext, code: string): string {
  const v = ctx.view;
  let n = 0;
  for (let c: string | undefined = code, i = 0; c && i < 8; c = v.region(c)?.parentCode, i++) n += v.entryChangeCount(c);
  return `${n}:${v.catalogChangeCount}:${v.regionChangeCount}:${v.retractionCount}`;
}

/** One item held in `upper` and `lower` (one unit: replayed while both entries, the delegations and the catalogue stay). */
function pairFindings(ctx: RegionContext, upper: RegionState, lower: RegionState, item: string): void {
  const up = ctx.entry(upper.code, item);
  const low = ctx.entry(lower.code, item);
  if (up.holders.size === 0 || low.holders.size === 0) return;
  const versions = ctx.catalog(item);
  const dates = sortedDates([...up.dates, ...low.dates, ...versions.map((v) => v.from)]).filter((d) => d >= upper.since && d >= lower.since);
  const found = keyedSegmentsOver(dates, (d) => {
    const now = new Map<string, Detail>();
    const u = entryAt(up, d);
    const l = entryAt(low, d);
    if (u.holdings.length === 0 || l.holdings.length === 0) return now;
    const explained = delegatedDown(ctx, upper.code, item, l, d);
    const v = catalogVersionOn(versions, d);
    const levelsOk = !!v && !v.retired && v.levels.includes(upper.level) && v.levels.includes(lower.level);
    if (explained && levelsOk) return now;
    const scope = compareScopes(ctx, scopeOf(u.holdings), scopeOf(l.holdings));
    // 分级行使: the levels divide the matter (scope, scale, amount, territory, or one receives and forwards)
    if (scope.verdict === 'divided') return now;
    const reasons = [...(explained ? [] : ['no-delegation']), ...(levelsOk ? [] : ['catalogue-levels']), ...(scope.verdict === 'same' ? ['same-scope'] : [])];
    now.set(scope.verdict === 'unknown' && levelsOk ? 'u' : 'm', {
      item: { itemCode: item, itemName: v?.name ?? versions[0]?.name ?? item, ...(v ? { type: v.type } : {}) },
      upper: { regionCode: upper.code, level: upper.level, holders: u.holdings.map((h) => ({ departmentId: h.departmentId, role: h.role, since: h.since })) },
      lower: { regionCode: lower.code, level: lower.level, holders: l.holdings.map((h) => ({ departmentId: h.departmentId, role: h.role, since: h.since })), ...(l.receivedFrom ? { receivedFrom: l.receivedFrom } : {}) },
      catalogueLevels: v?.levels ?? [],
      reasons,
      scope,
    });
    return now;
  });
  const segs = found.get('m');
  if (segs) ctx.add('multi-level', [item, lower.code], segs, [upper.code, lower.code], upper.code);
  const unscoped = found.get('u');
  if (unscoped) ctx.add('multi-level-unscoped', [item, lower.code], unscoped, [upper.code, lower.code], upper.code);
}

/** The scope a level's list gives the item (权限 / 实施层级及权限 as published), '' when none. */
function scopeOf(holdings: Holding[]): string {
  for (const h of holdings) {
    const f = h.asPublished?.fields;
    const t = (f?.['权限'] || f?.['实施层级及权限'] || f?.['行使层级及权限'] || '').trim();
    if (t) return t;
  }
  return '';
}

/** One level only receives, checks or forwards (受理、初审、上报 …). */
const FORWARDS = /受理|接收|收件|初审|初核|审核后?上报|上报|转报|报送|签署意见|提出意见|出具意见|协助|配合/;
/** A scope that divides by territory, own level, scale or amount (本级、辖区内、…以上/以下、限额、万元 …). */
const DIVIDES = /本级|本辖区|辖区内|本行政区域内?|管辖范围|职责范围|权限内|限额|以上|以下|万元|亩|吨|跨区|跨县|全市|全区|全县|市级|区级|县级|属地|登记的|设立的/;

export interface ScopeVerdict {
  /** divided: 分级行使 (no finding); same: 多层重复执法; unknown: 未注明层级权限. */
  verdict: 'divided' | 'same' | 'unknown';
  upper: string;
  lower: string;
  why: string;
  /** Cosine of the two scope texts (when both are given). */
  score?: number;
}

/** 分级行使 or 多层重复执法, by the two levels' scope texts. */
export function compareScopes(ctx: RegionContext, upper: string, lower: string): ScopeVerdict {
  const base = { upper, lower };
  if (!upper && !lower) return { ...base, verdict: 'unknown', why: '两级清单均未注明层级权限' };
  const one = upper || lower;
  const side = upper ? '上级' : '下级';
  if (!upper || !lower) {
    if (FORWARDS.test(one)) return { ...base, verdict: 'divided', why: `${side}仅受理、初审或上报（「${one}」）` };
    if (DIVIDES.test(one)) return { ...base, verdict: 'divided', why: `${side}按范围、规模或属地划分（「${one}」）` };
    return { ...base, verdict: 'unknown', why: `仅${side}注明层级权限（「${one}」），未见划分` };
  }
  const score = Math.round(ctx.engine.vectors.cosine(upper, lower) * 10000) / 10000;
  if (FORWARDS.test(upper) !== FORWARDS.test(lower)) return { ...base, verdict: 'divided', why: `一级受理或上报、一级决定（「${upper}」/「${lower}」）`, score };
  if (score < 0.8 && (DIVIDES.test(upper) || DIVIDES.test(lower))) return { ...base, verdict: 'divided', why: `两级权限按范围、规模或属地划分（「${upper}」/「${lower}」，相似度 ${score.toFixed(2)}）`, score };
  return { ...base, verdict: 'same', why: `两级权限相同（「${upper}」/「${lower}」，相似度 ${score.toFixed(2)}）`, score };
}

function* run(ctx: RegionContext) {
  const mine = ctx.entries();
  if (mine.length === 0) return;
  for (const a of ancestors(ctx)) yield* pair(ctx, a, ctx.region, mine);
  for (const d of descendants(ctx)) yield* pair(ctx, ctx.region, d, mine);
}

const levels = (d: Detail) => {
  const u = d.upper as { regionName: string; holders: unknown[] };
  const l = d.lower as { regionName: string; holders: unknown[] };
  return `${u.regionName}（${u.holders.map(nameOf).join('、')}）与 ${l.regionName}（${l.holders.map(nameOf).join('、')}）`;
};
const REASON_ZH: Record<string, string> = { 'no-delegation': '无下放依据', 'catalogue-levels': '目录层级不含其一', 'same-scope': '两级权限相同' };
const why = (d: Detail) => (d.reasons as string[]).map((r) => REASON_ZH[r] ?? r).join('、');

export const multiLevelFamily: FindingFamily = {
  name: 'multi-level',
  kinds: [
    {
      kind: 'multi-level',
      nameZh: '多层重复执法',
      severity: 'blue',
      group: 'overlap',
      rank: 30,
      title: (d) => `「${itemOf(d).itemName}」在 ${levels(d)} 同时行使：${why(d)}`,
    },
    {
      kind: 'multi-level-unscoped',
      nameZh: '未注明层级权限（两级同时持有）',
      severity: 'blue',
      group: 'overlap',
      rank: 35,
      // a lead by design (precision.ts LEADS_BY_DESIGN): it says it cannot judge
      title: (d) => `「${itemOf(d).itemName}」在 ${levels(d)} 均有，未注明各级权限，无法判断是分级行使还是重复执法`,
    },
  ],
  run,
};
