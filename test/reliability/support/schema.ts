import fc from 'fast-check';
import { getMetadataStorage } from 'class-validator';
// class-transformer keeps @Type() targets here (the nested DTO of an array or object field).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: { findTypeMetadata(target: Function, property: string): { typeFunction: () => Function } | undefined };
};

/**
 * A DTO class read back from its class-validator / class-transformer decorators: what each field
 * must be. The hostile generator builds valid requests from it and then breaks them, so a field or
 * route added to a controller is attacked without anyone editing the harness.
 */
export interface FieldSchema {
  name: string;
  optional: boolean;
  kind: 'string' | 'date' | 'instant' | 'int' | 'bool' | 'enum' | 'object' | 'unknown';
  array: boolean;
  re?: RegExp;
  values?: unknown[];
  maxLength?: number;
  notEmpty?: boolean;
  min?: number;
  max?: number;
  minSize?: number;
  maxSize?: number;
  nested?: ObjectSchema;
  /** Custom validators the harness does not know how to satisfy (e.g. isRegionDepartmentMap). */
  custom?: string[];
}

export interface ObjectSchema {
  name: string;
  fields: FieldSchema[];
}

interface VMeta {
  type: string;
  name?: string;
  propertyName: string;
  constraints?: unknown[];
  each?: boolean;
}

const cache = new Map<Function, ObjectSchema>();

export function schemaOf(cls: Function, depth = 0): ObjectSchema {
  const hit = cache.get(cls);
  if (hit) return hit;
  const metas = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false) as unknown as VMeta[];
  const byProp = new Map<string, VMeta[]>();
  for (const m of metas) {
    const list = byProp.get(m.propertyName) ?? [];
    list.push(m);
    byProp.set(m.propertyName, list);
  }
  const schema: ObjectSchema = { name: cls.name, fields: [] };
  cache.set(cls, schema);
  for (const [name, ms] of byProp) {
    const f: FieldSchema = { name, optional: false, kind: 'unknown', array: false };
    const custom: string[] = [];
    for (const m of ms) {
      const c = m.constraints ?? [];
      switch (m.type === 'customValidation' ? m.name : m.type) {
        case 'conditionalValidation':
          f.optional = true;
          break;
        case 'nestedValidation': {
          const t = defaultMetadataStorage.findTypeMetadata(cls, name) ?? findTypeUp(cls, name);
          const target = t?.typeFunction();
          if (target && depth < 6) f.nested = schemaOf(target, depth + 1);
          f.kind = 'object';
          if (m.each) f.array = true;
          break;
        }
        case 'isString':
          if (f.kind === 'unknown') f.kind = 'string';
          if (m.each) f.array = true;
          break;
        case 'matches':
          f.re = c[0] instanceof RegExp ? c[0] : new RegExp(String(c[0]), (c[1] as string) ?? '');
          if (f.kind === 'unknown' || f.kind === 'string') f.kind = 'string';
          if (m.each) f.array = true;
          break;
        case 'isIn':
          f.kind = 'enum';
          f.values = c[0] as unknown[];
          if (m.each) f.array = true;
          break;
        case 'isInt':
          f.kind = 'int';
          break;
        case 'isBoolean':
          f.kind = 'bool';
          break;
        case 'min':
          f.min = c[0] as number;
          break;
        case 'max':
          f.max = c[0] as number;
          break;
        case 'maxLength':
          f.maxLength = c[0] as number;
          break;
        case 'isNotEmpty':
          f.notEmpty = true;
          break;
        case 'isArray':
          f.array = true;
          break;
        case 'arrayMinSize':
          f.minSize = c[0] as number;
          f.array = true;
          break;
        case 'arrayMaxSize':
          f.maxSize = c[0] as number;
          f.array = true;
          break;
        case 'isObject':
          if (f.kind === 'unknown') f.kind = 'object';
          break;
        case 'isCalendarDate':
          f.kind = 'date';
          break;
        case 'isInstant':
          f.kind = 'instant';
          break;
        case 'isDefined':
          break;
        default:
          if (m.name) custom.push(m.name);
      }
    }
    if (custom.length) f.custom = custom;
    schema.fields.push(f);
  }
  return schema;
}

function findTypeUp(cls: Function, name: string) {
  for (let p = Object.getPrototypeOf(cls); p && p !== Function.prototype; p = Object.getPrototypeOf(p)) {
    const t = defaultMetadataStorage.findTypeMetadata(p, name);
    if (t) return t;
  }
  return undefined;
}

// ---------------------------------------------------------------- valid values

export interface Hints {
  /** Values that exist in the seeded store, tried first for a field whose pattern they match. */
  known: string[];
  /** Path segment before a parameter (e.g. `items`) → what its known values look like. */
  families?: Record<string, RegExp>;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const DAY = 86_400_000;
export const dateArb = (from = 1995, to = 2035) =>
  fc.integer({ min: Date.UTC(from, 0, 1) / DAY, max: Date.UTC(to, 11, 31) / DAY }).map((d) => new Date(d * DAY).toISOString().slice(0, 10));
const instantArb = fc
  .tuple(dateArb(2000, 2030), fc.integer({ min: 0, max: 86_399 }), fc.constantFrom('Z', '+08:00', '-05:00'))
  .map(([d, s, z]) => `${d}T${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}${z}`);
const textUnits = [...'局厅委办科处司市县区政务服务监管执法审批备案登记许可处罚强制检查征收给付确认奖励裁决其他abcXYZ0123 -（）·'];
const textArb = (max: number) =>
  fc.string({ unit: fc.constantFrom(...textUnits), minLength: 1, maxLength: Math.max(1, Math.min(max, 24)) }).map((s) => (s.trim() ? s : `局${s}`).slice(0, max));

function scalarArb(f: FieldSchema, hints: Hints): fc.Arbitrary<unknown> {
  switch (f.kind) {
    case 'enum':
      return fc.constantFrom(...(f.values ?? [null]));
    case 'date':
      return dateArb();
    case 'instant':
      return instantArb;
    case 'int': {
      const min = f.min ?? -5;
      const max = f.max ?? min + 1000;
      return fc.integer({ min, max: Math.min(max, min + 100_000) });
    }
    case 'bool':
      return fc.boolean();
    case 'object':
      return f.nested ? validArb(f.nested, hints) : fc.constant({});
    case 'string': {
      if (f.re) {
        const re = f.re;
        const known = hints.known.filter((k) => re.test(k));
        const gen = fc.stringMatching(re).filter((s) => re.test(s) && (!f.maxLength || s.length <= f.maxLength));
        return known.length ? fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 4 }, { arbitrary: gen, weight: 1 }) : gen;
      }
      return textArb(f.maxLength ?? 40);
    }
    default:
      if (f.custom?.includes('isRegionDepartmentMap')) {
        const regions = hints.known.filter((k) => /^\d{6}$/.test(k));
        const ids = hints.known.filter((k) => /^[A-Za-z]/.test(k));
        return fc.dictionary(fc.constantFrom(...(regions.length ? regions : ['650202'])), fc.constantFrom(...(ids.length ? ids : ['D1'])), { maxKeys: 3 });
      }
      return fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant({}));
  }
}

function fieldArb(f: FieldSchema, hints: Hints): fc.Arbitrary<unknown> {
  if (!f.array) return scalarArb(f, hints);
  const maxLength = Math.min(f.maxSize ?? 4, 4);
  return fc.array(scalarArb(f, hints), { minLength: Math.min(f.minSize ?? 0, maxLength), maxLength });
}

/** A body (or query) the DTO accepts: every required field, some optional ones. */
export function validArb(schema: ObjectSchema, hints: Hints): fc.Arbitrary<Record<string, unknown>> {
  const parts: Record<string, fc.Arbitrary<unknown>> = {};
  const required: string[] = [];
  for (const f of schema.fields) {
    parts[f.name] = fieldArb(f, hints);
    if (!f.optional) required.push(f.name);
  }
  return fc.record(parts, { requiredKeys: required }) as fc.Arbitrary<Record<string, unknown>>;
}

// ---------------------------------------------------------------- hostile values

/** Strings that are odd in the ways real input is odd. */
export const ODD_STRINGS = [
  '６５０２００', // full-width digits
  '６５０２００１２３',
  'X\u200d1', // zero-width joiner
  '\u200b', // zero-width space only
  '\u200b局\u200b',
  '\ufeff650200', // byte-order mark
  '650200\u0000', // NUL
  '\u202e局政市', // right-to-left override
  'a\u0301\u0301\u0301', // combining marks
  '👨‍👩‍👧‍👦', // ZWJ emoji family
  '\ud800', // lone high surrogate
  '\udfff局', // lone low surrogate
  '局\ud83d', // truncated pair
  '\u2028\u2029', // JSON-legal line separators
  '\u3000\u3000', // ideographic spaces
  'ſ', // long s (uppercases to S)
  'İı', // dotted/dotless i
  '２０２０-０１-０１',
  '2020-01-01\n',
  ' 2020-01-01',
  '<script>alert(1)</script>',
  "'; DROP TABLE events; --",
  '${jndi:ldap://x}',
  '{{7*7}}',
  '../../etc/passwd',
  '%2e%2e%2f',
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
];

export const IMPOSSIBLE_DATES = [
  '2023-02-29',
  '2024-02-30',
  '2021-04-31',
  '2020-13-01',
  '2020-00-10',
  '2020-01-00',
  '2020-01-32',
  '0000-01-01',
  '1899-12-31',
  '2201-01-01',
  '9999-12-31',
  '+002020-01-01',
  '-002020-01-01',
  '2020-1-1',
  '20200101',
  '2020/01/01',
  '2020-01-01T00:00:00Z',
  '２０２０-０１-０１',
  '2020-01-01 ',
  '2020-02-29T25:00:00Z',
  '2020-06-31T00:00:00+08:00',
  '2020-01-01T00:00:00+25:00',
  '',
  'today',
];

/** JSON texts spliced in where a value goes: numbers JSON.parse accepts oddly, or refuses. */
const RAW_NUMBERS = ['1e999', '-1e999', '-0', '9007199254740993', '1.0', '1e-400', '0.1e1', '123456789012345678901234567890', '0x10', '01', 'NaN', 'Infinity', '.5', '+1'];

export type Mutation =
  | { kind: 'drop' | 'null' | 'emptyString'; pick: number }
  | { kind: 'wrongType'; pick: number; value: unknown }
  | { kind: 'hugeString'; pick: number; length: number; unit: string }
  | { kind: 'hugeArray'; pick: number; length: number; item: unknown }
  | { kind: 'deep'; pick: number; depth: number; shape: 'array' | 'object' }
  | { kind: 'odd'; pick: number; value: string; mode: 'replace' | 'append' | 'prepend' }
  | { kind: 'date'; pick: number; value: string }
  | { kind: 'protoKey'; pick: number; key: string; value: unknown }
  | { kind: 'extra'; pick: number; key: string; value: unknown }
  | { kind: 'rawNumber'; pick: number; text: string }
  | { kind: 'manyKeys'; pick: number; count: number };

const MUTATIONS: Array<fc.Arbitrary<Mutation>> = [
  fc.record({ kind: fc.constantFrom('drop' as const, 'null' as const, 'emptyString' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('wrongType' as const),
    pick: fc.nat(),
    value: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }), fc.string({ maxLength: 10 })),
  }),
  fc.record({ kind: fc.constant('hugeString' as const), pick: fc.nat(), length: fc.integer({ min: 5_000, max: 300_000 }), unit: fc.constantFrom('x', '局', '\u200d', '６', '\\', '"', '😀') }),
  fc.record({ kind: fc.constant('hugeArray' as const), pick: fc.nat(), length: fc.integer({ min: 1_000, max: 100_000 }), item: fc.constantFrom<unknown>(0, 'a', '650200', {}, [], null) }),
  fc.record({ kind: fc.constant('deep' as const), pick: fc.nat(), depth: fc.oneof(fc.integer({ min: 20, max: 200 }), fc.integer({ min: 1_000, max: 120_000 })), shape: fc.constantFrom('array' as const, 'object' as const) }),
  fc.record({ kind: fc.constant('odd' as const), pick: fc.nat(), value: fc.constantFrom(...ODD_STRINGS), mode: fc.constantFrom('replace' as const, 'append' as const, 'prepend' as const) }),
  fc.record({ kind: fc.constant('date' as const), pick: fc.nat(), value: fc.constantFrom(...IMPOSSIBLE_DATES) }),
  fc.record({
    kind: fc.constant('protoKey' as const),
    pick: fc.nat(),
    key: fc.constantFrom('__proto__', 'constructor', 'prototype'),
    value: fc.constantFrom<unknown>({ isAdmin: true }, { polluted: 1 }, { prototype: { polluted: 1 } }, 1, null, 'x', []),
  }),
  fc.record({ kind: fc.constant('extra' as const), pick: fc.nat(), key: fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('isAdmin', 'role', 'actor', 'recordedAt', 'eventIds', 'position', 'toString', 'hasOwnProperty', 'valueOf', '')), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ kind: fc.constant('rawNumber' as const), pick: fc.nat(), text: fc.constantFrom(...RAW_NUMBERS) }),
  fc.record({ kind: fc.constant('manyKeys' as const), pick: fc.nat(), count: fc.integer({ min: 100, max: 40_000 }) }),
];

/** Size mutations (huge strings/arrays, deep nesting, many keys) are rarer: each costs up to a megabyte. */
const SIZE_KINDS = ['hugeString', 'hugeArray', 'deep', 'manyKeys'];
const kindOf = (a: fc.Arbitrary<Mutation>) => fc.sample(a, { numRuns: 1, seed: 0 })[0].kind;
export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  ...MUTATIONS.map((arbitrary) => ({ arbitrary, weight: SIZE_KINDS.includes(kindOf(arbitrary)) ? 1 : 5 })),
);

/** What a mutated request body turned out to be, with what the server must say about it. */
export interface HostileBody {
  text: string;
  mutations: string[];
  /** Has a `__proto__`/`constructor`/`prototype` key somewhere. */
  protoKey: boolean;
  /** Nesting depth of the JSON text. */
  depth: number;
  /** Holds a lone surrogate somewhere. */
  loneSurrogate: boolean;
  /** JSON.parse refuses it. */
  invalidJson: boolean;
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * A copy of a generated value: fast-check hands out the same object for every constantFrom draw,
 * and later mutations write into what they insert.
 */
const fresh = (v: unknown): Json => (v === undefined ? null : (JSON.parse(JSON.stringify(v)) as Json));

/** Every container and every slot in a JSON tree, so a mutation can pick one at random. */
function slots(root: Json): Array<{ parent: Json[] | { [k: string]: Json }; key: string | number }> {
  const out: Array<{ parent: Json[] | { [k: string]: Json }; key: string | number }> = [];
  const stack: Json[] = [root];
  while (stack.length) {
    const v = stack.pop()!;
    if (Array.isArray(v)) v.forEach((x, i) => (out.push({ parent: v, key: i }), stack.push(x)));
    else if (v && typeof v === 'object') for (const k of Object.keys(v)) out.push({ parent: v, key: k }), stack.push(v[k]);
  }
  return out;
}

function containers(root: Json): Array<{ [k: string]: Json }> {
  const out: Array<{ [k: string]: Json }> = [];
  const stack: Json[] = [root];
  while (stack.length) {
    const v = stack.pop()!;
    if (Array.isArray(v)) stack.push(...v);
    else if (v && typeof v === 'object') {
      out.push(v);
      stack.push(...Object.values(v));
    }
  }
  return out;
}

/**
 * Applies mutations to a valid body and writes it as JSON text. Values that cannot be written
 * with JSON.stringify (100k-deep nesting, `__proto__` keys, 1e999) are spliced in as raw text
 * behind placeholders.
 */
export function mutate(valid: Record<string, unknown>, mutations: Mutation[]): HostileBody {
  const root = JSON.parse(JSON.stringify(valid)) as { [k: string]: Json };
  const raw = new Map<string, string>();
  const nonce = Math.random().toString(36).slice(2);
  const placeholder = (text: string) => {
    const key = `@@raw${raw.size}_${nonce}@@`;
    raw.set(key, text);
    return key;
  };
  const names: string[] = [];
  let protoKey = false;
  let depth = 0;
  let lone = false;
  // At most one size mutation, applied last: two of them would multiply (a huge string in each of 100k slots).
  const SIZE = new Set(['hugeString', 'hugeArray', 'deep', 'manyKeys']);
  const sized = mutations.filter((m) => SIZE.has(m.kind)).slice(0, 1);
  const ordered = [...mutations.filter((m) => !SIZE.has(m.kind)), ...sized];
  for (const m of ordered) {
    const all = slots(root);
    const slot = all.length ? all[m.pick % all.length] : undefined;
    const set = (v: Json) => {
      if (slot) (slot.parent as Record<string | number, Json>)[slot.key] = v;
      else root[`f${m.pick % 7}`] = v;
    };
    names.push(`${m.kind}@${slot ? String(slot.key) : '-'}`);
    switch (m.kind) {
      case 'drop':
        if (slot && Array.isArray(slot.parent)) slot.parent.splice(Number(slot.key), 1);
        else if (slot) delete (slot.parent as Record<string, Json>)[slot.key as string];
        break;
      case 'null':
        set(null);
        break;
      case 'emptyString':
        set('');
        break;
      case 'wrongType':
        set(fresh(m.value));
        break;
      case 'hugeString':
        set(m.unit.repeat(Math.ceil(m.length / m.unit.length)));
        break;
      case 'hugeArray':
        set(Array.from({ length: m.length }, () => fresh(m.item)));
        break;
      case 'deep': {
        const [open, close] = m.shape === 'array' ? ['[', ']'] : ['{"a":', '}'];
        set(placeholder(open.repeat(m.depth) + '1' + close.repeat(m.depth)));
        depth = Math.max(depth, m.depth);
        break;
      }
      case 'odd': {
        const cur = slot ? (slot.parent as Record<string | number, Json>)[slot.key] : undefined;
        const base = typeof cur === 'string' ? cur : '';
        set(m.mode === 'replace' ? m.value : m.mode === 'append' ? base + m.value : m.value + base);
        if (/[\ud800-\udfff]/.test(m.value) && !/[\ud800-\udbff][\udc00-\udfff]/.test(m.value)) lone = true;
        break;
      }
      case 'date':
        set(m.value);
        break;
      case 'protoKey': {
        const objs = containers(root);
        const target = objs[m.pick % objs.length] ?? root;
        target[placeholder(`"${m.key}"`) + '#key'] = fresh(m.value);
        protoKey = true;
        break;
      }
      case 'extra': {
        const objs = containers(root);
        (objs[m.pick % objs.length] ?? root)[m.key] = fresh(m.value);
        break;
      }
      case 'rawNumber':
        set(placeholder(m.text));
        break;
      case 'manyKeys': {
        const o: Record<string, Json> = {};
        for (let i = 0; i < m.count; i++) o[`k${i}`] = i;
        set(o);
        break;
      }
    }
  }
  let text = JSON.stringify(root);
  for (const [key, value] of raw) {
    text = text.split(`"${key}#key"`).join(value).split(`"${key}"`).join(value);
  }
  // What the final text holds, whatever later mutations did to the earlier ones.
  const structuralDepth = jsonDepth(text);
  let invalidJson = false;
  protoKey = false;
  lone = false;
  try {
    if (structuralDepth <= 1000) {
      JSON.parse(text, function (this: unknown, key: string, value: unknown) {
        if (FORBIDDEN.has(key)) protoKey = true;
        if (LONE.test(key) || (typeof value === 'string' && LONE.test(value))) lone = true;
        return value;
      });
    } else JSON.parse(text);
  } catch {
    invalidJson = true;
  }
  return { text, mutations: names, protoKey, depth: Math.max(depth, structuralDepth), loneSurrogate: lone, invalidJson };
}

/** Nesting depth of a JSON text, counted without parsing (strings skipped). */
export function jsonDepth(text: string): number {
  let d = 0;
  let max = 0;
  let inStr = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inStr) {
      if (c === 92) i++;
      else if (c === 34) inStr = false;
    } else if (c === 34) inStr = true;
    else if (c === 91 || c === 123) max = Math.max(max, ++d);
    else if (c === 93 || c === 125) d--;
  }
  return max;
}
