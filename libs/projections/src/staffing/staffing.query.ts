/**
 * GET /api/regions/{code}/staffing and /api/departments/{id}/staffing: authorised and actual staff per
 * category, leader posts authorised and filled, 编外, and 编制使用率 (indicator 4.1.1) with its band.
 */
import {
  ActualStaffingReportedData,
  DocumentRef,
  STAFFING_CATEGORIES,
  Staffing,
  actualStaffingOn,
  departmentActiveOn,
  departmentNameOn,
  sandingOn,
  totalActual,
  totalLeaders,
  usageBand,
  usageRate,
} from '../../../domain/src';
import type { DepartmentStaffing, RegionStaffing, StaffingHistory, UsageFigure } from '../../../contract/src';
import { StaffingProjection } from './staffing.projection';

export type { DepartmentStaffing, RegionStaffing, StaffingHistory, UsageFigure } from '../../../contract/src';

export function usageFigure(authorized: number, actual: number): UsageFigure {
  const rate = usageRate(actual, authorized);
  const band = usageBand(rate);
  return { authorized, actual, usage: rate === null ? null : Math.round(rate * 10_000) / 10_000, ...(band ? { band: band.band, bandLabel: band.label } : {}) };
}

/** One department's staffing on a date (undefined when it does not exist on that date). */
export function staffingFigures(staffing: Staffing | undefined, actual: ActualStaffingReportedData | undefined) {
  const a = staffing ?? { authorized: 0, leaders: 0 };
  const categories = STAFFING_CATEGORIES.map((category) => ({ category, ...usageFigure(a.categories?.[category] ?? 0, actual?.counts[category] ?? 0) }));
  const posts = [...new Set([...Object.keys(a.leaderPosts ?? {}), ...Object.keys(actual?.leaders ?? {})])];
  return {
    categories,
    total: usageFigure(a.authorized, actual ? totalActual(actual) : 0),
    leaders: posts.map((post) => ({ post, authorized: a.leaderPosts?.[post] ?? 0, filled: actual?.leaders[post] ?? 0 })),
    leadersTotal: { authorized: a.leaders, filled: actual ? totalLeaders(actual) : 0 },
    outside: actual?.outside ?? 0,
  };
}

export function departmentStaffingOn(p: StaffingProjection, id: string, at: string, asKnownAt?: string): DepartmentStaffing | undefined {
  const s = p.staffing(id, asKnownAt);
  const d = s.department;
  if (!d || !departmentActiveOn(d, at)) return undefined;
  const sanding = sandingOn(d, at);
  const actual = actualStaffingOn(s.reports, at);
  return {
    departmentId: id,
    departmentName: departmentNameOn(d, at),
    nature: sanding?.staffing.nature ?? null,
    sanding: sanding ? { effectiveFrom: sanding.effectiveFrom, document: sanding.document } : null,
    actualSince: actual ? { effectiveFrom: actual.effectiveFrom, reason: actual.reason, ...(actual.document ? { document: actual.document } : {}) } : null,
    ...staffingFigures(sanding?.staffing, actual),
  };
}

/** Every department of the region existing on `at`, as known at asKnownAt. */
export function regionStaffing(p: StaffingProjection, q: { region: string; at: string; asKnownAt?: string }): RegionStaffing {
  const departments = p
    .departmentIds(q.region)
    .map((id) => departmentStaffingOn(p, id, q.at, q.asKnownAt))
    .filter((x): x is DepartmentStaffing => !!x);
  const sum = (f: (d: DepartmentStaffing) => number) => departments.reduce((n, d) => n + f(d), 0);
  return {
    region: q.region,
    at: q.at,
    asKnownAt: q.asKnownAt ?? null,
    departments,
    totals: {
      ...usageFigure(sum((d) => d.total.authorized), sum((d) => d.total.actual)),
      outside: sum((d) => d.outside),
      leadersAuthorized: sum((d) => d.leadersTotal.authorized),
      leadersFilled: sum((d) => d.leadersTotal.filled),
    },
  };
}

/** A department's staffing over time: what was authorised, every report of actual staff, and the figures per date. */
export function staffingHistory(p: StaffingProjection, id: string, asKnownAt?: string): StaffingHistory | undefined {
  const s = p.staffing(id, asKnownAt);
  const d = s.department;
  if (!d) return undefined;
  const authorised = p.sandingFacts(id, asKnownAt).map((f) => {
    const v = f.event.data as { effectiveFrom: string; document: DocumentRef; staffing: Staffing };
    return { effectiveFrom: v.effectiveFrom, document: v.document, staffing: v.staffing, eventId: f.eventId, recordedAt: f.recordedAt };
  });
  authorised.sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0));
  const actual = p.reportFacts(id, asKnownAt).map(({ fact, retractedAt }) => ({ ...fact.event.data, eventId: fact.eventId, recordedAt: fact.recordedAt, ...(retractedAt ? { retractedAt } : {}) }));
  const dates = [...new Set([d.establishedOn, ...(d.sanding ?? []).map((x) => x.from), ...s.reports.map((r) => r.effectiveFrom)])].filter((x) => departmentActiveOn(d, x)).sort();
  const series = dates.map((from) => {
    const f = staffingFigures(sandingOn(d, from)?.staffing, actualStaffingOn(s.reports, from));
    return { from, authorized: f.total.authorized, actual: f.total.actual, usage: f.total.usage, ...(f.total.band ? { band: f.total.band } : {}), leadersAuthorized: f.leadersTotal.authorized, leadersFilled: f.leadersTotal.filled, outside: f.outside };
  });
  return { departmentId: id, departmentName: departmentNameOn(d, dates[dates.length - 1] ?? d.establishedOn), asKnownAt: asKnownAt ?? null, authorised, actual, series };
}
