import { Deviation, EntryOn, NotFoundError, PublishedWording, catalogVersionOn, deviations, entryOn } from '../../../domain/src';
import { RegistryProjection } from '../registry/registry.projection';
import { Owner, OwnershipStatus, describeHoldings } from '../ownership/ownership.query';
import { listIndexOf } from './list-index';
import type { PublishedColumns } from '../../../contract/src';

export type { PublishedColumns } from '../../../contract/src';

export interface ListItem {
  code: string;
  name: string;
  type: string;
  basis: string[];
  levels: string[];
  status: OwnershipStatus;
  owners: Owner[];
  /** 四级四同: where the list's own wording (of the lead holding) differs from the catalogue in force. */
  deviations: Deviation[];
  conforms: boolean;
  receivedFrom?: string;
  retiredInCatalogue: boolean;
  lastChange?: string;
  /** The list's own columns of the row as published (责任事项, 追责情形, 承办机构 …), the lead holding's, when the list words them. */
  published?: PublishedColumns;
}

/** The published columns of a holding's wording, or undefined when the list words none (shared, read-only). */
export function publishedColumns(w: PublishedWording | undefined): PublishedColumns | undefined {
  if (!w || (!w.fields && !w.subItem)) return undefined;
  return { ...(w.fields ? { fields: w.fields } : {}), ...(w.subItem ? { subItem: w.subItem } : {}) };
}

export interface RegionList {
  region: string;
  regionName: string;
  level: string;
  at: string;
  asKnownAt: string | null;
  items: ListItem[];
  counts: { items: number; byType: Record<string, number>; conflict: number; unowned: number; deviating: number };
}

/**
 * An entry's list item on a date, from its fold on that date (entryOn), as known at asKnownAt; null when
 * it is not in the list then. The one builder of a list item: the list index (list-index.ts) calls it at
 * the start of every stretch on which its inputs — the fold, the catalogue version, the holders'
 * departments — stay the same, so an answer from the index is this function's answer.
 */
export function listItemOn(view: RegistryProjection, code: string, entry: EntryOn, at: string, asKnownAt?: string): ListItem | null {
  if (!entry.inList) return null;
  const versions = view.catalogItem(code, asKnownAt);
  const version = catalogVersionOn(versions, at) ?? versions[0];
  if (!version) return null;
  const owners = describeHoldings(view, entry.holdings, at, asKnownAt);
  const leads = owners.filter((o) => o.role === 'lead');
  const lead = entry.holdings.find((h) => h.role === 'lead');
  const devs = deviations(version, lead?.asPublished);
  const published = publishedColumns((lead ?? entry.holdings[0])?.asPublished);
  return {
    code,
    name: version.name,
    type: version.type,
    basis: version.basis,
    levels: version.levels,
    status: leads.length > 1 ? 'conflict' : leads.length === 1 ? 'owned' : 'unowned',
    owners,
    deviations: devs,
    conforms: devs.length === 0,
    ...(entry.receivedFrom ? { receivedFrom: entry.receivedFrom } : {}),
    retiredInCatalogue: version.retired,
    lastChange: entry.lastChange,
    ...(published ? { published } : {}),
  };
}

/** The region's list on a date by folding every entry (what the index must equal; kept for the property test). */
export function regionListByFold(view: RegistryProjection, q: { region: string; at: string; asKnownAt?: string }): RegionList {
  const items: ListItem[] = [];
  for (const code of [...view.itemCodesIn(q.region)].sort()) {
    const item = listItemOn(view, code, entryOn(view.assignmentFacts(q.region, code, q.asKnownAt), q.at), q.at, q.asKnownAt);
    if (item) items.push(item);
  }
  return listAnswer(view, q, items);
}

/**
 * The region's list on a date: every item in it, with owners, catalogue wording and conformance. Read
 * from the region's interval index (list-index.ts); the items are shared between answers: read-only.
 */
export function regionList(view: RegistryProjection, q: { region: string; at: string; asKnownAt?: string }): RegionList {
  if (!view.region(q.region, q.asKnownAt)) throw new NotFoundError('UNKNOWN_REGION', `行政区划 ${q.region} 不存在`);
  return listAnswer(view, q, listIndexOf(view, listItemOn).itemsOn(q.region, q.at, q.asKnownAt));
}

function listAnswer(view: RegistryProjection, q: { region: string; at: string; asKnownAt?: string }, items: ListItem[]): RegionList {
  const region = view.region(q.region, q.asKnownAt);
  if (!region) throw new NotFoundError('UNKNOWN_REGION', `行政区划 ${q.region} 不存在`);
  const byType: Record<string, number> = {};
  for (const i of items) byType[i.type] = (byType[i.type] ?? 0) + 1;
  return {
    region: q.region,
    regionName: region.name,
    level: region.level,
    at: q.at,
    asKnownAt: q.asKnownAt ?? null,
    items,
    counts: {
      items: items.length,
      byType,
      conflict: items.filter((i) => i.status === 'conflict').length,
      unowned: items.filter((i) => i.status === 'unowned').length,
      deviating: items.filter((i) => !i.conforms).length,
    },
  };
}

export interface ListDiff {
  region: string;
  from: string;
  to: string;
  asKnownAt: string | null;
  added: Array<{ code: string; name: string; owners: string[] }>;
  removed: Array<{ code: string; name: string; owners: string[] }>;
  transferred: Array<{ code: string; name: string; from: string[]; to: string[] }>;
  /** A lead added beside the existing one(s) (a 职责交叉, not a transfer): the leads before, the ones added. */
  leadAdded: Array<{ code: string; name: string; leads: string[]; added: string[]; conflict: true }>;
  revised: Array<{ code: string; name: string; fields: string[]; before: Record<string, unknown>; after: Record<string, unknown> }>;
}

/** What changed in the region's list between two dates. */
export function regionListDiff(view: RegistryProjection, q: { region: string; from: string; to: string; asKnownAt?: string }): ListDiff {
  const a = regionList(view, { region: q.region, at: q.from, asKnownAt: q.asKnownAt });
  const b = regionList(view, { region: q.region, at: q.to, asKnownAt: q.asKnownAt });
  return { region: q.region, from: q.from, to: q.to, asKnownAt: q.asKnownAt ?? null, ...diffListItems(a.items, b.items) };
}

/** What changed between two lists of one region (two dates, two editions, a list and its preview). */
export function diffListItems(a: readonly ListItem[], b: readonly ListItem[]): Pick<ListDiff, 'added' | 'removed' | 'transferred' | 'leadAdded' | 'revised'> {
  const before = new Map(a.map((i) => [i.code, i]));
  const after = new Map(b.map((i) => [i.code, i]));
  const names = (i: ListItem) => i.owners.filter((o) => o.role === 'lead').map((o) => o.departmentName);
  const leadIds = (i: ListItem) => new Set(i.owners.filter((o) => o.role === 'lead').map((o) => o.departmentId));
  const ids = (i: ListItem) => i.owners.map((o) => `${o.departmentId}:${o.role}`).sort().join(',');
  const diff: Pick<ListDiff, 'added' | 'removed' | 'transferred' | 'leadAdded' | 'revised'> = { added: [], removed: [], transferred: [], leadAdded: [], revised: [] };
  for (const [code, i] of after) if (!before.has(code)) diff.added.push({ code, name: i.name, owners: names(i) });
  for (const [code, i] of before) if (!after.has(code)) diff.removed.push({ code, name: i.name, owners: names(i) });
  for (const [code, x] of before) {
    const y = after.get(code);
    // the same answer (the list index and a preview share the items of unchanged entries)
    if (!y || y === x) continue;
    if (ids(x) !== ids(y)) {
      const leadsBefore = leadIds(x);
      const added = [...leadIds(y)].filter((d) => !leadsBefore.has(d));
      const kept = [...leadsBefore].every((d) => leadIds(y).has(d));
      if (leadsBefore.size > 0 && added.length > 0 && kept) {
        const nameOf = new Map(y.owners.map((o) => [o.departmentId, o.departmentName]));
        diff.leadAdded.push({ code, name: y.name, leads: names(x), added: added.map((d) => nameOf.get(d) ?? d), conflict: true });
      } else diff.transferred.push({ code, name: y.name, from: names(x), to: names(y) });
    }
    // the same catalogue version gives the same arrays: compared by identity first, by value only when they differ
    const fields: string[] = (['name', 'type', 'basis', 'levels'] as const).filter((f) => x[f] !== y[f] && JSON.stringify(x[f]) !== JSON.stringify(y[f]));
    const was: Record<string, unknown> = Object.fromEntries(fields.map((f) => [f, x[f as keyof ListItem]]));
    const now: Record<string, unknown> = Object.fromEntries(fields.map((f) => [f, y[f as keyof ListItem]]));
    // the list's own columns (责任事项, 追责情形 …), compared by their headers: a revised 追责情形 is a revision
    // of the list, a layout change alone (same cells under the same headers, other order) is none
    const px = x.published?.fields ?? {};
    const py = y.published?.fields ?? {};
    for (const label of px === py ? [] : [...new Set([...Object.keys(px), ...Object.keys(py)])].sort()) {
      if ((px[label] ?? '') === (py[label] ?? '')) continue;
      fields.push(label);
      was[label] = px[label] ?? '';
      now[label] = py[label] ?? '';
    }
    if ((x.published?.subItem ?? '') !== (y.published?.subItem ?? '')) {
      fields.push('子项');
      was['子项'] = x.published?.subItem ?? '';
      now['子项'] = y.published?.subItem ?? '';
    }
    if (fields.length) diff.revised.push({ code, name: y.name, fields, before: was, after: now });
  }
  return diff;
}
