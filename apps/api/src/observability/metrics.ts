import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EventStore } from '../../../../libs/event-store/src';
import type { ProjectionRunner } from '../../../../libs/projections/src';

/** The store's methods whose failures count as event-store errors. */
const STORE_OPS = ['append', 'readStream', 'readAll', 'replayAll', 'readEvent', 'streamVersion', 'info', 'chainHead', 'chainHashAt'] as const;

/**
 * The server's Prometheus metrics (prom-client, one registry per server, so that tests can run several):
 * request latency by route and status, appends and events appended, event-store errors by operation,
 * projection checkpoint/head/lag, the read-model snapshot's age, and Node's own (memory, GC, event loop).
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly http = new Histogram({
    name: 'quanze_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly appends = new Counter({ name: 'quanze_appends_total', help: 'Atomic appends written to the event store', registers: [this.registry] });
  private readonly events = new Counter({ name: 'quanze_events_appended_total', help: 'Events written to the event store', registers: [this.registry] });
  private readonly storeErrors = new Counter({
    name: 'quanze_event_store_errors_total',
    help: 'Event-store calls that failed, by operation (a refused expected version is not an error)',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.http.observe({ method, route, status: String(status) }, seconds);
  }

  /** The read side's gauges, read when scraped: the runner's checkpoint, the store's head, the lag, the snapshot's age. */
  watch(runner: ProjectionRunner, dataDir: string): void {
    const health = () => runner.health().then((h) => h[0]);
    const gauges: Array<[string, string, 'checkpoint' | 'head' | 'lag']> = [
      ['quanze_projection_checkpoint', 'Global position the read models have applied', 'checkpoint'],
      ['quanze_event_store_head_position', 'Global position of the newest event in the store', 'head'],
      ['quanze_projection_lag_events', 'Events in the store not yet applied to the read models', 'lag'],
    ];
    for (const [name, help, field] of gauges) {
      new Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          this.set((await health())?.[field] ?? 0);
        },
      });
    }
    const file = join(dataDir, 'readmodels', 'readmodels.snapshot');
    new Gauge({
      name: 'quanze_snapshot_age_seconds',
      help: 'Age of the local read-model snapshot (-1: none written yet)',
      registers: [this.registry],
      collect() {
        try {
          this.set((Date.now() - statSync(file).mtimeMs) / 1000);
        } catch {
          this.set(-1);
        }
      },
    });
  }

  /** The store as the runtime uses it, counting appends, events and failures (same object otherwise). */
  instrument(store: EventStore): EventStore {
    const m = this;
    const count = <T>(op: string, p: Promise<T>) => p.catch((e: unknown) => {
      if ((e as { code?: unknown })?.code !== 'WRONG_EXPECTED_VERSION') m.storeErrors.inc({ operation: op });
      throw e;
    });
    return new Proxy(store, {
      get(target, key, receiver) {
        const v = Reflect.get(target, key, receiver);
        if (typeof v !== 'function' || !(STORE_OPS as readonly (string | symbol)[]).includes(key)) return typeof v === 'function' ? v.bind(target) : v;
        if (key === 'append') {
          return (requests: Parameters<EventStore['append']>[0], options?: Parameters<EventStore['append']>[1]) =>
            count('append', target.append(requests, options)).then((r) => {
              m.appends.inc();
              m.events.inc(requests.reduce((n, q) => n + q.events.length, 0));
              return r;
            });
        }
        return (...args: unknown[]) => {
          try {
            const r = (v as (...a: unknown[]) => unknown).apply(target, args);
            return r instanceof Promise ? count(String(key), r) : r;
          } catch (e) {
            m.storeErrors.inc({ operation: String(key) });
            throw e;
          }
        };
      },
    });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
  get contentType(): string {
    return this.registry.contentType;
  }
}
