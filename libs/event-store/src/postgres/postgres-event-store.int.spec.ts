/**
 * The port contract against a real PostgreSQL that this file starts (Debian's package, a private data
 * dir under the temp dir, a port of QUANZE_TEST_PORTS), and what PostgreSQL adds: concurrent writers
 * from many connections never make a subscriber skip or repeat an event, the hash chain verifies,
 * connection strings with several hosts, a stopped server gives StoreUnavailableError.
 */
import { randomUUID } from 'node:crypto';
import { StoredEvent, StoreUnavailableError } from '../event-store.port';
import { verifyChainAsync } from '../integrity';
import { describeEventStoreContract, waitFor } from '../testing/event-store.contract';
import { PgServer, postgresForTests, startTestPostgres } from '../testing/postgres-server';
import { parsePgTarget } from './connection';
import { PostgresEventStore, openPostgresEventStore } from './postgres-event-store';

const available = postgresForTests('PostgreSQL event-store contract suite');
const d = available.skip ? describe.skip : describe;

let server: PgServer | undefined;
/** A fresh database per suite, so that suites do not see each other's events. */
async function freshDatabase(): Promise<string> {
  server ??= await startTestPostgres();
  const name = `q_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await server.sql(`CREATE DATABASE ${name}`);
  return `postgres://quanze@127.0.0.1:${server.port}/${name}`;
}
afterAll(() => server?.stop());

describeEventStoreContract(
  'postgres (private server, head row lock, NOTIFY)',
  async () => {
    const url = await freshDatabase();
    const store = await openPostgresEventStore(url, { pollIntervalMs: 200 });
    return {
      store,
      another: () => openPostgresEventStore(url, { pollIntervalMs: 200 }),
      cleanup: () => store.close(),
    };
  },
  available,
);

d('postgres: what the contract does not cover', () => {
  test('concurrent writers on 4 connections pools, commits stretched at random: two subscribers see every acknowledged event once, in position order, positions dense, the chain verifies', async () => {
    const url = await freshDatabase();
    const jitter = async () => new Promise<void>((r) => setTimeout(r, Math.random() * 8));
    const writers = await Promise.all(Array.from({ length: 4 }, () => openPostgresEventStore(url, { beforeCommit: jitter, poolSize: 4 })));
    const reader = await openPostgresEventStore(url, { pollIntervalMs: 5000 }); // NOTIFY must do the waking
    const seenA: StoredEvent[] = [];
    const seenB: StoredEvent[] = [];
    const subA = reader.subscribeToAll({ fromPosition: 0, batchSize: 7, onEvent: (e) => void seenA.push(e) });
    const subB = writers[0].subscribeToAll({ fromPosition: 0, onEvent: async (e) => void seenB.push(e) });
    const acked: string[] = [];
    try {
      await Promise.all(
        writers.flatMap((w, wi) =>
          Array.from({ length: 6 }, async (_, lane) => {
            for (let i = 0; i < 10; i++) {
              const n = 1 + ((wi + lane + i) % 3);
              const events = Array.from({ length: n }, () => ({ id: randomUUID(), type: 'W', data: { wi, lane, i } }));
              const streams = [`w-${wi}-${lane}`, `shared-${i % 4}`];
              const r = await w.append([
                { stream: streams[0], expectedVersion: 'any', events: events.slice(0, 1) },
                ...(n > 1 ? [{ stream: streams[1], expectedVersion: 'any' as const, events: events.slice(1) }] : []),
              ]);
              acked.push(...r.events.map((e) => e.id));
            }
          }),
        ),
      );
      const head = (await reader.info()).headPosition;
      expect(head).toBe(acked.length);
      await waitFor(() => seenA.length >= head && seenB.length >= head, 20_000);
      await new Promise((r) => setTimeout(r, 200));
      for (const seen of [seenA, seenB]) {
        expect(seen.map((e) => e.position)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
        expect(new Set(seen.map((e) => e.id)).size).toBe(head);
        expect(new Set(seen.map((e) => e.id))).toEqual(new Set(acked));
      }
      const all = await reader.readAll(0, 100_000);
      expect(seenA.map((e) => e.id)).toEqual(all.map((e) => e.id));
      const report = await verifyChainAsync(reader.iterateRaw(50));
      expect(report).toMatchObject({ ok: true, eventsChecked: head, headPosition: head });
      expect(report.headHash).toBe((await reader.chainHead())?.hash);
      // The hash at a past position (what a read-model snapshot is keyed with) is the chain's there.
      const raw: Array<{ position: number; hash: string }> = [];
      for await (const r of reader.iterateRaw(50)) raw.push(r);
      const mid = raw[Math.floor(raw.length / 2)];
      expect(await reader.chainHashAt(mid.position)).toBe(mid.hash);
      expect(await reader.chainHashAt(head + 1)).toBeUndefined();
    } finally {
      await subA.stop();
      await subB.stop();
      await Promise.all([...writers, reader].map((s) => s.close()));
    }
  });

  test('a hole in the positions (a row written around the adapter) is never passed by a subscriber; verify names it', async () => {
    const url = await freshDatabase();
    const store = await openPostgresEventStore(url, { pollIntervalMs: 50 });
    try {
      await store.append([{ stream: 'a', expectedVersion: 'no_stream', events: [{ id: 'e1', type: 'T', data: 1 }] }]);
      const c = await server!.connect(url.slice(url.lastIndexOf('/') + 1));
      await c.query(`INSERT INTO quanze_events (position, id, stream, stream_version, type, data, metadata, recorded_at, hash) VALUES (3, 'e3', 'b', 0, 'T', '3', '{}', '2030-01-01T00:00:00.000Z', 'x')`);
      await c.end();
      const seen: number[] = [];
      const sub = store.subscribeToAll({ fromPosition: 0, onEvent: (e) => void seen.push(e.position) });
      await waitFor(() => seen.length === 1, 5000);
      await new Promise((r) => setTimeout(r, 300));
      await sub.stop();
      expect(seen).toEqual([1]);
      const report = await verifyChainAsync(store.iterateRaw());
      expect(report.ok).toBe(false);
      expect(report.firstProblem).toMatchObject({ position: 3, problem: 'gap' });
    } finally {
      await store.close();
    }
  });

  test('a changed event is named by verify', async () => {
    const url = await freshDatabase();
    const store = await openPostgresEventStore(url);
    try {
      for (let i = 0; i < 5; i++) await store.append([{ stream: 's', expectedVersion: 'any', events: [{ id: `t${i}`, type: 'T', data: { i } }] }]);
      expect((await verifyChainAsync(store.iterateRaw())).ok).toBe(true);
      const c = await server!.connect(url.slice(url.lastIndexOf('/') + 1));
      await c.query(`UPDATE quanze_events SET data = '{"i":99}' WHERE position = 4`);
      await c.end();
      expect((await verifyChainAsync(store.iterateRaw())).firstProblem).toMatchObject({ position: 4, eventId: 't3', problem: 'changed' });
    } finally {
      await store.close();
    }
  });

  test('two processes opening an empty database at once both get the tables (schema creation under an advisory lock)', async () => {
    const url = await freshDatabase();
    const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresEventStore(url)));
    try {
      await stores[1].append([{ stream: 'x', expectedVersion: 'no_stream', events: [{ id: 'x1', type: 'T', data: null }] }]);
      expect((await stores[3].info()).headPosition).toBe(1);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  test('several hosts: the first that answers and accepts writes is used; none answering → StoreUnavailableError within the timeout', async () => {
    const url = await freshDatabase();
    const db = url.slice(url.lastIndexOf('/') + 1);
    const store = await openPostgresEventStore(`postgres://quanze@127.0.0.1:1,127.0.0.1:${server!.port}/${db}?target_session_attrs=read-write`);
    try {
      await store.append([{ stream: 'h', expectedVersion: 'no_stream', events: [{ id: 'h1', type: 'T', data: 1 }] }]);
      expect((await store.readStream('h')).map((e) => e.id)).toEqual(['h1']);
    } finally {
      await store.close();
    }
    const started = Date.now();
    const attempt = openPostgresEventStore('postgres://quanze:s3cret@127.0.0.1:1,127.0.0.1:2/x', { connectTimeoutMs: 1000 });
    await expect(attempt).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(attempt).rejects.toThrow(/无法连接 PostgreSQL（postgres:\/\/quanze:\*\*\*@127\.0\.0\.1:1,127\.0\.0\.1:2\/x）/);
    await expect(attempt).rejects.not.toThrow(/s3cret/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('a stopped server: append and reads fail with StoreUnavailableError, and work again once it is back, without reopening', async () => {
    const own = await startTestPostgres();
    const store = await openPostgresEventStore(own.url, { connectTimeoutMs: 1000 });
    try {
      await store.append([{ stream: 'r', expectedVersion: 'no_stream', events: [{ id: 'r1', type: 'T', data: 1 }] }]);
      own.kill();
      await expect(store.append([{ stream: 'r', expectedVersion: 0, events: [{ id: 'r2', type: 'T', data: 2 }] }])).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.readStream('r')).rejects.toBeInstanceOf(StoreUnavailableError);
      own.start();
      await store.append([{ stream: 'r', expectedVersion: 0, events: [{ id: 'r2', type: 'T', data: 2 }] }]);
      expect((await store.readStream('r')).map((e) => e.id)).toEqual(['r1', 'r2']);
    } finally {
      await store.close();
      own.stop();
    }
  });
});

describe('postgres connection strings (no server)', () => {
  test('a host list becomes one connection string per host; the password never shows', () => {
    const t = parsePgTarget('postgresql://u:pw@a:5432,b:5433/reg?sslmode=disable&target_session_attrs=read-write');
    expect(t.hosts).toEqual(['postgresql://u:pw@a:5432/reg?sslmode=disable', 'postgresql://u:pw@b:5433/reg?sslmode=disable']);
    expect(t.targetSessionAttrs).toBe('read-write');
    expect(t.shown).not.toMatch(/pw/);
    expect(() => parsePgTarget('postgres://a/b?target_session_attrs=primary')).toThrow(/target_session_attrs/);
    expect(() => parsePgTarget('mysql://a/b')).toThrow(/连接串无效/);
  });

  test('postgresql:// is the same scheme; nothing listening → StoreUnavailableError', async () => {
    await expect(openPostgresEventStore('postgresql://quanze@127.0.0.1:1/x', { connectTimeoutMs: 500 })).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(new PostgresEventStore('postgresql://quanze@127.0.0.1:1/x').shown).toBe('postgresql://quanze@127.0.0.1:1/x');
  });
});
