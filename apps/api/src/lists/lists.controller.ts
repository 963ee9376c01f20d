import { Controller, Get, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { BadRequestException } from '@nestjs/common';
import { ExportError, exportPublishedList, publishedList } from '../../../../libs/export/src';
import { IsIn, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { EditionsProjection, RegistryProjection, editionDiff, editionList, findEdition, regionList, regionListDiff } from '../../../../libs/projections/src';
import { EDITION_NUMBER_RE } from '../editions/editions.controller';
import { IsCalendarDate, IsInstant, toStoreInstant } from '../shared/validators';
import { RegionCodeParam } from '../shared/params';

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

  /** The region's list on a date (items with owners, type, basis and conformance flags), or as an edition published it. */
  @Get()
  list(@Param('code', RegionCodeParam()) region: string, @Query() q: ListQueryDto) {
    if (q.edition !== undefined) return editionList(this.view, this.editions, region, q.edition);
    return regionList(this.view, { region, at: q.at, asKnownAt: toStoreInstant(q.asKnownAt) });
  }

  /** The list in force as a spreadsheet to download (xlsx, or csv). */
  @Get('export')
  export(@Param('code', RegionCodeParam()) region: string, @Query() q: ExportQueryDto, @Res({ passthrough: true }) res: any) {
    // An edition is its list on its effective date as known when it was recorded.
    const e = q.edition !== undefined ? findEdition(this.editions, region, q.edition) : undefined;
    const at = e ? e.effectiveFrom : q.at;
    const p = publishedList(this.view, { region, at, asKnownAt: e ? e.contentAsKnownAt : toStoreInstant(q.asKnownAt), department: q.department });
    const list = p.list;
    const format = q.format ?? 'xlsx';
    res.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    let body: Buffer;
    try {
      body = exportPublishedList(p, { layout: q.layout ?? 'standard', format });
    } catch (e) {
      if (e instanceof ExportError) throw new BadRequestException({ code: e.code, message: e.message });
      throw e;
    }
    res.setHeader('Content-Disposition', `attachment; filename="list-${region}-${at}.${format}"; filename*=UTF-8''${encodeURIComponent(`${list.regionName}${p.department ? p.department.name : ''}权责清单-${e ? e.number : at}.${format}`)}`);
    return new StreamableFile(body);
  }

  /** Items added, removed, transferred and revised between two dates, or between two editions. */
  @Get('diff')
  diff(@Param('code', RegionCodeParam()) region: string, @Query() q: DiffQueryDto) {
    if (q.fromEdition !== undefined && q.toEdition !== undefined) return editionDiff(this.view, this.editions, region, q.fromEdition, q.toEdition);
    return regionListDiff(this.view, { region, from: q.from, to: q.to, asKnownAt: toStoreInstant(q.asKnownAt) });
  }
}
