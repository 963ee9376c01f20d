import { endianness } from 'node:os';

/**
 * The binary form of the read-model snapshot's facts (docs/decisions/0019-binary-read-model-snapshot.md).
 *
 * JSON lines cost a UTF-8 decode and a JSON.parse of every fact, each string made anew (a province of
 * 1.14 M facts: most of a 15.7 s start). Here the facts are a stream of 32-bit tokens over three tables:
 * - strings: each distinct string once (sections of JSON string arrays, parsed natively: escapes and lone
 *   surrogates round-trip as in the log), so a code, a date or a document number decoded once is one
 *   string shared by every fact that names it;
 * - shapes: each distinct list of object keys once, decoded by a function made for that shape (an object
 *   literal: the facts get the hidden classes JSON.parse would give, without a dictionary lookup per key);
 * - doubles: numbers that are not small integers.
 * Objects below the event's data (documents) keep their identity: one shared in the read model (the
 * registry shares a reform's document between its changes) is written once and decoded once.
 *
 * A token is `payload << 3 | tag`. What the encoder cannot write as JSON would (functions, symbols,
 * bigints, Maps, Dates, class instances) it refuses: a snapshot is a picture of plain facts.
 */

const T_STRING = 0;
const T_OBJECT = 1;
const T_INT = 2;
const T_DOUBLE = 3;
const T_CONST = 4;
const T_ARRAY = 5;
const T_REF = 6;
const T_SHARED = 7;
const CONSTS = [null, true, false, undefined] as const;
const INT_MAX = 1 << 27;
/** Objects at this depth or deeper (fact 0, event 1, data 2) are written once per identity. */
const SHARED_DEPTH = 3;
const STRINGS_PER_SECTION = 50_000;

/** The sections of an encoded snapshot body, in order. */
export interface EncodedFacts {
  /** UTF-8 bytes of a JSON array of strings, one per section. */
  strings: Buffer[];
  /** JSON: an array of key lists. */
  shapes: Buffer;
  doubles: Buffer;
  tokens: Buffer;
  facts: number;
}

const MAGIC = 0x51_5a_53_33; // 'QZS3'

interface Shape {
  id: number;
  keys: string[];
}

/** Does the object have exactly these own keys, in this order? */
function hasKeys(o: Record<string, unknown>, keys: string[]): boolean {
  let i = 0;
  for (const k in o) if (k !== keys[i++]) return false;
  return i === keys.length;
}

/** Collects facts into tokens; `finish()` gives the sections. Feed it in slices to keep the event loop free. */
export class FactEncoder {
  private tokens = new Int32Array(1 << 20);
  private n = 0;
  private readonly stringIds = new Map<string, number>();
  private readonly strings: string[] = [];
  private readonly shapeIds = new Map<string, Shape>();
  private readonly recent: Shape[][] = [];
  private readonly shapes: string[][] = [];
  private readonly doubles: number[] = [];
  private readonly shared = new Map<object, number>();
  private nFacts = 0;

  private push(token: number): void {
    if (this.n === this.tokens.length) {
      const grown = new Int32Array(this.tokens.length * 2);
      grown.set(this.tokens);
      this.tokens = grown;
    }
    this.tokens[this.n++] = token;
  }

  private string(s: string): number {
    let id = this.stringIds.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.stringIds.set(s, id);
    }
    return id;
  }

  private fresh(s: string): number {
    this.strings.push(s);
    return this.strings.length - 1;
  }

  /** The shape of an object: one of the last few seen at its depth (compared key by key), else looked up by its keys. */
  private shapeOf(o: Record<string, unknown>, depth: number): Shape {
    const recent = (this.recent[depth] ??= []);
    for (let i = 0; i < recent.length; i++) if (hasKeys(o, recent[i].keys)) return recent[i];
    const keys = Object.keys(o);
    const sig = keys.join('\u0000');
    let shape = this.shapeIds.get(sig);
    if (shape === undefined) {
      shape = { id: this.shapes.length, keys };
      this.shapes.push(keys);
      this.shapeIds.set(sig, shape);
    }
    recent.unshift(shape);
    if (recent.length > 6) recent.pop();
    return shape;
  }

  add(fact: object): void {
    this.value(fact, 0);
    this.nFacts++;
  }

  get facts(): number {
    return this.nFacts;
  }

  private value(v: unknown, depth: number): void {
    switch (typeof v) {
      case 'string':
        this.push((this.string(v) << 3) | T_STRING);
        return;
      case 'number':
        if (Number.isInteger(v) && v > -INT_MAX && v < INT_MAX && !Object.is(v, -0)) this.push((v << 3) | T_INT);
        else {
          this.doubles.push(v);
          this.push(((this.doubles.length - 1) << 3) | T_DOUBLE);
        }
        return;
      case 'boolean':
        this.push(((v ? 1 : 2) << 3) | T_CONST);
        return;
      case 'undefined':
        this.push((3 << 3) | T_CONST);
        return;
      case 'object': {
        if (v === null) {
          this.push(T_CONST);
          return;
        }
        if (Array.isArray(v)) {
          this.push((v.length << 3) | T_ARRAY);
          for (let i = 0; i < v.length; i++) this.value(v[i], depth + 1);
          return;
        }
        const proto = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null) throw new Error(`read-model snapshot: cannot write a ${proto?.constructor?.name ?? 'non-plain'} object`);
        if (depth >= SHARED_DEPTH) {
          const id = this.shared.get(v);
          if (id !== undefined) {
            this.push((id << 3) | T_REF);
            return;
          }
        }
        const o = v as Record<string, unknown>;
        const { id: shape, keys } = this.shapeOf(o, depth);
        this.push((shape << 3) | (depth >= SHARED_DEPTH ? T_SHARED : T_OBJECT));
        for (let i = 0; i < keys.length; i++) {
          const k = keys[i];
          const x = o[k];
          // an event id is a string no other fact has: into the table without looking it up
          if (depth === 0 && k === 'eventId' && typeof x === 'string') this.push((this.fresh(x) << 3) | T_STRING);
          else this.value(x, depth + 1);
        }
        // numbered when complete, as the decoder numbers it (after its members)
        if (depth >= SHARED_DEPTH) this.shared.set(v, this.shared.size);
        return;
      }
      default:
        throw new Error(`read-model snapshot: cannot write a ${typeof v}`);
    }
  }

  finish(): EncodedFacts {
    const strings: Buffer[] = [];
    for (let i = 0; i < this.strings.length; i += STRINGS_PER_SECTION) strings.push(Buffer.from(JSON.stringify(this.strings.slice(i, i + STRINGS_PER_SECTION)), 'utf8'));
    const tokens = Buffer.from(this.tokens.buffer, 0, this.n * 4);
    return { strings, shapes: Buffer.from(JSON.stringify(this.shapes), 'utf8'), doubles: Buffer.from(new Float64Array(this.doubles).buffer), tokens, facts: this.nFacts };
  }
}

/** The body's bytes, in the order they are written and digested: a table of section lengths, then the sections. */
export function bodyParts(e: EncodedFacts): Buffer[] {
  const sections = [...e.strings, e.shapes, e.doubles, e.tokens];
  const table = Buffer.alloc(4 * (4 + sections.length));
  table.writeUInt32LE(MAGIC, 0);
  table.writeUInt32LE(e.facts, 4);
  table.writeUInt32LE(e.strings.length, 8);
  table.writeUInt32LE(sections.length, 12);
  sections.forEach((s, i) => table.writeUInt32LE(s.length, 16 + 4 * i));
  const parts: Buffer[] = [table];
  if (table.length % 8) parts.push(Buffer.alloc(8 - (table.length % 8)));
  for (const s of sections) {
    parts.push(s);
    // every section starts 8-aligned (the tokens are read as an Int32Array, the doubles as a Float64Array)
    const pad = (8 - (s.length % 8)) % 8;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  return parts;
}

type ShapeFn = (d: FactDecoder) => object;

function shapeFunction(keys: string[]): ShapeFn {
  // An object literal per shape; a key that an object literal would treat specially goes the slow way.
  if (keys.some((k) => k === '__proto__')) {
    return (d) => {
      const o: Record<string, unknown> = {};
      for (const k of keys) Object.defineProperty(o, k, { value: d.value(), enumerable: true, writable: true, configurable: true });
      return o;
    };
  }
  return new Function('d', `return {${keys.map((k) => `${JSON.stringify(k)}: d.value()`).join(', ')}};`) as ShapeFn;
}

/**
 * Gives the next `n` bytes of a snapshot body, in order: a view of a body in memory, or (the snapshot
 * store) a fresh buffer read from the file, so that each section is its own allocation and is dropped once
 * decoded. Throws when the body ends before them.
 */
export type BodyReader = (n: number) => Buffer;

/** A BodyReader over a body held whole in memory. */
export function bodyReader(body: Buffer): BodyReader {
  let off = 0;
  return (n) => {
    if (off + n > body.length) throw new Error('快照分段越界');
    off += n;
    return body.subarray(off - n, off);
  };
}

const pad8 = (n: number) => (8 - (n % 8)) % 8;

/**
 * Reads what FactEncoder wrote. `body` is the snapshot after its header, whole or read part by part
 * (verified against the log before any fact is taken). The string sections are parsed as they are read and
 * not kept (neither their bytes nor their JSON text outlive the constructor); the doubles and the tokens
 * are kept until the last fact (reading the tokens in chunks dropped as decoded measured no lower RSS on M).
 */
export class FactDecoder {
  private readonly t: Int32Array;
  private i = 0;
  private readonly strings: string[] = [];
  private readonly doubles: Float64Array;
  private readonly shapes: ShapeFn[];
  private readonly shared: object[] = [];
  readonly facts: number;

  constructor(body: Buffer | BodyReader) {
    if (endianness() !== 'LE') throw new Error('read-model snapshot: a big-endian host');
    const read = typeof body === 'function' ? body : bodyReader(body);
    let head: Buffer;
    try {
      head = read(16);
    } catch {
      throw new Error('不是二进制读模型快照');
    }
    if (head.readUInt32LE(0) !== MAGIC) throw new Error('不是二进制读模型快照');
    this.facts = head.readUInt32LE(4);
    const nStrings = head.readUInt32LE(8);
    const nSections = head.readUInt32LE(12);
    if (nSections !== nStrings + 3) throw new Error('快照分段表损坏');
    let table: Buffer;
    try {
      table = read(4 * nSections);
    } catch {
      throw new Error('快照分段表损坏');
    }
    read(pad8(16 + 4 * nSections));
    const section = (i: number) => {
      const len = table.readUInt32LE(4 * i);
      const b = read(len);
      read(pad8(len));
      return b;
    };
    for (let i = 0; i < nStrings; i++) for (const s of JSON.parse(section(i).toString('utf8')) as string[]) this.strings.push(s);
    const shapes = JSON.parse(section(nStrings).toString('utf8')) as unknown;
    // a shape's keys become an object literal's source (shapeFunction): strings only, whatever the file says
    if (!Array.isArray(shapes) || !shapes.every((k) => Array.isArray(k) && k.every((x) => typeof x === 'string'))) throw new Error('快照对象形状表损坏');
    this.shapes = (shapes as string[][]).map(shapeFunction);
    this.doubles = aligned(section(nStrings + 1), Float64Array);
    this.t = aligned(section(nStrings + 2), Int32Array);
  }

  /** The next fact, or undefined at the end. */
  next(): object | undefined {
    if (this.i >= this.t.length) return undefined;
    return this.value() as object;
  }

  value(): unknown {
    const tok = this.t[this.i++];
    const p = tok >> 3;
    switch (tok & 7) {
      case T_STRING:
        return this.strings[p];
      case T_OBJECT:
        return this.shapes[p](this);
      case T_INT:
        return p;
      case T_DOUBLE:
        return this.doubles[p];
      case T_CONST:
        return CONSTS[p];
      case T_ARRAY: {
        const a = new Array(p);
        for (let k = 0; k < p; k++) a[k] = this.value();
        return a;
      }
      case T_REF:
        return this.shared[p];
      default: {
        const o = this.shapes[p](this);
        this.shared.push(o);
        return o;
      }
    }
  }
}

function aligned<T extends Int32Array | Float64Array>(b: Buffer, Kind: { new (buffer: ArrayBufferLike, offset: number, length: number): T; new (length: number): T; BYTES_PER_ELEMENT: number }): T {
  const n = b.length / Kind.BYTES_PER_ELEMENT;
  if (b.byteOffset % Kind.BYTES_PER_ELEMENT === 0) return new Kind(b.buffer, b.byteOffset, n);
  const copy = new Kind(n);
  new Uint8Array(copy.buffer).set(b);
  return copy;
}
