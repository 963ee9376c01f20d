import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { ChangeDto } from '../shared/validators';
import { Commands } from '../shared/domain-command';
import { ID_RE, ItemCodeParam, RegionCodeParam } from '../shared/params';

export class PublishedWordingDto {
  @IsOptional() @IsString() @MaxLength(500) name?: string;
  @IsOptional() @IsString() @MaxLength(50) type?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(5000, { each: true }) basis?: string[];
  @IsOptional() @IsString() @MaxLength(64) code?: string;
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

/** A region's list: assign, transfer, withdraw an item. */
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

  @Post('withdraw')
  @HttpCode(200)
  withdraw(@Param('code', RegionCodeParam()) regionCode: string, @Param('item', ItemCodeParam()) itemCode: string, @Body() body: WithdrawItemDto, @Req() req: any) {
    return this.commands.send('withdrawItem', { ...body, regionCode, itemCode }, req);
  }
}
