import { createHash } from 'node:crypto';
import { DomainError, EDITION_HASH_VERSION, NotFoundError, QuanzeEvent } from '../../../domain/src';
import { registryAfter } from '../change-sets/after';
import { RegistryProjection } from '../registry/registry.projection';
import { ListItem, RegionList, regionList } from '../list/list.query';

/**
 * What an edition says, item by item: the words a reader of the published list sees (code, name, type,
 * basis, levels, the departments and their roles, and — hash version 2 — the list's own published columns
 * where the list has them). Event ids, recorded times and actors are not part of it.
 */
export function canonicalItem(i: ListItem, hashVersion: 1 | 2 = EDITION_HASH_VERSION): Record<string, unknown> {
  return {
    code: i.code,
    name: i.name,
    type: i.type,
    basis: i.basis,
    levels: i.levels,
    owners: i.owners.map((o) => ({ id: o.departmentId, name: o.departmentName, role: o.role })).sort((a, b) => (a.id + a.role < b.id + b.role ? -1 : 1)),
    ...(hashVersion >= 2 && i.published !== undefined ? { published: i.published } : {}),
  };
}

/** sha256 of the canonical content (items in code order, keys in a fixed order) in the given hash version. */
export function contentHash(items: readonly ListItem[], hashVersion: 1 | 2 = EDITION_HASH_VERSION): string {
  const h = createHash('sha256');
  for (const i of [...items].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))) h.update(JSON.stringify(canonicalItem(i, hashVersion))).update('\n');
  return h.digest('hex');
}

/** The edition's content: the region's list on `effectiveFrom` as known at `contentAsKnownAt`. */
export function editionContent(view: RegistryProjection, q: { region: string; effectiveFrom: string; contentAsKnownAt: string; hashVersion?: 1 | 2 }): { list: RegionList; hash: string } {
  const list = regionList(view, { region: q.region, at: q.effectiveFrom, asKnownAt: q.contentAsKnownAt });
  return { list, hash: contentHash(list.items, q.hashVersion) };
}

/**
 * What publishing an edition needs from the read model (the API's POST …/editions, `import --edition`,
 * the demo): the content is the region's list on `effectiveFrom` as known at the last recorded instant.
 */
export function editionToPublish(view: RegistryProjection, q: { region: string; effectiveFrom: string; contentAsKnownAt?: string }): { contentAsKnownAt: string; hash: string; itemCount: number } {
  if (!view.region(q.region)) throw new NotFoundError('UNKNOWN_REGION', `行政区划 ${q.region} 不存在`);
  // default: the last recorded instant; a change set's publication: the instant its commands were recorded
  const contentAsKnownAt = q.contentAsKnownAt ?? view.lastRecordedAt;
  if (!contentAsKnownAt) throw new DomainError('EMPTY_REGISTRY', '登记簿为空，没有可发布的清单');
  const { list, hash } = editionContent(view, { region: q.region, effectiveFrom: q.effectiveFrom, contentAsKnownAt });
  return { contentAsKnownAt, hash, itemCount: list.items.length };
}

/**
 * A change set's edition, computed before its publication is appended (one atomic append with the
 * commands): the region's list on `effectiveFrom` on the read model as it will be after the change set
 * (registryAfter: the live one, caught up to what the publication was decided on, plus the decided events).
 * The edition records no `contentAsKnownAt`: it is the instant of its own recording, the commands' one.
 */
export function editionAfterChangeSet(
  view: RegistryProjection,
  q: { region: string; effectiveFrom: string; appends: ReadonlyArray<{ stream: string; events: readonly QuanzeEvent[] }>; recordedAt: string },
): { hash: string; itemCount: number } {
  if (!view.region(q.region)) throw new NotFoundError('UNKNOWN_REGION', `行政区划 ${q.region} 不存在`);
  const list = regionList(registryAfter(view, q), { region: q.region, at: q.effectiveFrom });
  return { hash: contentHash(list.items), itemCount: list.items.length };
}
