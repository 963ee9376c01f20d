import { Socket, connect } from 'node:net';
import { send } from '../support/http';

export interface SlowClientResult {
  slowHeaderSockets: number;
  slowBodySockets: number;
  closedByServer: number;
  /** Longest time the server kept a slow connection open (ms). */
  longestOpenMs: number;
  /** Slowest /api/health answer while the slow connections were open (ms). */
  healthMaxMs: number;
  violations: string[];
}

/**
 * Slowloris: connections that trickle their headers (or a body) a few bytes at a time. The server's
 * headersTimeout / requestTimeout must close them, and it must keep answering others meanwhile.
 */
export async function runSlowClients(opts: { base: string; token: string; headerSockets: number; bodySockets: number; limitMs: number }): Promise<SlowClientResult> {
  const u = new URL(opts.base);
  const result: SlowClientResult = { slowHeaderSockets: opts.headerSockets, slowBodySockets: opts.bodySockets, closedByServer: 0, longestOpenMs: 0, healthMaxMs: 0, violations: [] };
  const t0 = Date.now();
  const sockets: Array<{ s: Socket; closed: Promise<number>; timer: NodeJS.Timeout }> = [];
  const open = (first: string, drip: () => string) => {
    const s = connect(Number(u.port), u.hostname);
    s.on('error', () => undefined);
    s.on('data', () => undefined);
    s.write(first);
    const timer = setInterval(() => {
      if (!s.destroyed) s.write(drip());
    }, 1000);
    const closed = new Promise<number>((resolve) => s.once('close', () => (clearInterval(timer), resolve(Date.now() - t0))));
    sockets.push({ s, closed, timer });
  };
  for (let i = 0; i < opts.headerSockets; i++) open(`GET /api/health HTTP/1.1\r\nHost: ${u.host}\r\n`, () => `X-Slow-${Math.random().toString(36).slice(2, 6)}: 1\r\n`);
  for (let i = 0; i < opts.bodySockets; i++) {
    open(`POST /api/regions HTTP/1.1\r\nHost: ${u.host}\r\nAuthorization: Bearer ${opts.token}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"a":"`, () => 'x');
  }
  // The server keeps serving while they hang on.
  const health = (async () => {
    while (Date.now() - t0 < Math.min(opts.limitMs, 20_000)) {
      const r = await send(opts.base, { method: 'GET', path: '/api/health', timeoutMs: 10_000 });
      result.healthMaxMs = Math.max(result.healthMaxMs, r.ms);
      if (r.status !== 200) result.violations.push(`/api/health answered ${r.status} (${r.error ?? ''}) while slow clients were connected`);
      await new Promise((res) => setTimeout(res, 500));
    }
  })();
  const deadline = new Promise<'deadline'>((res) => setTimeout(() => res('deadline'), opts.limitMs).unref());
  for (const x of sockets) {
    const r = await Promise.race([x.closed, deadline]);
    if (r === 'deadline') continue;
    result.closedByServer++;
    result.longestOpenMs = Math.max(result.longestOpenMs, r);
  }
  await health;
  for (const x of sockets) {
    clearInterval(x.timer);
    x.s.destroy();
  }
  if (result.closedByServer < sockets.length) result.violations.push(`${sockets.length - result.closedByServer} slow connection(s) still open after ${opts.limitMs} ms: header/request timeouts are not enforced`);
  if (result.healthMaxMs > 5000) result.violations.push(`/api/health took ${result.healthMaxMs} ms while slow clients were connected`);
  return result;
}
