import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from './sqlite-event-store';
import { metadataField } from '../lazy-metadata';
import { describeEventStoreContract } from '../testing/event-store.contract';

describeEventStoreContract('sqlite (file, WAL, synchronous=FULL)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'quanze-contract-'));
  const file = join(dir, 'events.db');
  const store = new SqliteEventStore({ file, pollIntervalMs: 50 });
  return {
    store,
    another: async () => new SqliteEventStore({ file, pollIntervalMs: 50 }),
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteEventStore.replayAll: metadata parsed when read', () => {
  const metadatas = [
    { actor: 'u1', commandId: 'c1', schemaVersion: 2 },
    {},
    { schemaVersion: 1 },
    { actor: 'say "hi" \\ 权责', schemaVersion: 1 },
    { actor: 'outer', nested: { actor: 'inner', list: [1, { schemaVersion: 9 }] } },
    { actor: 42, schemaVersion: '3' },
  ];

  test('inside the handler: e.metadata, a spread and metadataField give what readAll gives', async () => {
    const store = new SqliteEventStore({ file: ':memory:' });
    await store.append([{ stream: 's-1', expectedVersion: 'no_stream', events: metadatas.map((metadata, i) => ({ id: `e${i}`, type: 'T', data: { i }, metadata })) }]);
    const expected = await store.readAll(0, 100);
    const seen: Array<{ metadata: unknown; spread: unknown; actor: unknown; schemaVersion: unknown }> = [];
    await store.replayAll(
      0,
      (e) => {
        // The fields first (from the text), then the whole (parsed).
        const actor = metadataField(e, 'actor');
        const schemaVersion = metadataField(e, 'schemaVersion');
        seen.push({ actor, schemaVersion, metadata: e.metadata, spread: { ...e } });
      },
      { pageSize: 4 },
    );
    expect(seen.map((s) => s.metadata)).toEqual(metadatas);
    expect(seen.map((s) => s.spread)).toEqual(expected);
    expect(seen.map((s) => [s.actor, s.schemaVersion])).toEqual(expected.map((e) => [e.metadata.actor, e.metadata.schemaVersion]));
    // Each event gets its own metadata object (kept by a reader, it is not changed by the next event).
    expect(new Set(seen.map((s) => s.metadata)).size).toBe(metadatas.length);
    await store.close();
  });

  test('a handler may replace the metadata of the event it is given; the next event has its own', async () => {
    const store = new SqliteEventStore({ file: ':memory:' });
    await store.append([{ stream: 's-1', expectedVersion: 'no_stream', events: metadatas.slice(0, 2).map((metadata, i) => ({ id: `e${i}`, type: 'T', data: { i }, metadata })) }]);
    const seen: unknown[] = [];
    await store.replayAll(0, (e) => {
      e.metadata = { ...e.metadata, touched: true };
      seen.push({ ...e.metadata });
    });
    expect(seen).toEqual([{ ...metadatas[0], touched: true }, { touched: true }]);
    await store.close();
  });
});

describe('SqliteEventStore: a large append inside a transaction the caller opened (the bench\'s bulk loader)', () => {
  test('nests in one step instead of opening a sliced transaction: no "transaction within a transaction", committed with the outer one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quanze-nested-'));
    const store = new SqliteEventStore({ file: join(dir, 'events.db') });
    try {
      store.db.exec('BEGIN IMMEDIATE');
      const events = Array.from({ length: 2_500 }, (_, i) => ({ id: `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`, type: 'Noted', data: { i }, metadata: {} }));
      const r = await store.append([{ stream: 'bulk-1', expectedVersion: 'no_stream', events }]);
      expect(r.position).toBe(2_500);
      store.db.exec('COMMIT');
      expect((await store.info()).headPosition).toBe(2_500);
      expect(await store.streamVersion('bulk-1')).toBe(2_499);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SqliteEventStore.info: the head, not a scan of the log (#22: /api/health asks it twice per answer)', () => {
  test('eventCount is the head position (positions are 1..n; a gap is verify\'s to report), during a sliced append the committed one', async () => {
    const store = new SqliteEventStore({ file: ':memory:' });
    try {
      await store.append([{ stream: 's-1', expectedVersion: 'no_stream', events: [1, 2, 3, 4].map((i) => ({ id: `e${i}`, type: 'T', data: { i }, metadata: {} })) }]);
      expect(await store.info()).toEqual({ kind: 'sqlite', headPosition: 4, eventCount: 4 });
      // A row removed behind the store's back: a COUNT(*) (a scan of every row, once per health check)
      // would say 3; the head says 4, as on PostgreSQL, and verify names the gap.
      store.db.prepare('DELETE FROM events WHERE position = 2').run();
      expect(await store.info()).toEqual({ kind: 'sqlite', headPosition: 4, eventCount: 4 });
      // while a sliced append is open, its rows are not counted
      const events = Array.from({ length: 2_500 }, (_, i) => ({ id: `b${i}`, type: 'T', data: { i }, metadata: {} }));
      const appending = store.append([{ stream: 'bulk', expectedVersion: 'no_stream', events }]);
      const seen: number[] = [];
      while (!(await Promise.race([appending.then(() => true), new Promise<false>((r) => setImmediate(() => r(false)))]))) seen.push((await store.info()).eventCount);
      expect(new Set(seen.filter((n) => n !== 4 && n !== 2_504)).size).toBe(0);
      expect((await store.info()).eventCount).toBe(2_504);
    } finally {
      await store.close();
    }
  });
});

describe('SqliteEventStore: a large append to a file is committed by a writer thread (#22)', () => {
  test('this connection runs no BEGIN/COMMIT for it (the COMMIT re-checksums every WAL frame of the transaction: 180-430 ms at 225,000 events); all or nothing, durable when told', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quanze-writer-'));
    const file = join(dir, 'events.db');
    const store = new SqliteEventStore({ file });
    try {
      await store.append([{ stream: 'small', expectedVersion: 'no_stream', events: [{ id: 's0', type: 'T', data: {}, metadata: {} }] }]);
      const execs: string[] = [];
      const exec = store.db.exec.bind(store.db);
      jest.spyOn(store.db, 'exec').mockImplementation((sql: string) => (execs.push(sql), exec(sql)));
      const requests = Array.from({ length: 1_500 }, (_, i) => ({ stream: `big-${i}`, expectedVersion: 'no_stream' as const, events: [0, 1].map((k) => ({ id: `b${i}-${k}`, type: 'T', data: { i, k }, metadata: { actor: 'a' } })) }));
      const r = await store.append(requests);
      expect(execs).toEqual([]);
      expect([r.events.length, r.position, await store.streamVersion('big-1499')]).toEqual([3_000, 3_001, 1]);
      // another connection (as after a restart) reads the whole append
      const other = new SqliteEventStore({ file });
      try {
        expect((await other.readAll(1, 10_000)).map((e) => e.id)).toEqual(requests.flatMap((q) => q.events.map((e) => e.id)));
      } finally {
        await other.close();
      }
      // a conflict found while it is checked: nothing of it written, the writer's transaction rolled back
      const again = requests.map((q, i) => ({ ...q, stream: `again-${i}`, events: q.events.map((e) => ({ ...e, id: `a-${e.id}` })), expectedVersion: i === 1_499 ? (5 as const) : ('no_stream' as const) }));
      await expect(store.append(again)).rejects.toThrow();
      expect((await store.info()).headPosition).toBe(3_001);
      // and the store takes the next append (the write lock was released)
      await store.append([{ stream: 'small', expectedVersion: 0, events: [{ id: 's1', type: 'T', data: {}, metadata: {} }] }]);
      expect((await store.info()).headPosition).toBe(3_002);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
