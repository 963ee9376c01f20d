/**
 * `npm run bench:stores -- --from DIR [--commands N]`: the embedded SQLite store and PostgreSQL side by
 * side on the same log (issue 20 item 7).
 *
 * DIR holds a generated log (`npm run gen -- --size S|M --seed N --out DIR`). The log is copied into a
 * private PostgreSQL 15 (Debian's package, started here, fsync on) with the migrate code; then, on each
 * store: a rebuild of every read model from zero (events/s), and N commands through the registry (the
 * API's write path: read streams, decide, one append) with 1 and with 8 clients at once (commands/s,
 * p50, p99). Prints a Markdown table and writes it to bench/results/stores.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { EventStore, SqliteEventStore, copyLog } from '../libs/event-store/src';
import { openPostgresEventStore } from '../libs/event-store/src/postgres/postgres-event-store';
import { startPostgres } from '../libs/event-store/src/testing/postgres-server';
import { Registry } from '../libs/application/src';
import { ProjectionRunner, createReadModels } from '../libs/projections/src';

const arg = (name: string, fallback?: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};

interface Figures {
  rebuildEventsPerSecond: number;
  events: number;
  commands: Record<string, { perSecond: number; p50Ms: number; p99Ms: number }>;
}

const pct = (xs: number[], p: number) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function measure(store: EventStore, tag: string, commands: number): Promise<Figures> {
  const models = createReadModels();
  const runner = new ProjectionRunner(store, models.projections);
  const t0 = process.hrtime.bigint();
  const events = await runner.rebuild();
  const rebuildS = Number(process.hrtime.bigint() - t0) / 1e9;
  const registry = new Registry(store);
  const doc = { number: '基准〔2026〕1号' };
  // A region of its own, so the commands touch nothing of the generated log's streams.
  const region = `99${tag === 'sqlite' ? '01' : '02'}00`;
  await registry.registerRegion({ code: '990000', name: '基准省', level: 'province', effectiveFrom: '2000-01-01', document: doc }, { actor: 'bench' }).catch(() => undefined);
  await registry.registerRegion({ code: region, name: `基准市${tag}`, level: 'city', parentCode: '990000', effectiveFrom: '2000-01-01', document: doc }, { actor: 'bench' });
  const out: Figures['commands'] = {};
  let n = 0;
  for (const clients of [1, 8]) {
    const lat: number[] = [];
    const started = process.hrtime.bigint();
    let next = 0;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < commands) {
          next++;
          const id = `B${tag}${n++}`;
          const s = process.hrtime.bigint();
          await registry.establishDepartment({ id, name: `基准局${id}`, regionCode: region, effectiveFrom: '2001-01-01', document: doc }, { actor: 'bench' });
          lat.push(Number(process.hrtime.bigint() - s) / 1e6);
        }
      }),
    );
    const secs = Number(process.hrtime.bigint() - started) / 1e9;
    out[`${clients} client${clients > 1 ? 's' : ''}`] = { perSecond: Math.round(lat.length / secs), p50Ms: +pct(lat, 50).toFixed(2), p99Ms: +pct(lat, 99).toFixed(2) };
  }
  return { rebuildEventsPerSecond: Math.round(events / rebuildS), events, commands: out };
}

async function main() {
  const from = arg('from');
  if (!from) throw new Error('--from DIR (a generated log: npm run gen -- --size S --seed 1 --out DIR)');
  const commands = Number(arg('commands', '500'));
  const sqlite = new SqliteEventStore({ file: join(resolve(from), 'events.db') });
  const load0 = loadavg()[0];
  const pg = await startPostgres({ log: (s) => process.stderr.write(`postgres: ${s}\n`), settings: { fsync: 'on', synchronous_commit: 'on' } });
  try {
    await pg.sql('CREATE DATABASE bench');
    const pgStore = await openPostgresEventStore(pg.url.replace(/\/postgres$/, '/bench'));
    process.stderr.write('copying the log into PostgreSQL…\n');
    await copyLog(sqlite, pgStore);
    const figures = { sqlite: await measure(sqlite, 'sqlite', commands), postgres: await measure(pgStore, 'postgres', commands) };
    await pgStore.close();
    const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, PostgreSQL ${pg.version}`;
    const rows = [
      `| | SQLite (embedded) | PostgreSQL (local, fsync on) |`,
      `|---|---|---|`,
      `| rebuild of every read model (${figures.sqlite.events.toLocaleString('en-US')} events) | ${figures.sqlite.rebuildEventsPerSecond.toLocaleString('en-US')} events/s | ${figures.postgres.rebuildEventsPerSecond.toLocaleString('en-US')} events/s |`,
      ...Object.keys(figures.sqlite.commands).map((k) => {
        const a = figures.sqlite.commands[k];
        const b = figures.postgres.commands[k];
        return `| commands, ${k} (${commands} each) | ${a.perSecond}/s, p50 ${a.p50Ms} ms, p99 ${a.p99Ms} ms | ${b.perSecond}/s, p50 ${b.p50Ms} ms, p99 ${b.p99Ms} ms |`;
      }),
    ];
    const result = { date: new Date().toISOString(), from, machine, load: `${load0.toFixed(2)}→${loadavg()[0].toFixed(2)}`, figures, table: rows.join('\n') };
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/stores.json', JSON.stringify(result, null, 2) + '\n');
    console.log(`${machine}; load ${result.load}\n\n${result.table}`);
  } finally {
    await sqlite.close();
    pg.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
