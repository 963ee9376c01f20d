import type { DocumentRef } from './common';

/** 定编制 (CONTRACT.md v2): the staffing answers. */

/** Authorised and actual, 编制使用率 = 编制使用数 ÷ 核定数 (4 places; null: nothing authorised), its band of indicator 4.1.1. */
export interface UsageFigure {
  authorized: number;
  actual: number;
  usage: number | null;
  /** '85-95' | '75-85' | '60-75' | '0-60'; absent above 95 %. */
  band?: string;
  bandLabel?: string;
}

export interface DepartmentStaffing {
  departmentId: string;
  departmentName: string;
  nature: string | null;
  /** The 三定 the authorised figures come from. */
  sanding: { effectiveFrom: string; document: DocumentRef } | null;
  /** The 实有人员 report in force. */
  actualSince: { effectiveFrom: string; reason: string; document?: DocumentRef } | null;
  /** Per category: 行政编制, 事业编制, 工勤编制. */
  categories: Array<UsageFigure & { category: string }>;
  total: UsageFigure;
  leaders: Array<{ post: string; authorized: number; filled: number }>;
  leadersTotal: { authorized: number; filled: number };
  /** 编外人员. */
  outside: number;
}

/** GET /api/regions/{code}/staffing (the API adds regionName). */
export interface RegionStaffing {
  region: string;
  at: string;
  asKnownAt: string | null;
  departments: DepartmentStaffing[];
  totals: UsageFigure & { outside: number; leadersAuthorized: number; leadersFilled: number };
}

export interface StaffingSpec {
  authorized: number;
  leaders: number;
  categories?: Partial<Record<string, number>>;
  leaderPosts?: Record<string, number>;
  nature?: string;
}

export interface ActualStaffingReport {
  departmentId: string;
  effectiveFrom: string;
  document?: DocumentRef;
  reason: string;
  counts: Partial<Record<string, number>>;
  leaders: Record<string, number>;
  outside: number;
}

export interface StaffingPoint {
  from: string;
  authorized: number;
  actual: number;
  usage: number | null;
  band?: string;
  leadersAuthorized: number;
  leadersFilled: number;
  outside: number;
}

/** GET /api/departments/{id}/staffing */
export interface StaffingHistory {
  departmentId: string;
  departmentName: string;
  asKnownAt: string | null;
  /** 三定 versions with their staffing, in effective order. */
  authorised: Array<{ effectiveFrom: string; document: DocumentRef; staffing: StaffingSpec; eventId: string; recordedAt: string }>;
  /** Every 实有人员 report in recorded order (retracted ones marked). */
  actual: Array<ActualStaffingReport & { eventId: string; recordedAt: string; retractedAt?: string }>;
  /** The figures from each date where something changed. */
  series: StaffingPoint[];
}

/** Leader posts as the template and the forms write them: { 局长: 1, 副局长: 3 } ↔ "局长1、副局长3". */
export function formatPosts(posts: Partial<Record<string, number>> | undefined): string {
  return Object.entries(posts ?? {})
    .map(([p, n]) => `${p}${n}`)
    .join('、');
}

/** "局长1、副局长3" (also "局长:1，副局长 3名") → { 局长: 1, 副局长: 3 }; throws an Error naming the part it cannot read. */
export function parsePosts(s: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of s.split(/[、，,；;\s]+/).filter(Boolean)) {
    const m = /^(.+?)[:：]?(\d+)(名|人)?$/.exec(part);
    if (!m) throw new Error(`领导职数「${part}」应写作 职务+人数，如 局长1、副局长3`);
    out[m[1]] = (out[m[1]] ?? 0) + Number(m[2]);
  }
  return out;
}
