import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from './sqlite-event-store';
import { verifyChain } from '../integrity';

/** Evidence that cannot be quietly altered: edit, delete, insert and swap rows in a copy; verify names each. */
describe('the hash chain names the first tampered event', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quanze-tamper-'));
  const original = join(dir, 'events.db');
  let ids: string[] = [];

  beforeAll(async () => {
    const store = new SqliteEventStore({ file: original });
    for (let i = 0; i < 10; i++) {
      const id = randomUUID();
      ids.push(id);
      await store.append([{ stream: `s-${i % 3}`, expectedVersion: 'any', events: [{ id, type: 'ItemAssigned', data: { i, departmentId: `D${i}` }, metadata: { actor: 'a' } }] }]);
    }
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const tampered = (name: string, sql: (db: Database.Database) => void) => {
    const file = join(dir, `${name}.db`);
    copyFileSync(original, file);
    const db = new Database(file);
    sql(db);
    db.close();
    const store = new SqliteEventStore({ file });
    const report = verifyChain(store.iterateRaw());
    void store.close();
    return report;
  };

  test('the untouched log verifies', () => {
    const store = new SqliteEventStore({ file: original });
    const r = verifyChain(store.iterateRaw());
    void store.close();
    expect([r.ok, r.eventsChecked, r.headPosition]).toEqual([true, 10, 10]);
  });

  test.each([
    ['data edited', 4, 'changed', (db: Database.Database) => db.prepare("UPDATE events SET data = json_set(data, '$.departmentId', 'EVIL') WHERE position = 4").run()],
    ['metadata edited (actor)', 6, 'changed', (db: Database.Database) => db.prepare(`UPDATE events SET metadata = '{"actor":"someone-else"}' WHERE position = 6`).run()],
    ['recordedAt back-dated', 7, 'changed', (db: Database.Database) => db.prepare("UPDATE events SET recorded_at = '2001-01-01T00:00:00.000Z' WHERE position = 7").run()],
    ['row deleted', 6, 'gap', (db: Database.Database) => db.prepare('DELETE FROM events WHERE position = 5').run()],
    ['two rows swapped', 3, 'changed', (db: Database.Database) => {
      db.exec('UPDATE events SET position = -3 WHERE position = 3; UPDATE events SET position = 3 WHERE position = 8; UPDATE events SET position = 8 WHERE position = -3;');
    }],
    ['row inserted with a forged hash', 5, 'changed', (db: Database.Database) => {
      db.exec('UPDATE events SET position = position + 100 WHERE position >= 5; UPDATE events SET position = position - 99 WHERE position >= 105;');
      db.prepare("INSERT INTO events (position, id, stream, stream_version, type, data, metadata, recorded_at, hash) SELECT 5, 'forged', stream, 99, type, data, metadata, recorded_at, hash FROM events WHERE position = 4").run();
    }],
    ['the chain head hash rewritten', 10, 'changed', (db: Database.Database) => db.prepare('UPDATE events SET hash = ? WHERE position = 10').run('f'.repeat(64))],
  ] as const)('%s → names position %i (%s)', (name, position, problem, sql) => {
    const r = tampered(name.replace(/\W+/g, '-'), sql as (db: Database.Database) => void);
    expect(r.ok).toBe(false);
    expect([r.firstProblem!.position, r.firstProblem!.problem]).toEqual([position, problem]);
    expect(r.firstProblem!.eventId).toBeTruthy();
  });
});
