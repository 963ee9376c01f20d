/**
 * The temporary read model of a change set's preview, without copying the list entries it does not change:
 * it is fed the facts of the region scope (RegistryProjection.factsAbout) but, of the list entries, only the
 * streams the draft writes; every other list entry of a region of the scope is LENT — answered by the live
 * read model, whose facts of that stream are the very facts the temporary one would hold. (Entries of regions
 * outside the scope are not there, as before: nothing the region's list and findings read.)
 */
import { AssignmentEvent, assignmentStream } from '../../../domain/src';
import { Fact } from '../projection';
import { RegistryProjection, Retraction } from '../registry/registry.projection';

/** The region of an assignment stream (`assignment-<region>-<item>`; region codes have no dash), else undefined. */
function entryOfStream(stream: string): { region: string; item: string } | undefined {
  if (!stream.startsWith('assignment-')) return undefined;
  const dash = stream.indexOf('-', 11);
  return dash < 0 ? undefined : { region: stream.slice(11, dash), item: stream.slice(dash + 1) };
}

export class PreviewRegistry extends RegistryProjection {
  private readonly unions = new Map<string, { own: number; codes: ReadonlySet<string> }>();

  constructor(
    private readonly live: RegistryProjection,
    /** The regions whose list entries it answers (the region previewed, those above and below it). */
    private readonly scope: ReadonlySet<string>,
    /** The streams the draft writes: of the list entries, the only ones fed to this read model. */
    private readonly written: ReadonlySet<string>,
  ) {
    super();
  }

  /** Whether the facts the feed accepts of a list entry's stream (the written ones). */
  feeds(stream: string): boolean {
    return this.written.has(stream);
  }

  private lent(region: string, item: string): boolean {
    return this.scope.has(region) && !this.written.has(assignmentStream(region, item));
  }

  override assignmentFacts(regionCode: string, itemCode: string, asKnownAt?: string): Fact<AssignmentEvent>[] {
    return this.lent(regionCode, itemCode) ? this.live.assignmentFacts(regionCode, itemCode, asKnownAt) : super.assignmentFacts(regionCode, itemCode, asKnownAt);
  }

  override itemCodesIn(regionCode: string): ReadonlySet<string> {
    if (!this.scope.has(regionCode)) return super.itemCodesIn(regionCode);
    const live = this.live.itemCodesIn(regionCode);
    const own = super.itemCodesIn(regionCode);
    if (own.size === 0) return live;
    let u = this.unions.get(regionCode);
    if (!u || u.own !== own.size) this.unions.set(regionCode, (u = { own: own.size, codes: new Set([...live, ...own]) }));
    return u.codes;
  }

  override hasEntriesIn(regionCode: string): boolean {
    return (this.scope.has(regionCode) && this.live.hasEntriesIn(regionCode)) || super.hasEntriesIn(regionCode);
  }

  override entryFactCount(regionCode: string, itemCode: string): number {
    return this.lent(regionCode, itemCode) ? this.live.entryFactCount(regionCode, itemCode) : super.entryFactCount(regionCode, itemCode);
  }

  /** The live count and this one's (its written entries, live facts and draft): changes whenever one of them does. */
  override entryChangeCount(regionCode: string): number {
    return (this.scope.has(regionCode) ? this.live.entryChangeCount(regionCode) : 0) + super.entryChangeCount(regionCode);
  }

  override lastChangeOf(kind: 'entry' | 'catalog' | 'department', key: string, itemCode?: string): string {
    return kind === 'entry' && this.lent(key, itemCode!) ? this.live.lastChangeOf(kind, key, itemCode) : super.lastChangeOf(kind, key, itemCode);
  }

  override recordedEntryFacts(regionCode: string, itemCode: string): readonly Fact<AssignmentEvent>[] {
    return this.lent(regionCode, itemCode) ? this.live.recordedEntryFacts(regionCode, itemCode) : super.recordedEntryFacts(regionCode, itemCode);
  }

  override itemFactsIn(regionCode: string, itemCode: string): Fact[] {
    return this.lent(regionCode, itemCode) ? this.live.itemFactsIn(regionCode, itemCode) : super.itemFactsIn(regionCode, itemCode);
  }

  override entriesOf(departmentId: string): Array<{ regionCode: string; itemCode: string }> {
    const own = super.entriesOf(departmentId);
    // a stream fed here holds every live fact of it (it names the department here when it does live): the live
    // entries of the scope that are not here are the lent ones
    const mine = new Map<string, Set<string>>();
    for (const e of own) {
      let m = mine.get(e.regionCode);
      if (!m) mine.set(e.regionCode, (m = new Set()));
      m.add(e.itemCode);
    }
    const lent = this.live.entriesOf(departmentId).filter((e) => this.scope.has(e.regionCode) && !mine.get(e.regionCode)?.has(e.itemCode));
    return lent.length ? [...own, ...lent] : own;
  }

  /** The live count and this one's: the same as the live one's exactly when no entry fed here names the department. */
  override entriesOfCount(departmentId: string): number {
    return this.live.entriesOfCount(departmentId) + super.entriesOfCount(departmentId);
  }

  override *entryKeys(): Iterable<{ regionCode: string; itemCode: string }> {
    yield* super.entryKeys();
    for (const e of this.live.entryKeys()) if (this.lent(e.regionCode, e.itemCode)) yield e;
  }

  override itemFacts(itemCode: string): readonly Fact[] {
    const lent: Fact[] = [];
    for (const r of this.scope) {
      if (!this.lent(r, itemCode)) continue;
      const stream = assignmentStream(r, itemCode);
      for (const f of this.live.itemFactsIn(r, itemCode)) if (f.stream === stream) lent.push(f);
    }
    return lent.length ? [...super.itemFacts(itemCode), ...lent].sort((a, b) => a.position - b.position) : super.itemFacts(itemCode);
  }

  override retractionOf(eventId: string): Retraction | undefined {
    const own = super.retractionOf(eventId);
    if (own) return own;
    const r = this.live.retractionOf(eventId);
    const e = r && entryOfStream(r.retraction.stream);
    return e && this.lent(e.region, e.item) ? r : undefined;
  }
}
