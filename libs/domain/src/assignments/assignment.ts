import { Change, DomainError, Warning } from '../shared/types';
import { DomainEvent, Decision, MultiDecision, decided } from '../shared/decider';
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
  /** Every other column of the published row, kept as published (责任事项, 追责情形, 承办机构 …). */
  fields?: Record<string, string>;
  /** The 子项 this item is, when the row names the item as 事项名称 + 子项. */
  subItem?: string;
  /** The whole published row, cell by cell in the layout it was published in (what an export writes back). */
  row?: PublishedRow;
}

/**
 * A row of a published list as it was published: the layout's header and the entry's rows (an entry may
 * span rows, one per level), every cell as written, line breaks kept.
 */
export interface PublishedRow {
  /** Where it was read: file, sheet and first row (1-based, as the spreadsheet shows it). */
  file?: string;
  sheet?: string;
  at?: number;
  /** The layout's header row(s), one text per column (two rows under merged headers). */
  header: string[][];
  /** Per column: the field it was read as (name, type, basis …) or '' for a column kept under its own header. */
  fields?: string[];
  /** The entry's rows, one text per column. */
  cells: string[][];
  /** Per row: the columns whose value came from a merged cell. */
  merged?: number[][];
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

/** 下放: the region hands the item to some or all of its child regions. */
export interface DelegateItem extends Change {
  regionCode: string;
  itemCode: string;
  toRegionCodes: string[];
  /** Child region → the department there that takes the item (optional per region). */
  departmentIds?: Record<string, string>;
}
/** 上收: the region takes the item back from child regions. */
export interface RecallItem extends Change {
  regionCode: string;
  itemCode: string;
  fromRegionCodes: string[];
  /** Who holds it again here (lead). */
  departmentId: string;
}
/** The child side of a delegation. */
export interface ReceiveDelegatedItem extends Change {
  regionCode: string;
  itemCode: string;
  fromRegionCode: string;
  departmentId?: string;
}
/** The child side of a recall. */
export interface ReturnRecalledItem extends Change {
  regionCode: string;
  itemCode: string;
  toRegionCode: string;
}

export type ItemAssigned = DomainEvent<'ItemAssigned', AssignItem>;
export type ItemTransferred = DomainEvent<'ItemTransferred', TransferItem>;
export type ItemWithdrawn = DomainEvent<'ItemWithdrawn', WithdrawItem>;
export type ItemDelegated = DomainEvent<'ItemDelegated', DelegateItem>;
export type ItemReceived = DomainEvent<'ItemReceived', ReceiveDelegatedItem>;
export type ItemRecalled = DomainEvent<'ItemRecalled', RecallItem>;
export type ItemReturned = DomainEvent<'ItemReturned', ReturnRecalledItem>;
export type AssignmentEvent = ItemAssigned | ItemTransferred | ItemWithdrawn | ItemDelegated | ItemReceived | ItemRecalled | ItemReturned;

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

/** A region's list entry for one item on a date. */
export interface EntryOn {
  holdings: Holding[];
  /** In the list on that date (held, or received by delegation and not yet given to a department). */
  inList: boolean;
  /** Delegated down (下放) to these child regions and not recalled. */
  delegatedTo: string[];
  /** Received from this parent region by delegation, if so. */
  receivedFrom?: string;
  /** The date of the latest change that is in force. */
  lastChange?: string;
}

/** Who holds the item on a date: see entryOn. */
export function holdingsOn(facts: AssignmentFact[], date: string): Holding[] {
  return entryOn(facts, date).holdings;
}

/**
 * The list entry on a date, on the valid axis: facts effective on or before the date, in
 * effective-date order, ties in recorded order. Input in recorded order.
 */
export function entryOn(facts: AssignmentFact[], date: string): EntryOn {
  return foldEntry(inEffectiveOrder(facts, date));
}

/** The facts effective on or before the date, in effective-date order, ties in recorded (input) order. */
function inEffectiveOrder(facts: AssignmentFact[], date: string): AssignmentFact[] {
  // Usually recorded in effective order already: then a filter is enough (a stable sort would not move anything).
  let sorted = true;
  const out: AssignmentFact[] = [];
  for (const f of facts) {
    const from = f.event.data.effectiveFrom;
    if (from > date) continue;
    if (out.length && from < out[out.length - 1].event.data.effectiveFrom) sorted = false;
    out.push(f);
  }
  if (sorted) return out;
  return out
    .map((f, i) => ({ f, i }))
    .sort((a, b) => (a.f.event.data.effectiveFrom < b.f.event.data.effectiveFrom ? -1 : a.f.event.data.effectiveFrom > b.f.event.data.effectiveFrom ? 1 : a.i - b.i))
    .map(({ f }) => f);
}

function foldEntry(ordered: AssignmentFact[]): EntryOn {
  const held = new Map<string, Holding>();
  let delegatedTo = new Set<string>();
  let receivedFrom: string | undefined;
  let received = false;
  let lastChange: string | undefined;
  for (const f of ordered) {
    const e = f.event;
    lastChange = e.data.effectiveFrom;
    switch (e.type) {
      case 'ItemAssigned': {
        const { departmentId, role, effectiveFrom, document, internalOrgan, dutyIds, asPublished } = e.data;
        const prev = held.get(departmentId);
        // Same department, same role, new details: it has held the item since it first did.
        const since = prev && prev.role === role ? prev.since : effectiveFrom;
        held.set(departmentId, { departmentId, role, since, document, eventId: f.eventId, internalOrgan, dutyIds, asPublished });
        break;
      }
      case 'ItemTransferred': {
        const prev = held.get(e.data.fromDepartmentId);
        if (!prev) break;
        held.delete(e.data.fromDepartmentId);
        const already = held.get(e.data.toDepartmentId);
        // The receiving department already holds it: keep the stronger role and its own terms.
        if (already && (already.role === 'lead' || prev.role === already.role)) break;
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
        else {
          held.clear();
          received = false;
        }
        break;
      case 'ItemDelegated':
        held.clear();
        for (const r of e.data.toRegionCodes) delegatedTo.add(r);
        break;
      case 'ItemRecalled':
        held.clear();
        delegatedTo = new Set([...delegatedTo].filter((r) => !e.data.fromRegionCodes.includes(r)));
        held.set(e.data.departmentId, { departmentId: e.data.departmentId, role: 'lead', since: e.data.effectiveFrom, document: e.data.document, eventId: f.eventId });
        break;
      case 'ItemReceived':
        held.clear();
        received = true;
        receivedFrom = e.data.fromRegionCode;
        if (e.data.departmentId) held.set(e.data.departmentId, { departmentId: e.data.departmentId, role: 'lead', since: e.data.effectiveFrom, document: e.data.document, eventId: f.eventId });
        break;
      case 'ItemReturned':
        held.clear();
        received = false;
        receivedFrom = undefined;
        break;
    }
  }
  const holdings = [...held.values()].sort((a, b) => (a.role === b.role ? (a.since < b.since ? -1 : a.since > b.since ? 1 : 0) : a.role === 'lead' ? -1 : 1));
  return { holdings, inList: holdings.length > 0 || received, delegatedTo: [...delegatedTo].sort(), receivedFrom: received ? receivedFrom : undefined, lastChange };
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
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  // Re-assigning with other details (duties relied on, internal organ, published wording) updates them.
  if (current && current.role === cmd.role && same(current.asPublished, cmd.asPublished) && same(current.dutyIds, cmd.dutyIds) && same(current.internalOrgan, cmd.internalOrgan)) {
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
  } else if (!entryOn(ctx.facts, cmd.effectiveFrom).inList) {
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


export interface ChildContext {
  region: RegionState | null;
  facts: AssignmentFact[];
  /** The department named for this child, if one was. */
  department: DepartmentState | null | undefined;
}

function requireChild(parent: RegionState, code: string, child: ChildContext | undefined, cmd: Change): RegionState {
  const r = child?.region;
  if (!r) throw new DomainError('UNKNOWN_REGION', `下级区划 ${code} 尚未登记`, { regionCode: code });
  if (r.parentCode !== parent.code) throw new DomainError('NOT_A_CHILD_REGION', `${code}（${r.name}）不是 ${parent.code}（${parent.name}）的直接下级区划`, { regionCode: code });
  if (cmd.effectiveFrom < r.since) throw new DomainError('BEFORE_REGION_EXISTS', `生效日期 ${cmd.effectiveFrom} 早于区划 ${code} 的登记生效日期 ${r.since}`);
  return r;
}

function uniqueCodes(codes: string[], field: string): void {
  if (codes.length === 0) throw new DomainError('NO_REGIONS', `${field} 至少包含一个下级区划`);
  if (new Set(codes).size !== codes.length) throw new DomainError('DUPLICATE_REGION', `${field} 中有重复的区划代码`);
}

/** 下放: parent stops holding the item; each child region receives it (to the department named, if any). */
export function decideDelegateItem(cmd: DelegateItem, ctx: AssignmentContext, children: Record<string, ChildContext>): MultiDecision<AssignmentEvent> {
  const parent = requireRegion(ctx, cmd);
  const version = requireItem(ctx, cmd);
  uniqueCodes(cmd.toRegionCodes, 'toRegionCodes');
  for (const k of Object.keys(cmd.departmentIds ?? {})) {
    if (!cmd.toRegionCodes.includes(k)) throw new DomainError('DEPARTMENT_REGION', `departmentIds 中的 ${k} 不在 toRegionCodes 之中`);
  }
  const entry = entryOn(ctx.facts, cmd.effectiveFrom);
  if (!entry.inList) throw new DomainError('NOT_HELD', `事项 ${cmd.itemCode} 在 ${cmd.effectiveFrom} 不在 ${cmd.regionCode} 的清单中，无法下放`);
  const warnings: Warning[] = [];
  const streams: MultiDecision<AssignmentEvent>['appends'] = [{ stream: assignmentStream(cmd.regionCode, cmd.itemCode), events: [{ type: 'ItemDelegated', data: { ...cmd } }] }];
  for (const code of cmd.toRegionCodes) {
    const child = children[code];
    const region = requireChild(parent, code, child, cmd);
    const deptId = cmd.departmentIds?.[code];
    if (deptId !== undefined) {
      const d = child.department;
      if (!d) throw new DomainError('UNKNOWN_DEPARTMENT', `部门 ${deptId} 不存在`, { departmentId: deptId });
      if (d.regionCode !== code) throw new DomainError('DEPARTMENT_REGION', `部门 ${deptId} 不属于区划 ${code}`, { departmentId: deptId });
      if (!departmentActiveOn(d, cmd.effectiveFrom)) throw new DomainError('DEPARTMENT_NOT_ACTIVE', `部门 ${deptId} 在 ${cmd.effectiveFrom} 不存在`, { departmentId: deptId });
    } else {
      warnings.push({ code: 'NO_DEPARTMENT', message: `下放到 ${code}（${region.name}）未指定承接部门：该事项在下级清单中暂无人负责`, details: { regionCode: code } });
    }
    if (entryOn(child.facts, cmd.effectiveFrom).inList) {
      warnings.push({ code: 'ALREADY_IN_CHILD_LIST', message: `事项 ${cmd.itemCode} 在 ${code} 已在清单中，下放将重新确定承接部门`, details: { regionCode: code } });
    }
    if (!version.levels.includes(region.level)) {
      warnings.push({ code: 'LEVEL_MISMATCH', message: `目录规定事项 ${cmd.itemCode} 的行使层级为 ${version.levels.join('、')}，不含 ${region.level}`, details: { regionCode: code } });
    }
    streams.push({
      stream: assignmentStream(code, cmd.itemCode),
      events: [{ type: 'ItemReceived', data: { regionCode: code, itemCode: cmd.itemCode, fromRegionCode: cmd.regionCode, ...(deptId ? { departmentId: deptId } : {}), effectiveFrom: cmd.effectiveFrom, document: cmd.document, ...(cmd.reason ? { reason: cmd.reason } : {}) } }],
    });
  }
  return { appends: streams, warnings };
}

/** 上收: each child region gives the item back; the parent's department holds it again. */
export function decideRecallItem(cmd: RecallItem, ctx: AssignmentContext, children: Record<string, ChildContext>): MultiDecision<AssignmentEvent> {
  const parent = requireRegion(ctx, cmd);
  requireItem(ctx, cmd);
  uniqueCodes(cmd.fromRegionCodes, 'fromRegionCodes');
  requireDepartment(ctx, cmd.departmentId, cmd);
  const streams: MultiDecision<AssignmentEvent>['appends'] = [{ stream: assignmentStream(cmd.regionCode, cmd.itemCode), events: [{ type: 'ItemRecalled', data: { ...cmd } }] }];
  for (const code of cmd.fromRegionCodes) {
    const child = children[code];
    requireChild(parent, code, child, cmd);
    const entry = entryOn(child.facts, cmd.effectiveFrom);
    if (entry.receivedFrom !== cmd.regionCode) {
      throw new DomainError('NOT_DELEGATED', `事项 ${cmd.itemCode} 在 ${cmd.effectiveFrom} 并非由 ${cmd.regionCode} 下放给 ${code}，无法上收`, { regionCode: code });
    }
    streams.push({
      stream: assignmentStream(code, cmd.itemCode),
      events: [{ type: 'ItemReturned', data: { regionCode: code, itemCode: cmd.itemCode, toRegionCode: cmd.regionCode, effectiveFrom: cmd.effectiveFrom, document: cmd.document, ...(cmd.reason ? { reason: cmd.reason } : {}) } }],
    });
  }
  return { appends: streams, warnings: [] };
}
