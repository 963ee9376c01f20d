import { BadRequestException, Type, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import type { ValidatorOptions } from 'class-validator';

export interface FieldError {
  field: string;
  errors: string[];
}

/** At most this many fields are listed in a 400 (a body with 40,000 unknown keys gets a short answer). */
export const MAX_FIELD_ERRORS = 50;

export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints) out.push({ field, errors: Object.values(e.constraints) });
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

/** ValidationPipe that also refuses null in optional fields (see optionalNullErrors). */
class StrictValidationPipe extends ValidationPipe {
  protected override async validate(object: object, validatorOptions?: ValidatorOptions): Promise<ValidationError[]> {
    const errors = await super.validate(object, validatorOptions);
    return [...errors, ...optionalNullErrors(object)];
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
