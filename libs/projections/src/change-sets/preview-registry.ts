/**
 * The temporary read model of a change set's preview, without copying the lists it does not change: it is
 * fed the facts of the region scope (RegistryProjection.factsAbout) but, of the list entries, only those of
 * the regions the draft writes (the region previewed among them); the list entries of every other region
 * of the scope (the regions above the county, those below it) are answered by the live read model, whose
 * facts of those streams are the very facts the temporary one would hold.
 */
import { AssignmentEvent, assignmentStream } from '../../../domain/src';
import { Fact } from '../projection';
import { RegistryProjection, Retraction } from '../registry/registry.projection';

/** The region of an assignment stream (`assignment-<region>-<item>`; region codes have no dash), else undefined. */
export function entryRegionOf(stream: string): string | undefined {
  if (!stream.startsWith('assignment-')) return undefined;
  const dash = stream.indexOf('-', 11);
  return dash < 0 ? undefined : stream.slice(11, dash);
}

export class PreviewRegistry extends RegistryProjection {
  constructor(
    private readonly live: RegistryProjection,
    /** The regions whose list entries are the live read model's (none of their streams is written by the draft). */
    private readonly lent: ReadonlySet<string>,
  ) {
    super();
  }

  override assignmentFacts(regionCode: string, itemCode: string, asKnownAt?: string): Fact<AssignmentEvent>[] {
    return this.lent.has(regionCode) ? this.live.assignmentFacts(regionCode, itemCode, asKnownAt) : super.assignmentFacts(regionCode, itemCode, asKnownAt);
  }

  override itemCodesIn(regionCode: string): ReadonlySet<string> {
    return this.lent.has(regionCode) ? this.live.itemCodesIn(regionCode) : super.itemCodesIn(regionCode);
  }

  override hasEntriesIn(regionCode: string): boolean {
    return this.lent.has(regionCode) ? this.live.hasEntriesIn(regionCode) : super.hasEntriesIn(regionCode);
  }

  override entryFactCount(regionCode: string, itemCode: string): number {
    return this.lent.has(regionCode) ? this.live.entryFactCount(regionCode, itemCode) : super.entryFactCount(regionCode, itemCode);
  }

  override entryChangeCount(regionCode: string): number {
    return this.lent.has(regionCode) ? this.live.entryChangeCount(regionCode) : super.entryChangeCount(regionCode);
  }

  override lastChangeOf(kind: 'entry' | 'catalog' | 'department', key: string, itemCode?: string): string {
    return kind === 'entry' && this.lent.has(key) ? this.live.lastChangeOf(kind, key, itemCode) : super.lastChangeOf(kind, key, itemCode);
  }

  override recordedEntryFacts(regionCode: string, itemCode: string): readonly Fact<AssignmentEvent>[] {
    return this.lent.has(regionCode) ? this.live.recordedEntryFacts(regionCode, itemCode) : super.recordedEntryFacts(regionCode, itemCode);
  }

  override itemFactsIn(regionCode: string, itemCode: string): Fact[] {
    return this.lent.has(regionCode) ? this.live.itemFactsIn(regionCode, itemCode) : super.itemFactsIn(regionCode, itemCode);
  }

  override entriesOf(departmentId: string): Array<{ regionCode: string; itemCode: string }> {
    const own = super.entriesOf(departmentId);
    const lent = this.live.entriesOf(departmentId).filter((e) => this.lent.has(e.regionCode));
    return lent.length ? [...own, ...lent] : own;
  }

  override *entryKeys(): Iterable<{ regionCode: string; itemCode: string }> {
    yield* super.entryKeys();
    for (const e of this.live.entryKeys()) if (this.lent.has(e.regionCode)) yield e;
  }

  override itemFacts(itemCode: string): readonly Fact[] {
    const lent: Fact[] = [];
    for (const r of this.lent) for (const f of this.live.itemFactsIn(r, itemCode)) if (f.stream === assignmentStream(r, itemCode)) lent.push(f);
    return lent.length ? [...super.itemFacts(itemCode), ...lent].sort((a, b) => a.position - b.position) : super.itemFacts(itemCode);
  }

  override retractionOf(eventId: string): Retraction | undefined {
    const own = super.retractionOf(eventId);
    if (own) return own;
    const r = this.live.retractionOf(eventId);
    const region = r && entryRegionOf(r.retraction.stream);
    return region !== undefined && this.lent.has(region) ? r : undefined;
  }
}
