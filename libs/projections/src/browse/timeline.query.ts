import { NotFoundError, departmentNameOn, entryOn } from '../../../domain/src';
import { RegistryProjection } from '../registry/registry.projection';
import type { ItemTimeline } from '../../../contract/src';

/** The answer's shape is the contract's (libs/contract/src/browse.ts): one declaration. */
export type { ItemTimeline } from '../../../contract/src';
export type TimelineLane = ItemTimeline['lanes'][number];
export type TimelineSegment = TimelineLane['segments'][number];

/**
 * An item's list entry in one region on the valid-time axis, as known at `asKnownAt` (default now): one
 * lane per department with the intervals it held the item. Computed with the domain's own fold (entryOn)
 * at every effective date, so the picture and the ownership answers cannot disagree. A lane still open
 * is named as on `today` (the caller's calendar date).
 */
export function itemTimeline(view: RegistryProjection, q: { item: string; region: string; asKnownAt?: string; today: string }): ItemTimeline {
  const { item, asKnownAt } = q;
  if (!view.hasCatalogItem(item)) throw new NotFoundError('UNKNOWN_ITEM', `事项 ${item} 不在目录中`);
  const regionNow = view.region(q.region);
  if (!regionNow) throw new NotFoundError('UNKNOWN_REGION', `行政区划 ${q.region} 不存在`);
  const facts = view.assignmentFacts(q.region, item, asKnownAt);
  const dates = [...new Set(facts.map((f) => f.event.data.effectiveFrom))].sort();
  const lanes = new Map<string, TimelineLane>();
  const open = new Map<string, TimelineSegment>();
  const delegations: ItemTimeline['delegations'] = [];
  const received: ItemTimeline['received'] = [];
  let lastDelegated = '';
  let lastReceived = '';
  for (let i = 0; i < dates.length; i++) {
    const date = dates[i];
    const next = dates[i + 1] ?? null;
    const entry = entryOn(facts, date);
    const seen = new Set<string>();
    for (const h of entry.holdings) {
      seen.add(h.departmentId);
      const cur = open.get(h.departmentId);
      if (cur && cur.role === h.role && cur.eventId === h.eventId) {
        cur.to = next;
        continue;
      }
      if (cur) cur.to = date;
      const seg: TimelineSegment = { from: date, to: next, role: h.role, document: h.document, eventId: h.eventId };
      open.set(h.departmentId, seg);
      let lane = lanes.get(h.departmentId);
      if (!lane) lanes.set(h.departmentId, (lane = { departmentId: h.departmentId, departmentName: h.departmentId, segments: [] }));
      lane.segments.push(seg);
    }
    for (const [id, seg] of open) {
      if (!seen.has(id)) {
        seg.to = date;
        open.delete(id);
      }
    }
    const d = entry.delegatedTo.join(',');
    if (d !== lastDelegated) {
      if (delegations.length && delegations[delegations.length - 1].to === null) delegations[delegations.length - 1].to = date;
      if (d) delegations.push({ from: date, to: null, regions: entry.delegatedTo });
      lastDelegated = d;
    }
    const r = entry.receivedFrom ?? '';
    if (r !== lastReceived) {
      if (received.length && received[received.length - 1].to === null) received[received.length - 1].to = date;
      if (r) received.push({ from: date, to: null, fromRegion: r });
      lastReceived = r;
    }
  }
  for (const lane of lanes.values()) {
    const d = view.department(lane.departmentId, asKnownAt);
    const last = lane.segments[lane.segments.length - 1];
    if (d) lane.departmentName = departmentNameOn(d, last.to === null ? q.today : last.from);
  }
  const versions = view.catalogItem(item, asKnownAt);
  const region = view.region(q.region, asKnownAt);
  return {
    item,
    itemName: (versions[versions.length - 1] ?? view.catalogItem(item)[0]).name,
    region: q.region,
    regionName: (region ?? regionNow).name,
    asKnownAt: asKnownAt ?? null,
    catalogue: versions.map((v) => ({ from: v.from, name: v.name, type: v.type, retired: v.retired, document: v.document })),
    lanes: [...lanes.values()].sort((a, b) => (a.segments[0].from < b.segments[0].from ? -1 : a.segments[0].from > b.segments[0].from ? 1 : 0)),
    delegations,
    received,
    dates,
  };
}
