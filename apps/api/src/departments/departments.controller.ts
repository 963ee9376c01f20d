import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested, ValidationOptions, registerDecorator } from 'class-validator';
import { ORGAN_NATURES, STAFFING_CATEGORIES } from '../../../../libs/domain/src';
import { RegistryProjection, departmentView } from '../../../../libs/projections/src';
import { AtQueryDto, ChangeDto, DocumentDto, IsCalendarDate, Trim, toStoreInstant } from '../shared/validators';
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

/** { "<name>": n, … } with whole numbers ≥ 0; with `names`, only those keys. */
export function IsCountMap(names?: readonly string[], options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isCountMap',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} 应为 { "${names ? names.join('" | "') : '名称'}": 不小于 0 的整数 }`, ...options },
      validator: {
        validate: (v: unknown) =>
          !!v &&
          typeof v === 'object' &&
          !Array.isArray(v) &&
          Object.keys(v).length <= 100 &&
          Object.entries(v as object).every(([k, n]) => k.trim().length > 0 && k.length <= 50 && (!names || names.includes(k)) && Number.isInteger(n) && n >= 0 && n <= 1_000_000),
      },
    });
}

export class StaffingDto {
  @ValidateIf((o) => o.categories === undefined || o.authorized !== undefined)
  @IsInt({ message: 'staffing.authorized（核定编制）必须是整数（或给出 staffing.categories）' }) @Min(0) @Max(1_000_000) authorized?: number;
  @ValidateIf((o) => o.leaderPosts === undefined || o.leaders !== undefined)
  @IsInt({ message: 'staffing.leaders（领导职数）必须是整数（或给出 staffing.leaderPosts）' }) @Min(0) @Max(10_000) leaders?: number;
  @IsOptional() @IsCountMap(STAFFING_CATEGORIES) categories?: Record<string, number>;
  @IsOptional() @IsCountMap() leaderPosts?: Record<string, number>;
  @IsOptional() @IsIn(ORGAN_NATURES as unknown as string[], { message: `staffing.nature（机构性质）应为 ${ORGAN_NATURES.join('、')} 之一` }) nature?: string;
}

/** POST /api/departments/{id}/staffing-actual: the actual staff (实有人员) from a date. */
export class ActualStaffingDto {
  @IsDefined({ message: 'effectiveFrom 必填' }) @IsCalendarDate() effectiveFrom: string;
  @IsOptional() @IsObject({ message: 'document 必须是对象 { number, title?, issuedBy?, issuedOn? }' }) @ValidateNested() @Type(() => DocumentDto) document?: DocumentDto;
  @IsString({ message: 'reason（变动原因，如 招录、调入、调出、退休、年度核对）必填' }) @Trim() @IsNotEmpty({ message: 'reason（变动原因）不能为空' }) @MaxLength(200) reason: string;
  @IsDefined({ message: 'counts（实有在编人数）必填' }) @IsCountMap(STAFFING_CATEGORIES) counts: Record<string, number>;
  @IsOptional() @IsCountMap() leaders?: Record<string, number>;
  @IsOptional() @IsInt({ message: 'outside（编外人员）必须是整数' }) @Min(0) @Max(1_000_000) outside?: number;
  @IsOptional() @IsInt({ message: 'expectedVersion 必须是整数' }) @Min(-1) expectedVersion?: number;
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

  /** The actual staff (实有人员) from a date: an event with its reason and document. */
  @Post(':id/staffing-actual')
  @HttpCode(200)
  staffingActual(@Param('id', IdParam()) id: string, @Body() body: ActualStaffingDto, @Req() req: any) {
    return this.commands.send('reportActualStaffing', { ...body, departmentId: id }, req);
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
