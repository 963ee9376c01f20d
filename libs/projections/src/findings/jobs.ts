/**
 * Findings off the request path: a region's findings are computed as a background job, in slices of a few
 * milliseconds between which the process serves other requests (setImmediate), so no question about
 * findings freezes the server. A request waits for its region's job up to its budget; past it, it is told
 * to come back (the API answers 202 with Retry-After and a progress link). A job that would take the heap
 * above the limit is stopped (the API answers 503) rather than let the process die.
 */
import { getHeapStatistics } from 'node:v8';
import type { RegistryProjection } from '../registry/registry.projection';
import { FindingsEngine, FindingsProgress, RegionFindings, findingsEngine } from './findings.engine';

export interface FindingsJobsOptions {
  /** Work done in one turn of the event loop (ms). */
  sliceMs: number;
  /** Heap used above which a job is stopped (bytes). */
  heapLimitBytes: number;
  /** How long a job stopped for memory is not started again (ms). */
  failedForMs: number;
}

export const DEFAULT_JOBS_OPTIONS: FindingsJobsOptions = {
  sliceMs: 5,
  heapLimitBytes: Math.floor(getHeapStatistics().heap_size_limit * 0.85),
  failedForMs: 30_000,
};

export interface FindingsJobState {
  region: string;
  asKnownAt: string | null;
  state: 'computing' | 'ready' | 'failed';
  startedAt: string;
  elapsedMs: number;
  progress: FindingsProgress;
  /** The longest time the job held the event loop in one turn (ms). */
  longestSliceMs: number;
  /** Where it was (family and step). */
  longestSliceAt?: string;
  /** Why it failed (state failed). */
  error?: string;
}

interface Job {
  state: FindingsJobState;
  t0: number;
  done: Promise<void>;
  failedAt?: number;
}

export class FindingsJobs {
  private readonly jobs = new Map<string, Job>();

  constructor(
    readonly engine: FindingsEngine,
    readonly options: FindingsJobsOptions = DEFAULT_JOBS_OPTIONS,
  ) {}

  /**
   * Waits up to budgetMs for the region's findings (as the read model is now): 'ready' (then the queries
   * answer from the cache at once), or the job's state while it computes or after it failed.
   */
  async ready(region: string, asKnownAt: string | undefined, budgetMs: number): Promise<{ ready: true } | { ready: false; job: FindingsJobState }> {
    // nothing to compute for a region unknown (then) or already computed: the query answers at once
    if (!this.engine.view.region(region, asKnownAt) || this.engine.cached(region, asKnownAt)) return { ready: true };
    const job = this.start(region, asKnownAt);
    if (job.state.state === 'computing' && budgetMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([job.done, new Promise<void>((r) => (timer = setTimeout(r, budgetMs)))]);
      clearTimeout(timer);
    }
    if (job.state.state === 'ready' && this.engine.cached(region, asKnownAt)) return { ready: true };
    return { ready: false, job: this.snapshot(job) };
  }

  /** The job of a region, if one ran or runs (for the progress link). */
  status(region: string, asKnownAt?: string): FindingsJobState | undefined {
    const job = this.jobs.get(key(region, asKnownAt));
    if (!job) return undefined;
    if (job.state.state === 'ready' && !this.engine.cached(region, asKnownAt)) return { ...this.snapshot(job), state: 'computing' };
    return this.snapshot(job);
  }

  private snapshot(job: Job): FindingsJobState {
    return { ...job.state, progress: { ...job.state.progress }, elapsedMs: job.state.state === 'computing' ? Math.round(performance.now() - job.t0) : job.state.elapsedMs };
  }

  private start(region: string, asKnownAt?: string): Job {
    const k = key(region, asKnownAt);
    const running = this.jobs.get(k);
    if (running?.state.state === 'computing') return running;
    if (running?.state.state === 'failed' && performance.now() - running.failedAt! < this.options.failedForMs) return running;
    if (this.jobs.size > 512) for (const [x, j] of this.jobs) if (j.state.state !== 'computing') this.jobs.delete(x);
    const steps = this.engine.regionSteps(region, asKnownAt);
    const state: FindingsJobState = { region, asKnownAt: asKnownAt ?? null, state: 'computing', startedAt: new Date().toISOString(), elapsedMs: 0, longestSliceMs: 0, progress: { families: 0, familiesDone: 0, family: '', steps: 0 } };
    const job: Job = { state, t0: performance.now(), done: Promise.resolve() };
    const finish = (s: 'ready' | 'failed', error?: string) => {
      state.state = s;
      state.elapsedMs = Math.round(performance.now() - job.t0);
      if (error) state.error = error;
      if (s === 'failed') job.failedAt = performance.now();
    };
    job.done = new Promise<void>((resolve) => {
      const tick = () => {
        try {
          if (process.memoryUsage().heapUsed > this.options.heapLimitBytes) {
            steps.return(null);
            finish('failed', '计算发现所需内存超出上限');
            return resolve();
          }
          const start = performance.now();
          const end = start + this.options.sliceMs;
          let now = start;
          do {
            const r = steps.next();
            now = performance.now();
            if (now - start > state.longestSliceMs) {
              state.longestSliceMs = Math.round(now - start);
              state.longestSliceAt = r.done ? 'end' : `${r.value.family}:${r.value.steps}`;
            }
            if (r.done) {
              finish('ready');
              return resolve();
            }
            state.progress = r.value;
          } while (now < end);
          setImmediate(tick);
        } catch (e) {
          finish('failed', (e as Error).message);
          resolve();
        }
      };
      setImmediate(tick);
    });
    this.jobs.set(k, job);
    return job;
  }
}

const key = (region: string, asKnownAt?: string) => `${region}|${asKnownAt ?? ''}`;

/** One job runner per read model (the API's). */
const runners = new WeakMap<RegistryProjection, FindingsJobs>();
export function findingsJobs(view: RegistryProjection, options?: FindingsJobsOptions): FindingsJobs {
  let j = runners.get(view);
  if (!j) runners.set(view, (j = new FindingsJobs(findingsEngine(view), options)));
  return j;
}

export type { RegionFindings };
