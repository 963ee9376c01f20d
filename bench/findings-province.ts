/**
 * `node -r ./bin/ts-register.js bench/findings-province.ts [--size S] [--seed 1] [--log DIR] [--changes 20]`
 *
 * Findings for a WHOLE generated province (issue 17.5), no time box: every region of the province, cold
 * (the engine builds its memoised timelines) and warm, with the counts per kind; then single changes (an
 * assignment in a random county, recorded through the Registry and projected by the live runner), each
 * followed by bringing the findings current (the engine's update of the regions that read the change: the
 * county, those above and below it; every other region stays cached), then the changed region's findings as
 * answered (presented: names, ledger) and the whole province's again — the per-change cost.
 * Generates the log (bench/generate.ts) into a temp dir unless --log names one. Prints a markdown block and
 * writes bench/results/findings-<size>.json. docs/benchmarks.md quotes it.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { Session } from 'node:inspector';
import { join, resolve } from 'node:path';
import { Registry } from '../libs/application/src';
import { SqliteEventStore } from '../libs/event-store/src';
import { ProjectionRunner, createReadModels } from '../libs/projections/src';
import { findingsOn } from '../libs/projections/src/findings/findings.query';
import { findingsEngine } from '../libs/projections/src/findings/findings.engine';
import { Rng } from './gen/rng';

const ROOT = resolve(__dirname, '..');
const arg = (name: string, def?: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
};
const AT = '2024-12-31';

async function main() {
  const size = (arg('size', 'S') ?? 'S').toUpperCase();
  const seed = arg('seed', '1')!;
  const changes = Number(arg('changes', '20'));
  let dir = arg('log');
  const temp = !dir;
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), `quanze-findings-${size}-`));
    const g = spawnSync(process.execPath, ['-r', join(ROOT, 'bin', 'ts-register.js'), join(ROOT, 'bench', 'generate.ts'), '--size', size, '--seed', seed, '--out', dir, '--force'], { cwd: ROOT, stdio: 'inherit' });
    if (g.status !== 0) throw new Error('generation failed');
  }
  const gen = JSON.parse(readFileSync(join(dir, 'generation.json'), 'utf8')) as { events: number };
  const store = new SqliteEventStore({ file: join(dir, 'events.db') });
  const models = createReadModels();
  const view = models.view;
  const runner = new ProjectionRunner(store, models.projections);
  await runner.start();
  await runner.waitFor(gen.events, 600_000);
  const load0 = loadavg()[0];

  const province = [...view.regionCodes()].find((c) => view.region(c)?.level === 'province')!;
  const under = (code: string): string[] => [code, ...[...view.childRegions(code)].sort().flatMap(under)];
  const regions = under(province);
  const everyRegion = () => {
    const byKind: Record<string, number> = {};
    let total = 0;
    for (const region of regions) {
      for (const f of findingsOn(view, { region, at: AT }).findings) {
        byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
        total++;
      }
    }
    return { byKind, total };
  };
  const timed = <T>(f: () => T): [T, number] => {
    const t0 = performance.now();
    const r = f();
    return [r, performance.now() - t0];
  };

  /** A digest of every region's timelines (by id, every segment): equal before and after an engine change, cold and incremental. */
  const digest = () => {
    const h = createHash('sha256');
    for (const region of regions) h.update(JSON.stringify([...(findingsEngine(view).region(region)?.findings.values() ?? [])].sort((x, y) => (x.id < y.id ? -1 : 1))));
    return h.digest('hex').slice(0, 16);
  };
  const [cold, coldMs] = timed(everyRegion);
  const coldDigest = digest();
  const [, warmMs] = timed(everyRegion);
  const heapMiB = process.memoryUsage().heapUsed / 2 ** 20;
  process.stdout.write(`${size}: ${regions.length} regions, ${cold.total} findings, cold ${(coldMs / 1000).toFixed(1)} s, warm ${(warmMs / 1000).toFixed(2)} s\n`);

  // single changes: a county department takes a catalogue item it does not hold
  const registry = new Registry(store, view);
  const rng = new Rng(`findings-province:${size}:${seed}`);
  const counties = regions.filter((r) => view.region(r)?.level === 'county' && view.departmentIdsIn(r).size > 0);
  const codes = [...view.catalogCodes()].sort();
  const perChange: Array<{ region: string; updateMs: number; updateCpuMs: number; unitsRun: number; regionMs: number; provinceMs: number }> = [];
  const engine = findingsEngine(view);
  const chain = (code: string): string[] => {
    const out: string[] = under(code);
    for (let c = view.region(code)?.parentCode; c; c = view.region(c)?.parentCode) out.push(c);
    return out;
  };
  const refused: string[] = [];
  // --cpu-prof-changes FILE: a CPU profile of the changes only (the cold computation left out)
  const profFile = arg('cpu-prof-changes');
  const session = profFile ? new Session() : undefined;
  const post = (method: string, params?: object) => new Promise<unknown>((res, rej) => session!.post(method, params ?? {}, (e, r) => (e ? rej(e) : res(r))));
  if (session) {
    session.connect();
    await post('Profiler.enable');
    await post('Profiler.start');
  }
  for (let i = 0; i < changes; i++) {
    const region = rng.pick(counties);
    const dept = rng.pick([...view.departmentIdsIn(region)].sort());
    const held = view.itemCodesIn(region);
    const start = rng.int(0, codes.length - 1);
    const item = codes.slice(start).find((c) => !held.has(c)) ?? codes.find((c) => !held.has(c))!;
    let r: { position: number };
    try {
      r = await registry.assignItem({ regionCode: region, itemCode: item, departmentId: dept, role: 'lead', effectiveFrom: '2024-06-01', document: { number: `bench〔2024〕${i + 1}号` } }, { actor: 'bench' });
    } catch (e) {
      refused.push((e as Error).message.slice(0, 80));
      continue;
    }
    await runner.waitFor(r.position, 60_000);
    // bringing the findings current: the regions that read the change (the county, those above and below it)
    // the process's CPU time too (user + system, the collector's threads included): less dependent on the host's load than the wall time
    const cpu0 = process.cpuUsage();
    const [units, updateMs] = timed(() => chain(region).reduce((n, c) => n + (engine.region(c)?.units?.run ?? 0), 0));
    const cpu = process.cpuUsage(cpu0);
    const updateCpuMs = (cpu.user + cpu.system) / 1000;
    const stale = regions.filter((c) => !engine.cached(c)).length;
    if (stale) throw new Error(`${stale} regions not cached after the update`);
    const [, regionMs] = timed(() => findingsOn(view, { region, at: AT }));
    const [, provinceMs] = timed(everyRegion);
    perChange.push({ region, updateMs, updateCpuMs, unitsRun: units, regionMs, provinceMs });
  }
  if (session) {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    writeFileSync(profFile!, JSON.stringify(profile));
    session.disconnect();
  }
  const [after] = timed(everyRegion);
  const afterDigest = digest();
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const max = (xs: number[]) => Math.max(...xs);
  const result = {
    size,
    seed,
    date: new Date().toISOString(),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? '?'}, load ${load0.toFixed(1)} → ${loadavg()[0].toFixed(1)}, node ${process.version}`,
    events: gen.events,
    regions: regions.length,
    findings: cold.total,
    digest: { cold: coldDigest, afterChanges: afterDigest },
    byKind: cold.byKind,
    coldMs: Math.round(coldMs),
    warmMs: Math.round(warmMs),
    heapMiB: Math.round(heapMiB),
    perChange: {
      changes: perChange.length,
      refused,
      updateMs: { median: +med(perChange.map((c) => c.updateMs)).toFixed(1), max: +max(perChange.map((c) => c.updateMs)).toFixed(1), all: perChange.map((c) => +c.updateMs.toFixed(1)) },
      updateCpuMs: { median: +med(perChange.map((c) => c.updateCpuMs)).toFixed(1), max: +max(perChange.map((c) => c.updateCpuMs)).toFixed(1), all: perChange.map((c) => +c.updateCpuMs.toFixed(1)) },
      unitsRun: perChange.map((c) => c.unitsRun),
      changedRegionMs: { median: +med(perChange.map((c) => c.regionMs)).toFixed(1), max: +max(perChange.map((c) => c.regionMs)).toFixed(1) },
      wholeProvinceMs: { median: Math.round(med(perChange.map((c) => c.provinceMs))), max: Math.round(max(perChange.map((c) => c.provinceMs))) },
      findingsAfter: after.total,
    },
  };
  writeFileSync(join(ROOT, 'bench', 'results', `findings-${size}.json`), JSON.stringify(result, null, 1) + '\n');
  process.stdout.write(JSON.stringify(result, null, 1) + '\n');
  await runner.stop();
  await store.close();
  if (temp) rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
