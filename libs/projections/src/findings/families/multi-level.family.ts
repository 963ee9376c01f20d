/** 多层重复执法: the same item held in the region and in an ancestor or descendant on the same dates. */
import { EntryOn, RegionState, catalogVersionOn } from '../../../../domain/src';
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
function* pair(ctx: RegionContext, upper: RegionState, lower: RegionState, mine: Set<string>) {
  const other = ctx.view.itemCodesIn(upper.code === ctx.region.code ? lower.code : upper.code);
  if (other.size === 0) return;
  for (const item of [...other].sort()) {
    if (!mine.has(item)) continue;
    yield;
    const up = ctx.entry(upper.code, item);
    const low = ctx.entry(lower.code, item);
    if (up.holders.size === 0 || low.holders.size === 0) continue;
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
      const reasons = [...(explained ? [] : ['no-delegation']), ...(levelsOk ? [] : ['catalogue-levels'])];
      now.set('m', {
        item: { itemCode: item, itemName: v?.name ?? versions[0]?.name ?? item },
        upper: { regionCode: upper.code, level: upper.level, holders: u.holdings.map((h) => ({ departmentId: h.departmentId, role: h.role, since: h.since })) },
        lower: { regionCode: lower.code, level: lower.level, holders: l.holdings.map((h) => ({ departmentId: h.departmentId, role: h.role, since: h.since })), ...(l.receivedFrom ? { receivedFrom: l.receivedFrom } : {}) },
        catalogueLevels: v?.levels ?? [],
        reasons,
      });
      return now;
    });
    const segs = found.get('m');
    if (segs) ctx.add('multi-level', [item, lower.code], segs, [upper.code, lower.code], upper.code);
  }
}

function* run(ctx: RegionContext) {
  const mine = new Set(ctx.entries());
  if (mine.size === 0) return;
  for (const a of ancestors(ctx)) yield* pair(ctx, a, ctx.region, mine);
  for (const d of descendants(ctx)) yield* pair(ctx, ctx.region, d, mine);
}

export const multiLevelFamily: FindingFamily = {
  name: 'multi-level',
  kinds: [
    {
      kind: 'multi-level',
      nameZh: '多层重复执法',
      severity: 'blue',
      group: 'overlap',
      rank: 30,
      title: (d) => {
        const u = d.upper as { regionName: string; holders: unknown[] };
        const l = d.lower as { regionName: string; holders: unknown[] };
        const why = (d.reasons as string[]).map((r) => (r === 'no-delegation' ? '无下放依据' : '目录层级不含其一')).join('、');
        return `「${itemOf(d).itemName}」在 ${u.regionName}（${u.holders.map(nameOf).join('、')}）与 ${l.regionName}（${l.holders.map(nameOf).join('、')}）同时行使：${why}`;
      },
    },
  ],
  run,
};
