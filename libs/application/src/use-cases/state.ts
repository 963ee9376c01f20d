import {
  AssignmentEvent,
  AssignmentFact,
  CatalogEvent,
  CatalogVersion,
  DepartmentEvent,
  DepartmentState,
  NotFoundError,
  RegionEvent,
  RegionState,
  assignmentStream,
  catalogStream,
  catalogVersions,
  departmentStream,
  evolveDepartment,
  evolveRegion,
  fold,
  initialDepartmentState,
  initialRegionState,
  regionStream,
} from '../../../domain/src';
import { WriteSession } from '../session';

/** The states deciders read, folded with the domain's own evolve from a session's streams. */
export async function regionState(s: WriteSession, code: string): Promise<RegionState | null> {
  return fold(evolveRegion, initialRegionState, await s.events<RegionEvent>(regionStream(code)));
}

export async function departmentState(s: WriteSession, id: string): Promise<DepartmentState | null> {
  return fold(evolveDepartment, initialDepartmentState, await s.events<DepartmentEvent>(departmentStream(id)));
}

export async function departmentStates(s: WriteSession, ids: Iterable<string>): Promise<Record<string, DepartmentState | null>> {
  const out: Record<string, DepartmentState | null> = {};
  for (const id of ids) out[id] = await departmentState(s, id);
  return out;
}

export async function catalogEvents(s: WriteSession, code: string): Promise<CatalogEvent[]> {
  return s.events<CatalogEvent>(catalogStream(code));
}

export async function catalogOf(s: WriteSession, code: string): Promise<CatalogVersion[]> {
  return catalogVersions(await catalogEvents(s, code));
}

export async function requireCatalog(s: WriteSession, code: string): Promise<CatalogEvent[]> {
  const events = await catalogEvents(s, code);
  if (events.length === 0) throw new NotFoundError('UNKNOWN_ITEM', `目录事项 ${code} 不存在`);
  return events;
}

/** A list entry's facts (recorded order, retractions applied, this session's decisions last). */
export async function entryFacts(s: WriteSession, regionCode: string, itemCode: string): Promise<AssignmentFact[]> {
  return (await s.load<AssignmentEvent>(assignmentStream(regionCode, itemCode))).events;
}
