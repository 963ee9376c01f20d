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
 * Incremental: the per-entry timelines, catalogue versions and departments are memoised against the
 * length of their fact lists (facts are only ever appended), the text vectors and the pair indexes are
 * pure functions of the texts (see text-similarity.ts), and a region's answer is cached against the log
 * position: an assignment recomputes one entry's timeline and re-derives the region's findings from the
 * memoised parts; a rebuild from zero computes the same parts and gives the same findings.
 */
import {
  AgreeBoundaryClause,
  CatalogVersion,
  DepartmentState,
  EntryOn,
  Holding,
  IssueSanding,
  RegionState,
  catalogVersionOn,
  deviations,
  entryOn,
  sandingOn,
} from '../../../domain/src';
import { RegistryProjection } from '../registry/registry.projection';
import { findingId } from './finding-id';
import { Range, Segment, intersect, keyedSegmentsOver, sortedDates } from './intervals';
import { ContainmentIndex, PairIndex, TEXT_VECTORS, TextVectors, roundScore } from './text-similarity';

export const FINDING_KINDS = ['conflict', 'similar', 'multi-level', 'unowned', 'abolished-holder', 'no-sanding', 'unapproved-duty', 'duty-deviation', 'duty-missing', 'conformance'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];
export const OVERLAP_KINDS: FindingKind[] = ['conflict', 'similar', 'multi-level'];
export const GAP_KINDS: FindingKind[] = ['unowned', 'abolished-holder', 'no-sanding', 'unapproved-duty', 'duty-deviation', 'duty-missing'];
export const CONFORMANCE_KINDS: FindingKind[] = ['conformance'];

/** Thresholds, calibrated on the real Karamay lists (docs/similarity-calibration.md). */
export interface FindingsOptions {
  /** Cosine of two item names (same type) or two duties of different departments: "say the same thing". */
  similarity: number;
  /** Containment of an item's name in one of its department's duties: the item rests on that duty. */
  link: number;
  /** Containment in another department's duty that makes an unlinked item 职责偏离 … */
  deviation: number;
  /** … when it beats the best own duty by at least this much. */
  deviationMargin: number;
  /** Containment of a boundary clause's matter in a text: the clause covers that text. */
  matter: number;
  /**
   * A text with many similar texts reports only its closest ones (a pair is kept when either text has the
   * other among its closest): dozens of partners mean a shared template, not one shared matter.
   */
  maxPartners: number;
}

export const DEFAULT_FINDINGS_OPTIONS: FindingsOptions = { similarity: 0.55, link: 0.4, deviation: 0.6, deviationMargin: 0.3, matter: 0.6, maxPartners: 5 };

/** Item → duty matches below this are not worth naming (not a link, not a best match, not a deviation). */
export const MATCH_FLOOR = 0.2;

/** 三定 duties that no list item is expected to rest on (general clauses, not powers). */
const NON_POWER_DUTY = /交办的其他(任务|事项|工作)|职能转变|职责分工|有关职责分工|其他职责|协调机制/;

export type Detail = Record<string, unknown>;

export interface FindingTimeline {
  id: string;
  kind: FindingKind;
  /** The region the id is computed with (for a multi-level finding: the upper region). */
  region: string;
  /** Every region the finding is about (multi-level: upper and lower). */
  regions: string[];
  segments: Array<Segment<Detail>>;
}

export interface RegionFindings {
  region: RegionState;
  asKnownAt?: string;
  /** Finding id → timeline. */
  findings: Map<string, FindingTimeline>;
  /** How long computing took (ms), and whether it came from the cache. */
  tookMs: number;
}

export interface Coverage {
  departmentId: string;
  duties: number;
  dutiesWithItems: number;
  items: number;
  itemsWithDuties: number;
  /** Share of 三定 duties some item rests on (null: no duties). */
  dutyCoverage: number | null;
  /** Share of the items held that rest on a duty (null: no items). */
  itemCoverage: number | null;
  /** How each item held is linked to the 三定 in force. */
  links: Array<{ itemCode: string; dutyIds: string[]; by: 'explicit' | 'text' | 'none'; score?: number }>;
}

interface EntryTimeline {
  dates: string[];
  states: EntryOn[];
  holders: Set<string>;
}

const EMPTY_ENTRY: EntryOn = { holdings: [], inList: false, delegatedTo: [] };

function entryAt(tl: EntryTimeline, d: string): EntryOn {
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

const activeOn = (d: DepartmentState, date: string) => d.establishedOn <= date && (d.abolishedOn === undefined || date < d.abolishedOn);
const departmentDates = (d: DepartmentState | null) => (d ? [d.establishedOn, d.abolishedOn, ...(d.sanding ?? []).map((s) => s.from)] : []);

interface DutyRef {
  departmentId: string;
  dutyId: string;
  text: string;
  organ?: string;
}

function dutiesOf(s: IssueSanding, departmentId: string): DutyRef[] {
  return [
    ...s.duties.map((d) => ({ departmentId, dutyId: d.id, text: d.text })),
    ...s.internalOrgans.flatMap((o) => o.duties.map((d) => ({ departmentId, dutyId: d.id, text: d.text, organ: o.name }))),
  ];
}

/** The wording a list gives an item: its own (asPublished) or the catalogue's on that date. */
const listName = (h: Holding, v: CatalogVersion) => (h.asPublished?.name?.trim() ? h.asPublished.name : v.name);

interface Memo<T> {
  stamp: string;
  value: T;
}

/**
 * Computes and caches findings over one registry read model. One engine per read model (see findingsEngine()).
 */
export class FindingsEngine {
  private readonly regionCache = new Map<string, Memo<RegionFindings>>();
  private readonly entryMemo = new Map<string, Memo<EntryTimeline>>();
  private readonly catalogMemo = new Map<string, Memo<CatalogVersion[]>>();
  private readonly deptMemo = new Map<string, Memo<DepartmentState | null>>();
  private readonly pairIndexes = new Map<string, PairIndex>();
  private readonly dutyIndexes = new Map<string, ContainmentIndex>();

  constructor(
    readonly view: RegistryProjection,
    readonly options: FindingsOptions = DEFAULT_FINDINGS_OPTIONS,
    readonly vectors: TextVectors = TEXT_VECTORS,
  ) {}

  /** Changes whenever the read model does (facts are only appended; a reset starts over). */
  private get logStamp(): string {
    return `${this.view.factCount}:${this.view.retractions.size}:${this.view.lastRecordedAt}`;
  }

  private memo<T>(map: Map<string, Memo<T>>, key: string, stamp: string, compute: () => T): T {
    const m = map.get(key);
    if (m && m.stamp === stamp) return m.value;
    const value = compute();
    if (map.size > 400_000) map.clear();
    map.set(key, { stamp, value });
    return value;
  }

  catalog(code: string, asKnownAt?: string): CatalogVersion[] {
    const stamp = `${this.view.catalog.get(code)?.length ?? 0}:${this.view.retractions.size}`;
    return this.memo(this.catalogMemo, `${code}|${asKnownAt ?? ''}`, stamp, () => this.view.catalogItem(code, asKnownAt));
  }

  department(id: string, asKnownAt?: string): DepartmentState | null {
    const stamp = `${this.view.departments.get(id)?.length ?? 0}:${this.view.retractions.size}`;
    return this.memo(this.deptMemo, `${id}|${asKnownAt ?? ''}`, stamp, () => this.view.department(id, asKnownAt));
  }

  entry(region: string, item: string, asKnownAt?: string): EntryTimeline {
    const facts = this.view.assignments.get(`assignment-${region}-${item}`);
    const stamp = `${facts?.length ?? 0}:${this.view.retractions.size}`;
    return this.memo(this.entryMemo, `${region}|${item}|${asKnownAt ?? ''}`, stamp, () => {
      const known = this.view.assignmentFacts(region, item, asKnownAt);
      const dates = sortedDates(known.map((f) => f.event.data.effectiveFrom));
      const states = dates.map((d) => entryOn(known, d));
      const holders = new Set<string>();
      for (const s of states) for (const h of s.holdings) holders.add(h.departmentId);
      return { dates, states, holders };
    });
  }

  /** Every finding of the region, as timelines (cached against the log position). */
  region(code: string, asKnownAt?: string): RegionFindings | null {
    const key = `${code}|${asKnownAt ?? ''}`;
    const stamp = this.logStamp;
    const cached = this.regionCache.get(key);
    if (cached && cached.stamp === stamp) return { ...cached.value, tookMs: 0 };
    const region = this.view.region(code, asKnownAt);
    if (!region) return null;
    const t0 = performance.now();
    const findings = new RegionComputation(this, region, asKnownAt).run();
    const value: RegionFindings = { region, asKnownAt, findings, tookMs: Math.round((performance.now() - t0) * 10) / 10 };
    if (this.regionCache.size > 256) this.regionCache.delete(this.regionCache.keys().next().value!);
    this.regionCache.set(key, { stamp, value });
    return value;
  }

  /** 三定 coverage per department of the region on a date. */
  coverage(code: string, at: string, asKnownAt?: string): Coverage[] {
    const region = this.view.region(code, asKnownAt);
    if (!region) return [];
    const c = new RegionComputation(this, region, asKnownAt);
    return c.departmentIds().map((id) => c.departmentAt(id, at).coverage).filter((x): x is Coverage => !!x);
  }

  /** The pair index of a group of texts in a region (kept between computations: it updates text by text). */
  pairIndex(key: string): PairIndex {
    let p = this.pairIndexes.get(key);
    if (!p) {
      if (this.pairIndexes.size > 512) this.pairIndexes.clear();
      this.pairIndexes.set(key, (p = new PairIndex(this.options.similarity, this.vectors)));
    }
    return p;
  }

  dutyIndex(key: string): ContainmentIndex {
    let p = this.dutyIndexes.get(key);
    if (!p) {
      if (this.dutyIndexes.size > 512) this.dutyIndexes.clear();
      this.dutyIndexes.set(key, (p = new ContainmentIndex(this.vectors)));
    }
    return p;
  }
}

type Clause = AgreeBoundaryClause & { eventId: string; recordedAt: string };
interface Covering {
  clause: Clause;
  by: 'itemCodes' | 'matter';
  score?: number;
}

/** One region's findings at one asKnownAt. */
class RegionComputation {
  private readonly view: RegistryProjection;
  private readonly o: FindingsOptions;
  private readonly out = new Map<string, FindingTimeline>();
  private readonly clauses: Clause[];
  private entriesCache?: string[];
  private readonly entryCache = new Map<string, EntryTimeline>();
  private dutiesInForceCache = new Map<string, DutyRef[]>();

  constructor(
    private readonly engine: FindingsEngine,
    private readonly region: RegionState,
    private readonly asKnownAt?: string,
  ) {
    this.view = engine.view;
    this.o = engine.options;
    this.clauses = this.view.boundaryClauses(region.code, asKnownAt);
  }

  /** The engine's memoised entry timeline, looked up once per computation. */
  private readonly catalogCache = new Map<string, CatalogVersion[]>();
  private catalog(item: string): CatalogVersion[] {
    let v = this.catalogCache.get(item);
    if (!v) this.catalogCache.set(item, (v = this.engine.catalog(item, this.asKnownAt)));
    return v;
  }

  private entry(region: string, item: string): EntryTimeline {
    const k = `${region}|${item}`;
    let e = this.entryCache.get(k);
    if (!e) this.entryCache.set(k, (e = this.engine.entry(region, item, this.asKnownAt)));
    return e;
  }

  run(): Map<string, FindingTimeline> {
    for (const item of this.itemsToCheck()) this.itemFindings(item);
    this.multiLevel();
    for (const id of this.departmentIds()) this.departmentFindings(id);
    this.similar();
    return this.out;
  }

  // ---- what the region holds ----

  /** Items with a list entry in the region (known at asKnownAt). */
  entries(): string[] {
    if (!this.entriesCache) {
      this.entriesCache = [...(this.view.entriesByRegion.get(this.region.code) ?? [])].filter((i) => this.entry(this.region.code, i).dates.length > 0).sort();
    }
    return this.entriesCache;
  }

  departmentIds(): string[] {
    return [...(this.view.departmentsByRegion.get(this.region.code) ?? [])].filter((id) => this.engine.department(id, this.asKnownAt)).sort();
  }

  /** Entries plus every catalogue item that applies at the region's level at some time. */
  private itemsToCheck(): string[] {
    const set = new Set(this.entries());
    for (const code of this.view.catalog.keys()) {
      if (set.has(code)) continue;
      if (this.engine.catalog(code, this.asKnownAt).some((v) => !v.retired && v.levels.includes(this.region.level))) set.add(code);
    }
    return [...set].sort();
  }

  private add(kind: FindingKind, about: string[], segments: Array<Segment<Detail>>, regions: string[] = [this.region.code], idRegion = this.region.code): void {
    if (segments.length === 0) return;
    const id = findingId(kind, idRegion, about);
    const prev = this.out.get(id);
    if (prev) prev.segments.push(...segments);
    else this.out.set(id, { id, kind, region: idRegion, regions, segments });
  }

  private addAll(found: Map<string, Array<Segment<Detail>>>, meta: Map<string, { kind: FindingKind; about: string[]; regions?: string[]; idRegion?: string }>): void {
    for (const [k, segs] of found) {
      const m = meta.get(k)!;
      this.add(m.kind, m.about, segs, m.regions, m.idRegion);
    }
  }

  /** Clauses of the region that name all these departments and cover the matter. */
  private coveringClauses(departmentIds: string[], itemCodes: string[], texts: string[]): Covering[] {
    const out: Covering[] = [];
    for (const c of this.clauses) {
      const named = new Set([c.leadDepartmentId, ...c.assistingDepartmentIds]);
      if (!departmentIds.every((d) => named.has(d))) continue;
      if (c.itemCodes?.some((i) => itemCodes.includes(i))) {
        out.push({ clause: c, by: 'itemCodes' });
        continue;
      }
      // the matter names it: most of the matter's words are in the text, or the two say the same thing
      let best = 0;
      for (const t of texts) {
        const contained = this.engine.vectors.containment(c.matter, t);
        const cosine = this.engine.vectors.cosine(c.matter, t);
        if (contained >= this.o.matter || cosine >= this.o.similarity) best = Math.max(best, contained, cosine);
      }
      if (best > 0) out.push({ clause: c, by: 'matter', score: roundScore(best) });
    }
    return out.sort((a, b) => (a.clause.effectiveFrom < b.clause.effectiveFrom ? -1 : a.clause.effectiveFrom > b.clause.effectiveFrom ? 1 : 0));
  }

  private settledByOn(covering: Covering[], d: string): Detail | undefined {
    const c = covering.find((x) => x.clause.effectiveFrom <= d);
    if (!c) return undefined;
    return {
      clauseId: c.clause.clauseId,
      matter: c.clause.matter,
      lead: { departmentId: c.clause.leadDepartmentId },
      assisting: c.clause.assistingDepartmentIds.map((departmentId) => ({ departmentId })),
      itemCodes: c.clause.itemCodes ?? [],
      effectiveFrom: c.clause.effectiveFrom,
      document: c.clause.document,
      eventId: c.clause.eventId,
      coveredBy: c.by,
      ...(c.score !== undefined ? { matterScore: c.score } : {}),
    };
  }

  // ---- per list entry: conflict, unowned, conformance ----

  private itemFindings(item: string): void {
    const versions = this.catalog(item);
    if (versions.length === 0) return;
    const tl = this.entry(this.region.code, item);
    const names = [...new Set(versions.map((v) => v.name))];
    const leadSets = new Set<string>();
    for (const s of tl.states) {
      const leads = s.holdings.filter((h) => h.role === 'lead').map((h) => h.departmentId);
      if (leads.length > 1) leadSets.add(leads.sort().join('|'));
    }
    const covering = new Map<string, Covering[]>();
    for (const set of leadSets) covering.set(set, this.coveringClauses(set.split('|'), [item], names));
    const clauseDates = [...covering.values()].flat().map((c) => c.clause.effectiveFrom);
    const dates = sortedDates([this.region.since, ...tl.dates, ...versions.map((v) => v.from), ...clauseDates]).filter((d) => d >= this.region.since);
    const meta = new Map<string, { kind: FindingKind; about: string[] }>();
    const found = keyedSegmentsOver(dates, (d) => {
      const now = new Map<string, Detail>();
      const v = catalogVersionOn(versions, d);
      const e = entryAt(tl, d);
      const leads = e.holdings.filter((h) => h.role === 'lead');
      const itemRef = { itemCode: item, itemName: v?.name ?? versions[0].name, type: v?.type ?? versions[0].type };
      if (leads.length > 1) {
        const set = leads.map((h) => h.departmentId).sort().join('|');
        const settledBy = this.settledByOn(covering.get(set) ?? [], d);
        now.set('conflict', {
          item: itemRef,
          leads: leads.map((h) => ({ departmentId: h.departmentId, since: h.since, document: h.document, eventId: h.eventId })),
          ...(settledBy ? { settledBy } : {}),
        });
        meta.set('conflict', { kind: 'conflict', about: [item] });
      }
      const applies = !!v && !v.retired && v.levels.includes(this.region.level) && e.delegatedTo.length === 0;
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
      if (v) {
        for (const h of e.holdings) {
          const devs = deviations(v, h.asPublished);
          if (devs.length === 0) continue;
          now.set(`conformance|${h.departmentId}`, {
            item: itemRef,
            department: { departmentId: h.departmentId },
            role: h.role,
            deviations: devs,
            catalogue: { from: v.from, document: v.document },
            listedSince: h.since,
            eventId: h.eventId,
          });
          meta.set(`conformance|${h.departmentId}`, { kind: 'conformance', about: [item, h.departmentId] });
        }
      }
      return now;
    });
    this.addAll(found, meta);
  }

  // ---- multi-level duplication ----

  private ancestors(): RegionState[] {
    const out: RegionState[] = [];
    let r: RegionState | null = this.region;
    while (r?.parentCode && out.length < 4) {
      r = this.view.region(r.parentCode, this.asKnownAt);
      if (r) out.push(r);
    }
    return out;
  }

  private descendants(): RegionState[] {
    const out: RegionState[] = [];
    const queue = [this.region.code];
    while (queue.length) {
      const code = queue.shift()!;
      for (const child of [...(this.view.regionsByParent.get(code) ?? [])].sort()) {
        const r = this.view.region(child, this.asKnownAt);
        if (!r) continue;
        out.push(r);
        queue.push(child);
      }
    }
    return out;
  }

  private multiLevel(): void {
    const mine = new Set(this.entries());
    if (mine.size === 0) return;
    for (const a of this.ancestors()) this.multiLevelPair(a, this.region, mine);
    for (const d of this.descendants()) this.multiLevelPair(this.region, d, mine);
  }

  /** Items held in both `upper` and `lower` (a descendant) on the same dates. */
  private multiLevelPair(upper: RegionState, lower: RegionState, mine: Set<string>): void {
    const other = this.view.entriesByRegion.get(upper.code === this.region.code ? lower.code : upper.code);
    if (!other) return;
    for (const item of [...other].sort()) {
      if (!mine.has(item)) continue;
      const up = this.entry(upper.code, item);
      const low = this.entry(lower.code, item);
      if (up.holders.size === 0 || low.holders.size === 0) continue;
      const versions = this.catalog(item);
      const dates = sortedDates([...up.dates, ...low.dates, ...versions.map((v) => v.from)]).filter((d) => d >= upper.since && d >= lower.since);
      const found = keyedSegmentsOver(dates, (d) => {
        const now = new Map<string, Detail>();
        const u = entryAt(up, d);
        const l = entryAt(low, d);
        if (u.holdings.length === 0 || l.holdings.length === 0) return now;
        const explained = this.delegatedDown(upper.code, lower.code, item, l, d);
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
      if (segs) this.add('multi-level', [item, lower.code], segs, [upper.code, lower.code], upper.code);
    }
  }

  /** The lower entry came down from the upper region by delegation (directly or through the regions between). */
  private delegatedDown(upper: string, lower: string, item: string, lowerEntry: EntryOn, d: string): boolean {
    let e = lowerEntry;
    let at = lower;
    for (let i = 0; i < 4 && e.receivedFrom; i++) {
      if (e.receivedFrom === upper) return true;
      at = e.receivedFrom;
      e = entryAt(this.entry(at, item), d);
    }
    return false;
  }

  // ---- per department: abolished holders, 三定 against the lists ----

  private deptEntries = new Map<string, string[]>();

  private deptItems = new Map<string, Array<{ item: string; tl: EntryTimeline; versions: CatalogVersion[] }>>();

  /** The region's list entries the department holds on some date, with their timelines and catalogue versions. */
  private itemsOfDepartment(id: string): Array<{ item: string; tl: EntryTimeline; versions: CatalogVersion[] }> {
    let list = this.deptItems.get(id);
    if (!list) {
      list = this.view
        .entriesOf(id)
        .filter((e) => e.regionCode === this.region.code)
        .map((e) => e.itemCode)
        .sort()
        .map((item) => ({ item, tl: this.entry(this.region.code, item), versions: this.catalog(item) }))
        .filter((x) => x.tl.holders.has(id) && x.versions.length > 0);
      this.deptItems.set(id, list);
    }
    return list;
  }

  /** Duties in force on a date across the region's active departments. */
  private dutiesInForce(d: string): DutyRef[] {
    let list = this.dutiesInForceCache.get(d);
    if (!list) {
      list = [];
      for (const id of this.departmentIds()) {
        const s = this.engine.department(id, this.asKnownAt);
        if (!s || !activeOn(s, d)) continue;
        const sd = sandingOn(s, d);
        if (sd) list.push(...dutiesOf(sd, id));
      }
      this.dutiesInForceCache.set(d, list);
    }
    return list;
  }

  private dutiesByTextCache = new Map<string, Map<string, DutyRef[]>>();

  /** The same, by text (several departments may word a duty the same way). */
  private dutiesByText(d: string): Map<string, DutyRef[]> {
    let m = this.dutiesByTextCache.get(d);
    if (!m) {
      m = new Map();
      for (const x of this.dutiesInForce(d)) {
        const list = m.get(x.text);
        if (list) list.push(x);
        else m.set(x.text, [x]);
      }
      this.dutiesByTextCache.set(d, m);
    }
    return m;
  }

  private dutyIndex(): ContainmentIndex {
    const texts = new Set<string>();
    for (const id of this.departmentIds()) for (const s of this.engine.department(id, this.asKnownAt)?.sanding ?? []) for (const d of dutiesOf(s.version, id)) texts.add(d.text);
    const idx = this.engine.dutyIndex(`${this.region.code}|${this.asKnownAt ?? ''}`);
    idx.sync(texts);
    return idx;
  }
  private dutyIndexCache?: ContainmentIndex;

  /** What a department's holdings say on a date: findings about it and its 三定 coverage. */
  departmentAt(id: string, d: string): { found: Map<string, Detail>; meta: Map<string, { kind: FindingKind; about: string[] }>; coverage?: Coverage } {
    const found = new Map<string, Detail>();
    const meta = new Map<string, { kind: FindingKind; about: string[] }>();
    const state = this.engine.department(id, this.asKnownAt);
    const held: Array<{ item: string; h: Holding; v: CatalogVersion; text: string }> = [];
    for (const { item, tl, versions } of this.itemsOfDepartment(id)) {
      const h = entryAt(tl, d).holdings.find((x) => x.departmentId === id);
      if (!h) continue;
      const v = catalogVersionOn(versions, d) ?? versions[0];
      held.push({ item, h, v, text: listName(h, v) });
    }
    const dept = { departmentId: id };
    const status = !state ? 'not-recorded' : d < state.establishedOn ? 'not-yet-established' : state.abolishedOn !== undefined && d >= state.abolishedOn ? 'abolished' : 'active';
    if (status !== 'active') {
      if (held.length) {
        found.set('abolished-holder', {
          department: { ...dept, status, ...(state ? { establishedOn: state.establishedOn } : {}), ...(state?.abolishedOn ? { abolishedOn: state.abolishedOn } : {}), ...(state?.successorId ? { successor: { departmentId: state.successorId } } : {}) },
          items: held.map((x) => ({ itemCode: x.item, itemName: x.v.name, role: x.h.role, since: x.h.since })),
        });
        meta.set('abolished-holder', { kind: 'abolished-holder', about: [id] });
      }
      return { found, meta };
    }
    const s = sandingOn(state!, d);
    if (!s) {
      if (held.length) {
        found.set('no-sanding', { department: dept, items: held.length, itemCodes: held.slice(0, 50).map((x) => x.item) });
        meta.set('no-sanding', { kind: 'no-sanding', about: [id] });
      }
      return { found, meta };
    }
    const duties = dutiesOf(s, id);
    const byId = new Map(duties.map((x) => [x.dutyId, x]));
    const index = (this.dutyIndexCache ??= this.dutyIndex());
    const inForce = this.dutiesInForce(d);
    const byText = this.dutiesByText(d);
    const ownPos = new Map(duties.map((x, i) => [x, i]));
    const ownByText = new Map<string, DutyRef[]>();
    for (const x of duties) ownByText.set(x.text, [...(ownByText.get(x.text) ?? []), x]);
    const linkedDuties = new Set<string>();
    const links: Coverage['links'] = [];
    const dutyRef = (x: DutyRef, score?: number) => ({ departmentId: x.departmentId, dutyId: x.dutyId, text: x.text, ...(x.organ ? { organ: x.organ } : {}), ...(score !== undefined ? { score: roundScore(score) } : {}) });
    for (const x of held) {
      const scores = index.scores(x.text, MATCH_FLOOR);
      // best own and best other duty, walking only the duties the item shares a bigram with (ties: list order)
      let own: DutyRef | undefined;
      let ownScore = 0;
      let other: DutyRef | undefined;
      let otherScore = 0;
      for (const [text, sc] of scores) {
        for (const mine of ownByText.get(text) ?? []) {
          if (sc >= this.o.link) linkedDuties.add(mine.dutyId);
          if (sc > ownScore || (sc === ownScore && own && ownPos.get(mine)! < ownPos.get(own)!)) [own, ownScore] = [mine, sc];
        }
        if (sc < otherScore) continue;
        for (const duty of byText.get(text) ?? []) {
          if (duty.departmentId === id) continue;
          if (sc > otherScore || (other && inForce.indexOf(duty) < inForce.indexOf(other))) [other, otherScore] = [duty, sc];
        }
      }
      const itemRef = { itemCode: x.item, itemName: x.v.name, text: x.text, role: x.h.role };
      if (x.h.dutyIds?.length) {
        const resolved = x.h.dutyIds.filter((k) => byId.has(k));
        for (const k of resolved) linkedDuties.add(k);
        if (resolved.length) {
          links.push({ itemCode: x.item, dutyIds: resolved, by: 'explicit' });
          continue;
        }
        links.push({ itemCode: x.item, dutyIds: [], by: 'none' });
        found.set(`unapproved|${x.item}`, { item: itemRef, department: dept, reason: 'duty-ids-not-in-sanding', dutyIds: x.h.dutyIds, sanding: { from: s.effectiveFrom, document: s.document } });
        meta.set(`unapproved|${x.item}`, { kind: 'unapproved-duty', about: [x.item, id] });
        continue;
      }
      if (own && ownScore >= this.o.link) {
        links.push({ itemCode: x.item, dutyIds: [own.dutyId], by: 'text', score: roundScore(ownScore) });
        continue;
      }
      links.push({ itemCode: x.item, dutyIds: [], by: 'none', ...(own ? { score: roundScore(ownScore) } : {}) });
      if (other && otherScore >= this.o.deviation && otherScore - ownScore >= this.o.deviationMargin) {
        found.set(`deviation|${x.item}`, { item: itemRef, department: dept, own: own ? dutyRef(own, ownScore) : null, other: dutyRef(other, otherScore) });
        meta.set(`deviation|${x.item}`, { kind: 'duty-deviation', about: [x.item, id] });
      } else {
        found.set(`unapproved|${x.item}`, { item: itemRef, department: dept, reason: 'no-matching-duty', bestMatch: own ? dutyRef(own, ownScore) : null, threshold: this.o.link });
        meta.set(`unapproved|${x.item}`, { kind: 'unapproved-duty', about: [x.item, id] });
      }
    }
    for (const duty of duties) {
      if (linkedDuties.has(duty.dutyId) || NON_POWER_DUTY.test(duty.text)) continue;
      found.set(`missing|${duty.dutyId}`, { department: dept, duty: dutyRef(duty), sanding: { from: s.effectiveFrom, document: s.document }, itemsHeld: held.length });
      meta.set(`missing|${duty.dutyId}`, { kind: 'duty-missing', about: [id, duty.dutyId] });
    }
    const countable = duties.filter((x) => !NON_POWER_DUTY.test(x.text) || linkedDuties.has(x.dutyId));
    const withItems = countable.filter((x) => linkedDuties.has(x.dutyId)).length;
    const withDuties = links.filter((l) => l.by !== 'none').length;
    const coverage: Coverage = {
      departmentId: id,
      duties: countable.length,
      dutiesWithItems: withItems,
      items: held.length,
      itemsWithDuties: withDuties,
      dutyCoverage: countable.length ? roundScore(withItems / countable.length) : null,
      itemCoverage: held.length ? roundScore(withDuties / held.length) : null,
      links,
    };
    return { found, meta, coverage };
  }

  private departmentFindings(id: string): void {
    const state = this.engine.department(id, this.asKnownAt);
    const dates = new Set<string | undefined>([this.region.since, ...departmentDates(state)]);
    for (const { tl, versions } of this.itemsOfDepartment(id)) {
      for (const d of tl.dates) dates.add(d);
      for (const v of versions) dates.add(v.from);
    }
    // 职责偏离 compares with the other departments' duties in force
    if (state?.sanding?.length) for (const other of this.departmentIds()) for (const d of departmentDates(this.engine.department(other, this.asKnownAt))) dates.add(d);
    const list = sortedDates(dates).filter((d) => d >= this.region.since);
    const meta = new Map<string, { kind: FindingKind; about: string[] }>();
    const found = keyedSegmentsOver(list, (d) => {
      const r = this.departmentAt(id, d);
      for (const [k, m] of r.meta) meta.set(k, m);
      return r.found;
    });
    this.addAll(found, meta);
  }

  // ---- similar duties and items of different departments ----

  private similar(): void {
    interface Doc extends Range {
      key: string;
      group: string;
      text: string;
      departmentId: string;
      ref: Detail;
      itemCode?: string;
    }
    const docs: Doc[] = [];
    for (const item of this.entries()) {
      const tl = this.entry(this.region.code, item);
      if (tl.holders.size === 0) continue;
      const versions = this.catalog(item);
      if (versions.length === 0) continue;
      const dates = sortedDates([...tl.dates, ...versions.map((v) => v.from)]).filter((d) => d >= this.region.since);
      const segs = keyedSegmentsOver(dates, (d) => {
        const now = new Map<string, Detail>();
        const v = catalogVersionOn(versions, d);
        if (!v) return now;
        for (const h of entryAt(tl, d).holdings) if (h.role === 'lead') now.set(h.departmentId, { text: listName(h, v), type: v.type, name: v.name });
        return now;
      });
      for (const [dept, ss] of segs) {
        for (const s of ss) {
          const text = s.detail.text as string;
          docs.push({ key: `item:${item}:${dept}`, group: `item:${s.detail.type}`, text, departmentId: dept, itemCode: item, from: s.from, until: s.until, ref: { kind: 'item', departmentId: dept, itemCode: item, itemName: s.detail.name, text } });
        }
      }
    }
    for (const id of this.departmentIds()) {
      const state = this.engine.department(id, this.asKnownAt)!;
      const versions = state.sanding ?? [];
      versions.forEach((sv, i) => {
        const range = intersect({ from: sv.from, ...(versions[i + 1] ? { until: versions[i + 1].from } : {}) }, { from: state.establishedOn, ...(state.abolishedOn ? { until: state.abolishedOn } : {}) });
        if (!range) return;
        for (const duty of dutiesOf(sv.version, id)) {
          docs.push({ key: `duty:${id}:${duty.dutyId}`, group: 'duty', text: duty.text, departmentId: id, ...range, ref: { kind: 'duty', departmentId: id, dutyId: duty.dutyId, text: duty.text, ...(duty.organ ? { organ: duty.organ } : {}) } });
        }
      });
    }
    const groups = new Map<string, Map<string, Doc[]>>();
    for (const d of docs) {
      let g = groups.get(d.group);
      if (!g) groups.set(d.group, (g = new Map()));
      const list = g.get(d.text);
      if (list) list.push(d);
      else g.set(d.text, [d]);
    }
    const pairs = new Map<string, { a: string; b: string; texts: Set<string>; items: Set<string>; departments: [string, string]; segs: Array<Segment<Detail>> }>();
    for (const [group, byText] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const index = this.engine.pairIndex(`${this.region.code}|${this.asKnownAt ?? ''}|${group}`);
      index.sync(byText.keys());
      const closest = new Map<string, Set<string>>();
      const closestTo = (text: string) => {
        let c = closest.get(text);
        if (!c) {
          const ranked = [...index.similarTo(text)].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
          closest.set(text, (c = new Set(ranked.slice(0, this.o.maxPartners).map((x) => x[0]))));
        }
        return c;
      };
      for (const text of [...byText.keys()].sort()) {
        const partners: Array<[string, number]> = [[text, 1]];
        for (const [other, score] of index.similarTo(text)) if (other > text && (closestTo(text).has(other) || closestTo(other).has(text))) partners.push([other, score]);
        for (const [other, score] of partners) {
          for (const x of byText.get(text)!) {
            for (const y of byText.get(other) ?? []) {
              if (x.departmentId === y.departmentId) continue;
              if (text === other && !(x.key < y.key)) continue;
              if (x.itemCode !== undefined && x.itemCode === y.itemCode) continue;
              const range = intersect(x, y);
              if (!range) continue;
              const [a, b] = x.key < y.key ? [x, y] : [y, x];
              const pk = `${a.key}\u0000${b.key}`;
              let p = pairs.get(pk);
              if (!p) pairs.set(pk, (p = { a: a.key, b: b.key, texts: new Set(), items: new Set(), departments: [a.departmentId, b.departmentId], segs: [] }));
              p.texts.add(a.text).add(b.text);
              if (a.itemCode) p.items.add(a.itemCode);
              if (b.itemCode) p.items.add(b.itemCode);
              p.segs.push({ ...range, detail: { subject: group === 'duty' ? 'duty' : 'item', score: roundScore(score), a: a.ref, b: b.ref } });
            }
          }
        }
      }
    }
    for (const p of pairs.values()) {
      const covering = this.coveringClauses(p.departments, [...p.items], [...p.texts]);
      const segs: Array<Segment<Detail>> = [];
      for (const s of p.segs.sort((x, y) => (x.from < y.from ? -1 : x.from > y.from ? 1 : 0))) {
        const cuts = sortedDates([s.from, ...covering.map((c) => c.clause.effectiveFrom).filter((d) => d > s.from && (s.until === undefined || d < s.until))]);
        cuts.forEach((from, i) => {
          const until = cuts[i + 1] ?? s.until;
          const settledBy = this.settledByOn(covering, from);
          const detail = settledBy ? { ...s.detail, settledBy } : s.detail;
          const last = segs[segs.length - 1];
          if (last && last.until === from && JSON.stringify(last.detail) === JSON.stringify(detail)) {
            if (until === undefined) delete last.until;
            else last.until = until;
          } else segs.push({ from, ...(until !== undefined ? { until } : {}), detail });
        });
      }
      this.add('similar', [p.a, p.b], segs);
    }
  }
}

/** One engine per read model, shared by the HTTP controllers and the CLI. */
const engines = new WeakMap<RegistryProjection, FindingsEngine>();
export function findingsEngine(view: RegistryProjection): FindingsEngine {
  let e = engines.get(view);
  if (!e) engines.set(view, (e = new FindingsEngine(view)));
  return e;
}
