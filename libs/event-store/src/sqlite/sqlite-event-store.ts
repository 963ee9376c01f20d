import { ensurePrivateDir, ensurePrivateFile } from '../private-files';
import Database from 'better-sqlite3';
import { dirname } from 'node:path';
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
  SubscribeOptions,
  Subscription,
  checkExpectedVersion,
  clockFor,
  validateAppend,
} from '../event-store.port';
import { catchUpSubscription } from '../subscription';
import { chainHash, GENESIS_HASH, RawEventRow } from '../integrity';
import { LazyMetadata, eventWithLazyMetadata } from '../lazy-metadata';

export type SqliteSynchronous = 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA';

export interface SqliteEventStoreOptions {
  /** Path of the database file; ':memory:' for tests that do not need a file. */
  file: string;
  /**
   * FULL (default): every acknowledged commit is fsynced to the WAL before `append` returns, so it
   * survives a crash of the process and of the machine. NORMAL survives a process crash only.
   */
  synchronous?: SqliteSynchronous;
  /** How often a live subscription looks for events appended by another process (ms). */
  pollIntervalMs?: number;
  /** Clock, for tests of monotonic recordedAt. */
  now?: () => number;
}

/** A row of the events table, as `verify` reads it. */
type Row = RawEventRow;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position       INTEGER PRIMARY KEY,
  id             TEXT    NOT NULL UNIQUE,
  stream         TEXT    NOT NULL,
  stream_version INTEGER NOT NULL,
  type           TEXT    NOT NULL,
  data           TEXT    NOT NULL,
  metadata       TEXT    NOT NULL,
  recorded_at    TEXT    NOT NULL,
  hash           TEXT    NOT NULL,
  UNIQUE (stream, stream_version)
);
CREATE TABLE IF NOT EXISTS streams (
  stream  TEXT PRIMARY KEY,
  version INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS store_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
`;

/** Page cache for appends (KiB); a replay, which reads the file once in order, uses REPLAY_CACHE_KIB. */
const APPEND_CACHE_KIB = 262_144;
const REPLAY_CACHE_KIB = 8_192;

function toStored(r: Row): StoredEvent {
  return {
    id: r.id,
    stream: r.stream,
    streamVersion: r.stream_version,
    position: r.position,
    type: r.type,
    data: JSON.parse(r.data),
    metadata: JSON.parse(r.metadata),
    recordedAt: r.recorded_at,
  };
}

/** The embedded event store: one SQLite file, WAL, durable commits. */
export class SqliteEventStore implements EventStore {
  readonly db: Database.Database;
  private readonly listeners = new Set<() => void>();
  private readonly pollIntervalMs: number;
  private readonly now: () => number;
  private closed = false;
  private readonly stmts: {
    streamVersion: Database.Statement;
    eventById: Database.Statement;
    last: Database.Statement;
    hashAt: Database.Statement;
    insert: Database.Statement;
    upsertStream: Database.Statement;
    readStream: Database.Statement;
    readAll: Database.Statement;
    replayPage: Database.Statement;
    count: Database.Statement;
  };
  private readonly appendTx: (requests: AppendRequest[], clockMs: number) => AppendResult;

  constructor(options: SqliteEventStoreOptions) {
    if (options.file !== ':memory:') {
      // 0700 data dir, 0600 store: SQLite creates the WAL and SHM files with the database file's mode
      ensurePrivateDir(dirname(options.file));
      ensurePrivateFile(options.file);
      for (const side of ['-wal', '-shm']) ensurePrivateFile(options.file + side, false);
    }
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    this.db.pragma('busy_timeout = 10000');
    this.db.pragma('foreign_keys = ON');
    // Appends at scale dirty pages of the id and (stream, version) indexes all over the file: keep them
    // in memory (256 MiB instead of SQLite's 2 MiB; a replay shrinks it, see replayAll) and checkpoint
    // the WAL less often (~40 MB instead of ~4 MB), so that a burst of commits rewrites fewer pages.
    // No mmap: mapped pages count in the process's RSS, and a replay reads the whole file.
    this.db.pragma(`cache_size = -${APPEND_CACHE_KIB}`);
    this.db.pragma('wal_autocheckpoint = 10000');
    this.db.exec(SCHEMA);
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.now = options.now ?? Date.now;
    this.stmts = {
      streamVersion: this.db.prepare('SELECT version FROM streams WHERE stream = ?'),
      eventById: this.db.prepare('SELECT * FROM events WHERE id = ?'),
      last: this.db.prepare('SELECT position, recorded_at, hash FROM events ORDER BY position DESC LIMIT 1'),
      hashAt: this.db.prepare('SELECT hash FROM events WHERE position = ?').pluck(),
      insert: this.db.prepare(
        'INSERT INTO events (position, id, stream, stream_version, type, data, metadata, recorded_at, hash) VALUES (?,?,?,?,?,?,?,?,?)',
      ),
      upsertStream: this.db.prepare(
        'INSERT INTO streams (stream, version) VALUES (?, ?) ON CONFLICT(stream) DO UPDATE SET version = excluded.version',
      ),
      readStream: this.db.prepare('SELECT * FROM events WHERE stream = ? ORDER BY stream_version'),
      readAll: this.db.prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?'),
      // The replay path: only the columns a reader needs (no hash), rows as arrays.
      replayPage: this.db
        .prepare('SELECT position, id, stream, stream_version, type, data, metadata, recorded_at FROM events WHERE position > ? ORDER BY position LIMIT ?')
        .raw(true),
      count: this.db.prepare('SELECT COUNT(*) AS n, COALESCE(MAX(position), 0) AS head FROM events'),
    };
    const tx = this.db.transaction((requests: AppendRequest[], clockMs: number) => this.appendInTransaction(requests, clockMs));
    // BEGIN IMMEDIATE: take the write lock first, so two processes never interleave check and write.
    this.appendTx = (requests, clockMs) => tx.immediate(requests, clockMs);
  }

  private appendInTransaction(requests: AppendRequest[], clockMs: number): AppendResult {
    // Idempotency: drop events already stored; if nothing is new, return what was stored.
    const fresh: AppendRequest[] = [];
    const already: StoredEvent[] = [];
    for (const r of requests) {
      const events = r.events.filter((e) => {
        const row = this.stmts.eventById.get(e.id) as Row | undefined;
        if (row) already.push(toStored(row));
        return !row;
      });
      if (events.length > 0) fresh.push({ ...r, events });
    }
    if (fresh.length === 0) {
      const streams = requests.map((r) => ({ stream: r.stream, version: this.versionOf(r.stream)! }));
      const last = already.reduce((a, b) => (a.position > b.position ? a : b));
      return {
        events: already.map(({ id, stream, streamVersion, position, recordedAt }) => ({ id, stream, streamVersion, position, recordedAt })),
        streams,
        position: last.position,
        recordedAt: last.recordedAt,
      };
    }
    for (const r of fresh) checkExpectedVersion(r.stream, r.expectedVersion, this.versionOf(r.stream));

    const last = this.stmts.last.get() as { position: number; recorded_at: string; hash: string } | undefined;
    let position = last?.position ?? 0;
    let prevHash = last?.hash ?? GENESIS_HASH;
    const lastMs = last ? Date.parse(last.recorded_at) : 0;
    const recordedAt = new Date(Math.max(clockMs, lastMs + 1)).toISOString();

    const out: AppendResult['events'] = [];
    const streams: AppendResult['streams'] = [];
    for (const r of fresh) {
      let version = this.versionOf(r.stream) ?? -1;
      for (const e of r.events) {
        position += 1;
        version += 1;
        const data = JSON.stringify(e.data ?? null);
        const metadata = JSON.stringify(e.metadata ?? {});
        const hash = chainHash(prevHash, { id: e.id, stream: r.stream, streamVersion: version, position, type: e.type, data, metadata, recordedAt });
        this.stmts.insert.run(position, e.id, r.stream, version, e.type, data, metadata, recordedAt, hash);
        prevHash = hash;
        out.push({ id: e.id, stream: r.stream, streamVersion: version, position, recordedAt });
      }
      this.stmts.upsertStream.run(r.stream, version);
      streams.push({ stream: r.stream, version });
    }
    for (const r of requests) {
      if (!streams.some((s) => s.stream === r.stream)) streams.push({ stream: r.stream, version: this.versionOf(r.stream)! });
    }
    return { events: out, streams, position, recordedAt };
  }

  private versionOf(stream: string): number | undefined {
    const row = this.stmts.streamVersion.get(stream) as { version: number } | undefined;
    return row?.version;
  }

  async append(requests: AppendRequest[], options: AppendOptions = {}): Promise<AppendResult> {
    this.assertOpen();
    validateAppend(requests);
    const result = this.appendTx(requests, clockFor(options, this.now));
    for (const l of this.listeners) l();
    return result;
  }

  async readStream(stream: string): Promise<StoredEvent[]> {
    this.assertOpen();
    return (this.stmts.readStream.all(stream) as Row[]).map(toStored);
  }

  async readAll(fromPosition: number, limit: number): Promise<StoredEvent[]> {
    this.assertOpen();
    return (this.stmts.readAll.all(fromPosition, limit) as Row[]).map(toStored);
  }

  /**
   * Rebuilds and catch-up: pages of `pageSize` rows read as arrays (no hash column, no row object),
   * handed over through one reused event object — one JSON.parse per event (data); the metadata is
   * parsed when it is read (see LazyMetadata; `metadataField` reads a field of it without parsing).
   */
  async replayAll(fromPosition: number, onEvent: ReplayHandler, options: ReplayOptions = {}): Promise<number> {
    this.assertOpen();
    const pageSize = options.pageSize ?? DEFAULT_REPLAY_PAGE;
    const metadata = new LazyMetadata();
    const e = eventWithLazyMetadata(metadata, fromPosition);
    let position = fromPosition;
    // A sequential scan gains nothing from a big cache; it would only hold the whole file in memory.
    this.db.pragma(`cache_size = -${REPLAY_CACHE_KIB}`);
    try {
      return await this.replayPages(position, pageSize, onEvent, e, metadata);
    } finally {
      if (!this.closed) {
        this.db.pragma(`cache_size = -${APPEND_CACHE_KIB}`);
        this.db.pragma('shrink_memory');
      }
    }
  }

  private async replayPages(position: number, pageSize: number, onEvent: ReplayHandler, e: StoredEvent, metadata: LazyMetadata): Promise<number> {
    const types = new Map<string, string>();
    for (;;) {
      let n = 0;
      for (const r of this.stmts.replayPage.iterate(position, pageSize) as IterableIterator<[number, string, string, number, string, string, string, string]>) {
        e.position = r[0];
        e.id = r[1];
        e.stream = r[2];
        e.streamVersion = r[3];
        // A handful of types: hand out one string per type rather than one per event (readers keep it).
        // Runs of one type are common: compare with the last one before looking it up.
        if (r[4] !== e.type) {
          let type = types.get(r[4]);
          if (type === undefined) types.set(r[4], (type = r[4]));
          e.type = type;
        }
        e.data = JSON.parse(r[5]);
        metadata.reset(r[6]);
        e.recordedAt = r[7];
        onEvent(e);
        position = r[0];
        n++;
      }
      if (n < pageSize) return position;
      // Between pages, let timers and I/O run (an API catching up still answers its health check).
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.assertOpen();
    }
  }

  async readEvent(id: string): Promise<StoredEvent | undefined> {
    this.assertOpen();
    const row = this.stmts.eventById.get(id) as Row | undefined;
    return row ? toStored(row) : undefined;
  }

  async streamVersion(stream: string): Promise<number | undefined> {
    this.assertOpen();
    return this.versionOf(stream);
  }

  async info(): Promise<StoreInfo> {
    this.assertOpen();
    const { n, head } = this.stmts.count.get() as { n: number; head: number };
    return { kind: 'sqlite', headPosition: head, eventCount: n };
  }

  async chainHead(): Promise<{ position: number; hash: string } | undefined> {
    this.assertOpen();
    const last = this.stmts.last.get() as { position: number; hash: string } | undefined;
    return last ? { position: last.position, hash: last.hash } : undefined;
  }

  async chainHashAt(position: number): Promise<string | undefined> {
    this.assertOpen();
    return (this.stmts.hashAt.get(position) as string | undefined) ?? undefined;
  }

  /** Raw rows with their hashes, in position order, for `verify`. */
  *iterateRaw(batch = 5000): Generator<Row> {
    let from = 0;
    for (;;) {
      const rows = this.stmts.readAll.all(from, batch) as Row[];
      if (rows.length === 0) return;
      for (const r of rows) yield r;
      from = rows[rows.length - 1].position;
    }
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    this.assertOpen();
    return catchUpSubscription({
      readAll: (from, limit) => this.readAll(from, limit),
      onAppended: (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      pollIntervalMs: this.pollIntervalMs,
      ...options,
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('event store is closed');
  }
}
