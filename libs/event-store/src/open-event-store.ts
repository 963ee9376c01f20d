import { join } from 'node:path';
import { EventStore } from './event-store.port';
import { SqliteEventStore, SqliteSynchronous } from './sqlite/sqlite-event-store';
import { openEventStoreDb } from './eventstoredb/open-eventstoredb';

export interface OpenEventStoreOptions {
  /** `sqlite` (default) or an EventStoreDB/KurrentDB connection string. */
  eventstore?: string;
  dataDir: string;
  synchronous?: SqliteSynchronous;
}

/** The event log named by the configuration (QUANZE_EVENTSTORE), opened and ready. */
export async function openEventStore(options: OpenEventStoreOptions): Promise<EventStore> {
  const kind = (options.eventstore ?? 'sqlite').trim();
  if (kind === '' || kind === 'sqlite') {
    return new SqliteEventStore({ file: join(options.dataDir, 'events.db'), synchronous: options.synchronous });
  }
  if (/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kurrent|kurrent\+discover):\/\//.test(kind)) {
    return openEventStoreDb(kind);
  }
  throw new Error(`QUANZE_EVENTSTORE=${kind} 无法识别：应为 sqlite 或 esdb://… / kurrentdb://… 连接串`);
}
