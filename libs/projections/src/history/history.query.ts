import { DocumentRef, NotFoundError } from '../../../domain/src';
import { RegistryProjection } from '../registry/registry.projection';
import { Fact } from '../projection';

export interface HistoryEntry {
  eventId: string;
  type: string;
  position: number;
  regionCode?: string;
  effectiveFrom?: string;
  recordedAt: string;
  document?: DocumentRef;
  reason?: string;
  /** The event's own data (who, what). */
  data: Record<string, unknown>;
  /** Set when a later correction retracted this event. */
  retractedBy?: { eventId: string; recordedAt: string; reason: string; document: DocumentRef; actor?: string };
  /** Who recorded it: for reviewers and admins only. */
  actor?: string;
}

/** Every event touching the item, in recorded order (optionally in one region, plus its catalogue entry). */
export function itemHistory(view: RegistryProjection, q: { item: string; region?: string; withActors: boolean }): { item: string; region: string | null; events: HistoryEntry[] } {
  if (view.itemFacts(q.item).length === 0 || !view.hasCatalogItem(q.item)) throw new NotFoundError('UNKNOWN_ITEM', `事项 ${q.item} 不在目录中`);
  if (q.region && !view.hasRegion(q.region)) throw new NotFoundError('UNKNOWN_REGION', `行政区划 ${q.region} 不存在`);
  // One region: its entry, the catalogue entry and their retractions, without scanning the other regions' entries.
  const facts = q.region ? view.itemFactsIn(q.region, q.item) : view.itemFacts(q.item);
  const regionOf = (f: Fact): string | undefined => {
    const d = f.event.data as { regionCode?: string; eventId?: string };
    if (f.event.type === 'EventRetracted') {
      const target = view.retractionOf(d.eventId!)?.target;
      return target ? ((target.event.data as { regionCode?: string }).regionCode ?? undefined) : undefined;
    }
    return d.regionCode;
  };
  const events = facts
    .filter((f) => !q.region || regionOf(f) === undefined || regionOf(f) === q.region)
    .map((f) => {
      const d = f.event.data as unknown as Record<string, unknown> & { effectiveFrom?: string; document?: DocumentRef; reason?: string };
      const r = view.retractionOf(f.eventId);
      const { effectiveFrom, document, reason, ...rest } = d;
      const entry: HistoryEntry = {
        eventId: f.eventId,
        type: f.event.type,
        position: f.position,
        ...(regionOf(f) ? { regionCode: regionOf(f) } : {}),
        ...(effectiveFrom ? { effectiveFrom } : {}),
        recordedAt: f.recordedAt,
        ...(document ? { document } : {}),
        ...(reason ? { reason } : {}),
        data: rest,
        ...(r ? { retractedBy: { eventId: r.retraction.eventId, recordedAt: r.recordedAt, reason: r.data.reason, document: r.data.document, ...(q.withActors && r.retraction.actor ? { actor: r.retraction.actor } : {}) } } : {}),
        ...(q.withActors && f.actor ? { actor: f.actor } : {}),
      };
      return entry;
    });
  return { item: q.item, region: q.region ?? null, events };
}
