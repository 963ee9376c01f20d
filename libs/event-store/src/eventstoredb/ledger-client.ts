/**
 * The few EventStoreDB operations the adapter needs, behind an interface so the adapter's logic can
 * be tested without a server (./in-memory-ledger.ts implements it with EventStoreDB's semantics).
 */
import type { AppendExpectedRevision, EventData, EventStoreDBClient, ResolvedEvent } from '@eventstore/db-client';
import { loadEsdbClient } from './esdb-client';
import { LedgerEventData, LedgerRecord } from './mapping';

export interface LedgerReadOptions {
  /** gRPC deadline for this call (ms); the client's default (10 s) otherwise. */
  deadlineMs?: number;
}

export interface LedgerSubscription extends AsyncIterable<LedgerRecord> {
  /** Ends the subscription; a pending iteration ends or throws. */
  close(): Promise<void>;
}

export interface LedgerClient {
  /** Events of `stream` with revision >= fromRevision, at most maxCount, in order; [] if the stream does not exist. */
  read(stream: string, fromRevision: bigint, maxCount: number, options?: LedgerReadOptions): Promise<LedgerRecord[]>;
  /**
   * Appends all events in one atomic write if the stream is at `expectedRevision`; otherwise fails
   * with the client's WrongExpectedVersionError. NB EventStoreDB's own idempotency: if the events
   * right after `expectedRevision` carry the same ids, it answers success without writing.
   */
  append(stream: string, events: LedgerEventData[], expectedRevision: 'no_stream' | bigint): Promise<void>;
  /** Catch-up subscription: events with revision strictly after `after` ('start': from the first), then live. */
  subscribe(stream: string, after: bigint | 'start'): LedgerSubscription;
  dispose(): Promise<void>;
}

function toRecord(resolved: ResolvedEvent): LedgerRecord | undefined {
  const e = resolved.event;
  if (!e) return undefined;
  return { revision: e.revision, id: e.id, type: e.type, data: e.data, metadata: e.metadata };
}

function isStreamNotFound(error: unknown): boolean {
  return (error as { type?: unknown } | null)?.type === 'stream-not-found';
}

/**
 * The real thing, over @eventstore/db-client 6.x. Every call sets `requiresLeader`: the adapter's
 * view must be as fresh as the leader's log, or its conditional appends would only ever conflict.
 */
export class EsdbLedgerClient implements LedgerClient {
  constructor(readonly client: EventStoreDBClient) {}

  async read(stream: string, fromRevision: bigint, maxCount: number, options: LedgerReadOptions = {}): Promise<LedgerRecord[]> {
    const out: LedgerRecord[] = [];
    try {
      const reading = this.client.readStream(stream, {
        fromRevision,
        maxCount: BigInt(maxCount),
        direction: 'forwards',
        resolveLinkTos: false,
        requiresLeader: true,
        ...(options.deadlineMs !== undefined ? { deadline: options.deadlineMs } : {}),
      });
      for await (const resolved of reading) {
        const r = toRecord(resolved);
        if (r) out.push(r);
      }
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw error;
    }
    return out;
  }

  async append(stream: string, events: LedgerEventData[], expectedRevision: 'no_stream' | bigint): Promise<void> {
    const data = events.map(
      (e) => ({ id: e.id, contentType: 'application/json', type: e.type, data: e.data, metadata: e.metadata }) as unknown as EventData,
    );
    const result = await this.client.appendToStream(stream, data, { expectedRevision: expectedRevision as AppendExpectedRevision, requiresLeader: true });
    if (result.success === false) {
      // The connection string said throwOnAppendFailure=false: the client reports a conflict as a result, not an error.
      throw new (loadEsdbClient().WrongExpectedVersionError)(undefined as never, {
        streamName: stream,
        expected: expectedRevision,
        current: result.nextExpectedRevision < 0n ? 'no_stream' : result.nextExpectedRevision,
      });
    }
  }

  subscribe(stream: string, after: bigint | 'start'): LedgerSubscription {
    const sub = this.client.subscribeToStream(stream, { fromRevision: after === 'start' ? 'start' : after, resolveLinkTos: false, requiresLeader: true });
    return {
      async *[Symbol.asyncIterator]() {
        for await (const resolved of sub) {
          const r = toRecord(resolved as ResolvedEvent);
          if (r) yield r;
        }
      },
      async close() {
        try {
          await sub.unsubscribe();
        } finally {
          // unsubscribe cancels the gRPC call but may leave the readable open; end the iteration for sure.
          sub.destroy();
        }
      },
    };
  }

  async dispose(): Promise<void> {
    await this.client.dispose();
  }
}
