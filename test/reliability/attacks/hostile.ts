import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { deflateSync, gzipSync } from 'node:zlib';
import { Role } from '../../../apps/api/src/auth/tokens';
import { RawRequest, RawResponse, pool, send } from '../support/http';
import { RouteInfo } from '../support/routes';
import { HostileBody, Hints, IMPOSSIBLE_DATES, Mutation, mutate, mutationArb, schemaOf, validArb } from '../support/schema';
import { StoreReader } from '../support/store-reader';
import { concretePath } from './authz-matrix';

/** The body size the server accepts (server.ts: json limit 1mb). */
export const BODY_LIMIT = 1024 * 1024;
/** Deeper JSON than this is refused with 400 (apps/api/src/http/json-guard.ts). */
export const JSON_DEPTH_LIMIT = 32;

/** Parameter values that try to step out of their segment or confuse a lookup. */
export const PATH_TRICKS = [
  '..',
  '.',
  '%2e%2e',
  '%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
  '..%2f..%2f..%2fpackage.json',
  '%2F',
  'a%2Fb',
  '%5C..%5C',
  '%00',
  'X1%00',
  '%',
  '%zz',
  '%E0%A4%A',
  '%ED%A0%80',
  '%C0%AE%C0%AE',
  '%252e%252e',
  '%EF%BC%96%EF%BC%95%EF%BC%90%EF%BC%92%EF%BC%90%EF%BC%90',
  'X%E2%80%8D1',
  '%F0%9F%98%80',
  'X1;jsessionid=1',
  'X1%20',
  '%20X1',
  '~',
  'constructor',
  'toString',
  '__proto__',
  'hasOwnProperty',
  'A'.repeat(65),
  'A'.repeat(5000),
  '9'.repeat(12),
  '650200%0d%0aSet-Cookie:%20x=1',
];

/** Whole bodies that are not a JSON object. */
const RAW_BODIES = ['', ' ', 'null', 'true', '1', '"x"', '[]', '[{}]', '{', '{"a":', '{"a":1,}', "{'a':1}", '\ufeff{}', '{"a":"\\ud800"}', '{"a":1}{"b":2}', '\u0000', '{"a":"\u0000"}'];

const CONTENT_TYPES: Array<[number, string | undefined]> = [
  [60, 'application/json'],
  [6, 'application/json; charset=utf-8'],
  [2, 'APPLICATION/JSON'],
  [2, 'application/json; charset=latin1'],
  [2, 'application/json; charset=utf-16'],
  [1, 'application/json; charset=bogus'],
  [3, 'text/plain'],
  [3, 'application/x-www-form-urlencoded'],
  [3, 'multipart/form-data; boundary=----x'],
  [2, 'application/vnd.api+json'],
  [2, 'application/xml'],
  [4, undefined],
];

const ENCODINGS: Array<[number, string]> = [
  [85, 'none'],
  [3, 'gzip'],
  [3, 'deflate'],
  [2, 'gzip-garbage'],
  [2, 'br'],
  [1, 'compress'],
  [2, 'identity'],
  [2, 'deflate-bomb'],
];

const weighted = <T>(xs: Array<[number, T]>) => fc.oneof(...xs.map(([weight, v]) => ({ weight, arbitrary: fc.constant(v) })));

type AuthKind = 'admin' | 'editor' | 'reviewer' | 'reader' | 'none' | 'garbage' | 'huge';

interface Spec {
  route: number;
  auth: AuthKind;
  methodSwap: string | null;
  paramTrick: Array<string | null>;
  bodyMode: 'mutated' | 'valid' | 'raw' | 'oversize' | 'none' | 'multipart';
  body: Record<string, unknown>;
  mutations: Mutation[];
  raw: string;
  oversize: number;
  contentType: string | undefined;
  encoding: string;
  chunked: boolean;
  query: Record<string, unknown>;
  queryMutations: Mutation[];
  queryTrick: string | null;
  idempotency: 'none' | 'unique' | 'shared' | 'long';
}

export interface HostileOptions {
  base: string;
  dataDir: string;
  routes: RouteInfo[];
  tokens: Record<Role, string>;
  hints: Hints;
  count: number;
  concurrency: number;
  seed: number;
  /** Sampled every `rssEvery` requests. */
  rss?: () => number | undefined;
  rssEvery?: number;
  /** Upper bound for the server's RSS during the run. */
  rssLimit?: number;
  slowMs?: number;
  onProgress?: (done: number) => void;
  /** Called with each violation as it is found (the torture prints them at once). */
  onViolation?: (v: string) => void;
}

export interface HostileResult {
  requests: number;
  byStatus: Record<string, number>;
  fiveXX: number;
  violations: string[];
  accepted: number;
  eventsAppended: number;
  rssStart?: number;
  rssMax?: number;
  rssEnd?: number;
  maxMs: number;
  byRoute: Record<string, number>;
  seed: number;
}

function specArb(routes: RouteInfo[], hints: Hints): (i: number) => fc.Arbitrary<Spec> {
  const bodyArbs = routes.map((r) => (r.body ? validArb(schemaOf(r.body), hints) : fc.constant({})));
  const queryArbs = routes.map((r) => (r.query ? validArb(schemaOf(r.query), hints) : fc.constant({})));
  return (i: number) => {
    const route = i % routes.length;
    const r = routes[route];
    const isGet = r.method === 'GET';
    return fc.record({
      route: fc.constant(route),
      auth: weighted<AuthKind>([
        [70, 'admin'],
        [8, 'editor'],
        [4, 'reviewer'],
        [4, 'reader'],
        [6, 'none'],
        [6, 'garbage'],
        [2, 'huge'],
      ]),
      methodSwap: weighted<string | null>([
        [92, null],
        [2, 'PUT'],
        [2, 'DELETE'],
        [1, 'PATCH'],
        [1, 'OPTIONS'],
        [2, isGet ? 'POST' : 'GET'],
      ]),
      paramTrick: fc.array(weighted<string | null>([[75, null], [25, '']]).chain((x) => (x === null ? fc.constant(null) : fc.constantFrom(...PATH_TRICKS))), {
        minLength: r.params.length,
        maxLength: r.params.length,
      }),
      bodyMode: isGet
        ? weighted<Spec['bodyMode']>([
            [85, 'none'],
            [10, 'mutated'],
            [5, 'raw'],
          ])
        : weighted<Spec['bodyMode']>([
            [66, 'mutated'],
            [12, 'valid'],
            [10, 'raw'],
            [3, 'oversize'],
            [2, 'none'],
            [r.multipart ? 7 : 1, 'multipart'],
          ]),
      body: bodyArbs[route],
      mutations: fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
      raw: fc.oneof(fc.constantFrom(...RAW_BODIES), fc.string({ maxLength: 40 }), fc.json({ maxDepth: 3 })),
      oversize: fc.integer({ min: BODY_LIMIT + 1, max: BODY_LIMIT * 2 }),
      contentType: weighted(CONTENT_TYPES),
      encoding: weighted(ENCODINGS),
      chunked: fc.boolean(),
      query: queryArbs[route],
      queryMutations: fc.array(mutationArb.filter((m) => !['deep', 'hugeArray', 'manyKeys', 'hugeString'].includes(m.kind)), { maxLength: 2 }),
      queryTrick: weighted<string | null>([[80, null], [20, '']]).chain((x) =>
        x === null
          ? fc.constant(null)
          : fc.constantFrom(
              '__proto__=1',
              'constructor=x',
              'a[b]=1',
              'region=650200&region=650202',
              'at=2020-01-01&at=2020-01-02',
              `at=${encodeURIComponent(IMPOSSIBLE_DATES[0])}`,
              'region=%E0%A4%A',
              'region=%',
              'item=%ED%A0%80',
              `q=${'x'.repeat(5000)}`,
              Array.from({ length: 2000 }, (_, k) => `k${k}=1`).join('&'),
              'limit=1e9',
              'limit=-1',
              'offset=99999999999999999999',
              'format=html',
              `asKnownAt=${encodeURIComponent('2020-01-01T00:00:00+14:00')}`,
            ),
      ),
      idempotency: weighted<Spec['idempotency']>([
        [70, 'unique'],
        [15, 'none'],
        [10, 'shared'],
        [5, 'long'],
      ]),
    });
  };
}

/** Percent-encodes the way a client would, but keeps lone surrogates (as their WTF-8 bytes) instead of throwing. */
export function pct(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const bytes = cp >= 0xd800 && cp <= 0xdfff ? [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)] : [...Buffer.from(ch, 'utf8')];
    if (bytes.length === 1 && /[A-Za-z0-9\-_.~]/.test(ch)) out += ch;
    else out += bytes.map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return out;
}

let bomb: Buffer | undefined;
/** 40 MB of spaces in a JSON string, deflated to ~40 KB: the body limit must apply to the inflated size. */
const deflateBomb = () => (bomb ??= deflateSync(Buffer.concat([Buffer.from('{"reason":"'), Buffer.alloc(40 * 1024 * 1024, 0x20), Buffer.from('"}')])));

function encodeQuery(q: Record<string, unknown>): string {
  return Object.entries(q)
    .map(([k, v]) => {
      const vals = Array.isArray(v) ? v : [v];
      return vals.map((x) => `${pct(k)}=${pct(typeof x === 'string' ? x : JSON.stringify(x) ?? '')}`).join('&');
    })
    .join('&');
}

interface Built {
  req: RawRequest;
  tag: string;
  describe: string;
  body?: HostileBody;
  expect413: boolean;
  expect400: string | undefined;
  /** The request can legitimately end without an HTTP answer (the server drops an oversized upload). */
  mayDrop: boolean;
}

function build(spec: Spec, routes: RouteInfo[], opts: HostileOptions, n: number): Built {
  const r = routes[spec.route];
  const tag = `hostile-${opts.seed}-${n}`;
  let tricks = 0;
  let path = concretePath(r, opts.hints, n);
  if (r.params.length) {
    // Replace the parameter values chosen for a trick.
    const segs = r.path.split('/');
    const real = path.split('/');
    let k = 0;
    segs.forEach((s, idx) => {
      if (s.startsWith(':')) {
        const t = spec.paramTrick[k++];
        if (t !== null && t !== undefined) {
          real[idx] = t;
          tricks++;
        }
      }
    });
    path = real.join('/');
  }
  let queryStr = '';
  if (r.query) {
    let q: unknown = spec.query;
    if (spec.queryMutations.length) {
      try {
        q = JSON.parse(mutate(spec.query, spec.queryMutations).text);
      } catch {
        q = spec.query; // a raw splice (1e999, a __proto__ key) has no query-string form: queryTrick covers those
      }
    }
    queryStr = encodeQuery(q && typeof q === 'object' && !Array.isArray(q) ? (q as Record<string, unknown>) : {});
  }
  if (spec.queryTrick) queryStr = queryStr ? `${queryStr}&${spec.queryTrick}` : spec.queryTrick;
  const method = spec.methodSwap ?? r.method;
  const headers: Record<string, string> = { 'X-Correlation-Id': tag };
  const token = (role: Role) => `Bearer ${opts.tokens[role]}`;
  if (spec.auth === 'garbage') headers.Authorization = `Bearer ${randomUUID()}`;
  else if (spec.auth === 'huge') headers.Authorization = `Bearer ${'A'.repeat(12_000)}`;
  else if (spec.auth !== 'none') headers.Authorization = token(spec.auth);
  if (spec.idempotency === 'unique') headers['Idempotency-Key'] = tag;
  else if (spec.idempotency === 'shared') headers['Idempotency-Key'] = `shared-${opts.seed}`;
  else if (spec.idempotency === 'long') headers['Idempotency-Key'] = 'k'.repeat(200);

  let payload: Buffer | undefined;
  let body: HostileBody | undefined;
  let jsonBody = false;
  switch (spec.bodyMode) {
    case 'valid':
      payload = Buffer.from(JSON.stringify(spec.body));
      jsonBody = true;
      break;
    case 'mutated':
      body = mutate(spec.body, spec.mutations);
      payload = Buffer.from(body.text);
      jsonBody = true;
      break;
    case 'raw':
      payload = Buffer.from(spec.raw);
      break;
    case 'oversize': {
      const filler = 'x'.repeat(spec.oversize);
      payload = Buffer.from(JSON.stringify({ ...spec.body, reason: filler }));
      jsonBody = true;
      break;
    }
    case 'multipart': {
      const b = '----x';
      const fields = Object.entries(spec.body).map(([k, v]) => `--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${typeof v === 'string' ? v : JSON.stringify(v)}\r\n`);
      const file = `--${b}\r\nContent-Disposition: form-data; name="files"; filename="../../list.csv"\r\nContent-Type: text/csv\r\n\r\n事项编码,事项名称\r\nX1,测试\r\n`;
      payload = Buffer.from(fields.join('') + file + `--${b}--\r\n`);
      headers['Content-Type'] = `multipart/form-data; boundary=${b}`;
      break;
    }
    case 'none':
      payload = undefined;
  }
  if (payload !== undefined && spec.bodyMode !== 'multipart' && spec.contentType !== undefined) headers['Content-Type'] = spec.contentType;
  let encoding = 'none';
  if (payload !== undefined && spec.bodyMode !== 'multipart') {
    encoding = spec.encoding;
    switch (spec.encoding) {
      case 'gzip':
        payload = gzipSync(payload);
        headers['Content-Encoding'] = 'gzip';
        break;
      case 'deflate':
        payload = deflateSync(payload);
        headers['Content-Encoding'] = 'deflate';
        break;
      case 'gzip-garbage':
        headers['Content-Encoding'] = 'gzip';
        break;
      case 'br':
        headers['Content-Encoding'] = 'br';
        break;
      case 'compress':
        headers['Content-Encoding'] = 'compress';
        break;
      case 'identity':
        headers['Content-Encoding'] = 'identity';
        break;
      case 'deflate-bomb':
        payload = deflateBomb();
        headers['Content-Encoding'] = 'deflate';
        break;
    }
  }
  if (payload !== undefined && spec.chunked && method !== 'GET') headers['Transfer-Encoding'] = 'chunked';

  // Node refuses a request line + headers over 16 KB with 431 before any body is read.
  const headerBytes = path.length + queryStr.length + Object.entries(headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
  const headersTooLarge = headerBytes > 15_000;
  const ct = (headers['Content-Type'] ?? '').toLowerCase();
  const isJsonCt = /^application\/json\s*(;\s*charset=utf-8)?$/.test(ct);
  const plainEncoding = encoding === 'none' || encoding === 'identity' || encoding === 'gzip' || encoding === 'deflate';
  const bodyReachesParser = !headersTooLarge && payload !== undefined && isJsonCt && plainEncoding && method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
  const inflatedSize = spec.bodyMode === 'oversize' ? spec.oversize : body ? Buffer.byteLength(body.text) : 0;
  // An over-long Idempotency-Key is refused (400 BAD_HEADER) before routing, before any body is read (#22 item 11).
  const badHeader = spec.idempotency === 'long' && !headersTooLarge && path.startsWith('/api');
  const expect413 = !badHeader && ((bodyReachesParser && inflatedSize > BODY_LIMIT + 64) || (!headersTooLarge && encoding === 'deflate-bomb' && isJsonCt && method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS'));
  let expect400: string | undefined = badHeader ? 'an Idempotency-Key over 128 characters (BAD_HEADER)' : undefined;
  if (!badHeader && bodyReachesParser && !expect413 && body && !body.invalidJson) {
    if (body.depth > JSON_DEPTH_LIMIT) expect400 = `JSON nested ${body.depth} deep`;
    else if (body.protoKey) expect400 = 'a __proto__/constructor/prototype key';
    else if (body.loneSurrogate) expect400 = 'a lone surrogate';
  }
  const describe = `${method} ${path.length > 200 ? path.slice(0, 200) + '…' : path}${queryStr ? '?' + (queryStr.length > 120 ? queryStr.slice(0, 120) + '…' : queryStr) : ''} [auth=${spec.auth} body=${spec.bodyMode}${body ? `(${body.mutations.join(',')})` : ''} ct=${headers['Content-Type'] ?? '-'} enc=${encoding}${spec.chunked ? ' chunked' : ''} tricks=${tricks}]`;
  return {
    req: { method, path: queryStr ? `${path}?${queryStr}` : path, headers, body: payload, timeoutMs: opts.slowMs ?? 20_000 },
    tag,
    describe,
    body,
    expect413,
    expect400,
    mayDrop: expect413 || spec.bodyMode === 'oversize' || headersTooLarge || encoding === 'deflate-bomb',
  };
}

/**
 * Generated and mutated requests against every route of the running router, fired concurrently at
 * a real server. The rules: never a 5xx, always an answer, 413 above the body limit, 400 for the
 * shapes the JSON guard refuses, no token in a response, memory bounded, and nothing appended by a
 * request that was refused.
 */
export async function runHostile(opts: HostileOptions): Promise<HostileResult> {
  const routes = opts.routes.filter((r) => r.method !== 'ALL');
  const arbFor = specArb(routes, opts.hints);
  const reader = new StoreReader(opts.dataDir);
  const startHead = reader.head().position;
  reader.close();
  const result: HostileResult = { requests: 0, byStatus: {}, fiveXX: 0, violations: [], accepted: 0, eventsAppended: 0, maxMs: 0, byRoute: {}, seed: opts.seed };
  const accepted = new Map<string, string[]>();
  const rejectedTags = new Set<string>();
  const secrets = Object.values(opts.tokens);
  const violate = (s: string) => {
    if (result.violations.length < 200) result.violations.push(s);
    opts.onViolation?.(s);
  };
  const rssEvery = opts.rssEvery ?? 200;
  const rssLimit = opts.rssLimit ?? 768 * 1024 * 1024;
  result.rssStart = opts.rss?.();
  result.rssMax = result.rssStart;

  await pool(
    Array.from({ length: opts.count }, (_, i) => i),
    opts.concurrency,
    async (i) => {
      const spec = fc.sample(arbFor(i), { numRuns: 1, seed: opts.seed + i })[0];
      const b = build(spec, routes, opts, i);
      const r: RawResponse = await send(opts.base, b.req);
      result.requests++;
      result.byStatus[r.status] = (result.byStatus[r.status] ?? 0) + 1;
      const key = `${routes[spec.route].method} ${routes[spec.route].path}`;
      result.byRoute[key] = (result.byRoute[key] ?? 0) + 1;
      result.maxMs = Math.max(result.maxMs, r.ms);
      const repro = `seed ${opts.seed + i}: ${b.describe}`;
      if (r.status >= 500) {
        result.fiveXX++;
        violate(`5xx (${r.status}) ${repro} → ${r.text.slice(0, 200)}`);
      } else if (r.status <= 0 && !(b.mayDrop && /ECONNRESET|EPIPE|socket hang up/i.test(r.error ?? ''))) {
        violate(`no answer (${r.error}) ${repro}`);
      } else if (b.expect413 && r.status !== 413 && r.status > 0) {
        violate(`expected 413 for a body over the limit, got ${r.status} ${repro}`);
      } else if (b.expect400 && r.status !== 400) {
        violate(`expected 400 for ${b.expect400}, got ${r.status} ${repro} → ${r.text.slice(0, 160)}`);
      }
      if (r.ms > (opts.slowMs ?? 20_000) * 0.75) violate(`slow answer (${r.ms} ms) ${repro}`);
      for (const s of secrets) if (r.text.includes(s)) violate(`a token came back in the response ${repro}`);
      if (r.status >= 200 && r.status < 300 && b.req.method === 'POST') {
        let ids: unknown;
        try {
          ids = JSON.parse(r.text).eventIds;
        } catch {
          ids = undefined;
        }
        if (Array.isArray(ids)) {
          accepted.set(b.tag, ids as string[]);
          result.accepted++;
        }
      } else rejectedTags.add(b.tag);
      if (opts.rss && result.requests % rssEvery === 0) {
        const rss = opts.rss();
        if (rss !== undefined) {
          result.rssMax = Math.max(result.rssMax ?? 0, rss);
          if (rss > rssLimit) violate(`server RSS ${(rss / 1048576).toFixed(0)} MB above the ${(rssLimit / 1048576).toFixed(0)} MB bound after ${result.requests} requests`);
        }
      }
      opts.onProgress?.(result.requests);
    },
  );
  result.rssEnd = opts.rss?.();

  // Nothing appended by a refused request; everything appended belongs to an accepted one.
  const after = new StoreReader(opts.dataDir);
  try {
    const appended = after.events(startHead);
    result.eventsAppended = appended.length;
    const acceptedIds = new Set([...accepted.values()].flat());
    const stored = new Set(after.events(0).map((e) => e.id));
    for (const e of appended) {
      const tag = e.metadata?.correlationId as string | undefined;
      if (tag && rejectedTags.has(tag)) violate(`event ${e.id} (${e.type}) was appended by request ${tag}, which was refused`);
      else if (!acceptedIds.has(e.id) && tag?.startsWith(`hostile-${opts.seed}-`)) violate(`event ${e.id} (${e.type}) of ${tag} is stored but no response announced it`);
    }
    for (const [tag, ids] of accepted) {
      for (const id of ids) if (!stored.has(id)) violate(`${tag} was told event ${id} was recorded, but it is not in the log`);
    }
    const v = after.verify();
    if (!v.ok) violate(`integrity check failed after the hostile run: ${JSON.stringify(v.firstProblem)}`);
  } finally {
    after.close();
  }
  return result;
}

/** Fixed probes outside the routes: static file traversal, unknown paths, odd methods and headers. */
export async function runFixedProbes(base: string, tokens: Record<Role, string>): Promise<{ requests: number; violations: string[] }> {
  const violations: string[] = [];
  const leaks = [/"name":\s*"quanze"/, /root:x:0:0/, new RegExp(tokens.admin), /BEGIN (RSA|OPENSSH) PRIVATE KEY/, /"token":\s*"/];
  const probes: RawRequest[] = [
    ...['/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/../../package.json', '/..%5c..%5cpackage.json', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/....//....//etc/passwd', '/.env', '/tokens.json', '/data/tokens.json', '/%2e/tokens.json', '/index.html%00.json', '/apps/web/../../package.json', '//etc/passwd', '/%c0%ae%c0%ae/%c0%ae%c0%ae/package.json'].map(
      (path) => ({ method: 'GET', path }),
    ),
    { method: 'GET', path: '/api' },
    { method: 'GET', path: '/api/' },
    { method: 'GET', path: '/api/nope', headers: { Authorization: `Bearer ${tokens.reader}` } },
    { method: 'GET', path: '//api//health' },
    { method: 'GET', path: '/API/HEALTH' },
    { method: 'GET', path: '/api/health/' },
    { method: 'TRACE', path: '/api/health' },
    { method: 'OPTIONS', path: '/api/regions', headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' } },
    { method: 'DELETE', path: '/api/regions/650200', headers: { Authorization: `Bearer ${tokens.admin}` } },
    { method: 'GET', path: '/api/health', headers: { 'X-Big': 'x'.repeat(20_000) } },
    { method: 'GET', path: '/api/session', headers: { Authorization: `Bearer ${tokens.reader}`, 'X-HTTP-Method-Override': 'DELETE' } },
    { method: 'GET', path: `/api/regions?${'a'.repeat(15_000)}=1`, headers: { Authorization: `Bearer ${tokens.reader}` } },
  ];
  for (const p of probes) {
    const r = await send(base, { ...p, timeoutMs: 10_000 });
    if (r.status >= 500) violations.push(`5xx (${r.status}) for ${p.method} ${p.path.slice(0, 80)}`);
    if (r.status === 0 && !/ECONNRESET|socket hang up|EPIPE/.test(r.error ?? '')) violations.push(`no answer (${r.error}) for ${p.method} ${p.path.slice(0, 80)}`);
    for (const re of leaks) if (re.test(r.text)) violations.push(`${p.method} ${p.path.slice(0, 80)} returned something it must not (${re})`);
  }
  return { requests: probes.length, violations };
}

