import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { IsIn, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { EditionsProjection, EncodedList, ListJsonCache, RegistryProjection, editionDiff, editionList, regionList, regionListDiff } from '../../../../libs/projections/src';
import { EDITION_NUMBER_RE } from '../editions/editions.controller';
import { IsCalendarDate, IsInstant, toStoreInstant } from '../shared/validators';
import { RegionCodeParam } from '../shared/params';
import { listExport } from './list-export';

const EDITION_MESSAGE = 'edition 应为版本号，如 2024年版';

/** ?at=&asKnownAt= or ?edition=<number> (the list as that edition published it). */
export class ListQueryDto {
  @ValidateIf((o) => o.edition === undefined) @IsCalendarDate() at: string;
  @IsOptional() @IsInstant() asKnownAt?: string;
  @IsOptional() @IsString() @Matches(EDITION_NUMBER_RE, { message: EDITION_MESSAGE }) edition?: string;
}

export class DiffQueryDto {
  @ValidateIf((o) => o.fromEdition === undefined) @IsCalendarDate() from: string;
  @ValidateIf((o) => o.fromEdition === undefined) @IsCalendarDate() to: string;
  @IsOptional() @IsInstant() asKnownAt?: string;
  @IsOptional() @IsString() @Matches(EDITION_NUMBER_RE, { message: EDITION_MESSAGE }) fromEdition?: string;
  @ValidateIf((o) => o.fromEdition !== undefined) @IsString({ message: 'fromEdition 与 toEdition 须同时给出' }) @Matches(EDITION_NUMBER_RE, { message: EDITION_MESSAGE }) toEdition?: string;
}

export class ExportQueryDto extends ListQueryDto {
  @IsOptional() @IsIn(['xlsx', 'csv'], { message: 'format 应为 xlsx 或 csv' }) format?: 'xlsx' | 'csv';
  @IsOptional() @IsIn(['source', 'standard'], { message: 'layout 应为 source 或 standard' }) layout?: 'source' | 'standard';
  @IsOptional() @IsString() @MaxLength(100) department?: string;
}

@Controller('api/regions/:code/list')
export class ListsController {
  constructor(
    private readonly view: RegistryProjection,
    private readonly editions: EditionsProjection,
  ) {}

  /** Each list item's JSON, encoded once (a county's list is ~3 MB of JSON: issue 19). */
  private readonly json = new ListJsonCache();

  /** The region's list on a date (items with owners, type, basis and conformance flags), or as an edition published it. */
  @Get()
  list(@Param('code', RegionCodeParam()) region: string, @Query() q: ListQueryDto, @Req() req: any, @Res() res: any) {
    if (q.edition !== undefined) return res.json(editionList(this.view, this.editions, region, q.edition));
    sendChunks(req, res, this.json.answer(regionList(this.view, { region, at: q.at, asKnownAt: toStoreInstant(q.asKnownAt) })));
  }

  /** The list in force as a spreadsheet to download (xlsx, or csv). */
  @Get('export')
  export(@Param('code', RegionCodeParam()) region: string, @Query() q: ExportQueryDto, @Res({ passthrough: true }) res: any) {
    return listExport(this.view, this.editions, { region, edition: q.edition, at: q.at, asKnownAt: toStoreInstant(q.asKnownAt), department: q.department, format: q.format, layout: q.layout }, res).file;
  }

  /** Items added, removed, transferred and revised between two dates, or between two editions. */
  @Get('diff')
  diff(@Param('code', RegionCodeParam()) region: string, @Query() q: DiffQueryDto) {
    if (q.fromEdition !== undefined && q.toEdition !== undefined) return editionDiff(this.view, this.editions, region, q.fromEdition, q.toEdition);
    return regionListDiff(this.view, { region, from: q.from, to: q.to, asKnownAt: toStoreInstant(q.asKnownAt) });
  }
}

/**
 * The same bytes res.json would send, written chunk by chunk in one corked write (no 4 MB copy), with its
 * ETag; 304 when the client has it (Express's freshness check), no body for HEAD.
 */
function sendChunks(req: any, res: any, a: EncodedList): void {
  res.status(200);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('ETag', a.etag);
  if (req.fresh) {
    res.status(304).end();
    return;
  }
  res.setHeader('Content-Length', String(a.length));
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  res.cork();
  for (const c of a.chunks) res.write(c);
  res.uncork();
  res.end();
}
