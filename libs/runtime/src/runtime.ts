import { join } from 'node:path';
import { Registry } from '../../application/src';
import { EventStore } from '../../event-store/src';
import { ChangeSetsProjection, EditionsProjection, FileSnapshotStore, ProjectionRunner, RegistryProjection, StaffingProjection, ReadModels, createReadModels } from '../../projections/src';
import { DemoResult, loadDemo } from '../../demo/src';
import { QuanzeConfig } from './config';
import { openStore } from './open-store';

/**
 * The composition root shared by the shells (apps/api, apps/cli, bench, tests): the store named by the
 * configuration, the registry read model kept by a runner with its local snapshot, and the write side.
 */
export interface Runtime {
  config: QuanzeConfig;
  store: EventStore;
  view: RegistryProjection;
  /** 定编制: the staffing read model (its findings are attached to `view`). */
  staffing: StaffingProjection;
  /** 年版: the published editions of every region. */
  editions: EditionsProjection;
  /** 调整方案: the change sets of every region. */
  changeSets: ChangeSetsProjection;
  runner: ProjectionRunner;
  registry: Registry;
  /** Set when the demo data was loaded into an empty store at start. */
  demo?: DemoResult;
  /** Stops the runner, saves the read-model snapshot, closes the store. Idempotent. */
  close(): Promise<void>;
}

/** Where the local read-model snapshot of a data dir lives. */
export const snapshotDir = (dataDir: string) => join(dataDir, 'readmodels');
/** Where the log's chain head is recorded outside the store (libs/event-store head-anchor.ts). */
export const headFile = (dataDir: string) => join(dataDir, 'chain-head.json');

/**
 * Opens the store, catches the read model up (from its snapshot), and loads the demo into an empty store
 * when the configuration asks for it (`demo: false` in options overrides).
 */
export async function openRuntime(config: QuanzeConfig, options: { demo?: boolean; instrument?: (store: EventStore) => EventStore } = {}): Promise<Runtime> {
  const opened = await openStore({ eventstore: config.eventstore, dataDir: config.dataDir });
  // the shell's metrics see every append and failure of the one store every writer and reader uses
  const store = options.instrument ? options.instrument(opened) : opened;
  try {
    const { view, staffing, editions, changeSets, projections } = createReadModels();
    const runner = new ProjectionRunner(store, projections, { snapshots: new FileSnapshotStore(snapshotDir(config.dataDir)), headFile: headFile(config.dataDir) });
    const registry = new Registry(store, view);
    await runner.start();
    let demo: DemoResult | undefined;
    if ((options.demo ?? config.demo) && (await store.info()).eventCount === 0) {
      demo = await loadDemo(registry, undefined, store);
      await runner.waitFor(demo.position);
    }
    let closing: Promise<void> | undefined;
    return {
      config,
      store,
      view,
      staffing,
      editions,
      changeSets,
      runner,
      registry,
      demo,
      close() {
        closing ??= (async () => {
          try {
            await runner.stop();
            await runner.saveSnapshot({ sliced: false });
          } finally {
            await store.close();
          }
        })();
        return closing;
      },
    };
  } catch (e) {
    await store.close().catch(() => undefined);
    throw e;
  }
}

/** Opens the configured store for one piece of work and closes it afterwards. */
export async function withStore<T>(config: QuanzeConfig, fn: (store: EventStore) => Promise<T>): Promise<T> {
  const store = await openStore({ eventstore: config.eventstore, dataDir: config.dataDir });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** The registry read model rebuilt from the whole log (no snapshot read or written). */
export async function rebuildView(store: EventStore): Promise<RegistryProjection> {
  return (await rebuildReadModels(store)).view;
}

/** Every read model (registry, staffing, editions) rebuilt from the whole log. */
export async function rebuildReadModels(store: EventStore): Promise<ReadModels> {
  const models = createReadModels();
  await new ProjectionRunner(store, models.projections).rebuild();
  return models;
}
