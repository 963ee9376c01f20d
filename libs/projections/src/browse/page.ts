/** Paging and text search shared by the pickers' browse questions. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface PageRequest {
  q?: string;
  limit?: number;
  offset?: number;
}

export function page<T>(all: T[], q: { limit?: number; offset?: number }, defaultLimit = 50): Page<T> {
  const limit = q.limit ?? defaultLimit;
  const offset = q.offset ?? 0;
  return { items: all.slice(offset, offset + limit), total: all.length, limit, offset };
}

/** A search needle: trimmed, case-insensitive; empty means "everything". */
export const needle = (q?: string) => (q ?? '').trim().toLowerCase();

export const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
