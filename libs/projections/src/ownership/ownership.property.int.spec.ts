import fc from 'fast-check';
import { Registry } from '../../../application/src';
import { DomainError } from '../../../domain/src';
import { SqliteEventStore, StoredEvent } from '../../../event-store/src';
import { ProjectionRunner } from '../runner';
import { RegistryProjection } from '../registry/registry.projection';
import { ownership } from './ownership.query';

/**
 * Property tests of the bitemporal answers against a deliberately naive model: keep the list of
 * recorded facts and answer every (at, asKnownAt) by brute force.
 */
const DEPTS = ['A', 'B', 'C'];
const ITEMS = ['I1', 'I2'];
const DATES = ['2016-01-01', '2017-06-01', '2018-01-01', '2019-03-01', '2020-02-10', '2020-03-01', '2021-01-01'];

type Cmd =
  | { kind: 'assign'; item: string; dept: string; role: 'lead' | 'cooperating'; date: string }
  | { kind: 'transfer'; item: string; from: string; to: string; date: string }
  | { kind: 'withdraw'; item: string; dept?: string; date: string }
  | { kind: 'retract'; nth: number };

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('assign' as const), item: fc.constantFrom(...ITEMS), dept: fc.constantFrom(...DEPTS), role: fc.constantFrom('lead' as const, 'cooperating' as const), date: fc.constantFrom(...DATES) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('transfer' as const), item: fc.constantFrom(...ITEMS), from: fc.constantFrom(...DEPTS), to: fc.constantFrom(...DEPTS), date: fc.constantFrom(...DATES) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('withdraw' as const), item: fc.constantFrom(...ITEMS), dept: fc.option(fc.constantFrom(...DEPTS), { nil: undefined }), date: fc.constantFrom(...DATES) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retract' as const), nth: fc.nat(50) }) },
);

interface ModelFact {
  eventId: string;
  recordedAt: string;
  position: number;
  type: string;
  data: any;
  retractedAt?: string;
}

/** The naive model: filter what was known, sort by date then recording, replay into a map. */
function naiveOwners(facts: ModelFact[], item: string, at: string, asKnownAt?: string): string[] {
  const known = facts.filter((f) => f.data.itemCode === item && (!asKnownAt || f.recordedAt <= asKnownAt) && !(f.retractedAt && (!asKnownAt || f.retractedAt <= asKnownAt)));
  const ordered = known.filter((f) => f.data.effectiveFrom <= at).sort((a, b) => a.data.effectiveFrom.localeCompare(b.data.effectiveFrom) || a.position - b.position);
  const held: Record<string, string> = {};
  for (const f of ordered) {
    if (f.type === 'ItemAssigned') held[f.data.departmentId] = f.data.role;
    if (f.type === 'ItemTransferred' && held[f.data.fromDepartmentId]) {
      const moving = held[f.data.fromDepartmentId];
      delete held[f.data.fromDepartmentId];
      // A department that already leads keeps leading; otherwise it takes the transferred role.
      if (held[f.data.toDepartmentId] !== 'lead') held[f.data.toDepartmentId] = moving;
    }
    if (f.type === 'ItemWithdrawn') {
      if (f.data.departmentId) delete held[f.data.departmentId];
      else for (const k of Object.keys(held)) delete held[k];
    }
  }
  return Object.entries(held).map(([d, r]) => `${d}:${r}`).sort();
}

const answer = (view: RegistryProjection, item: string, at: string, asKnownAt?: string) =>
  ownership(view, { region: '650200', item, at, asKnownAt }).owners.map((o) => `${o.departmentId}:${o.role}`).sort();

async function setup() {
  const store = new SqliteEventStore({ file: ':memory:' });
  const registry = new Registry(store);
  const ctx = { actor: 'prop' };
  const doc = { number: '测试' };
  await registry.registerRegion({ code: '650000', name: '新疆', level: 'province', effectiveFrom: '2000-01-01', document: doc }, ctx);
  await registry.registerRegion({ code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '2000-01-01', document: doc }, ctx);
  for (const d of DEPTS) await registry.establishDepartment({ id: d, name: `部门${d}`, regionCode: '650200', effectiveFrom: '2000-01-01', document: doc }, ctx);
  for (const i of ITEMS) await registry.defineCatalogItem({ code: i, name: `事项${i}`, type: '行政检查', basis: [], levels: ['city'], effectiveFrom: '2000-01-01', document: doc }, ctx);
  return { store, registry, ctx, doc };
}

async function run(cmds: Cmd[]) {
  const { store, registry, ctx, doc } = await setup();
  const live = new RegistryProjection();
  const runner = new ProjectionRunner(store, [live]);
  await runner.start();
  const facts: ModelFact[] = [];
  const checkpoints: Array<{ asKnownAt: string; answers: Map<string, string[]> }> = [];
  for (const c of cmds) {
    try {
      if (c.kind === 'retract') {
        const candidates = facts.filter((f) => !f.retractedAt);
        if (!candidates.length) continue;
        const target = candidates[c.nth % candidates.length];
        const r = await registry.retractEvent({ eventId: target.eventId, reason: '更正', document: doc }, ctx);
        target.retractedAt = r.recordedAt;
        await runner.waitFor(r.position);
      } else {
        const base = { regionCode: '650200', itemCode: c.item, effectiveFrom: c.date, document: doc };
        const r =
          c.kind === 'assign'
            ? await registry.assignItem({ ...base, departmentId: c.dept, role: c.role }, ctx)
            : c.kind === 'transfer'
              ? await registry.transferItem({ ...base, fromDepartmentId: c.from, toDepartmentId: c.to }, ctx)
              : await registry.withdrawItem({ ...base, ...(c.dept ? { departmentId: c.dept } : {}) }, ctx);
        const e = (await store.readEvent(r.eventIds[0])) as StoredEvent;
        facts.push({ eventId: e.id, recordedAt: e.recordedAt, position: e.position, type: e.type, data: e.data });
        await runner.waitFor(r.position);
      }
      // Remember what the registry says now, as known at this instant, to check it never changes later.
      const at = facts.length ? facts[facts.length - 1].recordedAt : undefined;
      if (at) {
        const answers = new Map<string, string[]>();
        for (const item of ITEMS) for (const d of DATES) answers.set(`${item}|${d}`, answer(live, item, d, at));
        checkpoints.push({ asKnownAt: at, answers });
      }
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
    }
  }
  return { store, runner, live, facts, checkpoints };
}

describe('bitemporal ownership: properties against a naive model', () => {
  test('every (at, asKnownAt) answer matches; past answers never change; rebuild equals live; batching does not matter', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmdArb, { minLength: 1, maxLength: 25 }), async (cmds) => {
        const { store, runner, live, facts, checkpoints } = await run(cmds);
        try {
          const instants = [undefined, '1999-01-01T00:00:00.000Z', ...facts.map((f) => f.recordedAt), ...facts.filter((f) => f.retractedAt).map((f) => f.retractedAt!)];
          for (const item of ITEMS) for (const at of [...DATES, '2015-12-31', '2030-01-01']) for (const k of instants) {
            expect([item, at, k, answer(live, item, at, k)]).toEqual([item, at, k, naiveOwners(facts, item, at, k)]);
          }
          for (const c of checkpoints) for (const [key, was] of c.answers) {
            const [item, at] = key.split('|');
            expect([key, c.asKnownAt, answer(live, item, at, c.asKnownAt)]).toEqual([key, c.asKnownAt, was]);
          }
          const rebuilt = new RegistryProjection();
          await new ProjectionRunner(store, [rebuilt]).rebuild(3);
          expect(rebuilt.state()).toEqual(live.state());

          // The same events re-appended in other batches (one call, several streams) give the same answers now.
          const copy = new SqliteEventStore({ file: ':memory:' });
          const all = await store.readAll(0, 100000);
          for (let i = 0; i < all.length; ) {
            const size = 1 + ((i * 7) % 4);
            const chunk = all.slice(i, i + size);
            const byStream = new Map<string, typeof chunk>();
            for (const e of chunk) byStream.set(e.stream, [...(byStream.get(e.stream) ?? []), e]);
            await copy.append([...byStream].map(([stream, es]) => ({ stream, expectedVersion: 'any' as const, events: es.map((e) => ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata })) })));
            i += size;
          }
          const other = new RegistryProjection();
          await new ProjectionRunner(copy, [other]).rebuild();
          for (const item of ITEMS) for (const at of DATES) expect(answer(other, item, at)).toEqual(answer(live, item, at));
          await copy.close();
        } finally {
          await runner.stop();
          await store.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
