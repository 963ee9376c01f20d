import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Min, MaxLength, ValidateNested } from 'class-validator';
import { FINDING_STATUSES, FindingStatus } from '../../../../libs/domain/src';
import { RegistryProjection } from '../../../../libs/projections/src';
import { FINDING_KINDS, FindingKind, conformance, findingStatusCommand, findingsLedger, gaps, overlaps } from '../../../../libs/projections/src/findings';
import { Commands } from '../shared/domain-command';
import { REGION_CODE_RE } from '../shared/params';
import { DocumentDto, IsCalendarDate, IsInstant, toStoreInstant } from '../shared/validators';
import { roleRank } from '../auth/tokens';

/** ?region=&at=&asKnownAt= */
export class FindingsQueryDto {
  @IsString() @Matches(REGION_CODE_RE, { message: 'region 应为区划代码' }) region: string;
  @IsCalendarDate() at: string;
  @IsOptional() @IsInstant() asKnownAt?: string;
}

export class LedgerQueryDto extends FindingsQueryDto {
  @IsOptional() @IsIn(FINDING_STATUSES as unknown as string[], { message: `status 应为 ${FINDING_STATUSES.join('、')} 之一` }) status?: FindingStatus;
  @IsOptional() @IsIn(FINDING_KINDS as string[], { message: `kind 应为 ${FINDING_KINDS.join('、')} 之一` }) kind?: FindingKind;
}

export class FindingStatusDto {
  @IsIn(FINDING_STATUSES as unknown as string[], { message: `status 应为 ${FINDING_STATUSES.join('、')} 之一` }) status: FindingStatus;
  @IsOptional() @IsString({ message: 'note（说明）必须是文本' }) @MaxLength(2000) note?: string;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => DocumentDto) document?: DocumentDto;
  @IsOptional() @IsInt({ message: 'expectedVersion 必须是整数' }) @Min(-1) expectedVersion?: number;
}

const q = (x: FindingsQueryDto) => ({ region: x.region, at: x.at, asKnownAt: toStoreInstant(x.asKnownAt) });

/** Conflicts (more than one lead), similar duties and items of different departments, multi-level duplication. */
@Controller('api/overlaps')
export class OverlapsController {
  constructor(private readonly view: RegistryProjection) {}

  @Get()
  get(@Query() x: FindingsQueryDto) {
    return overlaps(this.view, q(x));
  }
}

/** Unowned items, abolished departments still holding items, and the 三定 checked against the lists. */
@Controller('api/gaps')
export class GapsController {
  constructor(private readonly view: RegistryProjection) {}

  @Get()
  get(@Query() x: FindingsQueryDto) {
    return gaps(this.view, q(x));
  }
}

/** 四级四同: where a list words an item differently from the catalogue in force. */
@Controller('api/conformance')
export class ConformanceController {
  constructor(private readonly view: RegistryProjection) {}

  @Get()
  get(@Query() x: FindingsQueryDto) {
    return conformance(this.view, q(x));
  }
}

/** The findings ledger: every finding with its stable id, dates and status (待派发 / 核查中 / 已销号). */
@Controller('api/findings')
export class FindingsController {
  constructor(
    private readonly view: RegistryProjection,
    private readonly commands: Commands,
  ) {}

  @Get()
  list(@Query() x: LedgerQueryDto, @Req() req: any) {
    const withActors = !!req.principal && roleRank(req.principal.role) >= roleRank('reviewer');
    return findingsLedger(this.view, { ...q(x), status: x.status, kind: x.kind }, { withActors });
  }

  /** Sets a finding's status; recorded as an event (stream finding-<id>). */
  @Post(':findingId/status')
  @HttpCode(200)
  setStatus(@Param('findingId') findingId: string, @Body() body: FindingStatusDto, @Req() req: any) {
    const cmd = findingStatusCommand(this.view, findingId, body);
    return this.commands.send('changeFindingStatus', { ...cmd, expectedVersion: body.expectedVersion }, req);
  }
}
