import { BadRequestException, Type, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { findUnsafeChar, unsafeCharMessage } from '../../../../libs/domain/src';
import type { ValidatorOptions } from 'class-validator';

export interface FieldError {
  field: string;
  errors: string[];
}

/** At most this many fields are listed in a 400 (a body with 40,000 unknown keys gets a short answer). */
export const MAX_FIELD_ERRORS = 50;

/** The checks of a value's kind: when one fails, the others (length, count, range) say nothing true. */
const KIND_CHECKS = new Set(['isString', 'isArray', 'isInt', 'isNumber', 'isBoolean', 'isObject', 'isDefined', 'whitelistValidation', 'isNotNull']);

/** class-validator's English defaults in the contract's words (a message written for the field is kept). */
const DEFAULT_MESSAGES: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
  [/^(\S+) must be shorter than or equal to (\d+) characters$/, (m) => `${m[1]} 不能超过 ${m[2]} 个字符`],
  [/^(\S+) must be longer than or equal to (\d+) characters$/, (m) => `${m[1]} 至少 ${m[2]} 个字符`],
  [/^(\S+) must be a string$/, (m) => `${m[1]} 必须是文本`],
  [/^(\S+) must be an array$/, (m) => `${m[1]} 必须是数组`],
  [/^(\S+) must be an integer number$/, (m) => `${m[1]} 必须是整数`],
  [/^(\S+) must be a number conforming to the specified constraints$/, (m) => `${m[1]} 必须是数字`],
  [/^(\S+) must be a boolean value$/, (m) => `${m[1]} 必须是 true 或 false`],
  [/^(\S+) must be an object$/, (m) => `${m[1]} 必须是对象`],
  [/^(\S+) must not be less than (-?[\d.]+)$/, (m) => `${m[1]} 不能小于 ${m[2]}`],
  [/^(\S+) must not be greater than (-?[\d.]+)$/, (m) => `${m[1]} 不能大于 ${m[2]}`],
  [/^(\S+) must contain no more than (\d+) elements$/, (m) => `${m[1]} 最多 ${m[2]} 项`],
  [/^(\S+) must contain at least (\d+) elements$/, (m) => `${m[1]} 至少 ${m[2]} 项`],
  [/^(\S+) should not be empty$/, (m) => `${m[1]} 不能为空`],
  [/^(\S+) should not be null or undefined$/, (m) => `${m[1]} 必填`],
  [/^property (\S+) should not exist$/, (m) => `${m[1]} 不是此接口的字段`],
  [/^(\S+) must be one of the following values: (.*)$/, (m) => `${m[1]} 应为 ${m[2].split(', ').join('/')}`],
];
const inContractWords = (message: string) => {
  for (const [re, say] of DEFAULT_MESSAGES) {
    const m = re.exec(message);
    if (m) return say(m);
  }
  return message;
};

/** A field's messages: only the kind checks when one failed (a number is not "longer than 200 characters"), in Chinese. */
function fieldMessages(constraints: Record<string, string>): string[] {
  const entries = Object.entries(constraints);
  const kinds = entries.filter(([k]) => KIND_CHECKS.has(k));
  return (kinds.length ? kinds : entries).map(([, m]) => inContractWords(m));
}

export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints) out.push({ field, errors: fieldMessages(e.constraints) });
    if (e.children?.length) out.push(...flattenValidationErrors(e.children, field));
  }
  return out;
}

/** Properties a DTO class marks @IsOptional(), per class. */
const optionalCache = new Map<Function, Set<string>>();
function optionalProperties(cls: Function): Set<string> {
  let set = optionalCache.get(cls);
  if (!set) {
    const metas = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false) as Array<{ type: string; propertyName: string }>;
    set = new Set(metas.filter((m) => m.type === 'conditionalValidation').map((m) => m.propertyName));
    optionalCache.set(cls, set);
  }
  return set;
}

/**
 * `@IsOptional()` lets `null` through as if the field were absent, and the command then carries a
 * null where the domain expects a value or nothing (`departmentIds: null` crashed delegation with a
 * 500). An optional field may be left out; sent as null, it is a 400 that names it.
 */
export function optionalNullErrors(entity: unknown, depth = 0): ValidationError[] {
  if (!entity || typeof entity !== 'object' || depth > 16) return [];
  const cls = (entity as object).constructor;
  if (!cls || cls === Object || cls === Array) return [];
  const optional = optionalProperties(cls);
  const out: ValidationError[] = [];
  for (const [property, value] of Object.entries(entity as Record<string, unknown>)) {
    if (value === null && optional.has(property)) {
      out.push({ property, constraints: { isNotNull: `${property} 不能为 null（不需要时请省略该字段）` }, children: [] });
      continue;
    }
    const items = Array.isArray(value) ? value : [value];
    const children: ValidationError[] = [];
    items.forEach((item, i) => {
      const nested = optionalNullErrors(item, depth + 1);
      if (nested.length === 0) return;
      if (Array.isArray(value)) children.push({ property: String(i), children: nested });
      else children.push(...nested);
    });
    if (children.length) out.push({ property, children });
  }
  return out;
}

/** Fields that are texts of several lines (a tab or line break is fine there, not in a name). */
const MULTILINE_FIELDS = /^(reason|basis|text|note|matter|description|duties|functions|scope|remark|content)$/i;
/** Objects whose every value is a text of several lines: a published row's cells by header (asPublished.fields). */
const MULTILINE_OBJECTS = /^fields$/;

/**
 * Every text of a command, names first: control, bidi-override and zero-width characters and NUL are
 * refused with a 400 naming the field (#22 item 11; the rule is the domain's findUnsafeChar, which the
 * importer applies to its cells too). An array's strings take the array's field name.
 */
export function unsafeTextErrors(entity: unknown, depth = 0, property = ''): ValidationError[] {
  if (depth > 16 || entity === null || entity === undefined) return [];
  if (Array.isArray(entity)) {
    const children: ValidationError[] = [];
    entity.forEach((item, i) => {
      if (typeof item === 'string') {
        const u = findUnsafeChar(item, MULTILINE_FIELDS.test(property));
        if (u) children.push({ property: String(i), constraints: { safeText: unsafeCharMessage(`${property}[${i}]`, u) }, children: [] });
      } else children.push(...wrap(String(i), unsafeTextErrors(item, depth + 1)));
    });
    return children;
  }
  if (typeof entity !== 'object') return [];
  const out: ValidationError[] = [];
  const cells = MULTILINE_OBJECTS.test(property);
  for (const [key, value] of Object.entries(entity as Record<string, unknown>)) {
    if (typeof value === 'string') {
      const u = findUnsafeChar(value, cells || MULTILINE_FIELDS.test(key));
      if (u) out.push({ property: key, constraints: { safeText: unsafeCharMessage(key, u) }, children: [] });
    } else if (value && typeof value === 'object') {
      const children = unsafeTextErrors(value, depth + 1, key);
      if (children.length) out.push({ property: key, children });
    }
  }
  return out;
}
const wrap = (property: string, children: ValidationError[]): ValidationError[] => (children.length ? [{ property, children }] : []);

/** ValidationPipe that also refuses null in optional fields (see optionalNullErrors) and unsafe characters (unsafeTextErrors). */
class StrictValidationPipe extends ValidationPipe {
  protected override async validate(object: object, validatorOptions?: ValidatorOptions): Promise<ValidationError[]> {
    const errors = await super.validate(object, validatorOptions);
    return [...errors, ...optionalNullErrors(object), ...unsafeTextErrors(object)];
  }
}

/** Strict validation: unknown fields are refused, each bad field is named. */
export function validationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const all = flattenValidationErrors(errors);
      const fields = all.slice(0, MAX_FIELD_ERRORS);
      const more = all.length - fields.length;
      return new BadRequestException({
        error: 'Bad Request',
        code: 'VALIDATION',
        message: `请求参数有误：${fields.map((f) => f.field).join('、')}${more > 0 ? ` 等 ${all.length} 项（仅列出前 ${MAX_FIELD_ERRORS} 项）` : ''}`,
        fields,
      });
    },
  });
}

let strictPipe: ValidationPipe | undefined;

/**
 * Hot read routes: query parameters that `accept` takes (the same rules as the DTO's decorators, by
 * hand: no class-transformer, no class-validator) are used as they are; anything else goes through the
 * strict pipe with the DTO, which throws the usual 400 — so a refused request gets exactly the answer
 * it got before. The route declares its query as a plain object, which the global pipe leaves alone.
 */
export async function validatedQuery<T extends object>(query: unknown, dto: Type<T>, accept: (q: Record<string, unknown>) => boolean): Promise<T> {
  if (query && typeof query === 'object' && accept(query as Record<string, unknown>)) return query as T;
  strictPipe ??= validationPipe();
  return (await strictPipe.transform(query, { type: 'query', metatype: dto })) as T;
}

/** Only these keys, each a string (an absent optional key is fine). */
export function onlyStringKeys(q: Record<string, unknown>, required: readonly string[], optional: readonly string[] = []): boolean {
  let n = 0;
  for (const k of required) {
    if (typeof q[k] !== 'string') return false;
    n++;
  }
  for (const k of optional) {
    if (q[k] === undefined) continue;
    if (typeof q[k] !== 'string') return false;
    n++;
  }
  return Object.keys(q).length === n;
}
