/**
 * Valid-time bookkeeping for findings. A finding holds over date ranges [from, until) — `until` is the
 * first date it no longer holds (the effective date of the change that ended it), absent while it still
 * holds. Dates are YYYY-MM-DD strings, so they compare as strings.
 */
export interface Range {
  from: string;
  until?: string;
}

export interface Segment<D> extends Range {
  detail: D;
}

export const inRange = (r: Range, d: string) => r.from <= d && (r.until === undefined || d < r.until);

export const sortedDates = (dates: Iterable<string | undefined>): string[] => [...new Set([...dates].filter((d): d is string => !!d))].sort();

/**
 * Evaluates `f` on each date (sorted, distinct): its answer holds from that date to the next one. Equal
 * consecutive answers (by their JSON) are merged; `undefined` means "does not hold".
 */
export function segmentsOver<D>(dates: string[], f: (d: string) => D | undefined): Segment<D>[] {
  const out: Segment<D>[] = [];
  let open: { seg: Segment<D>; json: string } | undefined;
  for (const d of dates) {
    const v = f(d);
    const json = v === undefined ? '' : JSON.stringify(v);
    if (open && open.json === json) continue;
    if (open) open.seg.until = d;
    open = undefined;
    if (v !== undefined) {
      const seg: Segment<D> = { from: d, detail: v };
      out.push(seg);
      open = { seg, json };
    }
  }
  return out;
}

/** Several findings' answers per date → one segment list per key. */
export function keyedSegmentsOver<D>(dates: string[], f: (d: string) => Map<string, D>): Map<string, Segment<D>[]> {
  const out = new Map<string, Segment<D>[]>();
  const open = new Map<string, { seg: Segment<D>; json: string }>();
  for (const d of dates) {
    const now = f(d);
    for (const [k, o] of open) {
      const v = now.get(k);
      // the very same object is the same answer (a family may hand back the detail it gave on the date before)
      if (v === undefined || (v !== o.seg.detail && JSON.stringify(v) !== o.json)) {
        o.seg.until = d;
        open.delete(k);
      }
    }
    for (const [k, v] of now) {
      if (open.has(k)) continue;
      const seg: Segment<D> = { from: d, detail: v };
      const list = out.get(k);
      if (list) list.push(seg);
      else out.set(k, [seg]);
      open.set(k, { seg, json: JSON.stringify(v) });
    }
  }
  return out;
}

/** The ranges the segments cover, adjacent ones joined. */
export function coveredRanges(segments: Range[]): Range[] {
  const sorted = [...segments].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const out: Range[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && last.until !== undefined && last.until >= s.from) {
      if (s.until === undefined || s.until > last.until) last.until = s.until;
    } else if (last && last.until === undefined) continue;
    else out.push({ from: s.from, ...(s.until !== undefined ? { until: s.until } : {}) });
  }
  return out;
}

/** The intersection of two ranges, if not empty. */
export function intersect(a: Range, b: Range): Range | undefined {
  const from = a.from > b.from ? a.from : b.from;
  const until = a.until === undefined ? b.until : b.until === undefined ? a.until : a.until < b.until ? a.until : b.until;
  if (until !== undefined && until <= from) return undefined;
  return until === undefined ? { from } : { from, until };
}
