import {
  AssignItem,
  AssignmentContext,
  ChildContext,
  DelegateItem,
  DomainError,
  NotFoundError,
  RecallItem,
  TransferItem,
  Warning,
  WithdrawItem,
  assignmentStream,
  decideAssignItem,
  decideDelegateItem,
  decideRecallItem,
  decideTransferItem,
  decideWithdrawItem,
} from '../../../domain/src';
import { WriteSession } from '../session';
import { catalogOf, departmentState, departmentStates, entryFacts, regionState } from './state';

/** What a list entry's deciders need: the region, the item's catalogue versions, the departments named, the entry's facts. */
async function assignmentContext(s: WriteSession, regionCode: string, itemCode: string, departmentIds: string[]): Promise<AssignmentContext> {
  const region = await regionState(s, regionCode);
  if (!region) throw new NotFoundError('UNKNOWN_REGION', `行政区划 ${regionCode} 尚未登记`);
  const catalog = await catalogOf(s, itemCode);
  if (catalog.length === 0) throw new NotFoundError('UNKNOWN_ITEM', `事项 ${itemCode} 不在目录中`);
  return { region, catalog, departments: await departmentStates(s, departmentIds), facts: await entryFacts(s, regionCode, itemCode) };
}

export async function assignItem(s: WriteSession, cmd: AssignItem): Promise<Warning[]> {
  const d = decideAssignItem(cmd, await assignmentContext(s, cmd.regionCode, cmd.itemCode, [cmd.departmentId]));
  s.record(assignmentStream(cmd.regionCode, cmd.itemCode), d.events, d.warnings);
  return d.warnings;
}

export async function transferItem(s: WriteSession, cmd: TransferItem): Promise<Warning[]> {
  const d = decideTransferItem(cmd, await assignmentContext(s, cmd.regionCode, cmd.itemCode, [cmd.fromDepartmentId, cmd.toDepartmentId]));
  s.record(assignmentStream(cmd.regionCode, cmd.itemCode), d.events, d.warnings);
  return d.warnings;
}

export async function withdrawItem(s: WriteSession, cmd: WithdrawItem): Promise<Warning[]> {
  const d = decideWithdrawItem(cmd, await assignmentContext(s, cmd.regionCode, cmd.itemCode, cmd.departmentId ? [cmd.departmentId] : []));
  s.record(assignmentStream(cmd.regionCode, cmd.itemCode), d.events, d.warnings);
  return d.warnings;
}

async function children(s: WriteSession, codes: string[], itemCode: string, departmentIds: Record<string, string> = {}): Promise<Record<string, ChildContext>> {
  const out: Record<string, ChildContext> = {};
  for (const code of codes) {
    const deptId = departmentIds[code];
    out[code] = { region: await regionState(s, code), facts: await entryFacts(s, code, itemCode), department: deptId === undefined ? undefined : await departmentState(s, deptId) };
  }
  return out;
}

/** 下放: the parent's entry and every child's, in one decision. */
export async function delegateItem(s: WriteSession, cmd: DelegateItem): Promise<Warning[]> {
  requireChildRegions(cmd.toRegionCodes);
  const ctx = await assignmentContext(s, cmd.regionCode, cmd.itemCode, []);
  return s.recordAll(decideDelegateItem(cmd, ctx, await children(s, cmd.toRegionCodes, cmd.itemCode, cmd.departmentIds ?? {})));
}

/** 上收. */
export async function recallItem(s: WriteSession, cmd: RecallItem): Promise<Warning[]> {
  requireChildRegions(cmd.fromRegionCodes);
  const ctx = await assignmentContext(s, cmd.regionCode, cmd.itemCode, [cmd.departmentId]);
  return s.recordAll(decideRecallItem(cmd, ctx, await children(s, cmd.fromRegionCodes, cmd.itemCode)));
}

/** The HTTP layer validates; a caller in process (CLI, import, scripts) gets the same clear refusal. */
export function requireChildRegions(codes: unknown): void {
  if (!Array.isArray(codes) || codes.length === 0 || codes.some((c) => typeof c !== 'string')) {
    throw new DomainError('NO_CHILD_REGIONS', '请至少指定一个下级区划（区划代码）');
  }
}
