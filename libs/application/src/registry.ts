import {
  AbolishDepartment,
  AssignItem,
  AssignmentContext,
  AssignmentEvent,
  AssignmentFact,
  CatalogEvent,
  DefineCatalogItem,
  DepartmentEvent,
  DepartmentState,
  EstablishDepartment,
  NotFoundError,
  QuanzeEvent,
  RegionEvent,
  RegionState,
  RegisterRegion,
  RenameDepartment,
  RetireCatalogItem,
  ReviseCatalogItem,
  TransferItem,
  WithdrawItem,
  assignmentStream,
  catalogStream,
  catalogVersions,
  decideAbolishDepartment,
  decideAssignItem,
  decideDefineCatalogItem,
  decideEstablishDepartment,
  decideRegisterRegion,
  decideRenameDepartment,
  decideRetireCatalogItem,
  decideReviseCatalogItem,
  decideTransferItem,
  decideWithdrawItem,
  departmentStream,
  evolveDepartment,
  evolveRegion,
  fold,
  regionStream,
  Decision,
  fromStored,
  AgreeBoundaryClause,
  BoundaryEvent,
  ChildContext,
  DelegateItem,
  IssueSanding,
  MultiDecision,
  RecallItem,
  RetractEvent,
  boundaryStream,
  decideAgreeBoundaryClause,
  decideDelegateItem,
  decideIssueSanding,
  decideRecallItem,
  decideRetractEvent,
  holdingsOn,
  DomainError,
  Warning,
  departmentNameOn,
  ChangeFindingStatus,
  FindingEvent,
  decideChangeFindingStatus,
  findingStream,
} from '../../domain/src';
import { EventStore } from '../../event-store/src';
import { CommandContext, CommandResult, Plan, executeCommand } from './command-executor';


interface Loaded<E> {
  stream: string;
  version: number | undefined;
  events: Array<{ eventId: string; event: E }>;
}

/** Where to look for the list entries a department holds (a read model; the streams are re-read to decide). */
export interface HoldingsIndex {
  entriesOf(departmentId: string): Array<{ regionCode: string; itemCode: string }>;
}

/**
 * The registry's write side: every command of the contract as load → decide → append. Plain
 * TypeScript, used by the HTTP API (through @nestjs/cqrs handlers), the CLI and the demo loader.
 */
export class Registry {
  constructor(
    private readonly store: EventStore,
    private readonly index?: HoldingsIndex,
  ) {}

  /** A stream's events in the current shape, without the ones retracted (they count as never having happened). */
  private async load<E extends QuanzeEvent>(stream: string): Promise<Loaded<E>> {
    const stored = await this.store.readStream(stream);
    const retracted = new Set<string>();
    const all: Array<{ eventId: string; event: QuanzeEvent }> = [];
    for (const s of stored) {
      const e = fromStored(s);
      if (!e) continue;
      if (e.type === 'EventRetracted') retracted.add(e.data.eventId);
      else all.push({ eventId: s.id, event: e });
    }
    const events = all.filter((x) => !retracted.has(x.eventId)) as Loaded<E>['events'];
    return { stream, version: stored.length ? stored[stored.length - 1].streamVersion : undefined, events };
  }

  private async region(code: string): Promise<RegionState | null> {
    const l = await this.load<RegionEvent>(regionStream(code));
    return fold(evolveRegion, null as RegionState | null, l.events.map((x) => x.event));
  }

  private async department(id: string): Promise<{ loaded: Loaded<DepartmentEvent>; state: DepartmentState | null }> {
    const loaded = await this.load<DepartmentEvent>(departmentStream(id));
    return { loaded, state: fold(evolveDepartment, null as DepartmentState | null, loaded.events.map((x) => x.event)) };
  }

  private single<E extends QuanzeEvent>(loaded: Loaded<unknown>, d: Decision<E>): Plan {
    return { stream: loaded.stream, readVersion: loaded.version, appends: [{ stream: loaded.stream, readVersion: loaded.version, events: d.events }], warnings: d.warnings };
  }

  registerRegion(cmd: RegisterRegion, ctx: CommandContext): Promise<CommandResult> {
    return executeCommand(this.store, ctx, async () => {
      const own = await this.load<RegionEvent>(regionStream(cmd.code));
      const existing = fold(evolveRegion, null as RegionState | null, own.events.map((x) => x.event));
      const parent = cmd.parentCode ? await this.region(cmd.parentCode) : null;
      return this.single(own, decideRegisterRegion(cmd, existing, parent));
    });
  }

  defineCatalogItem(cmd: DefineCatalogItem, ctx: CommandContext): Promise<CommandResult> {
    return executeCommand(this.store, ctx, async () => {
      const own = await this.load<CatalogEvent>(catalogStream(cmd.code));
      return this.single(own, decideDefineCatalogItem(cmd, own.events.map((x) => x.event)));
    });
  }

  reviseCatalogItem(cmd: ReviseCatalogItem, ctx: CommandContext): Promise<CommandResult> {
    return executeCommand(this.store, ctx, async () => {
      const own = await this.requireCatalog(cmd.code);
      return this.single(own, decideReviseCatalogItem(cmd, own.events.map((x) => x.event)));
    });
  }

  retireCatalogItem(cmd: RetireCatalogItem, ctx: CommandContext): Promise<CommandResult> {
    return executeCommand(this.store, ctx, async () => {
      const own = await this.requireCatalog(cmd.code);
      return this.single(own, decideRetireCatalogItem(cmd, own.events.map((x) => x.event)));
    });
  }

  private async requireCatalog(code: string): Promise<Loaded<CatalogEvent>> {
    const own = await this.load<CatalogEvent>(catalogStream(code));
    if (own.events.length === 0) throw new NotFoundError('UNKNOWN_ITEM', `目录事项 ${code} 不存在`);
    return own;
  }

  establishDepartment(cmd: EstablishDepartment, ctx: CommandContext): Promise<CommandResult> {
    return executeCommand(this.store, ctx, async () => {
      const { loaded, state } = await this.department(cmd.id);
      return this.single(loaded, decideEstablishDepartment(cmd, state, await this.region(cmd.regionCode)));
    });
  }

  renameDepartment(cmd: RenameDepartment, ctx: CommandContext): Promise<CommandResult> {
    return executeCommand(this.store, ctx, async () => {
      const { loaded, state } = await this.department(cmd.id);
      if (!state) throw new NotFoundError('UNKNOWN_DEPARTMENT', `部门 ${cmd.id} 不存在`);
      return this.single(loaded, decideRenameDepartment(cmd, state));
    });
  }

  /**
   * Abolish a department. With a successor, every item it holds on that date moves to the successor
   * in the same atomic append; without one, the items stay with it and are reported (a finding).
   */
  abolishDepartment(cmd: AbolishDepartment, ctx: CommandContext): Promise<CommandResult> {
    return executeCommand(this.store, ctx, async () => {
      const { loaded, state } = await this.department(cmd.id);
      if (!state) throw new NotFoundError('UNKNOWN_DEPARTMENT', `部门 ${cmd.id} 不存在`);
      const successor = cmd.successorId !== undefined ? (await this.department(cmd.successorId)).state : null;
      const decision = decideAbolishDepartment(cmd, state, successor);
      const plan = this.single(loaded, decision);
      if (!this.index) return plan;
      const held: Array<{ own: Loaded<AssignmentEvent>; itemCode: string; regionCode: string }> = [];
      for (const { regionCode, itemCode } of this.index.entriesOf(cmd.id)) {
        const own = await this.load<AssignmentEvent>(assignmentStream(regionCode, itemCode));
        if (holdingsOn(own.events, cmd.effectiveFrom).some((h) => h.departmentId === cmd.id)) held.push({ own, itemCode, regionCode });
      }
      if (cmd.successorId) {
        for (const h of held) {
          plan.appends.push({
            stream: h.own.stream,
            readVersion: h.own.version,
            events: [{ type: 'ItemTransferred', data: { regionCode: h.regionCode, itemCode: h.itemCode, fromDepartmentId: cmd.id, toDepartmentId: cmd.successorId, effectiveFrom: cmd.effectiveFrom, document: cmd.document, reason: cmd.reason ?? `部门撤销，事项由 ${cmd.successorId} 承继` } }],
          });
        }
      } else if (held.length) {
        plan.warnings.push({
          code: 'ABOLISHED_HOLDING_ITEMS',
          message: `部门 ${cmd.id}（${departmentNameOn(state, cmd.effectiveFrom)}）撤销后仍持有 ${held.length} 个事项且未指定承继部门（职责缺位）`,
          details: { items: held.map((h) => ({ regionCode: h.regionCode, itemCode: h.itemCode })) },
        });
      }
      return plan;
    });
  }

  issueSanding(cmd: IssueSanding, ctx: CommandContext): Promise<CommandResult> {
    return executeCommand(this.store, ctx, async () => {
      const { loaded, state } = await this.department(cmd.id);
      if (!state) throw new NotFoundError('UNKNOWN_DEPARTMENT', `部门 ${cmd.id} 不存在`);
      return this.single(loaded, decideIssueSanding(cmd, state));
    });
  }

  agreeBoundaryClause(cmd: AgreeBoundaryClause, ctx: CommandContext): Promise<CommandResult> {
    return executeCommand(this.store, ctx, async () => {
      const own = await this.load<BoundaryEvent>(boundaryStream(cmd.regionCode, cmd.clauseId));
      const departments: Record<string, DepartmentState | null> = {};
      for (const id of [cmd.leadDepartmentId, ...cmd.assistingDepartmentIds]) departments[id] = (await this.department(id)).state;
      const unknownItems: string[] = [];
      for (const code of cmd.itemCodes ?? []) if ((await this.store.streamVersion(catalogStream(code))) === undefined) unknownItems.push(code);
      return this.single(own, decideAgreeBoundaryClause(cmd, { existing: own.events.length > 0, region: await this.region(cmd.regionCode), departments, unknownItems }));
    });
  }

  private async children(codes: string[], itemCode: string, departmentIds: Record<string, string> = {}): Promise<{ ctx: Record<string, ChildContext>; loaded: Record<string, Loaded<AssignmentEvent>> }> {
    departmentIds ??= {};
    const ctx: Record<string, ChildContext> = {};
    const loaded: Record<string, Loaded<AssignmentEvent>> = {};
    for (const code of codes) {
      const own = await this.load<AssignmentEvent>(assignmentStream(code, itemCode));
      loaded[code] = own;
      const deptId = departmentIds[code];
      ctx[code] = { region: await this.region(code), facts: own.events, department: deptId === undefined ? undefined : (await this.department(deptId)).state };
    }
    return { ctx, loaded };
  }

  private multi(own: Loaded<AssignmentEvent>, loaded: Record<string, Loaded<AssignmentEvent>>, d: MultiDecision): Plan {
    const versions = new Map<string, number | undefined>([[own.stream, own.version], ...Object.values(loaded).map((l) => [l.stream, l.version] as [string, number | undefined])]);
    return { stream: own.stream, readVersion: own.version, appends: d.streams.map((s) => ({ ...s, readVersion: versions.get(s.stream) })), warnings: d.warnings };
  }

  async delegateItem(cmd: DelegateItem, ctx: CommandContext): Promise<CommandResult> {
    requireChildRegions(cmd.toRegionCodes);
    return executeCommand(this.store, ctx, async () => {
      const { own, ctx: c } = await this.assignmentContext(cmd.regionCode, cmd.itemCode, []);
      const kids = await this.children(cmd.toRegionCodes, cmd.itemCode, cmd.departmentIds);
      return this.multi(own, kids.loaded, decideDelegateItem(cmd, c, kids.ctx));
    });
  }

  async recallItem(cmd: RecallItem, ctx: CommandContext): Promise<CommandResult> {
    requireChildRegions(cmd.fromRegionCodes);
    return executeCommand(this.store, ctx, async () => {
      const { own, ctx: c } = await this.assignmentContext(cmd.regionCode, cmd.itemCode, [cmd.departmentId]);
      const kids = await this.children(cmd.fromRegionCodes, cmd.itemCode);
      return this.multi(own, kids.loaded, decideRecallItem(cmd, c, kids.ctx));
    });
  }

  /** A correction that never erases: appended to the retracted event's stream. */
  retractEvent(cmd: Omit<RetractEvent, 'retractedType'>, ctx: CommandContext): Promise<CommandResult> {
    return executeCommand(this.store, ctx, async () => {
      const target = await this.store.readEvent(cmd.eventId);
      if (!target) throw new NotFoundError('UNKNOWN_EVENT', `事件 ${cmd.eventId} 不存在`);
      const stored = await this.store.readStream(target.stream);
      const view = stored.map((s) => ({ eventId: s.id, type: s.type, retractedId: s.type === 'EventRetracted' ? (s.data?.eventId as string) : undefined }));
      const decision = decideRetractEvent({ ...cmd, retractedType: target.type }, view);
      const version = stored.length ? stored[stored.length - 1].streamVersion : undefined;
      return { stream: target.stream, readVersion: version, appends: [{ stream: target.stream, readVersion: version, events: decision.events }], warnings: decision.warnings };
    });
  }

  private async assignmentContext(regionCode: string, itemCode: string, departmentIds: string[]): Promise<{ own: Loaded<AssignmentEvent>; ctx: AssignmentContext }> {
    const region = await this.region(regionCode);
    if (!region) throw new NotFoundError('UNKNOWN_REGION', `行政区划 ${regionCode} 尚未登记`);
    const catalog = await this.load<CatalogEvent>(catalogStream(itemCode));
    if (catalog.events.length === 0) throw new NotFoundError('UNKNOWN_ITEM', `事项 ${itemCode} 不在目录中`);
    const own = await this.load<AssignmentEvent>(assignmentStream(regionCode, itemCode));
    const departments: Record<string, DepartmentState | null> = {};
    for (const id of departmentIds) departments[id] = (await this.department(id)).state;
    const facts: AssignmentFact[] = own.events.map((x) => ({ eventId: x.eventId, event: x.event }));
    return { own, ctx: { region, catalog: catalogVersions(catalog.events.map((x) => x.event)), departments, facts } };
  }

  assignItem(cmd: AssignItem, ctx: CommandContext): Promise<CommandResult> {
    return executeCommand(this.store, ctx, async () => {
      const { own, ctx: c } = await this.assignmentContext(cmd.regionCode, cmd.itemCode, [cmd.departmentId]);
      return this.single(own, decideAssignItem(cmd, c));
    });
  }

  transferItem(cmd: TransferItem, ctx: CommandContext): Promise<CommandResult> {
    return executeCommand(this.store, ctx, async () => {
      const { own, ctx: c } = await this.assignmentContext(cmd.regionCode, cmd.itemCode, [cmd.fromDepartmentId, cmd.toDepartmentId]);
      return this.single(own, decideTransferItem(cmd, c));
    });
  }

  withdrawItem(cmd: WithdrawItem, ctx: CommandContext): Promise<CommandResult> {
    return executeCommand(this.store, ctx, async () => {
      const { own, ctx: c } = await this.assignmentContext(cmd.regionCode, cmd.itemCode, cmd.departmentId ? [cmd.departmentId] : []);
      return this.single(own, decideWithdrawItem(cmd, c));
    });
  }

  /**
   * The findings ledger: 待派发 / 核查中 / 已销号. Whether the finding exists is the caller's to check (a
   * finding is computed from the read side); the rules of the status flow are the domain's.
   */
  changeFindingStatus(cmd: ChangeFindingStatus, ctx: CommandContext): Promise<CommandResult> {
    return executeCommand(this.store, ctx, async () => {
      const own = await this.load<FindingEvent>(findingStream(cmd.findingId));
      return this.single(own, decideChangeFindingStatus(cmd, own.events.map((x) => x.event)));
    });
  }
}

/** The HTTP layer validates; a caller in process (CLI, import, scripts) gets the same clear refusal. */
function requireChildRegions(codes: unknown): void {
  if (!Array.isArray(codes) || codes.length === 0 || codes.some((c) => typeof c !== 'string')) {
    throw new DomainError('NO_CHILD_REGIONS', '请至少指定一个下级区划（区划代码）');
  }
}
