import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { checkHeadAnchor, readHeadAnchor, writeHeadAnchor } from './head-anchor';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

describe('the chain head recorded outside the store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quanze-anchor-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const append = (store: SqliteEventStore, n: number, tag: string) =>
    store.append(Array.from({ length: n }, (_, i) => ({ stream: `s-${tag}-${i}`, expectedVersion: 'any' as const, events: [{ id: `${tag}-${i}`, type: 'T', data: { i }, metadata: {} }] })));

  test('later appends pass; a truncated tail or a rewritten-and-rechained tail is named', async () => {
    const file = join(dir, 'events.db');
    let store = new SqliteEventStore({ file });
    await append(store, 10, 'a');
    const anchorFile = join(dir, 'chain-head.json');
    await writeHeadAnchor(anchorFile, (await store.chainHead())!);
    expect(statSync(anchorFile).mode & 0o777).toBe(0o600);
    const anchor = readHeadAnchor(anchorFile)!;
    expect(anchor.position).toBe(10);
    expect(await checkHeadAnchor(store, anchor)).toEqual({ ok: true });
    await append(store, 2, 'b');
    expect(await checkHeadAnchor(store, anchor)).toEqual({ ok: true });
    await store.close();

    const db = new Database(file);
    db.prepare('DELETE FROM events WHERE position > 7').run();
    db.close();
    store = new SqliteEventStore({ file });
    expect(await checkHeadAnchor(store, anchor)).toMatchObject({ ok: false, problem: 'truncated' });
    // the tail re-appended with other content: the chain is valid again, the hash at 10 is not the recorded one
    await append(store, 5, 'c');
    expect(await checkHeadAnchor(store, anchor)).toMatchObject({ ok: false, problem: 'rewritten' });
    await store.close();
  });
});
