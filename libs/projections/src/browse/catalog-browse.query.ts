import { CatalogVersion, ItemType, Level, NotFoundError, catalogVersionOn } from '../../../domain/src';
import { RegistryProjection } from '../registry/registry.projection';
import { Page, PageRequest, byText, needle, page } from './page';

export interface CatalogRow {
  code: string;
  name: string;
  type: string;
  levels: string[];
  from: string;
  retired: boolean;
  inForce: boolean;
}

/** The catalogue searched by code or by part of any of its Chinese names, as in force on `at` (the caller's today by default). */
export function searchCatalog(view: RegistryProjection, q: PageRequest & { at: string; type?: ItemType; level?: Level }): { at: string } & Page<CatalogRow> {
  const at = q.at;
  const n = needle(q.q);
  const rows: CatalogRow[] = [];
  for (const code of view.catalogCodes()) {
    const versions = view.catalogItem(code);
    if (versions.length === 0) continue;
    if (n && !code.toLowerCase().includes(n) && !versions.some((x) => x.name.toLowerCase().includes(n))) continue;
    const v = catalogVersionOn(versions, at) ?? versions[0];
    if (q.type && v.type !== q.type) continue;
    if (q.level && !v.levels.includes(q.level)) continue;
    rows.push({ code, name: v.name, type: v.type, levels: v.levels, from: versions[0].from, retired: v.retired, inForce: v.from <= at });
  }
  const rank = (r: { code: string }) => (!n ? 0 : r.code.toLowerCase() === n ? 0 : r.code.toLowerCase().startsWith(n) ? 1 : 2);
  rows.sort((a, b) => rank(a) - rank(b) || byText(a.code, b.code));
  return { at, ...page(rows, q, 20) };
}

/** Every version of a catalogue item on the valid axis. */
export function catalogItemVersions(view: RegistryProjection, code: string): { code: string; name: string; versions: CatalogVersion[] } {
  const versions = view.catalogItem(code);
  if (versions.length === 0) throw new NotFoundError('UNKNOWN_ITEM', `事项 ${code} 不在目录中`);
  return { code, name: versions[versions.length - 1].name, versions };
}
