/**
 * `npm run gen -- --size S|M|L --seed N [--out DIR] [--path bulk|command] [--synchronous FULL|NORMAL] [--force]`
 *
 * Generates a realistic province's registry (real region codes, ten years of history) into
 * DIR/events.db (default data/bench-<size>-<seed>), deterministically: the same size and seed give
 * the same log, byte for byte (the recording clock is simulated too). See docs/benchmarking.md.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import { SqliteEventStore } from '../libs/event-store/src';
import { generate, GenPath } from './gen/generator';
import { SIZES } from './gen/model';
import { dateOf } from './gen/rng';

function arg(name: string, def?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  return eq ? eq.slice(name.length + 3) : def;
}

async function main() {
  const size = (arg('size', 'S') ?? 'S').toUpperCase();
  if (!SIZES[size]) throw new Error(`--size ${size}: expected one of ${Object.keys(SIZES).join(', ')}`);
  const seed = Number(arg('seed', '1'));
  if (!Number.isInteger(seed)) throw new Error('--seed must be an integer');
  const path = (arg('path', 'bulk') as GenPath) ?? 'bulk';
  const synchronous = (arg('synchronous', 'FULL') ?? 'FULL').toUpperCase() as 'FULL' | 'NORMAL';
  const dir = resolve(arg('out') ?? join('data', `bench-${size}-${seed}`));
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (!process.argv.includes('--force')) throw new Error(`${dir} is not empty (use --force to replace it)`);
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });

  const tty = process.stderr.isTTY;
  const bar = tty ? new SingleBar({ format: '{bar} {percentage}% | recorded up to {date} | {events} events | {commands} commands | {eps} events/s', hideCursor: true, stream: process.stderr }) : undefined;
  const t0 = Date.now();
  bar?.start(1, 0, { date: '', events: 0, commands: 0, eps: 0 });
  let lastLine = 0;
  const result = await generate({
    size,
    seed,
    dir,
    path,
    synchronous,
    onProgress: (p) => {
      const eps = Math.round(p.events / Math.max(0.001, (Date.now() - t0) / 1000));
      if (bar) {
        bar.setTotal(p.lastDay - p.firstDay);
        bar.update(p.day - p.firstDay, { date: dateOf(p.day), events: p.events.toLocaleString('en-US'), commands: p.commands.toLocaleString('en-US'), eps: eps.toLocaleString('en-US') });
      } else if (Date.now() - lastLine > 10_000) {
        lastLine = Date.now();
        console.error(`… recorded up to ${dateOf(p.day)}: ${p.events} events, ${p.commands} commands`);
      }
    },
  }).finally(() => bar?.stop());
  const store = new SqliteEventStore({ file: result.file });
  const head = await store.chainHead?.();
  await store.close();
  const bytes = ['events.db', 'events.db-wal'].map((f) => join(dir, f)).filter(existsSync).reduce((a, f) => a + statSync(f).size, 0);
  const summary = { ...result, bytes, chainHead: head, maxRssBytes: process.resourceUsage().maxRSS * 1024, generatedAt: new Date().toISOString() };
  writeFileSync(join(dir, 'generation.json'), JSON.stringify(summary, null, 2) + '\n');
  console.log(`size ${size}, seed ${seed}, ${path} path: ${result.events.toLocaleString('en-US')} events in ${result.seconds.toFixed(1)} s (${Math.round(result.events / result.seconds).toLocaleString('en-US')} events/s; SQLite appends ${result.appendSeconds.toFixed(1)} s in ${result.appends} appends)`);
  console.log(`${result.plan.regions} regions, ${result.plan.departments} departments, ${result.plan.items} catalogue items, ${result.plan.entries} list entries; ${(bytes / result.events).toFixed(0)} bytes on disk per event`);
  console.log(`events by type: ${Object.entries(result.eventsByType).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`warnings: ${Object.entries(result.warnings).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`);
  console.log(`chain head: ${head?.position} ${head?.hash}`);
  console.log(`written to ${dir}/events.db (summary in generation.json)`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
