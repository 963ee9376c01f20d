/**
 * Findings: what is wrong in a region's lists, on any date, as known at any instant — computed from the
 * registry's facts with the domain's own folds (entryOn, catalogVersionOn, sandingOn, deviations), so the
 * findings and the rest of the registry cannot disagree.
 *
 * A region's findings are computed as TIMELINES: each finding with the date ranges it holds over and what
 * it says in each (two leads, then three; unsettled, then settled by a clause). A question "on date D" is
 * a lookup in the timeline. Each kind is evaluated per thing it is about (a list entry, a department, a
 * pair of texts) at the dates where that thing can change, and consecutive equal answers are merged.
 *
 * The kinds come from the finding FAMILIES (families/index.ts, one module each, see family.ts); the engine
 * runs them over one RegionContext per region and asKnownAt.
 *
 * Incremental: the per-entry timelines, catalogue versions and departments are memoised against the
 * length of their fact lists (facts are only ever appended), the text vectors and the pair indexes are
 * pure functions of the texts (see text-similarity.ts): an assignment recomputes one entry's timeline and re-derives the region's findings from the
 * memoised parts; a rebuild from zero computes the same parts and gives the same findings. A region's
 * answer is cached against what it reads (regionStamp), not the log position: a change in one county
 * leaves every region that does not read it cached.
 */
import { CatalogVersion, DepartmentState, RegionState, assignmentStream, catalogStream, departmentStream, entryOn } from '../../../domain/src';
import { RegistryProjection } from '../registry/registry.projection';
import { DEFAULT_FINDINGS_OPTIONS, FindingFamily, FindingTimeline, FindingsOptions } from './family';
import { FAMILIES } from './families';
import { Coverage, departmentAt } from './families/sanding.family';
import { sortedDates } from './intervals';
import { EntryTimeline, RegionContext, UnitStore } from './region-context';
import { ContainmentIndex, PairIndex, TEXT_VECTORS, TextVectors } from './text-similarity';

export * from './family';
export * from './kinds';
export { Coverage, MATCH_FLOOR } from './families/sanding.family';
export { EntryTimeline } from './region-context';

export interface RegionFindings {
  region: RegionState;
  asKnownAt?: string;
  /** Finding id → timeline. */
  findings: Map<string, FindingTimeline>;
  /** How long computing took (ms), and whether it came from the cache. */
  tookMs: number;
  /** Units of work run and replayed from the last computation (RegionContext.unit). */
  units?: { run: number; replayed: number };
  /** Where the time of the computation went, per family (ms; 'warm-up' folds the entries first). */
  familyMs?: Record<string, number>;
}

/** How far a region's computation got (families are run in order; steps are units of work). */
export interface FindingsProgress {
  families: number;
  familiesDone: number;
  /** The family being run. */
  family: string;
  steps: number;
}

/** Regions (× asKnownAt) whose findings are kept: a whole province of M (1,470 regions) and some asKnownAt questions. */
const REGION_CACHE = 2048;
/**
 * Text indexes kept (region × asKnownAt × group of texts: ~10 per region): every region of the cache keeps
 * its own, else a change in a region whose index was dropped re-indexes all its texts (S had 114 regions × ~9
 * groups over the former 512, and a change then took 400–550 ms in the similar family alone).
 */
const INDEX_CACHE = REGION_CACHE * 16;
/**
 * Folds as known now kept (entries, catalogue items, departments): M has ~750 k entries. The units of the
 * regions kept hold the very objects anyway (their reads), so dropping them frees little and makes every
 * unit that read one run again (a fold computed anew is a new object).
 */
const NOW_CACHE = 8_000_000;

interface Memo<T> {
  stamp: string;
  value: T;
}

interface NowMemo<T> {
  /** Facts of the stream and retractions when it was folded. */
  n: number;
  r: number;
  value: T;
}

/**
 * Computes and caches findings over one registry read model. One engine per read model (see findingsEngine()).
 */
export class FindingsEngine {
  private readonly regionCache = new Map<string, Memo<RegionFindings>>();
  /** regionStamp per region, as of the read model's stamp (recomputed only when something was applied). */
  private readonly stamps = new Map<string, { global: string; stamp: string }>();
  private readonly entryMemo = new Map<string, Memo<EntryTimeline>>();
  private readonly catalogMemo = new Map<string, Memo<CatalogVersion[]>>();
  private readonly deptMemo = new Map<string, Memo<DepartmentState | null>>();
  /** Per region × asKnownAt: the units of its last computation (RegionContext.unit), replayed when unchanged. */
  private readonly unitStores = new Map<string, UnitStore>();
  private readonly tokens = new Map<string, { sig: string; token: object }>();
  private readonly pairIndexes = new Map<string, PairIndex>();
  private readonly dutyIndexes = new Map<string, ContainmentIndex>();
  /** A preview's engine: the live engine's text indexes of the region, read while the preview's texts are theirs, copied before a change. */
  private borrowed?: { pairs: Map<string, PairIndex>; duties: Map<string, ContainmentIndex> };

  constructor(
    readonly view: RegistryProjection,
    readonly options: FindingsOptions = DEFAULT_FINDINGS_OPTIONS,
    readonly vectors: TextVectors = TEXT_VECTORS,
  ) {}

  /**
   * Changes whenever something a region's findings read does: the list entries of the region, of the
   * regions above it and of every region below it (multi-level, delegations), its departments (三定,
   * 实有人员) and boundary clauses, any catalogue item or region, any retraction. A change elsewhere — another
   * county's list, a finding's status — leaves the region's findings cached.
   */
  regionStamp(code: string): string {
    const global = this.view.stamp;
    const known = this.stamps.get(code);
    if (known?.global === global) return known.stamp;
    const stamp = this.readStamp(code);
    if (this.stamps.size > 100_000) this.stamps.clear();
    this.stamps.set(code, { global, stamp });
    return stamp;
  }

  private readStamp(code: string): string {
    const v = this.view;
    let entries = v.entryChangeCount(code);
    const seen = new Set([code]);
    for (let up = v.region(code)?.parentCode; up && !seen.has(up); up = v.region(up)?.parentCode) {
      seen.add(up);
      entries += v.entryChangeCount(up);
    }
    const below = [code];
    while (below.length) {
      for (const child of v.childRegions(below.pop()!)) {
        if (seen.has(child)) continue;
        seen.add(child);
        entries += v.entryChangeCount(child);
        below.push(child);
      }
    }
    return `${entries}:${v.scopeChangeCount(code)}:${v.catalogChangeCount}:${v.regionChangeCount}:${v.retractionCount}`;
  }

  private memo<T>(map: Map<string, Memo<T>>, key: string, stamp: string, compute: () => T): T {
    const m = map.get(key);
    if (m && m.stamp === stamp) return m.value;
    const value = compute();
    if (map.size > 400_000) map.clear();
    map.set(key, { stamp, value });
    return value;
  }

  /**
   * A preview's engine (forkFindingsEngine): the live engine, and the streams the draft writes. Everything
   * else the preview's read model holds is the live one's facts, so its folds and units are the live ones'.
   */
  private parent?: { engine: FindingsEngine; touched: ReadonlySet<string> };

  /**
   * A preview's engine: whether a stream is one the draft writes. A unit carried over from the live engine
   * (computed for the live read model as it is now) read, of every other stream, the very fold the preview
   * reads (the live engine's): only its reads of the draft's streams and of list shapes need checking.
   */
  readonly forkTouches?: ForkTouches;

  /**
   * The folds as known now, asked for every entry and catalogue item of a region on every computation: one
   * map per region (no key built per question) and the stamp as two numbers (the stream's facts, the retractions).
   */
  private readonly now = { e: new Map<string, Map<string, NowMemo<EntryTimeline>>>(), c: new Map<string, NowMemo<CatalogVersion[]>>(), d: new Map<string, NowMemo<DepartmentState | null>>(), size: 0 };

  private nowMemo<T>(map: Map<string, NowMemo<T>>, key: string, n: number, compute: () => T): T {
    const r = this.view.retractionCount;
    const m = map.get(key);
    if (m && m.n === n && m.r === r) return m.value;
    const value = compute();
    if (++this.now.size > NOW_CACHE) {
      this.now.e.clear();
      this.now.c.clear();
      this.now.d.clear();
      this.now.size = 0;
    }
    map.set(key, { n, r, value });
    return value;
  }

  catalog(code: string, asKnownAt?: string): CatalogVersion[] {
    if (this.forkTouches && !this.forkTouches('c', code)) return this.parent!.engine.catalog(code, asKnownAt);
    if (asKnownAt === undefined) return this.nowMemo(this.now.c, code, this.view.catalogFactCount(code), () => this.view.catalogItem(code));
    const stamp = `${this.view.catalogFactCount(code)}:${this.view.retractionCount}`;
    return this.memo(this.catalogMemo, `${code}|${asKnownAt}`, stamp, () => this.view.catalogItem(code, asKnownAt));
  }

  department(id: string, asKnownAt?: string): DepartmentState | null {
    if (this.forkTouches && !this.forkTouches('d', id)) return this.parent!.engine.department(id, asKnownAt);
    if (asKnownAt === undefined) return this.nowMemo(this.now.d, id, this.view.departmentFactCount(id), () => this.view.department(id));
    const stamp = `${this.view.departmentFactCount(id)}:${this.view.retractionCount}`;
    return this.memo(this.deptMemo, `${id}|${asKnownAt}`, stamp, () => this.view.department(id, asKnownAt));
  }

  entry(region: string, item: string, asKnownAt?: string): EntryTimeline {
    if (this.forkTouches && !this.forkTouches('e', region, item)) return this.parent!.engine.entry(region, item, asKnownAt);
    const compute = () => {
      const known = this.view.assignmentFacts(region, item, asKnownAt);
      const dates = sortedDates(known.map((f) => f.event.data.effectiveFrom));
      const states = dates.map((d) => entryOn(known, d));
      const holders = new Set<string>();
      for (const s of states) for (const h of s.holdings) holders.add(h.departmentId);
      return { dates, states, holders };
    };
    if (asKnownAt === undefined) {
      let m = this.now.e.get(region);
      if (!m) this.now.e.set(region, (m = new Map()));
      return this.nowMemo(m, item, this.view.entryFactCount(region, item), compute);
    }
    const stamp = `${this.view.entryFactCount(region, item)}:${this.view.retractionCount}`;
    return this.memo(this.entryMemo, `${region}|${item}|${asKnownAt}`, stamp, compute);
  }

  private readonly heldMemo = new Map<string, { n: number; value: string[] }>();

  /**
   * The items of a region's list a department is named in, sorted (kept while no entry names it anew:
   * entriesOfCount). A preview's engine reads the live engine's while its read model names the department in
   * no entry of its own (PreviewRegistry.entriesOfCount is the live count then).
   */
  heldItems(region: string, id: string): string[] {
    const n = this.view.entriesOfCount(id);
    if (this.parent && n === this.parent.engine.view.entriesOfCount(id)) return this.parent.engine.heldItems(region, id);
    const key = `${region}|${id}`;
    const m = this.heldMemo.get(key);
    if (m && m.n === n) return m.value;
    const value = this.view
      .entriesOf(id)
      .filter((e) => e.regionCode === region)
      .map((e) => e.itemCode)
      .sort();
    if (this.heldMemo.size > 100_000) this.heldMemo.clear();
    this.heldMemo.set(key, { n, value });
    return value;
  }

  /** Every finding of the region, as timelines (cached against the log position). */
  region(code: string, asKnownAt?: string): RegionFindings | null {
    const steps = this.regionSteps(code, asKnownAt, false);
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
    }
  }

  /** The region's findings if they are cached for the read model as it is now (else undefined: not computed yet). */
  cached(code: string, asKnownAt?: string): RegionFindings | undefined {
    const m = this.regionCache.get(`${code}|${asKnownAt ?? ''}`);
    return m && m.stamp === this.regionStamp(code) ? { ...m.value, tookMs: 0 } : undefined;
  }

  /**
   * The same, computed in steps: the generator yields between units of work (an item, a department, a few
   * texts) with how far it got, so a caller can spread a large region over several turns of the event loop
   * (FindingsJobs). What the region reads may change between steps: the computation then starts over, so
   * what is cached is always the findings of one state of what it reads (regionStamp).
   */
  *regionSteps(code: string, asKnownAt?: string, sliced = true): Generator<FindingsProgress, RegionFindings | null> {
    const key = `${code}|${asKnownAt ?? ''}`;
    restart: for (;;) {
      const stamp = this.regionStamp(code);
      const cached = this.regionCache.get(key);
      if (cached && cached.stamp === stamp) return { ...cached.value, tookMs: 0 };
      const region = this.view.region(code, asKnownAt);
      if (!region) return null;
      let ms = 0;
      let t0 = performance.now();
      const ctx = new RegionContext(this, region, asKnownAt, this.unitStores.get(key));
      const progress: FindingsProgress = { families: FAMILIES.length, familiesDone: 0, family: '', steps: 0 };
      const familyMs: Record<string, number> = {};
      for (const family of [{ name: 'warm-up', run: () => ctx.warm() }, ...FAMILIES]) {
        progress.family = family.name;
        const before = ms + (performance.now() - t0);
        // a preview's engine does not warm up: most units are carried over without reading the folds (forkTouches)
        // nor one patching the last computation (the few units run again fold what they read)
        if (family.name === 'warm-up' && (this.parent || ctx.patching)) continue;
        const g = family.name === 'warm-up' || (family as FindingFamily).ownRegionOnly ? ctx.group(`family|${family.name}`, ctx.ownStamp()) : undefined;
        const it = g?.replayed ? undefined : family.run(ctx);
        if (it) {
          for (;;) {
            if (it.next().done) break;
            // not spread over turns (region()): no step to count, no stamp to check (nothing else runs meanwhile)
            if (!sliced) continue;
            progress.steps++;
            ms += performance.now() - t0;
            yield progress;
            t0 = performance.now();
            if (this.regionStamp(code) !== stamp) continue restart;
          }
        }
        g?.done();
        familyMs[family.name] = Math.round((ms + (performance.now() - t0) - before) * 10) / 10;
        if (family.name !== 'warm-up') progress.familiesDone++;
      }
      ctx.finish();
      ms += performance.now() - t0;
      const value: RegionFindings = { region, asKnownAt, findings: ctx.findings, tookMs: Math.round(ms * 10) / 10, units: { ...ctx.unitCounts }, familyMs };
      // a preview's engine keeps none (its read model is asked once; RegionContext does not keep its units)
      if (!this.parent) {
        if (!this.unitStores.has(key) && this.unitStores.size >= REGION_CACHE) this.unitStores.delete(this.unitStores.keys().next().value!);
        this.unitStores.set(key, { sig: ctx.sig, units: ctx.units, out: ctx.findings, top: ctx.top, ...(asKnownAt === undefined ? { lists: ctx.lists(stamp) } : {}) });
      }
      if (this.regionCache.size > REGION_CACHE) this.regionCache.delete(this.regionCache.keys().next().value!);
      this.regionCache.set(key, { stamp, value });
      return value;
    }
  }

  /** A preview's engine: the live engine's region stamp now (undefined for a live engine). */
  liveStamp(code: string): string | undefined {
    return this.parent?.engine.regionStamp(code);
  }

  /** A preview's engine: the items the draft writes an entry of in the region. */
  forkEntries(code: string): ReadonlySet<string> {
    return this.forkParsed?.entries.get(code) ?? EMPTY_SET;
  }

  /** A preview's engine: whether the draft writes a catalogue item. */
  forkWritesCatalog(): boolean {
    return (this.forkParsed?.catalog.size ?? 0) > 0;
  }

  private forkParsed?: { entries: Map<string, Set<string>>; catalog: Set<string> };

  /** An object that stays the same while `sig` does (a list's shape, for RegionContext's units). */
  token(key: string, sig: string): object {
    const p = this.parent?.engine.tokens.get(key);
    if (p && p.sig === sig) return p.token;
    const t = this.tokens.get(key);
    if (t && t.sig === sig) return t.token;
    if (this.tokens.size > 400_000) this.tokens.clear();
    const token = {};
    this.tokens.set(key, { sig, token });
    return token;
  }

  /** 三定 coverage per department of the region on a date. */
  coverage(code: string, at: string, asKnownAt?: string): Coverage[] {
    const region = this.view.region(code, asKnownAt);
    if (!region) return [];
    const c = new RegionContext(this, region, asKnownAt);
    return c.departmentIds().map((id) => departmentAt(c, id, at).coverage).filter((x): x is Coverage => !!x);
  }

  /**
   * The pair index of a group of texts in a region (kept between computations: it updates text by text),
   * to be synced to `texts`. A preview's engine reads the live engine's index while it holds exactly these
   * texts (syncing would change nothing) and works on a copy of it otherwise.
   */
  pairIndex(key: string, texts: ReadonlyMap<string, unknown>): PairIndex {
    let p = this.pairIndexes.get(key);
    if (!p) {
      const live = this.borrowed?.pairs.get(key);
      if (live?.holds(texts)) return live;
      if (this.pairIndexes.size >= INDEX_CACHE) this.pairIndexes.delete(this.pairIndexes.keys().next().value!);
      this.pairIndexes.set(key, (p = live ? live.clone() : new PairIndex(this.options.similarity, this.vectors)));
    }
    return p;
  }

  /**
   * Makes `other` (the engine of a preview's read model) start from this one for a region: its text indexes
   * (read as they are while the preview's texts are theirs, copied before syncing to other texts, so these are
   * never touched), its units (read, never changed), and its folds for every stream the draft does not write.
   */
  forkInto(other: FindingsEngine, code: string, touched: ReadonlySet<string>): void {
    other.parent = { engine: this, touched };
    // the streams the draft writes by what they are about (parsed once: a read is checked without building a stream name)
    const entries = new Map<string, Set<string>>();
    const catalog = new Set<string>();
    const departments = new Set<string>();
    for (const s of touched) {
      if (s.startsWith('assignment-')) {
        const dash = s.indexOf('-', 11);
        const region = s.slice(11, dash);
        const item = s.slice(dash + 1);
        if (dash < 0 || assignmentStream(region, item) !== s) throw new Error(`not an entry stream: ${s}`);
        let m = entries.get(region);
        if (!m) entries.set(region, (m = new Set()));
        m.add(item);
      } else if (s.startsWith('catalog-')) catalog.add(s.slice(8));
      else if (s.startsWith('department-')) departments.add(s.slice(11));
    }
    other.forkParsed = { entries, catalog };
    (other as { forkTouches?: ForkTouches }).forkTouches = (k, key, item) => (k === 'e' ? (entries.get(key)?.has(item!) ?? false) : k === 'c' ? catalog.has(key) : departments.has(key));
    const mine = (k: string) => k.startsWith(`${code}|`);
    const borrowed = { pairs: new Map<string, PairIndex>(), duties: new Map<string, ContainmentIndex>() };
    for (const [k, p] of this.pairIndexes) if (mine(k)) borrowed.pairs.set(k, p);
    for (const [k, d] of this.dutyIndexes) if (mine(k)) borrowed.duties.set(k, d);
    other.borrowed = borrowed;
    for (const [k, u] of this.unitStores) if (mine(k)) other.unitStores.set(k, u);
  }

  /** The containment index of a region's 三定 duties, to be synced to `texts` (a preview's engine: as pairIndex). */
  dutyIndex(key: string, texts: ReadonlySet<string>): ContainmentIndex {
    let p = this.dutyIndexes.get(key);
    if (!p) {
      const live = this.borrowed?.duties.get(key);
      // its memo of scores is a pure function of the texts it holds: shared with the live engine's while they are the same
      if (live?.holds(texts)) return live;
      if (this.dutyIndexes.size >= INDEX_CACHE) this.dutyIndexes.delete(this.dutyIndexes.keys().next().value!);
      this.dutyIndexes.set(key, (p = live ? live.clone() : new ContainmentIndex(this.vectors)));
    }
    return p;
  }
}

const EMPTY_SET: ReadonlySet<string> = new Set();

/** One engine per read model, shared by the HTTP controllers and the CLI. */
const engines = new WeakMap<RegistryProjection, FindingsEngine>();

/** Whether the draft writes the stream of an entry (region, item), a catalogue item or a department. */
export type ForkTouches = (k: 'e' | 'c' | 'd', key: string, item?: string) => boolean;

/**
 * The engine of a temporary read model (a change set's preview of region `code`): it holds the live read
 * model's facts of what the region reads plus the draft's events on the streams `touched`. It starts from the
 * live engine — its folds of every stream not touched, its units, copies of its text indexes — so only the
 * units that read what the draft changes are computed again (the rest are replayed), and the findings are
 * the same as computed from zero on the preview's read model.
 */
export function forkFindingsEngine(live: RegistryProjection, temp: RegistryProjection, code: string, touched: ReadonlySet<string>): FindingsEngine {
  const from = findingsEngine(live);
  const e = new FindingsEngine(temp, from.options, from.vectors);
  from.forkInto(e, code, touched);
  engines.set(temp, e);
  return e;
}
export function findingsEngine(view: RegistryProjection): FindingsEngine {
  let e = engines.get(view);
  if (!e) engines.set(view, (e = new FindingsEngine(view)));
  return e;
}
