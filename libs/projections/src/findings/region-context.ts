/**
 * One region's findings at one asKnownAt, being computed: what every family reads (the region's entries,
 * departments, catalogue versions, clauses — through the engine's memos) and where it writes (`add`).
 */
import { CatalogVersion, DepartmentState, EntryOn, Holding, IssueSanding, RegionState } from '../../../domain/src';
import type { RegistryProjection } from '../registry/registry.projection';
import type { FindingsEngine } from './findings.engine';
import { Detail, FindingKind, FindingTimeline, FindingsOptions } from './family';
import { findingId } from './finding-id';
import { Segment } from './intervals';
import { Clause } from './settlement';

export interface EntryTimeline {
  dates: string[];
  states: EntryOn[];
  holders: Set<string>;
}

const EMPTY_ENTRY: EntryOn = { holdings: [], inList: false, delegatedTo: [] };

/** The entry's state on a date (binary search in its timeline). */
export function entryAt(tl: EntryTimeline, d: string): EntryOn {
  let lo = 0;
  let hi = tl.dates.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (tl.dates[mid] <= d) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? EMPTY_ENTRY : tl.states[found];
}

export const activeOn = (d: DepartmentState, date: string) => d.establishedOn <= date && (d.abolishedOn === undefined || date < d.abolishedOn);
export const departmentDates = (d: DepartmentState | null) => (d ? [d.establishedOn, d.abolishedOn, ...(d.sanding ?? []).map((s) => s.from)] : []);

export interface DutyRef {
  departmentId: string;
  dutyId: string;
  text: string;
  organ?: string;
}

export function dutiesOf(s: IssueSanding, departmentId: string): DutyRef[] {
  return [
    ...s.duties.map((d) => ({ departmentId, dutyId: d.id, text: d.text })),
    ...s.internalOrgans.flatMap((o) => o.duties.map((d) => ({ departmentId, dutyId: d.id, text: d.text, organ: o.name }))),
  ];
}

/** The wording a list gives an item: its own (asPublished) or the catalogue's on that date. */
export const listName = (h: Holding, v: CatalogVersion) => (h.asPublished?.name?.trim() ? h.asPublished.name : v.name);

export class RegionContext {
  readonly view: RegistryProjection;
  readonly o: FindingsOptions;
  readonly clauses: Clause[];
  private readonly out = new Map<string, FindingTimeline>();
  private entriesCache?: string[];
  private departmentIdsCache?: string[];
  private readonly entryCache = new Map<string, EntryTimeline>();
  private readonly catalogCache = new Map<string, CatalogVersion[]>();
  private readonly locals = new Map<string, unknown>();

  constructor(
    readonly engine: FindingsEngine,
    readonly region: RegionState,
    readonly asKnownAt?: string,
  ) {
    this.view = engine.view;
    this.o = engine.options;
    this.clauses = this.view.boundaryClauses(region.code, asKnownAt);
  }

  /** What was added so far (finding id → timeline). */
  get findings(): Map<string, FindingTimeline> {
    return this.out;
  }

  /** Computes the entry timelines and catalogue versions every family reads, yielding between them. */
  *warm(): Generator<void> {
    let n = 0;
    for (const item of this.view.itemCodesIn(this.region.code)) {
      this.entry(this.region.code, item);
      if (++n % 128 === 0) yield;
    }
    for (const code of this.view.catalogCodes()) {
      this.catalog(code);
      if (++n % 256 === 0) yield;
    }
  }

  /** A value computed once per computation and shared by the families that need it. */
  local<T>(key: string, compute: () => T): T {
    if (this.locals.has(key)) return this.locals.get(key) as T;
    const v = compute();
    this.locals.set(key, v);
    return v;
  }

  /** The engine's memoised catalogue versions, looked up once per computation. */
  catalog(item: string): CatalogVersion[] {
    let v = this.catalogCache.get(item);
    if (!v) this.catalogCache.set(item, (v = this.engine.catalog(item, this.asKnownAt)));
    return v;
  }

  /** The engine's memoised entry timeline, looked up once per computation. */
  entry(region: string, item: string): EntryTimeline {
    const k = `${region}|${item}`;
    let e = this.entryCache.get(k);
    if (!e) this.entryCache.set(k, (e = this.engine.entry(region, item, this.asKnownAt)));
    return e;
  }

  department(id: string): DepartmentState | null {
    return this.engine.department(id, this.asKnownAt);
  }

  /** Items with a list entry in the region (known at asKnownAt). */
  entries(): string[] {
    return (this.entriesCache ??= this.entriesOf(this.region.code));
  }

  /** Items with a list entry in another region (known at asKnownAt). */
  entriesOf(region: string): string[] {
    return [...this.view.itemCodesIn(region)].filter((i) => this.entry(region, i).dates.length > 0).sort();
  }

  departmentIds(): string[] {
    return (this.departmentIdsCache ??= [...this.view.departmentIdsIn(this.region.code)].filter((id) => this.department(id)).sort());
  }

  /** Entries plus every catalogue item that applies at the region's level at some time. */
  itemsToCheck(): string[] {
    return this.local('itemsToCheck', () => {
      const set = new Set(this.entries());
      for (const code of this.view.catalogCodes()) {
        if (set.has(code)) continue;
        if (this.catalog(code).some((v) => !v.retired && v.levels.includes(this.region.level))) set.add(code);
      }
      return [...set].sort();
    });
  }

  /** A region by code as known at asKnownAt. */
  regionByCode(code: string): RegionState | null {
    return this.view.region(code, this.asKnownAt);
  }

  /** Child region codes (registered at some time). */
  childCodes(code: string): string[] {
    return [...this.view.childRegions(code)].sort();
  }

  /** The list entries a department holds anywhere (region, item). */
  entriesOfDepartment(id: string): Array<{ regionCode: string; itemCode: string }> {
    return this.view.entriesOf(id);
  }

  add(kind: FindingKind, about: string[], segments: Array<Segment<Detail>>, regions: string[] = [this.region.code], idRegion = this.region.code): void {
    if (segments.length === 0) return;
    const id = findingId(kind, idRegion, about);
    const prev = this.out.get(id);
    if (prev) prev.segments.push(...segments);
    else this.out.set(id, { id, kind, region: idRegion, regions, segments });
  }

  addAll(found: Map<string, Array<Segment<Detail>>>, meta: Map<string, { kind: FindingKind; about: string[]; regions?: string[]; idRegion?: string }>): void {
    for (const [k, segs] of found) {
      const m = meta.get(k)!;
      this.add(m.kind, m.about, segs, m.regions, m.idRegion);
    }
  }
}
