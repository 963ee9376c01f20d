/**
 * `npm run bench` — measures the walking skeleton's figures and writes docs/benchmarks.md:
 *  - append throughput of the SQLite store (one event per commit; 100 per commit), synchronous FULL vs NORMAL;
 *  - the command path (load → decide → append) throughput;
 *  - ownership query latency in process and over HTTP (p50/p99).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { cpus, totalmem, tmpdir, platform, release } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, SqliteSynchronous } from '../libs/event-store/src';
import { Registry } from '../libs/application/src';
import { ProjectionRunner, RegistryProjection, ownership } from '../libs/projections/src';
import { createServer } from '../apps/api/src/server';
import { loadConfig } from '../apps/api/src/config/config';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

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

async function main() {
  const quick = process.argv.includes('--quick');
  const lines: string[] = [];
  const log = (s = '') => {
    console.log(s);
    lines.push(s);
  };
  log('# Benchmarks');
  log();
  log(`Date: ${new Date().toISOString()} · Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${fmt(totalmem() / 2 ** 30, 1)} GiB, ${platform()} ${release()} · Node ${process.version}`);
  log(`Command: \`npm run bench${quick ? ' -- --quick' : ''}\``);
  log();
  log('## Append throughput of the embedded store (SQLite, WAL)');
  log();
  log('| synchronous | events per commit | commits/s | events/s | bytes on disk per event |');
  log('|---|---|---|---|---|');
  for (const sync of ['FULL', 'NORMAL'] as const) {
    for (const [per, n] of [[1, quick ? 500 : 3000], [100, quick ? 50 : 300]] as const) {
      const r = await appendRate(sync, per, n);
      log(`| ${sync} | ${per} | ${fmt(r.commitsPerSec)} | ${fmt(r.eventsPerSec)} | ${fmt(r.bytesPerEvent)} |`);
    }
  }
  log();
  log('FULL is the default: every acknowledged commit is fsynced to the WAL before `append` returns.');
  log();

  // A registry with many list entries, built through the real command path.
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
  log('## Command path (load → decide → append, synchronous=FULL)');
  log();
  log(`${fmt(commands)} commands (define, assign, transfer) in ${fmt(cmdSecs, 2)} s: **${fmt(commands / cmdSecs)} commands/s**.`);
  log();

  const view = new RegistryProjection();
  const runner = new ProjectionRunner(store, [view]);
  const r0 = Date.now();
  const head = await runner.rebuild();
  const rebuildSecs = (Date.now() - r0) / 1000;
  log(`Rebuild of the registry projection: ${fmt(head)} events in ${fmt(rebuildSecs, 3)} s (${fmt(head / rebuildSecs)} events/s).`);
  log();

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
  log('## Ownership query latency');
  log();
  log('| where | queries | p50 | p99 |');
  log('|---|---|---|---|');
  log(`| in process | ${fmt(n)} | ${fmt(pct(samples, 50), 1)} µs | ${fmt(pct(samples, 99), 1)} µs |`);
  await store.close();

  const server = await createServer(loadConfig({ QUANZE_DATA_DIR: dir, QUANZE_TOKENS: 'b:reader:bench-token-0123456789', QUANZE_DEMO: '0', PORT: '0' }), { log: false });
  const http: number[] = [];
  const m = quick ? 500 : 3000;
  for (let i = 0; i < m; i++) {
    const s = process.hrtime.bigint();
    const res = await fetch(`${server.url}/api/ownership?region=650200&item=X${(i * 7919) % items}&at=2021-06-01`, { headers: { authorization: 'Bearer bench-token-0123456789' } });
    await res.json();
    http.push(Number(process.hrtime.bigint() - s) / 1e6);
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  }
  log(`| over HTTP (sequential, one client, loopback) | ${fmt(m)} | ${fmt(pct(http, 50), 2)} ms | ${fmt(pct(http, 99), 2)} ms |`);
  log();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  writeFileSync(join(__dirname, '..', 'docs', 'benchmarks.md'), lines.join('\n') + '\n');
  console.log('\nwritten to docs/benchmarks.md');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
