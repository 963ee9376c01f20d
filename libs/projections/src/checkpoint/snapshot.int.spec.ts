import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../../event-store/src';
import { Registry } from '../../../application/src';
import { loadDemo } from '../../../demo/src';
import { ProjectionRunner } from '../runner';
import { RegistryProjection } from '../registry/registry.projection';
import { FileSnapshotStore } from './snapshot-store';

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
    const view = new RegistryProjection();
    const second = new ProjectionRunner(store, [view], { snapshots });
    await second.start();
    const [h] = await second.health();
    expect(h.restoredFrom?.snapshotPosition).toBe(headAtSave);
    expect(h.checkpoint).toBe(headAtSave + 1);
    const rebuilt = new RegistryProjection();
    await new ProjectionRunner(store, [rebuilt]).rebuild();
    expect(view.state()).toEqual(rebuilt.state());
    await second.stop();
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
    const file = join(d, 'readmodels', 'readmodels.snapshot.ndjson');
    const original = readFileSync(file, 'utf8');
    const rebuilt = new RegistryProjection();
    await new ProjectionRunner(store, [rebuilt]).rebuild();
    const someName = /"name":"([^"]+局)"/.exec(original)![1];
    expect(someName).toBeTruthy();

    const restart = async () => {
      const warnings: string[] = [];
      const view = new RegistryProjection();
      const runner = new ProjectionRunner(store, [view], { snapshots, warn: (m) => warnings.push(m) });
      await runner.start();
      const [h] = await runner.health();
      await runner.stop();
      return { h, view, warnings };
    };
    // untouched: restored
    expect((await restart()).h.restoredFrom).not.toBeNull();

    // one line edited: another department's name
    writeFileSync(file, original.replace(`"${someName}"`, '"伪造的部门"'));
    const forged = await restart();
    expect(forged.h.restoredFrom).toBeNull();
    expect(forged.h.snapshotRefused).toContain('快照被改动');
    expect(forged.warnings).toEqual([forged.h.snapshotRefused]);
    expect(forged.view.state()).toEqual(rebuilt.state());
    expect(JSON.stringify(forged.view.state())).not.toContain('伪造的部门');

    // the header's digest replaced by a plain hash of the content: still refused
    const lines = original.split('\n');
    const header = JSON.parse(lines[0]);
    const edited = lines.slice(1).join('\n').replace(`"${someName}"`, '"伪造的部门"');
    header.digest = require('node:crypto').createHash('sha256').update(edited).digest('hex');
    writeFileSync(file, JSON.stringify(header).padEnd(256, ' ') + '\n' + edited);
    expect((await restart()).h.snapshotRefused).toContain('快照被改动');

    // the header's position moved: refused before any fact is used
    header.position -= 1;
    writeFileSync(file, JSON.stringify(header).padEnd(256, ' ') + '\n' + lines.slice(1).join('\n'));
    expect((await restart()).h.snapshotRefused).toMatch(/与当前日志不符|快照被改动/);
    await store.close();
  }, 60_000);
});
