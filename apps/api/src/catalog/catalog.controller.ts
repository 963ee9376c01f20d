import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ITEM_TYPES, ItemType, LEVELS, Level } from '../../../../libs/domain/src';
import { ChangeDto, Trim } from '../shared/validators';
import { Commands } from '../shared/domain-command';
import { ID_RE, ItemCodeParam } from '../shared/params';

export class DefineCatalogItemDto extends ChangeDto {
  @IsString() @Matches(ID_RE, { message: 'code 应为 1-64 位字母、数字、点、横线或下划线' }) code: string;
  @IsString() @Trim() @IsNotEmpty({ message: 'name 不能为空' }) @MaxLength(500) name: string;
  @IsIn(ITEM_TYPES, { message: `type 应为 ${ITEM_TYPES.join('/')}` }) type: ItemType;
  @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(5000, { each: true }) basis: string[];
  @IsArray() @ArrayMinSize(1, { message: 'levels 至少一个层级' }) @ArrayMaxSize(4) @IsIn(LEVELS, { each: true, message: `levels 的每一项应为 ${LEVELS.join('/')}` })
  levels: Level[];
}

export class ReviseCatalogItemDto extends ChangeDto {
  @IsOptional() @IsString() @Trim() @IsNotEmpty() @MaxLength(500) name?: string;
  @IsOptional() @IsIn(ITEM_TYPES, { message: `type 应为 ${ITEM_TYPES.join('/')}` }) type?: ItemType;
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(5000, { each: true }) basis?: string[];
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(4) @IsIn(LEVELS, { each: true }) levels?: Level[];
}

@Controller('api/catalog/items')
export class CatalogController {
  constructor(private readonly commands: Commands) {}

  @Post()
  @HttpCode(201)
  define(@Body() body: DefineCatalogItemDto, @Req() req: any) {
    return this.commands.send('defineCatalogItem', body, req);
  }

  @Post(':code/revise')
  @HttpCode(200)
  revise(@Param('code', ItemCodeParam('code')) code: string, @Body() body: ReviseCatalogItemDto, @Req() req: any) {
    return this.commands.send('reviseCatalogItem', { ...body, code }, req);
  }

  @Post(':code/retire')
  @HttpCode(200)
  retire(@Param('code', ItemCodeParam('code')) code: string, @Body() body: ChangeDto, @Req() req: any) {
    return this.commands.send('retireCatalogItem', { ...body, code }, req);
  }
}
