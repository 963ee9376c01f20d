import { Change, DomainError } from '../shared/types';
import { DomainEvent, Decision, decided } from '../shared/decider';
import { DepartmentState, departmentActiveOn } from '../departments/department';
import { RegionState } from '../regions/region';

export const boundaryStream = (regionCode: string, clauseId: string) => `boundary-${regionCode}-${clauseId}`;

/** 职责分工: who leads and who assists where departments meet on a matter. */
export interface AgreeBoundaryClause extends Change {
  clauseId: string;
  regionCode: string;
  matter: string;
  leadDepartmentId: string;
  assistingDepartmentIds: string[];
  itemCodes?: string[];
}

export type BoundaryClauseAgreed = DomainEvent<'BoundaryClauseAgreed', AgreeBoundaryClause>;
export type BoundaryEvent = BoundaryClauseAgreed;

export function decideAgreeBoundaryClause(
  cmd: AgreeBoundaryClause,
  ctx: { existing: boolean; region: RegionState | null; departments: Record<string, DepartmentState | null>; unknownItems: string[] },
): Decision<BoundaryEvent> {
  if (ctx.existing) throw new DomainError('BOUNDARY_EXISTS', `职责分工条款 ${cmd.clauseId} 已存在`);
  if (!ctx.region) throw new DomainError('UNKNOWN_REGION', `行政区划 ${cmd.regionCode} 尚未登记`);
  if (cmd.assistingDepartmentIds.includes(cmd.leadDepartmentId)) throw new DomainError('LEAD_ALSO_ASSISTING', '牵头部门不能同时是配合部门');
  if (new Set(cmd.assistingDepartmentIds).size !== cmd.assistingDepartmentIds.length) throw new DomainError('DUPLICATE_DEPARTMENT', '配合部门有重复');
  for (const id of [cmd.leadDepartmentId, ...cmd.assistingDepartmentIds]) {
    const d = ctx.departments[id];
    if (!d) throw new DomainError('UNKNOWN_DEPARTMENT', `部门 ${id} 不存在`, { departmentId: id });
    if (d.regionCode !== cmd.regionCode) throw new DomainError('DEPARTMENT_REGION', `部门 ${id} 不属于区划 ${cmd.regionCode}`, { departmentId: id });
    if (!departmentActiveOn(d, cmd.effectiveFrom)) throw new DomainError('DEPARTMENT_NOT_ACTIVE', `部门 ${id} 在 ${cmd.effectiveFrom} 不存在`, { departmentId: id });
  }
  if (ctx.unknownItems.length) throw new DomainError('UNKNOWN_ITEM', `事项 ${ctx.unknownItems.join('、')} 不在目录中`);
  return decided([{ type: 'BoundaryClauseAgreed', data: { ...cmd } }]);
}
