import fc from 'fast-check';
import { Registry } from '../../../application/src';
import { DomainError } from '../../../domain/src';
import { SqliteEventStore } from '../../../event-store/src';
import { ProjectionRunner } from '../runner';
import { RegistryProjection } from '../registry/registry.projection';
import { ownership } from '../ownership/ownership.query';
import { findingsOn } from './findings.query';

/**
 * Findings kept current incrementally (the live read model, queried after every command so its caches
 * and memos are exercised) equal the findings of a read model rebuilt from zero; and conflicts and
 * unowned items agree with the ownership answer (itself checked against a naive replay) on every date.
 */
const DEPTS = ['A', 'B', 'C'];
const ITEMS: Array<[string, string]> = [
  ['I1', '对未取得安全生产许可证擅自生产的处罚'],
  ['I2', '对未取得安全生产许可证擅自进行生产的处罚'],
  ['I3', '对转让安全生产许可证的处罚'],
];
const DATES = ['2016-01-01', '2017-06-01', '2018-01-01', '2019-03-01', '2020-03-01'];
const ASK = ['2015-06-01', ...DATES, '2021-01-01'];
const DUTIES = ['负责安全生产许可证的颁发和管理，对未取得安全生产许可证擅自生产的行为进行处罚', '负责安全生产监督管理', '负责统计调查'];

type Cmd =
  | { kind: 'assign'; item: number; dept: string; role: 'lead' | 'cooperating'; date: string }
  | { kind: 'transfer'; item: number; from: string; to: string; date: string }
  | { kind: 'withdraw'; item: number; dept?: string; date: string }
  | { kind: 'sanding'; dept: string; duties: number[]; date: string }
  | { kind: 'boundary'; lead: string; assist: string; item?: number; date: string }
  | { kind: 'revise'; item: number; date: string }
  | { kind: 'abolish'; dept: string; date: string }
  | { kind: 'retract'; nth: number };

const date = fc.constantFrom(...DATES);
const item = fc.nat(ITEMS.length - 1);
const dept = fc.constantFrom(...DEPTS);
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 9, arbitrary: fc.record({ kind: fc.constant('assign' as const), item, dept, role: fc.constantFrom('lead' as const, 'cooperating' as const), date }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('transfer' as const), item, from: dept, to: dept, date }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('withdraw' as const), item, dept: fc.option(dept, { nil: undefined }), date }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sanding' as const), dept, duties: fc.uniqueArray(fc.nat(DUTIES.length - 1), { maxLength: 3 }), date }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('boundary' as const), lead: dept, assist: dept, item: fc.option(item, { nil: undefined }), date }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('revise' as const), item, date }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('abolish' as const), dept, date }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retract' as const), nth: fc.nat(60) }) },
);

const doc = { number: '测试〔2016〕1号' };
const ctx = { actor: 'prop' };

async function apply(r: Registry, c: Cmd, eventIds: string[], n: number): Promise<void> {
  const code = (i: number) => ITEMS[i][0];
  try {
    let res;
    switch (c.kind) {
      case 'assign':
        res = await r.assignItem({ regionCode: '650200', itemCode: code(c.item), departmentId: c.dept, role: c.role, effectiveFrom: c.date, document: doc }, ctx);
        break;
      case 'transfer':
        res = await r.transferItem({ regionCode: '650200', itemCode: code(c.item), fromDepartmentId: c.from, toDepartmentId: c.to, effectiveFrom: c.date, document: doc }, ctx);
        break;
      case 'withdraw':
        res = await r.withdrawItem({ regionCode: '650200', itemCode: code(c.item), departmentId: c.dept, effectiveFrom: c.date, document: doc }, ctx);
        break;
      case 'sanding':
        res = await r.issueSanding({ id: c.dept, duties: c.duties.map((k) => ({ id: `${c.dept}-${k}`, text: DUTIES[k] })), internalOrgans: [], staffing: { authorized: 10, leaders: 2 }, effectiveFrom: c.date, document: doc }, ctx);
        break;
      case 'boundary':
        res = await r.agreeBoundaryClause({ clauseId: `B${n}`, regionCode: '650200', matter: '安全生产许可证', leadDepartmentId: c.lead, assistingDepartmentIds: [c.assist], ...(c.item !== undefined ? { itemCodes: [code(c.item)] } : {}), effectiveFrom: c.date, document: doc }, ctx);
        break;
      case 'revise':
        res = await r.reviseCatalogItem({ code: code(c.item), name: `${ITEMS[c.item][1]}（修订）`, effectiveFrom: c.date, document: doc }, ctx);
        break;
      case 'abolish':
        res = await r.abolishDepartment({ id: c.dept, effectiveFrom: c.date, document: doc }, ctx);
        break;
      case 'retract':
        if (eventIds.length === 0) return;
        res = await r.retractEvent({ eventId: eventIds[c.nth % eventIds.length], reason: '更正', document: doc }, ctx);
        break;
    }
    eventIds.push(...res.eventIds);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
  }
}

const snapshot = (view: RegistryProjection, at: string, asKnownAt?: string) => findingsOn(view, { region: '650200', at, asKnownAt }, { withHistory: true }).findings;

describe('findings, incrementally and from zero', () => {
  test('the live findings equal a rebuild on every date and agree with ownership on conflicts and gaps', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmdArb, { minLength: 1, maxLength: 20 }), async (cmds) => {
        const store = new SqliteEventStore({ file: ':memory:' });
        const view = new RegistryProjection();
        const runner = new ProjectionRunner(store, [view]);
        await runner.start();
        const r = new Registry(store, view);
        await r.registerRegion({ code: '650000', name: '新疆', level: 'province', effectiveFrom: '2000-01-01', document: doc }, ctx);
        await r.registerRegion({ code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '2000-01-01', document: doc }, ctx);
        for (const id of DEPTS) await r.establishDepartment({ id, name: `部门${id}`, regionCode: '650200', effectiveFrom: '2010-01-01', document: doc }, ctx);
        for (const [code, name] of ITEMS) await r.defineCatalogItem({ code, name, type: '行政处罚', basis: ['某法'], levels: ['city'], effectiveFrom: '2015-01-01', document: doc }, ctx);
        const eventIds: string[] = [];
        const stamps: string[] = [];
        for (const [n, c] of cmds.entries()) {
          await apply(r, c, eventIds, n);
          const info = await store.info();
          await runner.waitFor(info.headPosition);
          stamps.push(view.lastRecordedAt);
          snapshot(view, DATES[n % DATES.length]); // exercise the caches between commands
        }
        const fresh = new RegistryProjection();
        await new ProjectionRunner(store, [fresh]).rebuild();
        for (const at of ASK) {
          for (const asKnownAt of [undefined, stamps[Math.floor(stamps.length / 2)]]) {
            const live = snapshot(view, at, asKnownAt);
            expect(snapshot(fresh, at, asKnownAt)).toEqual(live);
            for (const [code] of ITEMS) {
              const status = ownership(view, { region: '650200', item: code, at, asKnownAt }).status;
              const has = (kind: string) => live.some((f) => f.kind === kind && (f.item as { itemCode: string }).itemCode === code);
              expect(has('conflict')).toBe(status === 'conflict');
              expect(has('unowned')).toBe(status === 'unowned');
            }
          }
        }
        await runner.stop();
        await store.close();
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
