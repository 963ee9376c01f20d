import { Body, Controller, ForbiddenException, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsDefined, IsNotEmpty, IsObject, IsOptional, IsInt, Min, IsString, MaxLength, ValidateNested } from 'class-validator';
import { retractionNeedsAdmin } from '../../../../libs/domain/src';
import { EventStore } from '../../../../libs/event-store/src';
import { QuanzeConfig } from '../../../../libs/runtime/src';
import { AuthedRequest } from '../auth/auth.guard';
import { Commands } from '../shared/domain-command';
import { DocumentDto, Trim } from '../shared/validators';
import { ParamPipe } from '../shared/params';
import { CONFIG, EVENT_STORE } from '../shared/tokens';

export class RetractDto {
  @IsString() @Trim() @IsNotEmpty({ message: 'reason（撤回理由）必填' }) @MaxLength(2000) reason: string;
  @IsDefined({ message: 'document（授权文件）必填' }) @IsObject() @ValidateNested() @Type(() => DocumentDto) document: DocumentDto;
  @IsOptional() @IsInt() @Min(-1) expectedVersion?: number;
}

@Controller('api/events')
export class EventsController {
  constructor(
    private readonly commands: Commands,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CONFIG) private readonly config: QuanzeConfig,
  ) {}

  /**
   * A correction that never erases: from now on the event counts as never having happened. Admin-only
   * powers (403 ADMIN_ONLY_RETRACTION): a region registration, a catalogue definition, an edition, and
   * another user's event recorded more than QUANZE_RETRACT_OTHERS_DAYS days ago. An event's type, actor
   * and recorded time never change, so the check before the command cannot be outdated by a concurrent write.
   */
  @Post(':eventId/retract')
  @HttpCode(200)
  async retract(@Param('eventId', new ParamPipe('eventId', /^[A-Za-z0-9-]{1,128}$/, 'eventId 应为事件 id')) eventId: string, @Body() body: RetractDto, @Req() req: AuthedRequest) {
    const principal = req.principal;
    if (principal && principal.role !== 'admin') {
      const target = await this.store.readEvent(eventId);
      const actor = target?.metadata?.actor;
      const refusal = target && retractionNeedsAdmin({ type: target.type, actor: typeof actor === 'string' ? actor : undefined, recordedAt: target.recordedAt }, principal.name, new Date(), this.config.retractOthersDays);
      if (refusal) throw new ForbiddenException(refusal);
    }
    return this.commands.send('retractEvent', { ...body, eventId }, req);
  }
}
