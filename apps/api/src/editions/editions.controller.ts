import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { EditionsProjection, RegistryProjection, editionList, editionToPublish, regionEditions } from '../../../../libs/projections/src';
import { RequireRole } from '../auth/auth.guard';
import { Commands } from '../shared/domain-command';
import { RegionCodeParam } from '../shared/params';
import { ChangeDto, IsCalendarDate, IsInstant, toStoreInstant } from '../shared/validators';

import { EDITION_NUMBER_RE } from '../../../../libs/domain/src';
export { EDITION_NUMBER_RE };

export class PublishEditionDto extends ChangeDto {
  @IsString() @Matches(EDITION_NUMBER_RE, { message: 'number（版本号）应为 1–40 个字符，如 2024年版' }) number: string;
  @IsOptional() @IsString() @MaxLength(200) title?: string;
  @IsCalendarDate() publishedOn: string;
}

export class EditionsQueryDto {
  @IsOptional() @IsInstant() asKnownAt?: string;
}

/**
 * 年版: a region's list declared as published (admin), and the editions with their content. The content
 * of an edition is the list on its effective date as the registry knew it when the edition was recorded;
 * its hash is computed here from the read model and recorded with it.
 */
@Controller('api/regions/:code/editions')
export class EditionsController {
  constructor(
    private readonly view: RegistryProjection,
    private readonly editions: EditionsProjection,
    private readonly commands: Commands,
  ) {}

  @Post()
  @HttpCode(201)
  @RequireRole('admin')
  async publish(@Param('code', RegionCodeParam()) regionCode: string, @Body() body: PublishEditionDto, @Req() req: any) {
    const content = editionToPublish(this.view, { region: regionCode, effectiveFrom: body.effectiveFrom });
    const result = await this.commands.send('publishEdition', { ...body, regionCode, ...content }, req);
    return { ...result, edition: { number: body.number.trim(), publishedOn: body.publishedOn, effectiveFrom: body.effectiveFrom, ...content } };
  }

  @Get()
  list(@Param('code', RegionCodeParam()) regionCode: string, @Query() q: EditionsQueryDto) {
    return regionEditions(this.view, this.editions, regionCode, toStoreInstant(q.asKnownAt));
  }

  /** One edition with its content and whether the content still hashes to what was recorded. */
  @Get(':number')
  one(@Param('code', RegionCodeParam()) regionCode: string, @Param('number') number: string) {
    return editionList(this.view, this.editions, regionCode, number);
  }
}
