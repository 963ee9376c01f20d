import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** Today's calendar date in China time (the registry's legal dates are China dates): the shell's clock, passed to the queries. */
export const todayInChina = (now = Date.now()): string => new Date(now + 8 * 3600_000).toISOString().slice(0, 10);

const toInt = () => Transform(({ value }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value));

/** ?q=&limit=&offset= shared by the pickers' search endpoints. */
export class PageQueryDto {
  @IsOptional() @IsString() @MaxLength(100) q?: string;
  @IsOptional() @toInt() @IsInt({ message: 'limit 必须是整数' }) @Min(1) @Max(200, { message: 'limit 最大为 200' }) limit?: number;
  @IsOptional() @toInt() @IsInt({ message: 'offset 必须是整数' }) @Min(0) offset?: number;
}
