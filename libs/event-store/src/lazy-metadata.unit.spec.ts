import fc from 'fast-check';
import { LazyMetadata, eventWithLazyMetadata, metadataField } from './lazy-metadata';

const KEYS = ['actor', 'schemaVersion', 'commandId', 'a.b', 'x-y', '$k', 'missing', '', 'constructor', '__proto__', 'toString', 'say "hi"', 'back\\slash'];

/** What a reader of the parsed metadata gets for `key`. */
const parsedField = (json: string, key: string) => JSON.parse(json)?.[key];

function fieldOf(json: string, key: string): unknown {
  const lazy = new LazyMetadata();
  lazy.reset(json);
  return lazy.field(key);
}

describe('LazyMetadata', () => {
  test('field(key) is JSON.parse(text)?.[key] for any JSON text, compact or not, flat or nested', () => {
    const key = fc.oneof(fc.constantFrom(...KEYS), fc.string());
    const value = fc.oneof(fc.string(), fc.constantFrom('a,b', 'say "x"', '{[', '\\', ' ', ''), fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null), fc.jsonValue());
    const object = fc.dictionary(key, value);
    const text = fc.oneof(
      object.map((o) => JSON.stringify(o)),
      object.map((o) => JSON.stringify(o, null, 2)),
      fc.json(),
      // A repeated key: JSON.parse keeps the last.
      fc.tuple(fc.constantFrom(...KEYS), value, value).map(([k, a, b]) => `{${JSON.stringify(k)}:${JSON.stringify(a)},"n":1,${JSON.stringify(k)}:${JSON.stringify(b)}}`),
    );
    fc.assert(
      fc.property(text, fc.constantFrom(...KEYS), (json, k) => {
        expect(fieldOf(json, k)).toStrictEqual(parsedField(json, k));
      }),
      { numRuns: 3000 },
    );
  });

  test.each([
    ['{"actor":"u1","commandId":"c","schemaVersion":2}', 'actor', 'u1'],
    ['{"actor":"u1","commandId":"c","schemaVersion":2}', 'schemaVersion', 2],
    ['{"actor":"u1","schemaVersion":-1.5e3}', 'schemaVersion', -1500],
    ['{"actor":"u1","ok":true,"no":false,"nil":null}', 'no', false],
    ['{"actor":"u1","nil":null}', 'nil', null],
    ['{"actor":"权责","x":1}', 'actor', '权责'],
    ['{"actor":"a,b}c","schemaVersion":3}', 'schemaVersion', 3],
    ['{"note":"\\"actor\\":\\"forged\\"","actor":"real"}', 'actor', 'real'],
    ['{"note":"\\"actor\\":\\"forged\\""}', 'actor', undefined],
    ['{"nested":{"actor":"inner"}}', 'actor', undefined],
    ['{"nested":{"actor":"inner"},"actor":"outer"}', 'actor', 'outer'],
    ['{"actor":"outer","nested":{"actor":"inner"}}', 'actor', 'outer'],
    ['{"list":[{"actor":"inner"}]}', 'actor', undefined],
    ['{"list":["actor",":"],"actor":"y"}', 'actor', 'y'],
    ['{"list":["actor",":"]}', 'actor', undefined],
    ['{"actor":["a"],"n":1}', 'actor', ['a']],
    ['{ "actor" : "spaced" }', 'actor', 'spaced'],
    ['{"actor": "a,b"}', 'actor', 'a,b'],
    ['{"xactor":"no"}', 'actor', undefined],
    ['{}', 'actor', undefined],
    ['null', 'actor', undefined],
    ['"text"', 'length', 4],
    ['[1,2]', 'length', 2],
  ])('%s → %s', (json, key, expected) => {
    expect(fieldOf(json, key)).toStrictEqual(expected);
    expect(parsedField(json, key)).toStrictEqual(expected);
  });

  test('a plain text (as JSON.stringify writes flat metadata) is not parsed as a whole to read a field', () => {
    const lazy = new LazyMetadata();
    const get = jest.spyOn(lazy, 'get');
    lazy.reset(JSON.stringify({ actor: '140000-bianban', commandId: 'g1-1', correlationId: 'list-140000', schemaVersion: 2 }));
    expect(lazy.field('actor')).toBe('140000-bianban');
    expect(lazy.field('schemaVersion')).toBe(2);
    expect(lazy.field('absent')).toBeUndefined();
    expect(get).not.toHaveBeenCalled();
    // Nested: parsed (once), and the answer comes from the parsed object.
    lazy.reset('{"actor":"a","more":{"actor":"b"}}');
    expect(lazy.field('actor')).toBe('a');
    expect(lazy.field('more')).toEqual({ actor: 'b' });
    expect(get).toHaveBeenCalledTimes(2);
    expect(lazy.get()).toBe(lazy.get());
  });

  test('parses once per event, and an assignment replaces the metadata until the next event', () => {
    const lazy = new LazyMetadata();
    lazy.reset('{"actor":"a"}');
    const first = lazy.get();
    expect(first).toEqual({ actor: 'a' });
    expect(lazy.get()).toBe(first);
    lazy.set({ actor: 'replaced' });
    expect(lazy.field('actor')).toBe('replaced');
    lazy.reset('{"actor":"b"}');
    expect(lazy.get()).toEqual({ actor: 'b' });
    expect(() => (lazy.reset('{not json'), lazy.get())).toThrow(SyntaxError);
  });
});

describe('eventWithLazyMetadata and metadataField', () => {
  test('the replay event looks like a plain StoredEvent: keys, spread, JSON, assignment', () => {
    const lazy = new LazyMetadata();
    const e = eventWithLazyMetadata(lazy, 7);
    Object.assign(e, { id: 'i', stream: 's', streamVersion: 0, type: 'T', data: { n: 1 }, recordedAt: '2026-01-01T00:00:00.000Z' });
    lazy.reset('{"actor":"u","schemaVersion":1}');
    const plain = { id: 'i', stream: 's', streamVersion: 0, position: 7, type: 'T', data: { n: 1 }, metadata: { actor: 'u', schemaVersion: 1 }, recordedAt: '2026-01-01T00:00:00.000Z' };
    expect(Object.keys(e)).toEqual(Object.keys(plain));
    expect({ ...e }).toStrictEqual(plain);
    expect(JSON.parse(JSON.stringify(e))).toEqual(plain);
    expect(e).toEqual(plain);
    expect(e.metadata).toBe(e.metadata);
    expect(metadataField(e, 'actor')).toBe('u');
    e.metadata = { actor: 'v' };
    expect(e.metadata).toEqual({ actor: 'v' });
    expect(metadataField(e, 'actor')).toBe('v');
    lazy.reset('{"schemaVersion":2}');
    expect(e.metadata).toEqual({ schemaVersion: 2 });
    expect(metadataField(e, 'actor')).toBeUndefined();
  });

  test('for any other event, metadataField is metadata?.[key]', () => {
    const base = { id: 'i', stream: 's', streamVersion: 0, position: 1, type: 'T', data: null, recordedAt: '' };
    expect(metadataField({ ...base, metadata: { actor: 'u' } }, 'actor')).toBe('u');
    expect(metadataField({ ...base, metadata: {} }, 'actor')).toBeUndefined();
    expect(metadataField({ ...base, metadata: null as never }, 'actor')).toBeUndefined();
  });
});
