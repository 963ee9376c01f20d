import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateNested, ValidateBy, buildMessage } from 'class-validator';
import { REGION_CODE_RE } from '../shared/params';
import { ChangeDto } from '../shared/validators';
import { Commands } from '../shared/domain-command';
import { ID_RE, ItemCodeParam, RegionCodeParam } from '../shared/params';
import { findUnsafeChar } from '../../../../libs/domain/src';

/** The other columns of a published row (责任事项, 追责情形, 承办机构 …): column name → cell text, as the import keeps them. */
const IsPublishedFields = () =>
  ValidateBy({
    name: 'isPublishedFields',
    validator: {
      validate: (v: unknown) =>
        !!v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length <= 60 &&
        Object.entries(v as Record<string, unknown>).every(([k, t]) => k.trim().length > 0 && k.length <= 64 && !findUnsafeChar(k, false) && typeof t === 'string' && t.length <= 32_767),
      defaultMessage: buildMessage(() => 'asPublished.fields 应为 { 列名: 文本 } 的对象（至多 60 列，列名为一行文字、至多 64 字，每格至多 32,767 字）'),
    },
  });

export class PublishedWordingDto {
  @IsOptional() @IsString() @MaxLength(500) name?: string;
  @IsOptional() @IsString() @MaxLength(50) type?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(5000, { each: true }) basis?: string[];
  @IsOptional() @IsString() @MaxLength(64) code?: string;
  /** The row's other columns as published (a revised 追责情形 is an assignment with its document and date). */
  @IsOptional() @IsPublishedFields() fields?: Record<string, string>;
  @IsOptional() @IsString() @MaxLength(500) subItem?: string;
}

export class AssignItemDto extends ChangeDto {
  @IsString() @Matches(ID_RE, { message: 'departmentId 应为部门 id' }) departmentId: string;
  @IsIn(['lead', 'cooperating'], { message: 'role 应为 lead（牵头）或 cooperating（配合）' }) role: 'lead' | 'cooperating' = 'lead';
  @IsOptional() @IsString() @MaxLength(200) internalOrgan?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(64, { each: true }) dutyIds?: string[];
  @IsOptional() @IsObject() @ValidateNested() @Type(() => PublishedWordingDto) asPublished?: PublishedWordingDto;
}

export class TransferItemDto extends ChangeDto {
  @IsString() @Matches(ID_RE, { message: 'fromDepartmentId 应为部门 id' }) fromDepartmentId: string;
  @IsString() @Matches(ID_RE, { message: 'toDepartmentId 应为部门 id' }) toDepartmentId: string;
}

export class WithdrawItemDto extends ChangeDto {
  @IsOptional() @IsString() @Matches(ID_RE, { message: 'departmentId 应为部门 id' }) departmentId?: string;
}

/** A map of region code → department id. */
const IsRegionDepartmentMap = () =>
  ValidateBy({
    name: 'isRegionDepartmentMap',
    validator: {
      validate: (v: unknown) =>
        !!v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length <= 500 &&
        Object.entries(v as Record<string, unknown>).every(([k, d]) => REGION_CODE_RE.test(k) && typeof d === 'string' && ID_RE.test(d)),
      defaultMessage: buildMessage(() => 'departmentIds 应为 { 下级区划代码: 部门 id } 的对象'),
    },
  });

export class DelegateItemDto extends ChangeDto {
  @IsArray() @ArrayMinSize(1, { message: 'toRegionCodes 至少一个下级区划' }) @ArrayMaxSize(500) @Matches(REGION_CODE_RE, { each: true, message: 'toRegionCodes 的每一项应为区划代码' }) toRegionCodes: string[];
  @IsOptional() @IsRegionDepartmentMap() departmentIds?: Record<string, string>;
}

export class RecallItemDto extends ChangeDto {
  @IsArray() @ArrayMinSize(1, { message: 'fromRegionCodes 至少一个下级区划' }) @ArrayMaxSize(500) @Matches(REGION_CODE_RE, { each: true, message: 'fromRegionCodes 的每一项应为区划代码' }) fromRegionCodes: string[];
  @IsString() @Matches(ID_RE, { message: 'departmentId 应为部门 id' }) departmentId: string;
}

/** A region's list: assign, transfer, withdraw, delegate and recall an item. */
@Controller('api/regions/:code/items/:item')
export class AssignmentsController {
  constructor(private readonly commands: Commands) {}

  @Post('assign')
  @HttpCode(200)
  assign(@Param('code', RegionCodeParam()) regionCode: string, @Param('item', ItemCodeParam()) itemCode: string, @Body() body: AssignItemDto, @Req() req: any) {
    return this.commands.send('assignItem', { ...body, regionCode, itemCode }, req);
  }

  @Post('transfer')
  @HttpCode(200)
  transfer(@Param('code', RegionCodeParam()) regionCode: string, @Param('item', ItemCodeParam()) itemCode: string, @Body() body: TransferItemDto, @Req() req: any) {
    return this.commands.send('transferItem', { ...body, regionCode, itemCode }, req);
  }

  /** 下放 to child regions: one command, every stream it touches, wholly or not at all. */
  @Post('delegate')
  @HttpCode(200)
  delegate(@Param('code', RegionCodeParam()) regionCode: string, @Param('item', ItemCodeParam()) itemCode: string, @Body() body: DelegateItemDto, @Req() req: any) {
    return this.commands.send('delegateItem', { ...body, regionCode, itemCode }, req);
  }

  /** 上收 from child regions. */
  @Post('recall')
  @HttpCode(200)
  recall(@Param('code', RegionCodeParam()) regionCode: string, @Param('item', ItemCodeParam()) itemCode: string, @Body() body: RecallItemDto, @Req() req: any) {
    return this.commands.send('recallItem', { ...body, regionCode, itemCode }, req);
  }

  @Post('withdraw')
  @HttpCode(200)
  withdraw(@Param('code', RegionCodeParam()) regionCode: string, @Param('item', ItemCodeParam()) itemCode: string, @Body() body: WithdrawItemDto, @Req() req: any) {
    return this.commands.send('withdrawItem', { ...body, regionCode, itemCode }, req);
  }
}
