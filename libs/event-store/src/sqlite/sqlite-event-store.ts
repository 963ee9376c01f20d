import { ensurePrivateDir, ensurePrivateFile } from '../private-files';
import Database from 'better-sqlite3';
import { dirname } from 'node:path';
import { closeSync, fdatasync, openSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
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
  validateAppendInSlices,
} from '../event-store.port';
import { catchUpSubscription } from '../subscription';
import { chainHash, GENESIS_HASH, RawEventRow } from '../integrity';
import { LazyMetadata, eventWithLazyMetadata } from '../lazy-metadata';
import { SLICED_APPEND_EVENTS, TimeSlices, eventCount, runSteps } from '../time-slices';
import { LOWER_THREAD_PRIORITY_JS } from '../../../threads/src';

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
/** Page cache during a sliced append (see appendSliced). */
const SLICED_APPEND_CACHE_KIB = 2_048;
/**
 * During a sliced append, the WAL is fsynced off the main thread (libuv's pool) every this many slices,
 * so that the pages SQLite spilled into it are on disk already when the append's own fsync (after
 * COMMIT, also off the main thread) runs. An extra fsync changes nothing else.
 */
const WAL_SYNC_EVERY = 20;
const WAL_AUTOCHECKPOINT_PAGES = 10_000;

/** fsync of the WAL file through its own descriptor, asynchronously (never on the event loop). */
function walSyncer(path: string): { sync(): Promise<void>; close(): void } | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  return {
    sync: () => new Promise<void>((resolve, reject) => fdatasync(fd, (e) => (e ? reject(e) : resolve()))),
    close: () => closeSync(fd),
  };
}

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

/** Where an append's rows go: [position, id, stream, version, type, data, metadata, recordedAt, hash] and [stream, version]. */
interface RowSink {
  insert(row: unknown[]): void;
  upsert(row: unknown[]): void;
}

type WriterMessage = { op: 'begin' } | { op: 'rows'; rows: unknown[][]; upserts: unknown[][] } | { op: 'commit' } | { op: 'rollback' };

const INSERT_SQL = 'INSERT INTO events (position, id, stream, stream_version, type, data, metadata, recorded_at, hash) VALUES (?,?,?,?,?,?,?,?,?)';
const UPSERT_SQL = 'INSERT INTO streams (stream, version) VALUES (?, ?) ON CONFLICT(stream) DO UPDATE SET version = excluded.version';

/** Batches of rows handed over and not yet written that a sliced append may run ahead of the writer. */
const WRITER_AHEAD = 4;

/**
 * The writer thread of a sliced append (see appendThroughWriter): its own connection to the store file,
 * one transaction, rows in batches; every message answered in order ({ ok } or { error }). A process that
 * dies takes the thread and its uncommitted transaction with it: nothing of the append is in the file.
 */
class SliceWriter {
  private next = 0;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private readonly ahead: Array<Promise<void>> = [];
  private failed?: Error;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: { id: number; ok?: true; message?: string; code?: string }) => {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.ok) w?.resolve();
      else w?.reject(Object.assign(new Error(m.message ?? 'the append writer failed'), m.code ? { code: m.code } : {}));
    });
    const fail = (e: Error) => {
      this.failed ??= e;
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the append writer thread ended (exit ${code})`)));
  }

  static start(file: string, synchronous: SqliteSynchronous): SliceWriter | undefined {
    const code = `${LOWER_THREAD_PRIORITY_JS} const D = require(${JSON.stringify(require.resolve('better-sqlite3'))}); const { workerData, parentPort } = require('node:worker_threads');
const db = new D(workerData.file); db.pragma('busy_timeout = 10000'); db.pragma('synchronous = ' + workerData.synchronous); db.pragma('wal_autocheckpoint = 0'); db.pragma('cache_size = -65536');
const insert = db.prepare(workerData.insert); const upsert = db.prepare(workerData.upsert);
let broken;
parentPort.on('message', (m) => {
  try {
    // after a failed batch nothing but a rollback: a COMMIT then would record part of the append
    if (broken && m.op !== 'rollback') throw broken;
    if (m.op === 'begin') db.exec('BEGIN IMMEDIATE');
    else if (m.op === 'rows') { for (const r of m.rows) insert.run(...r); for (const r of m.upserts) upsert.run(...r); }
    else if (m.op === 'commit') db.exec('COMMIT');
    else if (m.op === 'rollback') { if (db.inTransaction) db.exec('ROLLBACK'); }
    parentPort.postMessage({ id: m.id, ok: true });
  } catch (e) { if (m.op !== 'begin') broken = broken || e; parentPort.postMessage({ id: m.id, message: e && e.message, code: e && e.code }); }
  if (m.op === 'commit' || m.op === 'rollback') { db.close(); parentPort.close(); }
});`;
    try {
      return new SliceWriter(new Worker(code, { eval: true, workerData: { file, synchronous, insert: INSERT_SQL, upsert: UPSERT_SQL } }));
    } catch {
      return undefined;
    }
  }

  /** Sends a message and waits for its answer. */
  call(m: WriterMessage): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.next++;
    const answered = new Promise<void>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.worker.postMessage({ ...m, id });
    return answered;
  }

  /** Sends a batch without waiting for it, unless WRITER_AHEAD batches are already on their way. */
  async send(m: WriterMessage): Promise<void> {
    const p = this.call(m);
    p.catch(() => undefined);
    this.ahead.push(p);
    while (this.ahead.length > WRITER_AHEAD) await this.ahead.shift();
  }

  /** Waits for every batch sent; rejects with the first that failed. */
  async drain(): Promise<void> {
    while (this.ahead.length) await this.ahead.shift();
  }

  /** Ends the thread if it did not end itself (after its commit or rollback it closes its connection and exits). */
  close(): void {
    if (!this.failed) void this.worker.terminate();
  }
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
    versionTo: Database.Statement;
  };
  private readonly appendTx: (requests: AppendRequest[], clockMs: number) => AppendResult;
  private readonly file: string;
  private readonly synchronous: SqliteSynchronous;
  private checkpointing = false;
  /**
   * While a sliced append is open (its transaction spans several turns of the event loop), the last
   * committed position: every read of this connection stops there, so that nothing — the subscription's
   * poll, a command deciding, /api/health — sees the rows not yet committed. Undefined otherwise.
   */
  private horizon: number | undefined;
  /** The sliced append in progress: every other append of this process waits for it (the store's write lock). */
  private writing: Promise<void> | undefined;
  /** Where appendSteps writes its rows: this connection's statements (a worker's, for a sliced append to a file). */
  private readonly rowSink: RowSink = {
    insert: (row) => this.stmts.insert.run(...row),
    upsert: (row) => this.stmts.upsertStream.run(...row),
  };

  constructor(options: SqliteEventStoreOptions) {
    if (options.file !== ':memory:') {
      // 0700 data dir, 0600 store: SQLite creates the WAL and SHM files with the database file's mode
      ensurePrivateDir(dirname(options.file));
      ensurePrivateFile(options.file);
      for (const side of ['-wal', '-shm']) ensurePrivateFile(options.file + side, false);
    }
    this.file = options.file;
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    this.synchronous = options.synchronous ?? 'FULL';
    this.db.pragma(`synchronous = ${this.synchronous}`);
    this.db.pragma('busy_timeout = 10000');
    this.db.pragma('foreign_keys = ON');
    // Appends at scale dirty pages of the id and (stream, version) indexes all over the file: keep them
    // in memory (256 MiB instead of SQLite's 2 MiB; a replay shrinks it, see replayAll) and checkpoint
    // the WAL less often (~40 MB instead of ~4 MB), so that a burst of commits rewrites fewer pages.
    // No mmap: mapped pages count in the process's RSS, and a replay reads the whole file.
    this.db.pragma(`cache_size = -${APPEND_CACHE_KIB}`);
    this.db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    this.db.exec(SCHEMA);
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.now = options.now ?? Date.now;
    this.stmts = {
      streamVersion: this.db.prepare('SELECT version FROM streams WHERE stream = ?'),
      eventById: this.db.prepare('SELECT * FROM events WHERE id = ?'),
      // `position <= ?`: the committed horizon while a sliced append is open (see `horizon`), else the maximum
      last: this.db.prepare('SELECT position, recorded_at, hash FROM events WHERE position <= ? ORDER BY position DESC LIMIT 1'),
      hashAt: this.db.prepare('SELECT hash FROM events WHERE position = ? AND position <= ?').pluck(),
      insert: this.db.prepare(
        'INSERT INTO events (position, id, stream, stream_version, type, data, metadata, recorded_at, hash) VALUES (?,?,?,?,?,?,?,?,?)',
      ),
      upsertStream: this.db.prepare(
        'INSERT INTO streams (stream, version) VALUES (?, ?) ON CONFLICT(stream) DO UPDATE SET version = excluded.version',
      ),
      readStream: this.db.prepare('SELECT * FROM events WHERE stream = ? AND position <= ? ORDER BY stream_version'),
      readAll: this.db.prepare('SELECT * FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?'),
      // The replay path: only the columns a reader needs (no hash), rows as arrays.
      replayPage: this.db
        .prepare('SELECT position, id, stream, stream_version, type, data, metadata, recorded_at FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?')
        .raw(true),
      versionTo: this.db.prepare('SELECT MAX(stream_version) FROM events WHERE stream = ? AND position <= ?').pluck(),
    };
    const tx = this.db.transaction((requests: AppendRequest[], clockMs: number) => this.appendInTransaction(requests, clockMs));
    // BEGIN IMMEDIATE: take the write lock first, so two processes never interleave check and write.
    this.appendTx = (requests, clockMs) => tx.immediate(requests, clockMs);
  }

  /** The visible end of the log for reads of this connection (see `horizon`). */
  private get visible(): number {
    return this.horizon ?? Number.MAX_SAFE_INTEGER;
  }

  /**
   * The append, inside its transaction: one step per call of `next()`. With `slices`, it stops (yields)
   * whenever the slice is used up, so that the caller can let the event loop run; without, it never
   * stops. One body for both: an append is checked and written the same way whatever its size.
   */
  private *appendSteps(requests: AppendRequest[], clockMs: number, slices?: TimeSlices, sink: RowSink = this.rowSink): Generator<void, AppendResult> {
    // Idempotency: drop events already stored; if nothing is new, return what was stored.
    const fresh: AppendRequest[] = [];
    const already: StoredEvent[] = [];
    for (const r of requests) {
      const events: AppendRequest['events'] = [];
      for (const e of r.events) {
        const row = this.stmts.eventById.get(e.id) as Row | undefined;
        if (row) already.push(toStored(row));
        else events.push(e);
        if (slices?.due()) yield;
      }
      if (events.length > 0) fresh.push(events.length === r.events.length ? r : { ...r, events });
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
    for (const r of fresh) {
      checkExpectedVersion(r.stream, r.expectedVersion, this.versionOf(r.stream));
      if (slices?.due()) yield;
    }

    const last = this.stmts.last.get(this.visible) as { position: number; recorded_at: string; hash: string } | undefined;
    let position = last?.position ?? 0;
    let prevHash = last?.hash ?? GENESIS_HASH;
    const lastMs = last ? Date.parse(last.recorded_at) : 0;
    const recordedAt = new Date(Math.max(clockMs, lastMs + 1)).toISOString();

    const out: AppendResult['events'] = [];
    const streams: AppendResult['streams'] = [];
    const written = new Set<string>();
    for (const r of fresh) {
      let version = this.versionOf(r.stream) ?? -1;
      for (const e of r.events) {
        position += 1;
        version += 1;
        const data = JSON.stringify(e.data ?? null);
        const metadata = JSON.stringify(e.metadata ?? {});
        const hash = chainHash(prevHash, { id: e.id, stream: r.stream, streamVersion: version, position, type: e.type, data, metadata, recordedAt });
        sink.insert([position, e.id, r.stream, version, e.type, data, metadata, recordedAt, hash]);
        prevHash = hash;
        out.push({ id: e.id, stream: r.stream, streamVersion: version, position, recordedAt });
        if (slices?.due()) yield;
      }
      sink.upsert([r.stream, version]);
      streams.push({ stream: r.stream, version });
      written.add(r.stream);
    }
    // streams whose every event was already stored: their version as it is (a Set: a 150,000-stream import
    // once spent most of its time here, comparing every request with every written stream)
    for (const r of requests) {
      if (!written.has(r.stream)) streams.push({ stream: r.stream, version: this.versionOf(r.stream)! });
    }
    return { events: out, streams, position, recordedAt };
  }

  private appendInTransaction(requests: AppendRequest[], clockMs: number): AppendResult {
    return runSteps(this.appendSteps(requests, clockMs));
  }

  /**
   * A large append (an import: all its rows or none) as ONE transaction written in slices of ~15 ms,
   * the event loop running between them. Safe on the one connection because, meanwhile, (1) every other
   * append of this process waits for it (`writing`), so nothing else joins the transaction, and (2)
   * every read stops at the last committed position (`horizon`), so nothing reads the rows before they
   * are committed. Another process's writers wait on SQLite's lock (busy_timeout) as for any append.
   */
  private async appendSliced(requests: AppendRequest[], options: AppendOptions): Promise<AppendResult> {
    if (this.file !== ':memory:') {
      const writer = SliceWriter.start(this.file, this.synchronous);
      if (writer) return this.appendThroughWriter(requests, options, writer);
    }
    let release!: () => void;
    this.writing = new Promise<void>((r) => (release = r));
    const slices = new TimeSlices();
    // A small page cache while it runs: SQLite then writes the transaction's pages to the WAL as they fill
    // the cache (between slices), instead of all of them at COMMIT (seconds for 200,000 events, in one step).
    this.db.pragma(`cache_size = -${SLICED_APPEND_CACHE_KIB}`);
    const wal = this.file === ':memory:' ? undefined : walSyncer(`${this.file}-wal`);
    // Durable before acknowledged, without the fsync on the main thread: COMMIT at NORMAL (no fsync),
    // then the WAL fdatasync'd off the main thread before anyone — this process's readers, the caller —
    // is told; the horizon holds until then. (A process crash loses nothing either way: the frames are
    // in the OS's cache; a machine crash before the fsync loses an append nobody was told about.)
    const deferSync = !!wal && (this.synchronous === 'FULL' || this.synchronous === 'EXTRA');
    if (deferSync) this.db.pragma('synchronous = NORMAL');
    try {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        this.horizon = (this.stmts.last.get(Number.MAX_SAFE_INTEGER) as { position: number } | undefined)?.position ?? 0;
        const steps = this.appendSteps(requests, clockFor(options, this.now), slices);
        for (;;) {
          const step = steps.next();
          if (step.done) {
            // the checkpoint of this large WAL is done by another connection, off the main thread (see checkpointAside)
            if (wal) this.db.pragma('wal_autocheckpoint = 0');
            this.db.exec('COMMIT');
            if (deferSync) {
              this.db.pragma(`synchronous = ${this.synchronous}`);
              await wal!.sync();
            }
            if (wal) this.checkpointAside();
            return step.value;
          }
          await slices.pause();
          this.assertOpen();
          if (wal && slices.pauses % WAL_SYNC_EVERY === 0) await wal.sync();
        }
      } catch (e) {
        if (this.db.open && this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      } finally {
        this.horizon = undefined;
      }
    } finally {
      if (this.db.open) {
        this.db.pragma(`cache_size = -${APPEND_CACHE_KIB}`);
        if (deferSync && !this.db.inTransaction) this.db.pragma(`synchronous = ${this.synchronous}`);
      }
      wal?.close();
      this.writing = undefined;
      release();
    }
  }

  /**
   * A large append to a file, its transaction on a writer thread's own connection (SliceWriter): this
   * thread checks, numbers, hashes and serialises the rows in slices of ~15 ms and hands them over; the
   * writer inserts them and COMMITs. The COMMIT of a transaction that spilled pages to the WAL re-reads
   * and re-checksums every frame it wrote (SQLite's walRewriteChecksums: ~40,000 pread + pwrite at
   * 225,000 events) — 174-215 ms on a quiet host, 260-430 ms of the main thread at load 3-4, the one
   * /api/health answer over 200 ms of a 150,000-row import; now none of it is on this thread, nor the
   * inserts, nor the fsync (the writer commits at the store's synchronous level: durable before this
   * thread hears of it). This connection sees nothing of it before the COMMIT (WAL: each read sees the
   * last committed state), so no horizon is needed; the writer holds SQLite's write lock from BEGIN
   * IMMEDIATE, and this process's other appends wait on `writing` as before.
   */
  private async appendThroughWriter(requests: AppendRequest[], options: AppendOptions, writer: SliceWriter): Promise<AppendResult> {
    let release!: () => void;
    this.writing = new Promise<void>((r) => (release = r));
    const slices = new TimeSlices();
    let begun = false;
    try {
      await writer.call({ op: 'begin' });
      begun = true;
      let rows: unknown[][] = [];
      let upserts: unknown[][] = [];
      const sink: RowSink = { insert: (row) => void rows.push(row), upsert: (row) => void upserts.push(row) };
      const flush = async () => {
        if (!rows.length && !upserts.length) return;
        const m = { op: 'rows' as const, rows, upserts };
        rows = [];
        upserts = [];
        await writer.send(m);
      };
      const steps = this.appendSteps(requests, clockFor(options, this.now), slices, sink);
      for (;;) {
        const step = steps.next();
        if (step.done) {
          await flush();
          await writer.drain();
          // the checkpoint of this large WAL is done by another connection, off the main thread (see checkpointAside)
          this.db.pragma('wal_autocheckpoint = 0');
          await writer.call({ op: 'commit' });
          begun = false;
          this.checkpointAside();
          return step.value;
        }
        await flush();
        await slices.pause();
        this.assertOpen();
      }
    } catch (e) {
      if (begun) {
        await writer.drain().catch(() => undefined);
        await writer.call({ op: 'rollback' }).catch(() => undefined);
      }
      if (this.db.open && !this.checkpointing) this.db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
      throw e;
    } finally {
      writer.close();
      this.writing = undefined;
      release();
    }
  }

  /**
   * After a sliced append: the WAL holds all of it (hundreds of MB for an import of 150,000 rows), and
   * the automatic checkpoint that COMMIT would run copies it into the database file on the main thread.
   * Instead, a worker thread with its own connection checkpoints it (PASSIVE: readers and writers go on),
   * and the automatic checkpoint is back once it is done (or failed: then it does the work as before).
   */
  private checkpointAside(): void {
    if (this.checkpointing) return;
    const restore = () => {
      this.checkpointing = false;
      if (this.db.open && !this.writing) this.db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    };
    this.checkpointing = true;
    try {
      const code = `${LOWER_THREAD_PRIORITY_JS} const D = require(${JSON.stringify(require.resolve('better-sqlite3'))}); const { workerData, parentPort } = require('node:worker_threads');
const db = new D(workerData.file); db.pragma('busy_timeout = 10000'); try { parentPort.postMessage(db.pragma('wal_checkpoint(PASSIVE)')); } finally { db.close(); }`;
      const worker = new Worker(code, { eval: true, workerData: { file: this.file } });
      worker.unref();
      worker.once('error', restore);
      worker.once('exit', restore);
    } catch {
      restore();
    }
  }

  private versionOf(stream: string): number | undefined {
    const row = this.stmts.streamVersion.get(stream) as { version: number } | undefined;
    return row?.version;
  }

  async append(requests: AppendRequest[], options: AppendOptions = {}): Promise<AppendResult> {
    this.assertOpen();
    // Not inside a transaction the caller opened on this connection (the bench's bulk loader wraps many
    // appends in one): the append then nests as a savepoint, in one step, as before.
    const sliced = eventCount(requests) > SLICED_APPEND_EVENTS && !this.db.inTransaction;
    if (sliced) await validateAppendInSlices(requests, new TimeSlices());
    else validateAppend(requests);
    // the write lock: wait for a sliced append in progress (re-checked: another waiter may start one)
    while (this.writing) await this.writing;
    this.assertOpen();
    const result = sliced ? await this.appendSliced(requests, options) : this.appendTx(requests, clockFor(options, this.now));
    for (const l of this.listeners) l();
    return result;
  }

  async readStream(stream: string): Promise<StoredEvent[]> {
    this.assertOpen();
    return (this.stmts.readStream.all(stream, this.visible) as Row[]).map(toStored);
  }

  async readAll(fromPosition: number, limit: number): Promise<StoredEvent[]> {
    this.assertOpen();
    return (this.stmts.readAll.all(fromPosition, this.visible, limit) as Row[]).map(toStored);
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
      for (const r of this.stmts.replayPage.iterate(position, this.visible, pageSize) as IterableIterator<[number, string, string, number, string, string, string, string]>) {
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
    return row && row.position <= this.visible ? toStored(row) : undefined;
  }

  async streamVersion(stream: string): Promise<number | undefined> {
    this.assertOpen();
    if (this.horizon === undefined) return this.versionOf(stream);
    return (this.stmts.versionTo.get(stream, this.horizon) as number | null) ?? undefined;
  }

  /**
   * The head, one index seek. The count is the head position, as on PostgreSQL: positions are written
   * 1, 2, 3… in one order (a gap is what `verify` reports as events removed). It used to be a COUNT(*)
   * — a scan of the log on every /api/health (twice: the answer and the runner's lag), 15 ms at
   * 225,000 events, ~100 ms while a sliced append held the horizon (a scan of the table rows).
   */
  async info(): Promise<StoreInfo> {
    this.assertOpen();
    const head = (this.stmts.last.get(this.visible) as { position: number } | undefined)?.position ?? 0;
    return { kind: 'sqlite', headPosition: head, eventCount: head };
  }

  async chainHead(): Promise<{ position: number; hash: string } | undefined> {
    this.assertOpen();
    const last = this.stmts.last.get(this.visible) as { position: number; hash: string } | undefined;
    return last ? { position: last.position, hash: last.hash } : undefined;
  }

  async chainHashAt(position: number): Promise<string | undefined> {
    this.assertOpen();
    return (this.stmts.hashAt.get(position, this.visible) as string | undefined) ?? undefined;
  }

  /** Raw rows with their hashes, in position order, for `verify`. */
  *iterateRaw(batch = 5000): Generator<Row> {
    let from = 0;
    for (;;) {
      const rows = this.stmts.readAll.all(from, this.visible, batch) as Row[];
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
    // a sliced append in progress is finished (committed) first, as a single append would have been
    while (this.writing) await this.writing;
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('event store is closed');
  }
}
