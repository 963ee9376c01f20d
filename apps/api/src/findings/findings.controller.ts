import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Min, MaxLength, ValidateNested } from 'class-validator';
import { FINDING_STATUSES, FindingStatus } from '../../../../libs/domain/src';
import { RegistryProjection } from '../../../../libs/projections/src';
import { FINDING_KINDS, FindingKind, conformance, findingStatusCommand, findingsLedger, gaps, overlaps, parseFindingId } from '../../../../libs/projections/src/findings';
import { Commands } from '../shared/domain-command';
import { REGION_CODE_RE } from '../shared/params';
import { DocumentDto, IsCalendarDate, IsInstant, toStoreInstant } from '../shared/validators';
import { roleRank } from '../auth/tokens';
import { FindingsBudget } from './findings-budget';
import { exportLedger } from '../../../../libs/export/src';

/** ?region=&at=&asKnownAt= */
export class FindingsQueryDto {
  @IsString() @Matches(REGION_CODE_RE, { message: 'region 应为区划代码' }) region: string;
  @IsCalendarDate() at: string;
  @IsOptional() @IsInstant() asKnownAt?: string;
}

export class ProgressQueryDto {
  @IsString() @Matches(REGION_CODE_RE, { message: 'region 应为区划代码' }) region: string;
  @IsOptional() @IsInstant() asKnownAt?: string;
}

export class LedgerQueryDto extends FindingsQueryDto {
  @IsOptional() @IsIn(FINDING_STATUSES as unknown as string[], { message: `status 应为 ${FINDING_STATUSES.join('、')} 之一` }) status?: FindingStatus;
  @IsOptional() @IsIn(FINDING_KINDS as string[], { message: `kind 应为 ${FINDING_KINDS.join('、')} 之一` }) kind?: FindingKind;
  /** 线索 (leads): include them, or only them (default: the ledger's kinds only). */
  @IsOptional() @IsIn(['include', 'only'], { message: 'leads 应为 include 或 only' }) leads?: 'include' | 'only';
}

export class LedgerExportQueryDto extends LedgerQueryDto {
  @IsOptional() @IsIn(['csv', 'xlsx'], { message: 'format 应为 csv 或 xlsx' }) format?: 'csv' | 'xlsx';
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
  constructor(
    private readonly view: RegistryProjection,
    private readonly budget: FindingsBudget,
  ) {}

  @Get()
  async get(@Query() x: FindingsQueryDto, @Res() res: any) {
    const qx = q(x);
    return this.budget.answer(res, qx.region, qx.asKnownAt, () => overlaps(this.view, qx));
  }
}

/** Unowned items, abolished departments still holding items, and the 三定 checked against the lists. */
@Controller('api/gaps')
export class GapsController {
  constructor(
    private readonly view: RegistryProjection,
    private readonly budget: FindingsBudget,
  ) {}

  @Get()
  async get(@Query() x: FindingsQueryDto, @Res() res: any) {
    const qx = q(x);
    return this.budget.answer(res, qx.region, qx.asKnownAt, () => gaps(this.view, qx));
  }
}

/** 四级四同: where a list words an item differently from the catalogue in force. */
@Controller('api/conformance')
export class ConformanceController {
  constructor(
    private readonly view: RegistryProjection,
    private readonly budget: FindingsBudget,
  ) {}

  @Get()
  async get(@Query() x: FindingsQueryDto, @Res() res: any) {
    const qx = q(x);
    return this.budget.answer(res, qx.region, qx.asKnownAt, () => conformance(this.view, qx));
  }
}

/** The findings ledger: every finding with its stable id, dates and status (待派发 / 核查中 / 已销号). */
@Controller('api/findings')
export class FindingsController {
  constructor(
    private readonly view: RegistryProjection,
    private readonly commands: Commands,
    private readonly budget: FindingsBudget,
  ) {}

  @Get()
  async list(@Query() x: LedgerQueryDto, @Req() req: any, @Res() res: any) {
    const withActors = !!req.principal && roleRank(req.principal.role) >= roleRank('reviewer');
    const qx = q(x);
    return this.budget.answer(res, qx.region, qx.asKnownAt, () => findingsLedger(this.view, { ...qx, status: x.status, kind: x.kind, leads: x.leads }, { withActors }));
  }

  /** The ledger as a spreadsheet (csv or xlsx), grouped by department; CSV cells neutralised against formulas. */
  @Get('export')
  async export(@Query() x: LedgerExportQueryDto, @Req() req: any, @Res() res: any) {
    const qx = q(x);
    const format = x.format ?? 'xlsx';
    return this.budget.answer(
      res,
      qx.region,
      qx.asKnownAt,
      () => findingsLedger(this.view, { ...qx, status: x.status, kind: x.kind, leads: x.leads }, { withActors: false }),
      (r, a) => {
        r.status(200);
        r.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
        r.setHeader('Content-Disposition', `attachment; filename="findings-${qx.region}-${qx.at}.${format}"; filename*=UTF-8''${encodeURIComponent(`${a.regionName ?? qx.region}发现台账-${qx.at}.${format}`)}`);
        r.end(exportLedger(a, format));
      },
    );
  }

  /** How far the computation of a region's findings got (the link a 202 answer gives). */
  @Get('progress')
  progress(@Query() x: ProgressQueryDto) {
    const asKnownAt = toStoreInstant(x.asKnownAt);
    const job = this.budget.jobs.status(x.region, asKnownAt);
    if (this.budget.jobs.engine.cached(x.region, asKnownAt)) return { region: x.region, asKnownAt: asKnownAt ?? null, state: 'ready' as const };
    if (!job) return { region: x.region, asKnownAt: asKnownAt ?? null, state: 'not-started' as const };
    return job;
  }

  /** Sets a finding's status; recorded as an event (stream finding-<id>). */
  @Post(':findingId/status')
  @HttpCode(200)
  async setStatus(@Param('findingId') findingId: string, @Body() body: FindingStatusDto, @Req() req: any, @Res() res: any) {
    // the finding must be known: its region's findings are computed off the request path first
    const region = typeof findingId === 'string' ? parseFindingId(findingId)?.region : undefined;
    return this.budget.answer(res, region, undefined, () => {
      const cmd = findingStatusCommand(this.view, findingId, body);
      return this.commands.send('changeFindingStatus', { ...cmd, expectedVersion: body.expectedVersion }, req);
    });
  }
}
