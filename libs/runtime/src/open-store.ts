import { join, resolve } from 'node:path';
import { EventStore, SqliteEventStore, SqliteSynchronous, isPostgresUrl, openEventStoreDb, openPostgresEventStore, redactPgUrl } from '../../event-store/src';


export interface OpenStoreOptions {
  /**
   * Which store (QUANZE_EVENTSTORE): `sqlite` (default: `<dataDir>/events.db`), `sqlite:DIR` (the
   * embedded store of another data dir), a PostgreSQL URL (`postgres://…`, `postgresql://…`, several
   * hosts allowed) or an EventStoreDB/KurrentDB connection string.
   */
  eventstore?: string;
  dataDir: string;
  synchronous?: SqliteSynchronous;
}

const ESDB = /^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kurrent|kurrent\+discover):\/\//;

/** What `eventstore` names, without opening it: the one place a store kind is recognised. */
export function storeKind(eventstore: string | undefined): 'sqlite' | 'esdb' | 'postgres' | undefined {
  const spec = (eventstore ?? 'sqlite').trim();
  if (spec === '' || spec === 'sqlite' || spec.startsWith('sqlite:')) return 'sqlite';
  if (ESDB.test(spec)) return 'esdb';
  if (isPostgresUrl(spec)) return 'postgres';
  return undefined;
}

/** The SQLite file of the configured store (`<dataDir>/events.db`, or `sqlite:DIR`), undefined for another kind. */
export function sqliteFile(options: Pick<OpenStoreOptions, 'eventstore' | 'dataDir'>): string | undefined {
  const spec = (options.eventstore ?? 'sqlite').trim();
  if (storeKind(spec) !== 'sqlite') return undefined;
  return join(spec.startsWith('sqlite:') ? resolve(spec.slice('sqlite:'.length)) : options.dataDir, 'events.db');
}

/** The event log named by the configuration, opened and ready. The one store selection of every shell. */
export async function openStore(options: OpenStoreOptions): Promise<EventStore> {
  const spec = (options.eventstore ?? 'sqlite').trim();
  switch (storeKind(spec)) {
    case 'sqlite':
      return new SqliteEventStore({ file: sqliteFile(options)!, synchronous: options.synchronous });
    case 'esdb':
      return openEventStoreDb(spec);
    case 'postgres':
      return openPostgresEventStore(spec, { log: (m) => console.warn(m) });
    default:
      throw new Error(`QUANZE_EVENTSTORE=${redactPgUrl(spec)} 无法识别：应为 sqlite、sqlite:<数据目录>、postgres://… 或 esdb://… / kurrentdb://… 连接串`);
  }
}
