/**
 * The adapter's logic against an in-memory stand-in for the server (./in-memory-ledger.ts): the
 * whole port contract, then the EventStoreDB-specific traps. What this cannot show — the real
 * client, gRPC, a real server's timing and cluster behaviour — is for eventstoredb.int.spec.ts.
 */
import { randomUUID } from 'node:crypto';
import { StoreUnavailableError, StoredEvent, WrongExpectedVersionError } from '../event-store.port';
import { RawEventRow, verifyChain } from '../integrity';
import { describeEventStoreContract, waitFor } from '../testing/event-store.contract';
import { loadEsdbClient } from './esdb-client';
import { EventStoreDbEventStore, EventStoreDbOptions } from './eventstoredb-event-store';
import { InMemoryLedgerClient, InMemoryLedgerServer } from './in-memory-ledger';
import { decodeLedgerRecord, esdbEventId } from './mapping';

const LEDGER = 'quanze-ledger';
const fastSleep = () => new Promise<void>((resolve) => setImmediate(resolve));

async function openOn(server: InMemoryLedgerServer, options: EventStoreDbOptions = {}) {
  const client = new InMemoryLedgerClient(server);
  const store = new EventStoreDbEventStore(client, { sleep: fastSleep, log: () => undefined, ...options });
  await store.init();
  return { store, client };
}

describeEventStoreContract('eventstoredb adapter over an in-memory EventStoreDB stand-in', async () => {
  const server = new InMemoryLedgerServer();
  const { store } = await openOn(server);
  return {
    store,
    another: async () => (await openOn(server)).store,
    cleanup: () => store.close(),
  };
  // skipped test, why: this adapter plans (hashes) a large append in one synchronous step before its
  // network write; it is not sliced yet (#22 did SQLite and PostgreSQL, the stores the API runs on)
}, { notSliced: 'the EventStoreDB adapter plans a large append in one step' });

const ev = (type = 'T', data: unknown = { n: 1 }) => ({ id: randomUUID(), type, data, metadata: { actor: 'unit' } });

/** The ledger as raw rows, to check the hash chain end to end. */
function ledgerRows(server: InMemoryLedgerServer): RawEventRow[] {
  return server.read(LEDGER, 0n, Number.MAX_SAFE_INTEGER).map((r) => {
    const e = decodeLedgerRecord(r);
    return {
      position: e.position,
      id: e.id,
      stream: e.stream,
      stream_version: e.streamVersion,
      type: e.type,
      data: JSON.stringify(e.data),
      metadata: JSON.stringify(e.metadata),
      recorded_at: e.recordedAt,
      hash: e.hash,
    };
  });
}

describe('eventstoredb adapter: the ledger', () => {
  test('a call over several streams is ONE conditional EventStoreDB append to the ledger', async () => {
    const server = new InMemoryLedgerServer();
    const { store } = await openOn(server);
    await store.append([{ stream: 'a', expectedVersion: 'no_stream', events: [ev()] }]);
    const x = ev();
    const y = ev();
    await store.append([
      { stream: 'b', expectedVersion: 'no_stream', events: [x] },
      { stream: 'c', expectedVersion: 'no_stream', events: [y] },
    ]);
    expect(server.appendCalls).toEqual([
      { stream: LEDGER, ids: [expect.any(String)], expectedRevision: 'no_stream', outcome: 'written' },
      { stream: LEDGER, ids: [x.id, y.id], expectedRevision: 0n, outcome: 'written' },
    ]);
    // …which reads expand back into per-stream events.
    expect((await store.readStream('b')).map((e) => [e.id, e.streamVersion, e.position])).toEqual([[x.id, 0, 2]]);
    expect((await store.readStream('c')).map((e) => [e.id, e.streamVersion, e.position])).toEqual([[y.id, 0, 3]]);
    expect(verifyChain(ledgerRows(server))).toMatchObject({ ok: true, eventsChecked: 3 });
    await store.close();
  });

  test('positions are ledger revision + 1: dense from 1 across clients', async () => {
    const server = new InMemoryLedgerServer();
    const { store: one } = await openOn(server);
    const { store: two } = await openOn(server);
    await one.append([{ stream: 's', expectedVersion: 'any', events: [ev(), ev()] }]);
    await two.append([{ stream: 't', expectedVersion: 'any', events: [ev()] }]);
    await one.append([{ stream: 's', expectedVersion: 'any', events: [ev()] }]);
    const all = await two.readAll(0, 100);
    expect(all.map((e) => e.position)).toEqual([1, 2, 3, 4]);
    expect(await one.info()).toEqual({ kind: 'eventstoredb', headPosition: 4, eventCount: 4 });
    await Promise.all([one.close(), two.close()]);
  });

  test('non-UUID event ids: stored under a v5 UUID, found and deduplicated by the original id', async () => {
    const server = new InMemoryLedgerServer();
    const { store } = await openOn(server);
    const e = { id: 'import-0001', type: 'Imported', data: 'plain text', metadata: {} };
    const first = await store.append([{ stream: 'imports', expectedVersion: 'no_stream', events: [e] }]);
    expect(server.read(LEDGER, 0n, 1)[0].id).toBe(esdbEventId('import-0001'));
    const found = await store.readEvent('import-0001');
    expect(found).toMatchObject({ id: 'import-0001', stream: 'imports', data: 'plain text' });
    const again = await store.append([{ stream: 'imports', expectedVersion: 'no_stream', events: [e] }]);
    expect(again.events).toEqual(first.events);
    expect(server.length(LEDGER)).toBe(1);
    await store.close();
  });

  test('a stale view loses the ledger race, re-reads, and then decides right (exact version and any)', async () => {
    const server = new InMemoryLedgerServer();
    const { store: one } = await openOn(server);
    const { store: two } = await openOn(server);
    await one.append([{ stream: 's', expectedVersion: 'no_stream', events: [ev()] }]);
    // `two` last read the ledger when it was empty; it learns of the append only through the conflict.
    const stale = two as unknown as { sync: () => Promise<void> };
    const realSync = stale.sync.bind(two);
    let skips = 1;
    stale.sync = () => (skips-- > 0 ? Promise.resolve() : realSync());
    await expect(two.append([{ stream: 's', expectedVersion: 'no_stream', events: [ev()] }])).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect(server.appendCalls.map((c) => c.outcome)).toEqual(['written', 'conflict']);
    skips = 1;
    const r = await two.append([{ stream: 's', expectedVersion: 'any', events: [ev()] }]);
    expect(r.events[0]).toMatchObject({ streamVersion: 1, position: 2 });
    await Promise.all([one.close(), two.close()]);
  });

  test('losing the race too often gives up with StoreUnavailableError, not a hang', async () => {
    const server = new InMemoryLedgerServer();
    const { store } = await openOn(server, { maxAppendAttempts: 3 });
    const { WrongExpectedVersionError: EsdbWEV } = loadEsdbClient();
    for (let i = 0; i < 3; i++) server.failNext('append', () => new EsdbWEV(undefined as never, { streamName: LEDGER, expected: 'no_stream', current: 0n }));
    await expect(store.append([{ stream: 's', expectedVersion: 'any', events: [ev()] }])).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(server.length(LEDGER)).toBe(0);
    await store.close();
  });
});

describe("eventstoredb adapter: EventStoreDB's own idempotency", () => {
  test('two processes appending the same ids at once: the loser is answered "success" by the server and returns what is stored', async () => {
    const server = new InMemoryLedgerServer();
    let clock = Date.parse('2026-11-22T08:00:00.000Z');
    const { store: one } = await openOn(server, { now: () => clock });
    const { store: two } = await openOn(server, { now: () => clock + 7 }); // a different clock → a different planned recordedAt
    await one.append([{ stream: 'seed', expectedVersion: 'no_stream', events: [ev()] }]);
    await two.readStream('seed'); // both views at head 1
    const events = [ev(), ev()];
    // `two` plans from head 1, but `one` writes the very same ids first; the server then answers two's
    // conditional append (expected revision 0 < current 2, same ids after it) with success.
    const stale = two as unknown as { sync: () => Promise<void> };
    const realSync = stale.sync.bind(two);
    let skips = 1;
    stale.sync = () => (skips-- > 0 ? Promise.resolve() : realSync());
    const first = await one.append([{ stream: 'x', expectedVersion: 'no_stream', events }]);
    clock += 1;
    const second = await two.append([{ stream: 'x', expectedVersion: 'no_stream', events }]);
    expect(server.appendCalls.map((c) => c.outcome)).toEqual(['written', 'written', 'idempotent']);
    expect(second).toEqual(first); // what is stored — not two's own plan with its other recordedAt
    expect(server.length(LEDGER)).toBe(3);
    // The chain continues from what is stored, whoever appends next.
    await two.append([{ stream: 'x', expectedVersion: 1, events: [ev()] }]);
    await one.append([{ stream: 'x', expectedVersion: 2, events: [ev()] }]);
    expect(verifyChain(ledgerRows(server))).toMatchObject({ ok: true, eventsChecked: 5 });
    await Promise.all([one.close(), two.close()]);
  });
});

describe('eventstoredb adapter: failures', () => {
  test('an append with no server (plain gRPC Error code 14) → StoreUnavailableError; nothing stored; a retry works', async () => {
    const server = new InMemoryLedgerServer();
    const { store } = await openOn(server);
    server.failNext('append', () => Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 }));
    const events = [ev()];
    const failed = store.append([{ stream: 's', expectedVersion: 'no_stream', events }]);
    await expect(failed).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(failed).rejects.toThrow(/重试/);
    expect(server.length(LEDGER)).toBe(0);
    const r = await store.append([{ stream: 's', expectedVersion: 'no_stream', events }]);
    expect(r.events.map((e) => e.position)).toEqual([1]);
    await store.close();
  });

  test('a read with no server (UnavailableError) → StoreUnavailableError', async () => {
    const server = new InMemoryLedgerServer();
    const { store } = await openOn(server);
    const { UnavailableError } = loadEsdbClient();
    server.failNext('read', () => new UnavailableError(undefined as never, '14 UNAVAILABLE'));
    await expect(store.readStream('s')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.readStream('s')).resolves.toEqual([]);
    await store.close();
  });

  test('a write that landed but was never acknowledged (deadline) is not duplicated by the retry', async () => {
    const server = new InMemoryLedgerServer();
    const { store } = await openOn(server);
    const { DeadlineExceededError } = loadEsdbClient();
    server.failNext('append-after-write', () => new DeadlineExceededError(undefined as never, '4 DEADLINE_EXCEEDED'));
    const events = [ev(), ev()];
    const req = [{ stream: 's', expectedVersion: 'no_stream' as const, events }];
    await expect(store.append(req)).rejects.toThrow(/可能已生效/);
    const retry = await store.append(req);
    expect(retry.events.map((e) => [e.id, e.position])).toEqual(events.map((e, i) => [e.id, i + 1]));
    expect(server.length(LEDGER)).toBe(2);
    await store.close();
  });

  test('a write accepted but not read back (connection lost) says it took effect; the retry returns it', async () => {
    const server = new InMemoryLedgerServer();
    const { store } = await openOn(server);
    const { UnavailableError } = loadEsdbClient();
    server.failNext('read', () => new UnavailableError(undefined as never, '14 UNAVAILABLE'), 1); // the read after the append
    const events = [ev()];
    const req = [{ stream: 's', expectedVersion: 'no_stream' as const, events }];
    const failed = store.append(req);
    await expect(failed).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(failed).rejects.toThrow(/已生效/);
    expect((await store.append(req)).events.map((e) => [e.id, e.position])).toEqual([[events[0].id, 1]]);
    expect(server.length(LEDGER)).toBe(1);
    await store.close();
  });

  test('a ledger written by someone else is refused loudly, not misread', async () => {
    const server = new InMemoryLedgerServer();
    server.writeRaw(LEDGER, [{ id: randomUUID(), type: 'Foreign', data: { x: 1 } }]);
    const client = new InMemoryLedgerClient(server);
    const store = new EventStoreDbEventStore(client, { sleep: fastSleep });
    await expect(store.init()).rejects.toThrow(/账本流不符合/);
    await expect(store.readAll(0, 10)).rejects.toThrow(/账本流不符合/);
    await store.close();
  });

  test('close() stops subscriptions and releases the client', async () => {
    const server = new InMemoryLedgerServer();
    const { store, client } = await openOn(server);
    let live = false;
    store.subscribeToAll({ fromPosition: 0, onEvent: () => undefined, onLive: () => void (live = true) });
    await waitFor(() => live && client.subscriptions.size === 1, 2000);
    await store.close();
    expect(client.subscriptions.size).toBe(0);
    expect(client.disposed).toBe(true);
    await expect(store.readAll(0, 1)).rejects.toThrow('closed');
  });
});

describe('eventstoredb adapter: subscriptions over drops', () => {
  test('a subscription that the server drops again and again still sees every event once, in order', async () => {
    const server = new InMemoryLedgerServer();
    const retries: string[] = [];
    const { store, client } = await openOn(server, { subscriptionBackoff: { initialMs: 1, maxMs: 4 }, log: (m) => void retries.push(m) });
    const { store: writer } = await openOn(server);
    const seen: StoredEvent[] = [];
    const sub = store.subscribeToAll({ fromPosition: 0, onEvent: (e) => void seen.push(e) });
    const { UnavailableError } = loadEsdbClient();
    for (let i = 0; i < 30; i++) {
      await writer.append([{ stream: 's', expectedVersion: 'any', events: [ev('N', { i })] }]);
      if (i % 7 === 3) client.dropSubscriptions();
      if (i % 11 === 5) server.failNext('subscribe', () => new UnavailableError(undefined as never, 'leader changed'));
    }
    await waitFor(() => seen.length === 30, 10000);
    await sub.stop();
    expect(seen.map((e) => e.data.i)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(seen.map((e) => e.position)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(retries.length).toBeGreaterThan(0);
    expect(retries[0]).toMatch(/重新订阅/);
    await Promise.all([store.close(), writer.close()]);
  });
});
