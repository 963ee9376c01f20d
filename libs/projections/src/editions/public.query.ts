import { NotFoundError } from '../../../domain/src';
import { RegistryProjection } from '../registry/registry.projection';
import { ListItem } from '../list/list.query';
import { EditionsProjection } from './editions.projection';
import { EditionSummary, editionList, regionEditions } from './editions.query';
import type { PublicEdition, PublicItem } from '../../../contract/src';

/**
 * The public list (公示): only what an edition published — no draft, no finding, no actor, no event id,
 * nothing recorded after the edition. Every answer is built from an edition's content alone. The shapes
 * of an edition and an item are the contract's (libs/contract/src/editions.ts).
 */
export type { PublicEdition, PublicItem };


const publicEdition = (e: EditionSummary): PublicEdition => ({
  number: e.number,
  ...(e.title ? { title: e.title } : {}),
  document: { number: e.document.number, ...(e.document.title ? { title: e.document.title } : {}), ...(e.document.issuedBy ? { issuedBy: e.document.issuedBy } : {}), ...(e.document.issuedOn ? { issuedOn: e.document.issuedOn } : {}) },
  publishedOn: e.publishedOn,
  effectiveFrom: e.effectiveFrom,
  itemCount: e.itemCount,
  hash: e.hash,
});

export function publicItem(i: ListItem): PublicItem {
  const published = i.published;
  return {
    code: i.code,
    name: i.name,
    type: i.type,
    basis: [...i.basis],
    levels: [...i.levels],
    departments: i.owners.map((o) => ({ name: o.departmentName, role: o.role === 'lead' ? '牵头' : '配合' })),
    ...(published !== undefined ? { published } : {}),
  };
}

/** The regions that have published at least one edition, with their latest (the 公示 front page). */
export function publicRegions(view: RegistryProjection, editions: EditionsProjection) {
  const regions: Array<{ code: string; name: string; level: string; editions: number; latest: PublicEdition }> = [];
  for (const code of editions.regionCodes()) {
    const r = view.region(code);
    if (!r) continue;
    const latest = regionEditions(view, editions, code).editions[0];
    if (latest) regions.push({ code, name: r.name, level: r.level, editions: editions.editions(code).length, latest: publicEdition(latest) });
  }
  return { regions };
}

export function publicEditions(view: RegistryProjection, editions: EditionsProjection, region: string) {
  const r = regionEditions(view, editions, region);
  return { region, regionName: r.regionName, editions: r.editions.map(publicEdition) };
}

/** An edition's list (default: the latest published), filtered by department name and a search text. */
export function publicList(view: RegistryProjection, editions: EditionsProjection, q: { region: string; edition?: string; department?: string; q?: string }) {
  const all = regionEditions(view, editions, q.region);
  const number = q.edition ?? all.editions[0]?.number;
  if (!number) throw new NotFoundError('NO_EDITION', `${all.regionName}（${q.region}）尚未公布权责清单`);
  const l = editionList(view, editions, q.region, number);
  const items = l.items.map(publicItem);
  const departments = new Map<string, number>();
  for (const i of items) for (const d of new Set(i.departments.map((x) => x.name))) departments.set(d, (departments.get(d) ?? 0) + 1);
  const byType: Record<string, number> = {};
  for (const i of items) byType[i.type] = (byType[i.type] ?? 0) + 1;
  const text = q.q?.trim();
  const shown = items.filter((i) => (!q.department || i.departments.some((d) => d.name === q.department)) && (!text || i.name.includes(text) || i.code.includes(text)));
  return {
    region: q.region,
    regionName: l.regionName,
    edition: publicEdition(l.edition),
    departments: [...departments].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1)),
    byType,
    total: items.length,
    items: shown,
  };
}

/** One item across the region's editions: what each edition published about it. */
export function publicItemHistory(view: RegistryProjection, editions: EditionsProjection, q: { region: string; item: string }) {
  const all = regionEditions(view, editions, q.region);
  const rows = all.editions.map((e) => {
    const found = editionList(view, editions, q.region, e.number).items.find((i) => i.code === q.item);
    return { edition: publicEdition(e), item: found ? publicItem(found) : null };
  });
  if (!rows.some((r) => r.item)) throw new NotFoundError('UNKNOWN_ITEM', `事项 ${q.item} 不在 ${all.regionName} 已公布的任何版本中`);
  return { region: q.region, regionName: all.regionName, item: q.item, editions: rows };
}
