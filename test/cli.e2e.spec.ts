import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '../libs/event-store/src';
import { Registry } from '../libs/application/src';
import { loadDemo } from '../libs/demo/src';
import { quanze } from './support/cli';

/** The CLI on the store named by the environment: owner, report, verify (and tampering), stats. */
describe('npx quanze', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quanze-cli-'));
  let highlight: { region: string; item: string; at: string[] };
  beforeAll(async () => {
    const store = new SqliteEventStore({ file: join(dir, 'events.db') });
    highlight = (await loadDemo(new Registry(store))).highlights[0];
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('owner answers before and after the demo transfer, in text and JSON', async () => {
    const before = await quanze(dir, 'owner', '--region', highlight.region, '--item', highlight.item, '--at', highlight.at[0], '--json');
    const after = await quanze(dir, 'owner', '--region', highlight.region, '--item', highlight.item, '--at', highlight.at[1]);
    expect(before.code).toBe(0);
    expect(JSON.parse(before.stdout).owners.map((o: any) => o.departmentName)).toEqual(['克拉玛依市人力资源和社会保障局']);
    expect(after.stdout).toContain('牵头  克拉玛依市医疗保障局');
    const bad = await quanze(dir, 'owner', '--region', highlight.region, '--item', highlight.item, '--at', '2020-02-30');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('不是有效日期');
    const unknown = await quanze(dir, 'owner', '--region', '650200', '--item', 'NOPE', '--at', '2020-01-01');
    expect([unknown.code, unknown.stderr]).toEqual([4, expect.stringContaining('不在目录中')]);
  }, 60000);

  test('report writes a printable HTML file quoting the chain head', async () => {
    const out = join(dir, 'report.html');
    const r = await quanze(dir, 'report', '--region', highlight.region, '--item', highlight.item, '--at', highlight.at[1], '--out', out);
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('职责争议证据报告');
    expect(html).toContain('克拉玛依市医疗保障局');
    const head = /证据链头：(\d+) ([0-9a-f]{64})/.exec(r.stdout);
    expect(head).not.toBeNull();
    expect(html).toContain(head![2]);
  }, 60000);

  test('verify passes on the log and names the first changed event in a tampered copy', async () => {
    const ok = await quanze(dir, 'verify', '--json');
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true });
    const copy = mkdtempSync(join(tmpdir(), 'quanze-cli-tampered-'));
    try {
      copyFileSync(join(dir, 'events.db'), join(copy, 'events.db'));
      const db = new Database(join(copy, 'events.db'));
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.prepare("UPDATE events SET data = json_set(data, '$.departmentId', 'KLMY-TJJ') WHERE position = 150").run();
      db.close();
      const bad = await quanze(copy, 'verify');
      expect(bad.code).toBe(3);
      expect(bad.stdout).toContain('位置 150');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 60000);

  test('verify compares the chain head recorded outside the store: deleting the newest events is detected', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'quanze-cli-truncated-'));
    try {
      copyFileSync(join(dir, 'events.db'), join(copy, 'events.db'));
      const rebuilt = await quanze(copy, 'rebuild');
      expect(rebuilt.code).toBe(0);
      const anchor = JSON.parse(readFileSync(join(copy, 'chain-head.json'), 'utf8'));
      expect(statSync(join(copy, 'chain-head.json')).mode & 0o777).toBe(0o600);
      const intact = await quanze(copy, 'verify');
      expect([intact.code, intact.stdout]).toEqual([0, expect.stringContaining(`链头文件一致：位置 ${anchor.position}`)]);
      const db = new Database(join(copy, 'events.db'));
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.prepare('DELETE FROM events WHERE position > ?').run(anchor.position - 5);
      db.close();
      const bad = await quanze(copy, 'verify', '--json');
      expect(bad.code).toBe(3);
      const report = JSON.parse(bad.stdout);
      // the chain alone still holds (a prefix of a chain is a chain): only the head file tells
      expect(report.firstProblem).toBeUndefined();
      expect(report.headAnchor).toMatchObject({ ok: false, problem: 'truncated', detail: expect.stringContaining('最新的 5 个事件被删除') });
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 60000);

  test('export writes the list in force as xlsx and csv', async () => {
    const out = join(dir, 'list.csv');
    const r = await quanze(dir, 'export', '--region', highlight.region, '--at', highlight.at[1], '--out', out);
    expect(r.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\r\n');
    expect(lines.length).toBeGreaterThan(80);
    expect(lines.find((l) => l.includes(highlight.item))).toContain('克拉玛依市医疗保障局');
    const x = await quanze(dir, 'export', '--region', highlight.region, '--at', highlight.at[1], '--out', join(dir, 'list.xlsx'));
    expect(x.code).toBe(0);
    expect(readFileSync(join(dir, 'list.xlsx')).subarray(0, 2).toString()).toBe('PK');
    expect((await quanze(dir, 'export', '--region', highlight.region, '--at', highlight.at[1], '--out', join(dir, 'list.pdf'))).code).not.toBe(0);
    // Round trip: the exported list imported again records nothing.
    const back = await quanze(dir, 'import', join(dir, 'list.xlsx'), '--region', highlight.region, '--effective', highlight.at[1], '--document', '往返测试', '--json');
    const report = JSON.parse(back.stdout);
    expect([report.rowsRead, report.recorded, report.unchanged, report.rejected]).toEqual([lines.length - 1, 0, lines.length - 1, []]);
  }, 60000);

  test('stats counts the demo', async () => {
    const s = await quanze(dir, 'stats', '--json');
    const j = JSON.parse(s.stdout);
    expect(j.regions).toBe(25);
    expect(j.store.eventCount).toBeGreaterThan(200);
  }, 60000);
});
