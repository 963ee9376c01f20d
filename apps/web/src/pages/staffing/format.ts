// What the 编制资源 page and the department page share (no chart code: the department page stays light).
export type { StaffingHistory } from '../../../../../libs/contract/src';

export const posts = (o: Partial<Record<string, number>> | undefined) =>
  Object.entries(o ?? {})
    .map(([p, n]) => `${p}${n}`)
    .join('、') || '—';


export const pct = (u: number | null) => (u === null ? '—' : `${Math.round(u * 1000) / 10}%`);
