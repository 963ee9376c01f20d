import { mkdtempSync, rmSync } from 'node:fs';
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
});
