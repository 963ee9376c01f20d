import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../../event-store/src';
import { Registry } from '../../../application/src';
import { loadDemo } from '../../../demo/src';
import { ProjectionRunner } from '../runner';
import { RegistryProjection } from '../registry/registry.projection';
import { FileSnapshotStore } from './snapshot-store';

/** A runner started on the store restores from the snapshot at `snapshotPosition`, catches up to `checkpoint`, and equals a rebuild from zero. */
async function restoresAsRebuilt(store: SqliteEventStore, snapshots: FileSnapshotStore, expected: { snapshotPosition: number; checkpoint: number }): Promise<void> {
  const view = new RegistryProjection();
  const runner = new ProjectionRunner(store, [view], { snapshots });
  await runner.start();
  const [h] = await runner.health();
  expect(h.restoredFrom?.snapshotPosition).toBe(expected.snapshotPosition);
  expect(h.checkpoint).toBe(expected.checkpoint);
  const rebuilt = new RegistryProjection();
  await new ProjectionRunner(store, [rebuilt]).rebuild();
  expect(view.state()).toEqual(rebuilt.state());
  await runner.stop();
}

describe('checkpointed read models', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quanze-snap-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a restart restores from the local snapshot, catches up the rest, and equals a rebuild from zero', async () => {
    const store = new SqliteEventStore({ file: join(dir, 'events.db') });
    await loadDemo(new Registry(store));
    const snapshots = new FileSnapshotStore(join(dir, 'readmodels'));
    const first = new ProjectionRunner(store, [new RegistryProjection()], { snapshots, snapshotAfter: 1 });
    await first.start();
    await first.stop();
    const headAtSave = (await store.info()).headPosition;
    // More events after the snapshot.
    await new Registry(store).renameDepartment({ id: 'KLMY-DAJ', name: '市档案馆', effectiveFrom: '2024-01-01', document: { number: 'x' } }, { actor: 't' });
    await restoresAsRebuilt(store, snapshots, { snapshotPosition: headAtSave, checkpoint: headAtSave + 1 });
    await store.close();
  });

  test('a snapshot that does not fit the log (replaced log) is ignored', async () => {
    const other = new SqliteEventStore({ file: join(dir, 'other.db') });
    await loadDemo(new Registry(other), { generatedFrom: [], regions: [{ code: '650000', name: '新疆维吾尔自治区', level: 'province' }, { code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000' }], departments: [{ id: 'D', name: '某局', regionCode: '650200' }], items: [] });
    const view = new RegistryProjection();
    const runner = new ProjectionRunner(other, [view], { snapshots: new FileSnapshotStore(join(dir, 'readmodels')) });
    await runner.start();
    const [h] = await runner.health();
    expect(h.restoredFrom).toBeNull();
    expect(view.sizes().regions).toBe(2);
    await runner.stop();
    await other.close();
  });

  test('a forged snapshot (one line edited, digest left or recomputed without the log) is refused with a clear message and rebuilt', async () => {
    const d = mkdtempSync(join(dir, 'forge-'));
    const store = new SqliteEventStore({ file: join(d, 'events.db') });
    await loadDemo(new Registry(store));
    const snapshots = new FileSnapshotStore(join(d, 'readmodels'));
    const first = new ProjectionRunner(store, [new RegistryProjection()], { snapshots, snapshotAfter: 1 });
    await first.start();
    await first.stop();
    const file = join(d, 'readmodels', 'readmodels.snapshot');
    const original = readFileSync(file);
    const rebuilt = new RegistryProjection();
    await new ProjectionRunner(store, [rebuilt]).rebuild();
    // a department's name in the string table, and another of the same UTF-8 length to put in its place
    const someName = /"name":"([^"]+局)"/.exec(JSON.stringify(rebuilt.state()))![1];
    const forgedName = '伪'.repeat([...someName].length);
    expect(original.indexOf(Buffer.from(`"${someName}"`))).toBeGreaterThan(256);

    const restart = async () => {
      const warnings: string[] = [];
      const view = new RegistryProjection();
      const runner = new ProjectionRunner(store, [view], { snapshots, warn: (m) => warnings.push(m) });
      await runner.start();
      const [h] = await runner.health();
      await runner.stop();
      return { h, view, warnings };
    };
    const edit = (bytes: Buffer) => {
      const copy = Buffer.from(bytes);
      Buffer.from(`"${forgedName}"`).copy(copy, copy.indexOf(Buffer.from(`"${someName}"`)));
      return copy;
    };
    // untouched: restored, and equal to the rebuild
    const untouched = await restart();
    expect(untouched.h.restoredFrom).not.toBeNull();
    expect(untouched.view.state()).toEqual(rebuilt.state());

    // one string edited in place (the file's structure intact): another department's name
    writeFileSync(file, edit(original));
    const forged = await restart();
    expect(forged.h.restoredFrom).toBeNull();
    expect(forged.h.snapshotRefused).toContain('快照被改动');
    expect(forged.warnings).toEqual([forged.h.snapshotRefused]);
    expect(forged.view.state()).toEqual(rebuilt.state());
    expect(JSON.stringify(forged.view.state())).not.toContain(forgedName);

    // the header's digest replaced by a plain hash of the edited content: still refused
    const header = JSON.parse(original.toString('utf8', 0, 256));
    const body = edit(original).subarray(257);
    const withHeader = (h: object, b: Buffer) => Buffer.concat([Buffer.from(JSON.stringify(h).padEnd(256, ' ') + '\n'), b]);
    writeFileSync(file, withHeader({ ...header, digest: require('node:crypto').createHash('sha256').update(body).digest('hex') }, body));
    expect((await restart()).h.snapshotRefused).toContain('快照被改动');

    // the header's position moved: refused before any fact is used
    writeFileSync(file, withHeader({ ...header, position: header.position - 1 }, original.subarray(257)));
    expect((await restart()).h.snapshotRefused).toMatch(/与当前日志不符|快照被改动/);

    // the header's count of facts changed: refused
    writeFileSync(file, withHeader({ ...header, facts: header.facts - 1 }, original.subarray(257)));
    expect((await restart()).h.snapshotRefused).toContain('快照被改动');

    // the file put back: restored again
    writeFileSync(file, original);
    expect((await restart()).h.restoredFrom).not.toBeNull();
    await store.close();
  }, 60_000);

  test('a snapshot saved while live events go on is of the position where the save began, and restores to a rebuild', async () => {
    const d = mkdtempSync(join(dir, 'live-'));
    const store = new SqliteEventStore({ file: join(d, 'events.db') });
    await loadDemo(new Registry(store));
    const snapshots = new FileSnapshotStore(join(d, 'readmodels'));
    const live = new ProjectionRunner(store, [new RegistryProjection()], { snapshots, snapshotAfter: 10 ** 9 });
    await live.start();
    const registry = new Registry(store);
    const rename = (i: number) => registry.renameDepartment({ id: 'KLMY-DAJ', name: `市档案馆${i}`, effectiveFrom: '2024-01-01', document: { number: `x${i}` } }, { actor: 't' });
    await rename(0);
    await live.waitFor((await store.info()).headPosition);
    const at = live.position;
    // the save begins at `at`; events recorded and applied while it encodes are not in it
    const saving = live.saveSnapshot();
    for (let i = 1; i <= 3; i++) await rename(i);
    expect(await live.waitFor((await store.info()).headPosition)).toBe(true);
    const header = await saving;
    expect(header?.position).toBe(at);
    expect(live.position).toBe(at + 3);
    await live.stop();

    await restoresAsRebuilt(store, snapshots, { snapshotPosition: at, checkpoint: at + 3 });
    await store.close();
  });
});
