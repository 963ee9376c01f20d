import { NotFoundError, editionInForceOn } from '../../../domain/src';
import { RegistryProjection } from '../registry/registry.projection';
import { ListDiff, ListItem, RegionList, diffListItems } from '../list/list.query';
import { OwnershipAnswer, ownership } from '../ownership/ownership.query';
import { EditionRecord, EditionsProjection } from './editions.projection';
import { editionContent } from './edition-content';
import type { EditionSummary } from '../../../contract/src';

/** The summary's shape is the contract's (libs/contract/src/editions.ts): one declaration. */
export type { EditionSummary };

export const summarize = (e: EditionRecord): EditionSummary => ({
  number: e.number,
  ...(e.title ? { title: e.title } : {}),
  document: e.document,
  publishedOn: e.publishedOn,
  effectiveFrom: e.effectiveFrom,
  recordedAt: e.recordedAt,
  contentAsKnownAt: e.contentAsKnownAt,
  itemCount: e.itemCount,
  hash: e.hash,
  ...(e.changeSetId ? { changeSetId: e.changeSetId } : {}),
  eventId: e.eventId,
});

export interface EditionList extends RegionList {
  edition: EditionSummary & { hashValid: boolean };
}

/** The region's editions (newest publication first), as known at asKnownAt. */
export function regionEditions(view: RegistryProjection, editions: EditionsProjection, region: string, asKnownAt?: string): { region: string; regionName: string; editions: EditionSummary[] } {
  const r = view.region(region);
  if (!r) throw new NotFoundError('UNKNOWN_REGION', `行政区划 ${region} 不存在`);
  const list = editions.editions(region, asKnownAt).map(summarize);
  list.sort((a, b) => (a.publishedOn === b.publishedOn ? (a.recordedAt < b.recordedAt ? 1 : -1) : a.publishedOn < b.publishedOn ? 1 : -1));
  return { region, regionName: r.name, editions: list };
}

export function findEdition(editions: EditionsProjection, region: string, number: string, asKnownAt?: string): EditionRecord {
  const e = editions.editions(region, asKnownAt).find((x) => x.number === number);
  if (!e) throw new NotFoundError('UNKNOWN_EDITION', `${region} 没有版本「${number}」`);
  return e;
}

/** An edition's content never changes (an as-known-at answer never does): computed once per edition. */
const cache = new Map<string, EditionList>();
const CACHE_MAX = 32;

/** The list as that edition published it, with its hash checked against the content it names. */
export function editionList(view: RegistryProjection, editions: EditionsProjection, region: string, number: string, asKnownAt?: string): EditionList {
  const e = findEdition(editions, region, number, asKnownAt);
  const key = `${region}\u0000${e.eventId}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const { list, hash } = editionContent(view, { region, effectiveFrom: e.effectiveFrom, contentAsKnownAt: e.contentAsKnownAt, hashVersion: e.hashVersion ?? 1 });
  const out: EditionList = { ...list, edition: { ...summarize(e), hashValid: hash === e.hash } };
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, out);
  return out;
}

/** The edition in force on a date as published then (latest published and in effect by that date). */
export function editionInForce(editions: EditionsProjection, region: string, at: string, asKnownAt?: string): EditionRecord | undefined {
  return editionInForceOn(editions.editions(region, asKnownAt), at);
}

export interface EditionDiff extends Pick<ListDiff, 'added' | 'removed' | 'transferred' | 'leadAdded' | 'revised'> {
  region: string;
  fromEdition: EditionSummary;
  toEdition: EditionSummary;
}

/** What changed between two editions: added, cancelled (removed), transferred, lead added, revised. */
export function editionDiff(view: RegistryProjection, editions: EditionsProjection, region: string, from: string, to: string): EditionDiff {
  const a = editionList(view, editions, region, from);
  const b = editionList(view, editions, region, to);
  const { hashValid: _a, ...fromEdition } = a.edition;
  const { hashValid: _b, ...toEdition } = b.edition;
  return { region, fromEdition, toEdition, ...diffListItems(a.items, b.items) };
}

export interface PublishedOwnershipAnswer extends OwnershipAnswer {
  /** The edition the answer comes from; null when no edition had been published and in effect by `at`. */
  edition: EditionSummary | null;
}

/**
 * Ownership as published: the answer of the edition in force on `at` (its list on its effective date,
 * as known when it was published). Without an edition in force, nobody, as far as the published list goes.
 */
export function publishedOwnership(view: RegistryProjection, editions: EditionsProjection, q: { region: string; item: string; at: string; asKnownAt?: string }): PublishedOwnershipAnswer {
  const base = ownership(view, { region: q.region, item: q.item, at: q.at, asKnownAt: q.asKnownAt });
  const e = editionInForce(editions, q.region, q.at, q.asKnownAt);
  if (!e) return { ...base, status: 'not-in-list', owners: [], edition: null };
  const listed: ListItem | undefined = editionList(view, editions, q.region, e.number, q.asKnownAt).items.find((i) => i.code === q.item);
  const answer = ownership(view, { region: q.region, item: q.item, at: e.effectiveFrom, asKnownAt: e.contentAsKnownAt });
  return {
    ...answer,
    at: q.at,
    asKnownAt: q.asKnownAt ?? null,
    ...(listed ? { status: listed.status, owners: listed.owners } : { status: 'not-in-list' as const, owners: [] }),
    edition: summarize(e),
  };
}
