import { EventStore } from '../event-store.port';

/** Placeholder until the EventStoreDB adapter lands (issue 7). */
export async function openEventStoreDb(connectionString: string): Promise<EventStore> {
  throw new Error(`EventStoreDB adapter not available yet (${connectionString.replace(/\/\/[^@]*@/, '//***@')})`);
}
