import { Change, DomainError } from '../shared/types';
import { DomainEvent, Decision, decided } from '../shared/decider';
import { RegionState } from '../regions/region';
import { StaffingInput, normalizeStaffing } from '../staffing/staffing';

export const departmentStream = (id: string) => `department-${id}`;

export interface EstablishDepartment extends Change {
  id: string;
  name: string;
  regionCode: string;
}
export interface RenameDepartment extends Change {
  id: string;
  name: string;
}
export interface AbolishDepartment extends Change {
  id: string;
  successorId?: string;
}

export interface Duty {
  id: string;
  text: string;
}
export interface InternalOrgan {
  id: string;
  name: string;
  duties: Duty[];
}
export interface Staffing {
  /** 核定编制: authorised posts (the sum of the categories when they are given). */
  authorized: number;
  /** 领导职数: leader posts (the sum of the posts when they are given). */
  leaders: number;
  /** 分类核定编制: 行政编制 / 事业编制 / 工勤编制 (v2; absent in a v1 三定). */
  categories?: Partial<Record<'行政编制' | '事业编制' | '工勤编制', number>>;
  /** 领导职数 by post, e.g. { 局长: 1, 副局长: 3 } (v2). */
  leaderPosts?: Record<string, number>;
  /** 机构性质 (v2). */
  nature?: '行政机关' | '参公事业单位' | '事业单位';
}
/** A whole new 三定 version (定职能、定机构、定编制) of a department. */
export interface IssueSanding extends Change {
  id: string;
  duties: Duty[];
  internalOrgans: InternalOrgan[];
  /** As stored: always authorized and leaders (see normalizeStaffing); a command may give categories and posts instead. */
  staffing: Staffing;
}

/** The command as given: its staffing may be v1's totals or v2's categories and posts (normalised before it is stored). */
export type IssueSandingCommand = Omit<IssueSanding, 'staffing'> & { staffing: StaffingInput };

export type DepartmentEstablished = DomainEvent<'DepartmentEstablished', EstablishDepartment>;
export type SandingIssued = DomainEvent<'SandingIssued', IssueSanding>;
export type DepartmentRenamed = DomainEvent<'DepartmentRenamed', RenameDepartment>;
export type DepartmentAbolished = DomainEvent<'DepartmentAbolished', AbolishDepartment>;
export type DepartmentEvent = DepartmentEstablished | DepartmentRenamed | DepartmentAbolished | SandingIssued;

export interface DepartmentState {
  id: string;
  regionCode: string;
  establishedOn: string;
  abolishedOn?: string;
  successorId?: string;
  /** Names on the valid axis, in effective order. */
  names: Array<{ name: string; from: string }>;
  /** 三定 versions on the valid axis, in effective order. */
  sanding?: Array<{ from: string; version: IssueSanding }>;
}

export const initialDepartmentState: DepartmentState | null = null;

export function evolveDepartment(state: DepartmentState | null, event: DepartmentEvent): DepartmentState | null {
  switch (event.type) {
    case 'DepartmentEstablished':
      return { id: event.data.id, regionCode: event.data.regionCode, establishedOn: event.data.effectiveFrom, names: [{ name: event.data.name, from: event.data.effectiveFrom }] };
    case 'DepartmentRenamed':
      if (!state) return state;
      return { ...state, names: [...state.names, { name: event.data.name, from: event.data.effectiveFrom }].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0)) };
    case 'DepartmentAbolished':
      if (!state) return state;
      return { ...state, abolishedOn: event.data.effectiveFrom, successorId: event.data.successorId };
    case 'SandingIssued':
      if (!state) return state;
      return { ...state, sanding: [...(state.sanding ?? []), { from: event.data.effectiveFrom, version: event.data }].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0)) };
    default:
      return state;
  }
}

export function departmentNameOn(state: Pick<DepartmentState, 'names'>, date: string): string {
  let name = state.names[0]?.name ?? '';
  for (const n of state.names) if (n.from <= date) name = n.name;
  return name;
}

/** Exists on that date: established on or before it and not abolished by then. */
export function departmentActiveOn(state: DepartmentState, date: string): boolean {
  return state.establishedOn <= date && (state.abolishedOn === undefined || date < state.abolishedOn);
}

export function decideEstablishDepartment(cmd: EstablishDepartment, existing: DepartmentState | null, region: RegionState | null): Decision<DepartmentEvent> {
  if (existing) throw new DomainError('DEPARTMENT_EXISTS', `部门 ${cmd.id} 已设立（${departmentNameOn(existing, cmd.effectiveFrom)}）`, { id: cmd.id });
  if (!region) throw new DomainError('UNKNOWN_REGION', `行政区划 ${cmd.regionCode} 尚未登记`, { regionCode: cmd.regionCode });
  if (cmd.effectiveFrom < region.since) {
    throw new DomainError('BEFORE_REGION_EXISTS', `设立日期 ${cmd.effectiveFrom} 早于行政区划 ${region.code} 的登记生效日期 ${region.since}`);
  }
  return decided([{ type: 'DepartmentEstablished', data: { ...cmd } }]);
}

export function decideRenameDepartment(cmd: RenameDepartment, state: DepartmentState): Decision<DepartmentEvent> {
  if (!departmentActiveOn(state, cmd.effectiveFrom)) {
    throw new DomainError('DEPARTMENT_NOT_ACTIVE', `部门 ${cmd.id} 在 ${cmd.effectiveFrom} 不存在（设立于 ${state.establishedOn}${state.abolishedOn ? `，撤销于 ${state.abolishedOn}` : ''}）`);
  }
  if (departmentNameOn(state, cmd.effectiveFrom) === cmd.name) throw new DomainError('NOTHING_CHANGED', `部门 ${cmd.id} 在 ${cmd.effectiveFrom} 已名为 ${cmd.name}`);
  return decided([{ type: 'DepartmentRenamed', data: { ...cmd } }]);
}

/** The department's own side of an abolition (the cascade to its list entries: ./abolish.ts). */
export function decideAbolishOwn(cmd: AbolishDepartment, state: DepartmentState, successor: DepartmentState | null): Decision<DepartmentEvent> {
  if (state.abolishedOn !== undefined) throw new DomainError('DEPARTMENT_ABOLISHED', `部门 ${cmd.id} 已于 ${state.abolishedOn} 撤销`);
  if (cmd.effectiveFrom <= state.establishedOn) throw new DomainError('DEPARTMENT_NOT_ACTIVE', `撤销日期 ${cmd.effectiveFrom} 不晚于设立日期 ${state.establishedOn}`);
  if (cmd.successorId !== undefined) {
    if (cmd.successorId === cmd.id) throw new DomainError('SUCCESSOR_SELF', '承继部门不能是被撤销部门本身');
    if (!successor) throw new DomainError('UNKNOWN_DEPARTMENT', `承继部门 ${cmd.successorId} 不存在`);
    if (successor.regionCode !== state.regionCode) throw new DomainError('DEPARTMENT_REGION', `承继部门 ${cmd.successorId} 不属于区划 ${state.regionCode}`);
    if (!departmentActiveOn(successor, cmd.effectiveFrom)) throw new DomainError('DEPARTMENT_NOT_ACTIVE', `承继部门 ${cmd.successorId} 在 ${cmd.effectiveFrom} 不存在`);
  }
  return decided([{ type: 'DepartmentAbolished', data: { ...cmd } }]);
}

/** The 三定 in force on a date (the latest version effective on or before it). */
export function sandingOn(state: Pick<DepartmentState, 'sanding'>, date: string): IssueSanding | undefined {
  let found: IssueSanding | undefined;
  for (const s of state.sanding ?? []) if (s.from <= date) found = s.version;
  return found;
}

/** Every duty id of a 三定 version: the department's own and its internal organs'. */
export function sandingDutyIds(s: Pick<IssueSanding, 'duties' | 'internalOrgans'>): string[] {
  return [...s.duties.map((d) => d.id), ...s.internalOrgans.flatMap((o) => o.duties.map((d) => d.id))];
}

export function decideIssueSanding(cmd: IssueSandingCommand, state: DepartmentState): Decision<DepartmentEvent> {
  if (!departmentActiveOn(state, cmd.effectiveFrom)) {
    throw new DomainError('DEPARTMENT_NOT_ACTIVE', `部门 ${cmd.id} 在 ${cmd.effectiveFrom} 不存在（设立于 ${state.establishedOn}${state.abolishedOn ? `，撤销于 ${state.abolishedOn}` : ''}）`);
  }
  const ids = sandingDutyIds(cmd);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new DomainError('DUPLICATE_DUTY_ID', `职责条目编号 ${dup} 重复：每条职责需有唯一编号`);
  const organIds = cmd.internalOrgans.map((o) => o.id);
  const dupOrgan = organIds.find((id, i) => organIds.indexOf(id) !== i);
  if (dupOrgan) throw new DomainError('DUPLICATE_ORGAN_ID', `内设机构编号 ${dupOrgan} 重复`);
  const staffing = normalizeStaffing(cmd.staffing);
  if ((state.sanding ?? []).some((s) => s.from === cmd.effectiveFrom)) {
    throw new DomainError('SANDING_SAME_DATE', `部门 ${cmd.id} 已有一版自 ${cmd.effectiveFrom} 起施行的三定；如需更正请撤回该事件`);
  }
  return decided([{ type: 'SandingIssued', data: { ...cmd, staffing } }]);
}
