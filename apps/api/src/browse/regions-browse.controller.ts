import { Controller, Get, Param, Query } from '@nestjs/common';
import { IsBoolean, IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { Transform } from 'class-transformer';
import { LEVELS, Level, NotFoundError, RegionState, departmentActiveOn, departmentNameOn } from '../../../../libs/domain/src';
import { RegistryProjection } from '../../../../libs/projections/src';
import { RegionCodeParam, REGION_CODE_RE } from '../shared/params';
import { IsCalendarDate, IsInstant, toStoreInstant } from '../shared/validators';
import { PageQueryDto, byText, needle, page, todayInChina } from './browse.shared';

export class RegionsQueryDto extends PageQueryDto {
  @IsOptional() @IsString() @Matches(REGION_CODE_RE, { message: 'parent 应为区划代码' }) parent?: string;
  @IsOptional() @IsIn(LEVELS, { message: `level 应为 ${LEVELS.join('/')}` }) level?: Level;
}

export class DepartmentsQueryDto extends PageQueryDto {
  @IsOptional() @IsCalendarDate() at?: string;
  @IsOptional() @IsInstant() asKnownAt?: string;
  /** false: only departments that exist on `at`. */
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean({ message: 'all 应为 true 或 false' }) all?: boolean;
}

export interface RegionRow {
  code: string;
  name: string;
  level: Level;
  parentCode?: string;
  since: string;
  children: number;
  /** Ancestors from the province down, for a breadcrumb. */
  path: Array<{ code: string; name: string }>;
}

/** Read-only views of the four-level region tree and of each region's departments, for the web app's pickers. */
@Controller('api/regions')
export class RegionsBrowseController {
  constructor(private readonly view: RegistryProjection) {}

  /** Children of `parent` (the provinces without it), or, with `q`, every region whose name or code contains it. */
  @Get()
  list(@Query() q: RegionsQueryDto) {
    const n = needle(q.q);
    let codes: string[];
    if (n) codes = [...this.view.regions.keys()];
    else if (q.parent) codes = [...(this.view.regionsByParent.get(q.parent) ?? [])];
    else codes = [...this.view.regions.keys()];
    const rows: RegionRow[] = [];
    for (const code of codes) {
      const r = this.view.region(code);
      if (!r) continue;
      if (!n && !q.parent && r.parentCode) continue;
      if (n && !(code.includes(n) || r.name.toLowerCase().includes(n))) continue;
      if (q.parent && n && !this.path(r).some((p) => p.code === q.parent)) continue;
      if (q.level && r.level !== q.level) continue;
      rows.push(this.row(r));
    }
    rows.sort((a, b) => (n ? Number(b.code === n) - Number(a.code === n) || LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level) : 0) || byText(a.code, b.code));
    return page(rows, q, 50);
  }

  @Get(':code')
  get(@Param('code', RegionCodeParam()) code: string) {
    const r = this.view.region(code);
    if (!r) throw new NotFoundError('UNKNOWN_REGION', `行政区划 ${code} 不存在`);
    return this.row(r);
  }

  /** The region's departments with their names on `at` (default today), as known at `asKnownAt`. */
  @Get(':code/departments')
  departments(@Param('code', RegionCodeParam()) code: string, @Query() q: DepartmentsQueryDto) {
    const asKnownAt = toStoreInstant(q.asKnownAt);
    if (!this.view.region(code, asKnownAt)) throw new NotFoundError('UNKNOWN_REGION', `行政区划 ${code} 不存在`);
    const at = q.at ?? todayInChina();
    const n = needle(q.q);
    const rows = [];
    for (const id of this.view.departmentsByRegion.get(code) ?? []) {
      const d = this.view.department(id, asKnownAt);
      if (!d) continue;
      const active = departmentActiveOn(d, at);
      if (q.all === false && !active) continue;
      const name = departmentNameOn(d, at);
      if (n && !(id.toLowerCase().includes(n) || d.names.some((x) => x.name.toLowerCase().includes(n)))) continue;
      rows.push({
        id,
        name,
        regionCode: d.regionCode,
        establishedOn: d.establishedOn,
        ...(d.abolishedOn ? { abolishedOn: d.abolishedOn } : {}),
        status: active ? 'active' : at < d.establishedOn ? 'not-yet-established' : 'abolished',
        hasSanding: (d.sanding ?? []).some((s) => s.from <= at),
      });
    }
    rows.sort((a, b) => Number(b.status === 'active') - Number(a.status === 'active') || byText(a.name, b.name) || byText(a.id, b.id));
    return { region: code, at, ...page(rows, q, 200) };
  }

  private path(r: RegionState): Array<{ code: string; name: string }> {
    const out: Array<{ code: string; name: string }> = [];
    let p = r.parentCode ? this.view.region(r.parentCode) : null;
    for (let guard = 0; p && guard < 8; guard++) {
      out.unshift({ code: p.code, name: p.name });
      p = p.parentCode ? this.view.region(p.parentCode) : null;
    }
    return out;
  }

  private row(r: RegionState): RegionRow {
    return {
      code: r.code,
      name: r.name,
      level: r.level,
      ...(r.parentCode ? { parentCode: r.parentCode } : {}),
      since: r.since,
      children: this.view.regionsByParent.get(r.code)?.size ?? 0,
      path: this.path(r),
    };
  }
}
