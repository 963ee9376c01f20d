import {
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
  catalogVersions,
  evolveDepartment,
  evolveRegion,
  fold,
} from '../../../domain/src';
import { Fact, Projection } from '../projection';

export interface Retraction {
  eventId: string;
  recordedAt: string;
  retraction: Fact;
  data: RetractEvent;
}

/**
 * Keeps every fact with its recorded time (and its retraction, if any), so that any (at, asKnownAt)
 * question can be answered: a fact counts as known at T when it was recorded by T and not retracted by T.
 */
export class RegistryProjection implements Projection {
  readonly name = 'registry';
  regions = new Map<string, Fact<RegionEvent>[]>();
  regionsByParent = new Map<string, Set<string>>();
  departments = new Map<string, Fact<DepartmentEvent>[]>();
  departmentsByRegion = new Map<string, Set<string>>();
  catalog = new Map<string, Fact<CatalogEvent>[]>();
  /** Key: assignment stream name (region + item). */
  assignments = new Map<string, Fact<AssignmentEvent>[]>();
  /** Region → item codes with a list entry there. */
  entriesByRegion = new Map<string, Set<string>>();
  /** Department → list entries it was ever named in (`region|item`). */
  entriesByDepartment = new Map<string, Set<string>>();
  boundaries = new Map<string, Fact<BoundaryEvent>[]>();
  /** Item code → every fact touching it (catalogue and list entries), in recorded order. */
  byItem = new Map<string, Fact[]>();
  retractions = new Map<string, Retraction>();
  /** Findings ledger: finding id → its status changes, in recorded order. */
  findings = new Map<string, Fact<FindingEvent>[]>();
  factsById = new Map<string, Fact>();
  lastRecordedAt = '';

  apply(fact: Fact): void {
    const e = fact.event;
    this.lastRecordedAt = fact.recordedAt;
    this.factsById.set(fact.eventId, fact);
    switch (e.type) {
      case 'RegionRegistered':
        push(this.regions, e.data.code, fact as Fact<RegionEvent>);
        if (e.data.parentCode) addTo(this.regionsByParent, e.data.parentCode, e.data.code);
        break;
      case 'DepartmentEstablished':
        addTo(this.departmentsByRegion, e.data.regionCode, e.data.id);
        push(this.departments, e.data.id, fact as Fact<DepartmentEvent>);
        break;
      case 'DepartmentRenamed':
      case 'DepartmentAbolished':
      case 'SandingIssued':
        push(this.departments, e.data.id, fact as Fact<DepartmentEvent>);
        break;
      case 'CatalogItemDefined':
      case 'CatalogItemRevised':
      case 'CatalogItemRetired':
        push(this.catalog, e.data.code, fact as Fact<CatalogEvent>);
        push(this.byItem, e.data.code, fact);
        break;
      case 'ItemAssigned':
      case 'ItemTransferred':
      case 'ItemWithdrawn':
      case 'ItemDelegated':
      case 'ItemReceived':
      case 'ItemRecalled':
      case 'ItemReturned': {
        const { regionCode, itemCode } = e.data;
        push(this.assignments, assignmentStream(regionCode, itemCode), fact as Fact<AssignmentEvent>);
        addTo(this.entriesByRegion, regionCode, itemCode);
        push(this.byItem, itemCode, fact);
        const named =
          e.type === 'ItemAssigned' || e.type === 'ItemReceived' || e.type === 'ItemRecalled' || e.type === 'ItemWithdrawn'
            ? [e.data.departmentId]
            : e.type === 'ItemTransferred'
              ? [e.data.fromDepartmentId, e.data.toDepartmentId]
              : [];
        for (const d of named) if (d) addTo(this.entriesByDepartment, d, `${regionCode}|${itemCode}`);
        break;
      }
      case 'BoundaryClauseAgreed':
        push(this.boundaries, e.data.regionCode, fact as Fact<BoundaryEvent>);
        break;
      case 'FindingStatusChanged':
        push(this.findings, e.data.findingId, fact as Fact<FindingEvent>);
        break;
      case 'EventRetracted': {
        this.retractions.set(e.data.eventId, { eventId: e.data.eventId, recordedAt: fact.recordedAt, retraction: fact, data: e.data });
        const target = this.factsById.get(e.data.eventId);
        const item = target && 'itemCode' in (target.event.data as object) ? (target.event.data as { itemCode: string }).itemCode : target?.event.type.startsWith('CatalogItem') ? (target.event.data as { code: string }).code : undefined;
        if (item) push(this.byItem, item, fact);
        break;
      }
    }
  }

  reset(): void {
    for (const m of [this.regions, this.regionsByParent, this.departments, this.departmentsByRegion, this.catalog, this.assignments, this.entriesByRegion, this.entriesByDepartment, this.boundaries, this.byItem, this.retractions, this.findings, this.factsById]) m.clear();
    this.lastRecordedAt = '';
  }

  state(): unknown {
    const sortKeys = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const dump = (m: Map<string, Fact[]>) => sortKeys(m).map(([k, v]) => [k, v.map((f) => [f.eventId, f.position, f.recordedAt, f.event])]);
    const sets = (m: Map<string, Set<string>>) => sortKeys(m).map(([k, v]) => [k, [...v].sort()]);
    return {
      regions: dump(this.regions),
      departments: dump(this.departments),
      catalog: dump(this.catalog),
      assignments: dump(this.assignments),
      boundaries: dump(this.boundaries),
      findings: dump(this.findings),
      byItem: dump(this.byItem),
      retractions: sortKeys(this.retractions).map(([k, r]) => [k, r.recordedAt, r.retraction.eventId]),
      regionsByParent: sets(this.regionsByParent),
      departmentsByRegion: sets(this.departmentsByRegion),
      entriesByRegion: sets(this.entriesByRegion),
      entriesByDepartment: sets(this.entriesByDepartment),
    };
  }

  /** Facts recorded at or before asKnownAt and not retracted by then; without asKnownAt: as known now. */
  known<F extends Fact>(facts: F[] | undefined, asKnownAt?: string): F[] {
    if (!facts) return [];
    return facts.filter((f) => {
      if (asKnownAt && f.recordedAt > asKnownAt) return false;
      const r = this.retractions.get(f.eventId);
      return !(r && (!asKnownAt || r.recordedAt <= asKnownAt));
    });
  }

  // ---- views at (at, asKnownAt) ----

  region(code: string, asKnownAt?: string): RegionState | null {
    return fold(evolveRegion, null as RegionState | null, this.known(this.regions.get(code), asKnownAt).map((f) => f.event));
  }

  department(id: string, asKnownAt?: string): DepartmentState | null {
    return fold(evolveDepartment, null as DepartmentState | null, this.known(this.departments.get(id), asKnownAt).map((f) => f.event));
  }

  catalogItem(code: string, asKnownAt?: string): CatalogVersion[] {
    return catalogVersions(this.known(this.catalog.get(code), asKnownAt).map((f) => f.event));
  }

  assignmentFacts(regionCode: string, itemCode: string, asKnownAt?: string): Fact<AssignmentEvent>[] {
    return this.known(this.assignments.get(assignmentStream(regionCode, itemCode)), asKnownAt);
  }

  boundaryClauses(regionCode: string, asKnownAt?: string): Array<AgreeBoundaryClause & { eventId: string; recordedAt: string }> {
    return this.known(this.boundaries.get(regionCode), asKnownAt).map((f) => ({ ...f.event.data, eventId: f.eventId, recordedAt: f.recordedAt }));
  }

  /** A finding's status changes as known at asKnownAt, in recorded order. */
  findingFacts(findingId: string, asKnownAt?: string): Fact<FindingEvent>[] {
    return this.known(this.findings.get(findingId), asKnownAt);
  }

  /** The list entries a department was ever named in (for the write side's abolish-with-successor). */
  entriesOf(departmentId: string): Array<{ regionCode: string; itemCode: string }> {
    return [...(this.entriesByDepartment.get(departmentId) ?? [])].map((k) => {
      const [regionCode, itemCode] = k.split('|');
      return { regionCode, itemCode };
    });
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

function addTo<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  const s = m.get(k);
  if (s) s.add(v);
  else m.set(k, new Set([v]));
}
