import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
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
