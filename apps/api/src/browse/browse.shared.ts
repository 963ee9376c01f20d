import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** Today's calendar date in China time (the registry's legal dates are China dates). */
export const todayInChina = (now = Date.now()): string => new Date(now + 8 * 3600_000).toISOString().slice(0, 10);

const toInt = () => Transform(({ value }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value));

/** ?q=&limit=&offset= shared by the pickers' search endpoints. */
export class PageQueryDto {
  @IsOptional() @IsString() @MaxLength(100) q?: string;
  @IsOptional() @toInt() @IsInt({ message: 'limit 必须是整数' }) @Min(1) @Max(200, { message: 'limit 最大为 200' }) limit?: number;
  @IsOptional() @toInt() @IsInt({ message: 'offset 必须是整数' }) @Min(0) offset?: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export function page<T>(all: T[], q: { limit?: number; offset?: number }, defaultLimit = 50): Page<T> {
  const limit = q.limit ?? defaultLimit;
  const offset = q.offset ?? 0;
  return { items: all.slice(offset, offset + limit), total: all.length, limit, offset };
}

/** A search needle: trimmed, case-insensitive; empty means "everything". */
export const needle = (q?: string) => (q ?? '').trim().toLowerCase();

export const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
