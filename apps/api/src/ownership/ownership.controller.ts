import { Controller, Get, Query } from '@nestjs/common';
import { IsOptional, IsString, Matches } from 'class-validator';
import { RegistryProjection, ownership } from '../../../../libs/projections/src';
import { IsCalendarDate, IsInstant, toStoreInstant } from '../shared/validators';
import { ID_RE, REGION_CODE_RE } from '../shared/params';

export class OwnershipQueryDto {
  @IsString() @Matches(REGION_CODE_RE, { message: 'region 应为区划代码' }) region: string;
  @IsString() @Matches(ID_RE, { message: 'item 应为事项编码' }) item: string;
  @IsCalendarDate() at: string;
  @IsOptional() @IsInstant() asKnownAt?: string;
}

@Controller('api/ownership')
export class OwnershipController {
  constructor(private readonly view: RegistryProjection) {}

  /** Who owned the item in the region on `at`, by what was recorded by `asKnownAt` (default now). */
  @Get()
  get(@Query() q: OwnershipQueryDto) {
    return ownership(this.view, { region: q.region, item: q.item, at: q.at, asKnownAt: toStoreInstant(q.asKnownAt) });
  }
}
