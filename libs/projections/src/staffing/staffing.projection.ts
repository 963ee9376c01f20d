import {
  ActualStaffingState,
  DepartmentEvent,
  StaffingEvent,
  evolveActualStaffing,
  fold,
  initialActualStaffingState,
} from '../../../domain/src';
import { Fact, Projection } from '../projection';

/**
 * The staffing read model (定编制): per department, the facts of its own stream (establishment, names,
 * 三定 with their staffing) and of its staffing stream (实有人员 reports), with their recorded times and
 * retractions, so that any (at, asKnownAt) question folds them with the domain's evolveActualStaffing.
 * Fed from the log by the runner; a rebuild gives the same state as the live one.
 */
export class StaffingProjection implements Projection {
  readonly name = 'staffing';
  private readonly departments = new Map<string, Fact<DepartmentEvent>[]>();
  private readonly reports = new Map<string, Fact<StaffingEvent>[]>();
  private readonly byRegion = new Map<string, Set<string>>();
  /** Retracted event id → the instant of its retraction. */
  private readonly retracted = new Map<string, string>();
  private readonly memo = new Map<string, { stamp: number; value: ActualStaffingState }>();
  /** Changes whenever a fact is applied (for callers' caches). */
  version = 0;

  apply(fact: Fact): void {
    const e = fact.event;
    switch (e.type) {
      case 'DepartmentEstablished':
        addTo(this.byRegion, e.data.regionCode, e.data.id);
        push(this.departments, e.data.id, fact as Fact<DepartmentEvent>);
        break;
      case 'DepartmentRenamed':
      case 'DepartmentAbolished':
      case 'SandingIssued':
        push(this.departments, e.data.id, fact as Fact<DepartmentEvent>);
        break;
      case 'ActualStaffingReported':
        push(this.reports, e.data.departmentId, fact as Fact<StaffingEvent>);
        break;
      case 'EventRetracted':
        if (!fact.stream.startsWith('department-') && !fact.stream.startsWith('staffing-')) return;
        this.retracted.set(e.data.eventId, fact.recordedAt);
        break;
      default:
        return;
    }
    this.version++;
  }

  reset(): void {
    for (const m of [this.departments, this.reports, this.byRegion, this.retracted, this.memo]) m.clear();
    this.version = 0;
  }

  state(): unknown {
    const sorted = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const dump = (m: Map<string, Fact[]>) => sorted(m).map(([k, v]) => [k, v.map((f) => [f.eventId, f.position, f.recordedAt, f.event])]);
    return {
      departments: dump(this.departments),
      reports: dump(this.reports),
      byRegion: sorted(this.byRegion).map(([k, v]) => [k, [...v].sort()]),
      retracted: sorted(this.retracted),
    };
  }

  // ---- views ----

  /** Facts recorded by asKnownAt and not retracted by then (as known now without it). */
  private known<F extends Fact>(facts: F[] | undefined, asKnownAt?: string): F[] {
    if (!facts) return [];
    return facts.filter((f) => {
      if (asKnownAt && f.recordedAt > asKnownAt) return false;
      const r = this.retracted.get(f.eventId);
      return !(r !== undefined && (!asKnownAt || r <= asKnownAt));
    });
  }

  /** Departments ever established in the region (known or not: filter by `staffing()`). */
  departmentIds(regionCode: string): string[] {
    return [...(this.byRegion.get(regionCode) ?? [])].sort();
  }

  /** The department (names, 三定 with staffing) and its 实有人员 reports as known at asKnownAt. */
  staffing(departmentId: string, asKnownAt?: string): ActualStaffingState {
    const compute = () =>
      fold(evolveActualStaffing, initialActualStaffingState, [
        ...this.known(this.departments.get(departmentId), asKnownAt).map((f) => f.event),
        ...this.known(this.reports.get(departmentId), asKnownAt).sort((a, b) => a.position - b.position).map((f) => f.event),
      ]);
    if (asKnownAt) return compute();
    const m = this.memo.get(departmentId);
    if (m && m.stamp === this.version) return m.value;
    const value = compute();
    this.memo.set(departmentId, { stamp: this.version, value });
    return value;
  }

  /** Every 实有人员 report of a department in recorded order, with whether it was retracted (as known at asKnownAt). */
  reportFacts(departmentId: string, asKnownAt?: string): Array<{ fact: Fact<StaffingEvent>; retractedAt?: string }> {
    return (this.reports.get(departmentId) ?? [])
      .filter((f) => !asKnownAt || f.recordedAt <= asKnownAt)
      .map((fact) => {
        const r = this.retracted.get(fact.eventId);
        return r !== undefined && (!asKnownAt || r <= asKnownAt) ? { fact, retractedAt: r } : { fact };
      });
  }

  /** The 三定 facts of a department (for their event ids and recorded times), as known at asKnownAt. */
  sandingFacts(departmentId: string, asKnownAt?: string): Fact<DepartmentEvent>[] {
    return this.known(this.departments.get(departmentId), asKnownAt).filter((f) => f.event.type === 'SandingIssued');
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
