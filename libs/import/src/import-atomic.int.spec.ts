import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from '../../application/src';
import { AppendRequest, EventStore, SqliteEventStore } from '../../event-store/src';
import { ProjectionRunner, RegistryProjection } from '../../projections/src';
import { ImportInput, importLists } from './importer';
import { KARAMAY_HEADER, workbook } from './testing/workbooks';

const DOC = { number: '克政办发〔2024〕1号' };
const row = (o: Record<string, string>) => KARAMAY_HEADER.map((h) => o[h] ?? '');
const rows = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => row({ 序号: String(i + 1), 事项名称: `对${tag}第${i + 1}类违法行为的处罚`, 权力类型: '行政处罚', 实施依据: '《某法》', 行使主体: i % 2 ? '市统计局' : '市档案局', 实施层级及权限: '市级' }));
const file = (name: string, n: number): ImportInput => ({ name, data: workbook({ Sheet1: [KARAMAY_HEADER, ...rows(n, name)] }) });

/** The store, with the appends counted and, when asked, the n-th one failing (a crash at the write). */
function instrumented(store: EventStore, failAt?: number): { store: EventStore; appends: AppendRequest[][] } {
  const appends: AppendRequest[][] = [];
  const wrapped = Object.create(store) as EventStore;
  wrapped.append = async (requests, options) => {
    appends.push(requests);
    if (failAt !== undefined && appends.length === failAt) throw new Error('disk gone (injected)');
    return store.append(requests, options);
  };
  return { store: wrapped, appends };
}

describe('an import is one atomic append (all rows or none)', () => {
  let dir: string;
  let store: SqliteEventStore;
  const view = async () => {
    const v = new RegistryProjection();
    await new ProjectionRunner(store, [v]).rebuild();
    return v;
  };
  const options = { region: '650200', effective: '2024-01-01', document: DOC, createDepartments: true };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'quanze-import-atomic-'));
    store = new SqliteEventStore({ file: join(dir, 'events.db') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('two files, regions, departments, items and assignments: ONE append, every event carrying the import id', async () => {
    const { store: counted, appends } = instrumented(store);
    const r = await importLists(new Registry(counted), await view(), [file('a.xlsx', 30), file('b.xlsx', 20)], options);
    expect(r.recorded).toBe(50);
    expect(r.regionsRegistered.map((x) => x.code)).toEqual(['650000', '650200']);
    expect(r.departmentsCreated).toHaveLength(2);
    expect(appends).toHaveLength(1);
    const info = await store.info();
    // 2 regions + 2 departments + 50 catalogue items + 50 assignments
    expect(info.eventCount).toBe(104);
    expect(r.eventsRecorded).toBe(104);
    expect(r.position).toBe(info.headPosition);
    const all = await store.readAll(0, 1000);
    expect(new Set(all.map((e) => e.metadata.correlationId))).toEqual(new Set([r.importId]));
    expect(new Set(all.map((e) => e.recordedAt)).size).toBe(1);
    // a reader of the log in position order meets every region and department before what names it
    const firstAssigned = all.findIndex((e) => e.type === 'ItemAssigned');
    expect(all.slice(firstAssigned).some((e) => e.type === 'DepartmentEstablished' || e.type === 'RegionRegistered')).toBe(false);
  });

  test('a failure at the append (injected) leaves nothing recorded, not even the regions', async () => {
    const { store: failing } = instrumented(store, 1);
    await expect(importLists(new Registry(failing), await view(), [file('a.xlsx', 30), file('b.xlsx', 20)], options)).rejects.toThrow('disk gone (injected)');
    expect((await store.info()).eventCount).toBe(0);
    // and the same import then goes through whole
    const r = await importLists(new Registry(store), await view(), [file('a.xlsx', 30), file('b.xlsx', 20)], options);
    expect(r.recorded).toBe(50);
    expect((await store.info()).eventCount).toBe(104);
  });

  test('a concurrent write to a stream the import writes makes it decide again, on fresh state', async () => {
    const registry = new Registry(store);
    await importLists(registry, await view(), [file('a.xlsx', 4)], options);
    const before = (await store.info()).eventCount;
    // between the import's decision and its append, someone defines one of the items it is about to define
    let raced: string | undefined;
    const racing = Object.create(store) as EventStore;
    racing.append = async (requests, opts) => {
      if (!raced) {
        raced = requests.find((q) => q.stream.startsWith('catalog-'))!.stream.slice('catalog-'.length);
        const defined = requests.find((q) => q.stream === `catalog-${raced}`)!.events[0].data as Record<string, unknown>;
        await registry.defineCatalogItem({ ...(defined as any), reason: '同时登记' }, { actor: 'someone else' });
      }
      return store.append(requests, opts);
    };
    const r = await importLists(new Registry(racing), await view(), [file('b.xlsx', 6)], options);
    expect(raced).toBeDefined();
    expect(r.recorded).toBe(6);
    // the racer's definition stands; the import, deciding again, defined the other 5 and assigned all 6
    const item = await store.readStream(`catalog-${raced}`);
    expect(item.map((e) => e.metadata.actor)).toEqual(['someone else']);
    expect((await store.info()).eventCount).toBe(before + 1 + 5 + 6);
  });

  test('an import that changes nothing records nothing and says so', async () => {
    const registry = new Registry(store);
    await importLists(registry, await view(), [file('a.xlsx', 5)], options);
    const before = (await store.info()).eventCount;
    const again = await importLists(registry, await view(), [file('a.xlsx', 5)], options);
    expect(again.unchanged).toBe(5);
    expect(again.eventsRecorded).toBe(0);
    expect((await store.info()).eventCount).toBe(before);
  });
});
