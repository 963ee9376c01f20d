import { randomUUID } from 'node:crypto';
import { AppendRequest, WrongExpectedVersionError } from '../event-store.port';
import { GENESIS_HASH, RawEventRow, chainHash, verifyChain } from '../integrity';
import { EXPECTED_VERSION_CASES } from '../testing/event-store.contract';
import { LedgerIndex, planAppend } from './ledger-index';
import { LedgerCorruptError, LedgerEvent, decodeLedgerRecord, esdbEventId } from './mapping';

const T0 = Date.parse('2026-11-22T08:00:00.000Z');
const ev = (type = 'Tested', data: unknown = { n: 1 }) => ({ id: randomUUID(), type, data, metadata: { actor: 'unit' } });

/** Plans and applies, as the adapter does once EventStoreDB has accepted the write. */
function commit(index: LedgerIndex, requests: AppendRequest[], now = T0) {
  const plan = planAppend(index, requests, now);
  if (plan.kind !== 'write') throw new Error('expected a write plan');
  for (const e of plan.events) index.apply(e);
  return plan;
}

function seeded(streams: Record<string, number>): LedgerIndex {
  const index = new LedgerIndex();
  for (const [stream, n] of Object.entries(streams)) {
    if (n > 0) commit(index, [{ stream, expectedVersion: 'no_stream', events: Array.from({ length: n }, () => ev('Seeded')) }]);
  }
  return index;
}

describe('planAppend: expected versions (the contract table)', () => {
  test.each(EXPECTED_VERSION_CASES)('stream with $existing events, expected $expected → ok=$ok', ({ existing, expected, ok }) => {
    const index = seeded({ other: 2, s: existing });
    const attempt = () => planAppend(index, [{ stream: 's', expectedVersion: expected, events: [ev()] }], T0);
    if (ok) {
      const plan = attempt();
      expect(plan.kind).toBe('write');
      if (plan.kind !== 'write') return;
      expect(plan.result.streams).toEqual([{ stream: 's', version: existing }]);
      expect(plan.events[0].streamVersion).toBe(existing);
    } else {
      expect(attempt).toThrow(WrongExpectedVersionError);
    }
  });
});

describe('planAppend: several streams in one call (one atomic ledger append)', () => {
  test('events get consecutive positions after the head, per-stream versions, one recordedAt, one ledger write', () => {
    const index = seeded({ b: 2 });
    expect(index.head).toBe(2);
    const a1 = ev('A');
    const b1 = ev('B');
    const b2 = ev('B');
    const plan = planAppend(
      index,
      [
        { stream: 'a', expectedVersion: 'no_stream', events: [a1] },
        { stream: 'b', expectedVersion: 1, events: [b1, b2] },
      ],
      T0 + 5,
    );
    if (plan.kind !== 'write') throw new Error('expected a write plan');
    expect(plan.expectedRevision).toBe(1n); // the ledger must still end at revision 1 (position 2)
    expect(plan.events.map((e) => [e.id, e.stream, e.streamVersion, e.position])).toEqual([
      [a1.id, 'a', 0, 3],
      [b1.id, 'b', 2, 4],
      [b2.id, 'b', 3, 5],
    ]);
    expect(new Set(plan.events.map((e) => e.recordedAt))).toEqual(new Set([new Date(T0 + 5).toISOString()]));
    expect(plan.result).toEqual({
      events: plan.events.map(({ id, stream, streamVersion, position, recordedAt }) => ({ id, stream, streamVersion, position, recordedAt })),
      streams: [
        { stream: 'a', version: 0 },
        { stream: 'b', version: 3 },
      ],
      position: 5,
      recordedAt: new Date(T0 + 5).toISOString(),
    });
    // One EventStoreDB event per port event, each carrying its own stream: reading them back expands the call.
    expect(plan.records.map((r) => r.id)).toEqual([a1.id, b1.id, b2.id].map(esdbEventId));
    expect(plan.records.map((r) => r.metadata.quanze.stream)).toEqual(['a', 'b', 'b']);
    const readBack = plan.records.map((r, i) => decodeLedgerRecord({ revision: BigInt(2 + i), id: r.id, type: r.type, data: r.data, metadata: r.metadata }));
    expect(readBack).toEqual(plan.events);
  });

  test('a wrong expected version on any stream refuses the whole call', () => {
    const index = seeded({ s2: 1 });
    const reqs: AppendRequest[] = ['s1', 's2', 's3'].map((stream) => ({ stream, expectedVersion: 'no_stream', events: [ev()] }));
    expect(() => planAppend(index, reqs, T0)).toThrow(WrongExpectedVersionError);
    expect(index.head).toBe(1);
  });

  test('an empty ledger is appended with expected revision no_stream', () => {
    const plan = planAppend(new LedgerIndex(), [{ stream: 's', expectedVersion: 'any', events: [ev()] }], T0);
    expect(plan.kind === 'write' && plan.expectedRevision).toBe('no_stream');
  });
});

describe('planAppend: idempotency by event id', () => {
  test('a call whose events are all stored is answered from the store, not written', () => {
    const index = new LedgerIndex();
    const events = [ev(), ev()];
    commit(index, [{ stream: 's', expectedVersion: 'no_stream', events }]);
    const plan = planAppend(index, [{ stream: 's', expectedVersion: 'no_stream', events }], T0 + 10);
    expect(plan).toEqual({ kind: 'stored', positions: [1, 2], streams: [{ stream: 's', version: 1 }] });
  });

  test('a call mixing stored and new ids plans only the new ones, checked against the current version', () => {
    const index = new LedgerIndex();
    const a = ev();
    commit(index, [{ stream: 's', expectedVersion: 'no_stream', events: [a] }]);
    const b = ev();
    const plan = planAppend(index, [{ stream: 's', expectedVersion: 'any', events: [a, b] }], T0);
    if (plan.kind !== 'write') throw new Error('expected a write plan');
    expect(plan.events.map((e) => [e.id, e.streamVersion, e.position])).toEqual([[b.id, 1, 2]]);
  });
});

describe('planAppend: recordedAt', () => {
  test('strictly increases per call even when the clock stands still or goes back', () => {
    const index = new LedgerIndex();
    const times: string[] = [];
    for (const now of [T0, T0, T0 - 60_000, T0 + 1, T0 + 500]) {
      times.push(commit(index, [{ stream: 's', expectedVersion: 'any', events: [ev()] }], now).result.recordedAt);
    }
    expect(times.map((t) => Date.parse(t) - T0)).toEqual([0, 1, 2, 3, 500]);
  });
});

describe('planAppend: hash chain', () => {
  test('planned events chain like the SQLite store, and verifyChain accepts them', () => {
    const index = new LedgerIndex();
    const all: LedgerEvent[] = [];
    all.push(...commit(index, [{ stream: 'x', expectedVersion: 'no_stream', events: [ev('A', { 中: '文' }), ev('B', null)] }]).events);
    all.push(...commit(index, [{ stream: 'y', expectedVersion: 'no_stream', events: [ev('C', [1, 2])] }], T0 + 1).events);
    expect(all[0].hash).toBe(
      chainHash(GENESIS_HASH, {
        id: all[0].id,
        stream: 'x',
        streamVersion: 0,
        position: 1,
        type: 'A',
        data: JSON.stringify({ 中: '文' }),
        metadata: JSON.stringify({ actor: 'unit' }),
        recordedAt: all[0].recordedAt,
      }),
    );
    const rows: RawEventRow[] = all.map((e) => ({
      position: e.position,
      id: e.id,
      stream: e.stream,
      stream_version: e.streamVersion,
      type: e.type,
      data: JSON.stringify(e.data),
      metadata: JSON.stringify(e.metadata),
      recorded_at: e.recordedAt,
      hash: e.hash,
    }));
    expect(verifyChain(rows)).toMatchObject({ ok: true, eventsChecked: 3, headHash: index.lastHash });
  });

  test('data is stored as its JSON form (undefined fields dropped, dates as strings)', () => {
    const plan = planAppend(new LedgerIndex(), [{ stream: 's', expectedVersion: 'any', events: [{ id: 'e1', type: 'T', data: { a: undefined, d: new Date(T0) } }] }], T0);
    if (plan.kind !== 'write') throw new Error('expected a write plan');
    expect(plan.events[0].data).toEqual({ d: new Date(T0).toISOString() });
    expect(plan.events[0].metadata).toEqual({});
  });
});

describe('LedgerIndex.apply refuses a ledger that does not continue the log', () => {
  const make = () => {
    const index = new LedgerIndex();
    const plan = commit(index, [{ stream: 's', expectedVersion: 'no_stream', events: [ev()] }]);
    return { index, first: plan.events[0] };
  };
  test.each([
    ['a gap in positions', (f: LedgerEvent): LedgerEvent => ({ ...f, id: 'n1', position: 3, streamVersion: 1 })],
    ['a stream version that skips', (f: LedgerEvent): LedgerEvent => ({ ...f, id: 'n2', position: 2, streamVersion: 2 })],
    ['an event id seen before', (f: LedgerEvent): LedgerEvent => ({ ...f, position: 2, streamVersion: 1 })],
    ['recordedAt going back', (f: LedgerEvent): LedgerEvent => ({ ...f, id: 'n3', position: 2, streamVersion: 1, recordedAt: '2000-01-01T00:00:00.000Z' })],
  ])('%s', (_name, mutate) => {
    const { index, first } = make();
    expect(() => index.apply(mutate(first))).toThrow(LedgerCorruptError);
    expect(index.head).toBe(1);
  });

  test('the view answers versions, positions, and caches recent events', () => {
    const { index, first } = make();
    expect(index.versionOf('s')).toBe(0);
    expect(index.versionOf('nope')).toBeUndefined();
    expect(index.positionOf(first.id)).toBe(1);
    expect(index.positionsOf('s')).toEqual([1]);
    expect(index.cached(1)?.id).toBe(first.id);
    expect(index.cached(1)).not.toHaveProperty('hash');
  });

  test('the cache keeps only the most recent events', () => {
    const index = new LedgerIndex(2);
    for (let i = 0; i < 4; i++) commit(index, [{ stream: 's', expectedVersion: 'any', events: [ev()] }], T0 + i);
    expect([1, 2, 3, 4].map((p) => index.cached(p) !== undefined)).toEqual([false, false, true, true]);
  });
});
