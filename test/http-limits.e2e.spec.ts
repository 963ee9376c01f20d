import { mkdtempSync, rmSync } from 'node:fs';
import { connect, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, RunningServer } from '../apps/api/src/server';
import { loadConfig } from '../libs/runtime/src';
import { TOKENS_ENV } from './support/app';

/** Connection limits (issue 22.7): headers, body, idle keep-alive, silent sockets, connections per client. */
describe('HTTP connection limits', () => {
  let server: RunningServer;
  let dir: string;
  let port: number;
  const limits = { headersMs: 600, requestMs: 1_500, keepAliveMs: 400, idleMs: 2_000, checkEveryMs: 100, perClient: 5, total: 1_000 };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'quanze-limits-'));
    server = await createServer(loadConfig({ QUANZE_DATA_DIR: dir, QUANZE_TOKENS: TOKENS_ENV, QUANZE_DEMO: '0', PORT: '46010' }), { log: false, connections: limits });
    port = Number(new URL(server.url).port);
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A raw socket, and when (ms after it opened) the server closed it; undefined while open. */
  function open(): Promise<{ socket: Socket; opened: number; closedAfter: () => number | undefined; closed: Promise<number> }> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let closedAt: number | undefined;
      const opened = Date.now();
      const closed = new Promise<number>((r) => socket.once('close', () => r((closedAt = Date.now()) - opened)));
      socket.on('error', () => undefined);
      socket.resume(); // flowing: the server's close is seen (a paused socket never emits 'end')
      socket.once('connect', () => resolve({ socket, opened, closedAfter: () => (closedAt === undefined ? undefined : closedAt - opened), closed }));
      socket.once('error', reject);
    });
  }
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const health = async () => (await fetch(`${server.url}/api/health`)).status;

  test('a silent socket and a slow header are closed after the header timeout', async () => {
    const silent = await open();
    const slow = await open();
    slow.socket.write('GET /api/health HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => slow.socket.writable && slow.socket.write('X-A: b\r\n'), 100);
    const [a, b] = await Promise.all([silent.closed, slow.closed]);
    clearInterval(drip);
    // a socket that never sends a byte counts as a header not yet complete
    expect(a).toBeLessThan(limits.headersMs + 1_000);
    expect(b).toBeLessThan(limits.headersMs + 1_000);
    expect(b).toBeGreaterThanOrEqual(limits.headersMs - 50);
  });

  test('a slow body is closed after the request timeout', async () => {
    const s = await open();
    s.socket.write('POST /api/health HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
    const drip = setInterval(() => s.socket.writable && s.socket.write(' '), 100);
    const after = await s.closed;
    clearInterval(drip);
    expect(after).toBeGreaterThanOrEqual(limits.requestMs - 50);
    expect(after).toBeLessThan(limits.requestMs + 1_000);
  });

  test('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
    const s = await open();
    let answered = 0;
    s.socket.on('data', () => (answered = Date.now()));
    s.socket.write('GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    await s.closed;
    expect(answered).toBeGreaterThan(0);
    const idle = Date.now() - answered;
    expect(idle).toBeGreaterThanOrEqual(limits.keepAliveMs - 100);
    // Node closes an idle keep-alive socket keepAliveTimeout + its 1 s buffer after the answer
    expect(idle).toBeLessThan(limits.keepAliveMs + 2_000);
  });

  test('one client holds at most perClient connections; the server still answers', async () => {
    const sockets = await Promise.all(Array.from({ length: limits.perClient + 3 }, () => open()));
    await sleep(200);
    const closedEarly = sockets.filter((s) => s.closedAfter() !== undefined && s.closedAfter()! < 300);
    expect(closedEarly).toHaveLength(3);
    for (const s of sockets) s.socket.destroy();
    await sleep(100);
    expect(await health()).toBe(200);
  });
});
