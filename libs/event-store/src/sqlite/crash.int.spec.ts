import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from './sqlite-event-store';
import { verifyChain } from '../integrity';

const root = join(__dirname, '../../../..');

/** Runs the append worker until it has acknowledged `minAcks` appends, then SIGKILLs it mid-stream. */
function runAndKill(file: string, tag: string, minAcks: number): Promise<Array<{ batch: string; ids: string[] }>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', join(root, 'bin/ts-register.js'), join(root, 'test/support/append-worker.ts'), file, tag], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: Array<{ batch: string; ids: string[] }> = [];
    let buf = '';
    let err = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        acks.push(JSON.parse(buf.slice(0, i)));
        buf = buf.slice(i + 1);
      }
      if (!killed && acks.length >= minAcks) {
        killed = true;
        // A random extra delay so the kill lands at a different point of an append each time.
        setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 15));
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // 'close', not 'exit': every acknowledgement the worker wrote before it died is still in the pipe
    // (stdout to a pipe is synchronous on Linux) and must be counted — under load 'exit' came first and
    // the acknowledgements still unread looked like batches stored without one.
    child.on('close', (_code, signal) => (signal === 'SIGKILL' ? resolve(acks) : reject(new Error(`worker exited without being killed: ${err}`))));
  });
}

describe('crash safety of the embedded store (SIGKILL in the middle of appends)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quanze-crash-'));
  const file = join(dir, 'events.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each([1, 2, 3, 4, 5])('round %i: every acknowledged event is there, no batch is half there, the chain verifies', async (round) => {
    const acks = await runAndKill(file, `r${round}`, 40 + round * 30);
    expect(acks.length).toBeGreaterThanOrEqual(40);
    const store = new SqliteEventStore({ file });
    try {
      for (const a of acks) for (const id of a.ids) expect(await store.readEvent(id)).toBeDefined();
      const perBatch = new Map<string, number>();
      for (const e of await store.readAll(0, 1_000_000)) {
        if (e.type !== 'CrashTest') continue;
        perBatch.set(e.data.batch, (perBatch.get(e.data.batch) ?? 0) + 1);
      }
      for (const [batch, n] of perBatch) expect([batch, n]).toEqual([batch, 3]);
      // The kill may land after the commit and before the acknowledgement: at most one such batch.
      const mine = [...perBatch.keys()].filter((b) => b.startsWith(`r${round}-`)).length;
      expect(mine - acks.length).toBeGreaterThanOrEqual(0);
      expect(mine - acks.length).toBeLessThanOrEqual(1);
      expect(verifyChain(store.iterateRaw()).ok).toBe(true);
    } finally {
      await store.close();
    }
  });
});
