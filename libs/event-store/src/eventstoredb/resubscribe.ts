/**
 * subscribeToAll over EventStoreDB: catch up by paged reads from a checkpoint, go live on a server
 * subscription, and when that drops, wait (exponential backoff, capped) and start again from the
 * last delivered position. The checkpoint advances only after the handler settles, and every event
 * is checked against it, so nothing is delivered twice and nothing is skipped: a duplicate is
 * dropped, a gap makes the loop re-read from the checkpoint.
 */
import { StoredEvent, SubscribeOptions, Subscription } from '../event-store.port';

export interface BackoffOptions {
  /** Delay before the first retry (ms). */
  initialMs: number;
  /** Upper bound of any delay (ms). */
  maxMs: number;
  factor: number;
  /** A live subscription that lasted this long counts as healthy: the next drop starts the backoff over. */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 10_000, factor: 2, resetAfterMs: 30_000 };

/** Delay before retry number `attempt` (1-based): initial × factor^(attempt-1), capped at maxMs. */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const n = Math.max(1, Math.floor(attempt));
  return Math.min(options.maxMs, options.initialMs * Math.pow(options.factor, n - 1));
}

/** A server push of events after some position (already decoded); `close` ends it. */
export interface LiveFeed extends AsyncIterable<StoredEvent> {
  close(): Promise<void>;
}

export interface RetryInfo {
  attempt: number;
  delayMs: number;
  position: number;
  error: unknown;
}

export interface ResubscribeSource {
  /** Events with position > fromPosition, in order, at most limit. */
  readAll(fromPosition: number, limit: number): Promise<StoredEvent[]>;
  /** A live feed of the events with position > afterPosition. */
  openFeed(afterPosition: number): LiveFeed;
  /** Whether a failure is worth a retry (server unreachable, leader change, …). */
  isTransient(error: unknown): boolean;
  /** Maps a failure before it reaches onError. */
  mapError?: (error: unknown) => unknown;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  backoff?: Partial<BackoffOptions>;
  onRetry?: (info: RetryInfo) => void;
}

class HandlerFailed {
  constructor(readonly error: unknown) {}
}

/** The feed skipped an event: re-read from the checkpoint (never deliver past a gap). */
export class SubscriptionGapError extends Error {
  constructor(readonly after: number, readonly got: number) {
    super(`subscription delivered position ${got} after ${after}: re-reading from ${after}`);
    this.name = 'SubscriptionGapError';
  }
}

/** The server ended the subscription without an error: treated as a drop. */
export class SubscriptionEndedError extends Error {
  constructor() {
    super('the server ended the subscription');
    this.name = 'SubscriptionEndedError';
  }
}

const realSleep = (ms: number) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref?.();
  });

export function resubscribingSubscription(options: ResubscribeSource & SubscribeOptions): Subscription {
  const backoff: BackoffOptions = { ...DEFAULT_BACKOFF, ...options.backoff };
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const batchSize = options.batchSize ?? 1000;
  let position = options.fromPosition;
  let stopped = false;
  let feed: LiveFeed | undefined;
  let wakeStop!: () => void;
  const stopSignal = new Promise<void>((resolve) => (wakeStop = resolve));

  /** Hands one event over if it is the next one; true if delivered. */
  const deliver = async (e: StoredEvent): Promise<boolean> => {
    if (e.position <= position) return false; // seen already (a resubscription overlapping the checkpoint)
    if (e.position !== position + 1) throw new SubscriptionGapError(position, e.position);
    try {
      await options.onEvent(e);
    } catch (error) {
      throw new HandlerFailed(error);
    }
    position = e.position;
    return true;
  };

  const closeFeed = async () => {
    const f = feed;
    feed = undefined;
    if (f) await f.close().catch(() => undefined);
  };

  const loop = (async () => {
    let live = false;
    let attempt = 0;
    while (!stopped) {
      let feedOpenedAt: number | undefined;
      try {
        // Catch up by reading pages from the checkpoint.
        for (;;) {
          const page = await options.readAll(position, batchSize);
          for (const e of page) {
            if (stopped) return;
            if (await deliver(e)) attempt = 0;
          }
          if (page.length < batchSize) break;
        }
        if (stopped) return;
        if (!live) {
          live = true;
          options.onLive?.();
        }
        // Live: the server pushes everything after the checkpoint, including what was appended since the last page.
        feed = options.openFeed(position);
        feedOpenedAt = now();
        for await (const e of feed) {
          if (stopped) return;
          if (await deliver(e)) attempt = 0;
        }
        if (stopped) return;
        throw new SubscriptionEndedError();
      } catch (error) {
        await closeFeed();
        if (stopped) return;
        if (error instanceof HandlerFailed) {
          options.onError?.(error.error);
          return;
        }
        const retryable = error instanceof SubscriptionGapError || error instanceof SubscriptionEndedError || options.isTransient(error);
        if (!retryable) {
          options.onError?.(options.mapError ? options.mapError(error) : error);
          return;
        }
        if (feedOpenedAt !== undefined && now() - feedOpenedAt >= backoff.resetAfterMs) attempt = 0;
        attempt += 1;
        const delayMs = backoffDelay(attempt, backoff);
        options.onRetry?.({ attempt, delayMs, position, error });
        await Promise.race([sleep(delayMs), stopSignal]);
      }
    }
  })().finally(closeFeed);

  return {
    async stop() {
      stopped = true;
      wakeStop();
      await closeFeed();
      await loop;
    },
  };
}
