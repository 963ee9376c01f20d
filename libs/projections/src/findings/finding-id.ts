import { createHash } from 'node:crypto';

/**
 * A finding's id: kind, region and a hash of kind + region + what it is about (item codes, department
 * ids, duty ids, the other region) — never of a date, a score or a name, so the same finding keeps its id
 * across dates, rebuilds and renames. Readable prefix, 12 hex digits: `similar-650200-3f2a9c0d1e4b`.
 */
export function findingId(kind: string, region: string, about: string[]): string {
  const h = createHash('sha256').update(JSON.stringify([kind, region, ...about])).digest('hex').slice(0, 12);
  return `${kind}-${region}-${h}`;
}

/** A finding id as findingId makes them (kind, region code, 12 hex digits). */
export const FINDING_ID_RE = /^([a-z]+(?:-[a-z]+)*)-(\d{6}(?:\d{3}|\d{6})?)-([0-9a-f]{12})$/;

export function parseFindingId(id: string): { kind: string; region: string } | undefined {
  const m = FINDING_ID_RE.exec(id);
  return m ? { kind: m[1], region: m[2] } : undefined;
}
