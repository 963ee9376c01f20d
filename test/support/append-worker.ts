/**
 * Appends multi-stream batches to a SQLite store as fast as it can and prints an acknowledgement
 * line after each append returns. The crash test kills it with SIGKILL at a random moment.
 */
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '../../libs/event-store/src';

async function main() {
  const [file, tag] = process.argv.slice(2);
  const store = new SqliteEventStore({ file });
  for (let n = 0; ; n++) {
    const batch = `${tag}-${n}`;
    const events = (k: string) => [{ id: randomUUID(), type: 'CrashTest', data: { batch, k, pad: 'x'.repeat(200) } }];
    const r = await store.append([
      { stream: `crash-${batch}-a`, expectedVersion: 'no_stream', events: events('a') },
      { stream: `crash-shared-${n % 7}`, expectedVersion: 'any', events: events('b') },
      { stream: `crash-${batch}-c`, expectedVersion: 'no_stream', events: events('c') },
    ]);
    process.stdout.write(JSON.stringify({ batch, ids: r.events.map((e) => e.id) }) + '\n');
  }
}
void main();
