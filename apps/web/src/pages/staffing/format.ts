// What the 编制资源 page and the department page share (no chart code: the department page stays light).
export type { StaffingHistory } from '../../../../../libs/contract/src';

import { formatPosts } from '../../../../../libs/contract/src';

/** { 局长: 1, 副局长: 2 } → "局长1、副局长2" ('—' when none). */
export const posts = (o: Partial<Record<string, number>> | undefined) => formatPosts(o) || '—';


export const pct = (u: number | null) => (u === null ? '—' : `${Math.round(u * 1000) / 10}%`);
