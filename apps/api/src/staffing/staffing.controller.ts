import { Controller, Get, Param, Query } from '@nestjs/common';
import { IsOptional } from 'class-validator';
import { NotFoundError } from '../../../../libs/domain/src';
import { RegistryProjection, StaffingProjection, regionStaffing, staffingHistory } from '../../../../libs/projections/src';
import { AtQueryDto, IsInstant, toStoreInstant } from '../shared/validators';
import { IdParam, RegionCodeParam } from '../shared/params';

export class AsKnownAtQueryDto {
  @IsOptional() @IsInstant() asKnownAt?: string;
}

/** 定编制: authorised and actual staff per region on a date, and a department's staffing over time. */
@Controller('api')
export class StaffingController {
  constructor(
    private readonly view: RegistryProjection,
    private readonly staffing: StaffingProjection,
  ) {}

  @Get('regions/:code/staffing')
  region(@Param('code', RegionCodeParam()) code: string, @Query() q: AtQueryDto) {
    const region = this.view.region(code);
    if (!region) throw new NotFoundError('UNKNOWN_REGION', `行政区划 ${code} 不存在`);
    return { regionName: region.name, ...regionStaffing(this.staffing, { region: code, at: q.at, asKnownAt: toStoreInstant(q.asKnownAt) }) };
  }

  @Get('departments/:id/staffing')
  department(@Param('id', IdParam()) id: string, @Query() q: AsKnownAtQueryDto) {
    const h = staffingHistory(this.staffing, id, toStoreInstant(q.asKnownAt));
    if (!h) throw new NotFoundError('UNKNOWN_DEPARTMENT', `部门 ${id} 不存在`);
    return h;
  }
}
