import { EventStore } from './event-store.port';
import { VerifyReport, verifyChain, verifyChainAsync } from './integrity';
import { PostgresEventStore } from './postgres/postgres-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

/** The hash-chain check of a whole store, for the adapters that keep the chain (undefined for others). */
export async function verifyStore(store: EventStore): Promise<VerifyReport | undefined> {
  if (store instanceof SqliteEventStore) return verifyChain(store.iterateRaw());
  if (store instanceof PostgresEventStore) return verifyChainAsync(store.iterateRaw());
  return undefined;
}
