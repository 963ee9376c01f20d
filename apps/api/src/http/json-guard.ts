import { BadRequestException } from '@nestjs/common';

/** No command body of the contract nests deeper than 6 (三定: body → organs → organ → duties → duty). */
export const MAX_JSON_DEPTH = 32;
/** Keys that would reach an object's prototype machinery in whatever copies the body next. */
export const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** A UTF-16 surrogate without its partner: not text; it cannot be written as UTF-8 (exports, HTML, CSV). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export interface JsonProblem {
  field: string;
  error: string;
}

interface Node {
  v: unknown;
  depth: number;
  key?: string | number;
  parent?: Node;
}

/** `document.number`, `internalOrgans[2].duties[0].text`: the field as the 400 names it. */
function label(n: Node | undefined, extra?: string): string {
  const keys: Array<string | number> = extra === undefined ? [] : [extra];
  for (let x = n; x && x.key !== undefined; x = x.parent) keys.unshift(x.key);
  if (keys.length === 0) return '(请求体)';
  return keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/**
 * Walks a parsed JSON value without recursion (a 100,000-deep array must not overflow the stack
 * here, nor in class-transformer after it) and names the first thing the API refuses to take in:
 * nesting deeper than MAX_JSON_DEPTH, a `__proto__`/`constructor`/`prototype` key, a string or
 * key holding a lone surrogate.
 */
export function findJsonProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonProblem | undefined {
  const stack: Node[] = [{ v: value, depth: 0 }];
  while (stack.length) {
    const n = stack.pop()!;
    const v = n.v;
    if (typeof v === 'string') {
      if (LONE_SURROGATE.test(v)) return { field: label(n), error: `${label(n)} 含有无效的 Unicode 字符（孤立的代理项）` };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (n.depth + 1 > maxDepth) return { field: label(n), error: `${label(n)} 嵌套过深（最多 ${maxDepth} 层）` };
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], depth: n.depth + 1, key: i, parent: n });
      continue;
    }
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i];
      if (FORBIDDEN_KEYS.has(k)) return { field: label(n, k), error: `不允许的字段名 ${k}` };
      if (LONE_SURROGATE.test(k)) return { field: label(n), error: `${label(n)} 的字段名含有无效的 Unicode 字符（孤立的代理项）` };
      stack.push({ v: (v as Record<string, unknown>)[k], depth: n.depth + 1, key: k, parent: n });
    }
  }
  return undefined;
}

interface Req {
  body?: unknown;
  query?: unknown;
}

/**
 * Express middleware mounted right after the JSON body parser: a body or query the API refuses is
 * a 400 with the field named, before routing, guards or validation see it.
 */
export function jsonGuard(maxDepth = MAX_JSON_DEPTH) {
  return (req: Req, _res: unknown, next: (err?: unknown) => void) => {
    let problem: JsonProblem | undefined;
    try {
      if (req.body !== undefined && req.body !== null && typeof req.body === 'object') problem = findJsonProblem(req.body, maxDepth);
      const q = req.query;
      if (!problem && q && typeof q === 'object') {
        const key = Object.keys(q).find((k) => FORBIDDEN_KEYS.has(k));
        if (key) problem = { field: key, error: `不允许的查询参数 ${key}` };
      }
    } catch (e) {
      return next(e);
    }
    if (!problem) return next();
    next(
      new BadRequestException({
        error: 'Bad Request',
        code: 'VALIDATION',
        message: `请求参数有误：${problem.field}`,
        fields: [{ field: problem.field, errors: [problem.error] }],
      }),
    );
  };
}
