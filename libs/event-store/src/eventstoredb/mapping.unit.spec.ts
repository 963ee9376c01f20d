import { randomUUID } from 'node:crypto';
import { InvalidAppendError, StoreUnavailableError, WrongExpectedVersionError } from '../event-store.port';
import {
  LedgerCorruptError,
  LedgerEvent,
  LedgerRecord,
  decodeLedgerRecord,
  encodeLedgerEvent,
  esdbEventId,
  fromEsdbCurrent,
  fromEsdbExpected,
  isEsdbWrongExpectedVersion,
  isTransientEsdbError,
  ledgerExpectedRevision,
  mapEsdbError,
  normaliseConnectionString,
  positionOfRevision,
  redactConnectionString,
  revisionOfPosition,
  uuidV5,
} from './mapping';
import { loadEsdbClient } from './esdb-client';

// The client's own error classes, as the adapter receives them.
const {
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NotLeaderError,
  UnavailableError,
  WrongExpectedVersionError: EsdbWrongExpectedVersionError,
} = loadEsdbClient();

/** A gRPC ServiceError as the client receives it (for error classes that read metadata). */
const serviceError = (code: number, message: string, map: Record<string, string> = {}) =>
  Object.assign(new Error(message), { code, details: message, metadata: { getMap: () => map } }) as any;

describe('event ids', () => {
  test('uuidV5 matches the RFC 4122 test vector', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  test.each([
    ['evt-1', '3580b86d-fefb-5218-a061-016b2b799cc0'],
    ['部门-42', 'f7c835aa-4d0b-5c59-ba83-096bedd0af0a'],
  ])('a non-UUID id %s maps to a fixed v5 UUID', (id, expected) => {
    expect(esdbEventId(id)).toBe(expected);
    expect(esdbEventId(id)).toBe(esdbEventId(id));
  });

  test('a UUID is kept, in lower case', () => {
    const id = randomUUID();
    expect(esdbEventId(id)).toBe(id);
    expect(esdbEventId(id.toUpperCase())).toBe(id);
  });

  test('different ids give different UUIDs, all version 5 variant RFC', () => {
    const ids = ['a', 'b', 'A', 'a ', 'x'.repeat(128)].map(esdbEventId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const u of ids) expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('positions and revisions', () => {
  test.each([
    [0n, 1],
    [1n, 2],
    [41n, 42],
  ])('revision %s is position %s and back', (revision, position) => {
    expect(positionOfRevision(revision)).toBe(position);
    expect(revisionOfPosition(position)).toBe(revision);
  });

  test('out of range positions and revisions are refused', () => {
    expect(() => revisionOfPosition(0)).toThrow(RangeError);
    expect(() => revisionOfPosition(1.5)).toThrow(RangeError);
    expect(() => positionOfRevision(-1n)).toThrow(RangeError);
    expect(() => positionOfRevision(2n ** 60n)).toThrow(RangeError);
  });

  test.each([
    [0, 'no_stream'],
    [1, 0n],
    [7, 6n],
  ])('a view ending at position %s appends with ledger expected revision %s', (head, expected) => {
    expect(ledgerExpectedRevision(head)).toBe(expected);
  });
});

describe('expected versions from EventStoreDB', () => {
  test.each([
    ['any' as const, 'any'],
    ['no_stream' as const, 'no_stream'],
    ['stream_exists' as const, 'stream_exists'],
    [0n, 0],
    [5n, 5],
    [undefined, 'any'],
  ])('expected %s → %s', (esdb, port) => {
    expect(fromEsdbExpected(esdb)).toBe(port);
  });

  test.each([
    ['no_stream' as const, undefined],
    [0n, 0],
    [12n, 12],
    [undefined, undefined],
  ])('current %s → %s', (esdb, port) => {
    expect(fromEsdbCurrent(esdb)).toBe(port);
  });
});

describe('error mapping', () => {
  test('a plain gRPC Error with code 14 (an append with no server) → StoreUnavailableError with retry advice', () => {
    const raw = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });
    const mapped = mapEsdbError(raw);
    expect(mapped).toBeInstanceOf(StoreUnavailableError);
    expect((mapped as StoreUnavailableError).message).toContain('不可达');
    expect((mapped as StoreUnavailableError).message).toContain('重试');
    expect((mapped as StoreUnavailableError).cause).toBe(raw);
    expect(isTransientEsdbError(raw)).toBe(true);
  });

  test('UnavailableError (a read with no server) → StoreUnavailableError', () => {
    const raw = new UnavailableError(serviceError(14, '14 UNAVAILABLE: No connection established'));
    expect(mapEsdbError(raw)).toBeInstanceOf(StoreUnavailableError);
    expect(isTransientEsdbError(raw)).toBe(true);
  });

  test('DeadlineExceededError → StoreUnavailableError that says the write may have happened', () => {
    const raw = new DeadlineExceededError(serviceError(4, '4 DEADLINE_EXCEEDED'));
    const mapped = mapEsdbError(raw) as StoreUnavailableError;
    expect(mapped).toBeInstanceOf(StoreUnavailableError);
    expect(mapped.message).toContain('可能已生效');
    expect(isTransientEsdbError(raw)).toBe(true);
  });

  test('NotLeaderError → StoreUnavailableError naming the leader election', () => {
    const raw = new NotLeaderError(serviceError(5, 'Leader info available', { 'leader-endpoint-host': 'node2', 'leader-endpoint-port': '2113' }));
    const mapped = mapEsdbError(raw) as StoreUnavailableError;
    expect(mapped).toBeInstanceOf(StoreUnavailableError);
    expect(mapped.message).toContain('leader');
    expect(isTransientEsdbError(raw)).toBe(true);
  });

  test('a failed cluster discovery → StoreUnavailableError', () => {
    const raw = new Error('Failed to discover after 10 attempts.');
    expect(mapEsdbError(raw)).toBeInstanceOf(StoreUnavailableError);
    expect(isTransientEsdbError(raw)).toBe(true);
  });

  test.each([
    [{ expected: 3n, current: 5n }, 3, 5],
    [{ expected: 'no_stream' as const, current: 0n }, 'no_stream', 0],
    [{ expected: 'stream_exists' as const, current: 'no_stream' as const }, 'stream_exists', undefined],
    [{ expected: 0n, current: 'no_stream' as const }, 0, undefined],
  ])("the client's WrongExpectedVersionError %o → the port's", ({ expected, current }, portExpected, portActual) => {
    const raw = new EsdbWrongExpectedVersionError(undefined as never, { streamName: 'quanze-ledger', expected, current });
    expect(isEsdbWrongExpectedVersion(raw)).toBe(true);
    const mapped = mapEsdbError(raw) as WrongExpectedVersionError;
    expect(mapped).toBeInstanceOf(WrongExpectedVersionError);
    expect([mapped.stream, mapped.expected, mapped.actual]).toEqual(['quanze-ledger', portExpected, portActual]);
    expect(isTransientEsdbError(raw)).toBe(false);
  });

  test('maximum append size exceeded → InvalidAppendError (retrying cannot help)', () => {
    const mapped = mapEsdbError(new MaxAppendSizeExceededError(undefined as never, 1048576));
    expect(mapped).toBeInstanceOf(InvalidAppendError);
    expect((mapped as Error).message).toContain('1048576');
  });

  test("the port's own errors and unknown errors pass unchanged", () => {
    const own = [new WrongExpectedVersionError('s', 0, 1), new StoreUnavailableError('x'), new InvalidAppendError('y')];
    for (const e of own) expect(mapEsdbError(e)).toBe(e);
    const other = new TypeError('boom');
    expect(mapEsdbError(other)).toBe(other);
    expect(isTransientEsdbError(other)).toBe(false);
    expect(isTransientEsdbError(new StoreUnavailableError('down'))).toBe(true);
  });
});

describe('the ledger event format', () => {
  const base = (over: Partial<LedgerEvent> = {}): LedgerEvent => ({
    id: randomUUID(),
    stream: 'department-1',
    streamVersion: 2,
    position: 8,
    type: 'DepartmentRenamed',
    data: { name: '财政局', n: [1, 2] },
    metadata: { actor: 'alice' },
    recordedAt: '2026-11-22T08:00:00.000Z',
    hash: 'ab'.repeat(32),
    ...over,
  });
  /** What EventStoreDB gives back: JSON round trip, revision = position - 1. */
  const readBack = (e: LedgerEvent, revision = BigInt(e.position - 1)): LedgerRecord => {
    const d = encodeLedgerEvent(e);
    return { revision, id: d.id, type: d.type, data: JSON.parse(JSON.stringify(d.data)), metadata: JSON.parse(JSON.stringify(d.metadata)) };
  };

  test('an event survives the round trip, with its port fields in the quanze metadata block', () => {
    const e = base();
    const encoded = encodeLedgerEvent(e);
    expect(encoded.id).toBe(e.id);
    expect(encoded.type).toBe('DepartmentRenamed');
    expect(encoded.data).toEqual({ name: '财政局', n: [1, 2] });
    expect(encoded.metadata).toEqual({
      quanze: { v: 1, id: e.id, stream: 'department-1', streamVersion: 2, position: 8, recordedAt: e.recordedAt, hash: e.hash },
      user: { actor: 'alice' },
    });
    expect(decodeLedgerRecord(readBack(e))).toEqual(e);
  });

  test('a non-UUID id is stored under its v5 UUID and read back as written', () => {
    const e = base({ id: 'import-2026-0001' });
    const encoded = encodeLedgerEvent(e);
    expect(encoded.id).toBe(uuidV5('import-2026-0001'));
    expect(encoded.metadata.quanze.id).toBe('import-2026-0001');
    expect(decodeLedgerRecord(readBack(e)).id).toBe('import-2026-0001');
  });

  test.each([[null], [5], ['文本'], [[1, 'a']], [true]])('data %j that is not an object is wrapped and unwrapped', (data) => {
    const e = base({ data });
    const encoded = encodeLedgerEvent(e);
    expect(encoded.data).toEqual({ value: data });
    expect(encoded.metadata.quanze.wrapped).toBe(true);
    expect(decodeLedgerRecord(readBack(e)).data).toEqual(data);
  });

  test('an object that happens to have a "value" key is not unwrapped', () => {
    const e = base({ data: { value: 1 } });
    expect(decodeLedgerRecord(readBack(e)).data).toEqual({ value: 1 });
  });

  test('records this adapter did not write are refused with LedgerCorruptError', () => {
    const good = readBack(base());
    const cases: LedgerRecord[] = [
      { ...good, metadata: undefined },
      { ...good, metadata: { user: {} } },
      { ...good, revision: 3n }, // metadata says position 8
      { ...good, id: randomUUID() }, // ESDB id does not derive from the port id
      { ...good, data: new Uint8Array([1, 2]) },
      { ...good, metadata: { ...(good.metadata as object), quanze: { ...(good.metadata as any).quanze, v: 2 } } },
    ];
    for (const r of cases) expect(() => decodeLedgerRecord(r)).toThrow(LedgerCorruptError);
  });
});

describe('connection strings', () => {
  test.each([
    ['esdb://localhost:2113?tls=false', 'esdb://localhost:2113?tls=false'],
    ['kurrentdb://localhost:2113?tls=false', 'esdb://localhost:2113?tls=false'],
    ['kurrent+discover://a:2113,b:2113', 'esdb+discover://a:2113,b:2113'],
    ['  KurrentDB://x:1 ', 'esdb://x:1'],
  ])('%s → %s', (input, output) => {
    expect(normaliseConnectionString(input)).toBe(output);
  });

  test('the password is hidden in messages', () => {
    expect(redactConnectionString('esdb://admin:changeit@node1:2113?tls=true')).toBe('esdb://***@node1:2113?tls=true');
    expect(redactConnectionString('esdb://node1:2113')).toBe('esdb://node1:2113');
  });
});
