/**
 * A private PostgreSQL server for tests and benchmarks: Debian's `postgresql` package, initdb on a
 * private data directory under the system temp dir, a private port on 127.0.0.1, always stopped (and
 * its directory removed) at the end — also when the process exits or is interrupted.
 *
 * initdb and postgres refuse to run as root: as root, they run as the package's `postgres` user
 * (`runuser -u postgres --`) on a directory chowned to it.
 *
 * A standby (`startStandby`) is a `pg_basebackup -R` copy of a primary that streams from it; the
 * primary can be told to commit synchronously to it (`synchronous_standby_names`). `kill()` ends a
 * server at once (SIGKILL to the postmaster, as a crash would), `promote()` makes a standby the primary.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

export interface PgServer {
  port: number;
  dir: string;
  data: string;
  version: string;
  settings: Record<string, string>;
  /** `postgres://quanze@127.0.0.1:<port>/postgres` */
  url: string;
  connect(database?: string): Promise<Client>;
  /** Runs SQL as the superuser (quanze) on the postgres database. */
  sql(text: string): Promise<any[]>;
  /** SIGKILL to the postmaster (a crash); the data dir stays, `start()` brings it back. */
  kill(): void;
  /** Starts it again after `kill()` or `halt()`. */
  start(): void;
  /** A clean, fast shutdown; the data dir stays. */
  halt(): void;
  /** Promotes a standby (waits until it accepts writes). */
  promote(): void;
  /** Stops it and removes its directory. */
  stop(): void;
  /** The server's log (the tail, for failure messages). */
  logTail(chars?: number): string;
}

export interface StartPostgresOptions {
  log?: (s: string) => void;
  sharedBuffersMB?: number;
  /** Ports to choose from ([from, to], inclusive); default: any free port. */
  portRange?: [number, number];
  /** Extra `-c` settings. */
  settings?: Record<string, string>;
  /** Install the Debian package when missing (as root). Default true; tests pass false. */
  install?: boolean;
}

const INSTALL = 'apt-get update && apt-get install -y postgresql';

export function findPostgresBin(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length) return join(base, versions[0], 'bin');
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  const p = which.stdout.trim();
  return p ? p.replace(/\/initdb$/, '') : undefined;
}

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

/** A free port on 127.0.0.1 in `range` (inclusive), or any free port. */
export async function choosePort(range?: [number, number]): Promise<number> {
  if (!range) {
    return new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
  }
  const [from, to] = range;
  for (let i = 0; i < 200; i++) {
    const port = from + Math.floor(Math.random() * (to - from + 1));
    if (await portIsFree(port)) return port;
  }
  throw new Error(`no free port in ${from}-${to}`);
}

function resolveBin(install: boolean, log: (s: string) => void): string {
  let bin = findPostgresBin();
  if (bin) return bin;
  const root = process.getuid?.() === 0;
  if (!install || !root) throw new Error(`PostgreSQL is not installed; install it with: sudo sh -c '${INSTALL}'`);
  log(`PostgreSQL not found: running ${INSTALL}`);
  execFileSync('sh', ['-c', `DEBIAN_FRONTEND=noninteractive ${INSTALL}`], { stdio: 'inherit' });
  bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL still not found after apt-get install');
  return bin;
}

interface Instance {
  bin: string;
  dir: string;
  data: string;
  port: number;
  settings: Record<string, string>;
  log: (s: string) => void;
}

function runner(bin: string) {
  const root = process.getuid?.() === 0;
  const asUser = root ? ['runuser', '-u', 'postgres', '--'] : [];
  return (cmd: string, args: string[], allowFail = false) => {
    const [c, ...rest] = [...asUser, join(bin, cmd), ...args];
    const r = spawnSync(c, rest, { encoding: 'utf8' });
    if (r.status !== 0 && !allowFail) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`);
    return r.stdout;
  };
}

function privateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'quanze-pg-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  return dir;
}

async function manage(inst: Instance): Promise<PgServer> {
  const run = runner(inst.bin);
  const { dir, data, port, settings } = inst;
  const logFile = join(dir, 'server.log');
  const logTail = (chars = 2000) => (existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-chars) : '');
  let running = false;
  const opt = () =>
    Object.entries(settings)
      .map(([k, v]) => `-c ${k}=${v}`)
      .join(' ');
  const start = () => {
    run('pg_ctl', ['-D', data, '-l', logFile, '-o', opt(), '-w', '-t', '60', 'start']);
    running = true;
  };
  const halt = () => {
    if (running) run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'], true);
    running = false;
  };
  const kill = () => {
    const pidFile = join(data, 'postmaster.pid');
    if (!existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    // The backends notice the postmaster's death and exit; wait until the port is free.
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      const alive = spawnSync('sh', ['-c', `kill -0 ${pid} 2>/dev/null`]).status === 0;
      if (!alive) break;
      spawnSync('sleep', ['0.05']);
    }
    running = false;
  };
  let removed = false;
  const stop = () => {
    if (removed) return;
    halt();
    // A killed server's backends may linger a moment: make sure nothing keeps the dir.
    removed = true;
    rmSync(dir, { recursive: true, force: true });
    process.removeListener('exit', onExit);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
  const onExit = () => stop();
  const onSignal = (sig: NodeJS.Signals) => {
    stop();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  try {
    start();
  } catch (e) {
    const tail = logTail();
    stop();
    throw new Error(`${(e as Error).message}\n${tail}`);
  }
  process.once('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const connect = async (database = 'postgres') => {
    const c = new Client({ host: '127.0.0.1', port, user: 'quanze', database });
    await c.connect();
    return c;
  };
  const sql = async (text: string) => {
    const c = await connect();
    try {
      return (await c.query(text)).rows;
    } finally {
      await c.end();
    }
  };
  const version = (await sql('SHOW server_version'))[0].server_version as string;
  inst.log(`PostgreSQL ${version} on 127.0.0.1:${port}, data in ${data}`);
  return {
    port,
    dir,
    data,
    version,
    settings,
    url: `postgres://quanze@127.0.0.1:${port}/postgres`,
    connect,
    sql,
    kill,
    start,
    halt,
    promote: () => void run('pg_ctl', ['-D', data, '-w', '-t', '60', 'promote']),
    stop,
    logTail,
  };
}

/** Starts a private PostgreSQL (installing the Debian package first when missing and running as root). */
export async function startPostgres(opts: StartPostgresOptions = {}): Promise<PgServer> {
  const log = opts.log ?? (() => undefined);
  const bin = resolveBin(opts.install ?? true, log);
  const run = runner(bin);
  const dir = privateDir();
  const data = join(dir, 'data');
  const port = await choosePort(opts.portRange);
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: dir,
    shared_buffers: `${opts.sharedBuffersMB ?? 1024}MB`,
    effective_cache_size: '8GB',
    work_mem: '64MB',
    maintenance_work_mem: '1GB',
    max_wal_size: '8GB',
    random_page_cost: '1.1',
    jit: 'off',
    max_parallel_workers_per_gather: '0',
    fsync: 'on',
    synchronous_commit: 'on',
    ...opts.settings,
  };
  try {
    run('initdb', ['-D', data, '-U', 'quanze', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return manage({ bin, dir, data, port, settings, log });
}

/**
 * A streaming standby of `primary`, from `pg_basebackup -R` (replication slot-less, WAL streamed
 * during the copy). With `synchronous`, the primary then waits for it on every commit
 * (synchronous_standby_names = the standby's application_name, reloaded on the primary).
 */
export async function startStandby(primary: PgServer, opts: StartPostgresOptions & { synchronous?: boolean; name?: string } = {}): Promise<PgServer> {
  const log = opts.log ?? (() => undefined);
  const bin = resolveBin(false, log);
  const run = runner(bin);
  const dir = privateDir();
  const data = join(dir, 'data');
  const port = await choosePort(opts.portRange);
  const name = opts.name ?? 'standby1';
  run('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'quanze', '-D', data, '-R', '-X', 'stream', '--no-sync', '-c', 'fast']);
  const settings: Record<string, string> = {
    ...primary.settings,
    port: String(port),
    unix_socket_directories: dir,
    hot_standby: 'on',
    // The walreceiver names itself after cluster_name (pg_basebackup -R wrote primary_conninfo).
    cluster_name: name,
    ...opts.settings,
  };
  delete settings.synchronous_standby_names;
  const standby = await manage({ bin, dir, data, port, settings, log });
  if (opts.synchronous) {
    await primary.sql(`ALTER SYSTEM SET synchronous_standby_names = '${name}'`);
    await primary.sql('SELECT pg_reload_conf()');
    // Wait until the primary sees it as its synchronous standby.
    const until = Date.now() + 30_000;
    for (;;) {
      const rows = await primary.sql(`SELECT sync_state FROM pg_stat_replication WHERE application_name = '${name}'`);
      if (rows[0]?.sync_state === 'sync') break;
      if (Date.now() > until) throw new Error(`the standby ${name} did not become synchronous: ${JSON.stringify(rows)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return standby;
}

/**
 * For specs: PostgreSQL's binaries, or why there are none. Under CI=true a missing PostgreSQL is a
 * failure (`.ci/run` installs it), elsewhere the PostgreSQL specs are skipped with a loud banner.
 */
export function postgresForTests(what: string): { skip?: string } {
  if (findPostgresBin()) return {};
  const reason = `PostgreSQL is not installed (apt-get install -y postgresql): ${what}`;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`CI: ${reason} — .ci/run installs it; a missing server is a failure here, not a skip`);
  console.warn(`⚠️  SKIPPED: ${reason}. Skipped is NOT passed.`);
  return { skip: reason };
}

/** Ports for the servers tests start: QUANZE_TEST_PORTS=from-to, default 44000-44999. */
export function testPortRange(): [number, number] {
  const m = /^(\d+)-(\d+)$/.exec(process.env.QUANZE_TEST_PORTS ?? '');
  return m ? [Number(m[1]), Number(m[2])] : [44000, 44999];
}

/** A small private server for one spec file (32 MB shared buffers, fsync off: a test's data is thrown away). */
export function startTestPostgres(extra: StartPostgresOptions = {}): Promise<PgServer> {
  return startPostgres({ portRange: testPortRange(), sharedBuffersMB: 32, install: false, ...extra, settings: { fsync: 'off', max_connections: '200', ...extra.settings } });
}
