/**
 * The peer: what an office would build instead of quanze — PostgreSQL tables with a `daterange` for
 * validity and a `tstzrange` for the recorded period (system time), indexed as a DBA would (GiST with
 * btree_gist, an exclusion constraint so that one department never holds one entry twice at the same
 * (valid, recorded) point), loaded with the same generated history and asked the same questions.
 *
 * The server is the Debian package (`apt-get install -y postgresql`), started with initdb on a
 * private data directory and a private port on 127.0.0.1, and always stopped (and its directory
 * removed) at the end (libs/event-store/src/testing/postgres-server.ts, which the PostgreSQL event
 * store's tests use too). `npm start` never needs it.
 *
 * The load is an ETL from quanze's log, in recorded order: for every list entry, department and
 * catalogue item it keeps the facts not retracted, and at every recording instant that changes one it
 * re-derives the rows valid on the valid-time axis and closes or opens rows on the system-time axis —
 * a bitemporal "update for portion of", written independently of quanze's read side so that the
 * agreement check (bench/run.ts) compares two implementations, not one with itself.
 */
import { Client } from 'pg';
import { SqliteEventStore } from '../libs/event-store/src';

// The private server (start, stop, cleanup on exit) is shared with the tests.
export { startPostgres } from '../libs/event-store/src/testing/postgres-server';
export type { PgServer } from '../libs/event-store/src/testing/postgres-server';

// ---------------------------------------------------------------------------------------------
// The tables and the ETL.

export const SCHEMA = `
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE assignments (
  region   text      NOT NULL,
  item     text      NOT NULL,
  dept_id  text      NOT NULL,
  role     text      NOT NULL,
  document text,
  valid    daterange NOT NULL,
  recorded tstzrange NOT NULL
);
CREATE TABLE departments (
  dept_id     text      NOT NULL,
  region      text      NOT NULL,
  name        text      NOT NULL,
  established date      NOT NULL,
  abolished   date,
  valid       daterange NOT NULL,
  recorded    tstzrange NOT NULL
);
CREATE TABLE items (
  code     text      NOT NULL,
  name     text      NOT NULL,
  type     text      NOT NULL,
  valid    daterange NOT NULL,
  recorded tstzrange NOT NULL
);
`;

/**
 * After the load (faster than maintaining them row by row). `--pg-exclusion` adds the integrity a DBA
 * would want — one department never holds one entry twice at the same (valid date, recorded instant) —
 * as an exclusion constraint (its GiST build checks every row: ~15 s for S, minutes for M).
 */
export const EXCLUSION = 'ALTER TABLE assignments ADD CONSTRAINT assignments_bitemporal_unique EXCLUDE USING gist (region WITH =, item WITH =, dept_id WITH =, valid WITH &&, recorded WITH &&)';
export const INDEXES = [
  'CREATE INDEX assignments_region_item ON assignments (region, item)',
  'CREATE INDEX assignments_bitemporal ON assignments USING gist (region, item, valid, recorded)',
  'CREATE INDEX departments_bitemporal ON departments USING gist (dept_id, valid, recorded)',
  'CREATE INDEX items_bitemporal ON items USING gist (code, valid, recorded)',
  'CREATE INDEX departments_id ON departments (dept_id)',
  'CREATE INDEX items_code ON items (code)',
  'ANALYZE',
];

/**
 * The questions, as an office would ask them. Point queries run as named (prepared) statements; the
 * list query runs unnamed, i.e. planned for its actual parameters each time: as a named statement
 * PostgreSQL switches to a generic plan after five runs, and the generic plan of this query (range
 * selectivity unknown) is a nested loop over departments, ~50× slower (measured: 0.9-1.2 s instead of
 * 15-25 ms for a county list). Forcing custom plans for everything instead costs ~0.4 ms of planning
 * per point query.
 * The questions, as an office would ask them ($at a date, $known an instant; 'infinity' = as known now). */
export const SQL = {
  // LATERAL … LIMIT 1: the department is looked up by its id whatever plan is chosen (a plain LEFT JOIN
  // lets the generic plan of the prepared statement scan every department valid on the date: ~8 ms at M).
  ownership: `
    SELECT a.dept_id, a.role, coalesce(d.name, a.dept_id) AS dept_name,
           coalesce($3::date >= d.established AND (d.abolished IS NULL OR $3::date < d.abolished), false) AS active,
           (SELECT i.name FROM items i WHERE i.code = $2 AND i.valid @> $3::date AND i.recorded @> $4::timestamptz LIMIT 1) AS item_name
      FROM assignments a
      LEFT JOIN LATERAL (
        SELECT d.name, d.established, d.abolished FROM departments d
         WHERE d.dept_id = a.dept_id AND d.valid @> $3::date AND d.recorded @> $4::timestamptz LIMIT 1
      ) d ON true
     WHERE a.region = $1 AND a.item = $2 AND a.valid @> $3::date AND a.recorded @> $4::timestamptz`,
  list: `
    SELECT a.item, i.name AS item_name, i.type, a.dept_id, a.role, coalesce(d.name, a.dept_id) AS dept_name
      FROM assignments a
      LEFT JOIN items i ON i.code = a.item AND i.valid @> $2::date AND i.recorded @> $3::timestamptz
      LEFT JOIN departments d ON d.dept_id = a.dept_id AND d.valid @> $2::date AND d.recorded @> $3::timestamptz
     WHERE a.region = $1 AND a.valid @> $2::date AND a.recorded @> $3::timestamptz
     ORDER BY a.item`,
  history: `
    SELECT a.dept_id, a.role, a.document, a.valid::text AS valid, a.recorded::text AS recorded
      FROM assignments a
     WHERE a.region = $1 AND a.item = $2
     ORDER BY lower(a.recorded), lower(a.valid)`,
};

export interface F {
  id: string;
  pos: number;
  eff: string;
  type: string;
  data: any;
}

type Kind = 'entry' | 'dept' | 'item';
interface Row {
  kind: Kind;
  key: string;
  fields: string[];
  from: string | null;
  to: string | null;
  recFrom: string;
  recTo: string | null;
}

/** Rows on the valid axis for one list entry, from its facts (the fold an office's ETL would write). */
export function entryRows(facts: F[]): Array<{ fields: string[]; from: string | null; to: string | null }> {
  const sorted = [...facts].sort((a, b) => (a.eff < b.eff ? -1 : a.eff > b.eff ? 1 : a.pos - b.pos));
  const held = new Map<string, { role: string; doc: string }>();
  const segs: Array<{ from: string; held: Map<string, { role: string; doc: string }> }> = [];
  for (let i = 0; i < sorted.length; i++) {
    const f = sorted[i];
    const d = f.data;
    const doc = d.document?.number ?? '';
    switch (f.type) {
      case 'ItemAssigned':
        held.set(d.departmentId, { role: d.role ?? 'lead', doc });
        break;
      case 'ItemTransferred': {
        const prev = held.get(d.fromDepartmentId);
        if (prev) {
          held.delete(d.fromDepartmentId);
          // A department that already holds the item keeps the stronger role and its own terms (a
          // cooperating share moved to the lead does not demote it; a lead moved to a cooperator promotes it).
          const already = held.get(d.toDepartmentId);
          if (!(already && (already.role === 'lead' || already.role === prev.role))) held.set(d.toDepartmentId, { role: prev.role, doc });
        }
        break;
      }
      case 'ItemWithdrawn':
        if (d.departmentId) held.delete(d.departmentId);
        else held.clear();
        break;
      case 'ItemDelegated':
      case 'ItemReturned':
        held.clear();
        break;
      case 'ItemRecalled':
        held.clear();
        held.set(d.departmentId, { role: 'lead', doc });
        break;
      case 'ItemReceived':
        held.clear();
        if (d.departmentId) held.set(d.departmentId, { role: 'lead', doc });
        break;
    }
    if (i + 1 === sorted.length || sorted[i + 1].eff !== f.eff) segs.push({ from: f.eff, held: new Map(held) });
  }
  const out: Array<{ fields: string[]; from: string | null; to: string | null }> = [];
  const open = new Map<string, { fields: string[]; from: string }>();
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    const keys = new Set<string>();
    for (const [dept, h] of s.held) {
      const k = `${dept}\u0000${h.role}\u0000${h.doc}`;
      keys.add(k);
      if (!open.has(k)) open.set(k, { fields: [dept, h.role, h.doc], from: s.from });
    }
    for (const [k, o] of open) {
      if (!keys.has(k)) {
        out.push({ fields: o.fields, from: o.from, to: s.from });
        open.delete(k);
      }
    }
  }
  for (const o of open.values()) out.push({ fields: o.fields, from: o.from, to: null });
  return out;
}

/** Rows for one department: its name on each stretch of the valid axis, with established/abolished as known. */
function deptRows(facts: F[]): Array<{ fields: string[]; from: string | null; to: string | null }> {
  let names: Array<{ name: string; from: string }> = [];
  let region = '';
  let established: string | undefined;
  let abolished: string | null = null;
  for (const f of [...facts].sort((a, b) => a.pos - b.pos)) {
    if (f.type === 'DepartmentEstablished') {
      names = [{ name: f.data.name, from: f.eff }];
      region = f.data.regionCode;
      established = f.eff;
      abolished = null;
    } else if (!established) continue;
    else if (f.type === 'DepartmentRenamed') names = [...names, { name: f.data.name, from: f.eff }].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
    else if (f.type === 'DepartmentAbolished') abolished = f.eff;
  }
  if (!established) return [];
  const out: Array<{ fields: string[]; from: string | null; to: string | null }> = [];
  for (let i = 0; i < names.length; i++) {
    const from = i === 0 ? null : names[i].from;
    const to = i + 1 < names.length ? names[i + 1].from : null;
    if (from !== null && to !== null && from >= to) continue;
    out.push({ fields: [region, names[i].name, established, abolished ?? ''], from, to });
  }
  return out;
}

/** Rows for one catalogue item: name and type of the version in force on each stretch (the first one also before it). */
function itemRows(facts: F[]): Array<{ fields: string[]; from: string | null; to: string | null }> {
  const sorted = [...facts].sort((a, b) => (a.eff < b.eff ? -1 : a.eff > b.eff ? 1 : a.pos - b.pos));
  const versions: Array<{ name: string; type: string; from: string }> = [];
  for (const f of sorted) {
    const prev = versions[versions.length - 1];
    if (f.type === 'CatalogItemDefined') versions.push({ name: f.data.name, type: f.data.type, from: f.eff });
    else if (prev) versions.push({ name: f.data.name ?? prev.name, type: f.data.type ?? prev.type, from: f.eff });
  }
  const out: Array<{ fields: string[]; from: string | null; to: string | null }> = [];
  for (let i = 0; i < versions.length; i++) {
    const from = i === 0 ? null : versions[i].from;
    const to = i + 1 < versions.length ? versions[i + 1].from : null;
    if (from !== null && to !== null && from >= to) continue;
    out.push({ fields: [versions[i].name, versions[i].type], from, to });
  }
  return out;
}

const FOLD: Record<Kind, (f: F[]) => Array<{ fields: string[]; from: string | null; to: string | null }>> = { entry: entryRows, dept: deptRows, item: itemRows };

export interface EtlResult {
  events: number;
  rows: { assignments: number; departments: number; items: number };
  seconds: number;
}

/**
 * Reads the log in recorded order and derives the bitemporal rows; `emit` gets them in batches
 * (closed rows as soon as they close; open ones at the end).
 */
export async function deriveRows(sqliteFile: string, emit: (rows: Row[]) => Promise<void>, onProgress?: (n: number) => void): Promise<EtlResult> {
  const t0 = Date.now();
  const store = new SqliteEventStore({ file: sqliteFile });
  const facts = new Map<string, F[]>();
  const where = new Map<string, string>(); // event id → fact key (for retractions)
  const open = new Map<string, Map<string, Row>>();
  const dirty = new Set<string>();
  let batch: Row[] = [];
  const counts = { assignments: 0, departments: 0, items: 0 };
  const push = async (r: Row) => {
    batch.push(r);
    counts[r.kind === 'entry' ? 'assignments' : r.kind === 'dept' ? 'departments' : 'items']++;
    if (batch.length >= 20_000) {
      const b = batch;
      batch = [];
      await emit(b);
    }
  };
  const settle = async (instant: string) => {
    for (const fk of dirty) {
      const kind = fk.slice(0, fk.indexOf(':')) as Kind;
      const key = fk.slice(fk.indexOf(':') + 1);
      const rows = FOLD[kind](facts.get(fk) ?? []);
      const was = open.get(fk) ?? new Map<string, Row>();
      const now = new Map<string, Row>();
      for (const r of rows) {
        const rk = `${r.fields.join('\u0000')}\u0001${r.from ?? ''}\u0001${r.to ?? ''}`;
        const old = was.get(rk);
        if (old) {
          now.set(rk, old);
          was.delete(rk);
        } else now.set(rk, { kind, key, fields: r.fields, from: r.from, to: r.to, recFrom: instant, recTo: null });
      }
      for (const old of was.values()) {
        if (old.recFrom === instant) continue; // opened and closed at the same instant: never visible
        await push({ ...old, recTo: instant });
      }
      if (now.size) open.set(fk, now);
      else open.delete(fk);
    }
    dirty.clear();
  };
  let current = '';
  let n = 0;
  for (const raw of store.iterateRaw(10_000)) {
    if (raw.recorded_at !== current) {
      if (current) await settle(current);
      current = raw.recorded_at;
    }
    n++;
    if (onProgress && n % 100_000 === 0) onProgress(n);
    const data = JSON.parse(raw.data);
    let fk: string | undefined;
    if (raw.type.startsWith('Item')) fk = `entry:${data.regionCode}|${data.itemCode}`;
    else if (raw.type.startsWith('Department')) fk = `dept:${data.id}`;
    else if (raw.type.startsWith('CatalogItem')) fk = `item:${data.code}`;
    else if (raw.type === 'EventRetracted') {
      const target = where.get(data.eventId);
      if (target) {
        facts.set(
          target,
          (facts.get(target) ?? []).filter((f) => f.id !== data.eventId),
        );
        dirty.add(target);
      }
      continue;
    }
    if (!fk) continue;
    const list = facts.get(fk);
    const f: F = { id: raw.id, pos: raw.position, eff: data.effectiveFrom, type: raw.type, data };
    if (list) list.push(f);
    else facts.set(fk, [f]);
    where.set(raw.id, fk);
    dirty.add(fk);
  }
  if (current) await settle(current);
  for (const rows of open.values()) for (const r of rows.values()) await push(r);
  if (batch.length) await emit(batch);
  await store.close();
  return { events: n, rows: counts, seconds: (Date.now() - t0) / 1000 };
}

/** Loads the generated log into the tables; returns the ETL figures and the time to index. */
export async function loadIntoPostgres(pg: Client, sqliteFile: string, onProgress?: (s: string) => void): Promise<EtlResult & { insertSeconds: number; indexSeconds: number; bytes: number }> {
  await pg.query(SCHEMA);
  let insertMs = 0;
  const range = (a: string | null, b: string | null) => `[${a ?? ''},${b ?? ''})`;
  const etl = await deriveRows(
    sqliteFile,
    async (rows) => {
      const t0 = Date.now();
      const by: Record<Kind, Row[]> = { entry: [], dept: [], item: [] };
      for (const r of rows) by[r.kind].push(r);
      if (by.entry.length) {
        const cols: string[][] = [[], [], [], [], [], [], []];
        for (const r of by.entry) {
          const [region, item] = r.key.split('|');
          cols[0].push(region);
          cols[1].push(item);
          cols[2].push(r.fields[0]);
          cols[3].push(r.fields[1]);
          cols[4].push(r.fields[2]);
          cols[5].push(range(r.from, r.to));
          cols[6].push(range(r.recFrom, r.recTo));
        }
        await pg.query('INSERT INTO assignments SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::daterange[], $7::tstzrange[])', cols);
      }
      if (by.dept.length) {
        const cols: Array<Array<string | null>> = [[], [], [], [], [], [], []];
        for (const r of by.dept) {
          cols[0].push(r.key);
          cols[1].push(r.fields[0]);
          cols[2].push(r.fields[1]);
          cols[3].push(r.fields[2]);
          cols[4].push(r.fields[3] || null);
          cols[5].push(range(r.from, r.to));
          cols[6].push(range(r.recFrom, r.recTo));
        }
        await pg.query('INSERT INTO departments SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::date[], $6::daterange[], $7::tstzrange[])', cols);
      }
      if (by.item.length) {
        const cols: string[][] = [[], [], [], [], []];
        for (const r of by.item) {
          cols[0].push(r.key);
          cols[1].push(r.fields[0]);
          cols[2].push(r.fields[1]);
          cols[3].push(range(r.from, r.to));
          cols[4].push(range(r.recFrom, r.recTo));
        }
        await pg.query('INSERT INTO items SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::daterange[], $5::tstzrange[])', cols);
      }
      insertMs += Date.now() - t0;
    },
    (n) => onProgress?.(`ETL: ${n.toLocaleString('en-US')} events read`),
  );
  const t1 = Date.now();
  for (const sql of INDEXES) await pg.query(sql);
  const indexSeconds = (Date.now() - t1) / 1000;
  const bytes = Number((await pg.query('SELECT pg_database_size(current_database()) AS b')).rows[0].b);
  return { ...etl, insertSeconds: insertMs / 1000, indexSeconds, bytes };
}
