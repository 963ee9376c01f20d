import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ChangeDto, Trim } from '../shared/validators';
import { Commands } from '../shared/domain-command';
import { ID_RE, REGION_CODE_RE } from '../shared/params';
import { boundaryClauseId } from '../../../../libs/application/src';

export class AgreeBoundaryDto extends ChangeDto {
  @IsString() @Matches(REGION_CODE_RE, { message: 'regionCode 应为区划代码' }) regionCode: string;
  @IsString() @Trim() @IsNotEmpty({ message: 'matter（事项）不能为空' }) @MaxLength(2000) matter: string;
  @IsString() @Matches(ID_RE, { message: 'leadDepartmentId 应为部门 id' }) leadDepartmentId: string;
  @IsArray() @ArrayMaxSize(50) @Matches(ID_RE, { each: true, message: 'assistingDepartmentIds 的每一项应为部门 id' }) assistingDepartmentIds: string[];
  @IsOptional() @IsArray() @ArrayMaxSize(500) @Matches(ID_RE, { each: true, message: 'itemCodes 的每一项应为事项编码' }) itemCodes?: string[];
}

@Controller('api/boundaries')
export class BoundariesController {
  constructor(private readonly commands: Commands) {}

  /** 职责分工: a clause naming the lead and assisting departments for a matter. */
  @Post()
  @HttpCode(201)
  agree(@Body() body: AgreeBoundaryDto, @Req() req: any) {
    // The clause id is stable for a retried command (Idempotency-Key) and unique otherwise.
    const clauseId = boundaryClauseId(typeof req.headers?.['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined);
    return this.commands.send('agreeBoundaryClause', { ...body, clauseId }, req);
  }
}
