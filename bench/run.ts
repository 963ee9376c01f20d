/**
 * `npm run bench [-- --size S|M|L | --sizes S,M] [--seed N] [--quick] [--no-pg] [--no-http] [--no-micro] [--keep] [--pg-exclusion] [--report-only]`
 *
 * 1. The walking skeleton's micro figures (kept from the first bench): append throughput of the SQLite
 *    store (one event per commit; 100 per commit), synchronous FULL vs NORMAL; the command path; a small
 *    rebuild; ownership latency in process and over HTTP.
 * 2. Per size (default S), on a generated province (bench/generate.ts, see docs/benchmarking.md):
 *    generation (bulk append), appends and commands at that scale (FULL vs NORMAL), rebuild of the read
 *    models from zero, ownership / as-known-at / list / diff / history / department queries in process,
 *    memory and bytes on disk, the API over HTTP (sequential, autocannon at several concurrencies, a fixed
 *    2,000 req/s), and PostgreSQL temporal tables loaded with the same data, checked for the same answers
 *    and timed on the same questions.
 * Results per size go to bench/results/<size>.json; docs/benchmarks.md is rendered from all of them, so
 * a run of one size keeps the figures of the others (each with its own date and load).
 */
import { spawn, ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { Session } from 'node:inspector';
import { getHeapStatistics } from 'node:v8';
import { EventStore, ReplayOptions, SqliteEventStore, SqliteSynchronous, StoredEvent } from '../libs/event-store/src';
import { Registry } from '../libs/application/src';
import { ProjectionRunner, RegistryProjection, createReadModels, departmentView, itemHistory, ownership, regionList, regionListByFold, regionListDiff } from '../libs/projections/src';
import { createServer } from '../apps/api/src/server';
import { loadConfig } from '../libs/runtime/src';
import { Rng, dateOf, dayOf } from './gen/rng';
import { SIZES } from './gen/model';
import { EXCLUSION, INDEXES, SQL, loadIntoPostgres, startPostgres } from './peer-postgres';
import { renderBenchmarksKeeping } from './report';
import { Agreement, checkAgreement } from './agreement';

const ROOT = resolve(__dirname, '..');
/** QUANZE_BENCH_PORTS=from-to: the ports the bench's servers listen on (API, micro API, PostgreSQL); default any free port. */
const PORTS = /^(\d+)-(\d+)$/.exec(process.env.QUANZE_BENCH_PORTS ?? '');
const port = (k: number) => (PORTS ? String(Number(PORTS[1]) + k) : '0');
const RESULTS_DIR = join(ROOT, 'bench', 'results');
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  if (i >= 0 && i + 1 < argv.length && !argv[i + 1].startsWith('--')) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(`--${name}=`));
  return eq?.slice(name.length + 3);
};

// ---------------------------------------------------------------------------------------------
// Small helpers.

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '–');
const load = () => Number(loadavg()[0].toFixed(2));
const hr = () => process.hrtime.bigint();
const usSince = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e3;
const MiB = 2 ** 20;
const log = (s: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`);

let peakRss = 0;
const sampleRss = () => {
  const r = process.memoryUsage().rss;
  if (r > peakRss) peakRss = r;
  return r;
};
const gc = () => (global as { gc?: () => void }).gc?.();
/**
 * Waits (up to 20 s) until this process is idle: after a big heap is released V8 keeps marking and
 * sweeping on background threads for a while, which would take CPU from the API and its load client.
 */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const c0 = process.cpuUsage();
    await new Promise((r) => setTimeout(r, 1000));
    const c1 = process.cpuUsage(c0);
    if ((c1.user + c1.system) / 1e6 < 0.05) return;
  }
}
/**
 * Waits (up to 90 s) until the machine is quiet: little dirty or in-flight page cache (PostgreSQL's
 * checkpoint and data directory, the generated log, snapshots) and the CPUs mostly idle. Returns what it
 * saw, for the log.
 */
async function settleMachine(): Promise<string> {
  const meminfo = () => {
    const m = readFileSync('/proc/meminfo', 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(m)?.[1] ?? 0);
    return (kb('Dirty') + kb('Writeback')) / 1024;
  };
  const cpu = () => readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  const t0 = Date.now();
  let dirty = meminfo();
  let idle = 0;
  for (let i = 0; i < 90; i++) {
    const a = cpu();
    await new Promise((r) => setTimeout(r, 1000));
    const b = cpu();
    const total = b.reduce((x, y) => x + y, 0) - a.reduce((x, y) => x + y, 0);
    idle = total > 0 ? (b[3] + b[4] - a[3] - a[4]) / total : 1;
    dirty = meminfo();
    if (dirty < 64 && idle > 0.85) break;
  }
  return `waited ${((Date.now() - t0) / 1000).toFixed(0)} s for a quiet machine (dirty+writeback ${dirty.toFixed(0)} MiB, CPU idle ${(idle * 100).toFixed(0)} %)`;
}
const cpuSecondsOf = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};

interface Lat {
  n: number;
  p50: number;
  p99: number;
  mean: number;
}
const lat = (xs: number[]): Lat => ({ n: xs.length, p50: pct(xs, 50), p99: pct(xs, 99), mean: xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length) });

/** Top self-time functions of a CPU profile taken with the inspector while `fn` runs. */
async function profile<T>(fn: () => Promise<T> | T): Promise<{ result: T; top: Array<{ fn: string; selfPct: number }> }> {
  const session = new Session();
  session.connect();
  const post = (m: string, p?: object) => new Promise<any>((res, rej) => session.post(m, p ?? {}, (e, r) => (e ? rej(e) : res(r))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  const result = await fn();
  const { profile: p } = await post('Profiler.stop');
  session.disconnect();
  const self = new Map<string, number>();
  const byId = new Map<number, any>(p.nodes.map((n: any) => [n.id, n]));
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const n = byId.get(p.samples[i]);
    const dt = p.timeDeltas[i] ?? 0;
    total += dt;
    const url = String(n.callFrame.url ?? '').replace(/^file:\/\//, '').replace(ROOT + '/', '');
    const k = `${n.callFrame.functionName || '(anonymous)'} ${url ? `${url}:${n.callFrame.lineNumber + 1}` : ''}`.trim();
    self.set(k, (self.get(k) ?? 0) + dt);
  }
  for (const k of [...self.keys()]) if (/^(dispatch|\(program\)|\(idle\)|post|Session\.post)\b/.test(k)) {
    total -= self.get(k)!;
    self.delete(k);
  }
  const top = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([fn, t]) => ({ fn, selfPct: Math.round((1000 * t) / total) / 10 }));
  return { result, top };
}

// ---------------------------------------------------------------------------------------------
// 1. The walking skeleton's micro figures (as before).

interface Micro {
  date: string;
  load: number[];
  append: Array<{ sync: string; perCommit: number; commitsPerSec: number; eventsPerSec: number; bytesPerEvent: number }>;
  commands: { n: number; seconds: number; perSec: number };
  rebuild: { events: number; seconds: number; perSec: number };
  ownership: { inProcess: Lat; http: Lat };
}

async function appendRate(sync: SqliteSynchronous, perCommit: number, commits: number) {
  const dir = mkdtempSync(join(tmpdir(), 'quanze-bench-'));
  const store = new SqliteEventStore({ file: join(dir, 'events.db'), synchronous: sync });
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < commits; i++) {
    await store.append([
      {
        stream: `bench-${i % 500}`,
        expectedVersion: 'any',
        events: Array.from({ length: perCommit }, () => ({ id: randomUUID(), type: 'ItemAssigned', data: { regionCode: '650200', itemCode: `X${i}`, departmentId: 'D1', role: 'lead', effectiveFrom: '2020-01-01', document: { number: '克政办发〔2020〕1号' } }, metadata: { actor: 'bench' } })),
      },
    ]);
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const bytes = statSync(join(dir, 'events.db')).size + statSync(join(dir, 'events.db-wal')).size;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { eventsPerSec: (perCommit * commits) / secs, commitsPerSec: commits / secs, bytesPerEvent: bytes / (perCommit * commits) };
}

async function micro(quick: boolean): Promise<Micro> {
  const l0 = load();
  const append: Micro['append'] = [];
  for (const sync of ['FULL', 'NORMAL'] as const) {
    for (const [per, n] of [
      [1, quick ? 500 : 3000],
      [100, quick ? 50 : 300],
    ] as const) {
      const r = await appendRate(sync, per, n);
      append.push({ sync, perCommit: per, ...r });
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'quanze-bench-'));
  const store = new SqliteEventStore({ file: join(dir, 'events.db') });
  const registry = new Registry(store);
  const ctx = { actor: 'bench' };
  const doc = { number: '克政办发〔2019〕1号' };
  const items = quick ? 300 : 2000;
  const depts = 30;
  await registry.registerRegion({ code: '650000', name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '2000-01-01', document: doc }, ctx);
  await registry.registerRegion({ code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '2000-01-01', document: doc }, ctx);
  for (let d = 0; d < depts; d++) await registry.establishDepartment({ id: `D${d}`, name: `部门${d}`, regionCode: '650200', effectiveFrom: '2010-01-01', document: doc }, ctx);
  const t0 = Date.now();
  let commands = 0;
  for (let i = 0; i < items; i++) {
    await registry.defineCatalogItem({ code: `X${i}`, name: `事项${i}`, type: '行政处罚', basis: ['某法'], levels: ['city'], effectiveFrom: '2015-01-01', document: doc }, ctx);
    await registry.assignItem({ regionCode: '650200', itemCode: `X${i}`, departmentId: `D${i % depts}`, role: 'lead', effectiveFrom: '2016-01-01', document: doc }, ctx);
    await registry.transferItem({ regionCode: '650200', itemCode: `X${i}`, fromDepartmentId: `D${i % depts}`, toDepartmentId: `D${(i + 1) % depts}`, effectiveFrom: '2020-01-01', document: doc }, ctx);
    commands += 3;
  }
  const cmdSecs = (Date.now() - t0) / 1000;
  const view = new RegistryProjection();
  const runner = new ProjectionRunner(store, [view]);
  const r0 = Date.now();
  const head = await runner.rebuild();
  const rebuildSecs = (Date.now() - r0) / 1000;
  const samples: number[] = [];
  const n = quick ? 5000 : 50000;
  for (let i = 0; i < n; i++) {
    const item = `X${(i * 7919) % items}`;
    const at = i % 2 ? '2019-06-01' : '2021-06-01';
    const s = process.hrtime.bigint();
    const a = ownership(view, { region: '650200', item, at });
    samples.push(Number(process.hrtime.bigint() - s) / 1e3);
    if (a.status !== 'owned') throw new Error('unexpected answer');
  }
  await store.close();
  const server = await createServer(loadConfig({ QUANZE_DATA_DIR: dir, QUANZE_TOKENS: 'b:reader:bench-token-0123456789', QUANZE_DEMO: '0', PORT: port(0) }), { log: false });
  const http: number[] = [];
  const m = quick ? 500 : 3000;
  for (let i = 0; i < m; i++) {
    const s = process.hrtime.bigint();
    const res = await fetch(`${server.url}/api/ownership?region=650200&item=X${(i * 7919) % items}&at=2021-06-01`, { headers: { authorization: 'Bearer bench-token-0123456789' } });
    await res.json();
    http.push(Number(process.hrtime.bigint() - s) / 1e6);
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  }
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    date: new Date().toISOString(),
    load: [l0, load()],
    append,
    commands: { n: commands, seconds: cmdSecs, perSec: commands / cmdSecs },
    rebuild: { events: head, seconds: rebuildSecs, perSec: head / rebuildSecs },
    ownership: { inProcess: lat(samples), http: lat(http) },
  };
}

// ---------------------------------------------------------------------------------------------
// 2. A size.

interface Phase {
  seconds: number;
  load: [number, number];
}

export interface SizeResult {
  size: string;
  seed: number;
  date: string;
  command: string;
  machine: string;
  heapLimitMiB: number;
  load: [number, number];
  totalSeconds: number;
  generation: Phase & { events: number; eventsPerSec: number; appendSeconds: number; appends: number; maxRssMiB: number; bytes: number; bytesPerEvent: number; plan: any; eventsByType: Record<string, number>; warnings: Record<string, number> };
  writeAtScale?: Phase & {
    commands: Array<{ sync: string; n: number; refused: number; perSec: number; p50ms: number; p99ms: number }>;
    batches: Array<{ sync: string; perCommit: number; commits: number; eventsPerSec: number }>;
  };
  rebuild: Phase & { events: number; eventsPerSec: number; readParseSeconds: number; peakRssMiB: number; retainedHeapMiB: number; retainedRssMiB: number; profile: Array<{ fn: string; selfPct: number }> };
  shape: { regions: Record<string, number>; entries: number; departments: number; items: number; listSize: Record<string, { mean: number; min: number; max: number; departments: number }> };
  queries: Phase & {
    ownership: Lat;
    ownershipAsKnownAt: Lat;
    asKnownRatio: number;
    list: Record<string, Lat & { items: number; firstQuestion?: Lat; byFold?: Lat }>;
    listAsKnownAt: Lat & { items: number; firstQuestion?: Lat; byFold?: Lat };
    diff: Lat & { changes: number; firstQuestion?: Lat };
    history: Lat & { events: number };
    historyWholeProvince: Lat & { events: number };
    department: Lat & { items: number };
    findings: string | FindingsFigures[];
    profile: Array<{ fn: string; selfPct: number }>;
  };
  postgres?: Phase & {
    version: string;
    settings: Record<string, string>;
    indexes: string[];
    loading: { etlSeconds: number; insertSeconds: number; indexSeconds: number; rows: Record<string, number>; bytes: number; bytesPerEvent: number };
    agreement: Agreement;
    ownership: Lat;
    ownershipAsKnownAt: Lat;
    ownershipServerMs: Lat;
    list: Record<string, Lat & { items: number }>;
    history: Lat;
    throughput8: number;
    quanze: { ownership: Lat; ownershipAsKnownAt: Lat; list: Record<string, Lat & { firstQuestion?: Lat; byFold?: Lat }>; history: Lat; listAsKnownAt?: Lat & { byFold?: Lat } };
    listAsKnownAt?: Lat;
  };
  postgresError?: string;
  http?: Phase & {
    startupSeconds: number;
    snapshotBytes: number;
    serverPeakRssMiB: number;
    serverRssMiB: number;
    sequential: Lat;
    runs: Array<{ connections: number; seconds: number; reqPerSec: number; p50: number; p99: number; errors: number; non2xx: number }>;
    fixedRate: { target: number; connections: number; seconds: number; reqPerSec: number; p50: number; p99: number; p999: number; errors: number; non2xx: number };
    /** A steady 2,000 req/s, latencies from when each request was due (bench/load-client.ts); absent before 2026-12-01 evening. */
    /** CPU seconds used while the load client ran (absent before 2026-12-01 23:00). */
    cpu?: { seconds: number; benchCpuSeconds: number; apiCpuSeconds: number };
    openLoop?: { rate: number; seconds: number; sockets: number; reqPerSec: number; p50: number; p99: number; p999: number; max: number; errors: number; non2xx: number; slowest?: Array<{ ms: number; atMs: number; path: string }> };
    /** Issue 19: the same open loop at a steady 5,000 req/s (absent before 2026-12-04). */
    openLoop5k?: { rate: number; seconds: number; sockets: number; reqPerSec: number; p50: number; p99: number; p999: number; max: number; errors: number; non2xx: number };
    /** Issue 19: a region's list on a date as JSON, one client, sequential (ms; bytes: mean answer size). */
    list?: Record<string, Lat & { bytes: number; items: number }>;
    /** Issue 19: the API stopped with SIGTERM (which saves the snapshot at the head) and started again. */
    restart?: { seconds: number; fromSnapshot: boolean; rssMiB: number };
  };
  httpError?: string;
  peakRssMiB: number;
}

interface Entry {
  region: string;
  item: string;
}

const randomDay = (rng: Rng, from = '2015-07-01', to = '2024-12-31') => dateOf(rng.int(dayOf(from), dayOf(to)));
const randomInstant = (rng: Rng, from = '2015-01-05', to = '2025-07-01') => new Date((rng.int(dayOf(from), dayOf(to)) * 86400 + rng.int(0, 86399)) * 1000 + rng.int(0, 999)).toISOString();

/** A store wrapper that samples memory every 20,000 events of a replay (a rebuild reads through replayAll). */
function sampledStore(store: SqliteEventStore): EventStore {
  return new Proxy(store, {
    get(t, p) {
      if (p === 'replayAll') {
        return (from: number, onEvent: (e: StoredEvent) => void, options?: ReplayOptions) => {
          let n = 0;
          return t.replayAll(
            from,
            (e) => {
              onEvent(e);
              if (++n % 20_000 === 0) sampleRss();
            },
            options,
          );
        };
      }
      const v = (t as any)[p];
      return typeof v === 'function' ? v.bind(t) : v;
    },
  }) as unknown as EventStore;
}

/** The reading part of a rebuild alone: the same replay with a handler that only touches the event. */
async function timeReplayOnly(store: SqliteEventStore): Promise<number> {
  let sink = 0;
  const t0 = hr();
  await store.replayAll(0, (e) => {
    sink += e.position;
  });
  const ms = usSince(t0) / 1000;
  if (sink < 0) log('');
  return ms;
}

function spawnNode(args: string[], env: NodeJS.ProcessEnv, heapMiB: number): ChildProcess {
  // QUANZE_BENCH_API_FLAGS: extra node flags for the API (e.g. --trace-gc while looking into a figure).
  const extra = (process.env.QUANZE_BENCH_API_FLAGS ?? '').split(' ').filter(Boolean);
  return spawn(process.execPath, [`--max-old-space-size=${heapMiB}`, ...extra, '-r', join(ROOT, 'bin', 'ts-register.js'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
}

const waitExit = (c: ChildProcess) => new Promise<number>((res) => (c.exitCode !== null ? res(c.exitCode) : c.once('exit', (code) => res(code ?? 1))));

async function runSize(sizeName: string, seed: number, heapMiB: number, machine: string, command: string): Promise<SizeResult> {
  const t00 = Date.now();
  const l00 = load();
  peakRss = 0;
  const base = mkdtempSync(join(tmpdir(), `quanze-bench-${sizeName}-`));
  const logDir = join(base, 'log');
  const file = join(logDir, 'events.db');
  const rng = new Rng(`bench:${sizeName}:${seed}`);
  const quick = sizeName === 'S' || sizeName === 'XS';
  /** Only generation, rebuild and the PostgreSQL comparison (merged into the size's existing results). */
  const pgOnly = flag('pg-only');
  const result: Partial<SizeResult> = { size: sizeName, seed, date: new Date().toISOString(), command, machine, heapLimitMiB: Math.round(getHeapStatistics().heap_size_limit / MiB) };
  const cleanups: Array<() => void> = [() => rmSync(base, { recursive: true, force: true })];
  // Ctrl-C or a kill: remove the generated log too (the PostgreSQL peer stops its own server).
  const onSignal = () => {
    if (!flag('keep')) rmSync(base, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  cleanups.push(() => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  });
  try {
    // ---- generation (a child process: its memory is its own) ----
    log(`${sizeName}: generating (seed ${seed})…`);
    let p0 = { t: Date.now(), l: load() };
    const gen = spawn(process.execPath, [`--max-old-space-size=${heapMiB}`, '-r', join(ROOT, 'bin', 'ts-register.js'), join(ROOT, 'bench', 'generate.ts'), '--size', sizeName, '--seed', String(seed), '--out', logDir, '--force'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    if ((await waitExit(gen)) !== 0) throw new Error('generation failed');
    const g = JSON.parse(readFileSync(join(logDir, 'generation.json'), 'utf8'));
    result.generation = {
      seconds: g.seconds,
      load: [p0.l, load()],
      events: g.events,
      eventsPerSec: g.events / g.seconds,
      appendSeconds: g.appendSeconds,
      appends: g.appends,
      maxRssMiB: g.maxRssBytes / MiB,
      bytes: g.bytes,
      bytesPerEvent: g.bytes / g.events,
      plan: g.plan,
      eventsByType: g.eventsByType,
      warnings: g.warnings,
    };

    // ---- rebuild of every projection from zero ----
    log(`${sizeName}: rebuilding the read models from ${fmt(g.events)} events…`);
    gc();
    const rss0 = sampleRss();
    p0 = { t: Date.now(), l: load() };
    const store = new SqliteEventStore({ file });
    cleanups.unshift(() => void store.close());
    // both read models, as the server runs them (the staffing findings need the staffing read model)
    let models = createReadModels();
    let view = models.view;
    let runner = new ProjectionRunner(sampledStore(store), models.projections);
    const t0 = hr();
    const head = await runner.rebuild();
    const rebuildSecs = usSince(t0) / 1e6;
    const rebuildPeak = peakRss;
    gc();
    const retainedHeap = process.memoryUsage().heapUsed;
    const retainedRss = sampleRss();
    const l1 = load();
    const acc = { readMs: await timeReplayOnly(store) };
    // A second rebuild under the profiler, to show where the time goes (not timed; not for L, for time).
    const prof =
      sizeName === 'L'
        ? { top: [{ fn: 'not profiled for L (see M)', selfPct: 0 }] }
        : await profile(async () => {
            models = createReadModels();
            view = models.view;
            runner = new ProjectionRunner(store, models.projections);
            return runner.rebuild();
          });
    gc();
    result.rebuild = {
      seconds: rebuildSecs,
      load: [p0.l, l1],
      events: head,
      eventsPerSec: head / rebuildSecs,
      readParseSeconds: acc.readMs / 1000,
      peakRssMiB: rebuildPeak / MiB,
      retainedHeapMiB: retainedHeap / MiB,
      retainedRssMiB: (retainedRss - rss0) / MiB,
      profile: prof.top,
    };

    // ---- shape of what was generated ----
    const entries: Entry[] = [];
    for (const e of view.entryKeys()) entries.push({ region: e.regionCode, item: e.itemCode });
    const levelOf = new Map<string, string>();
    const regionsByLevel: Record<string, string[]> = { province: [], city: [], county: [], township: [] };
    for (const code of view.regionCodes()) {
      const r = view.region(code)!;
      levelOf.set(code, r.level);
      regionsByLevel[r.level].push(code);
    }
    const listSize: SizeResult['shape']['listSize'] = {};
    const today = '2024-12-31';
    for (const level of ['province', 'city', 'county', 'township']) {
      const sample = rng.sample(regionsByLevel[level].filter((c) => view.hasEntriesIn(c)), level === 'township' ? 40 : 12);
      if (!sample.length) continue;
      const sizes: number[] = [];
      const depts: number[] = [];
      for (const code of sample) {
        const l = regionList(view, { region: code, at: today });
        sizes.push(l.items.length);
        depts.push(new Set(l.items.flatMap((i) => i.owners.map((o) => o.departmentId))).size);
      }
      listSize[level] = { mean: sizes.reduce((a, b) => a + b, 0) / sizes.length, min: Math.min(...sizes), max: Math.max(...sizes), departments: depts.reduce((a, b) => a + b, 0) / depts.length };
    }
    result.shape = {
      regions: Object.fromEntries(Object.entries(regionsByLevel).map(([k, v]) => [k, v.length])),
      entries: entries.length,
      departments: view.sizes().departments,
      items: view.sizes().catalogItems,
      listSize,
    };

    // ---- queries in process ----
    log(`${sizeName}: queries in process…`);
    p0 = { t: Date.now(), l: load() };
    const nOwn = 50_000;
    const ownQ = Array.from({ length: nOwn }, () => ({ ...rng.pick(entries), at: randomDay(rng) }));
    const knownQ = ownQ.map((q) => ({ ...q, asKnownAt: randomInstant(rng) }));
    if (!pgOnly) {
    const time = <Q>(qs: Q[], f: (q: Q) => unknown) => {
      const xs: number[] = [];
      for (const q of qs) {
        const t = hr();
        f(q);
        xs.push(usSince(t));
      }
      sampleRss();
      return xs;
    };
    gc();
    await settle();
    time(ownQ.slice(0, 5000), (q) => ownership(view, q)); // warm-up
    const own = lat(time(ownQ, (q) => ownership(view, q)));
    const known = lat(time(knownQ, (q) => ownership(view, q)));
    // Lists come from the per-region interval index (libs/projections/src/list/list-index.ts), built on a
    // region's first question: timed on the first question of each region drawn, then on the same
    // regions again (other dates), and, for before/after in one process, by folding every entry.
    const listLat: Record<string, Lat & { items: number; firstQuestion: Lat; byFold: Lat }> = {};
    const ms = (xs: number[]) => lat(xs.map((x) => x / 1000));
    for (const level of ['province', 'city', 'county', 'township']) {
      const codes = regionsByLevel[level].filter((c) => view.hasEntriesIn(c));
      if (!codes.length) continue;
      const qs = Array.from({ length: level === 'township' ? 200 : level === 'county' ? 40 : 10 }, () => ({ region: rng.pick(codes), at: randomDay(rng, '2020-01-01') }));
      const byFold = ms(time(qs, (q) => regionListByFold(view, q)));
      const firstQuestion = ms(time(qs, (q) => regionList(view, q)));
      let items = 0;
      const again = qs.map((q) => ({ ...q, at: randomDay(rng, '2020-01-01') }));
      const xs = time(again, (q) => (items += regionList(view, q).items.length));
      listLat[level] = { ...ms(xs), items: items / qs.length, firstQuestion, byFold };
    }
    const counties = regionsByLevel.county.filter((c) => view.hasEntriesIn(c));
    const lkq = Array.from({ length: 40 }, () => ({ region: rng.pick(counties), at: randomDay(rng, '2017-01-01'), asKnownAt: randomInstant(rng, '2017-01-01') }));
    const lkFold = ms(time(lkq, (q) => regionListByFold(view, q)));
    const lkFirst = ms(time(lkq, (q) => regionList(view, { ...q, asKnownAt: randomInstant(rng, '2017-01-01') })));
    let lkItems = 0;
    const listKnown = { ...ms(time(lkq, (q) => (lkItems += regionList(view, q).items.length))), items: lkItems / lkq.length, firstQuestion: lkFirst, byFold: lkFold };
    const dq = Array.from({ length: 20 }, () => ({ region: rng.pick(counties), from: '2018-06-30', to: '2019-06-30' }));
    const diffFirst = ms(time(dq, (q) => regionListDiff(view, q)));
    let changes = 0;
    const diff = {
      ...ms(
        time(dq, (q) => {
          const d = regionListDiff(view, q);
          changes += d.added.length + d.removed.length + d.transferred.length + d.revised.length;
        }),
      ),
      changes: changes / dq.length,
      firstQuestion: diffFirst,
    };
    const hq = Array.from({ length: 5000 }, () => ({ ...rng.pick(entries), withActors: false }));
    let hEvents = 0;
    const history = { ...lat(time(hq, (q) => (hEvents += itemHistory(view, q).events.length))), events: hEvents / hq.length };
    const itemCodes = [...view.catalogCodes()];
    const hwq = Array.from({ length: 500 }, () => ({ item: rng.pick(itemCodes), withActors: false }));
    let hwEvents = 0;
    const historyWhole = { ...lat(time(hwq, (q) => (hwEvents += itemHistory(view, q).events.length))), events: hwEvents / hwq.length };
    const countyDepts = counties.flatMap((c) => [...view.departmentIdsIn(c)]);
    const depq = Array.from({ length: 500 }, () => ({ id: rng.pick(countyDepts), at: randomDay(rng, '2020-01-01') }));
    let depItems = 0;
    const dept = { ...lat(time(depq, (q) => (depItems += departmentView(view, q).items.length))), items: depItems / depq.length };
    const qprof = await profile(() => {
      for (const q of ownQ.slice(0, 20000)) ownership(view, q);
      for (const q of knownQ.slice(0, 20000)) ownership(view, q);
    });
    let findings: string | FindingsFigures[] = 'not measured: libs/projections/src/findings does not exist in this tree';
    const findingsDir = join(ROOT, 'libs', 'projections', 'src', 'findings');
    if (existsSync(join(findingsDir, 'index.ts'))) {
      log(`${sizeName}: findings for a whole city and a whole province…`);
      findings = await measureFindings(findingsDir, view, regionsByLevel, quick ? 8_000 : 60_000);
    }
    result.queries = {
      seconds: (Date.now() - p0.t) / 1000,
      load: [p0.l, load()],
      ownership: own,
      ownershipAsKnownAt: known,
      asKnownRatio: known.p99 / own.p99,
      list: listLat,
      listAsKnownAt: listKnown,
      diff,
      history,
      historyWholeProvince: historyWhole,
      department: dept,
      findings,
      profile: qprof.top,
    };

    // ---- writes at this scale (on a copy of the generated log) ----
    log(`${sizeName}: writes at scale (copy of the log)…`);
    p0 = { t: Date.now(), l: load() };
    const copy = join(base, 'copy.db');
    await store.close();
    copyFileSync(file, copy);
    const commandsAtScale: NonNullable<SizeResult['writeAtScale']>['commands'] = [];
    const batches: NonNullable<SizeResult['writeAtScale']>['batches'] = [];
    for (const sync of ['FULL', 'NORMAL'] as const) {
      const s = new SqliteEventStore({ file: copy, synchronous: sync });
      const reg = new Registry(s, view);
      const n = quick ? 300 : 1000;
      const xs: number[] = [];
      let refused = 0;
      const tc = hr();
      for (let i = 0; i < n; i++) {
        const e = rng.pick(entries);
        const depts = [...view.departmentIdsIn(e.region)];
        const t = hr();
        try {
          await reg.assignItem({ regionCode: e.region, itemCode: e.item, departmentId: rng.pick(depts), role: 'cooperating', effectiveFrom: '2025-03-01', document: { number: `基准〔2025〕${i}号` } }, { actor: 'bench' });
          xs.push(usSince(t) / 1000);
        } catch {
          refused++;
        }
      }
      const secs = usSince(tc) / 1e6;
      commandsAtScale.push({ sync, n: xs.length, refused, perSec: n / secs, p50ms: pct(xs, 50), p99ms: pct(xs, 99) });
      for (const per of [1, 100]) {
        const commits = per === 1 ? (quick ? 500 : 1000) : quick ? 50 : 100;
        const tb = hr();
        for (let i = 0; i < commits; i++) {
          await s.append([{ stream: `bench-scale-${i % 997}`, expectedVersion: 'any', events: Array.from({ length: per }, () => ({ id: randomUUID(), type: 'ItemAssigned', data: { regionCode: '140105', itemCode: `14-CF-${String(i).padStart(6, '0')}`, departmentId: '140105-GA', role: 'lead', effectiveFrom: '2025-01-01', document: { number: '晋政办发〔2025〕1号' } }, metadata: { actor: 'bench', schemaVersion: 2 } })) }]);
        }
        batches.push({ sync, perCommit: per, commits, eventsPerSec: (per * commits) / (usSince(tb) / 1e6) });
      }
      await s.close();
    }
    rmSync(copy, { force: true });
    rmSync(`${copy}-wal`, { force: true });
    result.writeAtScale = { seconds: (Date.now() - p0.t) / 1000, load: [p0.l, load()], commands: commandsAtScale, batches };

    }

    // ---- PostgreSQL ----
    if (!flag('no-pg')) {
      try {
        result.postgres = await postgresPeer(file, view, entries, regionsByLevel, ownQ, knownQ, rng, g.events, quick);
      } catch (e) {
        result.postgresError = (e as Error).stack ?? String(e);
        log(`PostgreSQL part failed: ${(e as Error).message}`);
      }
    }

    // ---- HTTP ----
    if (!flag('no-http') && !pgOnly) {
      // Free the in-process read model first: the server builds its own.
      const listsFor = (level: string) => {
        const codes = regionsByLevel[level].filter((c) => view.hasEntriesIn(c));
        return codes.length ? Array.from({ length: quick ? 100 : 300 }, () => ({ region: rng.pick(codes), at: randomDay(rng) })) : [];
      };
      const sample = { ownQ: ownQ.slice(0, 20000), knownQ: knownQ.slice(0, 20000), lists: { city: listsFor('city'), county: listsFor('county') } };
      view = new RegistryProjection();
      runner = new ProjectionRunner(store, [view]);
      gc();
      await settle();
      log(`HTTP: ${await settleMachine()}`);
      try {
        result.http = await httpPeer(logDir, heapMiB, sample, quick);
      } catch (e) {
        result.httpError = (e as Error).stack ?? String(e);
        log(`HTTP part failed: ${(e as Error).message}`);
      }
    }
  } finally {
    for (const c of cleanups) {
      try {
        if (!flag('keep')) c();
      } catch {
        /* best effort */
      }
    }
    if (flag('keep')) log(`kept ${base}`);
  }
  result.peakRssMiB = Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / MiB;
  result.totalSeconds = (Date.now() - t00) / 1000;
  result.load = [l00, load()];
  return result as SizeResult;
}

export interface FindingsFigures {
  scope: string;
  regions: number;
  measuredRegions: number;
  findings: number;
  byKind: Record<string, number>;
  coldMs: number;
  warmMs: number;
  /** When the time box ran out: the cold time scaled to every region. */
  extrapolatedColdMs?: number;
}

/**
 * Findings (libs/projections/src/findings, written by a colleague) for every region of a whole city
 * and of a whole province on one date: first call (cold: the engine builds its memoised timelines)
 * and a second one (warm). Loaded at run time, so the bench still runs where the module is absent.
 */
async function measureFindings(dir: string, view: RegistryProjection, regionsByLevel: Record<string, string[]>, budgetMs: number): Promise<string | FindingsFigures[]> {
  let findingsOn: (v: RegistryProjection, q: { region: string; at: string }) => { findings: Array<{ kind: string }> };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    findingsOn = require(dir).findingsOn;
    if (typeof findingsOn !== 'function') return 'libs/projections/src/findings has no findingsOn(); not measured';
  } catch (e) {
    return `libs/projections/src/findings could not be loaded (${(e as Error).message.split('\n')[0]}); not measured`;
  }
  const under = (code: string): string[] => {
    const out = [code];
    for (const c of view.childRegions(code)) out.push(...under(c));
    return out;
  };
  const out: FindingsFigures[] = [];
  const scopes: Array<[string, string | undefined]> = [
    ['city', regionsByLevel.city[0]],
    ['province', regionsByLevel.province[0]],
  ];
  for (const [scope, root] of scopes) {
    if (!root) continue;
    const regions = under(root).filter((r) => view.hasEntriesIn(r) || r === root);
    const byKind: Record<string, number> = {};
    let findings = 0;
    let measured = 0;
    const t0 = Date.now();
    try {
      for (const region of regions) {
        const r = findingsOn(view, { region, at: '2024-12-31' });
        for (const f of r.findings) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
        findings += r.findings.length;
        measured++;
        sampleRss();
        if (Date.now() - t0 > budgetMs) break;
      }
    } catch (e) {
      return `findingsOn failed on ${scope} ${root}: ${(e as Error).message.split('\n')[0]}`;
    }
    const coldMs = Date.now() - t0;
    const t1 = Date.now();
    for (const region of regions.slice(0, measured)) findingsOn(view, { region, at: '2024-12-31' });
    const warmMs = Date.now() - t1;
    out.push({ scope: `${scope} ${root}`, regions: regions.length, measuredRegions: measured, findings, byKind, coldMs, warmMs, ...(measured < regions.length ? { extrapolatedColdMs: (coldMs * regions.length) / measured } : {}) });
    log(`findings, ${scope} ${root}: ${measured}/${regions.length} regions, ${findings} findings, cold ${coldMs} ms, warm ${warmMs} ms`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL, side by side.

async function postgresPeer(
  file: string,
  view: RegistryProjection,
  entries: Entry[],
  regionsByLevel: Record<string, string[]>,
  ownQ: Array<Entry & { at: string }>,
  knownQ: Array<Entry & { at: string; asKnownAt: string }>,
  rng: Rng,
  events: number,
  quick: boolean,
): Promise<NonNullable<SizeResult['postgres']>> {
  if (flag('pg-exclusion') && !INDEXES.includes(EXCLUSION)) INDEXES.unshift(EXCLUSION);
  const p0 = { t: Date.now(), l: load() };
  log('PostgreSQL: starting a private server…');
  const srv = await startPostgres({ log, ...(PORTS ? { portRange: [Number(PORTS[1]) + 10, Number(PORTS[2])] as [number, number] } : {}) });
  try {
    const pg = await srv.connect();
    log('PostgreSQL: loading the same history (ETL from the log, bitemporal rows)…');
    const loaded = await loadIntoPostgres(pg, file, log);
    const indexes = [...INDEXES];
    gc(); // the ETL's garbage would otherwise be collected during the timings

    // -- agreement (bench/agreement.ts) --
    log('PostgreSQL: checking that both give the same answers…');
    const listRegions = [...regionsByLevel.county, ...regionsByLevel.township, ...regionsByLevel.city].filter((c) => view.hasEntriesIn(c));
    const nListQ = quick ? 200 : 1000;
    const agreement = await checkAgreement(
      view,
      pg,
      {
        ownership: [...ownQ.slice(0, 2000), ...knownQ.slice(0, 2000)],
        lists: Array.from({ length: nListQ }, (_, i) => ({ region: rng.pick(listRegions), at: randomDay(rng), ...(i % 2 ? { asKnownAt: randomInstant(rng) } : {}) })),
        histories: rng.sample(entries, 300).map((e) => ({ region: e.region, item: e.item })),
      },
      log,
    );
    for (const x of agreement.examples) log(`disagreement: ${x}`);

    // -- timings (same questions for both) --
    log('PostgreSQL: timing the same questions…');
    gc();
    const timePg = async (name: string, text: string, qs: unknown[][]) => {
      const xs: number[] = [];
      for (const v of qs) {
        const t = hr();
        await pg.query({ name, text, values: v });
        xs.push(usSince(t));
      }
      return xs;
    };
    const timeQ = <Q>(qs: Q[], f: (q: Q) => unknown) => {
      const xs: number[] = [];
      for (const q of qs) {
        const t = hr();
        f(q);
        xs.push(usSince(t));
      }
      return xs;
    };
    const N = quick ? 2000 : 3000;
    const oq = ownQ.slice(5000, 5000 + N);
    const kq = knownQ.slice(5000, 5000 + N);
    await timePg('own', SQL.ownership, oq.slice(0, 300).map((q) => [q.region, q.item, q.at, 'infinity'])); // warm-up
    const pgOwn = lat(await timePg('own', SQL.ownership, oq.map((q) => [q.region, q.item, q.at, 'infinity'])));
    const pgKnown = lat(await timePg('own', SQL.ownership, kq.map((q) => [q.region, q.item, q.at, q.asKnownAt])));
    const qzOwn = lat(timeQ(oq, (q) => ownership(view, q)));
    const qzKnown = lat(timeQ(kq, (q) => ownership(view, q)));
    const serverMs: number[] = [];
    for (const q of kq.slice(0, 300)) {
      const r = await pg.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${SQL.ownership}`, [q.region, q.item, q.at, q.asKnownAt]);
      serverMs.push(r.rows[0]['QUERY PLAN'][0]['Execution Time'] * 1000);
    }
    const pgList: Record<string, Lat & { items: number }> = {};
    const qzList: Record<string, Lat & { firstQuestion?: Lat; byFold?: Lat }> = {};
    for (const level of ['city', 'county', 'township']) {
      const codes = regionsByLevel[level].filter((c) => view.hasEntriesIn(c));
      if (!codes.length) continue;
      const qs = Array.from({ length: level === 'township' ? 100 : 20 }, () => ({ region: rng.pick(codes), at: randomDay(rng, '2020-01-01'), asKnownAt: undefined as string | undefined }));
      let items = 0;
      const xs: number[] = [];
      for (const q of qs) {
        const t = hr();
        const r = await pg.query({ text: SQL.list, values: [q.region, q.at, 'infinity'] });
        xs.push(usSince(t) / 1000);
        items += new Set(r.rows.map((x) => x.item)).size;
      }
      pgList[level] = { ...lat(xs), items: items / qs.length };
      // quanze: the same questions, by folding every entry (before), on the region's first question and asked again (the index).
      const fold = lat(timeQ(qs, (q) => regionListByFold(view, q)).map((x) => x / 1000));
      const first = lat(timeQ(qs, (q) => regionList(view, q)).map((x) => x / 1000));
      qzList[level] = { ...lat(timeQ(qs, (q) => regionList(view, q)).map((x) => x / 1000)), firstQuestion: first, byFold: fold };
    }
    // A county's list as known at an instant: both sides have the question.
    const countyCodes = regionsByLevel.county.filter((c) => view.hasEntriesIn(c));
    let pgListKnown: Lat | undefined;
    let qzListKnown: (Lat & { byFold?: Lat }) | undefined;
    if (countyCodes.length) {
      const kqs = Array.from({ length: 20 }, () => ({ region: rng.pick(countyCodes), at: randomDay(rng, '2017-01-01'), asKnownAt: randomInstant(rng, '2017-01-01') }));
      const xs: number[] = [];
      for (const q of kqs) {
        const t = hr();
        await pg.query({ text: SQL.list, values: [q.region, q.at, q.asKnownAt] });
        xs.push(usSince(t) / 1000);
      }
      pgListKnown = lat(xs);
      const fold = lat(timeQ(kqs, (q) => regionListByFold(view, q)).map((x) => x / 1000));
      for (const q of kqs) regionList(view, { region: q.region, at: q.at }); // the regions' indexes built (their first question)
      qzListKnown = { ...lat(timeQ(kqs, (q) => regionList(view, q)).map((x) => x / 1000)), byFold: fold };
    }
    const hq = rng.sample(entries, 2000);
    const pgHist = lat(await timePg('hist', SQL.history, hq.map((e) => [e.region, e.item])));
    const qzHist = lat(timeQ(hq, (e) => itemHistory(view, { item: e.item, region: e.region, withActors: false })));
    // Throughput with 8 connections for a few seconds.
    const pool = await Promise.all(Array.from({ length: 8 }, () => srv.connect()));
    let done = 0;
    const until = Date.now() + 5000;
    await Promise.all(
      pool.map(async (c, k) => {
        let i = k;
        while (Date.now() < until) {
          const q = knownQ[i++ % knownQ.length];
          await c.query({ name: 'own', text: SQL.ownership, values: [q.region, q.item, q.at, q.asKnownAt] });
          done++;
        }
      }),
    );
    const throughput8 = done / 5;
    await Promise.all(pool.map((c) => c.end()));
    await pg.end();
    return {
      seconds: (Date.now() - p0.t) / 1000,
      load: [p0.l, load()],
      version: srv.version,
      settings: srv.settings,
      indexes,
      loading: { etlSeconds: loaded.seconds - loaded.insertSeconds, insertSeconds: loaded.insertSeconds, indexSeconds: loaded.indexSeconds, rows: loaded.rows, bytes: loaded.bytes, bytesPerEvent: loaded.bytes / events },
      agreement,
      ownership: pgOwn,
      ownershipAsKnownAt: pgKnown,
      ownershipServerMs: lat(serverMs.map((x) => x / 1000)),
      list: pgList,
      history: pgHist,
      throughput8,
      listAsKnownAt: pgListKnown,
      quanze: { ownership: qzOwn, ownershipAsKnownAt: qzKnown, list: qzList, history: qzHist, listAsKnownAt: qzListKnown },
    };
  } finally {
    srv.stop();
    log('PostgreSQL: stopped, data dir removed');
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP: the API as deployed (its own process), sequential and under load.

async function httpPeer(dataDir: string, heapMiB: number, sample: { ownQ: Array<Entry & { at: string }>; knownQ: Array<Entry & { at: string; asKnownAt: string }>; lists: Record<string, Array<{ region: string; at: string }>> }, quick: boolean): Promise<NonNullable<SizeResult['http']>> {
  const p0 = { t: Date.now(), l: load() };
  const token = 'bench-token-0123456789abcdef';
  log('HTTP: starting the API on the generated log (catch-up from zero)…');
  const t0 = Date.now();
  // --api-heap <MiB>: the API's V8 heap limit (default: the bench's own); a smaller one makes V8 collect
  // the garbage of serving requests sooner, which is what decides the API's peak RSS.
  const apiHeapMiB = Number(opt('api-heap')) || heapMiB;
  if (apiHeapMiB !== heapMiB) log(`HTTP: the API runs with --max-old-space-size=${apiHeapMiB}`);
  const apiEnv = { PORT: port(1), HOST: '127.0.0.1', QUANZE_DATA_DIR: dataDir, QUANZE_DEMO: '0', QUANZE_TOKENS: `bench:reader:${token}` };
  let child = spawnNode([join(ROOT, 'apps', 'api', 'src', 'main.ts')], apiEnv, apiHeapMiB);
  const killChild = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killChild);
  try {
    const listening = (c: ChildProcess) =>
      new Promise<string>((res, rej) => {
        let buf = '';
        let found = false;
        c.stdout!.on('data', (d) => {
          if (process.env.QUANZE_BENCH_API_FLAGS) appendFileSync(join(dataDir, '..', 'api-stdout.log'), d);
          // Once listening, the API's request log (one JSON line per request at the default level) is only
          // drained: accumulating it and searching it again on every chunk cost the bench process more CPU
          // than the API itself under load (33.8 s of 56 s in an S run), and a slow reader blocks the API's writes.
          if (found) return;
          buf += String(d);
          const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(buf);
          if (m) {
            found = true;
            buf = '';
            res(m[1]);
          }
        });
        c.once('exit', (code) => rej(new Error(`API exited (${code}) before listening: ${buf.slice(-500)}`)));
      });
    const url = await listening(child);
    const startupSeconds = (Date.now() - t0) / 1000;
    const status = () => {
      const s = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0) * 1024;
      return { hwm: kb('VmHWM'), rss: kb('VmRSS') };
    };
    const pathOf = (q: Entry & { at: string; asKnownAt?: string }) => `/api/ownership?region=${q.region}&item=${encodeURIComponent(q.item)}&at=${q.at}${q.asKnownAt ? `&asKnownAt=${encodeURIComponent(q.asKnownAt)}` : ''}`;
    const paths = sample.ownQ.map((q, i) => (i % 2 ? pathOf(sample.knownQ[i]) : pathOf(q)));
    const headers = { authorization: `Bearer ${token}` };
    // Sequential, one client.
    const seq: number[] = [];
    for (let i = 0; i < (quick ? 1000 : 3000); i++) {
      const t = hr();
      const r = await fetch(url + paths[i], { headers });
      await r.text();
      if (r.status !== 200) throw new Error(`HTTP ${r.status} for ${paths[i]}`);
      seq.push(usSince(t) / 1000);
    }
    // A region's list on a date over HTTP (issue 19: ≤ 10 / 25 ms at p50 / p99 for ~3,000 items as JSON).
    const list: NonNullable<NonNullable<SizeResult['http']>['list']> = {};
    for (const [level, qs] of Object.entries(sample.lists)) {
      if (!qs.length) continue;
      const t: number[] = [];
      let bytes = 0;
      let items = 0;
      for (const q of qs) {
        const t0 = hr();
        const r = await fetch(`${url}/api/regions/${q.region}/list?at=${q.at}`, { headers });
        // the time to the answer's last byte (the client's own decoding and parsing are not the API's)
        const raw = Buffer.from(await r.arrayBuffer());
        t.push(usSince(t0) / 1000);
        const body = raw.toString('utf8');
        if (r.status !== 200) throw new Error(`HTTP ${r.status} for the list of ${q.region} on ${q.at}: ${body.slice(0, 200)}`);
        bytes += raw.length;
        items += (JSON.parse(body).items ?? []).length;
      }
      list[level] = { ...lat(t.slice(Math.min(10, t.length >> 2))), bytes: bytes / qs.length, items: Math.round(items / qs.length) };
      log(`HTTP: list of a ${level} (${fmt(list[level].items)} items, ${fmt(list[level].bytes / 1024)} KiB): p50 ${fmt(list[level].p50, 2)} ms, p99 ${fmt(list[level].p99, 2)} ms`);
    }
    // The load itself comes from a small process of its own (bench/load-client.ts): autocannon at 1, 10
    // and 50 connections (closed loop), autocannon's "2,000 req/s" (a budget per second, sent in bursts),
    // then an open loop at a steady 2,000 req/s whose latencies count from when each request was due.
    const duration = quick ? 3 : 8;
    const fixedSeconds = quick ? 5 : 10;
    const openSeconds = quick ? 5 : 20;
    const jobFile = join(dataDir, '..', 'load-job.json');
    writeFileSync(
      jobFile,
      JSON.stringify({
        url,
        headers,
        paths,
        runs: [
          ...[1, 10, 50].map((connections) => ({ kind: 'autocannon', connections, duration })),
          { kind: 'autocannon', connections: 20, duration: fixedSeconds, overallRate: 2000 },
          { kind: 'open', rate: 2000, duration: openSeconds, sockets: 64 },
          { kind: 'open', rate: 5000, duration: openSeconds, sockets: 128 },
        ],
      }),
    );
    const client = spawn(process.execPath, ['-r', join(ROOT, 'bin', 'ts-register.js'), join(ROOT, 'bench', 'load-client.ts'), jobFile], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const lines: any[] = [];
    let pending = '';
    client.stdout!.on('data', (d) => {
      pending += String(d);
      for (let i = pending.indexOf('\n'); i >= 0; i = pending.indexOf('\n')) {
        const r = JSON.parse(pending.slice(0, i));
        pending = pending.slice(i + 1);
        lines.push(r);
        const what = r.kind === 'open' ? `open loop at ${r.rate} req/s (${r.sockets} sockets at most)` : r.overallRate ? `autocannon "${r.overallRate} req/s" (${r.connections} connections)` : `${r.connections} connections`;
        log(`HTTP: ${what}: ${fmt(r.reqPerSec)} req/s, p50 ${fmt(r.p50, 2)} ms, p99 ${fmt(r.p99, 2)} ms, p99.9 ${fmt(r.p999, 2)} ms`);
      }
    });
    const cpu0 = { bench: process.cpuUsage(), api: cpuSecondsOf(child.pid!), t: Date.now() };
    const code = await waitExit(client);
    if (code !== 0) throw new Error(`the load client exited with ${code}`);
    // Who used the CPU while the load ran (the bench process should be idle).
    const cpu1 = process.cpuUsage(cpu0.bench);
    const cpu = { seconds: (Date.now() - cpu0.t) / 1000, benchCpuSeconds: (cpu1.user + cpu1.system) / 1e6, apiCpuSeconds: cpuSecondsOf(child.pid!) - cpu0.api };
    log(`HTTP: during the load (${fmt(cpu.seconds)} s): API ${fmt(cpu.apiCpuSeconds, 1)} s of CPU, bench process ${fmt(cpu.benchCpuSeconds, 1)} s`);
    const loadRuns: NonNullable<SizeResult['http']>['runs'] = lines
      .filter((r) => r.kind === 'autocannon' && !r.overallRate)
      .map((r) => ({ connections: r.connections, seconds: r.duration, reqPerSec: r.reqPerSec, p50: r.p50, p99: r.p99, errors: r.errors, non2xx: r.non2xx }));
    const fr = lines.find((r) => r.kind === 'autocannon' && r.overallRate);
    const open = lines.find((r) => r.kind === 'open' && r.rate === 2000);
    const open5k = lines.find((r) => r.kind === 'open' && r.rate === 5000);
    const st = status();
    const snap = join(dataDir, 'readmodels', 'readmodels.snapshot');
    const snapshotBytes = existsSync(snap) ? statSync(snap).size : 0;
    // Restart (issue 19: ≤ 5 s on M): SIGTERM saves the snapshot at the head; the next start restores it.
    child.kill('SIGTERM');
    if ((await waitExit(child)) !== 0) throw new Error('the API did not exit cleanly on SIGTERM');
    const t1 = Date.now();
    child = spawnNode([join(ROOT, 'apps', 'api', 'src', 'main.ts')], apiEnv, apiHeapMiB);
    const url2 = await listening(child);
    const restartSeconds = (Date.now() - t1) / 1000;
    const h = (await (await fetch(`${url2}/api/health`, { headers })).json()) as any;
    const restoredFrom = (h.projections ?? h.readModels ?? [])[0]?.restoredFrom;
    const check = await fetch(url2 + paths[0], { headers });
    if (check.status !== 200) throw new Error(`HTTP ${check.status} after the restart`);
    await check.text();
    const restart = { seconds: restartSeconds, fromSnapshot: !!restoredFrom, rssMiB: status().rss / MiB };
    log(`HTTP: restart ${restoredFrom ? 'from the snapshot' : 'from zero (no snapshot restored)'}: ${fmt(restartSeconds, 1)} s, RSS ${fmt(restart.rssMiB)} MiB`);
    return {
      seconds: (Date.now() - p0.t) / 1000,
      load: [p0.l, load()],
      startupSeconds,
      snapshotBytes,
      serverPeakRssMiB: st.hwm / MiB,
      serverRssMiB: st.rss / MiB,
      sequential: lat(seq),
      runs: loadRuns,
      fixedRate: { target: 2000, connections: 20, seconds: fixedSeconds, reqPerSec: fr.reqPerSec, p50: fr.p50, p99: fr.p99, p999: fr.p999, errors: fr.errors, non2xx: fr.non2xx },
      cpu,
      openLoop: { rate: open.rate, seconds: open.duration, sockets: open.sockets, reqPerSec: open.reqPerSec, p50: open.p50, p99: open.p99, p999: open.p999, max: open.max, errors: open.errors, non2xx: open.non2xx, slowest: open.slowest },
      ...(open5k ? { openLoop5k: { rate: open5k.rate, seconds: open5k.duration, sockets: open5k.sockets, reqPerSec: open5k.reqPerSec, p50: open5k.p50, p99: open5k.p99, p999: open5k.p999, max: open5k.max, errors: open5k.errors, non2xx: open5k.non2xx } } : {}),
      list,
      restart,
    };
  } finally {
    child.kill('SIGTERM');
    const exited = await Promise.race([waitExit(child), new Promise<number>((r) => setTimeout(() => r(-1), 60_000).unref())]);
    if (exited === -1) child.kill('SIGKILL');
    process.removeListener('exit', killChild);
  }
}

// ---------------------------------------------------------------------------------------------
// Main.

/** docs/benchmarks.md from bench/results, its hand-written sections kept (bench/report.ts KEPT_MARK). */
function writeDocs() {
  const doc = join(ROOT, 'docs', 'benchmarks.md');
  writeFileSync(doc, renderBenchmarksKeeping(RESULTS_DIR, existsSync(doc) ? readFileSync(doc, 'utf8') : undefined));
}

async function main() {
  if (flag('report-only')) {
    writeDocs();
    console.log('docs/benchmarks.md rendered from bench/results/*.json');
    return;
  }
  const sizes = (opt('sizes') ?? opt('size') ?? (flag('quick') ? '' : 'S'))
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  for (const s of sizes) if (!SIZES[s]) throw new Error(`unknown size ${s} (S, M, L)`);
  const seed = Number(opt('seed') ?? '1');
  const heapMiB = sizes.includes('L') ? 20_000 : sizes.includes('M') ? 8_000 : 4_000;
  // Big read models need a bigger heap than Node's default: re-run under one (and with gc exposed).
  if (!process.env.QUANZE_BENCH_CHILD && (getHeapStatistics().heap_size_limit < heapMiB * 0.9 * MiB || !(global as { gc?: unknown }).gc)) {
    const child = spawn(process.execPath, [`--max-old-space-size=${heapMiB}`, '--expose-gc', ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, QUANZE_BENCH_CHILD: '1' } });
    child.on('exit', (code) => process.exit(code ?? 1));
    return;
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM, ${platform()} ${release()}, Node ${process.version}`;
  const command = `npm run bench -- ${argv.join(' ')}`.trim();
  log(`machine: ${machine}; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}; free ${fmt(freemem() / 2 ** 30, 1)} GiB`);
  mkdirSync(RESULTS_DIR, { recursive: true });

  if (!flag('no-micro')) {
    log('micro benchmarks (walking skeleton)…');
    const m = await micro(flag('quick'));
    writeFileSync(join(RESULTS_DIR, 'micro.json'), JSON.stringify({ ...m, machine, command }, null, 2) + '\n');
  }
  for (const s of sizes) {
    let r = await runSize(s, seed, heapMiB, machine, command);
    const file = join(RESULTS_DIR, `${s}.json`);
    if (flag('pg-only') && existsSync(file)) {
      const old = JSON.parse(readFileSync(file, 'utf8')) as SizeResult;
      // The rebuild is measured again on the way: keep that one too (each phase carries its own load).
      r = { ...old, rebuild: r.rebuild, postgres: r.postgres, postgresError: r.postgresError, command: `${old.command}; rebuild and PostgreSQL re-measured ${r.date.slice(0, 16)} with "${command}"` };
    }
    writeFileSync(file, JSON.stringify(r, null, 2) + '\n');
    log(`${s}: done in ${fmt(r.totalSeconds)} s; results in bench/results/${s}.json`);
  }
  writeDocs();
  console.log('\nwritten to docs/benchmarks.md');
  process.exit(0);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
