import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';

/** What the server and the CLI keep in a data dir (the store with its WAL/SHM, snapshots, head, tokens). */
const OURS = /^(events\.db(-wal|-shm|-journal)?|readmodels|chain-head\.json(\.tmp)?|tokens\.json|verify\.json)$/;

/**
 * The data dir is readable by its owner only (0700, #22 item 11): created so; an existing one that
 * others may read is tightened when it holds nothing but our files (a shared directory such as /tmp,
 * sticky, or one with other files, is left as it is).
 */
export function ensurePrivateDir(dir: string): void {
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return;
  }
  const st = statSync(dir);
  if (!st.isDirectory() || (st.mode & 0o077) === 0 || st.mode & 0o1000) return;
  if (!readdirSync(dir).every((e) => OURS.test(e))) return;
  try {
    chmodSync(dir, 0o700);
  } catch {
    /* not ours to change */
  }
}

/** A store file readable by its owner only (0600): created empty so, or tightened when it exists. */
export function ensurePrivateFile(file: string, create = true): void {
  if (!existsSync(file)) {
    if (create) closeSync(openSync(file, 'a', 0o600));
    return;
  }
  if ((statSync(file).mode & 0o077) === 0) return;
  try {
    chmodSync(file, 0o600);
  } catch {
    /* not ours to change */
  }
}
