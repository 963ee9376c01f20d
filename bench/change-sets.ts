/**
 * `node -r ./bin/ts-register.js bench/change-sets.ts [--size S] [--seed 1] [--commands 50] [--cpu-prof <file.cpuprofile>]`
 *
 * Issue 16's target: the preview of a 50-command change set on a county ≤ 200 ms, its publication
 * ≤ 100 ms. Generates the size (bench/gen, bulk path) into a temporary directory, catches the read models
 * up, drafts N transfers of a county's items (each to another department of the county), then times
 * the preview (decide the draft + temporary read models + list diff + findings, median of 5) and the
 * publication (decide all again + one append). Also checks that an empty change set previews nothing
 * (the region-scoped facts give the live answers). A county of S is the size of a county of M (the
 * generator's counties are alike: docs/benchmarks.md), only the rest of the province differs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir, release } from 'node:os';
import { join } from 'node:path';
import { Session } from 'node:inspector';
import { SqliteEventStore } from '../libs/event-store/src';
import { ChangeSets, Registry } from '../libs/application/src';
import { ProjectionRunner, createReadModels, previewChangeSet, regionList } from '../libs/projections/src';
import { generate } from './gen/generator';

const argv = process.argv.slice(2);
const opt = (k: string, d: string) => (argv.indexOf(`--${k}`) >= 0 ? argv[argv.indexOf(`--${k}`) + 1] : d);
const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const size = opt('size', 'S');
  const n = Number(opt('commands', '50'));
  const dir = mkdtempSync(join(tmpdir(), 'quanze-bench-cs-'));
  const load0 = loadavg()[0];
  try {
    const g = await generate({ size, seed: Number(opt('seed', '1')), dir });
    const store = new SqliteEventStore({ file: g.file });
    const m = createReadModels();
    const runner = new ProjectionRunner(store, m.projections);
    await runner.start();
    const registry = new Registry(store, m.view);
    const cs = new ChangeSets(store, registry);
    const ctx = { actor: 'bench' };
    const county = [...m.view.regionCodes()].map((c) => m.view.region(c)!).find((r) => r.level === 'county')!;
    const at = '2025-06-01';
    const list = regionList(m.view, { region: county.code, at });
    const departments = [...m.view.departmentIdsIn(county.code)].filter((id) => m.view.department(id)?.abolishedOn === undefined);
    const picked = list.items.filter((i) => i.owners.filter((o) => o.role === 'lead').length === 1).slice(0, n);
    const doc = { number: '基准〔2025〕1号' };

    const empty = await cs.open({ regionCode: county.code, title: 'empty' }, ctx);
    await runner.waitFor(empty.position);
    const e = previewChangeSet(m.view, { region: county.code, at, appends: [], recordedAt: new Date().toISOString() });
    const emptyOk = e.findings.opened.length === 0 && e.findings.closed.length === 0 && Object.values(e.diff).every((x) => x.length === 0);

    const { id } = await cs.open({ regionCode: county.code, title: `${n} transfers` }, ctx);
    const addMs: number[] = [];
    for (const item of picked) {
      const from = item.owners.find((o) => o.role === 'lead')!.departmentId;
      const to = departments.find((d) => d !== from && !item.owners.some((o) => o.departmentId === d))!;
      const t = process.hrtime.bigint();
      await cs.add(id, { route: `POST /api/regions/${county.code}/items/${item.code}/transfer`, name: 'transferItem', body: { regionCode: county.code, itemCode: item.code, fromDepartmentId: from, toDepartmentId: to, effectiveFrom: at, document: doc } }, ctx);
      addMs.push(ms(t));
    }
    // --cpu-prof <file>: a CPU profile of the five previews only (not of generating, catching up, the live findings)
    const profile = argv.includes('--cpu-prof') ? new Session() : undefined;
    const post = (m: string, p?: object) => new Promise<unknown>((ok, ko) => profile!.post(m, p ?? {}, (e, r) => (e ? ko(e) : ok(r))));
    if (profile) (profile.connect(), await post('Profiler.enable'), await post('Profiler.start'));
    const previewMs: number[] = [];
    // the process's CPU time too: on a shared host the wall time mostly measures the other sessions
    const previewCpuMs: number[] = [];
    let preview: ReturnType<typeof previewChangeSet> | undefined;
    for (let i = 0; i < 5; i++) {
      const t = process.hrtime.bigint();
      const c = process.cpuUsage();
      const d = await cs.decided(id);
      preview = previewChangeSet(m.view, { region: county.code, at, appends: d.appends, recordedAt: new Date().toISOString() });
      previewMs.push(ms(t));
      const u = process.cpuUsage(c);
      previewCpuMs.push((u.user + u.system) / 1000);
    }
    if (profile) writeFileSync(opt('cpu-prof', 'preview.cpuprofile'), JSON.stringify(((await post('Profiler.stop')) as { profile: object }).profile));
    await cs.submit(id, undefined, ctx);
    await cs.review(id, { decision: 'approve', note: '' }, { ...ctx, actor: 'bench-reviewer' });
    const t = process.hrtime.bigint();
    const p = await cs.publish(id, { document: doc, publishedOn: '2025-05-20' }, { ...ctx, actor: 'bench-admin' });
    const publishMs = ms(t);
    await runner.stop();
    await store.close();
    console.log(
      JSON.stringify(
        {
          date: new Date().toISOString(),
          machine: `${cpus().length} × ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, linux ${release()}, Node ${process.version}`,
          load: [Number(load0.toFixed(2)), Number(loadavg()[0].toFixed(2))],
          size,
          events: g.events,
          county: { code: county.code, name: county.name, items: list.items.length, departments: departments.length },
          commands: picked.length,
          addMs: { median: median(addMs), max: Math.max(...addMs) },
          previewMs: { median: median(previewMs), runs: previewMs.map((x) => Math.round(x)) },
          previewCpuMs: { median: median(previewCpuMs), runs: previewCpuMs.map((x) => Math.round(x)) },
          preview: { tookMs: preview!.tookMs, transferred: preview!.diff.transferred.length, opened: preview!.findings.opened.length, closed: preview!.findings.closed.length },
          emptyPreviewIsEmpty: emptyOk,
          publishMs,
          publishedEvents: p.eventIds.length,
        },
        null,
        1,
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
