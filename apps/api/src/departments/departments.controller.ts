import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { RegistryProjection, departmentView } from '../../../../libs/projections/src';
import { AtQueryDto, ChangeDto, Trim, toStoreInstant } from '../shared/validators';
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

export class DutyDto {
  @IsString() @Matches(ID_RE, { message: '职责条目 id 应为 1-64 位字母、数字、点、横线或下划线' }) id: string;
  @IsString() @Trim() @IsNotEmpty({ message: '职责条目 text 不能为空' }) @MaxLength(2000) text: string;
}

export class InternalOrganDto {
  @IsString() @Matches(ID_RE, { message: '内设机构 id 应为 1-64 位字母、数字、点、横线或下划线' }) id: string;
  @IsString() @Trim() @IsNotEmpty() @MaxLength(200) name: string;
  @IsArray() @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => DutyDto) duties: DutyDto[];
}

export class StaffingDto {
  @IsInt({ message: 'staffing.authorized（核定编制）必须是整数' }) @Min(0) @Max(1_000_000) authorized: number;
  @IsInt({ message: 'staffing.leaders（领导职数）必须是整数' }) @Min(0) @Max(10_000) leaders: number;
}

export class IssueSandingDto extends ChangeDto {
  @IsArray() @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => DutyDto) duties: DutyDto[];
  @IsArray() @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => InternalOrganDto) internalOrgans: InternalOrganDto[];
  @IsObject() @ValidateNested() @Type(() => StaffingDto) staffing: StaffingDto;
}

@Controller('api/departments')
export class DepartmentsController {
  constructor(
    private readonly commands: Commands,
    private readonly view: RegistryProjection,
  ) {}

  /** Name, region, 三定 in force and items held on `at`, as known at `asKnownAt`. */
  @Get(':id')
  get(@Param('id', IdParam()) id: string, @Query() q: AtQueryDto) {
    return departmentView(this.view, { id, at: q.at, asKnownAt: toStoreInstant(q.asKnownAt) });
  }

  /** A whole new 三定 version. */
  @Post(':id/sanding')
  @HttpCode(200)
  sanding(@Param('id', IdParam()) id: string, @Body() body: IssueSandingDto, @Req() req: any) {
    return this.commands.send('issueSanding', { ...body, id }, req);
  }

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
