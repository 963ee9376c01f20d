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

/**
 * Something a unit of work read: an entry timeline, catalogue versions, a department, a token (a list's
 * shape), or a signature a family put (RegionContext.putSig: a string that stays while what it stands for does).
 */
type Read = { k: 'e'; region: string; item: string; v: unknown } | { k: 'c' | 'd' | 't' | 's'; key: string; v: unknown };
/** An add as recorded for replay, with the finding's id (a hash: computed once). */
type AddCall = [id: string, kind: FindingKind, segments: Array<Segment<Detail>>, regions: string[], idRegion: string];

/** A unit's result: what it read (each the very object the engine's memos returned) and what it added or returned. */
export interface UnitRecord {
  reads: Read[];
  adds: AddCall[];
  value?: unknown;
  /** A group (RegionContext.group): `reads` are its units' keys, `adds` what was added outside them, `value` its stamp. */
  group?: boolean;
}

/** The units of one region's computation, valid while the region's signature (its dates, level, clauses …) stays. */
export interface UnitStore {
  sig: string;
  units: Map<string, UnitRecord>;
  /** The region's entries and items to check of that computation, and the region stamp it was made at. */
  lists?: { stamp: string; entries?: string[]; itemsToCheck?: string[] };
  /**
   * The findings of that computation (a live engine's): the next computation of the region patches them in
   * place — it takes them (and leaves undefined here, so a computation given up half-way leaves none to patch)
   * and changes only what the units run again, dropped or added change. `units` then holds exactly the
   * records whose adds make `out`; `top` are the keys kept outside any group, in order.
   */
  out?: Map<string, FindingTimeline>;
  top?: string[];
}

export class RegionContext {
  readonly view: RegistryProjection;
  readonly o: FindingsOptions;
  readonly clauses: Clause[];
  private out = new Map<string, FindingTimeline>();
  /** The findings whose segments array is the context's own (made by a second add), not a unit's. */
  private readonly owned = new Set<string>();
  private entriesCache?: string[];
  /** A preview's engine: the live computation's entries and items to check, to be adjusted by the draft's entries. */
  private carried?: UnitStore['lists'];
  private departmentIdsCache?: string[];
  private readonly heldCache = new Map<string, string[]>();
  /** Region → item → timeline: two lookups on the very strings the reads hold (their hashes kept), no key built per read. */
  private readonly entryCache = new Map<string, Map<string, EntryTimeline>>();
  private readonly catalogCache = new Map<string, CatalogVersion[]>();
  private readonly departmentCache = new Map<string, DepartmentState | null>();
  private readonly locals = new Map<string, { value: unknown; reads: Read[] }>();
  private readonly tokens = new Map<string, unknown>();
  private readonly sigs = new Map<string, { key: string; v: string }>();
  /** The reads and adds of the unit being run (units do not nest; locals computed inside one record their own). */
  private reads?: Read[];
  private adds?: AddCall[];
  /** The locals whose reads the unit being run has taken already. */
  private localsRead?: Set<string>;
  /** The adds made outside units, and the units kept, while a group is open. */
  private groupAdds?: AddCall[];
  private members?: string[];
  /** The units of the last computation of this region (replayed when nothing they read changed) and of this one. */
  private readonly previous?: Map<string, UnitRecord>;
  readonly units: Map<string, UnitRecord>;
  /** The keys kept outside any group, in order (UnitStore.top). */
  readonly top: string[] = [];
  /**
   * Patching the last computation's findings (UnitStore.out): `units` is the last computation's map, changed
   * in place; `visited` the keys kept this time; `broken` when a finding made by several adds was touched (its
   * segments are then made again from every unit, in order, at the end: finish).
   */
  private readonly patch?: { prevTop: string[]; visited: Set<string>; broken: boolean };
  /** What decides whether the previous units can be replayed at all. */
  readonly sig: string;
  /** A preview's engine (forked from the live one): its units are not kept (FindingsEngine.regionSteps keeps no store). */
  private readonly ephemeral: boolean;
  /** Units run and replayed (for the timing figures). */
  readonly unitCounts = { run: 0, replayed: 0 };

  /**
   * Counts that change whenever anything the region's own lists, departments (三定, 实有人员), clauses, the
   * catalogue, the regions or the retractions do: what a family reading only those depends on.
   */
  ownStamp(): string {
    const v = this.view;
    return `${v.entryChangeCount(this.region.code)}:${v.scopeChangeCount(this.region.code)}:${v.catalogChangeCount}:${v.regionChangeCount}:${v.retractionCount}`;
  }

  constructor(
    readonly engine: FindingsEngine,
    readonly region: RegionState,
    readonly asKnownAt?: string,
    previous?: UnitStore,
  ) {
    this.view = engine.view;
    this.o = engine.options;
    this.ephemeral = engine.forkTouches !== undefined;
    this.clauses = this.view.boundaryClauses(region.code, asKnownAt);
    // what units read besides entries, catalogue versions, departments and list shapes (those are checked per
    // unit): the region itself and its clauses (a unit about two regions has both regions' dates in its key)
    this.sig = `${region.since}|${region.level}|${region.parentCode ?? ''}|${this.clauses.map((c) => c.eventId).join(',')}`;
    let units: Map<string, UnitRecord> | undefined;
    if (previous?.sig === this.sig) {
      this.previous = previous.units;
      if (!this.ephemeral && previous.out && previous.top) {
        this.out = previous.out;
        previous.out = undefined;
        units = previous.units;
        this.patch = { prevTop: previous.top, visited: new Set(), broken: false };
      }
      // a preview's engine: the live computation's lists, when made for the live read model as it is now
      if (previous.lists && engine.forkTouches && asKnownAt === undefined && engine.liveStamp(region.code) === previous.lists.stamp) this.carried = previous.lists;
    }
    this.units = units ?? new Map();
  }

  /** Whether this computation patches the last one's findings (then the warm-up is left out: the units fold what they read). */
  get patching(): boolean {
    return this.patch !== undefined;
  }

  /**
   * One unit of work (an item, a department, a pair of levels for an item): runs `compute` — which adds
   * findings and may return a value — or, when every entry, catalogue item, department and list shape it
   * read last time is the very same object now (the engine's memos return the same object while nothing
   * of it changed), replays what it added and returns what it returned. So a change recomputes only the
   * units that read what it touched, and the output is the same as computing every unit afresh.
   */
  unit<T>(key: string, compute: () => T): T {
    const prev = this.previous?.get(key);
    if (prev && this.stillValid(prev.reads)) {
      this.replay(key, prev);
      return prev.value as T;
    }
    if (prev && this.patch) this.retract(prev);
    const reads: Read[] = [];
    const adds: AddCall[] = [];
    this.reads = reads;
    this.adds = adds;
    this.localsRead = new Set();
    try {
      const value = compute();
      this.keep(key, { reads, adds, ...(value !== undefined ? { value } : {}) });
      this.unitCounts.run++;
      return value;
    } finally {
      this.reads = undefined;
      this.adds = undefined;
      this.localsRead = undefined;
    }
  }

  private replay(key: string, rec: UnitRecord): void {
    if (this.patch) {
      // its adds are in the findings being patched already, and its members (a group) in `units`
      this.keep(key, rec);
      this.unitCounts.replayed += rec.group ? rec.reads.length : 1;
      return;
    }
    if (rec.group) for (const k of rec.reads as unknown as string[]) this.replay(k, this.previous!.get(k)!);
    for (const a of rec.adds) this.put(...a);
    this.keep(key, rec);
    if (!rec.group) this.unitCounts.replayed++;
  }

  private keep(key: string, rec: UnitRecord): void {
    // a preview's computation (a forked engine) is the last of its read model: nothing to keep for a next one
    if (this.ephemeral) return;
    if (this.units.get(key) !== rec) this.units.set(key, rec);
    this.patch?.visited.add(key);
    if (this.members) this.members.push(key);
    else this.top.push(key);
  }

  /** Patching: takes a record's adds out of the findings (a finding made by several adds breaks the patch: finish). */
  private retract(rec: UnitRecord): void {
    const p = this.patch!;
    if (!p.broken) {
      for (const a of rec.adds) {
        const t = this.out.get(a[0]);
        // a finding made by this add alone holds the add's own segments array (put)
        if (t && t.segments === a[2]) this.out.delete(a[0]);
        else {
          p.broken = true;
          break;
        }
      }
    }
    if (rec.group) for (const k of rec.reads as unknown as string[]) if (!p.visited.has(k)) this.drop(k);
  }

  /** Patching: a record of the last computation not kept in this one (its item left the list, its group is gone). */
  private drop(key: string): void {
    const rec = this.units.get(key);
    if (!rec) return;
    this.units.delete(key);
    this.retract(rec);
  }

  /**
   * Ends the computation: patching, drops what the last computation kept and this one did not, and when the
   * patch broke makes the findings again from every record kept (in order: a group's members, then its own adds).
   */
  finish(): void {
    const p = this.patch;
    if (!p) return;
    const now = new Set(this.top);
    for (const k of p.prevTop) if (!now.has(k) && !p.visited.has(k)) this.drop(k);
    if (!p.broken) return;
    this.out = new Map();
    this.owned.clear();
    const all = (rec: UnitRecord) => {
      if (rec.group) for (const k of rec.reads as unknown as string[]) all(this.units.get(k)!);
      for (const a of rec.adds) this.merge(...a);
    };
    for (const k of this.top) all(this.units.get(k)!);
  }

  /**
   * A group of units and adds (a family over the region's own lists, the units of one pair of regions)
   * replayed at once, without checking each unit, when `stamp` — counts that change whenever anything the
   * group can read does — is what it was last time; otherwise each unit in it is checked (or run) on its own.
   */
  group(key: string, stamp: string): { replayed: boolean; done: () => void } {
    const prev = this.previous?.get(key);
    if (prev?.group && prev.value === stamp) {
      this.replay(key, prev);
      return { replayed: true, done: () => undefined };
    }
    // patching: the group's own adds are made again; its members are checked one by one, those not kept again dropped at done
    let before: string[] | undefined;
    if (prev && this.patch) {
      if (prev.group) {
        before = prev.reads as unknown as string[];
        this.retract({ reads: [], adds: prev.adds });
      } else this.retract(prev);
    }
    const outer = { adds: this.groupAdds, members: this.members };
    const direct: AddCall[] = [];
    const members: string[] = [];
    this.groupAdds = direct;
    this.members = members;
    return {
      replayed: false,
      done: () => {
        this.groupAdds = outer.adds;
        this.members = outer.members;
        if (before) {
          const kept = new Set(members);
          for (const k of before) if (!kept.has(k) && !this.patch!.visited.has(k)) this.drop(k);
        }
        this.keep(key, { reads: members as unknown as Read[], adds: direct, value: stamp, group: true });
      },
    };
  }

  private stillValid(reads: Read[]): boolean {
    const touches = this.engine.forkTouches;
    for (const r of reads) {
      if (touches && (r.k === 'e' ? !touches('e', r.region, r.item) : r.k !== 't' && r.k !== 's' && !touches(r.k, r.key))) continue;
      const now = r.k === 'e' ? this.entry(r.region, r.item) : r.k === 'c' ? this.catalog(r.key) : r.k === 'd' ? this.department(r.key) : r.k === 's' ? this.sigs.get(r.key)?.v : this.token(r.key);
      if (now !== r.v) return false;
    }
    return true;
  }

  /**
   * A list's shape as an object that stays the same while the list does (the region's departments, the
   * entries a department is named in): a unit that walks the list depends on it.
   */
  private token(key: string): unknown {
    let t = this.tokens.get(key);
    if (t === undefined) {
      const sig = key === 'departments' ? this.departmentIdsRaw().join(',') : key.startsWith('held:') ? this.heldRaw(key.slice(5)).join(',') : key;
      this.tokens.set(key, (t = this.engine.token(`${this.region.code}|${this.asKnownAt ?? ''}|${key}`, sig)));
    }
    this.reads?.push({ k: 't', key, v: t });
    return t;
  }

  /**
   * A signature of something a family derived this computation (a text's documents, its partners): a unit
   * that reads it (`readSig`) is replayed only while the signature is the same string. A signature not put in this
   * computation reads as undefined (a unit that read it runs again).
   */
  putSig(key: string, sig: string): void {
    this.sigs.set(key, { key, v: sig });
  }

  readSig(key: string): string | undefined {
    const s = this.sigs.get(key);
    // the key as put (one string per signature, not one per unit reading it)
    this.reads?.push({ k: 's', key: s?.key ?? key, v: s?.v });
    return s?.v;
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

  /** A value computed once per computation and shared by the families that need it (a unit using it depends on what it read). */
  local<T>(key: string, compute: () => T): T {
    let l = this.locals.get(key);
    if (!l) {
      const outer = this.reads;
      const reads: Read[] = [];
      this.reads = reads;
      try {
        l = { value: compute(), reads };
      } finally {
        this.reads = outer;
      }
      this.locals.set(key, l);
    }
    // once per unit: a local used on every date of a unit adds its reads once
    if (this.reads && !this.localsRead?.has(key)) {
      this.localsRead?.add(key);
      for (const r of l.reads) this.reads.push(r);
    }
    return l.value as T;
  }

  /** The engine's memoised catalogue versions, looked up once per computation. */
  catalog(item: string): CatalogVersion[] {
    let v = this.catalogCache.get(item);
    if (!v) this.catalogCache.set(item, (v = this.engine.catalog(item, this.asKnownAt)));
    this.reads?.push({ k: 'c', key: item, v });
    return v;
  }

  /** The engine's memoised entry timeline, looked up once per computation. */
  entry(region: string, item: string): EntryTimeline {
    let m = this.entryCache.get(region);
    if (!m) this.entryCache.set(region, (m = new Map()));
    let e = m.get(item);
    if (!e) m.set(item, (e = this.engine.entry(region, item, this.asKnownAt)));
    this.reads?.push({ k: 'e', region, item, v: e });
    return e;
  }

  department(id: string): DepartmentState | null {
    let d = this.departmentCache.get(id);
    if (d === undefined) this.departmentCache.set(id, (d = this.engine.department(id, this.asKnownAt)));
    this.reads?.push({ k: 'd', key: id, v: d });
    return d;
  }

  /** Items with a list entry in the region (known at asKnownAt). */
  entries(): string[] {
    if (this.entriesCache) return this.entriesCache;
    const carried = this.carried?.entries;
    return (this.entriesCache = carried ? this.adjusted(carried, (i) => this.view.itemCodesIn(this.region.code).has(i) && this.entry(this.region.code, i).dates.length > 0) : this.entriesOf(this.region.code));
  }

  /**
   * A live list of the region's items, for a preview's engine: the same but for the items the draft writes an
   * entry of in the region, which are in it when `has` says so (every other item's membership is the live one's).
   */
  private adjusted(live: string[], has: (item: string) => boolean): string[] {
    const written = this.engine.forkEntries(this.region.code);
    if (written.size === 0) return live;
    const out = live.filter((i) => !written.has(i));
    for (const i of written) if (has(i)) out.push(i);
    return out.sort();
  }

  /** The lists to keep with the units (UnitStore.lists). */
  lists(stamp: string): UnitStore['lists'] {
    return { stamp, entries: this.entriesCache, itemsToCheck: this.locals.get('itemsToCheck')?.value as string[] | undefined };
  }

  /** Items with a list entry in another region (known at asKnownAt). */
  entriesOf(region: string): string[] {
    return [...this.view.itemCodesIn(region)].filter((i) => this.entry(region, i).dates.length > 0).sort();
  }

  departmentIds(): string[] {
    if (this.reads) this.token('departments');
    return this.departmentIdsRaw();
  }

  private departmentIdsRaw(): string[] {
    if (this.departmentIdsCache) return this.departmentIdsCache;
    const outer = this.reads;
    this.reads = undefined;
    try {
      return (this.departmentIdsCache = [...this.view.departmentIdsIn(this.region.code)].filter((id) => this.department(id)).sort());
    } finally {
      this.reads = outer;
    }
  }

  /** Entries plus every catalogue item that applies at the region's level at some time. */
  itemsToCheck(): string[] {
    const carried = this.carried?.itemsToCheck;
    // outside a unit only (a unit would have to read what the live list was made from), and while the catalogue is the live one
    if (carried && !this.reads && !this.locals.has('itemsToCheck') && !this.engine.forkWritesCatalog()) {
      const entries = new Set(this.entries());
      const value = this.adjusted(carried, (i) => entries.has(i) || this.catalog(i).some((v) => !v.retired && v.levels.includes(this.region.level)));
      this.locals.set('itemsToCheck', { value, reads: [] });
      return value;
    }
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

  /** The items of the region's list a department is named in (sorted). */
  heldItems(id: string): string[] {
    if (this.reads) this.token(`held:${id}`);
    return this.heldRaw(id);
  }

  private heldRaw(id: string): string[] {
    let h = this.heldCache.get(id);
    if (!h) this.heldCache.set(id, (h = this.engine.heldItems(this.region.code, id)));
    return h;
  }

  add(kind: FindingKind, about: string[], segments: Array<Segment<Detail>>, regions: string[] = [this.region.code], idRegion = this.region.code): void {
    if (segments.length === 0) return;
    const id = findingId(kind, idRegion, about);
    this.record([id, kind, segments, regions, idRegion]);
  }

  /** A finding made whole by a family (with its id). */
  addTimeline(t: FindingTimeline): void {
    if (t.segments.length) this.record([t.id, t.kind, t.segments, t.regions, t.region]);
  }

  private record(a: AddCall): void {
    (this.adds ?? this.groupAdds)?.push(a);
    this.put(...a);
  }

  private put(id: string, kind: FindingKind, segments: Array<Segment<Detail>>, regions: string[], idRegion: string): void {
    const p = this.patch;
    if (p) {
      if (p.broken) return;
      // a second add of a finding: its segments are made again in order at the end (finish)
      if (this.out.has(id)) p.broken = true;
      else this.out.set(id, { id, kind, region: idRegion, regions, segments });
      return;
    }
    this.merge(id, kind, segments, regions, idRegion);
  }

  private merge(id: string, kind: FindingKind, segments: Array<Segment<Detail>>, regions: string[], idRegion: string): void {
    const prev = this.out.get(id);
    if (!prev) {
      // the unit's own array while the finding has one add (treat the output as read-only); copied before a second
      this.out.set(id, { id, kind, region: idRegion, regions, segments });
      return;
    }
    // a copy: the segments a unit added are kept for replay and must not grow with a later add of the same id
    if (!this.owned.has(id)) {
      prev.segments = [...prev.segments];
      this.owned.add(id);
    }
    prev.segments.push(...segments);
  }

  addAll(found: Map<string, Array<Segment<Detail>>>, meta: Map<string, { kind: FindingKind; about: string[]; regions?: string[]; idRegion?: string }>): void {
    for (const [k, segs] of found) {
      const m = meta.get(k)!;
      this.add(m.kind, m.about, segs, m.regions, m.idRegion);
    }
  }
}
