/**
 * An in-memory stand-in for an EventStoreDB server, for unit tests of the adapter without a server.
 * It reproduces the semantics the adapter relies on — and the traps it must survive:
 * - conditional appends of several events to one stream, atomically, failing with the client's own
 *   WrongExpectedVersionError;
 * - EventStoreDB's idempotency: when the events right after the expected revision carry the same ids,
 *   the append "succeeds" without writing anything;
 * - reads from a revision; JSON (de)serialisation of data and metadata;
 * - catch-up subscriptions that are exclusive of their start revision;
 * - injectable faults (a plain gRPC Error with code 14 on append, dropped subscriptions, …).
 * It is not a model of EventStoreDB's performance or of its cluster behaviour.
 */
import { loadEsdbClient } from './esdb-client';
import { LedgerClient, LedgerSubscription } from './ledger-client';
import { LedgerEventData, LedgerRecord } from './mapping';

interface StoredRecord {
  id: string;
  type: string;
  data: string;
  metadata: string;
}

export type FaultPoint = 'read' | 'append' | 'append-after-write' | 'subscribe';

/** The shared "server": several clients may talk to one. */
export class InMemoryLedgerServer {
  readonly streams = new Map<string, StoredRecord[]>();
  /** Every append call that reached the server, for assertions. */
  readonly appendCalls: Array<{ stream: string; ids: string[]; expectedRevision: 'no_stream' | bigint; outcome: 'written' | 'idempotent' | 'conflict' }> = [];
  private readonly listeners = new Set<() => void>();
  private readonly faults: Array<{ at: FaultPoint; error: () => unknown; skip: number }> = [];

  /** An operation at `at` fails with `error()`: the next one, or the one after `skip` more (queued: one fault per call). */
  failNext(at: FaultPoint, error: () => unknown, skip = 0): void {
    this.faults.push({ at, error, skip });
  }

  takeFault(at: FaultPoint): unknown | undefined {
    const i = this.faults.findIndex((f) => f.at === at);
    if (i < 0) return undefined;
    const f = this.faults[i];
    if (f.skip > 0) {
      f.skip -= 1;
      return undefined;
    }
    this.faults.splice(i, 1);
    return f.error();
  }

  /** Writes raw events to a stream with no checks (to simulate a foreign writer). */
  writeRaw(stream: string, events: Array<{ id: string; type: string; data: unknown; metadata?: unknown }>): void {
    const list = this.streams.get(stream) ?? [];
    for (const e of events) list.push({ id: e.id, type: e.type, data: JSON.stringify(e.data), metadata: JSON.stringify(e.metadata ?? null) });
    this.streams.set(stream, list);
    this.notify();
  }

  append(stream: string, events: LedgerEventData[], expectedRevision: 'no_stream' | bigint): void {
    const list = this.streams.get(stream) ?? [];
    const current = list.length - 1;
    const expected = expectedRevision === 'no_stream' ? -1 : Number(expectedRevision);
    const ids = events.map((e) => e.id);
    const conflict = () => {
      this.appendCalls.push({ stream, ids, expectedRevision, outcome: 'conflict' });
      return new (loadEsdbClient().WrongExpectedVersionError)(undefined as never, {
        streamName: stream,
        expected: expectedRevision,
        current: current < 0 ? 'no_stream' : BigInt(current),
      });
    };
    if (expected > current) throw conflict();
    if (expected < current) {
      // EventStoreDB's idempotency check: the same ids right after the expected revision → success, nothing written.
      const after = list.slice(expected + 1, expected + 1 + events.length);
      if (after.length === events.length && after.every((r, i) => r.id === ids[i])) {
        this.appendCalls.push({ stream, ids, expectedRevision, outcome: 'idempotent' });
        return;
      }
      throw conflict();
    }
    for (const e of events) list.push({ id: e.id, type: e.type, data: JSON.stringify(e.data), metadata: JSON.stringify(e.metadata) });
    this.streams.set(stream, list);
    this.appendCalls.push({ stream, ids, expectedRevision, outcome: 'written' });
    this.notify();
  }

  read(stream: string, fromRevision: bigint, maxCount: number): LedgerRecord[] {
    const list = this.streams.get(stream) ?? [];
    const from = Number(fromRevision);
    return list.slice(from, from + maxCount).map((r, i) => this.toRecord(r, from + i));
  }

  toRecord(r: StoredRecord, revision: number): LedgerRecord {
    return { revision: BigInt(revision), id: r.id, type: r.type, data: JSON.parse(r.data), metadata: JSON.parse(r.metadata) ?? undefined };
  }

  length(stream: string): number {
    return this.streams.get(stream)?.length ?? 0;
  }

  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

export class InMemoryLedgerClient implements LedgerClient {
  disposed = false;
  readonly subscriptions = new Set<LedgerSubscription>();

  constructor(readonly server: InMemoryLedgerServer) {}

  async read(stream: string, fromRevision: bigint, maxCount: number): Promise<LedgerRecord[]> {
    await tick();
    this.assertUsable();
    const fault = this.server.takeFault('read');
    if (fault !== undefined) throw fault;
    return this.server.read(stream, fromRevision, maxCount);
  }

  async append(stream: string, events: LedgerEventData[], expectedRevision: 'no_stream' | bigint): Promise<void> {
    await tick();
    this.assertUsable();
    const fault = this.server.takeFault('append');
    if (fault !== undefined) throw fault;
    this.server.append(stream, events, expectedRevision);
    await tick();
    // A fault after the write: the server applied it, the client never heard back (e.g. a deadline).
    const lost = this.server.takeFault('append-after-write');
    if (lost !== undefined) throw lost;
  }

  subscribe(stream: string, after: bigint | 'start'): LedgerSubscription {
    const server = this.server;
    let next = after === 'start' ? 0 : Number(after) + 1; // exclusive of `after`, like EventStoreDB
    let closed = false;
    let wake: (() => void) | undefined;
    const unlisten = server.onAppend(() => wake?.());
    const fault = server.takeFault('subscribe');
    const subscriptions = this.subscriptions;
    const sub: LedgerSubscription = {
      async *[Symbol.asyncIterator]() {
        try {
          await tick();
          if (fault !== undefined) throw fault;
          while (!closed) {
            const list = server.streams.get(stream) ?? [];
            if (next < list.length) {
              const r = server.toRecord(list[next], next);
              next += 1;
              yield r;
              continue;
            }
            await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
          }
        } finally {
          unlisten();
        }
      },
      async close() {
        closed = true;
        subscriptions.delete(sub);
        unlisten();
        wake?.();
      },
    };
    subscriptions.add(sub);
    return sub;
  }

  /** Ends every live subscription of this client (as a server restart or a leader change would). */
  dropSubscriptions(): void {
    for (const s of [...this.subscriptions]) void s.close();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const s of [...this.subscriptions]) await s.close();
  }

  private assertUsable(): void {
    if (this.disposed) throw new Error('client disposed');
  }
}
