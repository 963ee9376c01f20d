import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** What a running server writes into its data dir (`<data dir>/server.pid`), removed when it stops. */
export interface ServerLock {
  pid: number;
  hostname: string;
  startedAt: string;
  url: string;
}

export const serverLockFile = (dataDir: string) => join(dataDir, 'server.pid');

/** A CLI verb that must not run while a server uses the data dir (restore). Exit code 7. */
export class DataDirInUseError extends Error {
  readonly code = 'DATA_DIR_IN_USE';
  constructor(
    readonly lock: ServerLock,
    readonly file: string,
  ) {
    super(
      `数据目录正被运行中的服务使用（进程 ${lock.pid}，${lock.hostname}，${lock.url}，${lock.startedAt} 启动）：请先停止服务（SIGTERM）再恢复。` +
        ` / The data dir is in use by a running server (pid ${lock.pid} on ${lock.hostname}, ${lock.url}, started ${lock.startedAt}): stop it first (SIGTERM).` +
        ` (${file}${lock.hostname === hostname() ? '' : '；另一台主机上的进程无法核实 / a process on another host cannot be checked'}；确认该进程已不存在时可加 --ignore-running / if that process is gone, --ignore-running)`,
    );
  }
}

/** Records this process as the data dir's server; the returned function removes the record if it is still ours. */
export function claimServerLock(dataDir: string, url: string, now = new Date()): () => void {
  const file = serverLockFile(dataDir);
  const lock: ServerLock = { pid: process.pid, hostname: hostname(), startedAt: now.toISOString(), url };
  writeFileSync(file, JSON.stringify(lock) + '\n', { mode: 0o600 });
  return () => {
    const current = readLock(file);
    if (current && current.pid === lock.pid && current.startedAt === lock.startedAt) rmSync(file, { force: true });
  };
}

/**
 * The server running on this data dir, if any: its record, unless the process it names is gone (a
 * server killed without stopping leaves its record behind). A record from another host counts as running.
 */
export function runningServer(dataDir: string): ServerLock | undefined {
  const lock = readLock(serverLockFile(dataDir));
  if (!lock) return undefined;
  if (lock.hostname !== hostname()) return lock;
  try {
    process.kill(lock.pid, 0);
    return lock;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? lock : undefined;
  }
}

/** Throws DataDirInUseError when a server runs on the data dir. */
export function assertNoServer(dataDir: string): void {
  const lock = runningServer(dataDir);
  if (lock) throw new DataDirInUseError(lock, serverLockFile(dataDir));
}

function readLock(file: string): ServerLock | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as ServerLock;
    return Number.isInteger(v.pid) && typeof v.hostname === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}
