import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { EventStore } from '../../../../libs/event-store/src';
import { EditionsProjection, RegistryProjection, buildDisputeReport, renderDisputeReportHtml } from '../../../../libs/projections/src';
import { RequireRole } from '../auth/auth.guard';
import { IsCalendarDate, IsInstant, toStoreInstant } from '../shared/validators';
import { ID_RE, REGION_CODE_RE } from '../shared/params';
import { EVENT_STORE } from '../shared/tokens';
import { REPORT_CSP } from '../http/api-headers';

export class ReportQueryDto {
  @IsString() @Matches(REGION_CODE_RE, { message: 'region 应为区划代码' }) region: string;
  @IsString() @Matches(ID_RE, { message: 'item 应为事项编码' }) item: string;
  @IsCalendarDate() at: string;
  /** As recorded then: the answer as known at this instant (default the end of `at` in China time). */
  @IsOptional() @IsInstant() asKnownAt?: string;
  @IsOptional() @IsIn(['json', 'html'], { message: 'format 应为 json 或 html' }) format?: 'json' | 'html';
}

@Controller('api/disputes/report')
export class ReportsController {
  constructor(
    private readonly view: RegistryProjection,
    private readonly editions: EditionsProjection,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The evidence for who was responsible on a date, as published then, as recorded then and as known now (reviewers). */
  @Get()
  @RequireRole('reviewer')
  async get(@Query() q: ReportQueryDto, @Res({ passthrough: true }) res: any) {
    const report = await buildDisputeReport(this.view, this.store, { region: q.region, item: q.item, at: q.at, asKnownAt: toStoreInstant(q.asKnownAt) }, { now: new Date().toISOString(), editions: this.editions });
    if (q.format === 'html') {
      res.type('text/html; charset=utf-8');
      res.setHeader('Content-Security-Policy', REPORT_CSP);
      return renderDisputeReportHtml(report);
    }
    return report;
  }
}
