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
} from '../../domain/src';
import { EventStore } from '../../event-store/src';
import { CommandContext, CommandResult, executeCommand } from './command-executor';
import { WriteSession } from './session';
import * as uc from './use-cases';
import { HoldingsIndex } from './use-cases';

export type { HoldingsIndex } from './use-cases';

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
    return this.run(ctx, regionStream(cmd.code), (s) => uc.registerRegion(s, cmd));
  }

  defineCatalogItem(cmd: DefineCatalogItem, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, catalogStream(cmd.code), (s) => uc.defineCatalogItem(s, cmd));
  }

  reviseCatalogItem(cmd: ReviseCatalogItem, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, catalogStream(cmd.code), (s) => uc.reviseCatalogItem(s, cmd));
  }

  retireCatalogItem(cmd: RetireCatalogItem, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, catalogStream(cmd.code), (s) => uc.retireCatalogItem(s, cmd));
  }

  establishDepartment(cmd: EstablishDepartment, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, departmentStream(cmd.id), (s) => uc.establishDepartment(s, cmd));
  }

  renameDepartment(cmd: RenameDepartment, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, departmentStream(cmd.id), (s) => uc.renameDepartment(s, cmd));
  }

  /** With a successor, every item the department holds moves to it in the same append; without, they are reported. */
  abolishDepartment(cmd: AbolishDepartment, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, departmentStream(cmd.id), (s) => uc.abolishDepartment(s, cmd, this.index));
  }

  issueSanding(cmd: IssueSandingCommand, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, departmentStream(cmd.id), (s) => uc.issueSanding(s, cmd));
  }

  agreeBoundaryClause(cmd: AgreeBoundaryClause, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, boundaryStream(cmd.regionCode, cmd.clauseId), (s) => uc.agreeBoundaryClause(s, cmd));
  }

  delegateItem(cmd: DelegateItem, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, assignmentStream(cmd.regionCode, cmd.itemCode), (s) => uc.delegateItem(s, cmd));
  }

  recallItem(cmd: RecallItem, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, assignmentStream(cmd.regionCode, cmd.itemCode), (s) => uc.recallItem(s, cmd));
  }

  /** A correction that never erases: appended to the retracted event's stream. */
  retractEvent(cmd: Omit<RetractEvent, 'retractedType'>, ctx: CommandContext): Promise<CommandResult> {
    let stream = '';
    return this.run(
      ctx,
      () => stream,
      async (s) => {
        stream = (await uc.retractEvent(s, cmd)).stream;
      },
    );
  }

  assignItem(cmd: AssignItem, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, assignmentStream(cmd.regionCode, cmd.itemCode), (s) => uc.assignItem(s, cmd));
  }

  transferItem(cmd: TransferItem, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, assignmentStream(cmd.regionCode, cmd.itemCode), (s) => uc.transferItem(s, cmd));
  }

  withdrawItem(cmd: WithdrawItem, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, assignmentStream(cmd.regionCode, cmd.itemCode), (s) => uc.withdrawItem(s, cmd));
  }

  /** 实有人员 from a date (stream staffing-<id>), decided on the department's stream and its own. */
  reportActualStaffing(cmd: ReportActualStaffing, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, staffingStream(cmd.departmentId), (s) => uc.reportActualStaffing(s, cmd));
  }

  changeFindingStatus(cmd: ChangeFindingStatus, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, findingStream(cmd.findingId), (s) => uc.changeFindingStatus(s, cmd));
  }

  /** 年版: the region's list declared as published (its content hash computed by the caller from the read model). */
  publishEdition(cmd: PublishEdition, ctx: CommandContext): Promise<CommandResult> {
    return this.run(ctx, editionsStream(cmd.regionCode), (s) => uc.publishEdition(s, cmd));
  }
}
