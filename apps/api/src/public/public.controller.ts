import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { EditionsProjection, RegistryProjection, publicEditions, publicItemHistory, publicList } from '../../../../libs/projections/src';
import { Public } from '../auth/auth.guard';
import { ItemCodeParam, REGION_CODE_RE, RegionCodeParam } from '../shared/params';
import { EDITION_NUMBER_RE } from '../editions/editions.controller';

export class PublicListQueryDto {
  @IsOptional() @IsString() @Matches(EDITION_NUMBER_RE, { message: 'edition 应为版本号，如 2024年版' }) edition?: string;
  @IsOptional() @IsString() @MaxLength(100) department?: string;
  @IsOptional() @IsString() @MaxLength(100) q?: string;
}

export class PublicItemQueryDto {
  @IsString() @Matches(REGION_CODE_RE, { message: 'region 应为区划代码' }) region: string;
}

/**
 * 公示: the published editions, to anyone, without a token. Every answer is made from editions alone
 * (libs/projections/src/editions/public.query.ts): no draft, finding, actor, event id or later record.
 * Answers change only when an edition is published or retracted, so they carry an ETag and may be cached.
 */
@Controller('api/public')
export class PublicController {
  constructor(
    private readonly view: RegistryProjection,
    private readonly editions: EditionsProjection,
  ) {}

  @Public()
  @Get('regions/:code/editions')
  regionEditions(@Param('code', RegionCodeParam()) code: string, @Req() req: any, @Res({ passthrough: true }) res: any) {
    return cacheable(req, res, publicEditions(this.view, this.editions, code));
  }

  @Public()
  @Get('regions/:code/list')
  list(@Param('code', RegionCodeParam()) code: string, @Query() q: PublicListQueryDto, @Req() req: any, @Res({ passthrough: true }) res: any) {
    return cacheable(req, res, publicList(this.view, this.editions, { region: code, edition: q.edition, department: q.department, q: q.q }));
  }

  @Public()
  @Get('items/:item')
  item(@Param('item', ItemCodeParam()) item: string, @Query() q: PublicItemQueryDto, @Req() req: any, @Res({ passthrough: true }) res: any) {
    return cacheable(req, res, publicItemHistory(this.view, this.editions, { region: q.region, item }));
  }
}

/** Strong ETag of the answer; 304 when the client has it. */
function cacheable<T>(req: any, res: any, body: T): T | undefined {
  const etag = `"${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 27)}"`;
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', 'public, max-age=60');
  if (req.headers['if-none-match'] === etag) {
    res.status(304);
    return undefined;
  }
  return body;
}
