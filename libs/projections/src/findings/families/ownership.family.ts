/**
 * Per list entry, from the same fold as the ownership answer: 职责交叉 (more than one lead; settled by a
 * boundary clause) and 职责缺位 (no lead while the item is in the list or applies at the region's level).
 */
import { catalogVersionOn } from '../../../../domain/src';
import { Detail, FindingFamily, FindingKind, itemOf, nameOf } from '../family';
import { keyedSegmentsOver, sortedDates } from '../intervals';
import { RegionContext, entryAt } from '../region-context';
import { Covering, coveringClauses, settledByOn } from '../settlement';

function* run(ctx: RegionContext) {
  for (const item of ctx.itemsToCheck()) {
    yield;
    ctx.unit(`ownership|${item}`, () => itemFindings(ctx, item));
  }
}

/** 职责交叉 and 职责缺位 of one item of the region (one unit: replayed while its entry and catalogue versions stay). */
function itemFindings(ctx: RegionContext, item: string): void {
  const versions = ctx.catalog(item);
  if (versions.length === 0) return;
  const tl = ctx.entry(ctx.region.code, item);
  const names = [...new Set(versions.map((v) => v.name))];
  const leadSets = new Set<string>();
  for (const s of tl.states) {
    const leads = s.holdings.filter((h) => h.role === 'lead').map((h) => h.departmentId);
    if (leads.length > 1) leadSets.add(leads.sort().join('|'));
  }
  const covering = new Map<string, Covering[]>();
  for (const set of leadSets) covering.set(set, coveringClauses(ctx, set.split('|'), [item], names));
  const clauseDates = [...covering.values()].flat().map((c) => c.clause.effectiveFrom);
  const dates = sortedDates([ctx.region.since, ...tl.dates, ...versions.map((v) => v.from), ...clauseDates]).filter((d) => d >= ctx.region.since);
  const meta = new Map<string, { kind: FindingKind; about: string[] }>();
  const found = keyedSegmentsOver(dates, (d) => {
    const now = new Map<string, Detail>();
    const v = catalogVersionOn(versions, d);
    const e = entryAt(tl, d);
    const leads = e.holdings.filter((h) => h.role === 'lead');
    const itemRef = { itemCode: item, itemName: v?.name ?? versions[0].name, type: v?.type ?? versions[0].type };
    if (leads.length > 1) {
      const set = leads.map((h) => h.departmentId).sort().join('|');
      const settledBy = settledByOn(covering.get(set) ?? [], d);
      now.set('conflict', {
        item: itemRef,
        leads: leads.map((h) => ({ departmentId: h.departmentId, since: h.since, document: h.document, eventId: h.eventId })),
        ...(settledBy ? { settledBy } : {}),
      });
      meta.set('conflict', { kind: 'conflict', about: [item] });
    }
    const applies = !!v && !v.retired && v.levels.includes(ctx.region.level) && e.delegatedTo.length === 0;
    if (leads.length === 0 && (e.inList || applies)) {
      now.set('unowned', {
        item: { ...itemRef, levels: v?.levels ?? [] },
        inList: e.inList,
        ...(e.receivedFrom ? { receivedFrom: { regionCode: e.receivedFrom } } : {}),
        cooperating: e.holdings.map((h) => ({ departmentId: h.departmentId })),
        ...(v?.retired ? { retiredInCatalogue: true } : {}),
      });
      meta.set('unowned', { kind: 'unowned', about: [item] });
    }
    return now;
  });
  ctx.addAll(found, meta);
}

export const ownershipFamily: FindingFamily = {
  ownRegionOnly: true,
  name: 'ownership',
  kinds: [
    {
      kind: 'conflict',
      nameZh: '职责交叉（多个牵头部门）',
      severity: 'red',
      group: 'overlap',
      rank: 10,
      title: (d) => `「${itemOf(d).itemName}」有 ${(d.leads as unknown[]).length} 个牵头部门：${(d.leads as unknown[]).map(nameOf).join('、')}${d.settledBy ? '（已有职责分工）' : ''}`,
    },
    {
      kind: 'unowned',
      nameZh: '职责缺位（无人负责）',
      severity: 'red',
      group: 'gap',
      rank: 40,
      title: (d) => `「${itemOf(d).itemName}」${d.inList ? '在清单中但' : '适用于本级但'}无牵头部门`,
    },
  ],
  run,
};
