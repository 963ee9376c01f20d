/**
 * The agreement check: quanze's read model and the PostgreSQL peer asked the same questions —
 * ownership (now and as known at an instant), lists on a date (now and as known at an instant) and
 * who an entry's history names — compared answer by answer. Used by bench/run.ts and, on a log
 * generated already, by bench/agree.ts (`npm run agree -- --file data/bench-S-1/events.db`).
 */
import { Client } from 'pg';
import { RegistryProjection, itemHistory, ownership, regionList } from '../libs/projections/src';
import { SQL } from './peer-postgres';

export interface Question {
  region: string;
  at: string;
  asKnownAt?: string;
}

export interface Agreement {
  ownership: number;
  ownershipAsKnownAt: number;
  list: number;
  listAsKnownAt: number;
  history: number;
  disagreements: number;
  examples: string[];
}

/** What the two sides hold differently: the elements only one side has. */
export const only = (a: string[], b: string[]) => {
  const sb = new Set(b);
  const sa = new Set(a);
  return { quanze: a.filter((x) => !sb.has(x)), postgres: b.filter((x) => !sa.has(x)) };
};

/** quanze's list as (item/department/role) triples, sorted. */
export const listTriples = (view: RegistryProjection, q: Question) =>
  regionList(view, q)
    .items.flatMap((it) => it.owners.map((o) => `${it.code}/${o.departmentId}/${o.role}`))
    .sort();

export const listTriplesPg = async (pg: Client, q: Question) =>
  (await pg.query({ text: SQL.list, values: [q.region, q.at, q.asKnownAt ?? 'infinity'] })).rows.map((x) => `${x.item}/${x.dept_id}/${x.role}`).sort();

export async function checkAgreement(
  view: RegistryProjection,
  pg: Client,
  q: {
    ownership: Array<{ region: string; item: string; at: string; asKnownAt?: string }>;
    lists: Question[];
    histories: Array<{ region: string; item: string }>;
  },
  onProgress?: (s: string) => void,
): Promise<Agreement> {
  const out: Agreement = { ownership: 0, ownershipAsKnownAt: 0, list: 0, listAsKnownAt: 0, history: 0, disagreements: 0, examples: [] };
  const note = (what: string, detail: unknown) => {
    out.disagreements++;
    if (out.examples.length < 10) out.examples.push(`${what}: ${JSON.stringify(detail).slice(0, 600)}`);
  };
  for (const oq of q.ownership) {
    const a = ownership(view, oq);
    const owners = a.owners.map((o) => `${o.departmentId}/${o.role}/${o.departmentName}/${o.departmentActive}`).sort();
    const itemName = a.recorded === false ? null : a.itemName;
    const r = await pg.query({ name: 'own', text: SQL.ownership, values: [oq.region, oq.item, oq.at, oq.asKnownAt ?? 'infinity'] });
    const rows = r.rows.map((x) => `${x.dept_id}/${x.role}/${x.dept_name}/${x.active}`).sort();
    if (oq.asKnownAt) out.ownershipAsKnownAt++;
    else out.ownership++;
    if (JSON.stringify(owners) !== JSON.stringify(rows)) note(`ownership ${JSON.stringify(oq)}`, only(owners, rows));
    else if (rows.length && itemName !== (r.rows[0]?.item_name ?? null)) note(`item name ${JSON.stringify(oq)}`, { quanze: itemName, postgres: r.rows[0]?.item_name });
  }
  let n = 0;
  for (const lq of q.lists) {
    const a = listTriples(view, lq);
    const b = await listTriplesPg(pg, lq);
    if (lq.asKnownAt) out.listAsKnownAt++;
    else out.list++;
    if (JSON.stringify(a) !== JSON.stringify(b)) note(`list ${JSON.stringify(lq)} (${a.length} vs ${b.length} owners)`, only(a, b));
    if (onProgress && ++n % 500 === 0) onProgress(`agreement: ${n} lists compared`);
  }
  for (const e of q.histories) {
    const h = itemHistory(view, { item: e.item, region: e.region, withActors: false });
    const named = new Set<string>();
    for (const ev of h.events) {
      if (ev.regionCode !== e.region) continue;
      const d = ev.data as Record<string, string>;
      if (ev.type === 'ItemAssigned' || ev.type === 'ItemReceived' || ev.type === 'ItemRecalled') d.departmentId && named.add(d.departmentId);
      if (ev.type === 'ItemTransferred') named.add(d.toDepartmentId);
    }
    const rows = (await pg.query({ name: 'hist', text: SQL.history, values: [e.region, e.item] })).rows;
    out.history++;
    const a = [...named].sort();
    const b = [...new Set(rows.map((r) => r.dept_id as string))].sort();
    if (JSON.stringify(a) !== JSON.stringify(b)) note(`history ${e.region}/${e.item}`, only(a, b));
  }
  return out;
}
