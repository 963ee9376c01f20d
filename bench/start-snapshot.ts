/**
 * `node -r ./bin/ts-register.js bench/start-snapshot.ts --log DIR [--runs 3]` (issue 19: "API start from
 * its snapshot ≤ 5 s on M").
 *
 * DIR holds a generated log (`npm run gen -- --size M --seed 1 --out DIR`). It is copied to a fresh data
 * dir; the API (its own process, as deployed) starts on it once from zero (the catch-up writes the local
 * read-model snapshot), is stopped with SIGTERM (which saves it at the head), and is then started again
 * `runs` times: each time the seconds from spawn to listening, the CPU seconds the API used until then (less
 * stretched by a shared host's load), what /api/health says it restored from, and its RSS. Runs the compiled
 * build (dist/, `npm run build`) when there is one. Prints one JSON line per start and a Markdown summary.
 */
import { spawn, ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const arg = (n: string, d?: string) => (process.argv.indexOf(`--${n}`) >= 0 ? process.argv[process.argv.indexOf(`--${n}`) + 1] : d);
const TOKEN = 'bench-token-0123456789abcdef';

function startApi(dataDir: string): { child: ChildProcess; listening: Promise<{ url: string; seconds: number }> } {
  const t0 = Date.now();
  // as deployed: the compiled build (`npm run build`) when there is one, else the sources compiled on the fly
  const built = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
  const args = existsSync(built) ? [built] : ['-r', join(ROOT, 'bin', 'ts-register.js'), join(ROOT, 'apps', 'api', 'src', 'main.ts')];
  const child = spawn(process.execPath, ['--max-old-space-size=8048', ...args], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', QUANZE_DATA_DIR: dataDir, QUANZE_DEMO: '0', QUANZE_TOKENS: `bench:reader:${TOKEN}`, QUANZE_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const listening = new Promise<{ url: string; seconds: number }>((res, rej) => {
    let buf = '';
    child.stdout!.on('data', (d) => {
      buf += String(d);
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(buf);
      if (m) res({ url: m[1], seconds: (Date.now() - t0) / 1000 });
    });
    child.once('exit', (code) => rej(new Error(`API exited (${code}) before listening: ${buf.slice(-400)}`)));
  });
  return { child, listening };
}

const stop = (c: ChildProcess) => new Promise<number>((res) => {
  c.once('exit', (code) => res(code ?? 1));
  c.kill('SIGTERM');
});
/** CPU seconds (user + system) the process has used: a figure the shared host's load stretches less than the wall time. */
const cpuSeconds = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // after the command name: state is f[0], utime f[11], stime f[12]
  return (Number(f[11]) + Number(f[12])) / 100;
};
const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function health(url: string) {
  const r = await fetch(`${url}/api/health`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  return (await r.json()) as any;
}

async function main() {
  const log = resolve(arg('log')!);
  const runs = Number(arg('runs', '3'));
  const dir = mkdtempSync(join(tmpdir(), 'quanze-start-'));
  try {
    for (const f of ['events.db', 'events.db-wal']) if (existsSync(join(log, f))) copyFileSync(join(log, f), join(dir, f));
    const out: Array<{ from: string; seconds: number; cpuSeconds: number; rssMiB: number; position: number; load: number }> = [];
    for (let i = 0; i <= runs; i++) {
      const { child, listening } = startApi(dir);
      const { url, seconds } = await listening;
      const cpu = cpuSeconds(child.pid!);
      const h = await health(url);
      const p = (h.projections ?? h.readModels ?? [])[0] ?? {};
      const r = { from: p.restoredFrom ? `snapshot at ${p.restoredFrom.snapshotPosition}` : 'the log from zero', seconds, cpuSeconds: cpu, rssMiB: Math.round(rssMiB(child.pid!)), position: p.checkpoint ?? h.store?.headPosition, load: +loadavg()[0].toFixed(1) };
      console.log(JSON.stringify(r));
      out.push(r);
      const code = await stop(child);
      if (code !== 0) throw new Error(`the API exited ${code} on SIGTERM`);
    }
    const snap = join(dir, 'readmodels');
    const bytes = existsSync(snap) ? require('node:fs').readdirSync(snap).reduce((n: number, f: string) => n + statSync(join(snap, f)).size, 0) : 0;
    const warm = out.slice(1).map((r) => r.seconds).sort((a, b) => a - b);
    console.log(`\n| start | seconds | CPU seconds | RSS MiB | load |\n|---|---|---|---|---|\n${out.map((r) => `| ${r.from} | ${r.seconds.toFixed(1)} | ${r.cpuSeconds.toFixed(1)} | ${r.rssMiB} | ${r.load} |`).join('\n')}\n\nfrom the snapshot: median ${warm[Math.floor(warm.length / 2)].toFixed(1)} s (snapshot ${(bytes / 2 ** 20).toFixed(0)} MiB); ${cpus().length} × ${cpus()[0].model}, ${new Date().toISOString()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
