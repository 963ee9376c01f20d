import { NotFoundError, catalogVersionOn, departmentActiveOn, departmentNameOn, holdingsOn, sandingOn } from '../../../domain/src';
import { RegistryProjection } from '../registry/registry.projection';
import type { DepartmentView } from '../../../contract/src';
import { publishedColumns } from '../list/list.query';

/** The answer's shape is the contract's (libs/contract/src/browse.ts): one declaration. */
export type { DepartmentView } from '../../../contract/src';

/** A department on a date: its name, 三定 in force, and the items it holds. */
export function departmentView(view: RegistryProjection, q: { id: string; at: string; asKnownAt?: string }): DepartmentView {
  const d = view.department(q.id, q.asKnownAt);
  if (!d) throw new NotFoundError('UNKNOWN_DEPARTMENT', `部门 ${q.id} 不存在`);
  const region = view.region(d.regionCode, q.asKnownAt);
  const s = sandingOn(d, q.at);
  const items: DepartmentView['items'] = [];
  for (const { regionCode, itemCode } of view.entriesOf(q.id)) {
    const h = holdingsOn(view.assignmentFacts(regionCode, itemCode, q.asKnownAt), q.at).find((x) => x.departmentId === q.id);
    if (!h) continue;
    const v = catalogVersionOn(view.catalogItem(itemCode, q.asKnownAt), q.at);
    const published = publishedColumns(h.asPublished);
    items.push({ regionCode, itemCode, itemName: v?.name ?? itemCode, type: v?.type ?? '', role: h.role, since: h.since, document: h.document, ...(h.dutyIds ? { dutyIds: h.dutyIds } : {}), ...(published ? { published } : {}) });
  }
  items.sort((a, b) => (a.itemCode < b.itemCode ? -1 : 1));
  return {
    id: d.id,
    name: departmentNameOn(d, q.at),
    regionCode: d.regionCode,
    regionName: region?.name ?? d.regionCode,
    at: q.at,
    asKnownAt: q.asKnownAt ?? null,
    status: departmentActiveOn(d, q.at) ? 'active' : q.at < d.establishedOn ? 'not-yet-established' : 'abolished',
    establishedOn: d.establishedOn,
    ...(d.abolishedOn ? { abolishedOn: d.abolishedOn } : {}),
    ...(d.successorId ? { successorId: d.successorId } : {}),
    names: d.names,
    sanding: s ? { ...s, from: s.effectiveFrom } : null,
    sandingVersions: (d.sanding ?? []).map((v) => ({ from: v.from, document: v.version.document })),
    items,
  };
}
