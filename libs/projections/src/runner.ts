import { EventStore, StoredEvent, Subscription } from '../../event-store/src';
import { fromStored } from '../../domain/src';
import { Fact, Projection } from './projection';

export interface ProjectionHealth {
  name: string;
  checkpoint: number;
  head: number;
  lag: number;
  live: boolean;
  error?: string;
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

  constructor(
    private readonly store: EventStore,
    readonly projections: Projection[],
  ) {}

  get position(): number {
    return this.checkpoint;
  }

  /** Resolves when caught up with the log as it was at start. */
  start(): Promise<void> {
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
    const event = fromStored(e);
    if (event) {
      const fact: Fact = { eventId: e.id, position: e.position, recordedAt: e.recordedAt, stream: e.stream, actor: e.metadata?.actor, event };
      for (const p of this.projections) p.apply(fact, e);
    }
    this.checkpoint = e.position;
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

  /** Rebuilds every projection from position 0 by reading the whole log. */
  async rebuild(batch = 5000): Promise<number> {
    await this.stop();
    for (const p of this.projections) p.reset();
    this.checkpoint = 0;
    for (;;) {
      const events = await this.store.readAll(this.checkpoint, batch);
      if (events.length === 0) break;
      for (const e of events) this.handle(e);
    }
    return this.checkpoint;
  }

  async health(): Promise<ProjectionHealth[]> {
    const head = (await this.store.info()).headPosition;
    return this.projections.map((p) => ({ name: p.name, checkpoint: this.checkpoint, head, lag: Math.max(0, head - this.checkpoint), live: this.live, ...(this.error ? { error: this.error } : {}) }));
  }

  async stop(): Promise<void> {
    await this.sub?.stop();
    this.sub = undefined;
    this.live = false;
  }
}
