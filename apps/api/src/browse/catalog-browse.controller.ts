import { Controller, Get, Param, Query } from '@nestjs/common';
import { IsIn, IsOptional } from 'class-validator';
import { ITEM_TYPES, ItemType, LEVELS, Level, NotFoundError, catalogVersionOn } from '../../../../libs/domain/src';
import { RegistryProjection } from '../../../../libs/projections/src';
import { ItemCodeParam } from '../shared/params';
import { IsCalendarDate } from '../shared/validators';
import { PageQueryDto, byText, needle, page, todayInChina } from './browse.shared';

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
    const at = q.at ?? todayInChina();
    const n = needle(q.q);
    const rows = [];
    for (const [code, facts] of this.view.catalog) {
      // Cheap pre-filter on the raw facts before folding the versions.
      if (n && !code.toLowerCase().includes(n) && !facts.some((f) => typeof (f.event.data as { name?: string }).name === 'string' && (f.event.data as { name: string }).name.toLowerCase().includes(n))) continue;
      const versions = this.view.catalogItem(code);
      if (versions.length === 0) continue;
      const v = catalogVersionOn(versions, at) ?? versions[0];
      const matchedName = versions.some((x) => x.name.toLowerCase().includes(n));
      if (n && !code.toLowerCase().includes(n) && !matchedName) continue;
      if (q.type && v.type !== q.type) continue;
      if (q.level && !v.levels.includes(q.level)) continue;
      rows.push({ code, name: v.name, type: v.type, levels: v.levels, from: versions[0].from, retired: v.retired, inForce: v.from <= at });
    }
    const rank = (r: { code: string }) => (!n ? 0 : r.code.toLowerCase() === n ? 0 : r.code.toLowerCase().startsWith(n) ? 1 : 2);
    rows.sort((a, b) => rank(a) - rank(b) || byText(a.code, b.code));
    return { at, ...page(rows, q, 20) };
  }

  /** Every version of a catalogue item on the valid axis. */
  @Get(':code')
  get(@Param('code', ItemCodeParam('code')) code: string) {
    const versions = this.view.catalogItem(code);
    if (versions.length === 0) throw new NotFoundError('UNKNOWN_ITEM', `事项 ${code} 不在目录中`);
    return { code, name: versions[versions.length - 1].name, versions };
  }
}
