/**
 * `npm run torture`: the full reliability harness against the real server process.
 *
 *   npm run torture                       # ≥100 SIGKILLs, 10,000 hostile requests, 240 race rounds, the matrix
 *   npm run torture -- --kills 20 --hostile 2000 --races 40 --seed 42 --only crash,hostile --json out.json
 *   npm run torture -- --only availability --import-rows 5000   # import, crafted zips, findings while /api/health is polled; a killed import (--kill-rows)
 *   npm run torture -- --store postgres   # the server processes on a private PostgreSQL (a fresh database per phase)
 *
 * Prints the figures and exits 1 on any violation (each printed with what reproduces it).
 * docs/reliability.md explains what each phase does and records the figures of a run.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAuthzMatrix } from './attacks/authz-matrix';
import { AvailabilityResult, runAvailability } from './attacks/availability';
import { CrashLoopResult, runCrashLoop } from './attacks/crash-loop';
import { HostileResult, runFixedProbes, runHostile } from './attacks/hostile';
import { RaceResult, runRaces } from './attacks/races';
import { SlowClientResult, runSlowClients } from './attacks/slow-clients';
import { ServerChild } from './support/child';
import { startLoopTrace } from './support/loop-trace';
import { HOSTILE_HEAP_MB, ROLE_TOKENS, SECRETS, TOKENS_ENV, discover, startSeededChild, tempDir } from './support/harness';
import { Api, forgetAgent } from './support/http';
import { SEED_HINTS, seedWorld } from './support/seed';
import { PgServer, startPostgres } from '../../libs/event-store/src/testing/postgres-server';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const opts = {
  kills: Number(arg('kills', '100')),
  workers: Number(arg('workers', '4')),
  hostile: Number(arg('hostile', '10000')),
  concurrency: Number(arg('concurrency', '8')),
  races: Number(arg('races', '240')),
  clients: Number(arg('clients', '24')),
  seed: Number(arg('seed', String(process.env.QUANZE_TORTURE_SEED ?? Math.floor(Math.random() * 1_000_000)))),
  only: new Set(arg('only', 'matrix,hostile,slow,races,crash,availability').split(',')),
  importRows: Number(arg('import-rows', '150000')),
  killRows: Number(arg('kill-rows', '20000')),
  json: arg('json', join(tmpdir(), 'quanze-torture-report.json')),
  slowMs: Number(arg('slow-limit', '100000')),
  store: arg('store', 'sqlite'),
  /** Availability: a V8 CPU profile of the server child into this directory (the killed import is then left out: a SIGKILL writes no profile). */
  cpuProf: arg('cpu-prof', ''),
};
if (!['sqlite', 'postgres'].includes(opts.store)) {
  process.stderr.write(`--store ${opts.store}: sqlite or postgres\n`);
  process.exit(2);
}

/** With --store postgres: one private PostgreSQL for the run, a fresh database for each phase. */
let pg: PgServer | undefined;
let databases = 0;
async function freshStore(): Promise<void> {
  if (!pg) return;
  const db = `torture_${++databases}`;
  await pg.sql(`CREATE DATABASE ${db}`);
  process.env.QUANZE_TORTURE_EVENTSTORE = pg.url.replace(/\/postgres$/, `/${db}`);
}

const t0 = Date.now();
const say = (s: string) => process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${s}\n`);
const mb = (n?: number) => (n === undefined ? '-' : `${(n / 1048576).toFixed(0)} MB`);

interface Report {
  seed: number;
  /** Where the server processes' log was: sqlite, or postgres <version> (the matrix phase runs in-process on SQLite). */
  store?: string;
  seconds: number;
  matrix?: { routes: number; cells: number; byStatus: Record<string, number> };
  hostile?: Omit<HostileResult, 'violations' | 'byRoute'> & { fixedProbes: number; routesAttacked: number };
  slow?: Omit<SlowClientResult, 'violations'>;
  races?: Omit<RaceResult, 'violations'>;
  crash?: Omit<CrashLoopResult, 'violations'>;
  availability?: Omit<AvailabilityResult, 'violations'>;
  tokenLeaks: number;
  violations: string[];
}

async function main() {
  const report: Report = { seed: opts.seed, seconds: 0, tokenLeaks: 0, violations: [] };
  const fail = (phase: string, vs: string[]) => report.violations.push(...vs.map((v) => `[${phase}] ${v}`));
  say(`seed ${opts.seed}; phases: ${[...opts.only].join(', ')}; store ${opts.store}`);
  if (opts.store === 'postgres') {
    pg = await startPostgres({ log: (s) => say(`postgres: ${s}`) });
    report.store = `postgres ${pg.version}`;
  }

  // 1. Authorization matrix, from the running router.
  const { routes, problems, app } = await discover();
  fail('routes', problems);
  if (opts.only.has('matrix')) {
    await seedWorld(new Api(app.server.url, ROLE_TOKENS.editor));
    const m = await runAuthzMatrix({ base: app.server.url, routes, tokens: ROLE_TOKENS, hints: SEED_HINTS, eventCount: async () => (await app.server.core.store.info()).eventCount, secrets: SECRETS });
    report.matrix = { routes: m.routes, cells: m.cells, byStatus: m.byStatus };
    fail('matrix', m.violations);
    say(`matrix: ${m.routes} routes × principals = ${m.cells} requests, ${m.violations.length} violation(s)`);
  }
  forgetAgent(app.server.url);
  await app.close();

  // 2. Hostile input (and slow clients alongside) against one server process.
  if (opts.only.has('hostile') || opts.only.has('slow')) {
    await freshStore();
    const w = await startSeededChild('torture-hostile', { NODE_OPTIONS: `--max-old-space-size=${HOSTILE_HEAP_MB}` });
    try {
      const slow = opts.only.has('slow') ? runSlowClients({ base: w.url, token: ROLE_TOKENS.editor, headerSockets: 30, bodySockets: 10, limitMs: opts.slowMs }) : undefined;
      if (opts.only.has('hostile')) {
        let last = 0;
        const h = await runHostile({
          base: w.url,
          dataDir: w.dir,
          routes,
          tokens: ROLE_TOKENS,
          hints: SEED_HINTS,
          count: opts.hostile,
          concurrency: opts.concurrency,
          seed: opts.seed,
          rss: () => w.child.rss(),
          onViolation: (v) => say(`hostile: VIOLATION ${v.slice(0, 600)}`),
          onProgress: (n) => {
            if (n - last >= 1000) {
              last = n;
              say(`hostile: ${n}/${opts.hostile} requests, server RSS ${mb(w.child.rss())}, harness heap ${mb(process.memoryUsage().heapUsed)}`);
            }
          },
        });
        const fixed = await runFixedProbes(w.url, ROLE_TOKENS);
        const { violations, byRoute, ...figures } = h;
        report.hostile = { ...figures, fixedProbes: fixed.requests, routesAttacked: Object.keys(byRoute).length };
        fail('hostile', [...violations, ...fixed.violations]);
        if (!w.child.running) fail('hostile', [`the server process died during the hostile run (heap capped at ${HOSTILE_HEAP_MB} MB): ${w.child.tail.slice(-2000)}`]);
        if (w.child.errorLines) fail('hostile', [`the server logged ${w.child.errorLines} error line(s): ${w.child.tail.slice(-2000)}`]);
        say(`hostile: ${h.requests + fixed.requests} requests, 5xx ${h.fiveXX}, RSS ${mb(h.rssStart)} → max ${mb(h.rssMax)} → ${mb(h.rssEnd)}, ${violations.length + fixed.violations.length} violation(s)`);
      }
      if (slow) {
        const s = await slow;
        const { violations, ...figures } = s;
        report.slow = figures;
        fail('slow clients', violations);
        say(`slow clients: ${s.closedByServer}/${s.slowHeaderSockets + s.slowBodySockets} closed by the server, longest ${(s.longestOpenMs / 1000).toFixed(0)} s`);
      }
      report.tokenLeaks += w.child.leaks.size;
    } finally {
      await w.close();
    }
  }

  // 3. Races across two server processes on one store.
  if (opts.only.has('races')) {
    await freshStore();
    const dir = tempDir('torture-races');
    // On SQLite both processes share the one store file; on PostgreSQL each keeps its own read model
    // and snapshot (its own data dir), as replicas do.
    const dirB = pg ? tempDir('torture-races-b') : dir;
    const a = new ServerChild({ dataDir: dir, tokensEnv: TOKENS_ENV, secrets: SECRETS });
    const b = new ServerChild({ dataDir: dirB, tokensEnv: TOKENS_ENV, secrets: SECRETS });
    try {
      const urlA = await a.start(60_000);
      const world = await seedWorld(new Api(urlA, ROLE_TOKENS.editor));
      const urlB = await b.start(60_000);
      const r = await runRaces({
        bases: [urlA, urlB],
        dataDir: dir,
        editorToken: ROLE_TOKENS.editor,
        rounds: opts.races,
        clients: opts.clients,
        departments: world.departments,
        onRound: (n) => n % 40 === 0 && say(`races: ${n}/${opts.races} rounds`),
      });
      const { violations, ...figures } = r;
      report.races = figures;
      fail('races', violations);
      report.tokenLeaks += a.leaks.size + b.leaks.size;
      say(`races: ${r.rounds} rounds, ${r.requests} requests, ${r.winners} winners, ${r.losers} losers, ${violations.length} violation(s)`);
    } finally {
      await a.kill('SIGKILL');
      await b.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      rmSync(dirB, { recursive: true, force: true });
    }
  }

  // 3b. Availability (#22 items 1-2): a large import of near-identical names, then their findings, with
  // /api/health polled throughout; the import queue's 429.
  if (opts.only.has('availability')) {
    await freshStore();
    // both event loops traced: which slow answers are the server's, which this client's (loop-trace.ts)
    const traceDir = tempDir('torture-loop-trace');
    const serverTrace = join(traceDir, 'server.jsonl');
    const clientTrace = startLoopTrace();
    const cpuProf = opts.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProf, '--cpu-prof-interval', '500'] : [];
    const w = await startSeededChild('torture-availability', { QUANZE_LOOP_TRACE: serverTrace }, cpuProf);
    try {
      const killRows = opts.cpuProf ? 0 : 2 * Math.floor(Math.min(opts.importRows, opts.killRows) / 2);
      const r = await runAvailability({ base: w.url, editorToken: ROLE_TOKENS.editor, readerToken: ROLE_TOKENS.reader, rows: opts.importRows, region: '650200', kill: { child: w.child, dataDir: w.dir, rows: killRows }, trace: { serverFile: serverTrace, client: clientTrace } });
      clientTrace.stop();
      const { violations, ...figures } = r;
      report.availability = figures;
      fail('availability', violations);
      const h = (x: AvailabilityResult['duringImport']) => `n=${x.n} p50 ${x.p50} ms p95 ${x.p95} ms max ${x.max} ms, ${x.over200} over 200 ms (${Object.entries(x.statuses).map(([k, v]) => `${v} × ${k}`).join(', ')})`;
      say(`availability: ${r.importRows}-row import ${r.importStatus} in ${(r.importMs / 1000).toFixed(1)} s, /api/health ${h(r.duringImport)}; queue full → 429: ${r.queueFull ? 'yes' : 'NO'}; a read-model GET meanwhile ${h(r.readerDuringImport)}`);
      say(`availability: /api/gaps ${r.findingsStatus} in ${r.findingsMs} ms, /api/health ${h(r.duringFindings)}`);
      say(`availability: crafted zips ${r.crafted.answers.map((a) => `${a.file} ${a.status} ${a.code ?? ''}`).join(', ')}; ${r.crafted.eventsAppended} events appended; /api/health ${h(r.crafted.duringUpload)}`);
      for (const a of r.trace?.slowAnswers ?? []) {
        const side = (x: typeof a.server) => `stalled ${x.stalledMs} ms (cpu ${x.cpuMs}, run queue ${x.runqMs}${x.gc.length ? `; gc ${x.gc.join(', ')}` : ''})`;
        say(`availability: slow ${a.path} ${a.ms} ms at ${new Date(a.start).toISOString().slice(11, 23)}: ${a.cause}; server ${side(a.server)}; client ${side(a.client)}`);
      }
      if (r.trace) say(`availability: longest server stalls during the import ${r.trace.serverStalls.map((s) => `${s.ms} ms (cpu ${s.cpuMs}, runq ${s.runqMs})`).join(', ') || 'none'}; client ${r.trace.clientStalls.map((s) => `${s.ms} ms (cpu ${s.cpuMs}, runq ${s.runqMs})`).join(', ') || 'none'}`);
      if (r.killed) say(`availability: ${r.killed.rows}-row import SIGKILLed after ${r.killed.killAfterMs} ms: log after restart holds ${r.killed.outcome} (${r.killed.eventsBefore} → ${r.killed.eventsAfter} events), chain ${r.killed.chainOk ? 'verified' : 'BROKEN'}; ${violations.length} violation(s)`);
      if (!w.child.running) fail('availability', [`the server process died: ${w.child.tail.slice(-2000)}`]);
      if (opts.cpuProf) {
        // a graceful stop writes the profile
        await w.child.kill('SIGTERM');
        say(`availability: server CPU profile in ${opts.cpuProf}`);
      }
    } finally {
      clientTrace.stop();
      await w.close();
      rmSync(traceDir, { recursive: true, force: true });
    }
  }

  // 4. The crash loop.
  if (opts.only.has('crash')) {
    await freshStore();
    const dir = tempDir('torture-crash');
    try {
      const c = await runCrashLoop({
        dataDir: dir,
        tokensEnv: TOKENS_ENV,
        tokens: ROLE_TOKENS,
        kills: opts.kills,
        workers: opts.workers,
        seed: opts.seed,
        cliRebuildEvery: 5,
        importShare: 0.3,
        log: (s) => (s.startsWith('VIOLATION') || /SIGKILL/.test(s) ? say(`crash: ${s.slice(0, 400)}`) : undefined),
      });
      const { violations, ...figures } = c;
      report.crash = figures;
      fail('crash', violations);
      say(`crash: ${c.kills} kills survived over ${c.lives} lives, ${c.commandsAcked} commands acknowledged and checked after every restart, ${violations.length} violation(s)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  pg?.stop();
  if (report.tokenLeaks) fail('tokens', [`${report.tokenLeaks} token(s) appeared in a server's output`]);
  report.seconds = Math.round((Date.now() - t0) / 1000);
  const { violations, ...figures } = report;
  process.stdout.write(JSON.stringify(figures, null, 2) + '\n');
  if (opts.json) {
    writeFileSync(opts.json, JSON.stringify(report, null, 2) + '\n');
    say(`report written to ${opts.json}`);
  }
  if (violations.length) {
    process.stdout.write(`\n${violations.length} VIOLATION(S) (seed ${opts.seed}; replay with --seed ${opts.seed}):\n`);
    for (const v of violations.slice(0, 100)) process.stdout.write(` - ${v}\n`);
    process.exit(1);
  }
  process.stdout.write(`\nOK: no violation in ${report.seconds} s (seed ${opts.seed}).\n`);
  process.exit(0);
}

main().catch((e) => {
  pg?.stop();
  process.stderr.write(`torture aborted: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(2);
});
