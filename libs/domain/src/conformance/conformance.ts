import { CatalogVersion } from '../catalog/catalog-item';
import { PublishedWording } from '../assignments/assignment';

/** 四级四同: the four fields a list must word as the catalogue does. */
export const CONFORMANCE_FIELDS = ['name', 'type', 'basis', 'code'] as const;
export type ConformanceField = (typeof CONFORMANCE_FIELDS)[number];

export interface Deviation {
  field: ConformanceField;
  catalogue: string | string[];
  list: string | string[];
}

const norm = (s: string) => s.replace(/[\s\u3000]+/g, '').replace(/[（]/g, '(').replace(/[）]/g, ')');

/**
 * Fields where the list's own wording differs from the catalogue version in force (whitespace and
 * full-width brackets aside). Without its own wording a list follows the catalogue: no deviation.
 */
export function deviations(version: CatalogVersion, published: PublishedWording | undefined): Deviation[] {
  if (!published) return [];
  const out: Deviation[] = [];
  if (published.name !== undefined && norm(published.name) !== norm(version.name)) out.push({ field: 'name', catalogue: version.name, list: published.name });
  if (published.type !== undefined && norm(published.type) !== norm(version.type)) out.push({ field: 'type', catalogue: version.type, list: published.type });
  if (published.basis !== undefined) {
    const a = published.basis.map(norm).sort().join('\n');
    const b = version.basis.map(norm).sort().join('\n');
    if (a !== b) out.push({ field: 'basis', catalogue: version.basis, list: published.basis });
  }
  if (published.code !== undefined && published.code.trim() !== '' && published.code.trim() !== version.code) out.push({ field: 'code', catalogue: version.code, list: published.code });
  return out;
}
