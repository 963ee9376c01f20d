import { existsSync, readFileSync } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EventStore } from './event-store.port';

/**
 * The chain head recorded outside the store file. The hash chain names the first altered event, but a
 * log whose newest events were deleted is still a valid chain: only a record of the head kept elsewhere
 * shows that it once went further. The runner writes this file with each checkpoint of the read models
 * (and shortly after live appends); `verify` compares it with the store.
 */
export interface HeadAnchor {
  kind: 'quanze-chain-head';
  position: number;
  hash: string;
  recordedAt: string;
}

let tmpSeq = 0;

/**
 * Writes the head file (atomically: a temporary file, fsynced, renamed). Asynchronous: its fsync runs
 * off the main thread — on a busy disk, just after a large append, a synchronous one held the API's
 * thread for a second (#22).
 */
export async function writeHeadAnchor(file: string, head: { position: number; hash: string }, now = new Date()): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${++tmpSeq}.tmp`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(JSON.stringify({ kind: 'quanze-chain-head', position: head.position, hash: head.hash, recordedAt: now.toISOString() } satisfies HeadAnchor) + '\n');
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
}

/** The anchor in `file`; undefined when there is none; an Error when it cannot be read. */
export function readHeadAnchor(file: string): HeadAnchor | undefined {
  if (!existsSync(file)) return undefined;
  const a = JSON.parse(readFileSync(file, 'utf8')) as HeadAnchor;
  if (a.kind !== 'quanze-chain-head' || !Number.isInteger(a.position) || typeof a.hash !== 'string') throw new Error(`${file}: not a chain-head file`);
  return a;
}

export interface AnchorCheck {
  ok: boolean;
  /** Why not, in words. */
  detail?: string;
  problem?: 'truncated' | 'rewritten';
}

/**
 * Compares a recorded head with the store: the store must still hold the event at the recorded position,
 * with the recorded hash (events after it are fine: appended since).
 */
export async function checkHeadAnchor(store: EventStore, anchor: HeadAnchor): Promise<AnchorCheck> {
  const head = await store.chainHead?.();
  if (!head) {
    if (anchor.position === 0) return { ok: true };
    return { ok: false, problem: 'truncated', detail: `链头文件记录了位置 ${anchor.position}（${anchor.recordedAt}），事件库却是空的：日志的事件被删除` };
  }
  if (head.position < anchor.position) {
    return { ok: false, problem: 'truncated', detail: `链头文件记录了位置 ${anchor.position}（${anchor.recordedAt}），事件库却只到位置 ${head.position}：最新的 ${anchor.position - head.position} 个事件被删除（或库是从较早的备份恢复的）` };
  }
  const at = head.position === anchor.position ? head.hash : await store.chainHashAt?.(anchor.position);
  if (at === undefined) return { ok: true, detail: '此事件库不能按位置查哈希，只比较了位置' };
  if (at !== anchor.hash) {
    return { ok: false, problem: 'rewritten', detail: `位置 ${anchor.position} 的链哈希与链头文件（${anchor.recordedAt}）不符：该位置及之前的日志被改写后重新计算了哈希链` };
  }
  return { ok: true };
}
