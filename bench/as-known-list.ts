/**
 * `node -r ./bin/ts-register.js bench/as-known-list.ts --log DIR [--n 40] [--cpu-prof FILE]`: a county's list as known at an
 * instant, in process, the question issue 19 compares with PostgreSQL — each question asked once (a new
 * instant every time), after the counties' indexes are built, and by folding every entry. Prints p50/p99 of the CPU time per question (wall time on a shared 2-core machine is mostly the neighbours').
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { resolve } from 'node:path';
import { SqliteEventStore } from '../libs/event-store/src';
import { ProjectionRunner, RegistryProjection, regionList } from '../libs/projections/src';
import { regionListByFold } from '../libs/projections/src/list/list.query';
import { Rng } from './gen/rng';

const arg = (name: string, def?: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
};
const dayOf = (d: string) => Math.floor(Date.parse(d) / 86_400_000);
const randomInstant = (rng: Rng, from: string, to = '2025-07-01') => new Date((rng.int(dayOf(from), dayOf(to)) * 86400 + rng.int(0, 86399)) * 1000 + rng.int(0, 999)).toISOString();
const randomDay = (rng: Rng, from: string, to = '2025-07-01') => new Date(rng.int(dayOf(from), dayOf(to)) * 86_400_000).toISOString().slice(0, 10);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

async function main() {
  const dir = resolve(arg('log') ?? 'data/bench-S-1');
  const n = Number(arg('n', '40'));
  const store = new SqliteEventStore({ file: resolve(dir, 'events.db') });
  const view = new RegistryProjection();
  await new ProjectionRunner(store, [view]).rebuild();
  const counties = [...view.regionCodes()].filter((c) => view.region(c)?.level === 'county' && view.hasEntriesIn(c));
  const rng = new Rng(7);
  const qs = Array.from({ length: n }, () => ({ region: rng.pick(counties), at: randomDay(rng, '2017-01-01'), asKnownAt: randomInstant(rng, '2017-01-01') }));
  for (const q of qs) regionList(view, { region: q.region, at: q.at });
  const time = (f: (q: (typeof qs)[number]) => unknown) =>
    qs.map((q) => {
      // CPU time, not wall: the figure holds on a busy machine
      const t = process.cpuUsage();
      f(q);
      const d = process.cpuUsage(t);
      return (d.user + d.system) / 1000;
    });
  const fold = time((q) => regionListByFold(view, q));
  // --cpu-prof FILE: a CPU profile of the first asks only
  const profFile = arg('cpu-prof');
  const session = profFile ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const once = time((q) => regionList(view, q));
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(profFile!, JSON.stringify(profile));
  }
  const again = time((q) => regionList(view, q));
  const show = (what: string, xs: number[]) => console.log(`${what}: p50 ${pct(xs, 0.5).toFixed(2)} ms, p99 ${pct(xs, 0.99).toFixed(2)} ms`);
  show('by fold', fold);
  show('index, first ask', once);
  show('index, asked again', again);
  await store.close();
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
