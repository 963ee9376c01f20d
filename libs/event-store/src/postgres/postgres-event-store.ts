/**
 * The event store on PostgreSQL (and databases that speak its SQL and wire protocol), behind the same
 * port as the SQLite store, with the same hash chain.
 *
 * Positions are assigned under one row lock (`quanze_head ... FOR UPDATE`), held until COMMIT: an
 * append reads the head (position, hash, recordedAt) under the lock, checks idempotency and expected
 * versions, inserts its events at head+1…, moves the head and commits. So positions are dense (no
 * sequence, no gaps) and transactions commit in position order: a reader that sees position N+1 also
 * sees N (N's commit became visible before its lock was released, the lock N+1 waited for). A
 * catch-up reader therefore never passes an event that commits later — the problem of sequences that
 * Marten's high-water mark and Message DB handle — and the hash chain links each event to the one
 * before it in the log, as in SQLite (decision 0010). The subscription also refuses to pass a hole in
 * the positions should one ever appear (it waits, and reports it).
 *
 * NOTIFY quanze_events (sent at commit) wakes the subscriptions of every process; a slow poll is the
 * fallback. Connection failures become StoreUnavailableError (the API answers 503 with Retry-After)
 * and the next call connects again, to the first host of the connection string that accepts writes.
 */
import type { Client, Pool, PoolClient } from 'pg';
import { loadPg } from './pg-client';
import {
  AppendOptions,
  AppendRequest,
  AppendResult,
  DEFAULT_REPLAY_PAGE,
  EventStore,
  ReplayHandler,
  ReplayOptions,
  StoredEvent,
  StoreInfo,
  StoreUnavailableError,
  SubscribeOptions,
  Subscription,
  checkExpectedVersion,
  clockFor,
  validateAppend,
  validateAppendInSlices,
} from '../event-store.port';
import { SLICED_APPEND_EVENTS, TimeSlices, eventCount } from '../time-slices';
import { catchUpSubscription } from '../subscription';
import { chainHash, GENESIS_HASH, RawEventRow } from '../integrity';
import { LazyMetadata, eventWithLazyMetadata } from '../lazy-metadata';
import { PgTarget, findHost, isTransientPgError, parsePgTarget } from './connection';

export interface PostgresEventStoreOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** How long one connection attempt may take (ms, default 3000). */
  connectTimeoutMs?: number;
  /** Fallback poll of a live subscription when no notification arrives (ms, default 1000). */
  pollIntervalMs?: number;
  /** Clock, for tests. */
  now?: () => number;
  log?: (message: string) => void;
  /** Tests only: runs inside the append's transaction after its INSERT, before COMMIT (to stretch it). */
  beforeCommit?: () => Promise<void>;
}

/** The schema: plain tables, text columns (the JSON exactly as hashed), two indexes. */
export const PG_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS quanze_events (
    position       bigint  NOT NULL PRIMARY KEY,
    id             text    NOT NULL UNIQUE,
    stream         text    NOT NULL,
    stream_version integer NOT NULL,
    type           text    NOT NULL,
    data           text    NOT NULL,
    metadata       text    NOT NULL,
    recorded_at    text    NOT NULL,
    hash           text    NOT NULL,
    UNIQUE (stream, stream_version)
  )`,
  `CREATE TABLE IF NOT EXISTS quanze_head (
    id          integer NOT NULL PRIMARY KEY CHECK (id = 1),
    position    bigint  NOT NULL,
    hash        text    NOT NULL,
    recorded_at text    NOT NULL
  )`,
  `INSERT INTO quanze_head (id, position, hash, recorded_at) SELECT 1, 0, '${GENESIS_HASH}', '' WHERE NOT EXISTS (SELECT 1 FROM quanze_head)`,
];

const CHANNEL = 'quanze_events';
/** Serialises schema creation between processes that start at once. */
const SCHEMA_LOCK = 7_263_001;
const COLUMNS = 'position, id, stream, stream_version, type, data, metadata, recorded_at';
/** Rows per INSERT (9 parameters each; PostgreSQL allows 65,535 per statement). */
const INSERT_CHUNK = 5000;

type Row = [string, string, string, number, string, string, string, string];

function toStored(r: Row): StoredEvent {
  return {
    id: r[1],
    stream: r[2],
    streamVersion: r[3],
    position: Number(r[0]),
    type: r[4],
    data: JSON.parse(r[5]),
    metadata: JSON.parse(r[6]),
    recordedAt: r[7],
  };
}

export class PostgresEventStore implements EventStore {
  private readonly target: PgTarget;
  private pool?: Pool;
  private host?: string;
  private connecting?: Promise<Pool>;
  private readonly poolSize: number;
  private readonly connectTimeoutMs: number;
  private readonly pollIntervalMs: number;
  private readonly now: () => number;
  private readonly log: (m: string) => void;
  private readonly listeners = new Set<() => void>();
  private listener?: Client;
  private listenerRetry?: NodeJS.Timeout;
  private closed = false;
  private readonly beforeCommit?: () => Promise<void>;

  constructor(connectionString: string, options: PostgresEventStoreOptions = {}) {
    this.target = parsePgTarget(connectionString);
    this.poolSize = options.poolSize ?? 10;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 3000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => undefined);
    this.beforeCommit = options.beforeCommit;
  }

  get shown(): string {
    return this.target.shown;
  }

  /** Connects and creates the tables when missing. */
  async init(): Promise<void> {
    await this.withClient(async (c) => {
      const exists = await c.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'quanze_head' AND table_schema = current_schema()");
      if (exists.rowCount) return;
      await c.query('BEGIN');
      try {
        await c.query(`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK})`);
        for (const sql of PG_SCHEMA) await c.query(sql);
        await c.query('COMMIT');
      } catch (e) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
  }

  // -- connections --------------------------------------------------------------------------

  private getPool(): Promise<Pool> {
    if (this.closed) return Promise.reject(new Error('event store is closed'));
    if (this.pool) return Promise.resolve(this.pool);
    this.connecting ??= (async () => {
      try {
        const host = await findHost(this.target, this.connectTimeoutMs);
        const pool = new (loadPg().Pool)({ connectionString: host, max: this.poolSize, connectionTimeoutMillis: this.connectTimeoutMs, idleTimeoutMillis: 30_000 });
        // An idle connection that breaks (server gone) is reported here: drop the pool, reconnect on next use.
        pool.on('error', (e) => this.dropPool(pool, e));
        if (this.closed) {
          await pool.end();
          throw new Error('event store is closed');
        }
        if (this.host !== undefined && this.host !== host) this.log(`PostgreSQL：已切换到 ${host.replace(/\/\/[^@/]*@/, '//***@')}`);
        this.host = host;
        this.pool = pool;
        return pool;
      } finally {
        this.connecting = undefined;
      }
    })();
    return this.connecting;
  }

  private dropPool(pool: Pool, why: unknown): void {
    if (this.pool !== pool) return;
    this.pool = undefined;
    this.log(`PostgreSQL 连接中断，将重新连接：${why instanceof Error ? why.message : String(why)}`);
    pool.end().catch(() => undefined);
  }

  /** Runs `fn` on a pooled connection; a connection failure becomes StoreUnavailableError. */
  private async withClient<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    this.assertOpen();
    let pool: Pool;
    let client: PoolClient;
    try {
      pool = await this.getPool();
      client = await pool.connect();
    } catch (e) {
      throw this.unavailable(e);
    }
    let broken = false;
    // A checked-out connection that breaks between two queries emits 'error' on itself (not on the
    // pool): without a listener that would end the process. The query in flight fails on its own.
    const onError = (e: unknown) => {
      broken = true;
      this.dropPool(pool, e);
    };
    client.on('error', onError);
    try {
      return await fn(client);
    } catch (e) {
      if (isTransientPgError(e)) {
        // A conflict to retry leaves the connection sound; anything else: reconnect, maybe elsewhere.
        const code = (e as { code?: string }).code;
        if (code !== '40001' && code !== '40P01' && code !== '53300') {
          broken = true;
          this.dropPool(pool, e);
        }
        throw this.unavailable(e);
      }
      throw e;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  private unavailable(e: unknown): Error {
    if (e instanceof StoreUnavailableError) return e;
    if (!isTransientPgError(e) && this.closed) return e as Error;
    const reason = e instanceof Error ? e.message || (e as { code?: string }).code : String(e);
    return new StoreUnavailableError(`PostgreSQL 事件库暂不可用（${this.target.shown}）：${reason}`, e);
  }

  // -- append -------------------------------------------------------------------------------

  async append(requests: AppendRequest[], options: AppendOptions = {}): Promise<AppendResult> {
    // a large append (an import): validated, hashed and sent in slices, the event loop running between them
    const slices = eventCount(requests) > SLICED_APPEND_EVENTS ? new TimeSlices() : undefined;
    if (slices) await validateAppendInSlices(requests, slices);
    else validateAppend(requests);
    const clockMs = clockFor(options, this.now);
    const result = await this.withClient(async (c) => {
      // BEGIN and the head lock in one round trip; every later statement sees what committed before.
      const res = (await c.query('BEGIN; SELECT position, hash, recorded_at FROM quanze_head WHERE id = 1 FOR UPDATE')) as unknown as Array<{ rows: any[] }>;
      try {
        const head = res[1].rows[0] as { position: string; hash: string; recorded_at: string };
        return await this.appendLocked(c, requests, clockMs, head, slices);
      } catch (e) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
    for (const l of this.listeners) l();
    return result;
  }

  private async appendLocked(c: PoolClient, requests: AppendRequest[], clockMs: number, head: { position: string; hash: string; recorded_at: string }, slices?: TimeSlices): Promise<AppendResult> {
    const ids = requests.flatMap((r) => r.events.map((e) => e.id));
    const streamNames = requests.map((r) => r.stream);
    const found = await c.query({
      text:
        'SELECT 0 AS k, id, stream, stream_version, position, recorded_at FROM quanze_events WHERE id = ANY($1::text[]) ' +
        'UNION ALL SELECT 1, NULL, stream, MAX(stream_version), NULL, NULL FROM quanze_events WHERE stream = ANY($2::text[]) GROUP BY stream',
      values: [ids, streamNames],
    });
    const stored = new Map<string, { id: string; stream: string; streamVersion: number; position: number; recordedAt: string }>();
    const versions = new Map<string, number>();
    for (const row of found.rows) {
      if (Number(row.k) === 0) stored.set(row.id, { id: row.id, stream: row.stream, streamVersion: row.stream_version, position: Number(row.position), recordedAt: row.recorded_at });
      else versions.set(row.stream, row.stream_version);
    }
    const fresh = requests.map((r) => ({ ...r, events: r.events.filter((e) => !stored.has(e.id)) })).filter((r) => r.events.length > 0);
    if (fresh.length === 0) {
      await c.query('ROLLBACK');
      const already = ids.map((id) => stored.get(id)!);
      const last = already.reduce((a, b) => (a.position > b.position ? a : b));
      return { events: already, streams: requests.map((r) => ({ stream: r.stream, version: versions.get(r.stream)! })), position: last.position, recordedAt: last.recordedAt };
    }
    for (const r of fresh) checkExpectedVersion(r.stream, r.expectedVersion, versions.get(r.stream));

    let position = Number(head.position);
    let prevHash = head.hash;
    const lastMs = head.recorded_at ? Date.parse(head.recorded_at) : 0;
    const recordedAt = new Date(Math.max(clockMs, lastMs + 1)).toISOString();
    const out: AppendResult['events'] = [];
    const streams: AppendResult['streams'] = [];
    const rows: unknown[][] = [];
    const written = new Set<string>();
    for (const r of fresh) {
      let version = versions.get(r.stream) ?? -1;
      for (const e of r.events) {
        position += 1;
        version += 1;
        const data = JSON.stringify(e.data ?? null);
        const metadata = JSON.stringify(e.metadata ?? {});
        const hash = chainHash(prevHash, { id: e.id, stream: r.stream, streamVersion: version, position, type: e.type, data, metadata, recordedAt });
        rows.push([position, e.id, r.stream, version, e.type, data, metadata, recordedAt, hash]);
        prevHash = hash;
        out.push({ id: e.id, stream: r.stream, streamVersion: version, position, recordedAt });
        if (slices?.due()) await slices.pause();
      }
      streams.push({ stream: r.stream, version });
      written.add(r.stream);
    }
    // a Set, not a search of `streams` per request (quadratic: minutes for an import of 150,000 streams)
    for (const r of requests) if (!written.has(r.stream)) streams.push({ stream: r.stream, version: versions.get(r.stream)! });
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      const values: unknown[] = [];
      const tuples = chunk.map((row, j) => {
        values.push(...row);
        const b = j * 9;
        return `($${b + 1},$${b + 2},$${b + 3},$${b + 4},$${b + 5},$${b + 6},$${b + 7},$${b + 8},$${b + 9})`;
      });
      await c.query({ text: `INSERT INTO quanze_events (${COLUMNS}, hash) VALUES ${tuples.join(',')}`, values });
      if (slices?.due()) await slices.pause();
    }
    if (this.beforeCommit) await this.beforeCommit();
    // Safe to inline: an integer, a hex digest and an ISO instant made here.
    if (!/^[0-9a-f]{64}$/.test(prevHash) || !/^[0-9TZ:.-]+$/.test(recordedAt)) throw new Error('internal: unexpected head');
    await c.query(`UPDATE quanze_head SET position = ${position}, hash = '${prevHash}', recorded_at = '${recordedAt}' WHERE id = 1; NOTIFY ${CHANNEL}; COMMIT`);
    return { events: out, streams, position, recordedAt };
  }

  // -- reads --------------------------------------------------------------------------------

  private async rows(text: string, values: unknown[]): Promise<Row[]> {
    return this.withClient(async (c) => (await c.query({ text, values, rowMode: 'array' })).rows as Row[]);
  }

  async readStream(stream: string): Promise<StoredEvent[]> {
    return (await this.rows(`SELECT ${COLUMNS} FROM quanze_events WHERE stream = $1 ORDER BY stream_version`, [stream])).map(toStored);
  }

  async readAll(fromPosition: number, limit: number): Promise<StoredEvent[]> {
    return (await this.rows(`SELECT ${COLUMNS} FROM quanze_events WHERE position > $1 ORDER BY position LIMIT $2`, [fromPosition, limit])).map(toStored);
  }

  /**
   * Rebuilds: pages of `pageSize` rows as arrays, the next page asked for while this one is handed
   * over, one reused event object with its metadata parsed when read (as in SQLite).
   */
  async replayAll(fromPosition: number, onEvent: ReplayHandler, options: ReplayOptions = {}): Promise<number> {
    const pageSize = options.pageSize ?? DEFAULT_REPLAY_PAGE;
    const metadata = new LazyMetadata();
    const e = eventWithLazyMetadata(metadata, fromPosition);
    const types = new Map<string, string>();
    const page = (from: number) => this.rows(`SELECT ${COLUMNS} FROM quanze_events WHERE position > $1 ORDER BY position LIMIT $2`, [from, pageSize]);
    let position = fromPosition;
    let next = page(position);
    for (;;) {
      const rows = await next;
      if (rows.length === pageSize) next = page(Number(rows[rows.length - 1][0]));
      for (const r of rows) {
        e.position = Number(r[0]);
        e.id = r[1];
        e.stream = r[2];
        e.streamVersion = r[3];
        if (r[4] !== e.type) {
          let type = types.get(r[4]);
          if (type === undefined) types.set(r[4], (type = r[4]));
          e.type = type;
        }
        e.data = JSON.parse(r[5]);
        metadata.reset(r[6]);
        e.recordedAt = r[7];
        onEvent(e);
        position = e.position;
      }
      if (rows.length < pageSize) return position;
    }
  }

  async readEvent(id: string): Promise<StoredEvent | undefined> {
    const rows = await this.rows(`SELECT ${COLUMNS} FROM quanze_events WHERE id = $1`, [id]);
    return rows[0] ? toStored(rows[0]) : undefined;
  }

  async streamVersion(stream: string): Promise<number | undefined> {
    return this.withClient(async (c) => {
      const r = await c.query('SELECT MAX(stream_version) AS v FROM quanze_events WHERE stream = $1', [stream]);
      return r.rows[0]?.v ?? undefined;
    });
  }

  /** Positions are dense (assigned under the head lock): the count is the head, no COUNT(*) scan. */
  async info(): Promise<StoreInfo> {
    const head = await this.chainHead();
    return { kind: 'postgres', headPosition: head?.position ?? 0, eventCount: head?.position ?? 0 };
  }

  async chainHead(): Promise<{ position: number; hash: string } | undefined> {
    return this.withClient(async (c) => {
      const r = await c.query('SELECT position, hash FROM quanze_head WHERE id = 1');
      const p = Number(r.rows[0]?.position ?? 0);
      return p > 0 ? { position: p, hash: r.rows[0].hash } : undefined;
    });
  }

  async chainHashAt(position: number): Promise<string | undefined> {
    return this.withClient(async (c) => {
      const r = await c.query('SELECT hash FROM quanze_events WHERE position = $1', [position]);
      return (r.rows[0]?.hash as string | undefined) ?? undefined;
    });
  }

  /** Raw rows with their hashes, in position order, for `verify`. */
  async *iterateRaw(batch = 5000): AsyncGenerator<RawEventRow> {
    let from = 0;
    for (;;) {
      const rows = await this.withClient(
        async (c) => (await c.query(`SELECT ${COLUMNS}, hash FROM quanze_events WHERE position > $1 ORDER BY position LIMIT $2`, [from, batch])).rows,
      );
      if (rows.length === 0) return;
      for (const r of rows) yield { ...r, position: Number(r.position) } as RawEventRow;
      from = Number(rows[rows.length - 1].position);
    }
  }

  // -- subscriptions ------------------------------------------------------------------------

  /**
   * Catch-up then live, woken by NOTIFY. While the store is unavailable it retries (1 s, then up
   * to 5 s apart) instead of ending; it never hands over an event past a hole in the positions.
   */
  subscribeToAll(options: SubscribeOptions): Subscription {
    this.assertOpen();
    let stopped = false;
    let wakeRetry: (() => void) | undefined;
    const pause = (ms: number) =>
      new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms);
        wakeRetry = () => (clearTimeout(t), resolve());
      });
    const readAll = async (from: number, limit: number): Promise<StoredEvent[]> => {
      let delay = 1000;
      for (;;) {
        if (stopped) return [];
        try {
          const events = await this.readAll(from, limit);
          let n = 0;
          while (n < events.length && events[n].position === from + n + 1) n++;
          if (n < events.length) this.log(`PostgreSQL：位置 ${from + n + 1} 之前有空洞，订阅暂停等待`);
          return n === events.length ? events : events.slice(0, n);
        } catch (e) {
          if (!(e instanceof StoreUnavailableError) || stopped) throw e;
          this.log(`PostgreSQL 订阅：${e.message}；${delay} ms 后重试`);
          await pause(delay);
          delay = Math.min(delay * 2, 5000);
        }
      }
    };
    this.ensureListener();
    const sub = catchUpSubscription({
      readAll,
      onAppended: (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      pollIntervalMs: this.pollIntervalMs,
      ...options,
    });
    return {
      stop: async () => {
        stopped = true;
        wakeRetry?.();
        await sub.stop();
      },
    };
  }

  /** One LISTEN connection per store, reconnected while the store is open. */
  private ensureListener(): void {
    if (this.listener || this.listenerRetry || this.closed) return;
    const retry = () => {
      this.listener = undefined;
      if (this.closed || this.listenerRetry) return;
      this.listenerRetry = setTimeout(() => {
        this.listenerRetry = undefined;
        this.ensureListener();
      }, 1000);
      this.listenerRetry.unref();
    };
    (async () => {
      const host = this.host ?? (await findHost(this.target, this.connectTimeoutMs));
      const c = new (loadPg().Client)({ connectionString: host, connectionTimeoutMillis: this.connectTimeoutMs });
      this.listener = c;
      c.on('error', () => retry());
      c.on('end', () => retry());
      c.on('notification', () => {
        for (const l of this.listeners) l();
      });
      await c.connect();
      if (this.closed) return void (await c.end());
      await c.query(`LISTEN ${CHANNEL}`);
      // Whatever was appended while the listener was away: wake everyone once.
      for (const l of this.listeners) l();
    })().catch(() => {
      const c = this.listener;
      this.listener = undefined;
      c?.end().catch(() => undefined);
      retry();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    if (this.listenerRetry) clearTimeout(this.listenerRetry);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.connecting?.catch(() => undefined);
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end().catch(() => undefined);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('event store is closed');
  }
}

/** Opens the store named by a postgres:// (or postgresql://) URL: connects, creates the tables when missing. */
export async function openPostgresEventStore(connectionString: string, options: PostgresEventStoreOptions = {}): Promise<PostgresEventStore> {
  const store = new PostgresEventStore(connectionString, options);
  try {
    await store.init();
  } catch (e) {
    await store.close().catch(() => undefined);
    if (e instanceof StoreUnavailableError) throw new StoreUnavailableError(`无法连接 PostgreSQL（${store.shown}）：${e.message}。请确认服务器已启动、地址与端口正确`, e);
    throw e;
  }
  return store;
}
