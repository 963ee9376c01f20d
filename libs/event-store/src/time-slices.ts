/**
 * Long work on the main thread in bounded slices (#22: no append holds the event loop): `due()` says
 * when the current slice is used up (the clock is read once every 64 calls), `pause()` lets timers and
 * I/O run (one `setImmediate`) and starts the next slice.
 */
export class TimeSlices {
  private start = performance.now();
  private calls = 0;
  /** Slices that ended in a pause (figures for tests and docs). */
  pauses = 0;

  constructor(readonly sliceMs = 15) {}

  due(): boolean {
    if ((++this.calls & 63) !== 0) return false;
    return performance.now() - this.start >= this.sliceMs;
  }

  async pause(): Promise<void> {
    this.pauses++;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.start = performance.now();
  }
}

/** Appends of more events than this are written in slices (smaller ones in one synchronous step). */
export const SLICED_APPEND_EVENTS = 2_000;

/** Runs a stepwise piece of work (a generator that yields where it may stop) to its end, without stopping. */
export function runSteps<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The same, stopping at its yields whenever the slice is used up (the generator asks `slices.due()`). */
export async function runStepsInSlices<T>(steps: Generator<void, T>, slices: TimeSlices): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await slices.pause();
  }
}

/** How many events a list of stream requests carries. */
export const eventCount = (requests: Array<{ events: unknown[] }>) => requests.reduce((n, r) => n + r.events.length, 0);
