/**
 * Boundary settlement: a 职责分工 clause of the region settles a finding about departments it names
 * (lead or assisting) from its effective date, when it covers the matter — by its item codes, or by its
 * matter text covering one of the finding's texts. The finding stays (same id, same dates) with settledBy.
 */
import { AgreeBoundaryClause } from '../../../domain/src';
import type { RegionContext } from './region-context';
import { Detail } from './family';
import { Segment, sortedDates } from './intervals';
import { bigrams, normaliseText, roundScore } from './text-similarity';

export type Clause = AgreeBoundaryClause & { eventId: string; recordedAt: string };

export interface Covering {
  clause: Clause;
  by: 'itemCodes' | 'matter';
  score?: number;
  /** The finding's text the matter covers, and the words the two share. */
  text?: string;
  matched?: string[];
}

/** The runs of characters of `text` whose bigrams the matter has too (what the clause and the text share), longest first. */
export function matchedWords(matter: string, text: string): string[] {
  const t = normaliseText(text);
  const have = new Set(bigrams(matter).keys());
  const runs: string[] = [];
  let run = '';
  for (let i = 0; i + 2 <= t.length; i++) {
    const g = t.slice(i, i + 2);
    if (have.has(g)) run = run ? run + g[1] : g;
    else if (run) {
      runs.push(run);
      run = '';
    }
  }
  if (run) runs.push(run);
  return [...new Set(runs)].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
}

/** Clauses of the region that name all these departments and cover the matter (by effective date). */
export function coveringClauses(ctx: RegionContext, departmentIds: string[], itemCodes: string[], texts: string[]): Covering[] {
  const out: Covering[] = [];
  for (const c of ctx.clauses) {
    const named = new Set([c.leadDepartmentId, ...c.assistingDepartmentIds]);
    if (!departmentIds.every((d) => named.has(d))) continue;
    if (c.itemCodes?.some((i) => itemCodes.includes(i))) {
      out.push({ clause: c, by: 'itemCodes' });
      continue;
    }
    // the matter names it: most of the matter's words are in the text, most of the text's words are in the
    // matter (a clause on 「安全生产许可证的监管」 covers 「对未取得安全生产许可证擅自生产的处罚」 only so far), or the two say the same thing
    let best: { score: number; text: string } | undefined;
    for (const t of texts) {
      const v = ctx.engine.vectors;
      const score = Math.max(...[v.containment(c.matter, t), v.containment(t, c.matter)].filter((x) => x >= ctx.o.matter), ...[v.cosine(c.matter, t)].filter((x) => x >= ctx.o.similarity), 0);
      if (score > 0 && (!best || score > best.score)) best = { score, text: t };
    }
    if (best) out.push({ clause: c, by: 'matter', score: roundScore(best.score), text: best.text, matched: matchedWords(c.matter, best.text) });
  }
  return out.sort((a, b) => (a.clause.effectiveFrom < b.clause.effectiveFrom ? -1 : a.clause.effectiveFrom > b.clause.effectiveFrom ? 1 : 0));
}

/** The first covering clause in force on a date, as the finding's settledBy. */
export function settledByOn(covering: Covering[], d: string): Detail | undefined {
  const c = covering.find((x) => x.clause.effectiveFrom <= d);
  if (!c) return undefined;
  return {
    clauseId: c.clause.clauseId,
    matter: c.clause.matter,
    lead: { departmentId: c.clause.leadDepartmentId },
    assisting: c.clause.assistingDepartmentIds.map((departmentId) => ({ departmentId })),
    itemCodes: c.clause.itemCodes ?? [],
    effectiveFrom: c.clause.effectiveFrom,
    document: c.clause.document,
    eventId: c.clause.eventId,
    coveredBy: c.by,
    ...(c.score !== undefined ? { matterScore: c.score } : {}),
    ...(c.text !== undefined ? { matterCovers: c.text, matchedWords: c.matched ?? [] } : {}),
  };
}

/** Segments cut at the covering clauses' effective dates, each with settledBy where one is in force (equal neighbours merged). */
export function settleSegments(segments: Array<Segment<Detail>>, covering: Covering[]): Array<Segment<Detail>> {
  const segs: Array<Segment<Detail>> = [];
  for (const s of [...segments].sort((x, y) => (x.from < y.from ? -1 : x.from > y.from ? 1 : 0))) {
    const cuts = sortedDates([s.from, ...covering.map((c) => c.clause.effectiveFrom).filter((d) => d > s.from && (s.until === undefined || d < s.until))]);
    cuts.forEach((from, i) => {
      const until = cuts[i + 1] ?? s.until;
      const settledBy = settledByOn(covering, from);
      const detail = settledBy ? { ...s.detail, settledBy } : s.detail;
      const last = segs[segs.length - 1];
      if (last && last.until === from && JSON.stringify(last.detail) === JSON.stringify(detail)) {
        if (until === undefined) delete last.until;
        else last.until = until;
      } else segs.push({ from, ...(until !== undefined ? { until } : {}), detail });
    });
  }
  return segs;
}
