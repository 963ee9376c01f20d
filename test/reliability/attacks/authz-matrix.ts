import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { Role, ROLES } from '../../../apps/api/src/auth/tokens';
import { RawResponse, send } from '../support/http';
import { RouteInfo, rank } from '../support/routes';
import { Hints, schemaOf, validArb } from '../support/schema';

/** Who knocks: nobody, strangers, malformed headers, and each role. */
export interface Principal {
  name: string;
  header?: string;
  role?: Role;
}

export function principals(tokens: Record<Role, string>): Principal[] {
  const reader = tokens.reader;
  return [
    { name: 'no token' },
    { name: 'unknown token', header: `Bearer ${randomBytes(24).toString('base64url')}` },
    { name: 'empty bearer', header: 'Bearer' },
    { name: 'basic scheme', header: `Basic ${Buffer.from(`reader:${reader}`).toString('base64')}` },
    { name: 'token without scheme', header: reader },
    { name: 'token prefix', header: `Bearer ${reader.slice(0, -1)}` },
    { name: 'token extended', header: `Bearer ${reader}x` },
    { name: 'two tokens', header: `Bearer ${reader} ${tokens.admin}` },
    { name: 'case-changed token', header: `Bearer ${reader.toUpperCase()}` },
    ...ROLES.map((role) => ({ name: role, role, header: `Bearer ${tokens[role]}` })),
  ];
}

export interface MatrixCell {
  method: string;
  path: string;
  principal: string;
  status: number;
  expected: string;
  ok: boolean;
}

export interface MatrixResult {
  routes: number;
  cells: number;
  byStatus: Record<string, number>;
  violations: string[];
  table: MatrixCell[];
}

/** What the contract says this principal gets on this route (CONTRACT.md, decision 0002). */
export function expectedFor(route: RouteInfo, p: Principal): { test: (status: number, code?: string) => boolean; text: string } {
  const notDenied = (s: number) => s > 0 && s !== 401 && s !== 403 && s < 500;
  if (route.access.kind === 'public') return { test: notDenied, text: 'public: not 401/403/5xx' };
  if (!p.role) return { test: (s, code) => s === 401 && (code === undefined || code === 'UNAUTHENTICATED'), text: '401 UNAUTHENTICATED' };
  if (rank(p.role) < rank(route.access.role)) return { test: (s, code) => s === 403 && (code === undefined || code === 'FORBIDDEN'), text: `403 FORBIDDEN (needs ${route.access.role})` };
  return { test: notDenied, text: `allowed (needs ${route.access.role}): not 401/403/5xx` };
}

/** A concrete path for a route pattern: known values first, else a value the param's pattern accepts. */
export function concretePath(route: RouteInfo, hints: Hints, seed = 1): string {
  return route.path.replace(/(?:\/([^/:]*))?\/:([A-Za-z0-9_]+)/g, (_m, before: string | undefined, name: string) => {
    const p = route.params.find((x) => x.name === name);
    const re = p?.re;
    const fits = hints.known.filter((k) => (re ? re.test(k) : true) && !/^(constructor|toString|hasOwnProperty|valueOf|prototype)$/.test(k));
    // The segment before the parameter says what it names (regions/items/departments/events).
    const family = before ? hints.families?.[before] : undefined;
    const known = fits.find((k) => family?.test(k)) ?? fits[0];
    const prefix = before !== undefined ? `/${before}/` : '/';
    if (known) return prefix + encodeURIComponent(known);
    if (re) return prefix + encodeURIComponent(fc.sample(fc.stringMatching(re).filter((s) => re.test(s)), { numRuns: 1, seed })[0]);
    return `${prefix}X1`;
  });
}

export function sampleBody(route: RouteInfo, hints: Hints, seed = 1): unknown {
  if (!route.body) return {};
  return fc.sample(validArb(schemaOf(route.body), hints), { numRuns: 1, seed })[0];
}

export function sampleQuery(route: RouteInfo, hints: Hints, seed = 1): string {
  if (!route.query) return '';
  const q = fc.sample(validArb(schemaOf(route.query), hints), { numRuns: 1, seed })[0];
  const parts = Object.entries(q).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/**
 * Every route of the running router × every principal, over real HTTP. A denied request must not
 * append anything: `eventCount` is read before and after each one.
 */
export async function runAuthzMatrix(opts: {
  base: string;
  routes: RouteInfo[];
  tokens: Record<Role, string>;
  hints: Hints;
  eventCount: () => Promise<number>;
  /** Secrets that must never come back in a response. */
  secrets: string[];
}): Promise<MatrixResult> {
  const result: MatrixResult = { routes: 0, cells: 0, byStatus: {}, violations: [], table: [] };
  const who = principals(opts.tokens);
  for (const route of opts.routes) {
    if (route.method === 'ALL') continue;
    result.routes++;
    const methods = route.method === 'GET' ? ['GET', 'HEAD'] : [route.method];
    const path = concretePath(route, opts.hints) + sampleQuery(route, opts.hints);
    const body = route.method === 'GET' || route.method === 'HEAD' ? undefined : JSON.stringify(sampleBody(route, opts.hints));
    for (const method of methods) {
      for (const p of who) {
        const before = await opts.eventCount();
        const r: RawResponse = await send(opts.base, {
          method,
          path,
          headers: { ...(p.header !== undefined ? { Authorization: p.header } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
          body: method === 'HEAD' ? undefined : body,
        });
        const after = await opts.eventCount();
        let code: string | undefined;
        try {
          code = r.text ? JSON.parse(r.text).code : undefined;
        } catch {
          code = undefined;
        }
        const exp = expectedFor(route, p);
        let ok = exp.test(r.status, method === 'HEAD' ? undefined : code);
        const denied = r.status === 401 || r.status === 403;
        if (denied && after !== before) {
          ok = false;
          result.violations.push(`${method} ${path} as ${p.name}: denied with ${r.status} but ${after - before} event(s) were appended`);
        }
        for (const s of opts.secrets) if (r.text.includes(s)) result.violations.push(`${method} ${path} as ${p.name}: a token came back in the response`);
        if (!ok && !(denied && after !== before)) result.violations.push(`${method} ${route.path} (${route.handler}) as ${p.name}: got ${r.status}${code ? ` ${code}` : ''}${r.error ? ` (${r.error})` : ''}, expected ${exp.text}`);
        result.cells++;
        result.byStatus[r.status] = (result.byStatus[r.status] ?? 0) + 1;
        result.table.push({ method, path: route.path, principal: p.name, status: r.status, expected: exp.text, ok });
      }
    }
  }
  return result;
}
