/**
 * The EventStoreDB adapter of the event-store port.
 *
 * Design (docs/decisions/0003-eventstoredb-adapter.md): the whole port log is ONE EventStoreDB
 * stream, the ledger (default `quanze-ledger`). Each port event is one EventStoreDB event of it,
 * carrying its port stream, stream version, position, recordedAt and hash-chain link in metadata.
 * - Atomic multi-stream append: one `appendToStream` of all the call's events to the ledger, which
 *   EventStoreDB writes atomically.
 * - Expected versions (per port stream) and idempotency (by port event id): checked against the
 *   adapter's view of the ledger, then written with the ledger's expected revision = the view's
 *   head. If anybody appended in between, EventStoreDB refuses, the adapter reads the new events and
 *   decides again. So the checks are exact under concurrency, also across processes; the price is
 *   that all writes are serialised on one stream.
 * - Positions: ledger revision + 1 — dense integers from 1, in append order.
 * - recordedAt: set by the adapter, max(clock, previous + 1 ms), so strictly increasing per call.
 * What is NOT guaranteed is written next to where it matters (see also the decision record).
 */
import {
  AppendOptions,
  clockFor,
  AppendRequest,
  AppendResult,
  EventStore,
  ReplayHandler,
  ReplayOptions,
  replayByPages,
  StoreInfo,
  StoreUnavailableError,
  StoredEvent,
  SubscribeOptions,
  Subscription,
  validateAppend,
} from '../event-store.port';
import { LedgerClient } from './ledger-client';
import { AppendPlan, LedgerIndex, planAppend } from './ledger-index';
import {
  decodeLedgerRecord,
  isEsdbWrongExpectedVersion,
  isTransientEsdbError,
  mapEsdbError,
  revisionOfPosition,
} from './mapping';
import { BackoffOptions, LiveFeed, RetryInfo, resubscribingSubscription } from './resubscribe';

export const DEFAULT_LEDGER_STREAM = 'quanze-ledger';

export interface EventStoreDbOptions {
  /** The EventStoreDB stream that holds the whole port log. Default `quanze-ledger`. */
  ledgerStream?: string;
  /** Clock for recordedAt (ms since the epoch). */
  now?: () => number;
  /** Sleep between retries (tests inject a fake). */
  sleep?: (ms: number) => Promise<void>;
  /** How many times one append may lose the race for the ledger before giving up with StoreUnavailableError. */
  maxAppendAttempts?: number;
  /** Events per read when catching up the view. */
  readPageSize?: number;
  /** Backoff of subscriptions after a drop. */
  subscriptionBackoff?: Partial<BackoffOptions>;
  /** Where retries of subscriptions are reported (default console.warn). */
  log?: (message: string) => void;
}

/** A promise-chain mutex: one holder at a time, in arrival order. */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** Between append attempts. A referenced timer: a one-shot CLI process must not exit in the middle of an append. */
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class EventStoreDbEventStore implements EventStore {
  readonly ledgerStream: string;
  private readonly index = new LedgerIndex();
  private readonly appendLock = new Mutex();
  private readonly syncLock = new Mutex();
  private pendingSync?: Promise<void>;
  private readonly subscriptions = new Set<Subscription>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxAppendAttempts: number;
  private readonly pageSize: number;
  private readonly log: (message: string) => void;
  private closed = false;

  constructor(
    private readonly ledger: LedgerClient,
    private readonly options: EventStoreDbOptions = {},
  ) {
    this.ledgerStream = options.ledgerStream ?? DEFAULT_LEDGER_STREAM;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.maxAppendAttempts = options.maxAppendAttempts ?? 50;
    this.pageSize = options.readPageSize ?? 1000;
    this.log = options.log ?? ((m) => console.warn(m));
  }

  /** Reads the whole ledger into the view. Call once before use (openEventStoreDb does). */
  async init(): Promise<void> {
    await this.guard(() => this.sync());
  }

  // ------------------------------------------------------------------------------------------
  // The view
  // ------------------------------------------------------------------------------------------

  /** Brings the view up to the ledger's end as of now. Concurrent callers share one read where they can. */
  private sync(): Promise<void> {
    // A catch-up that has not started yet covers everyone who asks before it starts.
    if (this.pendingSync) return this.pendingSync;
    const p = this.syncLock.run(async () => {
      if (this.pendingSync === p) this.pendingSync = undefined;
      await this.catchUp();
    });
    this.pendingSync = p;
    return p;
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const records = await this.ledger.read(this.ledgerStream, BigInt(this.index.head), this.pageSize);
      for (const r of records) this.index.apply(decodeLedgerRecord(r));
      if (records.length < this.pageSize) return;
    }
  }

  // ------------------------------------------------------------------------------------------
  // Append
  // ------------------------------------------------------------------------------------------

  async append(requests: AppendRequest[], options: AppendOptions = {}): Promise<AppendResult> {
    this.assertOpen();
    validateAppend(requests);
    // One append at a time per process: they would only make each other lose the ledger race.
    return this.guard(() => this.appendLock.run(() => this.appendOnce(requests, options)));
  }

  private async appendOnce(requests: AppendRequest[], options: AppendOptions = {}): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      await this.sync();
      const plan = planAppend(this.index, requests, clockFor(options, this.now));
      if (plan.kind === 'stored') return this.storedResult(plan.positions, plan.streams);
      try {
        await this.ledger.append(this.ledgerStream, plan.records, plan.expectedRevision);
      } catch (error) {
        if (!isEsdbWrongExpectedVersion(error)) throw error;
        // Another writer appended to the ledger since our view: read it and decide again.
        if (attempt >= this.maxAppendAttempts) {
          throw new StoreUnavailableError(
            `EventStoreDB 账本流写入争用过多：${attempt} 次尝试均被其他写入抢先。请稍后重试；用相同的事件 id 重试是安全的（按 id 幂等）`,
            error,
          );
        }
        await this.sleep(Math.min(50, attempt * 2) * Math.random());
        continue;
      }
      return this.confirm(plan);
    }
  }

  /**
   * After a successful append, read the ledger back and answer with what is stored. Usually that is
   * exactly the plan; but EventStoreDB may have answered "success" idempotently because another
   * process had just written the same event ids at the same place (its idempotency is by event id
   * after the expected revision) — then the stored events, not the plan, are the truth.
   */
  private async confirm(plan: Extract<AppendPlan, { kind: 'write' }>): Promise<AppendResult> {
    try {
      return await this.readBack(plan);
    } catch (error) {
      if (!isTransientEsdbError(error)) throw error;
      // Honest about the one case where the caller's view and the store differ: the write was accepted.
      throw new StoreUnavailableError(
        'EventStoreDB 已接受本次写入，但读回确认时连接中断：写入已生效。请用相同的事件 id 重试以取得结果（按 id 幂等，不会重复写入）',
        error,
      );
    }
  }

  private async readBack(plan: Extract<AppendPlan, { kind: 'write' }>): Promise<AppendResult> {
    await this.sync();
    const positions = plan.events.map((e) => this.index.positionOf(e.id));
    if (positions.some((p) => p === undefined)) {
      throw new StoreUnavailableError('EventStoreDB 确认了写入，但读回时找不到这些事件（读到的不是最新的 leader 数据？）。请稍后用相同的事件 id 重试');
    }
    const stored = await this.eventsAt(positions as number[]);
    const same = stored.every((s, i) => {
      const p = plan.events[i];
      return s.position === p.position && s.stream === p.stream && s.streamVersion === p.streamVersion && s.recordedAt === p.recordedAt;
    });
    if (same) return plan.result;
    const streams = plan.result.streams.map((s) => ({ stream: s.stream, version: this.index.versionOf(s.stream)! }));
    return this.toResult(stored, streams);
  }

  private async storedResult(positions: number[], streams: AppendResult['streams']): Promise<AppendResult> {
    return this.toResult(await this.eventsAt(positions), streams);
  }

  private toResult(stored: StoredEvent[], streams: AppendResult['streams']): AppendResult {
    const last = stored.reduce((a, b) => (a.position > b.position ? a : b));
    return {
      events: stored.map(({ id, stream, streamVersion, position, recordedAt }) => ({ id, stream, streamVersion, position, recordedAt })),
      streams,
      position: last.position,
      recordedAt: last.recordedAt,
    };
  }

  // ------------------------------------------------------------------------------------------
  // Reads
  // ------------------------------------------------------------------------------------------

  /** Events at the given positions, in the given order: from the view's cache, else read in runs of consecutive positions. */
  private async eventsAt(positions: readonly number[]): Promise<StoredEvent[]> {
    const found = new Map<number, StoredEvent>();
    const missing: number[] = [];
    for (const p of positions) {
      const c = this.index.cached(p);
      if (c) found.set(p, c);
      else missing.push(p);
    }
    const sorted = [...new Set(missing)].sort((a, b) => a - b);
    const runs: Array<{ from: number; count: number }> = [];
    for (const p of sorted) {
      const last = runs[runs.length - 1];
      if (last && last.from + last.count === p) last.count += 1;
      else runs.push({ from: p, count: 1 });
    }
    const concurrency = 8;
    for (let i = 0; i < runs.length; i += concurrency) {
      await Promise.all(
        runs.slice(i, i + concurrency).map(async (run) => {
          const records = await this.ledger.read(this.ledgerStream, revisionOfPosition(run.from), run.count);
          for (const r of records) {
            const { hash: _hash, ...e } = decodeLedgerRecord(r);
            found.set(e.position, e);
          }
        }),
      );
    }
    return positions.map((p) => {
      const e = found.get(p);
      if (!e) throw new StoreUnavailableError(`EventStoreDB 读不到账本位置 ${p} 的事件（账本流被截断或删除？）`);
      return e;
    });
  }

  async readStream(stream: string): Promise<StoredEvent[]> {
    this.assertOpen();
    return this.guard(async () => {
      await this.sync();
      return this.eventsAt([...this.index.positionsOf(stream)]);
    });
  }

  async readAll(fromPosition: number, limit: number): Promise<StoredEvent[]> {
    this.assertOpen();
    const from = Math.max(0, Math.floor(fromPosition));
    const max = Math.floor(limit);
    if (!(max > 0)) return [];
    return this.guard(async () => {
      const records = await this.ledger.read(this.ledgerStream, BigInt(from), max);
      return records.map((r) => {
        const { hash: _hash, ...e } = decodeLedgerRecord(r);
        return e;
      });
    });
  }

  /** No faster way through the ledger than its pages: `readAll` page by page. */
  replayAll(fromPosition: number, onEvent: ReplayHandler, options?: ReplayOptions): Promise<number> {
    this.assertOpen();
    return replayByPages((from, limit) => this.readAll(from, limit), fromPosition, onEvent, options);
  }

  async readEvent(id: string): Promise<StoredEvent | undefined> {
    this.assertOpen();
    return this.guard(async () => {
      await this.sync();
      const p = this.index.positionOf(id);
      return p === undefined ? undefined : (await this.eventsAt([p]))[0];
    });
  }

  async streamVersion(stream: string): Promise<number | undefined> {
    this.assertOpen();
    return this.guard(async () => {
      await this.sync();
      return this.index.versionOf(stream);
    });
  }

  async info(): Promise<StoreInfo> {
    this.assertOpen();
    return this.guard(async () => {
      await this.sync();
      // Every ledger event is one port event and positions are dense: the head is the count.
      return { kind: 'eventstoredb', headPosition: this.index.head, eventCount: this.index.eventCount };
    });
  }

  // ------------------------------------------------------------------------------------------
  // Subscriptions
  // ------------------------------------------------------------------------------------------

  subscribeToAll(options: SubscribeOptions): Subscription {
    this.assertOpen();
    const sub = resubscribingSubscription({
      ...options,
      readAll: (from, limit) => this.readAll(from, limit),
      openFeed: (after) => this.openFeed(after),
      isTransient: isTransientEsdbError,
      mapError: mapEsdbError,
      sleep: this.options.sleep,
      backoff: this.options.subscriptionBackoff,
      onRetry: (info: RetryInfo) =>
        this.log(
          `EventStoreDB 订阅中断，${info.delayMs} ms 后从位置 ${info.position} 重新订阅（第 ${info.attempt} 次）：${
            info.error instanceof Error ? info.error.message : String(info.error)
          }`,
        ),
    });
    const tracked: Subscription = {
      stop: async () => {
        this.subscriptions.delete(tracked);
        await sub.stop();
      },
    };
    this.subscriptions.add(tracked);
    return tracked;
  }

  private openFeed(afterPosition: number): LiveFeed {
    // Subscriptions are exclusive of their start: after position p (revision p-1) comes revision p.
    const sub = this.ledger.subscribe(this.ledgerStream, afterPosition === 0 ? 'start' : revisionOfPosition(afterPosition));
    return {
      async *[Symbol.asyncIterator]() {
        for await (const r of sub) {
          const { hash: _hash, ...e } = decodeLedgerRecord(r);
          yield e;
        }
      },
      close: () => sub.close(),
    };
  }

  // ------------------------------------------------------------------------------------------

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.ledger.dispose();
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw mapEsdbError(error);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('event store is closed');
  }
}
