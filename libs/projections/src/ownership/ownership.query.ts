import { Change, NotFoundError, Role, catalogVersionOn, departmentActiveOn, departmentNameOn, holdingsOn } from '../../../domain/src';
import { RegistryProjection } from '../registry/registry.projection';

export type OwnershipStatus = 'owned' | 'conflict' | 'unowned' | 'not-in-list';

export interface Owner {
  departmentId: string;
  departmentName: string;
  role: Role;
  since: string;
  document: Change['document'];
  eventId: string;
  /** False when the department did not exist on that date (abolished while still holding the item). */
  departmentActive: boolean;
}

export interface OwnershipAnswer {
  region: string;
  regionName: string;
  item: string;
  itemName: string;
  at: string;
  asKnownAt: string | null;
  status: OwnershipStatus;
  owners: Owner[];
}

/** Who held the item in the region on `at`, by what the registry knew at `asKnownAt` (default: now). */
export function ownership(view: RegistryProjection, q: { region: string; item: string; at: string; asKnownAt?: string }): OwnershipAnswer {
  const region = view.region(q.region, q.asKnownAt);
  if (!region) throw new NotFoundError('UNKNOWN_REGION', `行政区划 ${q.region} 不存在${q.asKnownAt ? `（截至 ${q.asKnownAt} 的记录）` : ''}`);
  const versions = view.catalogItem(q.item, q.asKnownAt);
  if (versions.length === 0) throw new NotFoundError('UNKNOWN_ITEM', `事项 ${q.item} 不在目录中${q.asKnownAt ? `（截至 ${q.asKnownAt} 的记录）` : ''}`);
  const version = catalogVersionOn(versions, q.at);
  const facts = view.assignmentFacts(q.region, q.item, q.asKnownAt);
  const holdings = holdingsOn(
    facts.map((f) => ({ eventId: f.eventId, event: f.event })),
    q.at,
  );
  const owners: Owner[] = holdings.map((h) => {
    const d = view.department(h.departmentId, q.asKnownAt);
    return {
      departmentId: h.departmentId,
      departmentName: d ? departmentNameOn(d, q.at) : h.departmentId,
      role: h.role,
      since: h.since,
      document: h.document,
      eventId: h.eventId,
      departmentActive: d ? departmentActiveOn(d, q.at) : false,
    };
  });
  const leads = owners.filter((o) => o.role === 'lead').length;
  const applies = !!version && !version.retired && version.levels.includes(region.level);
  const status: OwnershipStatus = leads > 1 ? 'conflict' : leads === 1 ? 'owned' : owners.length > 0 || applies ? 'unowned' : 'not-in-list';
  return {
    region: q.region,
    regionName: region.name,
    item: q.item,
    itemName: (version ?? versions[0]).name,
    at: q.at,
    asKnownAt: q.asKnownAt ?? null,
    status,
    owners,
  };
}
