/**
 * Runs the planner's commands into an event log, through one of two paths:
 *  - `command`: the Registry on a SqliteEventStore, one command = one durable append, with the
 *    registry projection fed live (the HTTP API's path, minus HTTP);
 *  - `bulk`: the same Registry on a WriteBehindStore that batches the appends (see write-behind-store.ts).
 * Both stamp recordedAt from the simulated recording day (SqliteEventStore's `now` option): the
 * history is recorded as it would have been, day by day, from 2015 to 2025.
 */
import { join } from 'node:path';
import { CommandResult, Registry } from '../../libs/application/src';
import { SqliteEventStore, SqliteSynchronous } from '../../libs/event-store/src';
import { ProjectionRunner, RegistryProjection } from '../../libs/projections/src';
import { SIZES, SizeSpec } from './model';
import { GenCommand, PlanStats, Planner } from './planner';
import { ProvinceTree, demoProvince, loadProvince } from './regions';
import { recordingInstant } from './rng';
import { WriteBehindStore } from './write-behind-store';

export type GenPath = 'bulk' | 'command';

export interface GenerateOptions {
  size: SizeSpec | string;
  seed: number;
  /** Directory for events.db (created). */
  dir: string;
  path?: GenPath;
  synchronous?: SqliteSynchronous;
  maxBatchEvents?: number;
  /** Bulk path: commit every this many events (default 50,000; 0 = one commit per flushed batch). */
  commitEvery?: number;
  /** SQLite page cache for the generating connection, in MiB (default 256). */
  cacheMiB?: number;
  onProgress?: (p: { day: number; firstDay: number; lastDay: number; events: number; commands: number }) => void;
}

export interface GenerateResult {
  size: string;
  seed: number;
  path: GenPath;
  file: string;
  events: number;
  seconds: number;
  /** Seconds spent in SQLite appends (bulk path: the flushes). */
  appendSeconds: number;
  appends: number;
  plan: PlanStats;
  warnings: Record<string, number>;
  eventsByType: Record<string, number>;
}

export function provinceTrees(size: SizeSpec): ProvinceTree[] {
  if (size.demoRegions) return [demoProvince()];
  return size.provinces.map((p) => loadProvince(p.code, { cityCodes: p.cities }));
}

interface Sink {
  exec(c: GenCommand): Promise<CommandResult>;
  close(): Promise<{ appendSeconds: number; appends: number }>;
  events(): number;
}

async function bulkSink(file: string, opts: GenerateOptions): Promise<Sink> {
  let wb: WriteBehindStore | undefined;
  const store = new SqliteEventStore({ file, synchronous: opts.synchronous, now: () => wb!.clock });
  const head = (await store.info()).headPosition;
  if (head !== 0) throw new Error(`${file} is not empty (${head} events)`);
  store.db.pragma(`cache_size = -${(opts.cacheMiB ?? 256) * 1024}`);
  wb = new WriteBehindStore(store, head, { maxBatchEvents: opts.maxBatchEvents, commitEvery: opts.commitEvery ?? 50_000 });
  const registry = new Registry(wb, wb.index);
  const w = wb;
  return {
    async exec(c) {
      await w.setClock(recordingInstant(c.day));
      return (registry as any)[c.name](c.payload, c.ctx);
    },
    async close() {
      await w.close();
      await store.close();
      return { appendSeconds: w.flushMs / 1000, appends: w.flushes };
    },
    events: () => w.flushedEvents,
  };
}

async function commandSink(file: string, opts: GenerateOptions): Promise<Sink> {
  let clock = 0;
  const store = new SqliteEventStore({ file, synchronous: opts.synchronous, now: () => clock });
  if ((await store.info()).headPosition !== 0) throw new Error(`${file} is not empty`);
  const view = new RegistryProjection();
  const runner = new ProjectionRunner(store, [view]);
  await runner.start();
  const registry = new Registry(store, view);
  let appendMs = 0;
  let appends = 0;
  let position = 0;
  return {
    async exec(c) {
      clock = recordingInstant(c.day);
      const t0 = process.hrtime.bigint();
      const r: CommandResult = await (registry as any)[c.name](c.payload, c.ctx);
      appendMs += Number(process.hrtime.bigint() - t0) / 1e6;
      appends++;
      position = r.position;
      await runner.waitFor(r.position);
      return r;
    },
    async close() {
      await runner.stop();
      await store.close();
      return { appendSeconds: appendMs / 1000, appends };
    },
    events: () => position,
  };
}

/** Generates the log for a size and seed into `dir/events.db`. */
export async function generate(opts: GenerateOptions): Promise<GenerateResult> {
  const size = typeof opts.size === 'string' ? SIZES[opts.size] : opts.size;
  if (!size) throw new Error(`unknown size ${String(opts.size)} (S, M, L)`);
  const path = opts.path ?? 'bulk';
  const file = join(opts.dir, 'events.db');
  const planner = new Planner(provinceTrees(size), size, opts.seed);
  const sink = path === 'bulk' ? await bulkSink(file, opts) : await commandSink(file, opts);
  const warnings: Record<string, number> = {};
  const t0 = Date.now();
  let lastReport = 0;
  let n = 0;
  try {
    for (const c of planner.commands()) {
      let r: CommandResult;
      try {
        r = await sink.exec(c);
      } catch (e) {
        const err = e as Error & { code?: string };
        throw new Error(`command ${c.ctx.commandId} ${c.name} refused (${err.code ?? err.name}: ${err.message}); payload ${JSON.stringify(c.payload).slice(0, 400)}`);
      }
      for (const w of r.warnings) warnings[w.code] = (warnings[w.code] ?? 0) + 1;
      n++;
      if (opts.onProgress && (n & 255) === 0) {
        const now = Date.now();
        if (now - lastReport > 200) {
          lastReport = now;
          opts.onProgress({ day: c.day, firstDay: planner.firstDay, lastDay: planner.lastDay, events: sink.events(), commands: n });
        }
      }
    }
  } catch (e) {
    await sink.close().catch(() => undefined);
    throw e;
  }
  const closed = await sink.close();
  const seconds = (Date.now() - t0) / 1000;
  const check = new SqliteEventStore({ file });
  const events = (await check.info()).eventCount;
  const byType = check.db.prepare('SELECT type, COUNT(*) AS n FROM events GROUP BY type ORDER BY n DESC').all() as Array<{ type: string; n: number }>;
  await check.close();
  return { size: size.name, seed: opts.seed, path, file, events, seconds, appendSeconds: closed.appendSeconds, appends: closed.appends, plan: planner.stats, warnings, eventsByType: Object.fromEntries(byType.map((r) => [r.type, r.n])) };
}
