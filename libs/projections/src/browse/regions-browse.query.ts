import { LEVELS, Level, NotFoundError, RegionState, departmentActiveOn, departmentNameOn } from '../../../domain/src';
import { RegistryProjection } from '../registry/registry.projection';
import { Page, PageRequest, byText, needle, page } from './page';

export interface RegionRow {
  code: string;
  name: string;
  level: Level;
  parentCode?: string;
  since: string;
  children: number;
  /** Ancestors from the province down, for a breadcrumb. */
  path: Array<{ code: string; name: string }>;
}

export interface DepartmentRow {
  id: string;
  name: string;
  regionCode: string;
  establishedOn: string;
  abolishedOn?: string;
  status: 'active' | 'not-yet-established' | 'abolished';
  hasSanding: boolean;
}

/** Children of `parent` (the provinces without it), or, with `q`, every region whose name or code contains it. */
export function browseRegions(view: RegistryProjection, q: PageRequest & { parent?: string; level?: Level }): Page<RegionRow> {
  const n = needle(q.q);
  const codes: Iterable<string> = !n && q.parent ? view.childRegions(q.parent) : view.regionCodes();
  const rows: RegionRow[] = [];
  for (const code of codes) {
    const r = view.region(code);
    if (!r) continue;
    if (!n && !q.parent && r.parentCode) continue;
    if (n && !(code.includes(n) || r.name.toLowerCase().includes(n))) continue;
    if (q.parent && n && !regionPath(view, r).some((p) => p.code === q.parent)) continue;
    if (q.level && r.level !== q.level) continue;
    rows.push(regionRow(view, r));
  }
  rows.sort((a, b) => (n ? Number(b.code === n) - Number(a.code === n) || LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level) : 0) || byText(a.code, b.code));
  return page(rows, q, 50);
}

/** One region as a picker row (as known now). */
export function browseRegion(view: RegistryProjection, code: string): RegionRow {
  const r = view.region(code);
  if (!r) throw new NotFoundError('UNKNOWN_REGION', `行政区划 ${code} 不存在`);
  return regionRow(view, r);
}

/** The region's departments with their names on `at`, as known at `asKnownAt`; `all: false`: only those that exist on `at`. */
export function browseDepartments(view: RegistryProjection, code: string, q: PageRequest & { at: string; asKnownAt?: string; all?: boolean }): { region: string; at: string } & Page<DepartmentRow> {
  if (!view.region(code, q.asKnownAt)) throw new NotFoundError('UNKNOWN_REGION', `行政区划 ${code} 不存在`);
  const at = q.at;
  const n = needle(q.q);
  const rows: DepartmentRow[] = [];
  for (const id of view.departmentIdsIn(code)) {
    const d = view.department(id, q.asKnownAt);
    if (!d) continue;
    const active = departmentActiveOn(d, at);
    if (q.all === false && !active) continue;
    const name = departmentNameOn(d, at);
    if (n && !(id.toLowerCase().includes(n) || d.names.some((x) => x.name.toLowerCase().includes(n)))) continue;
    rows.push({
      id,
      name,
      regionCode: d.regionCode,
      establishedOn: d.establishedOn,
      ...(d.abolishedOn ? { abolishedOn: d.abolishedOn } : {}),
      status: active ? 'active' : at < d.establishedOn ? 'not-yet-established' : 'abolished',
      hasSanding: (d.sanding ?? []).some((s) => s.from <= at),
    });
  }
  rows.sort((a, b) => Number(b.status === 'active') - Number(a.status === 'active') || byText(a.name, b.name) || byText(a.id, b.id));
  return { region: code, at, ...page(rows, q, 200) };
}

function regionPath(view: RegistryProjection, r: RegionState): Array<{ code: string; name: string }> {
  const out: Array<{ code: string; name: string }> = [];
  let p = r.parentCode ? view.region(r.parentCode) : null;
  for (let guard = 0; p && guard < 8; guard++) {
    out.unshift({ code: p.code, name: p.name });
    p = p.parentCode ? view.region(p.parentCode) : null;
  }
  return out;
}

function regionRow(view: RegistryProjection, r: RegionState): RegionRow {
  return {
    code: r.code,
    name: r.name,
    level: r.level,
    ...(r.parentCode ? { parentCode: r.parentCode } : {}),
    since: r.since,
    children: view.childRegions(r.code).size,
    path: regionPath(view, r),
  };
}
