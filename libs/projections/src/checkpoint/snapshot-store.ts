import { createHmac } from 'node:crypto';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, rmSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TimeSlices } from '../../../event-store/src';
import { Fact } from '../projection';
import { FactDecoder, FactEncoder, bodyParts } from './fact-codec';

/**
 * A local checkpoint of the read models: the facts they were built from, up to a position of the
 * log, so that a restart (or an API replica fed from a remote log) catches up from there instead of
 * from zero. A 256-byte JSON header line, then the facts in the binary form of fact-codec.ts; written
 * atomically (temp file, fsync, rename), encoded in slices of the event loop (a live API goes on
 * answering while it is saved). Loading checks the digest over every byte before decoding any.
 */
export interface SnapshotHeader {
  kind: 'quanze-readmodel-snapshot';
  /** Bumped when the projections' shape of facts or the file format changes: an old snapshot is then ignored. */
  schema: number;
  position: number;
  /** The id of the event at `position`, to notice a log that was replaced. */
  eventId: string;
  savedAt: string;
  facts: number;
  /**
   * HMAC-SHA256 over the header's fields and the whole body, keyed with the log's chain hash at
   * `position` (the event id where the store keeps no chain): the content is chained to the log's head
   * at that position, so an edited byte, an edited header or a log that differs is refused.
   */
  digest: string;
}

/** 2: the digest (a snapshot of schema 1 has none). 3: the binary body (fact-codec.ts) instead of JSON lines. */
export const SNAPSHOT_SCHEMA = 3;

const HEADER_BYTES = 256;
/** Bytes digested (or written) in one step of the event loop. */
const DIGEST_STEP = 8 << 20;

/** What loading found: the header of a snapshot that was applied, or why there is none to use. */
export interface SnapshotLoad {
  header?: SnapshotHeader;
  /** Set when a snapshot file was there but refused (a clear reason, for the log and /api/health). */
  refused?: string;
}

const mac = (anchor: string, h: Pick<SnapshotHeader, 'schema' | 'position' | 'eventId' | 'savedAt' | 'facts'>) =>
  createHmac('sha256', anchor).update(JSON.stringify(['quanze-readmodel-snapshot', h.schema, h.position, h.eventId, h.savedAt, h.facts]) + '\n');

/** The snapshot file of the read models `name` in a snapshot directory. */
export const snapshotFile = (dir: string, name = 'readmodels') => join(dir, `${name}.snapshot`);

export class FileSnapshotStore {
  constructor(private readonly dir: string) {}

  private file(name: string) {
    return snapshotFile(this.dir, name);
  }

  /** The JSON-lines file of schema ≤ 2 (removed when a snapshot of this schema is saved). */
  private legacy(name: string) {
    return join(this.dir, `${name}.snapshot.ndjson`);
  }

  /**
   * Writes `facts` (in position order; the array is only read, up to `count`) as the snapshot at `header`.
   * `anchor`: the log's chain hash at `header.position` (or the event id, where the store keeps no chain).
   * The encoding runs in slices of ~15 ms with the event loop running between them (`sliced: false`: in one go).
   */
  async save(
    name: string,
    header: Omit<SnapshotHeader, 'kind' | 'schema' | 'facts' | 'digest'>,
    facts: readonly Fact[],
    count: number,
    anchor: string,
    options: { sliced?: boolean } = {},
  ): Promise<SnapshotHeader> {
    const sliced = options.sliced ?? true;
    const slices = new TimeSlices();
    const encoder = new FactEncoder();
    for (let i = 0; i < count; i++) {
      encoder.add(facts[i]);
      if (sliced && slices.due()) await slices.pause();
    }
    const parts = bodyParts(encoder.finish());
    const full0 = { kind: 'quanze-readmodel-snapshot' as const, schema: SNAPSHOT_SCHEMA, facts: count, ...header };
    const hmac = mac(anchor, full0);
    for (const p of parts) {
      for (let o = 0; o < p.length; o += DIGEST_STEP) {
        hmac.update(p.subarray(o, o + DIGEST_STEP));
        if (sliced) await slices.pause();
      }
    }
    const full: SnapshotHeader = { ...full0, digest: hmac.digest('hex') };
    const line = JSON.stringify(full);
    if (Buffer.byteLength(line) > HEADER_BYTES) throw new Error('snapshot header too long');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.file(name)}.tmp`;
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.write(Buffer.from(line.padEnd(HEADER_BYTES, ' ') + '\n', 'utf8'));
      for (const p of parts) await fh.write(p);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.file(name));
    await rm(this.legacy(name), { force: true });
    return full;
  }

  /**
   * Gives the facts to `onFact`, in position order, once the digest over the whole file has been checked.
   * `accept` says whether the header fits the log; `anchorAt` gives the log's chain hash at a position (the
   * key of the digest). A snapshot that does not verify is refused before any fact is given; one that
   * verifies but cannot be decoded is refused too: the caller must then reset what `onFact` applied and
   * rebuild from the log.
   */
  async load(
    name: string,
    accept: (h: SnapshotHeader) => Promise<boolean>,
    anchorAt: (h: SnapshotHeader) => Promise<string | undefined>,
    onFact: (f: Fact) => void,
  ): Promise<SnapshotLoad> {
    const file = this.file(name);
    const refused = (why: string, f = file): SnapshotLoad => ({ refused: `读模型快照 ${f} 不可用，已从事件日志重建：${why}` });
    if (!existsSync(file)) return existsSync(this.legacy(name)) ? refused(`格式版本已过时（现为 ${SNAPSHOT_SCHEMA}）`, this.legacy(name)) : {};
    let header: SnapshotHeader;
    let n = 0;
    let fd: number | undefined;
    try {
      // Read part by part, each section into its own buffer (fact-codec.ts BodyReader): the string
      // sections are parsed and dropped as they come, so the file is never held whole and what is left
      // of it when the API listens is the tokens' buffer, not 146 MiB (M) waiting for a major GC.
      fd = openSync(file, 'r');
      const size = fstatSync(fd).size;
      const readAt = (at: number, len: number) => {
        const b = Buffer.allocUnsafe(len);
        for (let o = 0; o < len; ) {
          const got = readSync(fd!, b, o, len - o, at + o);
          if (got === 0) throw new Error('快照分段越界');
          o += got;
        }
        return b;
      };
      if (size < HEADER_BYTES + 1) return refused('文件为空或不是读模型快照');
      const head = readAt(0, HEADER_BYTES + 1);
      if (head[HEADER_BYTES] !== 0x0a) return refused('文件为空或不是读模型快照');
      header = JSON.parse(head.toString('utf8', 0, HEADER_BYTES).trim()) as SnapshotHeader;
      if (header.kind !== 'quanze-readmodel-snapshot') return refused('不是读模型快照文件');
      if (header.schema !== SNAPSHOT_SCHEMA) return refused(`格式版本 ${header.schema} 已过时（现为 ${SNAPSHOT_SCHEMA}）`);
      if (!(await accept(header))) return refused(`快照位置 ${header.position} 的事件与当前日志不符（日志被替换或截短）`);
      const anchor = await anchorAt(header);
      if (anchor === undefined || typeof header.digest !== 'string') return refused('无法核对快照与日志');
      // every byte after the header digested in order as it is read; no fact is given before the digest holds
      const hmac = mac(anchor, header);
      let pos = HEADER_BYTES + 1;
      const read = (len: number) => {
        if (pos + len > size) throw new Error('快照分段越界');
        const b = readAt(pos, len);
        pos += len;
        hmac.update(b);
        return b;
      };
      let decoder: FactDecoder | undefined;
      let undecodable: unknown;
      try {
        decoder = new FactDecoder(read);
      } catch (e) {
        undecodable = e;
      }
      while (pos < size) read(Math.min(DIGEST_STEP, size - pos));
      if (hmac.digest('hex') !== header.digest) return refused(`内容与位置 ${header.position} 处的日志链哈希不符：快照被改动（伪造）`);
      if (!decoder) throw undecodable;
      if (decoder.facts !== header.facts) return refused(`应有 ${header.facts} 条事实，文件中有 ${decoder.facts} 条`);
      for (let f = decoder.next(); f !== undefined; f = decoder.next()) {
        onFact(f as Fact);
        n++;
      }
    } catch (e) {
      return refused(`文件无法读取（${e instanceof Error ? e.message.slice(0, 200) : String(e)}）`);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    if (n !== header.facts) return refused(`应有 ${header.facts} 条事实，文件中有 ${n} 条（文件被截断或改动）`);
    return { header };
  }

  remove(name: string): void {
    rmSync(this.file(name), { force: true });
    rmSync(this.legacy(name), { force: true });
  }
}
