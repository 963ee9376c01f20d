/**
 * The load client of the HTTP phase, in its own small process: a client measures latency on its own
 * event loop, so running it inside the bench (which holds the samples and the generated province's
 * entries) would add the bench's GC pauses to the API's latencies.
 *
 * `node -r bin/ts-register.js bench/load-client.ts <job.json>`, job.json being
 * `{ url, headers, paths: string[], runs: Run[] }` with a Run either
 * - `{ kind: 'autocannon', connections, duration, overallRate? }`: autocannon, closed loop (each
 *   connection sends its next request when the previous one is answered). Note that autocannon's
 *   `overallRate` is a budget per second: every connection sends back to back until it has made its
 *   share of the second, then waits for the next second — bursts at full speed, not a steady rate;
 * - `{ kind: 'open', rate, duration, sockets }`: open loop at a steady rate: request i is due at
 *   start + i/rate whatever happened to the earlier ones (keep-alive sockets, as many as needed up to
 *   `sockets`), and its latency counts from when it was due, so a stall of the server shows in every
 *   request it delayed (no coordinated omission).
 * Prints one JSON line per run on stdout.
 */
import { readFileSync } from 'node:fs';
import * as http from 'node:http';

type Run = { kind: 'autocannon'; connections: number; duration: number; overallRate?: number } | { kind: 'open'; rate: number; duration: number; sockets: number };
interface Job {
  url: string;
  headers: Record<string, string>;
  paths: string[];
  runs: Run[];
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);

async function autocannonRun(job: Job, run: Extract<Run, { kind: 'autocannon' }>) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const autocannon = require('autocannon') as (o: object) => Promise<any>;
  let k = 0;
  const setupRequest = (req: { path: string }) => {
    req.path = job.paths[k++ % job.paths.length];
    return req;
  };
  const r = await autocannon({ url: job.url, connections: run.connections, duration: run.duration, overallRate: run.overallRate, headers: job.headers, requests: [{ method: 'GET', setupRequest }] });
  return { ...run, reqPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, p999: r.latency.p99_9, max: r.latency.max, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}

async function openRun(job: Job, run: Extract<Run, { kind: 'open' }>) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: run.sockets });
  const url = new URL(job.url);
  const total = Math.round(run.rate * run.duration);
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let sent = 0;
  let done = 0;
  const start = performance.now() + 50;
  // The five slowest requests (when they were due, relative to the start, and what they asked).
  const slowest: Array<{ ms: number; atMs: number; path: string }> = Array.from({ length: 5 }, () => ({ ms: -1, atMs: 0, path: '' }));
  const send = (i: number) => {
    const due = start + (i * 1000) / run.rate;
    const req = http.request({ host: url.hostname, port: url.port, path: job.paths[i % job.paths.length], headers: job.headers, agent }, (res) => {
      if (res.statusCode !== 200) non2xx++;
      res.on('data', () => undefined);
      res.on('end', () => {
        const ms = performance.now() - due;
        latencies.push(ms);
        if (ms > slowest[slowest.length - 1].ms) {
          slowest.push({ ms, atMs: due - start, path: job.paths[i % job.paths.length] });
          slowest.sort((a, b) => b.ms - a.ms).pop();
        }
        done++;
      });
    });
    req.on('error', () => {
      errors++;
      done++;
    });
    req.end();
  };
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      // everything due by now goes out now (timers fire at ~1 ms granularity)
      while (sent < total && start + (sent * 1000) / run.rate <= now) send(sent++);
      if (sent < total) setTimeout(tick, Math.max(0, Math.min(1, start + (sent * 1000) / run.rate - now)));
      else {
        const wait = () => (done >= total ? resolve() : setTimeout(wait, 5));
        wait();
      }
    };
    setTimeout(tick, 50);
  });
  agent.destroy();
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { ...run, reqPerSec: total / elapsed, p50: pct(latencies, 50), p99: pct(latencies, 99), p999: pct(latencies, 99.9), max: latencies[latencies.length - 1], errors, non2xx, slowest: slowest.filter((x) => x.ms >= 0) };
}

async function main() {
  const job = JSON.parse(readFileSync(process.argv[2], 'utf8')) as Job;
  for (const run of job.runs) {
    const r = run.kind === 'open' ? await openRun(job, run) : await autocannonRun(job, run);
    process.stdout.write(JSON.stringify(r) + '\n');
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
