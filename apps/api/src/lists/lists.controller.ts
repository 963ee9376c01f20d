import { Controller, Get, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { BadRequestException } from '@nestjs/common';
import { ExportError, exportPublishedList, publishedList } from '../../../../libs/export/src';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { RegistryProjection, regionList, regionListDiff } from '../../../../libs/projections/src';
import { AtQueryDto, IsCalendarDate, IsInstant, toStoreInstant } from '../shared/validators';
import { RegionCodeParam } from '../shared/params';

export class DiffQueryDto {
  @IsCalendarDate() from: string;
  @IsCalendarDate() to: string;
  @IsOptional() @IsInstant() asKnownAt?: string;
}

export class ExportQueryDto extends AtQueryDto {
  @IsOptional() @IsIn(['xlsx', 'csv'], { message: 'format 应为 xlsx 或 csv' }) format?: 'xlsx' | 'csv';
  @IsOptional() @IsIn(['source', 'standard'], { message: 'layout 应为 source 或 standard' }) layout?: 'source' | 'standard';
  @IsOptional() @IsString() @MaxLength(100) department?: string;
}

@Controller('api/regions/:code/list')
export class ListsController {
  constructor(private readonly view: RegistryProjection) {}

  /** The region's list on a date: items with owners, type, basis and conformance flags. */
  @Get()
  list(@Param('code', RegionCodeParam()) region: string, @Query() q: AtQueryDto) {
    return regionList(this.view, { region, at: q.at, asKnownAt: toStoreInstant(q.asKnownAt) });
  }

  /** The list in force as a spreadsheet to download (xlsx, or csv). */
  @Get('export')
  export(@Param('code', RegionCodeParam()) region: string, @Query() q: ExportQueryDto, @Res({ passthrough: true }) res: any) {
    const p = publishedList(this.view, { region, at: q.at, asKnownAt: toStoreInstant(q.asKnownAt), department: q.department });
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
    res.setHeader('Content-Disposition', `attachment; filename="list-${region}-${q.at}.${format}"; filename*=UTF-8''${encodeURIComponent(`${list.regionName}${p.department ? p.department.name : ''}权责清单-${q.at}.${format}`)}`);
    return new StreamableFile(body);
  }

  /** Items added, removed, transferred and revised between two dates. */
  @Get('diff')
  diff(@Param('code', RegionCodeParam()) region: string, @Query() q: DiffQueryDto) {
    return regionListDiff(this.view, { region, from: q.from, to: q.to, asKnownAt: toStoreInstant(q.asKnownAt) });
  }
}
