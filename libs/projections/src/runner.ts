import { DEFAULT_REPLAY_PAGE, EventStore, ReplayHandler, StoredEvent, Subscription, metadataField, replayByPages } from '../../event-store/src';
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
  error?: string;
}

export interface RunnerOptions {
  /** Keep a local checkpoint of the read models (saved after a long catch-up and on stop). */
  snapshots?: FileSnapshotStore;
  /** Save a snapshot after catching up when at least this many events were read from the log. */
  snapshotAfter?: number;
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
  /** What was applied, for the snapshot — only when a projection cannot list its own facts. */
  private applied: Fact[] = [];
  private readonly keepApplied: boolean;
  private lastEventId = '';
  private restored: ProjectionHealth['restoredFrom'] = null;
  private savedPosition = 0;

  constructor(
    private readonly store: EventStore,
    readonly projections: Projection[],
    private readonly options: RunnerOptions = {},
  ) {
    this.keepApplied = !!options.snapshots && projections.some((p) => typeof p.facts !== 'function');
  }

  /** The facts to snapshot: the projections' own (merged by position, each fact once), or the list kept while applying. */
  private *snapshotFacts(): Iterable<Fact> {
    if (this.keepApplied) {
      yield* this.applied;
      return;
    }
    if (this.projections.length === 1) {
      yield* this.projections[0].facts!();
      return;
    }
    const byPosition = new Map<number, Fact>();
    for (const p of this.projections) for (const f of p.facts!()) byPosition.set(f.position, f);
    yield* [...byPosition.values()].sort((a, b) => a.position - b.position);
  }

  /** Restores the read models from the local snapshot, if there is one that fits this log. */
  private async restore(): Promise<void> {
    const snapshots = this.options.snapshots;
    if (!snapshots) return;
    const head = (await this.store.info()).headPosition;
    const accept = async (h: SnapshotHeader) => h.position <= head && (await this.store.readEvent(h.eventId))?.position === h.position;
    const header = await snapshots.load('readmodels', accept, (f) => {
      for (const p of this.projections) p.apply(f);
      if (this.keepApplied) this.applied.push(f);
    });
    if (!header) {
      for (const p of this.projections) p.reset();
      this.applied = [];
      return;
    }
    this.checkpoint = header.position;
    this.savedPosition = header.position;
    this.lastEventId = header.eventId;
    this.restored = { snapshotPosition: header.position, savedAt: header.savedAt };
  }

  /** Writes the local snapshot of what has been applied (no-op without a snapshot store or when nothing changed). */
  saveSnapshot(): SnapshotHeader | undefined {
    const snapshots = this.options.snapshots;
    if (!snapshots || this.checkpoint === 0 || this.checkpoint === this.savedPosition) return undefined;
    const h = snapshots.save('readmodels', { position: this.checkpoint, eventId: this.lastEventId, savedAt: new Date().toISOString() }, this.snapshotFacts());
    this.savedPosition = this.checkpoint;
    return h;
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
    if (this.options.snapshots && this.checkpoint - from >= (this.options.snapshotAfter ?? 10_000)) this.saveSnapshot();
  }

  private subscribe(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.sub = this.store.subscribeToAll({
        fromPosition: this.checkpoint,
        onEvent: (e) => this.handle(e),
        onLive: () => {
          this.live = true;
          resolve();
        },
        onError: (err) => {
          this.error = err instanceof Error ? err.message : String(err);
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
    if (this.waiters.length) {
      const ready = this.waiters.filter((w) => w.position <= this.checkpoint);
      this.waiters = this.waiters.filter((w) => w.position > this.checkpoint);
      for (const w of ready) w.resolve();
    }
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
      ...(this.error ? { error: this.error } : {}),
    }));
  }

  async stop(): Promise<void> {
    await this.sub?.stop();
    this.sub = undefined;
    this.live = false;
  }
}
