import { Controller, Get, Param, Query } from '@nestjs/common';
import { IsOptional, IsString, Matches } from 'class-validator';
import { RegistryProjection, itemTimeline } from '../../../../libs/projections/src';
import { ItemCodeParam, REGION_CODE_RE } from '../shared/params';
import { IsInstant, toStoreInstant } from '../shared/validators';
import { todayInChina } from './browse.shared';

export class TimelineQueryDto {
  @IsString() @Matches(REGION_CODE_RE, { message: 'region 应为区划代码' }) region: string;
  @IsOptional() @IsInstant() asKnownAt?: string;
}

/** An item's list entry in one region on the valid-time axis (libs/projections/src/browse/timeline.query.ts). */
@Controller('api/items/:code/timeline')
export class TimelineController {
  constructor(private readonly view: RegistryProjection) {}

  @Get()
  get(@Param('code', ItemCodeParam('code')) item: string, @Query() q: TimelineQueryDto) {
    return itemTimeline(this.view, { item, region: q.region, asKnownAt: toStoreInstant(q.asKnownAt), today: todayInChina() });
  }
}
