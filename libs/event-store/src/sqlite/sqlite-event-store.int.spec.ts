import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from './sqlite-event-store';
import { describeEventStoreContract } from '../testing/event-store.contract';

describeEventStoreContract('sqlite (file, WAL, synchronous=FULL)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'quanze-contract-'));
  const file = join(dir, 'events.db');
  const store = new SqliteEventStore({ file, pollIntervalMs: 50 });
  return {
    store,
    another: async () => new SqliteEventStore({ file, pollIntervalMs: 50 }),
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
