import { DEFAULT_REPLAY_PAGE, EventStore, ReplayHandler, StoredEvent, Subscription, TimeSlices, metadataField, replayByPages, writeHeadAnchor } from '../../event-store/src';
import { upcast } from '../../domain/src';
import { Fact, Projection } from './projection';
import { FileSnapshotStore, SnapshotHeader } from './checkpoint/snapshot-store';

export interface ProjectionHealth {
  name: string;
  checkpoint: number;
  head: number;
  lag: number;
  live: boolean;
  /** Where the read model started from at boot: a local snapshot up to this position, or the log from zero. */
  restoredFrom?: { snapshotPosition: number; savedAt: string } | null;
  /** Why the local snapshot found at boot was refused (the read model was then rebuilt from the log). */
  snapshotRefused?: string;
  error?: string;
}

/**
 * Rows the live subscription reads in one step (#22): read back right after a large append is
 * committed, 1,000 rows (the default page) took 70-80 ms of the main thread on a loaded host — one stall.
 */
export const LIVE_PAGE = 200;

export interface RunnerOptions {
  /** Keep a local checkpoint of the read models (saved after a long catch-up and on stop). */
  snapshots?: FileSnapshotStore;
  /** Save a snapshot after catching up when at least this many events were read from the log. */
  snapshotAfter?: number;
  /**
   * Where to record the log's chain head outside the store (head-anchor.ts): written with each snapshot
   * and at most once a second while live events arrive, so that `verify` notices a truncated log.
   */
  headFile?: string;
  /** Where a refused snapshot is reported (default: console.warn). */
  warn?: (message: string) => void;
}

/**
 * Feeds projections from the log: catch up from their checkpoint, then live. Commands wait on
 * `waitFor(position)` so that a client reads its own writes.
 */
export class ProjectionRunner {
  private checkpoint = 0;
  private live = false;
  private sub?: Subscription;
  private error?: string;
  private waiters: Array<{ position: number; resolve: () => void }> = [];
  /**
   * What was applied, in position order, for the snapshot (kept with a snapshot store: one pointer a fact,
   * where merging the projections' own lists by position took a 10^6-entry map and a sort).
   */
  private applied: Fact[] = [];
  private readonly keepApplied: boolean;
  /** The snapshot being written, if any (one at a time). */
  private saving?: Promise<SnapshotHeader | undefined>;
  private lastEventId = '';
  private restored: ProjectionHealth['restoredFrom'] = null;
  private savedPosition = 0;
  private refused?: string;
  private headTimer?: NodeJS.Timeout;
  private headWritten = 0;
  private headWriting?: Promise<void>;
  /** Live events are applied in slices of ~15 ms, the event loop running between them (#22: a 150,000-row import). */
  private readonly slices = new TimeSlices();
  /**
   * Set while the read models hold part of one append only (paused in the middle of a large one):
   * `settled()` then waits, so that no reader sees half an import. The visibility switch.
   */
  private partial?: { waiters: Array<() => void>; timer?: NodeJS.Timeout };
  private lastRecordedAt = '';

  constructor(
    private readonly store: EventStore,
    readonly projections: Projection[],
    private readonly options: RunnerOptions = {},
  ) {
    this.keepApplied = !!options.snapshots;
  }

  /** The key of a snapshot's digest: the log's chain hash at `position` (the event id without a chain). */
  private async anchorAt(position: number, eventId: string): Promise<string | undefined> {
    if (typeof this.store.chainHashAt === 'function') return this.store.chainHashAt(position);
    if (typeof this.store.chainHead === 'function') {
      const head = await this.store.chainHead();
      if (head?.position === position) return head.hash;
      if (head) return undefined;
    }
    return eventId;
  }

  /** Restores the read models from the local snapshot, if there is one that fits this log and verifies. */
  private async restore(): Promise<void> {
    const snapshots = this.options.snapshots;
    if (!snapshots) return;
    const head = (await this.store.info()).headPosition;
    const accept = async (h: SnapshotHeader) => h.position <= head && (await this.store.readEvent(h.eventId))?.position === h.position;
    const { header, refused } = await snapshots.load('readmodels', accept, (h) => this.anchorAt(h.position, h.eventId), (f) => {
      for (const p of this.projections) p.apply(f);
      if (this.keepApplied) this.applied.push(f);
    });
    if (!header) {
      for (const p of this.projections) p.reset();
      this.applied = [];
      if (refused) {
        this.refused = refused;
        (this.options.warn ?? console.warn)(refused);
      }
      return;
    }
    this.checkpoint = header.position;
    this.savedPosition = header.position;
    this.lastEventId = header.eventId;
    this.restored = { snapshotPosition: header.position, savedAt: header.savedAt };
  }

  /**
   * Writes the local snapshot of what has been applied (no-op without a snapshot store or when nothing
   * changed), and the chain-head file. The facts are encoded in slices of the event loop (a live API goes
   * on answering meanwhile); the snapshot is of the position when the call began. One save at a time: a
   * call while one runs waits for it, then saves what was applied since, if anything.
   * `sliced: false` (a stopped runner, the CLI): in one go.
   */
  saveSnapshot(options: { sliced?: boolean } = {}): Promise<SnapshotHeader | undefined> {
    const run = (this.saving ?? Promise.resolve(undefined)).catch(() => undefined).then(() => this.saveNow(options));
    this.saving = run;
    const clear = () => {
      if (this.saving === run) this.saving = undefined;
    };
    run.then(clear, clear);
    return run;
  }

  private async saveNow(options: { sliced?: boolean }): Promise<SnapshotHeader | undefined> {
    await this.writeHead();
    const snapshots = this.options.snapshots;
    if (!snapshots || this.checkpoint === 0 || this.checkpoint === this.savedPosition) return undefined;
    // taken together: handle() moves the checkpoint and appends the fact in one step
    const position = this.checkpoint;
    const eventId = this.lastEventId;
    const count = this.applied.length;
    const facts = this.applied;
    const anchor = await this.anchorAt(position, eventId);
    if (anchor === undefined) return undefined;
    const h = await snapshots.save('readmodels', { position, eventId, savedAt: new Date().toISOString() }, facts, count, anchor, options);
    this.savedPosition = Math.max(this.savedPosition, position);
    return h;
  }

  /** Records the store's chain head in the head file (when configured and the store keeps a chain). */
  private async writeHead(): Promise<void> {
    const file = this.options.headFile;
    if (!file || typeof this.store.chainHead !== 'function') return;
    // one write at a time, in order (a later head is never overwritten by an earlier one)
    const write = (this.headWriting ?? Promise.resolve()).then(async () => {
      const head = await this.store.chainHead!().catch(() => undefined);
      if (!head || head.position === this.headWritten) return;
      await writeHeadAnchor(file, head);
      this.headWritten = head.position;
    });
    this.headWriting = write.catch(() => undefined);
    return write;
  }

  /** After live events: the head file at most once a second. */
  private scheduleHead(): void {
    if (!this.options.headFile || this.headTimer || !this.live) return;
    this.headTimer = setTimeout(() => {
      this.headTimer = undefined;
      this.writeHead().catch((e) => (this.options.warn ?? console.warn)(`chain-head file: ${e instanceof Error ? e.message : String(e)}`));
    }, 1000);
    this.headTimer.unref();
  }

  get position(): number {
    return this.checkpoint;
  }

  /**
   * Resolves when caught up with the log as it was at start (from the local snapshot, if any): the
   * bulk of it through the replay path (large pages, applied synchronously), then the subscription
   * from there on, which delivers what was appended meanwhile and stays live.
   */
  async start(): Promise<void> {
    if (this.checkpoint === 0) await this.restore();
    const from = this.checkpoint;
    await this.replay(this.checkpoint);
    await this.subscribe();
    if (this.options.snapshots && this.checkpoint - from >= (this.options.snapshotAfter ?? 10_000)) await this.saveSnapshot();
    else await this.writeHead();
  }

  private subscribe(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.sub = this.store.subscribeToAll({
        fromPosition: this.checkpoint,
        batchSize: LIVE_PAGE,
        onEvent: (e) => {
          this.handle(e);
          if (this.slices.due()) return this.pauseAfter(e);
        },
        onLive: () => {
          this.live = true;
          resolve();
        },
        onError: (err) => {
          this.error = err instanceof Error ? err.message : String(err);
          this.settle();
          reject(err);
        },
      });
    });
  }

  /** Applies one stored event to every projection (also used by a rebuild without a subscription). */
  handle(e: StoredEvent): void {
    if (e.position <= this.checkpoint) return;
    // fromStored(e), with the two fields of the metadata read without parsing it on the replay path.
    const event = upcast(e.type, Number(metadataField(e, 'schemaVersion') ?? 1), e.data);
    if (event) {
      const fact: Fact = { eventId: e.id, position: e.position, recordedAt: e.recordedAt, stream: e.stream, actor: metadataField(e, 'actor'), event };
      for (const p of this.projections) p.apply(fact, e);
      if (this.keepApplied) this.applied.push(fact);
    }
    this.checkpoint = e.position;
    this.lastEventId = e.id;
    this.lastRecordedAt = e.recordedAt;
    this.scheduleHead();
    if (this.waiters.length) {
      const ready = this.waiters.filter((w) => w.position <= this.checkpoint);
      this.waiters = this.waiters.filter((w) => w.position > this.checkpoint);
      for (const w of ready) w.resolve();
    }
  }

  /**
   * Resolves at once when the read models hold whole appends only; while they hold part of one (a
   * large append applied in slices), when the rest is applied. Readers of the read models wait on it.
   */
  /** Do the read models hold part of one append right now (readers of them must wait for `settled()`)? */
  holding(): boolean {
    return this.partial !== undefined;
  }

  settled(): Promise<void> {
    const p = this.partial;
    if (!p) return Promise.resolve();
    return new Promise((resolve) => p.waiters.push(resolve));
  }

  /** Between two slices of live events: let the event loop run, readers held back if the append `e` belongs to goes on. */
  private async pauseAfter(e: StoredEvent): Promise<void> {
    if (await this.appendGoesOn(e.position, e.recordedAt)) this.partial ??= { waiters: [] };
    else this.settle();
    if (this.partial) this.watchPartial();
    await this.slices.pause();
  }

  /** Does the event after `position` belong to the same append (one append, one recordedAt)? */
  private async appendGoesOn(position: number, recordedAt: string): Promise<boolean> {
    const next = (await this.store.readAll(position, 1))[0];
    return !!next && next.recordedAt === recordedAt;
  }

  /** While readers are held back: as soon as the subscription is idle at the end of the append, let them in. */
  private watchPartial(): void {
    const p = this.partial;
    if (!p || p.timer) return;
    p.timer = setTimeout(async () => {
      p.timer = undefined;
      if (this.partial !== p) return;
      const at = this.checkpoint;
      const goesOn = await this.appendGoesOn(at, this.lastRecordedAt).catch(() => false);
      // events applied meanwhile: the next pause (or check) decides
      if (this.partial === p && this.checkpoint === at && !goesOn) this.settle();
      else this.watchPartial();
    }, 5);
    p.timer.unref?.();
  }

  private settle(): void {
    const p = this.partial;
    if (!p) return;
    this.partial = undefined;
    if (p.timer) clearTimeout(p.timer);
    for (const w of p.waiters) w();
  }

  /** Waits until every event up to `position` has been applied (or the timeout passes). */
  waitFor(position: number, timeoutMs = 10000): Promise<boolean> {
    if (position <= this.checkpoint) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push({ position, resolve: () => (clearTimeout(timer), resolve(true)) });
    });
  }

  /** Rebuilds every projection from position 0 by reading the whole log (the store's replay path). */
  async rebuild(pageSize = DEFAULT_REPLAY_PAGE): Promise<number> {
    await this.stop();
    for (const p of this.projections) p.reset();
    this.checkpoint = 0;
    this.applied = [];
    this.restored = null;
    await this.replay(0, pageSize);
    return this.checkpoint;
  }

  /** Applies everything after `from` through the store's replay path (or pages of readAll, for a source without one). */
  private replay(from: number, pageSize = DEFAULT_REPLAY_PAGE): Promise<number> {
    const onEvent: ReplayHandler = (e) => this.handle(e);
    if (typeof this.store.replayAll === 'function') return this.store.replayAll(from, onEvent, { pageSize });
    return replayByPages((f, limit) => this.store.readAll(f, limit), from, onEvent, { pageSize });
  }

  async health(): Promise<ProjectionHealth[]> {
    const head = (await this.store.info()).headPosition;
    return this.projections.map((p) => ({
      name: p.name,
      checkpoint: this.checkpoint,
      head,
      lag: Math.max(0, head - this.checkpoint),
      live: this.live,
      restoredFrom: this.restored,
      ...(this.refused ? { snapshotRefused: this.refused } : {}),
      ...(this.error ? { error: this.error } : {}),
    }));
  }

  async stop(): Promise<void> {
    if (this.headTimer) clearTimeout(this.headTimer);
    this.headTimer = undefined;
    await this.sub?.stop();
    this.sub = undefined;
    this.live = false;
    this.settle();
  }
}
