import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { IsIn, IsOptional, IsString, Matches, MaxLength, IsNotEmpty } from 'class-validator';
import { LEVELS, Level } from '../../../../libs/domain/src';
import { ChangeDto, Trim } from '../shared/validators';
import { Commands } from '../shared/domain-command';
import { REGION_CODE_RE } from '../shared/params';

export class RegisterRegionDto extends ChangeDto {
  @IsString() @Matches(REGION_CODE_RE, { message: 'code 应为 6 位（省市县）或 9 位（乡镇）区划代码' }) code: string;
  @IsString() @Trim() @IsNotEmpty({ message: 'name 不能为空' }) @MaxLength(100) name: string;
  @IsIn(LEVELS, { message: `level 应为 ${LEVELS.join('/')}` }) level: Level;
  @IsOptional() @IsString() @Matches(REGION_CODE_RE, { message: 'parentCode 应为区划代码' }) parentCode?: string;
}

@Controller('api/regions')
export class RegionsController {
  constructor(private readonly commands: Commands) {}

  @Post()
  @HttpCode(201)
  register(@Body() body: RegisterRegionDto, @Req() req: any) {
    return this.commands.send('registerRegion', body, req);
  }
}
