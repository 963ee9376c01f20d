import fc from 'fast-check';
import { ChangeSets, HeldCommandName, Registry } from '../../../application/src';
import { previewChangeSet } from '../change-sets/preview';
import { DomainError } from '../../../domain/src';
import { SqliteEventStore } from '../../../event-store/src';
import { ProjectionRunner } from '../runner';
import { createReadModels } from '../read-models';
import { RegistryProjection } from '../registry/registry.projection';
import { findingsEngine } from './findings.engine';
import { findingsOn } from './findings.query';
import { ownership } from '../ownership/ownership.query';

/**
 * The findings cache is per region, keyed on what the region's findings read (FindingsEngine.regionStamp),
 * and within a region per unit of work (an item, a department, a pair of levels × item). After random
 * changes in a city and its two counties (lists, delegations, 三定, 实有人员, clauses, the catalogue,
 * abolitions, retractions), each region queried after every change so the caches are exercised, every
 * region's findings on every date, now and as known halfway, equal those of a read model rebuilt from zero;
 * and conflicts and unowned items agree with the ownership answer (itself checked against a naive replay).
 */
const CITY = '650200';
const COUNTIES = ['650202', '650203'];
const REGIONS = [CITY, ...COUNTIES];
const DEPTS: Record<string, string[]> = { [CITY]: ['C1', 'C2'], '650202': ['A1', 'A2'], '650203': ['B1', 'B2'] };
const ITEMS: Array<[string, string]> = [
  ['I1', '对未取得安全生产许可证擅自生产的处罚'],
  ['I2', '对未取得安全生产许可证擅自进行生产的处罚'],
  ['I3', '对转让安全生产许可证的处罚'],
];
const DATES = ['2016-01-01', '2017-06-01', '2018-01-01', '2019-03-01', '2020-03-01'];
const ASK = ['2015-06-01', ...DATES, '2021-01-01'];
const DUTIES = ['负责安全生产许可证的颁发和管理，对未取得安全生产许可证擅自生产的行为进行处罚', '负责安全生产监督管理', '负责统计调查'];
const SCOPES = ['', '本级', '负责全市范围内的许可', '负责本辖区内的许可'];

type Cmd =
  | { kind: 'assign'; region: number; item: number; dept: number; role: 'lead' | 'cooperating'; scope: number; date: string }
  | { kind: 'transfer'; region: number; item: number; from: number; date: string }
  | { kind: 'withdraw'; region: number; item: number; dept?: number; date: string }
  | { kind: 'delegate'; item: number; county: number; date: string }
  | { kind: 'sanding'; region: number; dept: number; duties: number[]; date: string }
  | { kind: 'staffing'; region: number; dept: number; n: number; date: string }
  | { kind: 'boundary'; region: number; item?: number; date: string }
  | { kind: 'revise'; item: number; county: boolean; date: string }
  | { kind: 'abolish'; region: number; dept: number; date: string }
  | { kind: 'retract'; nth: number };

const date = fc.constantFrom(...DATES);
const item = fc.nat(ITEMS.length - 1);
const region = fc.nat(REGIONS.length - 1);
const two = fc.nat(1);
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('assign' as const), region, item, dept: two, role: fc.constantFrom('lead' as const, 'cooperating' as const), scope: fc.nat(SCOPES.length - 1), date }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('transfer' as const), region, item, from: two, date }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('withdraw' as const), region, item, dept: fc.option(two, { nil: undefined }), date }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delegate' as const), item, county: two, date }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sanding' as const), region, dept: two, duties: fc.uniqueArray(fc.nat(DUTIES.length - 1), { maxLength: 3 }), date }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('staffing' as const), region, dept: two, n: fc.nat(14), date }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('boundary' as const), region, item: fc.option(item, { nil: undefined }), date }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('revise' as const), item, county: fc.boolean(), date }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('abolish' as const), region, dept: two, date }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retract' as const), nth: fc.nat(80) }) },
);

const doc = { number: '测试〔2016〕1号' };
const ctx = { actor: 'prop' };

/** The registry command a generated step stands for (undefined: nothing to retract yet). */
function toCommand(c: Cmd, eventIds: string[], n: number): { name: HeldCommandName; body: Record<string, unknown> } | undefined {
  const code = (i: number) => ITEMS[i][0];
  const rc = (i: number) => REGIONS[i];
  const dept = (region: number, i: number) => DEPTS[rc(region)][i];
  switch (c.kind) {
    case 'assign':
      return {
        name: 'assignItem',
        body: { regionCode: rc(c.region), itemCode: code(c.item), departmentId: dept(c.region, c.dept), role: c.role, effectiveFrom: c.date, document: doc, ...(SCOPES[c.scope] ? { asPublished: { fields: { 权限: SCOPES[c.scope] } } } : {}) },
      };
    case 'transfer':
      return { name: 'transferItem', body: { regionCode: rc(c.region), itemCode: code(c.item), fromDepartmentId: dept(c.region, c.from), toDepartmentId: dept(c.region, 1 - c.from), effectiveFrom: c.date, document: doc } };
    case 'withdraw':
      return { name: 'withdrawItem', body: { regionCode: rc(c.region), itemCode: code(c.item), ...(c.dept !== undefined ? { departmentId: dept(c.region, c.dept) } : {}), effectiveFrom: c.date, document: doc } };
    case 'delegate':
      return { name: 'delegateItem', body: { regionCode: CITY, itemCode: code(c.item), toRegionCodes: [COUNTIES[c.county]], departmentIds: { [COUNTIES[c.county]]: DEPTS[COUNTIES[c.county]][0] }, effectiveFrom: c.date, document: doc } };
    case 'sanding': {
      const id = dept(c.region, c.dept);
      return { name: 'issueSanding', body: { id, duties: c.duties.map((k) => ({ id: `${id}-${k}`, text: DUTIES[k] })), internalOrgans: [], staffing: { authorized: 10, leaders: 2 }, effectiveFrom: c.date, document: doc } };
    }
    case 'staffing':
      return { name: 'reportActualStaffing', body: { departmentId: dept(c.region, c.dept), effectiveFrom: c.date, reason: '年度核对', counts: { 行政: c.n }, document: doc } };
    case 'boundary':
      return {
        name: 'agreeBoundaryClause',
        body: { clauseId: `B${n}`, regionCode: rc(c.region), matter: '安全生产许可证', leadDepartmentId: dept(c.region, 0), assistingDepartmentIds: [dept(c.region, 1)], ...(c.item !== undefined ? { itemCodes: [code(c.item)] } : {}), effectiveFrom: c.date, document: doc },
      };
    case 'revise':
      return { name: 'reviseCatalogItem', body: { code: code(c.item), name: `${ITEMS[c.item][1]}（修订）`, levels: c.county ? ['city', 'county'] : ['city'], effectiveFrom: c.date, document: doc } };
    case 'abolish':
      return { name: 'abolishDepartment', body: { id: dept(c.region, c.dept), effectiveFrom: c.date, document: doc } };
    case 'retract':
      return eventIds.length ? { name: 'retractEvent', body: { eventId: eventIds[c.nth % eventIds.length], reason: '更正', document: doc } } : undefined;
  }
}

async function apply(r: Registry, c: Cmd, eventIds: string[], n: number): Promise<void> {
  const cmd = toCommand(c, eventIds, n);
  if (!cmd) return;
  try {
    const res = await (r[cmd.name] as (body: unknown, context: typeof ctx) => Promise<{ eventIds: string[] }>).call(r, cmd.body, ctx);
    eventIds.push(...res.eventIds);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
  }
}

const snapshot = (view: RegistryProjection, region: string, at: string, asKnownAt?: string) => findingsOn(view, { region, at, asKnownAt }, { withHistory: true }).findings;

/** The engine's timelines of a region as bytes (by id: the map's order is not part of the answer), every segment in order. */
const timelines = (view: RegistryProjection, region: string, asKnownAt?: string) =>
  JSON.stringify([...(findingsEngine(view).region(region, asKnownAt)?.findings.values() ?? [])].sort((x, y) => (x.id < y.id ? -1 : 1)));

async function setUp() {
  const store = new SqliteEventStore({ file: ':memory:' });
  const m = createReadModels();
  const runner = new ProjectionRunner(store, m.projections);
  await runner.start();
  const r = new Registry(store, m.view);
  await r.registerRegion({ code: '650000', name: '新疆', level: 'province', effectiveFrom: '2000-01-01', document: doc }, ctx);
  await r.registerRegion({ code: CITY, name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '2000-01-01', document: doc }, ctx);
  for (const c of COUNTIES) await r.registerRegion({ code: c, name: `县${c}`, level: 'county', parentCode: CITY, effectiveFrom: '2000-01-01', document: doc }, ctx);
  for (const rc of REGIONS) for (const id of DEPTS[rc]) await r.establishDepartment({ id, name: `部门${id}`, regionCode: rc, effectiveFrom: '2010-01-01', document: doc }, ctx);
  for (const [code, name] of ITEMS) await r.defineCatalogItem({ code, name, type: '行政处罚', basis: ['某法'], levels: ['city', 'county'], effectiveFrom: '2015-01-01', document: doc }, ctx);
  const settle = async () => runner.waitFor((await store.info()).headPosition);
  await settle();
  return { store, view: m.view, runner, r, settle, cs: new ChangeSets(store, r) };
}

describe('findings, incrementally (per region, per unit) and from zero', () => {
  test('every region’s live findings equal a rebuild on every date after random changes anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmdArb, { minLength: 1, maxLength: 24 }), async (cmds) => {
        const { store, view, runner, r, settle } = await setUp();
        const eventIds: string[] = [];
        const stamps: string[] = [];
        for (const [n, c] of cmds.entries()) {
          await apply(r, c, eventIds, n);
          await settle();
          stamps.push(view.lastRecordedAt);
          for (const rc of REGIONS) snapshot(view, rc, DATES[n % DATES.length]); // exercise the caches between commands
        }
        const fresh = createReadModels();
        await new ProjectionRunner(store, fresh.projections).rebuild();
        for (const rc of REGIONS) {
          for (const at of ASK) {
            for (const asKnownAt of [undefined, stamps[Math.floor(stamps.length / 2)]]) {
              // the live engine's timelines (patched change by change) byte for byte those computed from zero
              if (at === ASK[0]) expect(timelines(view, rc, asKnownAt)).toBe(timelines(fresh.view, rc, asKnownAt));
              const live = snapshot(view, rc, at, asKnownAt);
              expect(snapshot(fresh.view, rc, at, asKnownAt)).toEqual(live);
              for (const [code] of ITEMS) {
                const status = ownership(view, { region: rc, item: code, at, asKnownAt }).status;
                const has = (kind: string) => live.some((f) => f.kind === kind && (f.item as { itemCode: string }).itemCode === code);
                expect(has('conflict')).toBe(status === 'conflict');
                expect(has('unowned')).toBe(status === 'unowned');
              }
            }
          }
        }
        await runner.stop();
        await store.close();
      }),
      { numRuns: 40 },
    );
  }, 180_000);

  test('a change in one county leaves the other county’s findings cached, and the city’s are computed again from the units it touched', async () => {
    const { store, view, runner, r, settle } = await setUp();
    await r.assignItem({ regionCode: CITY, itemCode: 'I1', departmentId: 'C1', role: 'lead', effectiveFrom: '2016-01-01', document: doc }, ctx);
    await settle();
    const engine = findingsEngine(view);
    for (const rc of REGIONS) snapshot(view, rc, '2018-01-01');
    for (const rc of REGIONS) expect(engine.cached(rc)).toBeDefined();
    await r.assignItem({ regionCode: '650202', itemCode: 'I1', departmentId: 'A1', role: 'lead', effectiveFrom: '2016-01-01', document: doc }, ctx);
    await settle();
    expect(engine.cached('650203')).toBeDefined();
    expect(engine.cached('650202')).toBeUndefined();
    expect(engine.cached(CITY)).toBeUndefined(); // its multi-level findings read the county's list
    expect(snapshot(view, CITY, '2018-01-01').some((f) => f.kind === 'multi-level' || f.kind === 'multi-level-unscoped')).toBe(true);
    // within the city, only the units that read the county's entry ran again (the pair city × 650202 for I1)
    const units = engine.region(CITY)!.units ?? engine.cached(CITY)?.units;
    expect(units).toEqual({ run: 1, replayed: expect.any(Number) });
    expect(units!.replayed).toBeGreaterThan(5);
    // and the other way round: the city takes an item the county holds — the city's pair with the county is computed again
    await r.assignItem({ regionCode: '650202', itemCode: 'I2', departmentId: 'A1', role: 'lead', effectiveFrom: '2016-01-01', document: doc }, ctx);
    await settle();
    for (const rc of REGIONS) snapshot(view, rc, '2018-01-01');
    await r.assignItem({ regionCode: CITY, itemCode: 'I2', departmentId: 'C2', role: 'lead', effectiveFrom: '2016-01-01', document: doc }, ctx);
    await settle();
    const multi = (fs: Array<{ kind: string; item?: unknown }>) => fs.filter((f) => f.kind.startsWith('multi-level') && (f.item as { itemCode: string }).itemCode === 'I2').length;
    expect(multi(snapshot(view, CITY, '2018-01-01'))).toBe(1);
    expect(multi(snapshot(view, '650202', '2018-01-01'))).toBe(1);
    await runner.stop();
    await store.close();
  });

  test('a preview (the engine forked from the live one) opens and closes exactly what publishing the draft does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmdArb, { minLength: 0, maxLength: 16 }), fc.array(cmdArb, { minLength: 1, maxLength: 8 }), region, fc.constantFrom(...DATES), async (before, draft, ri, at) => {
        const { store, view, runner, r, settle, cs } = await setUp();
        const eventIds: string[] = [];
        for (const [n, c] of before.entries()) {
          await apply(r, c, eventIds, n);
          await settle();
          for (const rc of REGIONS) snapshot(view, rc, at); // the live engine's caches and units, as a server has them
        }
        const rc = REGIONS[ri];
        const { id } = await cs.open({ regionCode: rc, title: 'draft' }, ctx);
        let added = 0;
        for (const [n, c] of draft.entries()) {
          const cmd = toCommand('region' in c ? { ...c, region: ri } : c, eventIds, 100 + n);
          if (!cmd) continue;
          try {
            await cs.add(id, { route: 'test', name: cmd.name, body: cmd.body }, ctx);
            added++;
          } catch (e) {
            if (!(e instanceof DomainError)) throw e;
          }
        }
        await settle();
        const was = snapshot(view, rc, at);
        const decided = await cs.decided(id);
        const live = timelines(view, rc);
        const preview = previewChangeSet(view, { region: rc, at, appends: decided.appends, recordedAt: new Date().toISOString() });
        // the preview patches a copy of the live findings: the live ones are as they were
        expect(timelines(view, rc)).toBe(live);
        if (added > 0) {
          await cs.submit(id, undefined, ctx);
          // four eyes: another person reviews and publishes
          await cs.review(id, { decision: 'approve', note: 'ok' }, { actor: 'prop-reviewer' });
          await cs.publish(id, { document: doc, publishedOn: '2024-01-01' }, { actor: 'prop-admin' });
          await settle();
        }
        const will = snapshot(view, rc, at);
        const ids = (fs: Array<{ id: string }>) => new Set(fs.map((f) => f.id));
        const brief = (f: { id: string; title: string }) => [f.id, f.title];
        expect(preview.findings.opened.map(brief).sort()).toEqual(will.filter((f) => !ids(was).has(f.id)).map(brief).sort());
        expect(preview.findings.closed.map(brief).sort()).toEqual(was.filter((f) => !ids(will).has(f.id)).map(brief).sort());
        await runner.stop();
        await store.close();
      }),
      { numRuns: 25 },
    );
  }, 180_000);
});
