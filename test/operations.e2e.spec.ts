import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../libs/event-store/src';
import { TOKENS, TOKENS_ENV, doc } from './support/app';
import { quanze } from './support/cli';

const ROOT = join(__dirname, '..');
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** `quanze serve` as bin/quanze.js wires it, from the sources, on `dir`; its stdout kept. */
class Serve {
  proc: ChildProcess;
  out = '';
  url?: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  constructor(dir: string, env: Record<string, string> = {}) {
    const wiring = "require('./apps/cli/src/main.ts').runCli(['node', 'quanze', 'serve'], { serve: () => require('./apps/api/src/main.ts').serve() })";
    this.proc = spawn(process.execPath, ['-r', join(ROOT, 'bin/ts-register.js'), '-e', wiring], {
      cwd: ROOT,
      env: { ...process.env, QUANZE_DATA_DIR: dir, QUANZE_TOKENS: TOKENS_ENV, QUANZE_DEMO: '0', PORT: '0', HOST: '127.0.0.1', QUANZE_LOG_LEVEL: 'info', QUANZE_SHUTDOWN_MS: '10000', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc.stdout!.on('data', (d) => (this.out += d));
    this.proc.stderr!.on('data', (d) => (this.out += d));
    this.exited = new Promise((r) => this.proc.once('exit', (code, signal) => r({ code, signal, at: Date.now() })));
  }
  async ready(timeoutMs = 60_000): Promise<string> {
    const t0 = Date.now();
    while (!this.url) {
      const m = /已启动：(http:\/\/\S+)/.exec(this.out);
      if (m) this.url = m[1];
      else if (this.proc.exitCode !== null) throw new Error(`quanze serve exited:\n${this.out}`);
      else if (Date.now() - t0 > timeoutMs) throw new Error(`quanze serve not listening:\n${this.out}`);
      else await sleep(50);
    }
    return this.url;
  }
  /** The request lines of its log. */
  requests(): Array<{ reqId: string; status: number; method: string }> {
    return this.out.split('\n').filter((l) => l.startsWith('{') && l.includes('"msg":"request"')).map((l) => JSON.parse(l));
  }
}

interface Sent {
  id: string;
  write: boolean;
  status?: number;
  error?: string;
  doneAt?: number;
}

/** One request on a fresh connection (no keep-alive): an answer, or the socket error. */
function send(url: string, method: string, path: string, id: string, body?: object): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    const data = body ? Buffer.from(JSON.stringify(body)) : undefined;
    const req = httpRequest(
      `${url}${path}`,
      { method, agent: false, headers: { Authorization: `Bearer ${method === 'GET' ? TOKENS.reader : TOKENS.editor}`, 'X-Request-Id': id, ...(data ? { 'Content-Type': 'application/json', 'Content-Length': data.length } : {}) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode }));
        res.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end(data);
  });
}

const ITEMS = 8;
async function setup(url: string): Promise<void> {
  const setupCalls: Array<[string, object]> = [
    ['/api/regions', { code: '650000', name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '1955-10-01', document: doc('区划') }],
    ['/api/regions', { code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '1982-01-01', document: doc('区划') }],
    ['/api/departments', { id: 'TJJ', name: '克拉玛依市统计局', regionCode: '650200', effectiveFrom: '2010-01-01', document: doc() }],
    ...Array.from({ length: ITEMS }, (_, i): [string, object] => ['/api/catalog/items', { code: `L${i}`, name: `负载事项${i}`, type: '行政检查', basis: [], levels: ['city'], effectiveFrom: '2015-01-01', document: doc('目录') }]),
  ];
  for (const [path, body] of setupCalls) {
    const r = await send(url, 'POST', path, `setup-${path}`, body);
    if (r.status !== 201) throw new Error(`setup ${path}: ${JSON.stringify(r)}`);
  }
}

/** Workers that each assign and withdraw their own item (one event per write) and read, until stopped or refused. */
function load(url: string, prefix: string, until: () => boolean): Promise<Sent[]> {
  const sent: Sent[] = [];
  const worker = async (w: number) => {
    let refused = 0;
    for (let i = 0; !until() && refused < 3; i++) {
      const write = i % 2 === 0;
      const id = `${prefix}-${w}-${i}`;
      const year = 2016 + Math.floor(i / 4);
      const r = write
        ? await send(url, 'POST', `/api/regions/650200/items/L${w}/${i % 4 === 0 ? 'assign' : 'withdraw'}`, id, { departmentId: 'TJJ', effectiveFrom: `${year}-0${1 + (i % 4)}-01`, document: doc() })
        : await send(url, 'GET', `/api/ownership?region=650200&item=L${w}&at=2016-06-01`, id);
      sent.push({ id, write, ...r, doneAt: Date.now() });
      refused = r.error ? refused + 1 : 0;
      if (r.error) await sleep(20);
    }
  };
  return Promise.all(Array.from({ length: ITEMS }, (_, w) => worker(w))).then(() => sent);
}

const countEvents = async (file: string) => {
  const s = new SqliteEventStore({ file });
  try {
    return await s.info();
  } finally {
    await s.close();
  }
};

describe('quanze serve as a service: SIGTERM under load, backup while writing, restore', () => {
  const dirs: string[] = [];
  const tmp = (p: string) => {
    const d = mkdtempSync(join(tmpdir(), p));
    dirs.push(d);
    return d;
  };
  const children: Serve[] = [];
  afterAll(() => {
    for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('SIGTERM while 8 clients read and write: every request the server took is answered, the writes it acknowledged are kept, the snapshot is saved, exit 0 in time', async () => {
    const dir = tmp('quanze-serve-');
    const s = new Serve(dir);
    children.push(s);
    const url = await s.ready();
    await setup(url);
    const before = (await countEvents(join(dir, 'events.db'))).eventCount;
    let stop = false;
    const loading = load(url, 'a', () => stop);
    await sleep(1500);
    const signalledAt = Date.now();
    s.proc.kill('SIGTERM');
    const exit = await s.exited;
    stop = true;
    const sent = await loading;

    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    expect(exit.at - signalledAt).toBeLessThan(10_000);
    const logged = new Map(s.requests().map((r) => [r.reqId, r.status]));
    const answered = sent.filter((x) => x.status !== undefined);
    const failed = sent.filter((x) => x.error !== undefined);
    expect(answered.length).toBeGreaterThan(40);
    // answered after the signal: these were in flight or on their way when the stop began
    expect(answered.filter((x) => x.doneAt! >= signalledAt).length).toBeGreaterThan(0);
    expect(answered.filter((x) => x.status! >= 500)).toEqual([]);
    // each answer the client got is the one the server logged; each failure is a request the server never took
    for (const x of answered) expect([x.id, logged.get(x.id)]).toEqual([x.id, x.status]);
    for (const x of failed) {
      expect([x.id, logged.has(x.id)]).toEqual([x.id, false]);
      expect(['ECONNREFUSED', 'ECONNRESET']).toContain(x.error);
    }
    // no write lost or recorded behind the client's back: events = setup + acknowledged writes
    const acknowledged = answered.filter((x) => x.write && x.status === 200).length;
    const info = await countEvents(join(dir, 'events.db'));
    expect(info.eventCount).toBe(before + acknowledged);
    // the read-model snapshot was saved at the head
    const snap = join(dir, 'readmodels', 'readmodels.snapshot');
    expect(existsSync(snap)).toBe(true);
    const header = JSON.parse(readFileSync(snap, 'utf8').split('\n')[0]);
    expect(header.position).toBe(info.headPosition);
    expect(s.out).not.toContain(TOKENS.editor);
  }, 120_000);

  test('a stop that cannot drain (a request whose body never comes) ends with exit 1 within QUANZE_SHUTDOWN_MS, saying so', async () => {
    const dir = tmp('quanze-hung-');
    const s = new Serve(dir, { QUANZE_SHUTDOWN_MS: '1500' });
    children.push(s);
    const { port, hostname } = new URL(await s.ready());
    // a command whose body is announced but never finished: in flight, so the drain waits for it
    const held = connect(Number(port), hostname);
    await once(held, 'connect');
    held.on('error', () => undefined);
    held.write(`POST /api/regions HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${TOKENS.editor}\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n{"code":`);
    await sleep(300);
    const signalledAt = Date.now();
    s.proc.kill('SIGTERM');
    const exit = await s.exited;
    held.destroy();
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 1, signal: null });
    // not before the bound, and not much after it
    expect(exit.at - signalledAt).toBeGreaterThanOrEqual(1400);
    expect(exit.at - signalledAt).toBeLessThan(1500 + 2500);
    expect(s.out).toContain('quanze 未能在 1500 ms 内正常停止（SIGTERM），强制退出');
    expect(s.out).toContain('did not stop within 1500 ms');
  }, 60_000);

  test('backup while the server takes writes → restore into another data dir → verify ok; restore refuses to overwrite without --force', async () => {
    const dir = tmp('quanze-live-');
    const s = new Serve(dir);
    children.push(s);
    const url = await s.ready();
    await setup(url);
    let stop = false;
    const loading = load(url, 'b', () => stop);
    await sleep(500);
    const backupFile = join(tmp('quanze-backup-'), 'copy.db');
    const b = await quanze(dir, 'backup', '--out', backupFile, '--json');
    await sleep(300);
    stop = true;
    const sent = await loading;
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    const report = JSON.parse(b.stdout);
    const writesDuringBackup = sent.filter((x) => x.write && x.status === 200).length;
    expect(writesDuringBackup).toBeGreaterThan(5);
    s.proc.kill('SIGTERM');
    expect((await s.exited).code).toBe(0);
    const live = await countEvents(join(dir, 'events.db'));
    expect(report).toMatchObject({ file: backupFile, chainOk: true });
    expect(report.events).toBeGreaterThanOrEqual(3 + ITEMS);
    expect(report.events).toBeLessThan(live.eventCount); // writes went on after the copy
    expect(await quanze(dir, 'backup', '--out', backupFile)).toMatchObject({ code: 1, stderr: expect.stringContaining('已存在') });

    const target = tmp('quanze-restored-');
    const r = await quanze(target, 'restore', '--from', backupFile, '--json');
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ events: report.events, headPosition: report.headPosition, chainOk: true });
    const v = await quanze(target, 'verify', '--json');
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ ok: true, eventsChecked: report.events });
    expect((await quanze(target, 'restore', '--from', backupFile)).stderr).toContain('--force');
    // --force keeps the store it replaces
    const again = await quanze(dir, 'restore', '--from', backupFile, '--force');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('原事件库已另存为');
    expect((await countEvents(join(dir, 'events.db'))).eventCount).toBe(report.events);
    // the restored store serves
    const s2 = new Serve(target);
    children.push(s2);
    const url2 = await s2.ready();
    expect((await send(url2, 'GET', '/api/ownership?region=650200&item=L0&at=2016-06-01', 'after-restore')).status).toBe(200);
    s2.proc.kill('SIGTERM');
    expect((await s2.exited).code).toBe(0);
  }, 180_000);

  test('restore refuses while a server runs on the data dir (exit 7, Chinese and English, --force does not override); after the stop, or with a dead server\'s record, it restores', async () => {
    const dir = tmp('quanze-inuse-');
    const s = new Serve(dir);
    children.push(s);
    const url = await s.ready();
    await setup(url);
    const lock = JSON.parse(readFileSync(join(dir, 'server.pid'), 'utf8'));
    expect(lock).toMatchObject({ pid: s.proc.pid, url });
    const backupFile = join(tmp('quanze-backup-'), 'copy.db');
    expect((await quanze(dir, 'backup', '--out', backupFile)).code).toBe(0);
    const before = await countEvents(join(dir, 'events.db'));
    for (const args of [[], ['--force']]) {
      const r = await quanze(dir, 'restore', '--from', backupFile, ...args);
      expect([args, r.code]).toEqual([args, 7]);
      expect(r.stderr).toContain('数据目录正被运行中的服务使用');
      expect(r.stderr).toContain('in use by a running server');
      expect(r.stderr).toContain(`${s.proc.pid}`);
    }
    // the server was not disturbed: it still answers, its store as it was
    expect((await send(url, 'GET', '/api/ownership?region=650200&item=L0&at=2016-06-01', 'in-use')).status).toBe(200);
    expect(await countEvents(join(dir, 'events.db'))).toEqual(before);
    s.proc.kill('SIGTERM');
    expect((await s.exited).code).toBe(0);
    // a stop removes the record; restore goes ahead
    expect(existsSync(join(dir, 'server.pid'))).toBe(false);
    expect((await quanze(dir, 'restore', '--from', backupFile, '--force')).code).toBe(0);
    // the record of a server that was killed (its process gone) does not block
    const gone = spawn(process.execPath, ['-e', '0']);
    await once(gone, 'exit');
    writeFileSync(join(dir, 'server.pid'), JSON.stringify({ ...lock, pid: gone.pid }));
    expect((await quanze(dir, 'restore', '--from', backupFile, '--force')).code).toBe(0);
    // a live process named by the record blocks; --ignore-running is the operator saying it is not the server
    writeFileSync(join(dir, 'server.pid'), JSON.stringify({ ...lock, pid: process.pid }));
    expect((await quanze(dir, 'restore', '--from', backupFile, '--force')).code).toBe(7);
    expect((await quanze(dir, 'restore', '--from', backupFile, '--force', '--ignore-running')).code).toBe(0);
  }, 120_000);

  test('quanze config check: all problems at once, exit 2; a bad configuration stops serve before it listens', async () => {
    const dir = tmp('quanze-config-');
    const ok = await quanze(dir, 'config', 'check', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, problems: [] });
    const s = new Serve(dir, { PORT: 'eighty', QUANZE_LOG_LEVEL: 'loud', QUANZE_TOKENS: `x:root:${TOKENS.admin}` });
    children.push(s);
    const exit = await s.exited;
    expect(exit.code).toBe(1);
    expect(s.out).toContain('配置有 3 处错误 / 3 configuration problem(s)');
    for (const v of ['PORT', 'QUANZE_LOG_LEVEL', 'QUANZE_TOKENS']) expect(s.out).toContain(`- ${v}:`);
    expect(s.out).not.toContain(TOKENS.admin);
  }, 60_000);
});
