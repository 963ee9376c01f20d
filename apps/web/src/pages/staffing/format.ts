// What the 编制资源 page and the department page share (no chart code: the department page stays light).
import type { SeriesPoint } from './StaffingChart';

export interface StaffingHistory {
  departmentId: string;
  departmentName: string;
  authorised: Array<{ effectiveFrom: string; document: { number: string }; staffing: { authorized: number; leaders: number; categories?: Record<string, number>; leaderPosts?: Record<string, number>; nature?: string } }>;
  actual: Array<{ effectiveFrom: string; reason: string; document?: { number: string }; counts: Record<string, number>; leaders: Record<string, number>; outside: number; recordedAt: string; retractedAt?: string }>;
  series: SeriesPoint[];
}

export const posts = (o: Record<string, number> | undefined) =>
  Object.entries(o ?? {})
    .map(([p, n]) => `${p}${n}`)
    .join('、') || '—';

