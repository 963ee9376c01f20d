import { Controller, Get, Param, Query } from '@nestjs/common';
import { IsIn, IsOptional } from 'class-validator';
import { ITEM_TYPES, ItemType, LEVELS, Level } from '../../../../libs/domain/src';
import { RegistryProjection, catalogItemVersions, searchCatalog } from '../../../../libs/projections/src';
import { ItemCodeParam } from '../shared/params';
import { IsCalendarDate } from '../shared/validators';
import { PageQueryDto, todayInChina } from './browse.shared';

export class CatalogQueryDto extends PageQueryDto {
  @IsOptional() @IsCalendarDate() at?: string;
  @IsOptional() @IsIn(ITEM_TYPES, { message: `type 应为 ${ITEM_TYPES.join('/')}` }) type?: ItemType;
  @IsOptional() @IsIn(LEVELS, { message: `level 应为 ${LEVELS.join('/')}` }) level?: Level;
}

/** Read-only search of the catalogue, for the web app's item pickers: by code or by part of the Chinese name. */
@Controller('api/catalog/items')
export class CatalogBrowseController {
  constructor(private readonly view: RegistryProjection) {}

  @Get()
  search(@Query() q: CatalogQueryDto) {
    return searchCatalog(this.view, { ...q, at: q.at ?? todayInChina() });
  }

  /** Every version of a catalogue item on the valid axis. */
  @Get(':code')
  get(@Param('code', ItemCodeParam('code')) code: string) {
    return catalogItemVersions(this.view, code);
  }
}
