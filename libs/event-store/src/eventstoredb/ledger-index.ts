/**
 * The adapter's view of the ledger stream, and the pure append planner that decides against it.
 *
 * The view is exact as of `head` (the last ledger event read). A plan made from it is written with
 * the ledger's expected revision set to `head`, so EventStoreDB accepts it only if nobody appended
 * in between; otherwise the adapter reads the new events and plans again. That conditional append
 * on one stream is what makes the expected-version checks of every stream of a call — and the
 * idempotency check — exact under concurrency, across processes.
 */
import {
  AppendRequest,
  AppendResult,
  StoredEvent,
  checkExpectedVersion,
} from '../event-store.port';
import { chainHash, GENESIS_HASH } from '../integrity';
import { LedgerCorruptError, LedgerEvent, LedgerEventData, encodeLedgerEvent, ledgerExpectedRevision } from './mapping';

export class LedgerIndex {
  /** Position of the last event applied (0: none). */
  head = 0;
  lastRecordedAt = '';
  lastHash = GENESIS_HASH;
  /** Port event id → position. */
  private readonly ids = new Map<string, number>();
  /** Stream → positions of its events, in revision order (so the version is length - 1). */
  private readonly streams = new Map<string, number[]>();
  /** The most recently applied events, by position, to answer appends without reading them back. */
  private readonly recent = new Map<number, StoredEvent>();

  constructor(private readonly recentLimit = 4096) {}

  /** Adds the next ledger event; refuses one that does not continue the log. */
  apply(e: LedgerEvent): void {
    if (e.position !== this.head + 1) throw new LedgerCorruptError(`expected position ${this.head + 1}, got ${e.position}`);
    const positions = this.streams.get(e.stream);
    const expectedVersion = positions ? positions.length : 0;
    if (e.streamVersion !== expectedVersion) {
      throw new LedgerCorruptError(`position ${e.position}: stream ${e.stream} expected revision ${expectedVersion}, got ${e.streamVersion}`);
    }
    if (this.ids.has(e.id)) throw new LedgerCorruptError(`position ${e.position}: event id ${e.id} already at position ${this.ids.get(e.id)}`);
    if (e.recordedAt < this.lastRecordedAt) throw new LedgerCorruptError(`position ${e.position}: recordedAt ${e.recordedAt} before ${this.lastRecordedAt}`);
    if (positions) positions.push(e.position);
    else this.streams.set(e.stream, [e.position]);
    this.ids.set(e.id, e.position);
    this.head = e.position;
    this.lastRecordedAt = e.recordedAt;
    this.lastHash = e.hash;
    const { hash: _hash, ...stored } = e;
    this.recent.set(e.position, stored);
    if (this.recent.size > this.recentLimit) this.recent.delete(e.position - this.recentLimit);
  }

  versionOf(stream: string): number | undefined {
    const p = this.streams.get(stream);
    return p ? p.length - 1 : undefined;
  }

  positionOf(id: string): number | undefined {
    return this.ids.get(id);
  }

  positionsOf(stream: string): readonly number[] {
    return this.streams.get(stream) ?? [];
  }

  cached(position: number): StoredEvent | undefined {
    return this.recent.get(position);
  }

  get eventCount(): number {
    return this.head;
  }
}

export type AppendPlan =
  | {
      /** Every event of the call is stored already: answer with what was stored (an idempotent retry). */
      kind: 'stored';
      positions: number[];
      streams: AppendResult['streams'];
    }
  | {
      kind: 'write';
      /** The ledger's expected revision: the plan holds only if the ledger still ends at the view's head. */
      expectedRevision: 'no_stream' | bigint;
      events: LedgerEvent[];
      /** The EventStoreDB events to append to the ledger, in one atomic append. */
      records: LedgerEventData[];
      result: AppendResult;
    };

/** JSON text and its parsed value: what is hashed is exactly what will be read back. */
function normalise(value: unknown): { text: string; value: any } {
  const text = JSON.stringify(value ?? null) ?? 'null';
  return { text, value: JSON.parse(text) };
}

/**
 * Decides one append against the view (pure; the caller has validated the call):
 * drops events already stored (by port id), checks every stream's expected version, and assigns
 * positions, stream versions, one recordedAt strictly after the last, and the hash chain.
 * Throws the port's WrongExpectedVersionError on a mismatch.
 */
export function planAppend(index: LedgerIndex, requests: AppendRequest[], nowMs: number): AppendPlan {
  const fresh: AppendRequest[] = [];
  const already: number[] = [];
  for (const r of requests) {
    const events = r.events.filter((e) => {
      const p = index.positionOf(e.id);
      if (p !== undefined) already.push(p);
      return p === undefined;
    });
    if (events.length > 0) fresh.push({ ...r, events });
  }
  if (fresh.length === 0) {
    return { kind: 'stored', positions: already, streams: requests.map((r) => ({ stream: r.stream, version: index.versionOf(r.stream)! })) };
  }
  for (const r of fresh) checkExpectedVersion(r.stream, r.expectedVersion, index.versionOf(r.stream));

  const lastMs = index.lastRecordedAt ? Date.parse(index.lastRecordedAt) : 0;
  const recordedAt = new Date(Math.max(nowMs, lastMs + 1)).toISOString();
  let position = index.head;
  let prevHash = index.lastHash;
  const events: LedgerEvent[] = [];
  const streams: AppendResult['streams'] = [];
  for (const r of fresh) {
    let version = index.versionOf(r.stream) ?? -1;
    for (const e of r.events) {
      position += 1;
      version += 1;
      const data = normalise(e.data);
      const metadata = normalise(e.metadata ?? {});
      const hash = chainHash(prevHash, {
        id: e.id,
        stream: r.stream,
        streamVersion: version,
        position,
        type: e.type,
        data: data.text,
        metadata: metadata.text,
        recordedAt,
      });
      prevHash = hash;
      events.push({ id: e.id, stream: r.stream, streamVersion: version, position, type: e.type, data: data.value, metadata: metadata.value, recordedAt, hash });
    }
    streams.push({ stream: r.stream, version });
  }
  for (const r of requests) {
    if (!streams.some((s) => s.stream === r.stream)) streams.push({ stream: r.stream, version: index.versionOf(r.stream)! });
  }
  return {
    kind: 'write',
    expectedRevision: ledgerExpectedRevision(index.head),
    events,
    records: events.map(encodeLedgerEvent),
    result: {
      events: events.map(({ id, stream, streamVersion, position: p, recordedAt: at }) => ({ id, stream, streamVersion, position: p, recordedAt: at })),
      streams,
      position,
      recordedAt,
    },
  };
}
