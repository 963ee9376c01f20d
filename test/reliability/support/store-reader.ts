import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore, RawEventRow, StoredEvent, VerifyReport, verifyChain } from '../../../libs/event-store/src';
import { ProjectionRunner, RegistryProjection } from '../../../libs/projections/src';

/**
 * Reads the embedded store's file directly, read-only, as a second process would: it never takes a
 * write lock, so it can look at the log of a running (or just killed) server child.
 */
export class StoreReader {
  private readonly db: Database.Database;

  constructor(dataDir: string) {
    // On PostgreSQL (npm run torture -- --store postgres) the reader looks at a copy of the log taken
    // now by `quanze migrate` (ids, positions, recordedAt and so the chain kept), read the same way.
    const url = tortureEventstore();
    if (url !== 'sqlite') dataDir = copyOfPostgres(url);
    const file = join(dataDir, 'events.db');
    if (!existsSync(file)) throw new Error(`no event store at ${file}`);
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    this.db.pragma('busy_timeout = 10000');
  }

  rows(fromPosition = 0): RawEventRow[] {
    return this.db.prepare('SELECT * FROM events WHERE position > ? ORDER BY position').all(fromPosition) as RawEventRow[];
  }

  events(fromPosition = 0): StoredEvent[] {
    return this.rows(fromPosition).map(toStored);
  }

  head(): { position: number; count: number } {
    const r = this.db.prepare('SELECT COUNT(*) AS n, COALESCE(MAX(position), 0) AS head FROM events').get() as { n: number; head: number };
    return { position: r.head, count: r.n };
  }

  streamVersion(stream: string): number | undefined {
    const r = this.db.prepare('SELECT MAX(stream_version) AS v FROM events WHERE stream = ?').get(stream) as { v: number | null };
    return r.v ?? undefined;
  }

  verify(): VerifyReport {
    return verifyChain(this.db.prepare('SELECT * FROM events ORDER BY position').iterate() as Iterable<RawEventRow>);
  }

  close(): void {
    this.db.close();
  }
}

export function toStored(r: RawEventRow): StoredEvent {
  return {
    id: r.id,
    stream: r.stream,
    streamVersion: r.stream_version,
    position: r.position,
    type: r.type,
    data: JSON.parse(r.data),
    metadata: JSON.parse(r.metadata),
    recordedAt: r.recorded_at,
  };
}

/** A registry projection rebuilt from zero by the production runner, from a list of stored events. */
export async function rebuildFrom(events: StoredEvent[]): Promise<RegistryProjection> {
  const view = new RegistryProjection();
  const source = {
    async readAll(from: number, limit: number) {
      return events.filter((e) => e.position > from).slice(0, limit);
    },
  } as unknown as EventStore;
  await new ProjectionRunner(source, [view]).rebuild(1000);
  return view;
}

/**
 * The event store the torture harness's servers use: `sqlite` (each server's own data dir) or the
 * PostgreSQL URL of the current phase (QUANZE_TORTURE_EVENTSTORE, set by torture.ts --store postgres).
 */
export function tortureEventstore(): string {
  return process.env.QUANZE_TORTURE_EVENTSTORE || 'sqlite';
}

const ROOT = join(__dirname, '../../..');

/** A SQLite copy of a PostgreSQL log, made by the CLI's migrate (which verifies the copy's chain). */
function copyOfPostgres(url: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'quanze-pg-copy-'));
  const r = spawnSync(process.execPath, ['-r', join(ROOT, 'bin/ts-register.js'), join(ROOT, 'apps/cli/src/main.ts'), 'migrate', '--from', url, '--to', `sqlite:${dir}`], {
    cwd: ROOT,
    env: { ...process.env, QUANZE_DATA_DIR: dir, QUANZE_EVENTSTORE: 'sqlite', QUANZE_DEMO: '0' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`copy of the PostgreSQL log failed (${r.status}): ${r.stderr?.slice(-1000)}`);
  return dir;
}
