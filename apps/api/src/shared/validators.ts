import { Transform, Type } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, MaxLength, ValidateNested, registerDecorator, ValidationOptions, IsDefined, IsObject, IsInt, Min } from 'class-validator';
import { isCalendarDate } from '../../../../libs/domain/src';

export function IsCalendarDate(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} 必须是有效的日期 YYYY-MM-DD`, ...options },
      validator: { validate: (v: unknown) => isCalendarDate(v) },
    });
}

/** An ISO-8601 instant with a time zone (Z or ±hh:mm), e.g. 2024-05-01T08:00:00Z. */
export const isInstant = (v: unknown): v is string =>
  typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,9})?)?(Z|[+-]\d\d:\d\d)$/.test(v) && isCalendarDate(v.slice(0, 10)) && !Number.isNaN(Date.parse(v));

/** An ISO-8601 instant with a time zone (Z or ±hh:mm), e.g. 2024-05-01T08:00:00Z. */
export function IsInstant(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isInstant',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} 必须是带时区的 ISO-8601 时刻，如 2024-05-01T08:00:00Z`, ...options },
      validator: { validate: isInstant },
    });
}

/** Normalises an instant to the store's form (UTC, milliseconds) so that comparisons are exact. */
export const toStoreInstant = (v: string | undefined): string | undefined => (v === undefined ? undefined : new Date(Date.parse(v)).toISOString());

/** Whitespace and the invisible characters (zero-width space/joiners, word joiner, BOM) around a text. */
const EDGES = /^[\s\u200b-\u200d\u2060\ufeff]+|[\s\u200b-\u200d\u2060\ufeff]+$/g;
/** Trims a text, invisible characters included: a name that is only a zero-width space is empty. */
export const trimText = (value: string) => value.replace(EDGES, '');
export const Trim = () => Transform(({ value }) => (typeof value === 'string' ? trimText(value) : value));

export class DocumentDto {
  @IsString({ message: 'document.number（文号）必须是文本' })
  @Trim()
  @IsNotEmpty({ message: 'document.number（文号）不能为空' })
  @MaxLength(200)
  number: string;

  @IsOptional() @IsString() @MaxLength(500) title?: string;
  @IsOptional() @IsString() @MaxLength(200) issuedBy?: string;
  @IsOptional() @IsCalendarDate() issuedOn?: string;
}

/** What every command that changes something in time carries. */
export class ChangeDto {
  @IsDefined({ message: 'effectiveFrom 必填' })
  @IsCalendarDate()
  effectiveFrom: string;

  @IsDefined({ message: 'document（授权文件）必填' })
  @IsObject({ message: 'document 必须是对象 { number, title?, issuedBy?, issuedOn? }' })
  @ValidateNested()
  @Type(() => DocumentDto)
  document: DocumentDto;

  @IsOptional() @IsString() @MaxLength(2000) reason?: string;

  /** Optimistic concurrency: the version of the record the client saw (-1: it did not exist). */
  @IsOptional()
  @IsInt({ message: 'expectedVersion 必须是整数' })
  @Min(-1)
  expectedVersion?: number;
}

/** ?at=YYYY-MM-DD&asKnownAt=instant */
export class AtQueryDto {
  @IsCalendarDate() at: string;
  @IsOptional() @IsInstant() asKnownAt?: string;
}
