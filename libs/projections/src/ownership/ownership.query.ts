import { Change, Holding, NotFoundError, Role, catalogVersionOn, departmentActiveOn, departmentNameOn, entryOn } from '../../../domain/src';
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
  /** Delegated down (下放) to these child regions on that date. */
  delegatedTo?: string[];
  /** Received by delegation from this parent region. */
  receivedFrom?: string;
  /** False when the region or item had not been recorded at all by asKnownAt. */
  recorded?: boolean;
}

/** Owners with their department's name and existence on the date, as known at asKnownAt. */
export function describeHoldings(view: RegistryProjection, holdings: Holding[], at: string, asKnownAt?: string): Owner[] {
  return holdings.map((h) => {
    const d = view.department(h.departmentId, asKnownAt);
    return {
      departmentId: h.departmentId,
      departmentName: d ? departmentNameOn(d, at) : h.departmentId,
      role: h.role,
      since: h.since,
      document: h.document,
      eventId: h.eventId,
      departmentActive: d ? departmentActiveOn(d, at) : false,
    };
  });
}

/** Who held the item in the region on `at`, by what the registry knew at `asKnownAt` (default: now). */
export function ownership(view: RegistryProjection, q: { region: string; item: string; at: string; asKnownAt?: string }): OwnershipAnswer {
  const regionNow = view.region(q.region);
  if (!regionNow) throw new NotFoundError('UNKNOWN_REGION', `行政区划 ${q.region} 不存在`);
  const versionsNow = view.catalogItem(q.item);
  if (versionsNow.length === 0) throw new NotFoundError('UNKNOWN_ITEM', `事项 ${q.item} 不在目录中`);
  const region = view.region(q.region, q.asKnownAt);
  const versions = view.catalogItem(q.item, q.asKnownAt);
  if (!region || versions.length === 0) {
    // Known now, but nothing about it had been recorded by asKnownAt: then, nobody.
    return { region: q.region, regionName: regionNow.name, item: q.item, itemName: versionsNow[0].name, at: q.at, asKnownAt: q.asKnownAt ?? null, status: 'not-in-list', owners: [], recorded: false };
  }
  const version = catalogVersionOn(versions, q.at);
  const facts = view.assignmentFacts(q.region, q.item, q.asKnownAt);
  const entry = entryOn(facts, q.at);
  const owners = describeHoldings(view, entry.holdings, q.at, q.asKnownAt);
  const leads = owners.filter((o) => o.role === 'lead').length;
  const applies = !!version && !version.retired && version.levels.includes(region.level) && entry.delegatedTo.length === 0;
  const status: OwnershipStatus = leads > 1 ? 'conflict' : leads === 1 ? 'owned' : entry.inList || applies ? 'unowned' : 'not-in-list';
  return {
    region: q.region,
    regionName: region.name,
    item: q.item,
    itemName: (version ?? versions[0]).name,
    at: q.at,
    asKnownAt: q.asKnownAt ?? null,
    status,
    owners,
    ...(entry.delegatedTo.length ? { delegatedTo: entry.delegatedTo } : {}),
    ...(entry.receivedFrom ? { receivedFrom: entry.receivedFrom } : {}),
  };
}
