import type { EventStoreDBClient } from '@eventstore/db-client';
import { EventStore, StoreUnavailableError } from '../event-store.port';
import { EventStoreDbEventStore, EventStoreDbOptions } from './eventstoredb-event-store';
import { loadEsdbClient } from './esdb-client';
import { EsdbLedgerClient } from './ledger-client';
import { mapEsdbError, normaliseConnectionString, redactConnectionString } from './mapping';

export interface OpenEventStoreDbOptions extends EventStoreDbOptions {
  /** How long the first contact with the server may take before open fails (ms). Default 4000. */
  openTimeoutMs?: number;
}

/**
 * Opens the EventStoreDB/KurrentDB event store named by a connection string
 * (`esdb://host:2113?tls=false`, `esdb+discover://…`, `kurrentdb://…`).
 * First a cheap read of the ledger's first event under a deadline, so an unreachable server fails
 * here within `openTimeoutMs` with a StoreUnavailableError saying so — never a hang; then the whole
 * ledger is read into the adapter's view (time proportional to the log's size).
 */
export async function openEventStoreDb(connectionString: string, options: OpenEventStoreDbOptions = {}): Promise<EventStore> {
  const shown = redactConnectionString(connectionString);
  let client: EventStoreDBClient;
  try {
    client = loadEsdbClient().EventStoreDBClient.connectionString(normaliseConnectionString(connectionString));
  } catch (error) {
    throw new Error(`EventStoreDB 连接串无效（${shown}）：${error instanceof Error ? error.message : String(error)}`);
  }
  const ledger = new EsdbLedgerClient(client);
  const store = new EventStoreDbEventStore(ledger, options);
  const timeoutMs = options.openTimeoutMs ?? 4000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      ledger.read(store.ledgerStream, 0n, 1, { deadlineMs: timeoutMs }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs + 250);
      }),
    ]);
  } catch (error) {
    await Promise.race([ledger.dispose().catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
    const mapped = mapEsdbError(error);
    const reason = mapped instanceof Error ? mapped.message : String(mapped);
    throw new StoreUnavailableError(
      `无法连接 EventStoreDB（${shown}）：${reason}。请确认服务器已启动、地址与端口正确、tls 设置与服务器一致（不加密的节点需 ?tls=false），然后重试`,
      error,
    );
  } finally {
    if (timer) clearTimeout(timer);
  }
  try {
    await store.init();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}
