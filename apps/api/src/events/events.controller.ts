import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsDefined, IsNotEmpty, IsObject, IsOptional, IsInt, Min, IsString, MaxLength, ValidateNested } from 'class-validator';
import { Commands } from '../shared/domain-command';
import { DocumentDto, Trim } from '../shared/validators';
import { ParamPipe } from '../shared/params';

export class RetractDto {
  @IsString() @Trim() @IsNotEmpty({ message: 'reason（撤回理由）必填' }) @MaxLength(2000) reason: string;
  @IsDefined({ message: 'document（授权文件）必填' }) @IsObject() @ValidateNested() @Type(() => DocumentDto) document: DocumentDto;
  @IsOptional() @IsInt() @Min(-1) expectedVersion?: number;
}

@Controller('api/events')
export class EventsController {
  constructor(private readonly commands: Commands) {}

  /** A correction that never erases: from now on the event counts as never having happened. */
  @Post(':eventId/retract')
  @HttpCode(200)
  retract(@Param('eventId', new ParamPipe('eventId', /^[A-Za-z0-9-]{1,128}$/, 'eventId 应为事件 id')) eventId: string, @Body() body: RetractDto, @Req() req: any) {
    return this.commands.send('retractEvent', { ...body, eventId }, req);
  }
}
