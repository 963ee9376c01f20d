import { StoreUnavailableError, StoredEvent } from '../event-store.port';
import { waitFor } from '../testing/event-store.contract';
import { loadEsdbClient } from './esdb-client';
import { BackoffOptions, DEFAULT_BACKOFF, LiveFeed, ResubscribeSource, backoffDelay, resubscribingSubscription } from './resubscribe';

const ev = (position: number): StoredEvent => ({
  id: `e${position}`,
  stream: 's',
  streamVersion: position - 1,
  position,
  type: 'T',
  data: { position },
  metadata: {},
  recordedAt: new Date(1_700_000_000_000 + position).toISOString(),
});
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => ev(from + i));

/** A scripted live feed: yields its events, then fails with `error`, ends, or waits until closed. */
function scriptedFeed(events: StoredEvent[], then: { error?: unknown; end?: boolean } = {}): LiveFeed & { closed: boolean } {
  let release: (() => void) | undefined;
  const feed = {
    closed: false,
    async *[Symbol.asyncIterator]() {
      for (const e of events) {
        await Promise.resolve();
        if (feed.closed) return;
        yield e;
      }
      if (then.error !== undefined) throw then.error;
      if (then.end) return;
      await new Promise<void>((resolve) => (release = resolve));
    },
    async close() {
      feed.closed = true;
      release?.();
    },
  };
  return feed;
}

/**
 * A fake source: readAll serves a log, openFeed hands out scripted feeds in order and records the
 * position each was opened after; sleep records the delays and returns at once.
 */
function fakeSource(log: StoredEvent[], feeds: Array<(after: number) => LiveFeed>, backoff?: Partial<BackoffOptions>) {
  const opened: number[] = [];
  const sleeps: number[] = [];
  const reads: number[] = [];
  let clock = 0;
  const source: ResubscribeSource = {
    readAll: async (from, limit) => {
      reads.push(from);
      return log.filter((e) => e.position > from).slice(0, limit);
    },
    openFeed: (after) => {
      opened.push(after);
      const make = feeds.shift();
      if (!make) return scriptedFeed([]); // quiet and live
      return make(after);
    },
    isTransient: (e) => e instanceof StoreUnavailableError || (e as { code?: number })?.code === 14 || (e as { type?: string })?.type === 'unavailable',
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
      await new Promise((resolve) => setImmediate(resolve)); // no real wait, but let timers run
    },
    now: () => clock,
    backoff,
  };
  return { source, opened, sleeps, reads, advance: (ms: number) => (clock += ms) };
}

describe('backoffDelay', () => {
  test.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [7, 6400],
    [8, 10_000],
    [50, 10_000],
  ])('retry %s waits %s ms (doubling from 100, capped at 10 s)', (attempt, ms) => {
    expect(backoffDelay(attempt, DEFAULT_BACKOFF)).toBe(ms);
  });

  test('a custom cap holds', () => {
    expect(backoffDelay(10, { ...DEFAULT_BACKOFF, initialMs: 5, maxMs: 40 })).toBe(40);
  });
});

describe('resubscribing subscription', () => {
  test('catches up by pages, goes live, and after drops resumes from the checkpoint with doubling delays — no repeats, no gaps', async () => {
    const { UnavailableError } = loadEsdbClient();
    const log = range(1, 5);
    const seen: number[] = [];
    let live = 0;
    const { source, opened, sleeps } = fakeSource(log, [
      // 1st live feed: two new events (now also in the log), then the server goes away
      // (UnavailableError, as a subscription reports it).
      () => {
        log.push(ev(6), ev(7));
        return scriptedFeed([ev(6), ev(7)], { error: new UnavailableError(undefined as never, 'gone') });
      },
      // 2nd: fails at once with a plain gRPC Error code 14.
      () => scriptedFeed([], { error: Object.assign(new Error('14 UNAVAILABLE'), { code: 14 }) }),
      // 3rd: fails at once again.
      () => scriptedFeed([], { error: Object.assign(new Error('14 UNAVAILABLE'), { code: 14 }) }),
      // 4th: overlaps the checkpoint (7 again), then new events, then stays open.
      () => scriptedFeed([ev(7), ev(8), ev(9)]),
    ]);
    const sub = resubscribingSubscription({ ...source, fromPosition: 0, batchSize: 2, onEvent: (e) => void seen.push(e.position), onLive: () => void live++ });
    await waitFor(() => seen.length === 9, 2000);
    await sub.stop();
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(live).toBe(1);
    expect(opened).toEqual([5, 7, 7, 7]); // each feed opened after the last delivered position
    // The first drop came after progress (events 6, 7 delivered): the backoff starts at the bottom, then doubles.
    expect(sleeps).toEqual([100, 200, 400]);
  });

  test('a feed that skips an event is not trusted: the gap is filled by reading from the checkpoint', async () => {
    const seen: number[] = [];
    let reads = 0;
    // The log has 2 events at the first catch-up and 4 later; the first feed jumps from 2 to 4.
    const f = fakeSource([], [() => scriptedFeed([ev(4)])]);
    const sub = resubscribingSubscription({
      ...f.source,
      readAll: async (from, limit) => (++reads === 1 ? range(1, 2) : range(1, 4)).filter((e) => e.position > from).slice(0, limit),
      fromPosition: 0,
      onEvent: (e) => void seen.push(e.position),
    });
    await waitFor(() => seen.length === 4 && f.opened.length === 2, 2000);
    await sub.stop();
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(f.opened).toEqual([2, 4]);
    expect(f.sleeps).toEqual([100]);
  });

  test('a feed the server ends without error counts as a drop', async () => {
    const seen: number[] = [];
    const { source, opened, sleeps } = fakeSource(range(1, 1), [() => scriptedFeed([], { end: true })]);
    const sub = resubscribingSubscription({ ...source, fromPosition: 0, onEvent: (e) => void seen.push(e.position) });
    await waitFor(() => opened.length === 2, 2000);
    await sub.stop();
    expect(seen).toEqual([1]);
    expect(sleeps).toEqual([100]);
  });

  test('a long healthy subscription resets the backoff', async () => {
    const err = () => Object.assign(new Error('14 UNAVAILABLE'), { code: 14 });
    const f = fakeSource([], [], { resetAfterMs: 1000 });
    const feeds: Array<(after: number) => LiveFeed> = [
      () => scriptedFeed([], { error: err() }),
      () => scriptedFeed([], { error: err() }),
      () => ({
        // this one lives long before it drops
        async *[Symbol.asyncIterator]() {
          await Promise.resolve();
          f.advance(5000);
          throw err();
        },
        close: async () => undefined,
      }),
      () => scriptedFeed([], { error: err() }),
    ];
    const sub = resubscribingSubscription({ ...f.source, openFeed: (after) => (feeds.shift() ?? (() => scriptedFeed([])))(after), fromPosition: 0, onEvent: () => undefined });
    await waitFor(() => f.sleeps.length === 4, 2000);
    await sub.stop();
    expect(f.sleeps).toEqual([100, 200, 100, 200]);
  });

  test('the cap holds over many failures', async () => {
    const f = fakeSource([], [], { initialMs: 10, maxMs: 50 });
    const sub = resubscribingSubscription({
      ...f.source,
      openFeed: () => scriptedFeed([], { error: Object.assign(new Error('x'), { code: 14 }) }),
      fromPosition: 0,
      onEvent: () => undefined,
    });
    await waitFor(() => f.sleeps.length >= 6, 2000);
    await sub.stop();
    expect(f.sleeps.slice(0, 6)).toEqual([10, 20, 40, 50, 50, 50]);
  });

  test('a handler that throws stops delivery and reaches onError; no retry', async () => {
    const boom = new Error('handler failed');
    const seen: number[] = [];
    const errors: unknown[] = [];
    const { source, sleeps } = fakeSource(range(1, 3), []);
    resubscribingSubscription({
      ...source,
      fromPosition: 0,
      onEvent: (e) => {
        if (e.position === 2) throw boom;
        seen.push(e.position);
      },
      onError: (e) => void errors.push(e),
    });
    await waitFor(() => errors.length === 1, 2000);
    expect(errors[0]).toBe(boom);
    expect(seen).toEqual([1]);
    expect(sleeps).toEqual([]);
  });

  test('a failure that is not transient stops with onError (mapped)', async () => {
    const errors: unknown[] = [];
    const { source, sleeps } = fakeSource([], [() => scriptedFeed([], { error: new TypeError('corrupt') })]);
    resubscribingSubscription({ ...source, mapError: (e) => ({ mapped: e }), fromPosition: 0, onEvent: () => undefined, onError: (e) => void errors.push(e) });
    await waitFor(() => errors.length === 1, 2000);
    expect((errors[0] as { mapped: unknown }).mapped).toBeInstanceOf(TypeError);
    expect(sleeps).toEqual([]);
  });

  test('a failing catch-up read is retried too', async () => {
    const seen: number[] = [];
    const { source, sleeps } = fakeSource(range(1, 2), []);
    let failures = 2;
    const sub = resubscribingSubscription({
      ...source,
      readAll: async (from, limit) => {
        if (failures-- > 0) throw new StoreUnavailableError('down');
        return source.readAll(from, limit);
      },
      fromPosition: 0,
      onEvent: (e) => void seen.push(e.position),
    });
    await waitFor(() => seen.length === 2, 2000);
    await sub.stop();
    expect(seen).toEqual([1, 2]);
    expect(sleeps).toEqual([100, 200]);
  });

  test('stop() returns promptly during a backoff wait, and nothing is delivered after it', async () => {
    const seen: number[] = [];
    let sleeping = false;
    const { source } = fakeSource(range(1, 1), [() => scriptedFeed([], { error: Object.assign(new Error('x'), { code: 14 }) })]);
    const sub = resubscribingSubscription({
      ...source,
      sleep: () => {
        sleeping = true;
        return new Promise<void>(() => undefined); // never wakes by itself
      },
      fromPosition: 0,
      onEvent: (e) => void seen.push(e.position),
    });
    await waitFor(() => sleeping, 2000);
    await sub.stop();
    expect(seen).toEqual([1]);
  });

  test('stop() while live closes the feed', async () => {
    const feed = scriptedFeed([]);
    const { source } = fakeSource([], [() => feed]);
    let live = false;
    const sub = resubscribingSubscription({ ...source, fromPosition: 0, onEvent: () => undefined, onLive: () => void (live = true) });
    await waitFor(() => live, 2000);
    await new Promise((r) => setImmediate(r));
    await sub.stop();
    expect(feed.closed).toBe(true);
  });
});
