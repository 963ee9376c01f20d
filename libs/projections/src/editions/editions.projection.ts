import { EditionEvent, EditionPublishedData } from '../../../domain/src';
import { Fact, Projection } from '../projection';

export interface EditionRecord extends EditionPublishedData {
  /** As recorded, or (absent in the event: a change set's edition) the edition's own recorded instant. */
  contentAsKnownAt: string;
  eventId: string;
  recordedAt: string;
}

/**
 * The editions read model (年版): per region, every EditionPublished fact with its recorded time, and
 * the retractions of those facts, so that "which editions were there, as known at an instant" folds
 * like every other question. Fed by the runner; a rebuild gives the same state as the live one.
 */
export class EditionsProjection implements Projection {
  readonly name = 'editions';
  private readonly byRegion = new Map<string, Fact<EditionEvent>[]>();
  private readonly retracted = new Map<string, string>();
  /** Changes whenever a fact is applied (for callers' caches: ETags of public pages). */
  version = 0;

  apply(fact: Fact): void {
    const e = fact.event;
    if (e.type === 'EditionPublished') {
      const list = this.byRegion.get(e.data.regionCode);
      if (list) list.push(fact as Fact<EditionEvent>);
      else this.byRegion.set(e.data.regionCode, [fact as Fact<EditionEvent>]);
    } else if (e.type === 'EventRetracted' && fact.stream.startsWith('editions-')) {
      this.retracted.set(e.data.eventId, fact.recordedAt);
    } else return;
    this.version++;
  }

  reset(): void {
    this.byRegion.clear();
    this.retracted.clear();
    this.version = 0;
  }

  state(): unknown {
    const keys = [...this.byRegion.keys()].sort();
    return {
      regions: keys.map((k) => [k, this.byRegion.get(k)!.map((f) => [f.eventId, f.position, f.recordedAt, f.event])]),
      retracted: [...this.retracted.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    };
  }

  /** The region's editions in recorded order, as known at asKnownAt (default now; retracted ones left out). */
  editions(regionCode: string, asKnownAt?: string): EditionRecord[] {
    return (this.byRegion.get(regionCode) ?? [])
      .filter((f) => {
        if (asKnownAt && f.recordedAt > asKnownAt) return false;
        const r = this.retracted.get(f.eventId);
        return !(r !== undefined && (!asKnownAt || r <= asKnownAt));
      })
      .map((f) => ({ ...f.event.data, contentAsKnownAt: f.event.data.contentAsKnownAt ?? f.recordedAt, eventId: f.eventId, recordedAt: f.recordedAt }));
  }

  regionCodes(): string[] {
    return [...this.byRegion.keys()].sort();
  }
}
