import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { IsOptional, IsString, Matches } from 'class-validator';
import { RegistryProjection, itemHistory } from '../../../../libs/projections/src';
import { ItemCodeParam, REGION_CODE_RE } from '../shared/params';
import { roleRank } from '../auth/tokens';

export class HistoryQueryDto {
  @IsOptional() @IsString() @Matches(REGION_CODE_RE, { message: 'region 应为区划代码' }) region?: string;
}

@Controller('api/items/:code/history')
export class HistoryController {
  constructor(private readonly view: RegistryProjection) {}

  /** Every event touching the item in recorded order; who recorded it is shown to reviewers and admins. */
  @Get()
  get(@Param('code', ItemCodeParam('code')) item: string, @Query() q: HistoryQueryDto, @Req() req: any) {
    const withActors = !!req.principal && roleRank(req.principal.role) >= roleRank('reviewer');
    return itemHistory(this.view, { item, region: q.region, withActors });
  }
}
