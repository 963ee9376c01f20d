import { Change, DomainError, Warning } from '../shared/types';
import { DomainEvent, Decision, decided } from '../shared/decider';
import { DepartmentState, departmentActiveOn, departmentNameOn } from '../departments/department';
import { RegionState } from '../regions/region';
import { CatalogVersion, catalogVersionOn } from '../catalog/catalog-item';

/** One stream per item in a region's list: every change of who holds it. */
export const assignmentStream = (regionCode: string, itemCode: string) => `assignment-${regionCode}-${itemCode}`;

export type Role = 'lead' | 'cooperating';

export interface PublishedWording {
  name?: string;
  type?: string;
  basis?: string[];
  code?: string;
}

export interface AssignItem extends Change {
  regionCode: string;
  itemCode: string;
  departmentId: string;
  role: Role;
  internalOrgan?: string;
  dutyIds?: string[];
  asPublished?: PublishedWording;
}
export interface TransferItem extends Change {
  regionCode: string;
  itemCode: string;
  fromDepartmentId: string;
  toDepartmentId: string;
}
export interface WithdrawItem extends Change {
  regionCode: string;
  itemCode: string;
  departmentId?: string;
}

export type ItemAssigned = DomainEvent<'ItemAssigned', AssignItem>;
export type ItemTransferred = DomainEvent<'ItemTransferred', TransferItem>;
export type ItemWithdrawn = DomainEvent<'ItemWithdrawn', WithdrawItem>;
export type AssignmentEvent = ItemAssigned | ItemTransferred | ItemWithdrawn;

/** An assignment event with the id it was stored under, in recorded order. */
export interface AssignmentFact {
  eventId: string;
  event: AssignmentEvent;
}

export interface Holding {
  departmentId: string;
  role: Role;
  since: string;
  document: Change['document'];
  eventId: string;
  internalOrgan?: string;
  dutyIds?: string[];
  asPublished?: PublishedWording;
}

/**
 * Who holds the item on a date, on the valid axis: facts effective on or before the date, in
 * effective-date order, ties in recorded order. Input in recorded order.
 */
export function holdingsOn(facts: AssignmentFact[], date: string): Holding[] {
  const ordered = facts
    .map((f, i) => ({ f, i }))
    .filter(({ f }) => f.event.data.effectiveFrom <= date)
    .sort((a, b) => (a.f.event.data.effectiveFrom < b.f.event.data.effectiveFrom ? -1 : a.f.event.data.effectiveFrom > b.f.event.data.effectiveFrom ? 1 : a.i - b.i));
  const held = new Map<string, Holding>();
  for (const { f } of ordered) {
    const e = f.event;
    switch (e.type) {
      case 'ItemAssigned': {
        const { departmentId, role, effectiveFrom, document, internalOrgan, dutyIds, asPublished } = e.data;
        held.set(departmentId, { departmentId, role, since: effectiveFrom, document, eventId: f.eventId, internalOrgan, dutyIds, asPublished });
        break;
      }
      case 'ItemTransferred': {
        const prev = held.get(e.data.fromDepartmentId);
        if (!prev) break;
        held.delete(e.data.fromDepartmentId);
        held.set(e.data.toDepartmentId, {
          ...prev,
          departmentId: e.data.toDepartmentId,
          since: e.data.effectiveFrom,
          document: e.data.document,
          eventId: f.eventId,
          internalOrgan: undefined,
          dutyIds: undefined,
        });
        break;
      }
      case 'ItemWithdrawn':
        if (e.data.departmentId) held.delete(e.data.departmentId);
        else held.clear();
        break;
    }
  }
  return [...held.values()].sort((a, b) => (a.role === b.role ? (a.since < b.since ? -1 : a.since > b.since ? 1 : 0) : a.role === 'lead' ? -1 : 1));
}

/** What the deciders of a list entry need to know about the world. */
export interface AssignmentContext {
  region: RegionState | null;
  catalog: CatalogVersion[];
  /** Departments named by the command, by id (null when unknown). */
  departments: Record<string, DepartmentState | null>;
  facts: AssignmentFact[];
}

function requireRegion(ctx: AssignmentContext, cmd: Change & { regionCode: string }): RegionState {
  if (!ctx.region) throw new DomainError('UNKNOWN_REGION', `行政区划 ${cmd.regionCode} 尚未登记`);
  if (cmd.effectiveFrom < ctx.region.since) {
    throw new DomainError('BEFORE_REGION_EXISTS', `生效日期 ${cmd.effectiveFrom} 早于行政区划 ${ctx.region.code} 的登记生效日期 ${ctx.region.since}`);
  }
  return ctx.region;
}

function requireItem(ctx: AssignmentContext, cmd: Change & { itemCode: string }): CatalogVersion {
  const v = catalogVersionOn(ctx.catalog, cmd.effectiveFrom);
  if (ctx.catalog.length === 0) throw new DomainError('UNKNOWN_ITEM', `事项 ${cmd.itemCode} 不在目录中`);
  if (!v) throw new DomainError('BEFORE_ITEM_EXISTS', `生效日期 ${cmd.effectiveFrom} 早于事项 ${cmd.itemCode} 列入目录的日期 ${ctx.catalog[0].from}`);
  if (v.retired) throw new DomainError('ITEM_RETIRED', `事项 ${cmd.itemCode} 已于 ${v.from} 取消`);
  return v;
}

function requireDepartment(ctx: AssignmentContext, id: string, cmd: Change & { regionCode: string }): DepartmentState {
  const d = ctx.departments[id];
  if (!d) throw new DomainError('UNKNOWN_DEPARTMENT', `部门 ${id} 不存在`, { departmentId: id });
  if (d.regionCode !== cmd.regionCode) {
    throw new DomainError('DEPARTMENT_REGION', `部门 ${id}（${departmentNameOn(d, cmd.effectiveFrom)}）属于区划 ${d.regionCode}，不属于 ${cmd.regionCode}`, { departmentId: id });
  }
  if (cmd.effectiveFrom < d.establishedOn) {
    throw new DomainError('BEFORE_DEPARTMENT_EXISTS', `生效日期 ${cmd.effectiveFrom} 早于部门 ${id} 的设立日期 ${d.establishedOn}`, { departmentId: id });
  }
  if (!departmentActiveOn(d, cmd.effectiveFrom)) {
    throw new DomainError('DEPARTMENT_ABOLISHED', `部门 ${id} 已于 ${d.abolishedOn} 撤销`, { departmentId: id });
  }
  return d;
}

function conflictWarning(cmd: { regionCode: string; itemCode: string; effectiveFrom: string }, leads: string[]): Warning {
  return {
    code: 'CONFLICT',
    message: `事项 ${cmd.itemCode} 在 ${cmd.regionCode} 自 ${cmd.effectiveFrom} 起有 ${leads.length} 个牵头部门（职责交叉）：${leads.join('、')}`,
    details: { regionCode: cmd.regionCode, itemCode: cmd.itemCode, leadDepartmentIds: leads, from: cmd.effectiveFrom },
  };
}

/** Leads on the date and after it, once the new events are applied: a conflict anywhere is reported. */
function leadsAfter(ctx: AssignmentContext, extra: AssignmentFact, date: string): string[] {
  return holdingsOn([...ctx.facts, extra], date).filter((h) => h.role === 'lead').map((h) => h.departmentId);
}

export function decideAssignItem(cmd: AssignItem, ctx: AssignmentContext): Decision<AssignmentEvent> {
  requireRegion(ctx, cmd);
  requireItem(ctx, cmd);
  requireDepartment(ctx, cmd.departmentId, cmd);
  const current = holdingsOn(ctx.facts, cmd.effectiveFrom).find((h) => h.departmentId === cmd.departmentId);
  if (current && current.role === cmd.role && JSON.stringify(current.asPublished ?? null) === JSON.stringify(cmd.asPublished ?? null)) {
    throw new DomainError('ALREADY_ASSIGNED', `部门 ${cmd.departmentId} 在 ${cmd.effectiveFrom} 已以${cmd.role === 'lead' ? '牵头' : '配合'}身份承担事项 ${cmd.itemCode}（自 ${current.since}）`);
  }
  const event: ItemAssigned = { type: 'ItemAssigned', data: { ...cmd } };
  const warnings: Warning[] = [];
  if (cmd.role === 'lead') {
    const leads = leadsAfter(ctx, { eventId: 'new', event }, cmd.effectiveFrom);
    if (leads.length > 1) warnings.push(conflictWarning(cmd, leads));
  }
  return decided([event], warnings);
}

export function decideTransferItem(cmd: TransferItem, ctx: AssignmentContext): Decision<AssignmentEvent> {
  requireRegion(ctx, cmd);
  requireItem(ctx, cmd);
  if (cmd.fromDepartmentId === cmd.toDepartmentId) throw new DomainError('TRANSFER_SAME', '划出与划入部门相同');
  const holdings = holdingsOn(ctx.facts, cmd.effectiveFrom);
  const from = holdings.find((h) => h.departmentId === cmd.fromDepartmentId);
  if (!from) {
    const holders = holdings.map((h) => h.departmentId).join('、') || '无';
    throw new DomainError('NOT_HELD', `部门 ${cmd.fromDepartmentId} 在 ${cmd.effectiveFrom} 并不承担事项 ${cmd.itemCode}（当日承担部门：${holders}），无法划出`, {
      fromDepartmentId: cmd.fromDepartmentId,
      holders: holdings.map((h) => h.departmentId),
    });
  }
  requireDepartment(ctx, cmd.toDepartmentId, cmd);
  const event: ItemTransferred = { type: 'ItemTransferred', data: { ...cmd } };
  const warnings: Warning[] = [];
  if (from.role === 'lead') {
    const leads = leadsAfter(ctx, { eventId: 'new', event }, cmd.effectiveFrom);
    if (leads.length > 1) warnings.push(conflictWarning(cmd, leads));
  }
  return decided([event], warnings);
}

export function decideWithdrawItem(cmd: WithdrawItem, ctx: AssignmentContext): Decision<AssignmentEvent> {
  requireRegion(ctx, cmd);
  if (ctx.catalog.length === 0) throw new DomainError('UNKNOWN_ITEM', `事项 ${cmd.itemCode} 不在目录中`);
  const holdings = holdingsOn(ctx.facts, cmd.effectiveFrom);
  if (cmd.departmentId !== undefined) {
    if (!holdings.some((h) => h.departmentId === cmd.departmentId)) {
      throw new DomainError('NOT_HELD', `部门 ${cmd.departmentId} 在 ${cmd.effectiveFrom} 并不承担事项 ${cmd.itemCode}`, { departmentId: cmd.departmentId });
    }
  } else if (holdings.length === 0) {
    throw new DomainError('NOT_HELD', `事项 ${cmd.itemCode} 在 ${cmd.effectiveFrom} 不在 ${cmd.regionCode} 的清单中`);
  }
  const warnings: Warning[] = [];
  const event: ItemWithdrawn = { type: 'ItemWithdrawn', data: { ...cmd } };
  const after = holdingsOn([...ctx.facts, { eventId: 'new', event }], cmd.effectiveFrom);
  if (ctx.region && after.filter((h) => h.role === 'lead').length === 0 && holdings.some((h) => h.role === 'lead')) {
    const v = catalogVersionOn(ctx.catalog, cmd.effectiveFrom);
    if (v && !v.retired && v.levels.includes(ctx.region.level)) {
      warnings.push({ code: 'GAP', message: `撤回后事项 ${cmd.itemCode} 在 ${cmd.regionCode} 无牵头部门，而目录规定该事项适用于本级（职责缺位）` });
    }
  }
  return decided([event], warnings);
}
