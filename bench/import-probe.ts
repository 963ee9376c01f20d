/**
 * `node -r ./bin/ts-register.js bench/import-probe.ts [ROWS]` (#22): in process, an import of ROWS rows of
 * similar names (2 departments) with /api/health polled every 50 ms and a read-model GET every 100 ms;
 * prints their figures, how long the read gate held readers (runner.holding(), sampled every 2 ms) and
 * the longest event-loop stalls (on the CPU / on the run queue, test/reliability/support/loop-trace.ts).
 */
import { performance } from 'node:perf_hooks';
import { TOKENS, doc, startTestApp } from '../test/support/app';
import { startLoopTrace, longestStalls } from '../test/reliability/support/loop-trace';
import { similarNamesCsv } from '../test/reliability/attacks/availability';

async function main() {
  const rows = Number(process.argv[2] ?? 20000);
  const t = await startTestApp({ QUANZE_IMPORT_QUEUE: '1' });
  for (const [code, name, level, parentCode] of [['650000', '新疆维吾尔自治区', 'province', undefined], ['650200', '克拉玛依市', 'city', '650000']] as const) {
    await t.post('/api/regions', { code, name, level, ...(parentCode ? { parentCode } : {}), effectiveFrom: '1982-01-01', document: doc('区划') });
  }
  const runner = t.server.core.runner;
  const t0 = performance.now();
  const holds: number[] = [];
  const spans: Array<[number, number]> = [];
  const statuses: Record<string, number> = {};
  let holdStart = 0;
  const watch = setInterval(() => {
    const h = runner.holding();
    if (h && !holdStart) holdStart = performance.now();
    if (!h && holdStart) (holds.push(performance.now() - holdStart), spans.push([holdStart - t0, performance.now() - t0]), (holdStart = 0));
  }, 2);
  const trace = startLoopTrace();
  const data = similarNamesCsv(rows);
  let done = false;
  const importing = t.http().post('/api/imports').set('Authorization', `Bearer ${TOKENS.editor}`).field('region', '650200').field('effective', '2024-01-01').field('document', '克政办发〔2024〕1号').field('createDepartments', 'true').attach('files', data, 'a.csv').then((r) => ((done = true), r));
  const poll = async (path: string, every: number, role?: keyof typeof TOKENS) => {
    const ms: number[] = [];
    while (!done) {
      const a = performance.now();
      const r = role ? await t.get(path, role) : await t.http().get(path);
      if (role) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      ms.push(performance.now() - a);
      await new Promise((res) => setTimeout(res, every));
    }
    ms.sort((x, y) => x - y);
    return `${path} n=${ms.length} p50 ${Math.round(ms[ms.length >> 1] ?? 0)} max ${Math.round(ms[ms.length - 1] ?? 0)} over200 ${ms.filter((x) => x > 200).length}`;
  };
  const [h, r] = await Promise.all([poll('/api/health', 50), poll('/api/regions/650200/departments', 100, 'reader')]);
  const res = await importing;
  clearInterval(watch);
  trace.stop();
  console.log(`import ${res.status} ${rows} rows in ${Math.round(performance.now() - t0)} ms; ${h}; ${r}`);
  console.log(`gate held ${holds.length}×: ${holds.map((x) => Math.round(x)).join(', ')} ms (at ${spans.map(([a, b]) => `${Math.round(a)}-${Math.round(b)}`).join(', ')} ms of the import); readers by status ${JSON.stringify(statuses)}`);
  console.log('longest stalls', longestStalls(trace.records, 8).map((s) => `${s.ms} (cpu ${s.cpuMs} runq ${s.runqMs})`).join(', '));
  await t.close();
}
main().then(() => process.exit(0), (e) => (console.error(e), process.exit(1)));
