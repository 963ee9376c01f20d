import { createHmac } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, openSync, writeSync, closeSync, renameSync, rmSync, fsyncSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Fact } from '../projection';

/**
 * A local checkpoint of the read models: the facts they were built from, up to a position of the
 * log, so that a restart (or an API replica fed from a remote log) catches up from there instead of
 * from zero. Written as NDJSON, atomically (temp file, fsync, rename); read as a stream.
 */
export interface SnapshotHeader {
  kind: 'quanze-readmodel-snapshot';
  /** Bumped when the projections' shape of facts changes: an old snapshot is then ignored. */
  schema: number;
  position: number;
  /** The id of the event at `position`, to notice a log that was replaced. */
  eventId: string;
  savedAt: string;
  facts: number;
  /**
   * HMAC-SHA256 over the header's fields and every fact line, keyed with the log's chain hash at
   * `position` (the event id where the store keeps no chain): the content is chained to the log's head
   * at that position, so an edited line, an edited header or a log that differs is refused.
   */
  digest: string;
}

/** 2: the digest (a snapshot of schema 1 has none and is rebuilt from the log). */
export const SNAPSHOT_SCHEMA = 2;

/** What loading found: the header of a snapshot that was applied, or why there is none to use. */
export interface SnapshotLoad {
  header?: SnapshotHeader;
  /** Set when a snapshot file was there but refused (a clear reason, for the log and /api/health). */
  refused?: string;
}

const mac = (anchor: string, h: Pick<SnapshotHeader, 'schema' | 'position' | 'eventId' | 'savedAt'>) =>
  createHmac('sha256', anchor).update(JSON.stringify(['quanze-readmodel-snapshot', h.schema, h.position, h.eventId, h.savedAt]) + '\n');

export class FileSnapshotStore {
  constructor(private readonly dir: string) {}

  private file(name: string) {
    return join(this.dir, `${name}.snapshot.ndjson`);
  }

  /** `anchor`: the log's chain hash at `header.position` (or the event id, where the store keeps no chain). */
  save(name: string, header: Omit<SnapshotHeader, 'kind' | 'schema' | 'facts' | 'digest'>, facts: Iterable<Fact>, anchor: string): SnapshotHeader {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.file(name)}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    const hmac = mac(anchor, { schema: SNAPSHOT_SCHEMA, ...header });
    let n = 0;
    let buf: string[] = [];
    const flush = () => {
      if (buf.length) writeSync(fd, buf.join(''));
      buf = [];
    };
    let full: SnapshotHeader;
    try {
      writeSync(fd, ' '.repeat(256) + '\n'); // room for the header, written last
      for (const f of facts) {
        const line = JSON.stringify(f);
        hmac.update(line).update('\n');
        buf.push(line + '\n');
        n++;
        if (buf.length >= 2000) flush();
      }
      flush();
      full = { kind: 'quanze-readmodel-snapshot', schema: SNAPSHOT_SCHEMA, facts: n, ...header, digest: hmac.digest('hex') };
      const line = JSON.stringify(full);
      if (line.length > 256) throw new Error('snapshot header too long');
      writeSync(fd, line.padEnd(256, ' '), 0, 'utf8');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file(name));
    return full;
  }

  /**
   * Streams the facts to `onFact` while checking the digest. `accept` says whether the header fits the
   * log; `anchorAt` gives the log's chain hash at a position (the key of the digest). A snapshot that
   * does not verify is refused: the caller must then reset what `onFact` applied and rebuild from the log.
   */
  async load(
    name: string,
    accept: (h: SnapshotHeader) => Promise<boolean>,
    anchorAt: (h: SnapshotHeader) => Promise<string | undefined>,
    onFact: (f: Fact) => void,
  ): Promise<SnapshotLoad> {
    const file = this.file(name);
    if (!existsSync(file)) return {};
    const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    let header: SnapshotHeader | undefined;
    let hmac: ReturnType<typeof mac> | undefined;
    let n = 0;
    const refused = (why: string): SnapshotLoad => ({ refused: `读模型快照 ${file} 不可用，已从事件日志重建：${why}` });
    try {
      for await (const line of lines) {
        if (!header) {
          header = JSON.parse(line.trim()) as SnapshotHeader;
          if (header.kind !== 'quanze-readmodel-snapshot') return refused('不是读模型快照文件');
          if (header.schema !== SNAPSHOT_SCHEMA) return refused(`格式版本 ${header.schema} 已过时（现为 ${SNAPSHOT_SCHEMA}）`);
          if (!(await accept(header))) return refused(`快照位置 ${header.position} 的事件与当前日志不符（日志被替换或截短）`);
          const anchor = await anchorAt(header);
          if (anchor === undefined || typeof header.digest !== 'string') return refused('无法核对快照与日志');
          hmac = mac(anchor, header);
          continue;
        }
        if (line.length === 0) continue;
        hmac!.update(line).update('\n');
        onFact(JSON.parse(line) as Fact);
        n++;
      }
    } catch (e) {
      return refused(`文件无法读取（${e instanceof Error ? e.message.slice(0, 200) : String(e)}）`);
    } finally {
      lines.close();
    }
    if (!header || !hmac) return refused('文件为空');
    if (n !== header.facts) return refused(`应有 ${header.facts} 条事实，文件中有 ${n} 条（文件被截断或改动）`);
    if (hmac.digest('hex') !== header.digest) return refused(`内容与位置 ${header.position} 处的日志链哈希不符：快照被改动（伪造）`);
    return { header };
  }

  remove(name: string): void {
    rmSync(this.file(name), { force: true });
  }
}
