/**
 * 定编制: the staffing a 三定 authorises (核定编制 per category, 领导职数 per post, the organ's nature)
 * and the staff a department actually has (实有人员), reported from a date with a reason and a document.
 *
 * Decider in Emmett's shape: `initialActualStaffingState`, `evolveActualStaffing(state, event)`,
 * `decideReportActualStaffing(command, state) → { events, warnings }`. The state folds the department's
 * own stream (to know it exists, and the 三定 in force) and its staffing stream `staffing-<id>`.
 */
import { DocumentRef, DomainError, Warning } from '../shared/types';
import { DomainEvent, Decision, decided } from '../shared/decider';
import { DepartmentEvent, DepartmentState, Staffing, departmentActiveOn, evolveDepartment, sandingOn } from '../departments/department';

export const staffingStream = (departmentId: string) => `staffing-${departmentId}`;

export const STAFFING_CATEGORIES = ['行政编制', '事业编制', '工勤编制'] as const;
export type StaffingCategory = (typeof STAFFING_CATEGORIES)[number];
export const ORGAN_NATURES = ['行政机关', '参公事业单位', '事业单位'] as const;
export type OrganNature = (typeof ORGAN_NATURES)[number];
/** Reasons the office's forms use; any other short text is accepted too. */
export const STAFFING_REASONS = ['招录', '调入', '调出', '退休', '转任', '辞职', '年度核对', '更正'] as const;

export const isStaffingCategory = (s: string): s is StaffingCategory => (STAFFING_CATEGORIES as readonly string[]).includes(s);
export const isOrganNature = (s: unknown): s is OrganNature => typeof s === 'string' && (ORGAN_NATURES as readonly string[]).includes(s);

/** The staffing part of a 三定 as a command gives it: v1's two totals, or categories and posts, or both. */
export interface StaffingInput {
  authorized?: number;
  leaders?: number;
  categories?: Partial<Record<string, number>>;
  leaderPosts?: Record<string, number>;
  nature?: string;
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 1_000_000;
const sum = (o: Record<string, number | undefined> | undefined) => Object.values(o ?? {}).reduce<number>((a, b) => a + (b ?? 0), 0);

function checkCounts(what: string, o: Record<string, unknown> | undefined, categoriesOnly: boolean): void {
  if (o === undefined) return;
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new DomainError('STAFFING', `${what} 应为「名称: 人数」的对象`);
  for (const [k, v] of Object.entries(o)) {
    if (categoriesOnly && !isStaffingCategory(k)) throw new DomainError('UNKNOWN_CATEGORY', `编制类别「${k}」不是 ${STAFFING_CATEGORIES.join('、')} 之一`, { category: k });
    if (!k.trim() || k.length > 50) throw new DomainError('STAFFING', `${what} 的名称不能为空或超过 50 字`);
    if (!isCount(v)) throw new DomainError('STAFFING', `${what}「${k}」应为不小于 0 的整数`, { key: k });
  }
}

/**
 * The staffing as stored with the 三定: always v1's `authorized` and `leaders` (so every reader of v1
 * keeps working), plus categories, posts and nature when given. A total that disagrees with its parts
 * is refused.
 */
export function normalizeStaffing(s: StaffingInput): Staffing {
  if (!s || typeof s !== 'object') throw new DomainError('STAFFING', 'staffing（编制）必须给出');
  checkCounts('categories（分类核定编制）', s.categories as Record<string, unknown>, true);
  checkCounts('leaderPosts（领导职数）', s.leaderPosts, false);
  if (s.nature !== undefined && !isOrganNature(s.nature)) throw new DomainError('UNKNOWN_NATURE', `机构性质应为 ${ORGAN_NATURES.join('、')} 之一`, { nature: s.nature });
  const catSum = s.categories ? sum(s.categories) : undefined;
  const postSum = s.leaderPosts ? sum(s.leaderPosts) : undefined;
  const authorized = s.authorized ?? catSum;
  const leaders = s.leaders ?? postSum;
  if (!isCount(authorized)) throw new DomainError('STAFFING', 'staffing.authorized（核定编制）或 staffing.categories 必须给出，且为不小于 0 的整数');
  if (!isCount(leaders)) throw new DomainError('STAFFING', 'staffing.leaders（领导职数）或 staffing.leaderPosts 必须给出，且为不小于 0 的整数');
  if (catSum !== undefined && catSum !== authorized) throw new DomainError('STAFFING_TOTAL', `分类核定编制合计 ${catSum} 与核定编制 ${authorized} 不一致`);
  if (postSum !== undefined && postSum !== leaders) throw new DomainError('STAFFING_TOTAL', `各职务领导职数合计 ${postSum} 与领导职数 ${leaders} 不一致`);
  if (leaders > authorized) throw new DomainError('STAFFING', `领导职数 ${leaders} 超过核定编制 ${authorized}`);
  const out: Staffing = { authorized, leaders };
  if (s.categories) out.categories = Object.fromEntries(STAFFING_CATEGORIES.filter((c) => s.categories![c] !== undefined).map((c) => [c, s.categories![c]!]));
  if (s.leaderPosts) out.leaderPosts = { ...s.leaderPosts };
  if (s.nature) out.nature = s.nature as OrganNature;
  return out;
}

// ---- 实有人员 ----

/** The command: the actual staff of a department from a date. */
export interface ReportActualStaffing {
  departmentId: string;
  effectiveFrom: string;
  document?: DocumentRef;
  /** 招录, 调入, 调出, 退休, 年度核对 … (required). */
  reason: string;
  /** 实有在编 per category. */
  counts: Partial<Record<string, number>>;
  /** Leader posts filled, per post. */
  leaders?: Record<string, number>;
  /** 编外人员. */
  outside?: number;
}

/** The event's data: the report as recorded, every field present. */
export interface ActualStaffingReportedData {
  departmentId: string;
  effectiveFrom: string;
  document?: DocumentRef;
  reason: string;
  counts: Partial<Record<StaffingCategory, number>>;
  leaders: Record<string, number>;
  outside: number;
}

export type ActualStaffingReported = DomainEvent<'ActualStaffingReported', ActualStaffingReportedData>;
export type StaffingEvent = ActualStaffingReported;

export interface ActualStaffingState {
  department: DepartmentState | null;
  /** Reports in effective order; on the same date, in recorded order (the later one is in force). */
  reports: ActualStaffingReportedData[];
}

export const initialActualStaffingState: ActualStaffingState = { department: null, reports: [] };

/** Folds the department's stream and its staffing stream (retracted events already left out). */
export function evolveActualStaffing(state: ActualStaffingState, event: StaffingEvent | DepartmentEvent): ActualStaffingState {
  if (event.type === 'ActualStaffingReported') {
    const reports = [...state.reports];
    let i = reports.length;
    while (i > 0 && reports[i - 1].effectiveFrom > event.data.effectiveFrom) i--;
    reports.splice(i, 0, event.data);
    return { ...state, reports };
  }
  return { ...state, department: evolveDepartment(state.department, event) };
}

/** The report in force on a date (undefined before the first). */
export function actualStaffingOn(reports: readonly ActualStaffingReportedData[], date: string): ActualStaffingReportedData | undefined {
  let found: ActualStaffingReportedData | undefined;
  for (const r of reports) if (r.effectiveFrom <= date) found = r;
  return found;
}

export const totalActual = (r: Pick<ActualStaffingReportedData, 'counts'>) => sum(r.counts);
export const totalLeaders = (r: Pick<ActualStaffingReportedData, 'leaders'>) => sum(r.leaders);

const same = (a: Record<string, number | undefined>, b: Record<string, number | undefined>) => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if ((a[k] ?? 0) !== (b[k] ?? 0)) return false;
  return true;
};

/** Same numbers as another report (the reason and document aside). */
export const sameActual = (a: Omit<ActualStaffingReportedData, 'reason' | 'effectiveFrom' | 'departmentId'>, b: Omit<ActualStaffingReportedData, 'reason' | 'effectiveFrom' | 'departmentId'>) =>
  same(a.counts, b.counts) && same(a.leaders, b.leaders) && a.outside === b.outside;

/** Where actual staff exceed what the 三定 authorises: per category (or the total, for a v1 三定), and leader posts. */
export interface StaffingExcess {
  categories: Array<{ category: string; authorized: number; actual: number }>;
  leaders: Array<{ post: string; authorized: number; actual: number }>;
}

export function staffingExcess(authorised: Staffing, actual: ActualStaffingReportedData): StaffingExcess {
  const categories: StaffingExcess['categories'] = [];
  if (authorised.categories) {
    for (const c of STAFFING_CATEGORIES) {
      const a = actual.counts[c] ?? 0;
      const n = authorised.categories[c] ?? 0;
      if (a > n) categories.push({ category: c, authorized: n, actual: a });
    }
  } else if (totalActual(actual) > authorised.authorized) categories.push({ category: '合计', authorized: authorised.authorized, actual: totalActual(actual) });
  const leaders: StaffingExcess['leaders'] = [];
  if (authorised.leaderPosts) {
    const posts = [...new Set([...Object.keys(authorised.leaderPosts), ...Object.keys(actual.leaders)])].sort();
    for (const p of posts) {
      const a = actual.leaders[p] ?? 0;
      const n = authorised.leaderPosts[p] ?? 0;
      if (a > n) leaders.push({ post: p, authorized: n, actual: a });
    }
  }
  if (leaders.length === 0 && totalLeaders(actual) > authorised.leaders) leaders.push({ post: '合计', authorized: authorised.leaders, actual: totalLeaders(actual) });
  return { categories, leaders };
}

export function decideReportActualStaffing(cmd: ReportActualStaffing, state: ActualStaffingState): Decision<StaffingEvent> {
  const d = state.department;
  if (!d) throw new DomainError('UNKNOWN_DEPARTMENT', `部门 ${cmd.departmentId} 不存在`);
  if (!departmentActiveOn(d, cmd.effectiveFrom)) {
    throw new DomainError('DEPARTMENT_NOT_ACTIVE', `部门 ${cmd.departmentId} 在 ${cmd.effectiveFrom} 不存在（设立于 ${d.establishedOn}${d.abolishedOn ? `，撤销于 ${d.abolishedOn}` : ''}）`);
  }
  const reason = cmd.reason?.trim();
  if (!reason) throw new DomainError('REASON_REQUIRED', '实有人员变动须说明原因（如 招录、调入、调出、退休、年度核对）');
  if (reason.length > 200) throw new DomainError('REASON_TOO_LONG', '原因不能超过 200 字');
  if (!cmd.counts || typeof cmd.counts !== 'object') throw new DomainError('STAFFING', 'counts（实有在编人数）必须给出');
  checkCounts('counts（实有在编）', cmd.counts as Record<string, unknown>, true);
  checkCounts('leaders（实配领导）', cmd.leaders, false);
  const outside = cmd.outside ?? 0;
  if (!isCount(outside)) throw new DomainError('STAFFING', 'outside（编外人员）应为不小于 0 的整数');
  const data: ActualStaffingReportedData = {
    departmentId: cmd.departmentId,
    effectiveFrom: cmd.effectiveFrom,
    ...(cmd.document ? { document: cmd.document } : {}),
    reason,
    counts: Object.fromEntries(STAFFING_CATEGORIES.filter((c) => cmd.counts[c] !== undefined).map((c) => [c, cmd.counts[c]!])),
    leaders: { ...(cmd.leaders ?? {}) },
    outside,
  };
  const before = actualStaffingOn(state.reports, cmd.effectiveFrom);
  if (before && sameActual(before, data)) {
    throw new DomainError('NOTHING_CHANGED', `部门 ${cmd.departmentId} 自 ${before.effectiveFrom} 起的实有人员已是这些数字`, { since: before.effectiveFrom });
  }
  const warnings: Warning[] = [];
  const sanding = sandingOn(d, cmd.effectiveFrom);
  if (sanding) {
    const x = staffingExcess(sanding.staffing, data);
    for (const c of x.categories) warnings.push({ code: 'OVERSTAFFED', message: `${c.category}实有 ${c.actual} 人，超过核定 ${c.authorized} 名（超编）`, details: c });
    for (const l of x.leaders) warnings.push({ code: 'OVER_LEADERS', message: `${l.post}实配 ${l.actual} 名，超过核定职数 ${l.authorized} 名（超职数配备）`, details: l });
  }
  return decided([{ type: 'ActualStaffingReported', data }], warnings);
}

// ---- 编制使用率 (indicator 4.1.1 of the region's evaluation system) ----

/** 85% < u ≤ 95%, 75% < u ≤ 85%, 60% < u ≤ 75%, u ≤ 60%: the bands of indicator 4.1.1 (扣 25/50/75/100 分). */
export const USAGE_BANDS = [
  { band: '85-95', label: '85%＜使用率≤95%', above: 0.85, deduction: 25 },
  { band: '75-85', label: '75%＜使用率≤85%', above: 0.75, deduction: 50 },
  { band: '60-75', label: '60%＜使用率≤75%', above: 0.6, deduction: 75 },
  { band: '0-60', label: '使用率≤60%', above: -Infinity, deduction: 100 },
] as const;
export type UsageBand = (typeof USAGE_BANDS)[number]['band'];

/** 编制使用率 = 编制使用数 ÷ 核定数 (null when nothing is authorised). */
export const usageRate = (used: number, authorized: number): number | null => (authorized > 0 ? used / authorized : null);

/** The band of a usage rate; undefined above 95 % (no deduction) or without a rate. */
export function usageBand(rate: number | null): (typeof USAGE_BANDS)[number] | undefined {
  if (rate === null || rate > 0.95) return undefined;
  return USAGE_BANDS.find((b) => rate > b.above);
}
