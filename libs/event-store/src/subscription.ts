import { StoredEvent, SubscribeOptions, Subscription } from './event-store.port';

export interface CatchUpSource {
  readAll(fromPosition: number, limit: number): Promise<StoredEvent[]>;
  /** Registers a wake-up for appends made through this process; returns an unregister function. */
  onAppended(listener: () => void): () => void;
  /** Fallback poll for appends made by other processes. */
  pollIntervalMs: number;
}

/**
 * Catch up from a position by reading pages, then stay live: wake on local appends, poll for
 * others. Events are handed over strictly in position order, one at a time, never twice.
 */
export function catchUpSubscription(options: CatchUpSource & SubscribeOptions): Subscription {
  const batchSize = options.batchSize ?? 1000;
  let position = options.fromPosition;
  let stopped = false;
  let wake: (() => void) | undefined;
  let pending = false;
  const unregister = options.onAppended(() => {
    pending = true;
    wake?.();
  });

  const sleep = () =>
    new Promise<void>((resolve) => {
      if (pending || stopped) return resolve();
      const timer = setTimeout(done, options.pollIntervalMs);
      timer.unref?.();
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  const loop = (async () => {
    let live = false;
    try {
      while (!stopped) {
        pending = false;
        const events = await options.readAll(position, batchSize);
        for (const e of events) {
          if (stopped) return;
          await options.onEvent(e);
          position = e.position;
        }
        if (events.length < batchSize) {
          if (!live) {
            live = true;
            options.onLive?.();
          }
          await sleep();
        }
      }
    } catch (error) {
      if (!stopped) options.onError?.(error);
    } finally {
      unregister();
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
