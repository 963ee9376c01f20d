import { Controller, Get, Param, Query } from '@nestjs/common';
import { IsOptional } from 'class-validator';
import { RegistryProjection, regionList, regionListDiff } from '../../../../libs/projections/src';
import { AtQueryDto, IsCalendarDate, IsInstant, toStoreInstant } from '../shared/validators';
import { RegionCodeParam } from '../shared/params';

export class DiffQueryDto {
  @IsCalendarDate() from: string;
  @IsCalendarDate() to: string;
  @IsOptional() @IsInstant() asKnownAt?: string;
}

@Controller('api/regions/:code/list')
export class ListsController {
  constructor(private readonly view: RegistryProjection) {}

  /** The region's list on a date: items with owners, type, basis and conformance flags. */
  @Get()
  list(@Param('code', RegionCodeParam()) region: string, @Query() q: AtQueryDto) {
    return regionList(this.view, { region, at: q.at, asKnownAt: toStoreInstant(q.asKnownAt) });
  }

  /** Items added, removed, transferred and revised between two dates. */
  @Get('diff')
  diff(@Param('code', RegionCodeParam()) region: string, @Query() q: DiffQueryDto) {
    return regionListDiff(this.view, { region, from: q.from, to: q.to, asKnownAt: toStoreInstant(q.asKnownAt) });
  }
}
