import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post, Query, Req } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength, Min, ValidateNested } from 'class-validator';
import { ChangeSets, CommandContext, commandFingerprint } from '../../../../libs/application/src';
import { CHANGE_SET_STATUSES, ChangeSetStatus, NotFoundError } from '../../../../libs/domain/src';
import { ChangeSetsProjection, ProjectionRunner, RegistryProjection, editionAfterChangeSet, previewChangeSet } from '../../../../libs/projections/src';
import { RequireRole } from '../auth/auth.guard';
import { roleRank } from '../auth/tokens';
import { EDITION_NUMBER_RE } from '../editions/editions.controller';
import { IdParam, REGION_CODE_RE } from '../shared/params';
import { DocumentDto, IsCalendarDate, Trim } from '../shared/validators';

class VersionedDto {
  /** Optimistic concurrency on the change set: the version the client saw (also `If-Match`). */
  @IsOptional() @IsInt({ message: 'expectedVersion 必须是整数' }) @Min(-1) expectedVersion?: number;
}

export class OpenChangeSetDto {
  @IsString() @Matches(REGION_CODE_RE, { message: 'regionCode 应为区划代码' }) regionCode: string;
  @IsString({ message: 'title（方案名称）必须是文本' }) @Trim() @IsNotEmpty({ message: 'title（方案名称）不能为空' }) @MaxLength(200) title: string;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => DocumentDto) document?: DocumentDto;
}

export class NoteDto extends VersionedDto {
  @IsOptional() @IsString({ message: 'note（说明）必须是文本' }) @MaxLength(2000) note?: string;
}

export class ReviewDto extends NoteDto {
  @IsIn(['approve', 'return'], { message: 'decision 应为 approve（通过）或 return（退回）' }) decision: 'approve' | 'return';
}

export class EditionRequestDto {
  @IsString() @Matches(EDITION_NUMBER_RE, { message: 'edition.number（版本号）应为 1–40 个字符，如 2025年版' }) number: string;
  @IsOptional() @IsString() @MaxLength(200) title?: string;
  @IsOptional() @IsCalendarDate() effectiveFrom?: string;
}

export class PublishChangeSetDto extends VersionedDto {
  @IsDefined({ message: 'document（发布文件，文号）必填' }) @IsObject() @ValidateNested() @Type(() => DocumentDto) document: DocumentDto;
  @IsDefined({ message: 'publishedOn（发布日期）必填' }) @IsCalendarDate() publishedOn: string;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => EditionRequestDto) edition?: EditionRequestDto;
}

export class ChangeSetsQueryDto {
  @IsOptional() @IsString() @Matches(REGION_CODE_RE, { message: 'region 应为区划代码' }) region?: string;
  @IsOptional() @IsIn(CHANGE_SET_STATUSES as unknown as string[], { message: `status 应为 ${CHANGE_SET_STATUSES.join('、')} 之一` }) status?: ChangeSetStatus;
}

export class PreviewQueryDto {
  @IsOptional() @IsCalendarDate() at?: string;
}

const header = (req: any, h: string): string | undefined => {
  const v = req.headers[h];
  return typeof v === 'string' && v.length > 0 && v.length <= 128 ? v : undefined;
};

/**
 * 调整方案: a region's batch of commands, not in force until published. Commands are added through the
 * ordinary command routes with `?changeSet=<id>` (shared/domain-command.ts); here: open, read, drop,
 * preview, submit (editor), review (reviewer), publish (admin, optionally as a numbered edition), withdraw.
 */
@Controller('api/change-sets')
export class ChangeSetsController {
  constructor(
    private readonly changeSets: ChangeSets,
    private readonly read: ChangeSetsProjection,
    private readonly view: RegistryProjection,
    private readonly runner: ProjectionRunner,
  ) {}

  private ctx(req: any, what: string, payload: unknown, expectedVersion?: number): CommandContext {
    const ifMatch = header(req, 'if-match')?.replace(/^W\//, '').replace(/"/g, '');
    const v = expectedVersion ?? (ifMatch !== undefined && /^-?\d+$/.test(ifMatch) ? Number(ifMatch) : undefined);
    return {
      actor: req.principal?.name ?? 'anonymous',
      commandId: header(req, 'idempotency-key'),
      correlationId: header(req, 'x-correlation-id'),
      expectedVersion: v,
      fingerprint: commandFingerprint(`changeSet:${what}`, payload),
    };
  }

  private async settled<T extends { position: number }>(r: T): Promise<T> {
    await this.runner.waitFor(r.position);
    return r;
  }

  private withActors(req: any): boolean {
    return !!req.principal && roleRank(req.principal.role) >= roleRank('reviewer');
  }

  private found(id: string, req: any) {
    const v = this.read.get(id, { withActors: this.withActors(req) });
    if (!v) throw new NotFoundError('UNKNOWN_CHANGESET', `调整方案 ${id} 不存在`);
    return v;
  }

  private answer(id: string, r: { eventIds: string[]; recordedAt: string; streamVersion: number }) {
    const v = this.read.get(id)!;
    return { id, status: v.status, version: r.streamVersion, eventIds: r.eventIds, recordedAt: r.recordedAt };
  }

  @Post()
  @HttpCode(201)
  async open(@Body() body: OpenChangeSetDto, @Req() req: any) {
    const cmd = { regionCode: body.regionCode, title: body.title, ...(body.document ? { document: { ...body.document } } : {}) };
    const r = await this.settled(await this.changeSets.open(cmd, this.ctx(req, 'open', cmd)));
    return this.answer(r.id, r);
  }

  @Get()
  list(@Query() q: ChangeSetsQueryDto, @Req() req: any) {
    return { changeSets: this.read.list({ region: q.region, status: q.status }, { withActors: this.withActors(req) }) };
  }

  @Get(':id')
  one(@Param('id', IdParam()) id: string, @Req() req: any) {
    return this.found(id, req);
  }

  @Delete(':id/commands/:index')
  @HttpCode(200)
  async drop(@Param('id', IdParam()) id: string, @Param('index', ParseIntPipe) index: number, @Req() req: any) {
    const r = await this.settled(await this.changeSets.drop(id, index, this.ctx(req, 'drop', { id, index })));
    return this.answer(id, r);
  }

  /** The region as it would be after publishing: the list diff and the findings it would open and close. */
  @Get(':id/preview')
  async preview(@Param('id', IdParam()) id: string, @Query() q: PreviewQueryDto, @Req() req: any) {
    this.found(id, req);
    return this.changeSets.preview(id, { at: q.at, now: new Date().toISOString() }, (p) => previewChangeSet(this.view, p));
  }

  @Post(':id/submit')
  @HttpCode(200)
  async submit(@Param('id', IdParam()) id: string, @Body() body: NoteDto, @Req() req: any) {
    const r = await this.settled(await this.changeSets.submit(id, body.note, this.ctx(req, 'submit', { id, note: body.note }, body.expectedVersion)));
    return this.answer(id, r);
  }

  @Post(':id/review')
  @HttpCode(200)
  @RequireRole('reviewer')
  async review(@Param('id', IdParam()) id: string, @Body() body: ReviewDto, @Req() req: any) {
    const r = await this.settled(await this.changeSets.review(id, { decision: body.decision, note: body.note }, this.ctx(req, 'review', { id, decision: body.decision, note: body.note }, body.expectedVersion)));
    return this.answer(id, r);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  async withdraw(@Param('id', IdParam()) id: string, @Body() body: NoteDto, @Req() req: any) {
    const r = await this.settled(await this.changeSets.withdraw(id, body.note, this.ctx(req, 'withdraw', { id, note: body.note }, body.expectedVersion)));
    return this.answer(id, r);
  }

  /**
   * approved → published: every command recorded at once (or CHANGESET_STALE, nothing recorded); with
   * `edition`, the region's list as it will be after them is published as that numbered edition in the
   * same append (ChangeSets.publishAs, the use case the CLI calls too).
   */
  @Post(':id/publish')
  @HttpCode(200)
  @RequireRole('admin')
  async publish(@Param('id', IdParam()) id: string, @Body() body: PublishChangeSetDto, @Req() req: any) {
    this.found(id, req);
    const { fingerprint: _, ...ctx } = this.ctx(req, 'publish', null, body.expectedVersion);
    const request = { document: { ...body.document }, publishedOn: body.publishedOn, ...(body.edition ? { edition: { ...body.edition } } : {}) };
    const r = await this.settled(
      await this.changeSets.publishAs(id, request, ctx, async (q) => {
        await this.runner.waitFor(q.position);
        return editionAfterChangeSet(this.view, q);
      }),
    );
    return { id, status: r.status, version: r.version, eventIds: r.eventIds, recordedAt: r.recordedAt, edition: r.edition, ...(r.warnings.length ? { warnings: r.warnings } : {}) };
  }
}
