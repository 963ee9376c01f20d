import { Controller, Get, Param, Query } from '@nestjs/common';
import { IsBoolean, IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { Transform } from 'class-transformer';
import { LEVELS, Level } from '../../../../libs/domain/src';
import { RegistryProjection, browseDepartments, browseRegion, browseRegions } from '../../../../libs/projections/src';
import { RegionCodeParam, REGION_CODE_RE } from '../shared/params';
import { IsCalendarDate, IsInstant, toStoreInstant } from '../shared/validators';
import { PageQueryDto, todayInChina } from './browse.shared';

export class RegionsQueryDto extends PageQueryDto {
  @IsOptional() @IsString() @Matches(REGION_CODE_RE, { message: 'parent 应为区划代码' }) parent?: string;
  @IsOptional() @IsIn(LEVELS, { message: `level 应为 ${LEVELS.join('/')}` }) level?: Level;
}

export class DepartmentsQueryDto extends PageQueryDto {
  @IsOptional() @IsCalendarDate() at?: string;
  @IsOptional() @IsInstant() asKnownAt?: string;
  /** false: only departments that exist on `at`. */
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean({ message: 'all 应为 true 或 false' }) all?: boolean;
}

/** Read-only views of the four-level region tree and of each region's departments, for the web app's pickers. */
@Controller('api/regions')
export class RegionsBrowseController {
  constructor(private readonly view: RegistryProjection) {}

  /** Children of `parent` (the provinces without it), or, with `q`, every region whose name or code contains it. */
  @Get()
  list(@Query() q: RegionsQueryDto) {
    return browseRegions(this.view, q);
  }

  @Get(':code')
  get(@Param('code', RegionCodeParam()) code: string) {
    return browseRegion(this.view, code);
  }

  /** The region's departments with their names on `at` (default today), as known at `asKnownAt`. */
  @Get(':code/departments')
  departments(@Param('code', RegionCodeParam()) code: string, @Query() q: DepartmentsQueryDto) {
    return browseDepartments(this.view, code, { ...q, asKnownAt: toStoreInstant(q.asKnownAt), at: q.at ?? todayInChina() });
  }
}
