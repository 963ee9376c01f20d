/**
 * How the read models keep a province's facts small on the V8 heap: one copy of each repeated string,
 * short lists at their exact length, and the sets and lists the indexes are made of.
 */

/** Shares one copy of a string that many facts repeat (codes, dates, document numbers, actors). */
export class StringTable {
  private readonly strings = new Map<string, string>();

  intern(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    this.strings.set(s, s);
    return s;
  }

  get size(): number {
    return this.strings.size;
  }

  clear(): void {
    this.strings.clear();
  }
}

/** The list with one more element: a new array of the exact length while short, else the list itself, grown. */
export function appended<T>(list: T[], v: T): T[] {
  switch (list.length) {
    case 1:
      return [list[0], v];
    case 2:
      return [list[0], list[1], v];
    case 3:
      return [list[0], list[1], list[2], v];
    default:
      if (list.length < 16) return list.concat([v]);
      list.push(v);
      return list;
  }
}

/**
 * Appends to a short list kept at its exact length: V8 gives an array that grows by push room for 16
 * more elements, ~130 bytes wasted on each of the ~10^6 list entries that hold one to three values.
 */
export function pushExact<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (!list) m.set(k, [v]);
  else m.set(k, appended(list, v));
}

/** Two objects with the same own keys and the same values, compared with ===. */
export function sameFlat(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  let n = 0;
  for (const k in a) {
    if (a[k] !== b[k]) return false;
    n++;
  }
  for (const _ in b) n--;
  return n === 0;
}

export function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

export function addTo<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  const s = m.get(k);
  if (s) s.add(v);
  else m.set(k, new Set([v]));
}
