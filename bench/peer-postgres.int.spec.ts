/**
 * Regression (issue 19): the M bench's list {"region":"141126","at":"2024-06-17","asKnownAt":"2021-01-16T01:04:50.267Z"}
 * disagreed with PostgreSQL — same number of owners, different sets. The cause was the peer's ETL: a
 * transfer to a department that already held the item overwrote that department's role with the role
 * transferred, so a reform that merged a lead (工商) and a cooperating department (食药监) into a new one
 * (市场监管) left the new department "cooperating" in PostgreSQL, while the domain's fold (entryOn) keeps
 * the stronger role. The history below is that reform, small; the projection and the peer (its rows,
 * and its SQL when PostgreSQL is installed) must both say who leads, as known at every instant.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from '../libs/application/src';
import { SqliteEventStore } from '../libs/event-store/src';
import { postgresForTests, startTestPostgres } from '../libs/event-store/src/testing/postgres-server';
import { ProjectionRunner, RegistryProjection, ownership } from '../libs/projections/src';
import { checkAgreement, listTriples } from './agreement';
import { deriveRows, entryRows, loadIntoPostgres } from './peer-postgres';

const R = '141126';
const doc = (number: string) => ({ number });
const ctx = { actor: 'test' };

describe('the PostgreSQL peer agrees with the domain on transfers to a department that already holds the item', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quanze-peer-'));
  const file = join(dir, 'events.db');
  let clock = Date.parse('2016-01-01T00:00:00.000Z');
  const instants: string[] = [];
  const view = new RegistryProjection();

  beforeAll(async () => {
    // One recorded instant per command, a day apart, so that "as known at" can fall between any two.
    const store = new SqliteEventStore({ file, now: () => clock });
    const reg = new Registry(store);
    const step = async (p: () => Promise<unknown>) => {
      clock += 86_400_000;
      await p();
      instants.push(new Date(clock).toISOString());
    };
    await step(() => reg.registerRegion({ code: '140000', name: '山西省', level: 'province', effectiveFrom: '2000-01-01', document: doc('区划') }, ctx));
    await step(() => reg.registerRegion({ code: '141100', parentCode: '140000', name: '吕梁市', level: 'city', effectiveFrom: '2000-01-01', document: doc('区划') }, ctx));
    await step(() => reg.registerRegion({ code: R, name: '中阳县', level: 'county', parentCode: '141100', effectiveFrom: '2000-01-01', document: doc('区划') }, ctx));
    for (const [id, name] of [['GS', '工商局'], ['SYJ', '食药监局'], ['SCJG', '市场监管局'], ['NY', '农业局'], ['SL', '水利局']]) {
      await step(() => reg.establishDepartment({ id: `${R}-${id}`, name, regionCode: R, effectiveFrom: '2010-01-01', document: doc('三定') }, ctx));
    }
    for (const code of ['X1', 'X2']) {
      await step(() => reg.defineCatalogItem({ code, name: `事项${code}`, type: '行政处罚', basis: [], levels: ['county'], effectiveFrom: '2010-01-01', document: doc('目录') }, ctx));
    }
    // X1: the merger — lead and cooperating department both moved into 市场监管, the lead first.
    await step(() => reg.assignItem({ regionCode: R, itemCode: 'X1', departmentId: `${R}-GS`, role: 'lead', effectiveFrom: '2016-03-21', document: doc('清单2016') }, ctx));
    await step(() => reg.assignItem({ regionCode: R, itemCode: 'X1', departmentId: `${R}-SYJ`, role: 'cooperating', effectiveFrom: '2017-05-04', document: doc('调整2017') }, ctx));
    await step(() => reg.transferItem({ regionCode: R, itemCode: 'X1', fromDepartmentId: `${R}-GS`, toDepartmentId: `${R}-SCJG`, effectiveFrom: '2019-02-27', document: doc('改革2019') }, ctx));
    await step(() => reg.transferItem({ regionCode: R, itemCode: 'X1', fromDepartmentId: `${R}-SYJ`, toDepartmentId: `${R}-SCJG`, effectiveFrom: '2019-02-27', document: doc('改革2019') }, ctx));
    // X2: the other way round — the lead moved to the cooperating department, which then leads.
    await step(() => reg.assignItem({ regionCode: R, itemCode: 'X2', departmentId: `${R}-NY`, role: 'lead', effectiveFrom: '2016-03-21', document: doc('清单2016') }, ctx));
    await step(() => reg.assignItem({ regionCode: R, itemCode: 'X2', departmentId: `${R}-SL`, role: 'cooperating', effectiveFrom: '2016-03-21', document: doc('清单2016') }, ctx));
    await step(() => reg.transferItem({ regionCode: R, itemCode: 'X2', fromDepartmentId: `${R}-NY`, toDepartmentId: `${R}-SL`, effectiveFrom: '2020-01-01', document: doc('调整2020') }, ctx));
    await new ProjectionRunner(store, [view]).rebuild();
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the projection: the merged department leads X1; the cooperating department leads X2 once the lead moved to it', () => {
    const owners = (item: string, at: string, asKnownAt?: string) => ownership(view, { region: R, item, at, asKnownAt }).owners.map((o) => `${o.departmentId}/${o.role}`).sort();
    expect(owners('X1', '2018-01-01')).toEqual([`${R}-GS/lead`, `${R}-SYJ/cooperating`]);
    expect(owners('X1', '2024-06-17')).toEqual([`${R}-SCJG/lead`]);
    expect(owners('X2', '2024-06-17')).toEqual([`${R}-SL/lead`]);
    // As known between the two transfers of X1: the lead moved, the cooperating share not yet.
    const between = instants[instants.length - 5];
    expect(owners('X1', '2024-06-17', between)).toEqual([`${R}-SCJG/lead`, `${R}-SYJ/cooperating`]);
    expect(listTriples(view, { region: R, at: '2024-06-17' })).toEqual([`X1/${R}-SCJG/lead`, `X2/${R}-SL/lead`]);
  });

  test("the peer's rows on the valid axis give 市场监管 the lead of X1 from the reform on (the ETL's fold, no server needed)", async () => {
    const rows: Array<{ key: string; fields: string[]; from: string | null; to: string | null; recTo: string | null }> = [];
    await deriveRows(file, async (b) => void rows.push(...b));
    const open = (key: string) => rows.filter((r) => r.key === key && r.recTo === null && r.to === null).map((r) => `${r.fields[0]}/${r.fields[1]}`).sort();
    expect(open(`${R}|X1`)).toEqual([`${R}-SCJG/lead`]);
    expect(open(`${R}|X2`)).toEqual([`${R}-SL/lead`]);
    // And the fold alone, on the two transfers in either order of roles.
    const f = (pos: number, type: string, data: object) => ({ id: `e${pos}`, pos, eff: (data as { effectiveFrom: string }).effectiveFrom, type, data });
    const merged = entryRows([
      f(1, 'ItemAssigned', { departmentId: 'A', role: 'lead', effectiveFrom: '2016-01-01' }),
      f(2, 'ItemAssigned', { departmentId: 'B', role: 'cooperating', effectiveFrom: '2016-01-01' }),
      f(3, 'ItemAssigned', { departmentId: 'C', role: 'cooperating', effectiveFrom: '2016-01-01' }),
      f(4, 'ItemTransferred', { fromDepartmentId: 'A', toDepartmentId: 'M', effectiveFrom: '2019-01-01' }),
      f(5, 'ItemTransferred', { fromDepartmentId: 'B', toDepartmentId: 'M', effectiveFrom: '2019-01-01' }),
      f(6, 'ItemTransferred', { fromDepartmentId: 'C', toDepartmentId: 'B', effectiveFrom: '2020-01-01' }),
    ]);
    expect(merged.filter((r) => r.to === null).map((r) => `${r.fields[0]}/${r.fields[1]}`).sort()).toEqual(['B/cooperating', 'M/lead']);
  });

  const pgAvailable = postgresForTests('the PostgreSQL peer regression');
  (pgAvailable.skip ? test.skip : test)("the peer's SQL gives the projection's answers for every date and every instant of the history", async () => {
    const srv = await startTestPostgres();
    const pg = await srv.connect();
    try {
      await loadIntoPostgres(pg, file);
      const dates = ['2016-03-20', '2016-03-21', '2018-01-01', '2019-02-26', '2019-02-27', '2020-01-01', '2024-06-17'];
      // Every instant from the county's registration on (before it, the list is a 404 on both sides' terms).
      const known = instants.slice(2);
      const lists = dates.flatMap((at) => [{ region: R, at }, ...known.map((asKnownAt) => ({ region: R, at, asKnownAt }))]);
      const own = lists.flatMap((q) => ['X1', 'X2'].map((item) => ({ ...q, item })));
      const a = await checkAgreement(view, pg, { ownership: own, lists, histories: [{ region: R, item: 'X1' }, { region: R, item: 'X2' }] });
      expect(a.listAsKnownAt).toBe(dates.length * known.length);
      expect(a.examples).toEqual([]);
      expect(a.disagreements).toBe(0);
    } finally {
      await pg.end();
      srv.stop();
    }
  });
});
