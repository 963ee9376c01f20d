import fc from 'fast-check';
import { Registry } from '../../../application/src';
import { DomainError } from '../../../domain/src';
import { SqliteEventStore } from '../../../event-store/src';
import { ProjectionRunner } from '../runner';
import { RegistryProjection } from '../registry/registry.projection';
import { regionList, regionListByFold } from './list.query';

/**
 * The list index (list-index.ts) against the fold of every entry: for random histories — list changes,
 * department renames and abolitions, catalogue revisions, retractions — the list read from the index
 * equals the folded list on every date and as known at every instant, while the history grows (the
 * index built, then invalidated by what comes after) and on a rebuilt read model.
 */
const R = '650200';
const DEPTS = ['A', 'B', 'C'];
const ITEMS = ['I1', 'I2', 'I3'];
const DATES = ['2016-01-01', '2017-06-01', '2018-01-01', '2019-03-01', '2020-02-10', '2021-01-01'];

type Cmd =
  | { kind: 'assign'; item: string; dept: string; role: 'lead' | 'cooperating'; date: string }
  | { kind: 'transfer'; item: string; from: string; to: string; date: string }
  | { kind: 'withdraw'; item: string; dept?: string; date: string }
  | { kind: 'rename'; dept: string; date: string }
  | { kind: 'abolish'; dept: string; date: string }
  | { kind: 'revise'; item: string; date: string }
  | { kind: 'retract'; nth: number };

const date = fc.constantFrom(...DATES);
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('assign' as const), item: fc.constantFrom(...ITEMS), dept: fc.constantFrom(...DEPTS), role: fc.constantFrom('lead' as const, 'cooperating' as const), date }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('transfer' as const), item: fc.constantFrom(...ITEMS), from: fc.constantFrom(...DEPTS), to: fc.constantFrom(...DEPTS), date }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('withdraw' as const), item: fc.constantFrom(...ITEMS), dept: fc.option(fc.constantFrom(...DEPTS), { nil: undefined }), date }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rename' as const), dept: fc.constantFrom(...DEPTS), date }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('abolish' as const), dept: fc.constantFrom(...DEPTS), date }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('revise' as const), item: fc.constantFrom(...ITEMS), date }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retract' as const), nth: fc.nat(50) }) },
);

/** Every date where something can change, the day before it, and the edges. */
const ASKED = [...new Set([...DATES, ...DATES.map((d) => new Date(Date.parse(d) - 86_400_000).toISOString().slice(0, 10)), '2000-01-01', '2030-01-01'])].sort();

const same = (view: RegistryProjection, at: string, asKnownAt?: string) => {
  const q = { region: R, at, asKnownAt };
  expect([at, asKnownAt, regionList(view, q)]).toEqual([at, asKnownAt, regionListByFold(view, q)]);
};

describe('list index: equal to the fold of every entry', () => {
  test('on every date, as known at every instant, while the history grows and after a rebuild', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmdArb, { minLength: 1, maxLength: 25 }), async (cmds) => {
        const store = new SqliteEventStore({ file: ':memory:' });
        const registry = new Registry(store);
        const ctx = { actor: 'prop' };
        const doc = { number: '测试' };
        const instants: string[] = [];
        const ids: string[] = [];
        const live = new RegistryProjection();
        const runner = new ProjectionRunner(store, [live]);
        try {
          await registry.registerRegion({ code: '650000', name: '新疆', level: 'province', effectiveFrom: '2000-01-01', document: doc }, ctx);
          const first = await registry.registerRegion({ code: R, name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '2000-01-01', document: doc }, ctx);
          instants.push(first.recordedAt);
          for (const d of DEPTS) await registry.establishDepartment({ id: d, name: `部门${d}`, regionCode: R, effectiveFrom: '2015-01-01', document: doc }, ctx);
          for (const i of ITEMS) await registry.defineCatalogItem({ code: i, name: `事项${i}`, type: '行政检查', basis: [], levels: ['city'], effectiveFrom: '2015-06-01', document: doc }, ctx);
          await runner.start();
          let n = 0;
          for (const c of cmds) {
            try {
              const base = { effectiveFrom: 'date' in c ? c.date : '', document: doc };
              const r =
                c.kind === 'assign'
                  ? await registry.assignItem({ ...base, regionCode: R, itemCode: c.item, departmentId: c.dept, role: c.role }, ctx)
                  : c.kind === 'transfer'
                    ? await registry.transferItem({ ...base, regionCode: R, itemCode: c.item, fromDepartmentId: c.from, toDepartmentId: c.to }, ctx)
                    : c.kind === 'withdraw'
                      ? await registry.withdrawItem({ ...base, regionCode: R, itemCode: c.item, ...(c.dept ? { departmentId: c.dept } : {}) }, ctx)
                      : c.kind === 'rename'
                        ? await registry.renameDepartment({ ...base, id: c.dept, name: `部门${c.dept}·${++n}` }, ctx)
                        : c.kind === 'abolish'
                          ? await registry.abolishDepartment({ ...base, id: c.dept }, ctx)
                          : c.kind === 'revise'
                            ? await registry.reviseCatalogItem({ ...base, code: c.item, name: `事项${c.item}·${++n}` }, ctx)
                            : ids.length
                              ? await registry.retractEvent({ eventId: ids[c.nth % ids.length], reason: '更正', document: doc }, ctx)
                              : undefined;
              if (!r) continue;
              if (c.kind !== 'retract') ids.push(r.eventIds[0]);
              instants.push(r.recordedAt);
              await runner.waitFor(r.position);
            } catch (e) {
              if (!(e instanceof DomainError)) throw e;
            }
            // Asked while the history grows: the index is built here and must notice what comes next.
            for (const at of [DATES[0], DATES[3], '2030-01-01']) {
              same(live, at);
              same(live, at, instants[instants.length - 1]);
              same(live, at, instants[Math.floor(instants.length / 2)]);
            }
          }
          // each recorded instant and the millisecond before it (after the region's own): the edges of what was known
          const edges = instants.flatMap((k, i) => (i === 0 ? [k] : [new Date(Date.parse(k) - 1).toISOString(), k]));
          for (const at of ASKED) {
            same(live, at);
            for (const k of edges) same(live, at, k);
          }
          // asked again (answers as known at an earlier instant are kept: they must not go stale)
          for (const at of ASKED) for (const k of edges) same(live, at, k);
          const rebuilt = new RegistryProjection();
          await new ProjectionRunner(store, [rebuilt]).rebuild();
          for (const at of ASKED) {
            expect(regionList(rebuilt, { region: R, at })).toEqual(regionList(live, { region: R, at }));
            for (const k of instants) expect(regionList(rebuilt, { region: R, at, asKnownAt: k })).toEqual(regionListByFold(live, { region: R, at, asKnownAt: k }));
          }
        } finally {
          await runner.stop();
          await store.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
