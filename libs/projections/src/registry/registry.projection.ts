import {
  AssignmentEvent,
  CatalogEvent,
  CatalogVersion,
  DepartmentEvent,
  DepartmentState,
  RegionEvent,
  RegionState,
  assignmentStream,
  catalogVersions,
  evolveDepartment,
  evolveRegion,
  fold,
} from '../../../domain/src';
import { Fact, Projection } from '../projection';

/** Keeps every fact with its recorded time, so that any (at, asKnownAt) question can be answered. */
export class RegistryProjection implements Projection {
  readonly name = 'registry';
  regions = new Map<string, Fact<RegionEvent>[]>();
  departments = new Map<string, Fact<DepartmentEvent>[]>();
  catalog = new Map<string, Fact<CatalogEvent>[]>();
  /** Key: assignment stream name (region + item). */
  assignments = new Map<string, Fact<AssignmentEvent>[]>();
  /** Departments by region, for listing. */
  departmentsByRegion = new Map<string, Set<string>>();
  lastRecordedAt = '';

  apply(fact: Fact): void {
    const e = fact.event;
    this.lastRecordedAt = fact.recordedAt;
    switch (e.type) {
      case 'RegionRegistered':
        push(this.regions, e.data.code, fact as Fact<RegionEvent>);
        break;
      case 'DepartmentEstablished':
        if (!this.departmentsByRegion.has(e.data.regionCode)) this.departmentsByRegion.set(e.data.regionCode, new Set());
        this.departmentsByRegion.get(e.data.regionCode)!.add(e.data.id);
        push(this.departments, e.data.id, fact as Fact<DepartmentEvent>);
        break;
      case 'DepartmentRenamed':
      case 'DepartmentAbolished':
        push(this.departments, e.data.id, fact as Fact<DepartmentEvent>);
        break;
      case 'CatalogItemDefined':
      case 'CatalogItemRevised':
      case 'CatalogItemRetired':
        push(this.catalog, e.data.code, fact as Fact<CatalogEvent>);
        break;
      case 'ItemAssigned':
      case 'ItemTransferred':
      case 'ItemWithdrawn':
        push(this.assignments, assignmentStream(e.data.regionCode, e.data.itemCode), fact as Fact<AssignmentEvent>);
        break;
    }
  }

  reset(): void {
    this.regions.clear();
    this.departments.clear();
    this.catalog.clear();
    this.assignments.clear();
    this.departmentsByRegion.clear();
    this.lastRecordedAt = '';
  }

  state(): unknown {
    const dump = (m: Map<string, Fact[]>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, v.map((f) => [f.eventId, f.position, f.recordedAt, f.event])]);
    return {
      regions: dump(this.regions),
      departments: dump(this.departments),
      catalog: dump(this.catalog),
      assignments: dump(this.assignments),
    };
  }

  // ---- views at (at, asKnownAt) ----

  region(code: string, asKnownAt?: string): RegionState | null {
    return fold(evolveRegion, null as RegionState | null, known(this.regions.get(code), asKnownAt).map((f) => f.event));
  }

  department(id: string, asKnownAt?: string): DepartmentState | null {
    return fold(evolveDepartment, null as DepartmentState | null, known(this.departments.get(id), asKnownAt).map((f) => f.event));
  }

  catalogItem(code: string, asKnownAt?: string): CatalogVersion[] {
    return catalogVersions(known(this.catalog.get(code), asKnownAt).map((f) => f.event));
  }

  assignmentFacts(regionCode: string, itemCode: string, asKnownAt?: string): Fact<AssignmentEvent>[] {
    return known(this.assignments.get(assignmentStream(regionCode, itemCode)), asKnownAt);
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** Facts recorded at or before asKnownAt (inclusive); all of them without one. */
export function known<F extends Fact>(facts: F[] | undefined, asKnownAt?: string): F[] {
  if (!facts) return [];
  if (!asKnownAt) return facts;
  return facts.filter((f) => f.recordedAt <= asKnownAt);
}
