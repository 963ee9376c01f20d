import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from '../apps/api/src/server';
import { loadConfig } from '../libs/runtime/src';
import { TOKENS_ENV } from './support/app';

describe('starting on an EventStoreDB that cannot be reached', () => {
  test('fails within seconds with a clear error, not a hang', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quanze-esdb-start-'));
    const started = Date.now();
    try {
      await expect(
        createServer(loadConfig({ QUANZE_DATA_DIR: dir, QUANZE_TOKENS: TOKENS_ENV, QUANZE_EVENTSTORE: 'esdb://127.0.0.1:1?tls=false', PORT: '0' }), { log: false }),
      ).rejects.toThrow(/无法连接 EventStoreDB（esdb:\/\/127\.0\.0\.1:1/);
      expect(Date.now() - started).toBeLessThan(8000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an unknown QUANZE_EVENTSTORE is refused with a message naming it', async () => {
    // refused with the other configuration problems, before anything is opened (libs/runtime/src/config.ts)
    expect(() => loadConfig({ QUANZE_DATA_DIR: '/tmp/never', QUANZE_TOKENS: TOKENS_ENV, QUANZE_EVENTSTORE: 'mysql://x' })).toThrow(/QUANZE_EVENTSTORE=mysql:\/\/x/);
  });
});
