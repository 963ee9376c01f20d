import { EntryOn, catalogVersionOn, entryOn } from '../../../domain/src';
import { RegistryProjection } from '../registry/registry.projection';
import type { ListItem } from './list.query';

/**
 * A list entry's answers on the valid axis, as known now: the entry's list item is the same on every
 * date of a stretch between two of its breakpoints — the entry's effective dates (its fold, entryOn,
 * changes only there), the catalogue versions' dates, and the names, establishment and abolition dates
 * of the departments holding it on that stretch. `starts[i]` opens stretch i, `items[i]` is its answer
 * (null: not in the list then); before `starts[0]` the entry is not in the list.
 */
interface Stretches {
  starts: string[];
  items: Array<ListItem | null>;
}

interface EntryTimeline extends Stretches {
  /** The latest instant a fact that any of these answers depends on was recorded or retracted. */
  touched: string;
  /** What it was built from: valid while the entry's facts and the shared facts stay as many. */
  entryFacts: number;
  shared: number;
  /**
   * As known at earlier instants: `instants` are the instants anything the answers read was recorded or
   * retracted (RegistryProjection.answerInstants), `past.get(j)` the stretches as known from instants[j]
   * until the next one (the same for every instant in between). Made on the first such question.
   */
  instants?: string[];
  past?: Map<number, Stretches>;
}

interface RegionIndex {
  /** The region's item codes, sorted (rebuilt when an entry is added). */
  codes: string[];
  timelines: Map<string, EntryTimeline>;
  /** The region's entry changes and the shared changes when every timeline was last checked. */
  checkedEntries: number;
  checkedShared: number;
}

/** How many entries' timelines are kept (least recently asked regions are dropped first): ~300 B each. */
const MAX_ENTRIES = 100_000;

/**
 * Per-region interval index of the list (issue 19): a list on a date is a scan of the stretches in force
 * on that date — one binary search per entry — rather than a fold of every entry. Built per region on
 * its first question and kept while nothing it was built from changes (an entry rebuilds its own
 * timeline when a fact of its stream arrives; a catalogue, department or retraction fact makes every
 * timeline rebuild on its next question). An as-known-at question uses an entry's timeline when nothing
 * the entry's answers depend on was recorded after that instant, and folds the entry otherwise.
 * The answers are shared between questions: treat them as read-only.
 */
export class ListIndex {
  private readonly regions = new Map<string, RegionIndex>();
  private entries = 0;

  constructor(
    private readonly view: RegistryProjection,
    private readonly itemOn: (view: RegistryProjection, code: string, entry: EntryOn, at: string, asKnownAt?: string) => ListItem | null,
  ) {}

  /** The region's items on `at` as known at `asKnownAt` (default now), in code order. */
  itemsOn(region: string, at: string, asKnownAt?: string): ListItem[] {
    const idx = this.region(region);
    const out: ListItem[] = [];
    const shared = this.view.sharedChangeCount;
    const changes = this.view.entryChangeCount(region);
    // Nothing applied since every timeline was checked: skip the per-entry checks.
    const fresh = idx.checkedEntries === changes && idx.checkedShared === shared;
    for (const code of idx.codes) {
      let tl = idx.timelines.get(code);
      if (!tl || (!fresh && (tl.shared !== shared || tl.entryFacts !== this.view.entryFactCount(region, code)))) {
        // a rebuilt timeline starts without its predecessor's answers as known at earlier instants
        this.entries += tl ? -(tl.past?.size ?? 0) : 1;
        tl = this.build(region, code);
        idx.timelines.set(code, tl);
      }
      let item: ListItem | null;
      if (asKnownAt === undefined || tl.touched <= asKnownAt) item = find(tl, at);
      else item = find(this.asKnown(region, code, tl, asKnownAt), at);
      if (item) out.push(item);
    }
    idx.checkedEntries = changes;
    idx.checkedShared = shared;
    this.trim();
    return out;
  }

  /** The entry's stretches as known at an instant before its last change (kept per knowledge interval). */
  private asKnown(region: string, code: string, tl: EntryTimeline, asKnownAt: string): Stretches {
    const instants = (tl.instants ??= this.view.answerInstants(region, code));
    // the last instant at or before asKnownAt: what was known then is what was known at it
    let lo = 0;
    let hi = instants.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (instants[mid] <= asKnownAt) lo = mid + 1;
      else hi = mid;
    }
    const j = lo - 1;
    if (j < 0) return NOTHING;
    let p = tl.past?.get(j);
    if (!p) {
      p = this.build(region, code, asKnownAt);
      (tl.past ??= new Map()).set(j, p);
      this.entries++;
    }
    return p;
  }

  private region(code: string): RegionIndex {
    const codes = this.view.itemCodesIn(code);
    let idx = this.regions.get(code);
    if (idx) {
      // Most recently asked last.
      this.regions.delete(code);
      this.regions.set(code, idx);
      if (idx.codes.length === codes.size) return idx;
      idx.codes = [...codes].sort();
      return idx;
    }
    idx = { codes: [...codes].sort(), timelines: new Map(), checkedEntries: -1, checkedShared: -1 };
    this.regions.set(code, idx);
    return idx;
  }

  private trim(): void {
    for (const [code, idx] of this.regions) {
      if (this.entries <= MAX_ENTRIES || this.regions.size <= 1) return;
      for (const tl of idx.timelines.values()) this.entries -= 1 + (tl.past?.size ?? 0);
      this.regions.delete(code);
    }
  }

  /** The entry's stretches as known now, or as known at `asKnownAt` (then `touched` and the stamps are not meant to be read). */
  private build(region: string, code: string, asKnownAt?: string): EntryTimeline {
    const view = this.view;
    const facts = view.assignmentFacts(region, code, asKnownAt);
    const versions = view.catalogItem(code, asKnownAt);
    // the latest change the answers read (only for the answers as known now)
    let touched = asKnownAt === undefined ? view.lastChangeOf('entry', region, code) : '';
    const cat = asKnownAt === undefined ? view.lastChangeOf('catalog', code) : '';
    if (cat > touched) touched = cat;
    const dates = [...new Set(facts.map((f) => f.event.data.effectiveFrom))].sort();
    const starts: string[] = [];
    const items: Array<ListItem | null> = [];
    const seenDepartments = new Set<string>();
    for (let i = 0; i < dates.length; i++) {
      const from = dates[i];
      const to = dates[i + 1];
      const entry = entryOn(facts, from);
      // Where the answer can change inside the stretch [from, to): catalogue versions, holders' departments.
      const cuts = new Set<string>([from]);
      const within = (d: string | undefined) => {
        if (d !== undefined && d > from && (to === undefined || d < to)) cuts.add(d);
      };
      for (const v of versions) within(v.from);
      for (const h of entry.holdings) {
        const d = view.department(h.departmentId, asKnownAt);
        if (asKnownAt === undefined && !seenDepartments.has(h.departmentId)) {
          seenDepartments.add(h.departmentId);
          const t = view.lastChangeOf('department', h.departmentId);
          if (t > touched) touched = t;
        }
        if (!d) continue;
        within(d.establishedOn);
        within(d.abolishedOn);
        for (const n of d.names) within(n.from);
      }
      for (const at of [...cuts].sort()) {
        starts.push(at);
        items.push(this.itemOn(view, code, entry, at, asKnownAt));
      }
    }
    return { starts, items, touched, entryFacts: view.entryFactCount(region, code), shared: view.sharedChangeCount };
  }
}

const NOTHING: Stretches = { starts: [], items: [] };

/** The answer of the stretch in force on `at` (the last start on or before it). */
function find(tl: Stretches, at: string): ListItem | null {
  const s = tl.starts;
  let lo = 0;
  let hi = s.length - 1;
  if (hi < 0 || at < s[0]) return null;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (s[mid] <= at) lo = mid;
    else hi = mid - 1;
  }
  return tl.items[lo];
}

const indexes = new WeakMap<RegistryProjection, ListIndex>();

/** The list index of a read model (one per read model, made on first use). */
export function listIndexOf(view: RegistryProjection, itemOn: ConstructorParameters<typeof ListIndex>[1]): ListIndex {
  let idx = indexes.get(view);
  if (!idx) indexes.set(view, (idx = new ListIndex(view, itemOn)));
  return idx;
}
