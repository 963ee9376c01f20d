import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ChangeDto, Trim } from '../shared/validators';
import { Commands } from '../shared/domain-command';
import { ID_RE, IdParam, REGION_CODE_RE } from '../shared/params';

export class EstablishDepartmentDto extends ChangeDto {
  @IsString() @Matches(ID_RE, { message: 'id 应为 1-64 位字母、数字、点、横线或下划线（可用统一社会信用代码）' }) id: string;
  @IsString() @Trim() @IsNotEmpty({ message: 'name 不能为空' }) @MaxLength(200) name: string;
  @IsString() @Matches(REGION_CODE_RE, { message: 'regionCode 应为区划代码' }) regionCode: string;
}

export class RenameDepartmentDto extends ChangeDto {
  @IsString() @Trim() @IsNotEmpty({ message: 'name 不能为空' }) @MaxLength(200) name: string;
}

export class AbolishDepartmentDto extends ChangeDto {
  @IsOptional() @IsString() @Matches(ID_RE, { message: 'successorId 应为部门 id' }) successorId?: string;
}

@Controller('api/departments')
export class DepartmentsController {
  constructor(private readonly commands: Commands) {}

  @Post()
  @HttpCode(201)
  establish(@Body() body: EstablishDepartmentDto, @Req() req: any) {
    return this.commands.send('establishDepartment', body, req);
  }

  @Post(':id/rename')
  @HttpCode(200)
  rename(@Param('id', IdParam()) id: string, @Body() body: RenameDepartmentDto, @Req() req: any) {
    return this.commands.send('renameDepartment', { ...body, id }, req);
  }

  @Post(':id/abolish')
  @HttpCode(200)
  abolish(@Param('id', IdParam()) id: string, @Body() body: AbolishDepartmentDto, @Req() req: any) {
    return this.commands.send('abolishDepartment', { ...body, id }, req);
  }
}
