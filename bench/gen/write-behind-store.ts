/**
 * The bulk path: the real Registry (load → decide → append, libs/application) runs unchanged against
 * this store, which answers reads from memory and writes behind into a SqliteEventStore in large
 * multi-stream appends. Events, ids, metadata and their order in the log are those of the command path;
 * only recordedAt is coarser (one instant per flushed batch instead of one per command: the batches
 * never span two recording days, so day-level as-known-at answers are the same). The test
 * bench/gen/generator.int.spec.ts generates a small province both ways and compares the logs.
 *
 * What it keeps in memory per event: id, type, data and schema version (enough for the Registry's
 * reads: it folds streams, never looks at other metadata). Reads of one event by id (idempotency checks
 * and retractions) go to the batch not yet flushed, then to SQLite.
 */
import {
  AppendRequest,
  AppendResult,
  EventStore,
  ReplayHandler,
  ReplayOptions,
  SqliteEventStore,
  StoredEvent,
  StoreInfo,
  SubscribeOptions,
  Subscription,
  checkExpectedVersion,
  validateAppend,
} from '../../libs/event-store/src';
import { HoldingsIndex } from '../../libs/application/src';

interface Compact {
  id: string;
  type: string;
  data: unknown;
  schemaVersion: unknown;
}

export interface WriteBehindOptions {
  /** Flush when the batch holds this many events. */
  maxBatchEvents?: number;
  /**
   * Commit to disk every this many events: the flushes in between run inside one outer SQLite
   * transaction (the store's own append then uses a savepoint), so a bulk load does not pay one WAL
   * commit per recording day. 0: every flush is its own commit, as in the command path.
   */
  commitEvery?: number;
}

/** Department → list entries it was ever named in: the same rule as RegistryProjection.entriesByDepartment. */
export class EntriesIndex implements HoldingsIndex {
  private readonly byDept = new Map<string, Set<string>>();
  note(type: string, data: any): void {
    if (!type.startsWith('Item')) return;
    const named =
      type === 'ItemAssigned' || type === 'ItemReceived' || type === 'ItemRecalled' || type === 'ItemWithdrawn'
        ? [data.departmentId]
        : type === 'ItemTransferred'
          ? [data.fromDepartmentId, data.toDepartmentId]
          : [];
    for (const d of named) {
      if (!d) continue;
      const k = `${data.regionCode}|${data.itemCode}`;
      const s = this.byDept.get(d);
      if (s) s.add(k);
      else this.byDept.set(d, new Set([k]));
    }
  }
  entriesOf(departmentId: string): Array<{ regionCode: string; itemCode: string }> {
    return [...(this.byDept.get(departmentId) ?? [])].map((k) => {
      const [regionCode, itemCode] = k.split('|');
      return { regionCode, itemCode };
    });
  }
}

export class WriteBehindStore implements EventStore {
  private readonly streams = new Map<string, Compact[]>();
  private pending: AppendRequest[] = [];
  private pendingStreams = new Set<string>();
  private pendingIds = new Map<string, StoredEvent>();
  private pendingEvents = 0;
  private position: number;
  private clockMs = 0;
  private readonly maxBatchEvents: number;
  private readonly commitEvery: number;
  private uncommitted = 0;
  readonly index = new EntriesIndex();
  /** Flushed appends and events, for the report. */
  flushes = 0;
  flushedEvents = 0;
  flushMs = 0;

  constructor(
    readonly target: SqliteEventStore,
    headPosition: number,
    options: WriteBehindOptions = {},
  ) {
    this.position = headPosition;
    this.maxBatchEvents = options.maxBatchEvents ?? 20_000;
    this.commitEvery = options.commitEvery ?? 0;
  }

  /** The recording clock: a new instant flushes what was recorded before it. */
  async setClock(ms: number): Promise<void> {
    if (ms !== this.clockMs) await this.flush();
    this.clockMs = ms;
  }
  get clock(): number {
    return this.clockMs;
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const t0 = process.hrtime.bigint();
    const db = this.target.db;
    if (this.commitEvery > 0 && !db.inTransaction) db.exec('BEGIN IMMEDIATE');
    let r: AppendResult;
    try {
      r = await this.target.append(this.pending);
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw e;
    }
    this.uncommitted += this.pendingEvents;
    if (db.inTransaction && this.uncommitted >= this.commitEvery) this.commit();
    this.flushMs += Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.position !== this.position) throw new Error(`write-behind: SQLite is at ${r.position}, expected ${this.position} (another writer?)`);
    this.flushes++;
    this.flushedEvents += this.pendingEvents;
    this.pending = [];
    this.pendingStreams = new Set();
    this.pendingIds = new Map();
    this.pendingEvents = 0;
  }

  /** Ends the outer transaction, if one is open. */
  commit(): void {
    if (this.target.db.inTransaction) this.target.db.exec('COMMIT');
    this.uncommitted = 0;
  }

  private versionOf(stream: string): number | undefined {
    const s = this.streams.get(stream);
    return s ? s.length - 1 : undefined;
  }

  async append(requests: AppendRequest[]): Promise<AppendResult> {
    validateAppend(requests);
    for (const r of requests) checkExpectedVersion(r.stream, r.expectedVersion, this.versionOf(r.stream));
    for (const r of requests) for (const e of r.events) if (this.pendingIds.has(e.id)) throw new Error(`write-behind: event ${e.id} appended twice`);
    // One stream at most once per SQLite append, so that the log keeps the command path's order.
    if (requests.some((r) => this.pendingStreams.has(r.stream))) await this.flush();
    const recordedAt = new Date(this.clockMs).toISOString();
    const out: AppendResult['events'] = [];
    const streams: AppendResult['streams'] = [];
    for (const r of requests) {
      let list = this.streams.get(r.stream);
      if (!list) this.streams.set(r.stream, (list = []));
      for (const e of r.events) {
        this.position++;
        list.push({ id: e.id, type: e.type, data: e.data, schemaVersion: e.metadata?.schemaVersion });
        const stored: StoredEvent = { id: e.id, stream: r.stream, streamVersion: list.length - 1, position: this.position, type: e.type, data: e.data, metadata: e.metadata ?? {}, recordedAt };
        this.pendingIds.set(e.id, stored);
        this.index.note(e.type, e.data);
        out.push({ id: e.id, stream: r.stream, streamVersion: list.length - 1, position: this.position, recordedAt });
      }
      streams.push({ stream: r.stream, version: list.length - 1 });
      this.pending.push(r);
      this.pendingStreams.add(r.stream);
      this.pendingEvents += r.events.length;
    }
    if (this.pendingEvents >= this.maxBatchEvents) await this.flush();
    return { events: out, streams, position: this.position, recordedAt };
  }

  async readStream(stream: string): Promise<StoredEvent[]> {
    const list = this.streams.get(stream);
    if (!list) return [];
    return list.map((c, i) => ({ id: c.id, stream, streamVersion: i, position: -1, type: c.type, data: c.data, metadata: { schemaVersion: c.schemaVersion }, recordedAt: '' }));
  }

  async readEvent(id: string): Promise<StoredEvent | undefined> {
    return this.pendingIds.get(id) ?? (await this.target.readEvent(id));
  }

  async streamVersion(stream: string): Promise<number | undefined> {
    return this.versionOf(stream);
  }

  async readAll(fromPosition: number, limit: number): Promise<StoredEvent[]> {
    await this.flush();
    return this.target.readAll(fromPosition, limit);
  }

  async replayAll(fromPosition: number, onEvent: ReplayHandler, options?: ReplayOptions): Promise<number> {
    await this.flush();
    return this.target.replayAll(fromPosition, onEvent, options);
  }

  subscribeToAll(_options: SubscribeOptions): Subscription {
    throw new Error('write-behind store: no subscriptions (generation only)');
  }

  async info(): Promise<StoreInfo> {
    return { kind: 'write-behind', headPosition: this.position, eventCount: this.position };
  }

  async close(): Promise<void> {
    await this.flush();
    this.commit();
  }
}
