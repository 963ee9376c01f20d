import type { NestExpressApplication } from '@nestjs/platform-express';
import { Role, ROLES } from '../../../apps/api/src/auth/tokens';
import { PUBLIC_KEY, ROLE_KEY } from '../../../apps/api/src/auth/auth.guard';

/** Nest's metadata keys (@nestjs/common/constants) and RouteParamtypes values, spelled out. */
const ROUTE_ARGS_METADATA = '__routeArguments__';
const PARAMTYPES_METADATA = 'design:paramtypes';
const INTERCEPTORS_METADATA = '__interceptors__';
const PARAM_TYPE = { BODY: 3, QUERY: 4, PARAM: 5, FILE: 8, FILES: 9 } as const;

export type Access = { kind: 'public' } | { kind: 'role'; role: Role };

export interface RouteParam {
  name: string;
  /** The pattern its pipe enforces, when the pipe exposes one (shared/params.ts ParamPipe). */
  re?: RegExp;
}

export interface RouteInfo {
  method: string;
  /** Express pattern as registered, e.g. /api/regions/:code/items/:item/assign */
  path: string;
  /** Controller.method, or the Express handler's name for a route Nest does not know. */
  handler: string;
  access: Access;
  params: RouteParam[];
  body?: Function;
  query?: Function;
  /** Takes files (multipart) through an interceptor. */
  multipart: boolean;
  /** Found in the router but not among Nest's controllers: nothing guards it. */
  unmapped: boolean;
}

interface ExpressLayer {
  name?: string;
  route?: { path: string | string[]; methods: Record<string, boolean>; stack: Array<{ handle: Function; method?: string }> };
  handle?: { stack?: ExpressLayer[] } & Function;
}

/** The least role the AuthGuard asks for: its own rule, read from the same metadata it reads. */
export function accessFor(method: string, handler: Function | undefined, cls: Function | undefined): Access {
  const targets = [handler, cls].filter(Boolean) as Function[];
  const first = <T>(key: string): T | undefined => {
    for (const t of targets) {
      const v = Reflect.getMetadata(key, t);
      if (v !== undefined) return v as T;
    }
    return undefined;
  };
  if (first<boolean>(PUBLIC_KEY)) return { kind: 'public' };
  const role = first<Role>(ROLE_KEY) ?? (method === 'GET' || method === 'HEAD' ? 'reader' : 'editor');
  return { kind: 'role', role };
}

/**
 * Every route the RUNNING Express router serves, joined with the Nest metadata of its handler:
 * a route added tomorrow is in this list without anyone editing the tests.
 */
export function discoverRoutes(app: NestExpressApplication): { routes: RouteInfo[]; problems: string[] } {
  const problems: string[] = [];
  const instance = app.getHttpAdapter().getInstance() as { router?: { stack: ExpressLayer[] }; _router?: { stack: ExpressLayer[] } };
  const stack = instance.router?.stack ?? instance._router?.stack;
  if (!stack) throw new Error('cannot find the Express router stack');

  const controllers = new Map<string, Function>();
  const container = (app as unknown as { container: { getModules(): Map<string, { controllers: Map<unknown, { metatype?: Function }> }> } }).container;
  for (const mod of container.getModules().values()) {
    for (const w of mod.controllers.values()) if (w.metatype) controllers.set(w.metatype.name, w.metatype);
  }

  const routes: RouteInfo[] = [];
  const walk = (layers: ExpressLayer[], nested: boolean) => {
    for (const layer of layers) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        const methods = Object.keys(layer.route.methods)
          .filter((m) => layer.route!.methods[m])
          .map((m) => (m === '_all' ? 'ALL' : m.toUpperCase()));
        const handlerFn = layer.route.stack[layer.route.stack.length - 1]?.handle;
        const handlerName = handlerFn?.name ?? '';
        if (nested) problems.push(`route ${paths.join(',')} lives in a sub-router: its full path is not known to the harness`);
        for (const path of paths) {
          for (const method of methods) routes.push(describe(method, String(path), handlerName, controllers));
        }
      } else if (layer.handle && Array.isArray(layer.handle.stack)) {
        walk(layer.handle.stack, true);
      }
    }
  };
  walk(stack, false);
  for (const r of routes) {
    if (r.unmapped && r.path.startsWith('/api') && !PUBLIC_DOCS.test(r.path)) problems.push(`${r.method} ${r.path} (${r.handler || 'anonymous'}) is served by the router but is not a Nest handler: the AuthGuard never sees it`);
  }
  return { routes, problems };
}

/**
 * The OpenAPI document and its page (@nestjs/swagger mounts them on Express itself): public on purpose —
 * the description of the API, no data — so no guard is needed. Everything else under /api must be a Nest handler.
 */
const PUBLIC_DOCS = /^\/api\/(docs(\/.*)?|openapi\.(json|yaml))$/;

function describe(method: string, path: string, handlerName: string, controllers: Map<string, Function>): RouteInfo {
  const params = [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => ({ name: m[1] }) as RouteParam);
  const [clsName, methodName] = handlerName.split('.');
  const cls = clsName ? controllers.get(clsName) : undefined;
  const fn = cls && methodName ? (cls.prototype as Record<string, Function>)[methodName] : undefined;
  if (!cls || !fn) {
    return { method, path, handler: handlerName, access: { kind: 'public' }, params, multipart: false, unmapped: true };
  }
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, cls, methodName) ?? {}) as Record<string, { index: number; data?: unknown; pipes?: unknown[] }>;
  const types = (Reflect.getMetadata(PARAMTYPES_METADATA, cls.prototype, methodName) ?? []) as Function[];
  let body: Function | undefined;
  let query: Function | undefined;
  let multipart = false;
  for (const [key, a] of Object.entries(args)) {
    const type = Number(key.split(':')[0]);
    if (type === PARAM_TYPE.BODY && a.data === undefined) body = types[a.index];
    if (type === PARAM_TYPE.QUERY && a.data === undefined) query = types[a.index];
    if (type === PARAM_TYPE.FILE || type === PARAM_TYPE.FILES) multipart = true;
    if (type === PARAM_TYPE.PARAM && typeof a.data === 'string') {
      const p = params.find((x) => x.name === a.data);
      const re = (a.pipes ?? []).map((pipe) => (pipe as { re?: unknown }).re).find((x): x is RegExp => x instanceof RegExp);
      if (p && re) p.re = re;
    }
  }
  const interceptors = (Reflect.getMetadata(INTERCEPTORS_METADATA, fn) ?? []) as Function[];
  if (interceptors.some((i) => /File|Upload/i.test(i.name))) multipart = true;
  const plain = (t?: Function) => (t && t !== Object && t !== String && t !== Number && t !== Array ? t : undefined);
  return { method, path, handler: handlerName, access: accessFor(method, fn, cls), params, body: plain(body), query: plain(query), multipart, unmapped: false };
}

export const rank = (r: Role) => ROLES.indexOf(r);
