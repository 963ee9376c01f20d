import {
  ListRowsEvent,
  AgreeBoundaryClause,
  AssignmentEvent,
  BoundaryEvent,
  CatalogEvent,
  CatalogVersion,
  DepartmentEvent,
  DepartmentState,
  FindingEvent,
  RegionEvent,
  RegionState,
  RetractEvent,
  assignmentStream,
  catalogStream,
  catalogVersions,
  evolveDepartment,
  evolveRegion,
  fold,
} from '../../../domain/src';
import { Fact, Projection } from '../projection';
import { StringTable, addTo, appended, push, sameFlat } from '../memory/memory';

export interface Retraction {
  eventId: string;
  recordedAt: string;
  retraction: Fact;
  data: RetractEvent;
  /** The retracted fact, found in its own stream (a retraction is recorded in the retracted event's stream). */
  target?: Fact;
}

/** A current-state fold (as known now) and the latest recorded instant of a fact of its stream or of a retraction of one. */
interface Memo<T> {
  value: T;
  touched: string;
  /** Folds as known at earlier instants, by how many of the stream's facts were recorded by then (streams without retractions). */
  past?: Map<number, T>;
}

/**
 * Keeps every fact with its recorded time (and its retraction, if any), so that any (at, asKnownAt)
 * question can be answered: a fact counts as known at T when it was recorded by T and not retracted by T.
 *
 * Memory: one object per fact and nothing per fact besides it (no index by event id; a retraction
 * finds its target in its own stream); the lists are kept at their exact length; the strings that
 * repeat across facts (stream, codes, document numbers, dates, actors) are shared.
 * Speed: the current state of regions, departments and catalogue items is folded once and kept until
 * a fact of their stream arrives; an as-known-at question reuses it when nothing of that stream was
 * recorded (or retracted) after the instant asked about.
 */
export class RegistryProjection implements Projection {
  readonly name = 'registry';
  private readonly regions = new Map<string, Fact<RegionEvent>[]>();
  private readonly regionsByParent = new Map<string, Set<string>>();
  private readonly departments = new Map<string, Fact<DepartmentEvent>[]>();
  private readonly departmentsByRegion = new Map<string, Set<string>>();
  private readonly catalog = new Map<string, Fact<CatalogEvent>[]>();
  /** Key: assignment stream name (region + item). */
  private readonly assignments = new Map<string, Fact<AssignmentEvent>[]>();
  /** Region → item codes with a list entry there. */
  private readonly entriesByRegion = new Map<string, Set<string>>();
  /** Department → the assignment streams (list entries) it was ever named in; see entriesOf. */
  private readonly entriesByDepartment = new Map<string, Set<string>>();
  private readonly boundaries = new Map<string, Fact<BoundaryEvent>[]>();
  /** 清单重复行 noted by imports, per region (finding list-duplicate). */
  private readonly listRows = new Map<string, Fact<ListRowsEvent>[]>();
  /** Item code → every fact touching it (catalogue and list entries), in recorded order. */
  private readonly byItem = new Map<string, Fact[]>();
  private readonly retractions = new Map<string, Retraction>();
  /** Retraction facts in recorded order (a fact may be retracted twice: `retractions` keeps the last). */
  private retractionFacts: Fact[] = [];
  /** Facts of types this projection does not index (kept for the snapshot). */
  private otherFacts: Fact[] = [];
  /** The 实有人员 facts (of otherFacts) by department id: what factsAbout takes of them without scanning every other fact. */
  private readonly staffingByDepartment = new Map<string, Fact[]>();
  /** Findings ledger: finding id → its status changes, in recorded order. */
  private readonly findings = new Map<string, Fact<FindingEvent>[]>();
  /** Stream → the retractions recorded in it whose target was found there (an entry's history reads them). */
  private readonly retractionsByStream = new Map<string, Fact[]>();
  /** Streams holding at least one retracted fact. */
  private retractedStreams = new Set<string>();
  /** Facts applied so far. */
  private nFacts = 0;
  /** Region → how many list-entry facts were applied there (a stamp for the list index). */
  private readonly entryChanges = new Map<string, number>();
  /** Facts applied that can change a list entry's answer other than its own stream's (catalogue, departments, retractions). */
  private sharedChanges = 0;
  /**
   * Region → facts applied that its findings read besides list entries: its departments' (三定, names,
   * abolition, 实有人员) and its boundary clauses. With entryChangeCount (of the region, the regions above and
   * below it) and the global catalogue and region counts, a region's findings are valid while these stay.
   */
  private readonly scopeChanges = new Map<string, number>();
  private catalogChanges = 0;
  private regionChanges = 0;
  private lastRecorded = '';
  private readonly strings = new StringTable();
  private lastDocument?: Record<string, unknown>;
  private lastReason?: string;
  private lastActor?: string;
  private readonly regionMemo = new Map<string, Memo<RegionState | null>>();
  private readonly departmentMemo = new Map<string, Memo<DepartmentState | null>>();
  private readonly catalogMemo = new Map<string, Memo<CatalogVersion[]>>();

  apply(fact: Fact): void {
    const e = fact.event;
    this.nFacts++;
    if (fact.recordedAt === this.lastRecorded) fact.recordedAt = this.lastRecorded;
    else this.lastRecorded = fact.recordedAt;
    if (fact.actor !== undefined) fact.actor = fact.actor === this.lastActor ? this.lastActor : (this.lastActor = this.intern(fact.actor));
    if (e.type.startsWith('Department') || e.type.startsWith('Catalog') || e.type === 'SandingIssued' || e.type === 'EventRetracted') this.sharedChanges++;
    switch (e.type) {
      case 'RegionRegistered':
        this.regionChanges++;
        this.regionMemo.delete(e.data.code);
        pushFact(this.regions, e.data.code, fact as Fact<RegionEvent>);
        if (e.data.parentCode) addTo(this.regionsByParent, e.data.parentCode, e.data.code);
        break;
      case 'DepartmentEstablished':
        addTo(this.departmentsByRegion, e.data.regionCode, e.data.id);
        this.departmentMemo.delete(e.data.id);
        pushFact(this.departments, e.data.id, fact as Fact<DepartmentEvent>);
        this.scopeChanged(e.data.regionCode);
        break;
      case 'DepartmentRenamed':
      case 'DepartmentAbolished':
      case 'SandingIssued':
        this.departmentMemo.delete(e.data.id);
        pushFact(this.departments, e.data.id, fact as Fact<DepartmentEvent>);
        this.scopeChanged(this.regionOfDepartment(e.data.id));
        break;
      case 'CatalogItemDefined':
      case 'CatalogItemRevised':
      case 'CatalogItemRetired':
        this.catalogChanges++;
        this.catalogMemo.delete(e.data.code);
        pushFact(this.catalog, e.data.code, fact as Fact<CatalogEvent>);
        push(this.byItem, e.data.code, fact);
        break;
      case 'ItemAssigned':
      case 'ItemTransferred':
      case 'ItemWithdrawn':
      case 'ItemDelegated':
      case 'ItemReceived':
      case 'ItemRecalled':
      case 'ItemReturned': {
        const d = e.data as AssignmentEvent['data'] & { departmentId?: string; fromDepartmentId?: string; toDepartmentId?: string; reason?: string };
        // The stream name is the map key: one string for the key, every fact's `stream` and the department index.
        const s = fact.stream;
        const key =
          s.length === 12 + d.regionCode.length + d.itemCode.length && s.startsWith('assignment-') && s.startsWith(d.regionCode, 11) && s.charCodeAt(11 + d.regionCode.length) === 45 && s.endsWith(d.itemCode)
            ? s
            : assignmentStream(d.regionCode, d.itemCode);
        const list = this.assignments.get(key);
        if (list) {
          // Same entry: the same region and item strings as its first fact.
          const first = list[0];
          d.regionCode = first.event.data.regionCode;
          d.itemCode = first.event.data.itemCode;
          if (first.stream === s) fact.stream = first.stream;
          this.assignments.set(key, appended(list, fact as Fact<AssignmentEvent>));
        } else {
          d.regionCode = this.intern(d.regionCode);
          d.itemCode = this.intern(d.itemCode);
          this.assignments.set(key, [fact as Fact<AssignmentEvent>]);
          addTo(this.entriesByRegion, d.regionCode, d.itemCode);
        }
        this.shareDetails(d);
        this.entryChanges.set(d.regionCode, (this.entryChanges.get(d.regionCode) ?? 0) + 1);
        push(this.byItem, d.itemCode, fact);
        if (e.type === 'ItemTransferred') {
          addTo(this.entriesByDepartment, (d.fromDepartmentId = this.intern(d.fromDepartmentId!)), key);
          addTo(this.entriesByDepartment, (d.toDepartmentId = this.intern(d.toDepartmentId!)), key);
        } else if (d.departmentId && (e.type === 'ItemAssigned' || e.type === 'ItemReceived' || e.type === 'ItemRecalled' || e.type === 'ItemWithdrawn')) {
          addTo(this.entriesByDepartment, (d.departmentId = this.intern(d.departmentId)), key);
        }
        break;
      }
      case 'BoundaryClauseAgreed':
        pushFact(this.boundaries, e.data.regionCode, fact as Fact<BoundaryEvent>);
        this.scopeChanged(e.data.regionCode);
        break;
      case 'FindingStatusChanged':
        pushFact(this.findings, e.data.findingId, fact as Fact<FindingEvent>);
        break;
      case 'ListRowDuplicated':
        pushFact(this.listRows, e.data.regionCode, fact as Fact<ListRowsEvent>);
        this.scopeChanged(e.data.regionCode);
        break;
      case 'EventRetracted': {
        const target = this.factInStream(fact.stream, e.data.eventId);
        this.retractions.set(e.data.eventId, { eventId: e.data.eventId, recordedAt: fact.recordedAt, retraction: fact, data: e.data, ...(target ? { target } : {}) });
        this.retractionFacts.push(fact);
        this.retractedStreams.add(fact.stream);
        // A retraction changes the current state of its stream: forget the folds (retractions are rare).
        this.regionMemo.clear();
        this.departmentMemo.clear();
        this.catalogMemo.clear();
        const item = target && 'itemCode' in (target.event.data as object) ? (target.event.data as { itemCode: string }).itemCode : target?.event.type.startsWith('CatalogItem') ? (target.event.data as { code: string }).code : undefined;
        if (item) {
          push(this.byItem, item, fact);
          push(this.retractionsByStream, fact.stream, fact);
        }
        break;
      }
      default:
        if (fact.stream.startsWith('staffing-')) {
          this.scopeChanged(this.regionOfDepartment(fact.stream.slice(9)));
          pushFact(this.staffingByDepartment, fact.stream.slice(9), fact);
        }
        this.otherFacts.push(fact);
    }
  }

  /** The region a department was established in ('' when not recorded: then every region counts it changed). */
  private regionOfDepartment(id: string): string {
    return (this.departments.get(id)?.[0]?.event.data as { regionCode?: string } | undefined)?.regionCode ?? '';
  }

  private scopeChanged(regionCode: string): void {
    this.scopeChanges.set(regionCode, (this.scopeChanges.get(regionCode) ?? 0) + 1);
  }

  /**
   * The document and reason of a list change usually repeat those of the change before it (a
   * reform, a batch of transfers): share that object and string; otherwise share their strings.
   */
  private shareDetails(d: { document?: object; reason?: string }): void {
    const doc = d.document as Record<string, unknown> | undefined;
    if (doc) {
      if (this.lastDocument && sameFlat(doc, this.lastDocument)) d.document = this.lastDocument;
      else {
        for (const k in doc) if (typeof doc[k] === 'string') doc[k] = this.intern(doc[k] as string);
        this.lastDocument = doc;
      }
    }
    if (d.reason !== undefined) d.reason = d.reason === this.lastReason ? this.lastReason : (this.lastReason = this.intern(d.reason));
  }

  private intern(s: string): string {
    return this.strings.intern(s);
  }

  /** The fact with this id in a stream (by the stream naming rules of libs/domain). */
  private factInStream(stream: string, eventId: string): Fact | undefined {
    const dash = stream.indexOf('-');
    const kind = stream.slice(0, dash);
    const rest = stream.slice(dash + 1);
    const list: Fact[] | undefined =
      kind === 'assignment'
        ? this.assignments.get(stream)
        : kind === 'catalog'
          ? this.catalog.get(rest)
          : kind === 'department'
            ? this.departments.get(rest)
            : kind === 'region'
              ? this.regions.get(rest)
              : kind === 'finding'
                ? this.findings.get(rest)
                : kind === 'boundary'
                  ? this.boundaries.get(rest.slice(0, rest.indexOf('-')))
                  : kind === 'listrows'
                    ? this.listRows.get(rest)
                    : undefined;
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) if (list[i].eventId === eventId) return list[i];
    return undefined;
  }

  /** Every fact applied, in position order (applying them again gives this state; the runner's snapshot keeps its own list). */
  *facts(): Iterable<Fact> {
    const all: Fact[] = [];
    for (const m of [this.regions, this.departments, this.catalog, this.assignments, this.boundaries, this.findings, this.listRows] as Array<Map<string, Fact[]>>) {
      for (const list of m.values()) for (const f of list) all.push(f);
    }
    for (const f of this.retractionFacts) all.push(f);
    for (const f of this.otherFacts) all.push(f);
    all.sort((a, b) => a.position - b.position);
    yield* all;
  }

  /**
   * The facts a question about these regions needs, in position order: every region and catalogue fact,
   * every finding status, and the regions' departments (with their 实有人员), list entries and boundary
   * clauses, with the retractions of those streams. What a temporary read model (a change set's preview)
   * is fed instead of the whole log; with `entry`, only the list entries whose stream it accepts (PreviewRegistry
   * answers the others from the live read model).
   */
  factsAbout(codes: ReadonlySet<string>, entry: (stream: string) => boolean = () => true): Fact[] {
    const all: Fact[] = [];
    const add = (list: readonly Fact[] | undefined) => {
      if (list) for (const f of list) all.push(f);
    };
    const departments = new Set<string>();
    for (const c of codes) for (const id of this.departmentsByRegion.get(c) ?? EMPTY) departments.add(id);
    for (const list of this.regions.values()) add(list);
    for (const list of this.catalog.values()) add(list);
    for (const list of this.findings.values()) add(list);
    for (const id of departments) {
      add(this.departments.get(id));
      add(this.staffingByDepartment.get(id));
    }
    for (const c of codes) {
      for (const item of this.entriesByRegion.get(c) ?? EMPTY) {
        const stream = assignmentStream(c, item);
        if (entry(stream)) add(this.assignments.get(stream));
      }
      add(this.boundaries.get(c));
      add(this.listRows.get(c));
    }
    const inScope = (stream: string) => {
      const dash = stream.indexOf('-');
      const kind = stream.slice(0, dash);
      const rest = stream.slice(dash + 1);
      if (kind === 'region' || kind === 'catalog' || kind === 'finding') return true;
      if (kind === 'department' || kind === 'staffing') return departments.has(rest);
      if (kind === 'assignment') return codes.has(rest.slice(0, rest.indexOf('-'))) && entry(stream);
      if (kind === 'boundary') return codes.has(rest.slice(0, rest.indexOf('-')));
      if (kind === 'listrows') return codes.has(rest);
      return false;
    };
    for (const f of this.retractionFacts) if (inScope(f.stream)) all.push(f);
    return all.sort((a, b) => a.position - b.position);
  }

  reset(): void {
    for (const m of [this.regions, this.regionsByParent, this.departments, this.departmentsByRegion, this.catalog, this.assignments, this.entriesByRegion, this.entriesByDepartment, this.boundaries, this.listRows, this.byItem, this.retractions, this.findings, this.strings, this.entryChanges, this.scopeChanges, this.retractionsByStream, this.staffingByDepartment, this.regionMemo, this.departmentMemo, this.catalogMemo]) m.clear();
    this.retractedStreams.clear();
    this.retractionFacts = [];
    this.otherFacts = [];
    this.nFacts = 0;
    this.sharedChanges = 0;
    this.catalogChanges = 0;
    this.regionChanges = 0;
    this.lastRecorded = '';
    this.lastDocument = undefined;
    this.lastReason = undefined;
    this.lastActor = undefined;
  }

  state(): unknown {
    const sortKeys = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const dump = (m: Map<string, Fact[]>) => sortKeys(m).map(([k, v]) => [k, v.map((f) => [f.eventId, f.position, f.recordedAt, f.event])]);
    const sets = (m: Map<string, Set<string>>) => sortKeys(m).map(([k, v]) => [k, [...v].sort()]);
    const entryKey = (stream: string) => {
      const d = this.assignments.get(stream)![0].event.data;
      return `${d.regionCode}|${d.itemCode}`;
    };
    return {
      regions: dump(this.regions),
      departments: dump(this.departments),
      catalog: dump(this.catalog),
      assignments: dump(this.assignments),
      boundaries: dump(this.boundaries),
      findings: dump(this.findings),
      listRows: dump(this.listRows),
      byItem: dump(this.byItem),
      retractions: sortKeys(this.retractions).map(([k, r]) => [k, r.recordedAt, r.retraction.eventId]),
      regionsByParent: sets(this.regionsByParent),
      departmentsByRegion: sets(this.departmentsByRegion),
      entriesByRegion: sets(this.entriesByRegion),
      entriesByDepartment: sortKeys(this.entriesByDepartment).map(([k, v]) => [k, [...v].map(entryKey).sort()]),
    };
  }

  /** Facts recorded at or before asKnownAt and not retracted by then; without asKnownAt: as known now. */
  known<F extends Fact>(facts: F[] | undefined, asKnownAt?: string, oneStream = true): F[] {
    if (!facts || facts.length === 0) return [];
    // One stream with nothing retracted and nothing recorded after asKnownAt: all of it (not a copy: do not change it).
    if (oneStream && !this.retractedStreams.has(facts[0].stream) && (!asKnownAt || facts[facts.length - 1].recordedAt <= asKnownAt)) return facts;
    return facts.filter((f) => {
      if (asKnownAt && f.recordedAt > asKnownAt) return false;
      const r = this.retractions.get(f.eventId);
      return !(r && (!asKnownAt || r.recordedAt <= asKnownAt));
    });
  }

  /** The fold as known now, kept until the stream changes; reused as known at an instant after the stream's last change. */
  private memoised<T>(memo: Map<string, Memo<T>>, key: string, facts: Fact[] | undefined, asKnownAt: string | undefined, compute: (facts: Fact[]) => T): T {
    if (!facts) return compute([]);
    let m = memo.get(key);
    if (!m) {
      m = { value: compute(this.known(facts)), touched: this.touchedAt(facts) };
      memo.set(key, m);
    }
    if (!asKnownAt || m.touched <= asKnownAt) return m.value;
    // Nothing retracted: what was known at asKnownAt is the facts recorded by then, a prefix of the stream
    // (recorded in order); its fold is the same for every instant until the next fact and is kept.
    if (this.retractedStreams.has(facts[0].stream)) return compute(this.known(facts, asKnownAt));
    let lo = 0;
    let hi = facts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (facts[mid].recordedAt <= asKnownAt) lo = mid + 1;
      else hi = mid;
    }
    let v = m.past?.get(lo);
    if (v === undefined && !m.past?.has(lo)) {
      v = compute(facts.slice(0, lo));
      (m.past ??= new Map()).set(lo, v);
    }
    return v as T;
  }

  /** The latest instant a fact of the list was recorded or retracted ('' for none). */
  private touchedAt(facts: Fact[] | undefined): string {
    if (!facts || facts.length === 0) return '';
    let t = facts[facts.length - 1].recordedAt;
    if (this.retractedStreams.has(facts[0].stream)) {
      for (const f of facts) {
        const r = this.retractions.get(f.eventId);
        if (r && r.recordedAt > t) t = r.recordedAt;
      }
    }
    return t;
  }

  // ---- views at (at, asKnownAt) ----

  // The folds below are shared between callers: treat them as read-only.

  region(code: string, asKnownAt?: string): RegionState | null {
    return this.memoised(this.regionMemo, code, this.regions.get(code), asKnownAt, (facts) => fold(evolveRegion, null as RegionState | null, facts.map((f) => f.event as RegionEvent)));
  }

  department(id: string, asKnownAt?: string): DepartmentState | null {
    return this.memoised(this.departmentMemo, id, this.departments.get(id), asKnownAt, (facts) => fold(evolveDepartment, null as DepartmentState | null, facts.map((f) => f.event as DepartmentEvent)));
  }

  catalogItem(code: string, asKnownAt?: string): CatalogVersion[] {
    return this.memoised(this.catalogMemo, code, this.catalog.get(code), asKnownAt, (facts) => catalogVersions(facts.map((f) => f.event as CatalogEvent)));
  }

  assignmentFacts(regionCode: string, itemCode: string, asKnownAt?: string): Fact<AssignmentEvent>[] {
    return this.known(this.assignments.get(assignmentStream(regionCode, itemCode)), asKnownAt);
  }

  boundaryClauses(regionCode: string, asKnownAt?: string): Array<AgreeBoundaryClause & { eventId: string; recordedAt: string }> {
    return this.known(this.boundaries.get(regionCode), asKnownAt, false).map((f) => ({ ...f.event.data, eventId: f.eventId, recordedAt: f.recordedAt }));
  }

  /** A finding's status changes as known at asKnownAt, in recorded order. */
  /** The region's 清单重复行 noted by imports, as known at the instant (retracted ones left out). */
  duplicateRows(regionCode: string, asKnownAt?: string): Fact<ListRowsEvent>[] {
    return this.known(this.listRows.get(regionCode), asKnownAt);
  }

  findingFacts(findingId: string, asKnownAt?: string): Fact<FindingEvent>[] {
    return this.known(this.findings.get(findingId), asKnownAt);
  }

  /** The list entries a department was ever named in (for the write side's abolish-with-successor). */
  entriesOf(departmentId: string): Array<{ regionCode: string; itemCode: string }> {
    return [...(this.entriesByDepartment.get(departmentId) ?? [])].map((stream) => {
      const { regionCode, itemCode } = this.assignments.get(stream)![0].event.data;
      return { regionCode, itemCode };
    });
  }

  // ---- what there is: the indexes, as questions (the maps stay private) ----

  /** How many list entries ever named the department (entriesOf's length: it only grows, a stamp for caches). */
  entriesOfCount(departmentId: string): number {
    return this.entriesByDepartment.get(departmentId)?.size ?? 0;
  }

  /** Facts applied so far. */
  get factCount(): number {
    return this.nFacts;
  }

  /** The recorded instant of the last fact applied ('' before any). */
  get lastRecordedAt(): string {
    return this.lastRecorded;
  }

  /** Retractions recorded so far. */
  get retractionCount(): number {
    return this.retractions.size;
  }

  /**
   * Counts the facts that can change a list entry's answer besides the entry's own (catalogue,
   * departments, retractions): with entryFactCount, a cache of an entry's answers is valid while both stay.
   */
  get sharedChangeCount(): number {
    return this.sharedChanges;
  }

  /** How many list-entry facts were applied in the region (changes whenever one of its entries does). */
  entryChangeCount(regionCode: string): number {
    return this.entryChanges.get(regionCode) ?? 0;
  }

  /**
   * Facts applied that a region's findings read besides list entries (its departments, their 三定 and
   * 实有人员, its boundary clauses); '' counts those of departments never established.
   */
  scopeChangeCount(regionCode: string): number {
    return (this.scopeChanges.get(regionCode) ?? 0) + (this.scopeChanges.get('') ?? 0);
  }

  /** Catalogue facts applied (any catalogue item). */
  get catalogChangeCount(): number {
    return this.catalogChanges;
  }

  /** Region facts applied (any region). */
  get regionChangeCount(): number {
    return this.regionChanges;
  }

  /** The latest instant a fact of the record's stream was recorded or retracted ('' for none): answers about it as known at any later instant are the answers as known now. */
  lastChangeOf(kind: 'entry' | 'catalog' | 'department', key: string, itemCode?: string): string {
    if (kind === 'entry') return this.touchedAt(this.assignments.get(assignmentStream(key, itemCode!)));
    return this.touchedAt(kind === 'catalog' ? this.catalog.get(key) : this.departments.get(key));
  }

  /**
   * Every instant at which something a list entry's answers read was recorded or retracted — the entry's
   * own facts, its catalogue item's, and those of every department any of its facts names — sorted,
   * without repeats. Between two of them the entry's answers as known at any instant are the same.
   */
  answerInstants(regionCode: string, itemCode: string): string[] {
    const out: string[] = [];
    const add = (facts: readonly Fact[] | undefined) => {
      if (!facts) return;
      const retracted = this.retractedStreams.has(facts[0].stream);
      for (const f of facts) {
        out.push(f.recordedAt);
        const r = retracted ? this.retractions.get(f.eventId) : undefined;
        if (r) out.push(r.recordedAt);
      }
    };
    const entry = this.assignments.get(assignmentStream(regionCode, itemCode));
    add(entry);
    add(this.catalog.get(itemCode));
    let seen: string | undefined;
    const named = (d: string | undefined) => {
      // a department named twice in a row (the usual case) is added once
      if (d === undefined || d === seen) return;
      seen = d;
      add(this.departments.get(d));
    };
    for (const f of entry ?? []) {
      // the department fields of the assignment events (assigned, transferred, withdrawn, received …)
      const data = f.event.data as { departmentId?: string; fromDepartmentId?: string; toDepartmentId?: string };
      named(data.departmentId);
      named(data.fromDepartmentId);
      named(data.toDepartmentId);
    }
    out.sort();
    let n = 0;
    for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[n - 1]) out[n++] = out[i];
    out.length = n;
    return out;
  }

  /** Changes whenever the read model does (facts are only appended; a reset starts over). */
  get stamp(): string {
    return `${this.nFacts}:${this.retractions.size}:${this.lastRecorded}`;
  }

  /** How many records of each kind were ever recorded. */
  sizes(): { regions: number; departments: number; catalogItems: number; listEntries: number } {
    return { regions: this.regions.size, departments: this.departments.size, catalogItems: this.catalog.size, listEntries: this.assignments.size };
  }

  hasRegion(code: string): boolean {
    return this.regions.has(code);
  }

  /** Every region code ever recorded, in recorded order. */
  regionCodes(): IterableIterator<string> {
    return this.regions.keys();
  }

  /** The codes of the regions ever recorded under `code` (not sorted). */
  childRegions(code: string): ReadonlySet<string> {
    return this.regionsByParent.get(code) ?? EMPTY;
  }

  /** The ids of the departments ever established in the region (not sorted). */
  departmentIdsIn(regionCode: string): ReadonlySet<string> {
    return this.departmentsByRegion.get(regionCode) ?? EMPTY;
  }

  hasCatalogItem(code: string): boolean {
    return this.catalog.has(code);
  }

  /** Every catalogue item code ever recorded, in recorded order. */
  catalogCodes(): IterableIterator<string> {
    return this.catalog.keys();
  }

  /** The item codes with a list entry ever recorded in the region (not sorted). */
  itemCodesIn(regionCode: string): ReadonlySet<string> {
    return this.entriesByRegion.get(regionCode) ?? EMPTY;
  }

  /** True when a list entry was ever recorded in the region. */
  hasEntriesIn(regionCode: string): boolean {
    return this.entriesByRegion.has(regionCode);
  }

  /** Every list entry ever recorded, in recorded order. */
  *entryKeys(): Iterable<{ regionCode: string; itemCode: string }> {
    for (const list of this.assignments.values()) {
      const { regionCode, itemCode } = list[0].event.data;
      yield { regionCode, itemCode };
    }
  }

  /** Facts ever recorded in a list entry's stream, retracted ones included (a stamp for caches). */
  entryFactCount(regionCode: string, itemCode: string): number {
    return this.assignments.get(assignmentStream(regionCode, itemCode))?.length ?? 0;
  }

  /** Facts ever recorded in a catalogue item's stream (a stamp for caches). */
  catalogFactCount(code: string): number {
    return this.catalog.get(code)?.length ?? 0;
  }

  /** Facts ever recorded in a department's stream (a stamp for caches). */
  departmentFactCount(id: string): number {
    return this.departments.get(id)?.length ?? 0;
  }

  /** Every fact touching the item (catalogue, list entries, their retractions), in recorded order, as recorded. */
  itemFacts(itemCode: string): readonly Fact[] {
    return this.byItem.get(itemCode) ?? [];
  }

  /**
   * Every fact touching the item in one region — its catalogue entry, the region's list entry and their
   * retractions — in recorded order: itemFacts(item) without the other regions, read without scanning them.
   */
  itemFactsIn(regionCode: string, itemCode: string): Fact[] {
    const entry = assignmentStream(regionCode, itemCode);
    const parts: Array<readonly Fact[]> = [this.catalog.get(itemCode) ?? [], this.assignments.get(entry) ?? [], this.retractionsByStream.get(catalogStream(itemCode)) ?? [], this.retractionsByStream.get(entry) ?? []];
    const out: Fact[] = [];
    for (const p of parts) for (const f of p) out.push(f);
    return out.sort((a, b) => a.position - b.position);
  }

  /** The facts of a list entry's stream as recorded, retracted ones included. */
  recordedEntryFacts(regionCode: string, itemCode: string): readonly Fact<AssignmentEvent>[] {
    return this.assignments.get(assignmentStream(regionCode, itemCode)) ?? [];
  }

  /** The facts of a catalogue item's stream as recorded, retracted ones included. */
  recordedCatalogFacts(code: string): readonly Fact<CatalogEvent>[] {
    return this.catalog.get(code) ?? [];
  }

  /** The (last) retraction of the event with this id, if any. */
  retractionOf(eventId: string): Retraction | undefined {
    return this.retractions.get(eventId);
  }
}

const EMPTY: ReadonlySet<string> = new Set<string>();

/**
 * Appends to a short list of facts at its exact length: V8 gives an array that grows by push room for
 * 16 more elements, ~130 bytes wasted on each of the ~10^6 list entries that hold one to three facts.
 * A fact shares the stream name of the facts before it.
 */
function pushFact<F extends Fact>(m: Map<string, F[]>, k: string, f: F): void {
  const list = m.get(k);
  if (!list) {
    m.set(k, [f]);
    return;
  }
  if (list[0].stream === f.stream) f.stream = list[0].stream;
  m.set(k, appended(list, f));
}
