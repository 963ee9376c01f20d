import {
  AbolishDepartment,
  AgreeBoundaryClause,
  AssignItem,
  ChangeFindingStatus,
  DefineCatalogItem,
  DelegateItem,
  EstablishDepartment,
  IssueSandingCommand,
  ReportActualStaffing,
  staffingStream,
  PublishEdition,
  editionsStream,
  RecallItem,
  RegisterRegion,
  RenameDepartment,
  RetireCatalogItem,
  RetractEvent,
  ReviseCatalogItem,
  TransferItem,
  WithdrawItem,
  assignmentStream,
  boundaryStream,
  catalogStream,
  departmentStream,
  findingStream,
  regionStream,
  DomainError,
} from '../../domain/src';
import { EventStore } from '../../event-store/src';
import { CommandContext, CommandResult, executeCommand } from './command-executor';
import { WriteSession } from './session';
import * as uc from './use-cases';
import { HoldingsIndex } from './use-cases';

export type { HoldingsIndex } from './use-cases';

/** The commands a change set may hold: everything that changes the registry's content. */
const HELD = {
  registerRegion: 1, defineCatalogItem: 1, reviseCatalogItem: 1, retireCatalogItem: 1, establishDepartment: 1, renameDepartment: 1, abolishDepartment: 1,
  issueSanding: 1, agreeBoundaryClause: 1, delegateItem: 1, recallItem: 1, retractEvent: 1, assignItem: 1, transferItem: 1, withdrawItem: 1, reportActualStaffing: 1,
} as const;
export type HeldCommandName = keyof typeof HELD;

/**
 * The registry's write side, the ONE path every writer takes (HTTP API, CLI, demo loader, importer):
 * a session reads the streams (upcast, retractions applied), a use case of ./use-cases asks the domain's
 * decider, and the session's decisions go to the store as one atomic append (executeCommand: expected
 * versions, retries on a concurrent write, idempotency, metadata).
 */
export class Registry {
  constructor(
    private readonly store: EventStore,
    private readonly index?: HoldingsIndex,
  ) {}

  /**
   * Every registry command as a decision into a session, by its name: what the methods below run in a
   * session of their own, and what a change set (调整方案) runs in one session for all its commands.
   */
  private readonly deciders = {
    registerRegion: uc.registerRegion,
    defineCatalogItem: uc.defineCatalogItem,
    reviseCatalogItem: uc.reviseCatalogItem,
    retireCatalogItem: uc.retireCatalogItem,
    establishDepartment: uc.establishDepartment,
    renameDepartment: uc.renameDepartment,
    abolishDepartment: (s: WriteSession, cmd: AbolishDepartment) => uc.abolishDepartment(s, cmd, this.index),
    issueSanding: uc.issueSanding,
    agreeBoundaryClause: uc.agreeBoundaryClause,
    delegateItem: uc.delegateItem,
    recallItem: uc.recallItem,
    retractEvent: uc.retractEvent,
    assignItem: uc.assignItem,
    transferItem: uc.transferItem,
    withdrawItem: uc.withdrawItem,
    reportActualStaffing: uc.reportActualStaffing,
    changeFindingStatus: uc.changeFindingStatus,
    publishEdition: uc.publishEdition,
  };

  /** Whether a command of this name can be held by a change set (an edition or a finding's status cannot). */
  static heldInChangeSet(name: string): name is HeldCommandName {
    return Object.prototype.hasOwnProperty.call(HELD, name);
  }

  /** Decides the named command into `s` (nothing is appended here): the change sets' dispatch. */
  decideInto(s: WriteSession, name: HeldCommandName, payload: unknown): Promise<unknown> {
    if (!Registry.heldInChangeSet(name)) throw new DomainError('CHANGESET_COMMAND', `命令 ${name} 不能放入调整方案`);
    return (this.deciders[name] as (s: WriteSession, cmd: unknown) => Promise<unknown>)(s, payload);
  }

  /** One command: a fresh session per attempt; `own` is the stream its expectedVersion refers to. */
  private run(ctx: CommandContext, own: string | ((s: WriteSession) => string), decide: (s: WriteSession) => Promise<unknown>): Promise<CommandResult> {
    return executeCommand(this.store, ctx, async () => {
      const s = new WriteSession(this.store);
      await decide(s);
      return s.plan(typeof own === 'string' ? own : own(s));
    });
  }

  /**
   * Many decisions, one atomic append (an import: a whole batch of rows, all or nothing). `decide` runs
   * on a fresh session per attempt (a concurrent write to a stream it read makes it run again), so it
   * must keep what it reports inside the attempt. A batch that decides nothing records nothing and
   * answers with no event ids.
   */
  batch(ctx: CommandContext, decide: (s: WriteSession) => Promise<void>): Promise<CommandResult> {
    return executeCommand(
      this.store,
      ctx,
      async () => {
        const s = new WriteSession(this.store);
        await decide(s);
        return s.plan();
      },
      { allowEmpty: true },
    );
  }

  registerRegion(cmd: RegisterRegion, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, regionStream(cmd.code), (s) => this.deciders.registerRegion(s, cmd));
  }

  defineCatalogItem(cmd: DefineCatalogItem, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, catalogStream(cmd.code), (s) => this.deciders.defineCatalogItem(s, cmd));
  }

  reviseCatalogItem(cmd: ReviseCatalogItem, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, catalogStream(cmd.code), (s) => this.deciders.reviseCatalogItem(s, cmd));
  }

  retireCatalogItem(cmd: RetireCatalogItem, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, catalogStream(cmd.code), (s) => this.deciders.retireCatalogItem(s, cmd));
  }

  establishDepartment(cmd: EstablishDepartment, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, departmentStream(cmd.id), (s) => this.deciders.establishDepartment(s, cmd));
  }

  renameDepartment(cmd: RenameDepartment, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, departmentStream(cmd.id), (s) => this.deciders.renameDepartment(s, cmd));
  }

  /** With a successor, every item the department holds moves to it in the same append; without, they are reported. */
  abolishDepartment(cmd: AbolishDepartment, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, departmentStream(cmd.id), (s) => this.deciders.abolishDepartment(s, cmd));
  }

  issueSanding(cmd: IssueSandingCommand, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, departmentStream(cmd.id), (s) => this.deciders.issueSanding(s, cmd));
  }

  agreeBoundaryClause(cmd: AgreeBoundaryClause, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, boundaryStream(cmd.regionCode, cmd.clauseId), (s) => this.deciders.agreeBoundaryClause(s, cmd));
  }

  delegateItem(cmd: DelegateItem, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, assignmentStream(cmd.regionCode, cmd.itemCode), (s) => this.deciders.delegateItem(s, cmd));
  }

  recallItem(cmd: RecallItem, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, assignmentStream(cmd.regionCode, cmd.itemCode), (s) => this.deciders.recallItem(s, cmd));
  }

  /** A correction that never erases: appended to the retracted event's stream. */
  retractEvent(cmd: Omit<RetractEvent, 'retractedType'>, ctx: CommandContext): Promise<CommandResult> {
    let stream = '';
    return this.run(
      ctx,
      () => stream,
      async (s) => {
        stream = (await this.deciders.retractEvent(s, cmd)).stream;
      },
    );
  }

  assignItem(cmd: AssignItem, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, assignmentStream(cmd.regionCode, cmd.itemCode), (s) => this.deciders.assignItem(s, cmd));
  }

  transferItem(cmd: TransferItem, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, assignmentStream(cmd.regionCode, cmd.itemCode), (s) => this.deciders.transferItem(s, cmd));
  }

  withdrawItem(cmd: WithdrawItem, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, assignmentStream(cmd.regionCode, cmd.itemCode), (s) => this.deciders.withdrawItem(s, cmd));
  }

  /** 实有人员 from a date (stream staffing-<id>), decided on the department's stream and its own. */
  reportActualStaffing(cmd: ReportActualStaffing, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, staffingStream(cmd.departmentId), (s) => this.deciders.reportActualStaffing(s, cmd));
  }

  changeFindingStatus(cmd: ChangeFindingStatus, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, findingStream(cmd.findingId), (s) => this.deciders.changeFindingStatus(s, cmd));
  }

  /** 年版: the region's list declared as published (its content hash computed by the caller from the read model). */
  publishEdition(cmd: PublishEdition, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, editionsStream(cmd.regionCode), (s) => this.deciders.publishEdition(s, cmd));
  }
}
