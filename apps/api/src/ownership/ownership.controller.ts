import { Controller, Get, Query } from '@nestjs/common';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { EditionsProjection, RegistryProjection, ownership, publishedOwnership } from '../../../../libs/projections/src';
import { isCalendarDate } from '../../../../libs/domain/src';
import { IsCalendarDate, IsInstant, isInstant, toStoreInstant } from '../shared/validators';
import { ID_RE, REGION_CODE_RE } from '../shared/params';
import { onlyStringKeys, validatedQuery } from '../http/validation';

export class OwnershipQueryDto {
  @IsString() @Matches(REGION_CODE_RE, { message: 'region 应为区划代码' }) region: string;
  @IsString() @Matches(ID_RE, { message: 'item 应为事项编码' }) item: string;
  @IsCalendarDate() at: string;
  @IsOptional() @IsInstant() asKnownAt?: string;
  /** true: answer from the edition in force on `at` (as published then). */
  @IsOptional() @IsIn(['true', 'false'], { message: 'asPublished 应为 true 或 false' }) asPublished?: 'true' | 'false';
}

/** OwnershipQueryDto's rules by hand, for the hot path (see validatedQuery). */
export const acceptOwnershipQuery = (q: Record<string, unknown>) =>
  onlyStringKeys(q, ['region', 'item', 'at'], ['asKnownAt', 'asPublished']) &&
  (q.asPublished === undefined || q.asPublished === 'true' || q.asPublished === 'false') &&
  REGION_CODE_RE.test(q.region as string) &&
  ID_RE.test(q.item as string) &&
  isCalendarDate(q.at) &&
  (q.asKnownAt === undefined || isInstant(q.asKnownAt));

@Controller('api/ownership')
export class OwnershipController {
  constructor(
    private readonly view: RegistryProjection,
    private readonly editions: EditionsProjection,
  ) {}

  /** Who owned the item in the region on `at`, by what was recorded by `asKnownAt` (default now). */
  @Get()
  async get(@Query() query: Record<string, unknown>) {
    const q = await validatedQuery(query, OwnershipQueryDto, acceptOwnershipQuery);
    const question = { region: q.region, item: q.item, at: q.at, asKnownAt: toStoreInstant(q.asKnownAt) };
    return q.asPublished === 'true' ? publishedOwnership(this.view, this.editions, question) : ownership(this.view, question);
  }
}
