import { FactDecoder, FactEncoder, bodyParts, bodyReader } from './fact-codec';

const roundTrip = (facts: object[]) => {
  const e = new FactEncoder();
  for (const f of facts) e.add(f);
  const d = new FactDecoder(Buffer.concat(bodyParts(e.finish())));
  const out: object[] = [];
  for (let f = d.next(); f !== undefined; f = d.next()) out.push(f);
  return { out, facts: d.facts };
};

describe('the binary form of the snapshot facts', () => {
  test('gives back what JSON would, and what JSON loses (undefined, -0, lone surrogates) as it was', () => {
    const doc = { number: '克政办发〔2024〕1号', title: '关于 "引号" 与 \\ 的通知', issuedOn: '2024-01-01' };
    const facts = [
      { eventId: 'a', position: 1, recordedAt: '2024-01-01T00:00:00.000Z', stream: 'assignment-650200-X1', actor: undefined, event: { type: 'ItemAssigned', data: { regionCode: '650200', itemCode: 'X1', document: doc, n: -5, big: 2 ** 40, frac: 0.1, neg0: -0, ok: true, no: false, none: null } } },
      { eventId: 'b', position: 2 ** 30, recordedAt: '2024-01-01T00:00:00.000Z', stream: 'x', event: { type: 'T', data: { list: [1, 'two', [3, { four: 4 }], []], doc, odd: '\ud800lone', empty: '', '0': 'numeric key', 'key with space': 'v' } } },
    ];
    const { out, facts: n } = roundTrip(facts);
    expect(n).toBe(2);
    expect(out).toEqual(facts);
    expect(Object.keys(out[0])).toEqual(Object.keys(facts[0]));
    expect('actor' in out[0]).toBe(true);
    expect(Object.is((out[0] as any).event.data.neg0, -0)).toBe(true);
    expect((out[1] as any).event.data.odd).toBe('\ud800lone');
    // a document shared by two facts is one object after loading, as in the live read model
    expect((out[0] as any).event.data.document).toBe((out[1] as any).event.data.doc);
    // the same string twice is one string in the table
    expect((out[0] as any).recordedAt).toBe((out[1] as any).recordedAt);
  });

  test('many strings (several sections of the string table, an odd or even count of sections)', () => {
    for (const n of [50_001, 100_001]) {
      const facts = Array.from({ length: n }, (_, i) => ({ eventId: `e${i}`, position: i + 1, d: 1.5 }));
      expect(JSON.stringify(roundTrip(facts).out)).toBe(JSON.stringify(facts));
    }
  });

  test('read part by part, each part a fresh buffer at any alignment: the same facts', () => {
    const e = new FactEncoder();
    const facts = Array.from({ length: 300 }, (_, i) => ({ eventId: `e${i}`, position: i + 1, event: { type: 'T', data: { list: [i, 'x', [i % 7, { k: i / 3 }]], none: null } } }));
    for (const f of facts) e.add(f);
    const body = Buffer.concat(bodyParts(e.finish()));
    for (const shift of [0, 1, 4]) {
      // a reader of fresh buffers (as the snapshot store reads the file), each `shift` bytes off an 8-byte boundary
      const whole = bodyReader(body);
      const d = new FactDecoder((n) => {
        const b = Buffer.alloc(n + shift);
        whole(n).copy(b, shift);
        return b.subarray(shift);
      });
      const out: object[] = [];
      for (let f = d.next(); f !== undefined; f = d.next()) out.push(f);
      expect(out).toEqual(facts);
    }
  });

  test('a __proto__ key stays an own property and sets no prototype', () => {
    const f = JSON.parse('{"eventId":"a","event":{"type":"T","data":{"__proto__":{"polluted":1},"x":1}}}');
    const [out] = roundTrip([f]).out as any[];
    expect(Object.getPrototypeOf(out.event.data)).toBe(Object.prototype);
    expect(Object.keys(out.event.data)).toEqual(['__proto__', 'x']);
    expect(out.event.data.polluted).toBeUndefined();
    expect(({} as any).polluted).toBeUndefined();
  });

  test('what is not plain data is refused, not written as something else', () => {
    for (const bad of [{ at: new Date(0) }, { m: new Map() }, { f: () => 1 }, { n: 1n }]) expect(() => new FactEncoder().add({ event: { data: bad } })).toThrow(/cannot write/);
  });

  test('a body that is not one is refused', () => {
    expect(() => new FactDecoder(Buffer.from('{"not":"binary"}'))).toThrow();
    const e = new FactEncoder();
    e.add({ a: 1 });
    const body = Buffer.concat(bodyParts(e.finish()));
    expect(() => new FactDecoder(body.subarray(0, body.length - 8))).toThrow(/越界/);
  });
});
