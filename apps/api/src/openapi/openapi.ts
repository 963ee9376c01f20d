import { INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { CHANGE_SET_ID_RE } from '../../../../libs/domain/src';
import { PUBLIC_KEY, ROLE_KEY } from '../auth/auth.guard';
import { API_OPERATIONS, ApiOperationDoc } from './operations';
import CONTRACT_SCHEMAS from './contract.schemas.json';

type Json = Record<string, any>;
// class-transformer's @Type metadata (nested DTOs), which class-validator-jsonschema follows
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: object };
type Role = 'admin' | 'editor' | 'reviewer' | 'reader';
const ROLE_ZH: Record<Role, string> = { admin: '管理员', editor: '编辑', reviewer: '审核', reader: '只读' };

/** The answers every failing request may get (CONTRACT.md "Errors"), described once. */
const ERRORS: Record<number, string> = {
  400: '请求有误（字段错误见 fields）：BAD_REQUEST、VALIDATION_FAILED 等',
  401: '缺少或无效的访问令牌：UNAUTHENTICATED',
  403: '令牌角色不足：FORBIDDEN',
  404: '区划、部门、事项或资源不存在：NOT_FOUND 或具体的 *_NOT_FOUND',
  409: '违反业务规则或并发冲突（If-Match / expectedVersion 不符）：规则代码见 code，如 NOT_HELD、WRONG_EXPECTED_VERSION',
  413: '请求体过大（上限 1 MB）：PAYLOAD_TOO_LARGE',
  503: '事件库暂不可写（查询仍可用），稍后重试：STORE_UNAVAILABLE',
};

/** A handler as Nest routed it: its controller, its method, the route the router has. */
export interface RoutedHandler {
  operationId: string;
  controller: Function;
  handler: Function;
  methodName: string;
  method: string;
  path: string;
}

/** Every route of the app's controllers, as Nest registers them (the same paths the router gets). */
export function routedHandlers(app: INestApplication): RoutedHandler[] {
  const out: RoutedHandler[] = [];
  for (const mod of app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const cls = wrapper.metatype as Function | undefined;
      if (!cls) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, cls) ?? '');
      for (const name of Object.getOwnPropertyNames(cls.prototype)) {
        const fn = (cls.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof fn !== 'function') continue;
        const sub = Reflect.getMetadata(PATH_METADATA, fn);
        const m = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
        if (sub === undefined || m === undefined) continue;
        for (const p of Array.isArray(sub) ? sub : [sub]) {
          const path = ('/' + [base, String(p)].map((x) => x.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')).replace(/\/+$/, '') || '/';
          out.push({ operationId: `${cls.name}.${name}`, controller: cls, handler: fn as Function, methodName: name, method: RequestMethod[m].toLowerCase(), path });
        }
      }
    }
  }
  return out;
}

/** `/api/regions/:code` → `/api/regions/{code}` */
export const openApiPath = (expressPath: string) => expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** The query's DTO class names (`@Query() q: SomeDto`) and the single names (`@Query('x')`) of a handler. */
function queryArgs(h: RoutedHandler): { dtos: string[]; names: string[] } {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, h.controller, h.methodName) ?? {}) as Record<string, { index: number; data?: unknown }>;
  const types = (Reflect.getMetadata('design:paramtypes', h.controller.prototype, h.methodName) ?? []) as Function[];
  const dtos: string[] = [];
  const names: string[] = [];
  for (const [key, a] of Object.entries(args)) {
    if (Number(key.split(':')[0]) !== RouteParamtypes.QUERY) continue;
    if (typeof a.data === 'string') names.push(a.data);
    else if (types[a.index] && types[a.index] !== Object) dtos.push(types[a.index].name);
  }
  return { dtos, names };
}

/** A map field (`Record<string, …>`, checked by a custom rule) comes out as a $ref to `Object`: an object. */
function plainObjects<T>(v: T): T {
  if (Array.isArray(v)) return v.map(plainObjects) as T;
  if (!v || typeof v !== 'object') return v;
  const o = v as Json;
  if (o.$ref === '#/components/schemas/Object') {
    const { $ref: _object, ...rest } = o;
    return { type: 'object', ...plainObjects(rest) } as T;
  }
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, plainObjects(x)])) as T;
}

function roleOf(h: RoutedHandler): Role | 'public' {
  const targets = [h.handler, h.controller];
  if (targets.some((t) => Reflect.getMetadata(PUBLIC_KEY, t))) return 'public';
  for (const t of targets) {
    const r = Reflect.getMetadata(ROLE_KEY, t) as Role | undefined;
    if (r) return r;
  }
  return h.method === 'get' || h.method === 'head' ? 'reader' : 'editor';
}

/**
 * The OpenAPI 3.1 document of the running app: paths, parameters and bodies by @nestjs/swagger from the
 * controllers; bodies' schemas from the DTOs' class-validator rules (class-validator-jsonschema); answers'
 * schemas from libs/contract (contract.schemas.json, typescript-json-schema); summaries, roles and the
 * error codes from operations.ts and the guard's metadata.
 */
export function buildOpenApi(app: INestApplication, version = '0.1.0'): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('quanze 权责清单登记簿 API')
    .setDescription(
      '权责清单与三定的事件溯源登记簿。除标为“公开”的接口外，请求须带 `Authorization: Bearer <令牌>`；角色由低到高：reader（只读）< reviewer（审核）< editor（编辑）< admin（管理员）。' +
        '错误答复统一为 `{ statusCode, error, code, message, fields? }`（见 ErrorBody）。写操作可带 `Idempotency-Key` 与 `X-Correlation-Id`；每个答复带 `X-Request-Id`。',
    )
    .setVersion(version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'QUANZE_TOKENS 或 <数据目录>/tokens.json 中的令牌' }, 'token')
    .build();
  const doc = SwaggerModule.createDocument(app, config, { operationIdFactory: (c, m) => `${c}.${m}` }) as OpenAPIObject & { paths: Json; components: Json };
  const handlers = new Map(routedHandlers(app).map((h) => [h.operationId, h]));

  const schemas: Json = (doc.components.schemas ??= {});
  // request bodies: what the ValidationPipe enforces, nested DTOs through class-transformer's @Type
  const dtoSchemas = validationMetadatasToSchemas({ refPointerPrefix: '#/components/schemas/', classTransformerMetadataStorage: defaultMetadataStorage as never });
  for (const [name, s] of Object.entries(dtoSchemas)) schemas[name] = plainObjects(s);
  for (const [name, s] of Object.entries(CONTRACT_SCHEMAS as Json)) schemas[name] ??= s;

  for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
    for (const [method, op] of Object.entries(item) as Array<[string, Json]>) {
      const h = handlers.get(op.operationId);
      const meta: ApiOperationDoc | undefined = API_OPERATIONS[op.operationId];
      const role = h ? roleOf(h) : 'reader';
      if (meta) op.summary = meta.summary;
      op.description = [meta?.description, role === 'public' ? '公开：无需令牌。' : `角色：${role}（${ROLE_ZH[role]}）或更高。`].filter(Boolean).join('\n\n');
      op['x-quanze-role'] = role;
      op.security = role === 'public' ? [] : [{ token: [] }];
      const ok = Object.keys(op.responses ?? {}).find((c) => c.startsWith('2')) ?? '200';
      op.responses ??= {};
      const schemaOf = (a: string | Json) => (typeof a === 'string' ? { $ref: `#/components/schemas/${a}` } : a);
      const answer = meta?.answer === undefined ? undefined : schemaOf(meta.answer);
      op.responses[ok] = {
        description: meta?.answerDescription ?? '成功',
        ...(meta?.answers
          ? { content: Object.fromEntries(Object.entries(meta.answers).map(([type, a]) => [type, { schema: schemaOf(a) }])) }
          : meta?.contentType
            ? { content: { [meta.contentType]: { schema: answer ?? {} } } }
            : { content: { 'application/json': { schema: answer ?? { type: 'object' } } } }),
      };
      const write = method !== 'get' && method !== 'head';
      const params = (op.parameters ?? []) as Json[];
      // a command route also drafts into a change set (调整方案): ?changeSet=<id> → 202, not in force
      if (write && meta?.answer === 'CommandResult' && !meta.noChangeSet) {
        params.push({ name: 'changeSet', in: 'query', required: false, description: '调整方案编号：命令加入该方案（草稿）而不登记，答复 202', schema: { type: 'string', pattern: CHANGE_SET_ID_RE.source } });
        op.responses['202'] = { description: '已加入调整方案，发布前不生效', content: { 'application/json': { schema: { $ref: '#/components/schemas/ChangeSetAdded' } } } };
      }
      // query parameters from the DTO the ValidationPipe checks them against
      if (h) {
        const q = queryArgs(h);
        const has = (n: string) => params.some((p) => p.in === 'query' && p.name === n);
        for (const dto of [...q.dtos, ...(meta?.query ? [meta.query] : [])]) {
          const s = schemas[dto] as Json | undefined;
          for (const [name, schema] of Object.entries((s?.properties ?? {}) as Json)) {
            if (!has(name)) params.push({ name, in: 'query', required: ((s?.required ?? []) as string[]).includes(name), schema });
          }
        }
        for (const name of q.names) if (!has(name)) params.push({ name, in: 'query', required: false, schema: { type: 'string' } });
        op.parameters = params;
      }
      const codes = new Set<number>(meta?.errors ?? []);
      if (params.length || op.requestBody) codes.add(400);
      if (role !== 'public') codes.add(401).add(403);
      if (params.some((p) => p.in === 'path')) codes.add(404);
      if (write) codes.add(409).add(413).add(503);
      for (const c of [...codes].sort()) op.responses[String(c)] ??= { description: ERRORS[c] ?? '错误', content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } } };
      if (write && op.requestBody) {
        params.push(
          { name: 'Idempotency-Key', in: 'header', required: false, description: '重复提交同一命令时只记录一次（≤128 字符）', schema: { type: 'string', maxLength: 128 } },
          { name: 'X-Correlation-Id', in: 'header', required: false, description: '关联同一业务的多个命令，记入事件元数据', schema: { type: 'string', maxLength: 128 } },
        );
      }
      void path;
    }
  }
  return doc;
}

/** `/api/openapi.json` and the page `/api/docs` (swagger-ui-dist shipped with @nestjs/swagger: no CDN). */
export function serveOpenApi(app: INestApplication, version?: string): void {
  // The document is built on the first request of any of the three (then kept): the start does not pay
  // for walking every route and DTO (~0.3 s). The routes are the app's, fixed before it listens.
  SwaggerModule.setup('api/docs', app, () => buildOpenApi(app, version), {
    jsonDocumentUrl: 'api/openapi.json',
    yamlDocumentUrl: 'api/openapi.yaml',
    customSiteTitle: 'quanze 权责清单登记簿 API 文档',
    swaggerOptions: { persistAuthorization: false, tryItOutEnabled: false, displayOperationId: false },
  });
}
