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
} from '../../domain/src';
import { EventStore } from '../../event-store/src';
import { CommandContext, CommandResult, Plan, executeCommand } from './command-executor';


interface Loaded<E> {
  stream: string;
  version: number | undefined;
  events: Array<{ eventId: string; event: E }>;
}

/**
 * The registry's write side: every command of the contract as load → decide → append. Plain
 * TypeScript, used by the HTTP API (through @nestjs/cqrs handlers), the CLI and the demo loader.
 */
export class Registry {
  constructor(private readonly store: EventStore) {}

  private async load<E extends QuanzeEvent>(stream: string): Promise<Loaded<E>> {
    const stored = await this.store.readStream(stream);
    const events: Loaded<E>['events'] = [];
    for (const s of stored) {
      const e = fromStored(s);
      if (e) events.push({ eventId: s.id, event: e as E });
    }
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

  abolishDepartment(cmd: AbolishDepartment, ctx: CommandContext): Promise<CommandResult> {
    return executeCommand(this.store, ctx, async () => {
      const { loaded, state } = await this.department(cmd.id);
      if (!state) throw new NotFoundError('UNKNOWN_DEPARTMENT', `部门 ${cmd.id} 不存在`);
      const successor = cmd.successorId !== undefined ? (await this.department(cmd.successorId)).state : null;
      return this.single(loaded, decideAbolishDepartment(cmd, state, successor));
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
}
