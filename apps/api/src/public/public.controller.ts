import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { EditionsProjection, RegistryProjection, publicEditions, publicItemHistory, publicList, publicRegions } from '../../../../libs/projections/src';
import { Public } from '../auth/auth.guard';
import { ItemCodeParam, ParamPipe, REGION_CODE_RE, RegionCodeParam } from '../shared/params';
import { EDITION_NUMBER_RE } from '../editions/editions.controller';
import { listExport } from '../lists/list-export';

const EditionNumberParam = new ParamPipe('number', EDITION_NUMBER_RE, 'number 应为版本号，如 2024年版');

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

  /** The regions with a published list, each with its latest edition (the front page of /public/). */
  @Public()
  @Get('regions')
  regions(@Req() req: any, @Res({ passthrough: true }) res: any) {
    return cacheable(req, res, publicRegions(this.view, this.editions));
  }

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


  /**
   * The edition as published, to download: the list's sheets only (no registry sheet: no 状态, no
   * 四级四同偏差, no source files), by the one export of the lists (lists/list-export.ts).
   */
  @Public()
  @Get('regions/:code/editions/:number/export.xlsx')
  export(@Param('code', RegionCodeParam()) code: string, @Param('number', EditionNumberParam) number: string, @Req() req: any, @Res({ passthrough: true }) res: any) {
    const { file, body } = listExport(this.view, this.editions, { region: code, edition: number, format: 'xlsx', layout: 'standard', publicOnly: true }, res);
    return cacheable(req, res, file, body);
  }
}


/** Strong ETag of the answer (of `bytes` when given, else of its JSON); 304 when the client has it. */
function cacheable<T>(req: any, res: any, body: T, bytes?: Buffer): T | undefined {
  const etag = `"${createHash('sha256').update(bytes ?? JSON.stringify(body)).digest('base64url').slice(0, 27)}"`;
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', 'public, max-age=60');
  if (req.headers['if-none-match'] === etag) {
    res.status(304);
    return undefined;
  }
  return body;
}
