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
}

export const SNAPSHOT_SCHEMA = 1;

export class FileSnapshotStore {
  constructor(private readonly dir: string) {}

  private file(name: string) {
    return join(this.dir, `${name}.snapshot.ndjson`);
  }

  save(name: string, header: Omit<SnapshotHeader, 'kind' | 'schema' | 'facts'>, facts: Iterable<Fact>): SnapshotHeader {
    mkdirSync(this.dir, { recursive: true });
    const tmp = `${this.file(name)}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    let n = 0;
    let buf: string[] = [];
    const flush = () => {
      if (buf.length) writeSync(fd, buf.join(''));
      buf = [];
    };
    try {
      writeSync(fd, ' '.repeat(256) + '\n'); // room for the header, written last
      for (const f of facts) {
        buf.push(JSON.stringify(f) + '\n');
        n++;
        if (buf.length >= 2000) flush();
      }
      flush();
      const full: SnapshotHeader = { kind: 'quanze-readmodel-snapshot', schema: SNAPSHOT_SCHEMA, facts: n, ...header };
      const line = JSON.stringify(full);
      if (line.length > 256) throw new Error('snapshot header too long');
      writeSync(fd, line.padEnd(256, ' '), 0, 'utf8');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file(name));
    return { kind: 'quanze-readmodel-snapshot', schema: SNAPSHOT_SCHEMA, facts: n, ...header };
  }

  /** Streams the facts to `onFact`; returns the header, or undefined when there is no usable snapshot. */
  async load(name: string, accept: (h: SnapshotHeader) => Promise<boolean>, onFact: (f: Fact) => void): Promise<SnapshotHeader | undefined> {
    const file = this.file(name);
    if (!existsSync(file)) return undefined;
    const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    let header: SnapshotHeader | undefined;
    let n = 0;
    try {
      for await (const line of lines) {
        if (!header) {
          header = JSON.parse(line.trim()) as SnapshotHeader;
          if (header.kind !== 'quanze-readmodel-snapshot' || header.schema !== SNAPSHOT_SCHEMA || !(await accept(header))) return undefined;
          continue;
        }
        if (line.length === 0) continue;
        onFact(JSON.parse(line) as Fact);
        n++;
      }
    } catch {
      return undefined;
    } finally {
      lines.close();
    }
    return header && n === header.facts ? header : undefined;
  }

  remove(name: string): void {
    rmSync(this.file(name), { force: true });
  }
}
