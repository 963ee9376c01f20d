import { createHash } from 'node:crypto';
import {
  ChangeSetCommand,
  ChangeSetEvent,
  ChangeSetState,
  ChangeSetStatus,
  DocumentRef,
  DomainError,
  EditionEvent,
  EditionRequest,
  IsoDate,
  HeldCommand,
  NotFoundError,
  PublishEdition,
  QuanzeEvent,
  Warning,
  changeSetStream,
  decideChangeSet,
  editionsStream,
  evolveChangeSet,
  evolveEditions,
  fold,
  initialChangeSetState,
  initialEditionsState,
} from '../../domain/src';
import type { StaleCommand } from '../../contract/src';
import { EventStore } from '../../event-store/src';
import { CommandContext, CommandResult, Plan, commandFingerprint, eventIdFor, executeCommand, uuidV7 } from './command-executor';
import { HeldCommandName, Registry } from './registry';
import { WriteSession } from './session';
import { regionState } from './use-cases/state';

/** A command of a change set that no longer applies (what CHANGESET_STALE names): the contract's shape. */
export type { StaleCommand } from '../../contract/src';

/** The draft decided on the registry as it is now, nothing appended: what preview and publish start from. */
export interface DecidedChangeSet {
  state: ChangeSetState;
  /** The change set's stream version it was decided at. */
  version: number;
  /** The events the commands would record, per stream, in the order of one append. */
  appends: Array<{ stream: string; events: QuanzeEvent[] }>;
  /** Per held command (by index): what deciding it now warns. */
  warnings: Record<number, Warning[]>;
  stale: StaleCommand[];
}

export interface AddedCommand {
  changeSet: string;
  index: number;
  warnings: Warning[];
  version: number;
  commandId: string;
  position: number;
}

/** What `publish` is asked: the publishing document and date, and optionally the numbered edition. */
export interface PublishChangeSetRequest {
  document: DocumentRef;
  publishedOn: IsoDate;
  edition?: EditionRequest;
}

/** An edition's content as the read side computes it (libs/projections editionToPublish). */
export interface EditionContent {
  contentAsKnownAt: string;
  hash: string;
  itemCount: number;
}

/**
 * The region's list content once the read side has seen `position` (the publication): application reads
 * no read model, so the shell passes this in (the API: its runner and view; the CLI: a view rebuilt).
 */
export type EditionContentSource = (q: { region: string; effectiveFrom: IsoDate; contentAsKnownAt: string; position: number }) => Promise<EditionContent>;

/** The answer of a publication (POST /api/change-sets/{id}/publish, `quanze changeset publish`). */
export interface PublishedChangeSet {
  id: string;
  status: 'published';
  version: number;
  eventIds: string[];
  recordedAt: string;
  edition: null | ({ number: string; publishedOn: IsoDate; effectiveFrom: IsoDate; eventIds: string[] } & EditionContent);
  /** The last position appended (the edition's when there is one): what a reader waits for. */
  position: number;
  commandId: string;
}

const itemOf = (body: Record<string, unknown>): string | undefined => {
  for (const k of ['itemCode', 'code', 'id']) if (typeof body[k] === 'string') return body[k] as string;
  return undefined;
};

/**
 * 调整方案: commands decided but not appended. Every step is an event on `changeset-<id>`; a held
 * command is decided by the registry's own deciders (Registry.decideInto) in one WriteSession after the
 * draft's earlier commands, so it is checked as if they were in force, and only the change set's event
 * is appended. Publishing decides them all again, on the registry as it is then, and appends all their
 * events with ChangeSetPublished at once — or nothing, naming the commands that no longer apply.
 */
export class ChangeSets {
  constructor(
    private readonly store: EventStore,
    private readonly registry: Registry,
  ) {}

  /** A new change set; its id is derived from the Idempotency-Key when there is one (a retry opens it once). */
  async open(cmd: { regionCode: string; title: string; document?: DocumentRef }, ctx: CommandContext): Promise<CommandResult & { id: string }> {
    const id = ctx.commandId ? createHash('sha256').update(`quanze:changeset:${ctx.commandId}`).digest('hex').slice(0, 16) : uuidV7();
    const r = await this.step(id, ctx, async (s) => {
      if (!(await regionState(s, cmd.regionCode))) throw new NotFoundError('UNKNOWN_REGION', `行政区划 ${cmd.regionCode} 不存在`);
      return { kind: 'open', id, ...cmd };
    });
    return { ...r, id };
  }

  /** The change set as its stream says now (status undefined: there is none). */
  async state(id: string): Promise<ChangeSetState> {
    return foldChangeSet(await new WriteSession(this.store).events<ChangeSetEvent>(changeSetStream(id)));
  }

  /** Adds a command to a draft (or a returned one), checked as if the draft's earlier commands were in force. */
  async add(id: string, held: { route: string; name: string; body: Record<string, unknown> }, ctx: CommandContext): Promise<AddedCommand> {
    if (!Registry.heldInChangeSet(held.name)) throw new DomainError('CHANGESET_COMMAND', `该命令（${held.route}）不能放入调整方案`, { route: held.route });
    let added: HeldCommand | undefined;
    const r = await executeCommand(this.store, ctx, async (): Promise<Plan> => {
      const s = new WriteSession(this.store);
      const loaded = await s.load<ChangeSetEvent>(changeSetStream(id));
      const state = foldChangeSet(loaded.events.map((x) => x.event));
      if (!state.status) throw new NotFoundError('UNKNOWN_CHANGESET', `调整方案 ${id} 不存在`);
      const earlier = await this.decideAll(s, state);
      if (earlier.stale.length) throw staleError(earlier.stale, '方案中已有的命令');
      const sp = s.savepoint();
      await this.registry.decideInto(s, held.name as HeldCommandName, held.body);
      const warnings = s.warningsSince(sp);
      const regionCode = typeof held.body.regionCode === 'string' ? held.body.regionCode : undefined;
      const d = decideChangeSet({ kind: 'add', route: held.route, name: held.name, body: held.body, warnings, ...(regionCode ? { regionCode } : {}) }, state);
      added = (d.events[0] as Extract<ChangeSetEvent, { type: 'ChangeSetCommandAdded' }>).data;
      // Only the change set's event: the command's own events are not in force until publication.
      return { stream: loaded.stream, readVersion: loaded.version, appends: [{ stream: loaded.stream, readVersion: loaded.version, events: d.events }], warnings };
    });
    return { changeSet: id, index: added!.index, warnings: r.warnings, version: r.streamVersion, commandId: r.commandId, position: r.position };
  }

  drop(id: string, index: number, ctx: CommandContext): Promise<CommandResult> {
    return this.step(id, ctx, async () => ({ kind: 'drop', index }));
  }

  submit(id: string, note: string | undefined, ctx: CommandContext): Promise<CommandResult> {
    return this.step(id, ctx, async () => ({ kind: 'submit', note }));
  }

  review(id: string, r: { decision: 'approve' | 'return'; note?: string }, ctx: CommandContext): Promise<CommandResult> {
    return this.step(id, ctx, async () => ({ kind: 'review', ...r }));
  }

  withdraw(id: string, note: string | undefined, ctx: CommandContext): Promise<CommandResult> {
    return this.step(id, ctx, async () => ({ kind: 'withdraw', note }));
  }

  /**
   * approved → published: every held command decided again in one session on the registry as it is
   * now, and ONE atomic append of all their events with ChangeSetPublished (which names their ids).
   * A command that no longer applies refuses it all with CHANGESET_STALE; nothing is recorded.
   */
  publish(id: string, p: { document: DocumentRef; publishedOn: string; edition?: EditionRequest }, ctx: CommandContext): Promise<CommandResult> {
    // The ids of the events are derived from the command id, so ChangeSetPublished can name them.
    const commandId = ctx.commandId ?? uuidV7();
    return executeCommand(this.store, { ...ctx, commandId }, async () => {
      const s = new WriteSession(this.store);
      const stream = changeSetStream(id);
      const state = foldChangeSet(await s.events<ChangeSetEvent>(stream));
      if (!state.status) throw new NotFoundError('UNKNOWN_CHANGESET', `调整方案 ${id} 不存在`);
      // The status first: a draft is not published, however well its commands apply.
      decideChangeSet({ kind: 'publish', ...p, eventIds: [] }, state);
      const all = await this.decideAll(s, state);
      if (all.stale.length) throw staleError(all.stale, '发布时');
      const commands = await s.plan();
      const n = commands.appends.reduce((k, a) => k + a.events.length, 0);
      const eventIds = Array.from({ length: n }, (_, i) => eventIdFor(commandId, i));
      const d = decideChangeSet({ kind: 'publish', ...p, eventIds }, state);
      s.record(stream, d.events);
      const plan = await s.plan(stream);
      if (plan.appends[plan.appends.length - 1]?.stream !== stream) throw new Error('the change set must be the last stream of its publication');
      return plan;
    });
  }

  /**
   * The publication use case, the same for every shell: approved → published (`publish` above), then,
   * when an edition is asked for, the region's list as of the publication declared as that numbered
   * edition. Its number is checked before anything is recorded (the commands and the edition are two
   * appends); its effective date defaults to the latest effective date of the commands or the
   * publication date, whichever is later. The fingerprint is of the request, computed here.
   */
  async publishAs(id: string, req: PublishChangeSetRequest, ctx: Omit<CommandContext, 'fingerprint'>, contentOf: EditionContentSource): Promise<PublishedChangeSet> {
    const s = new WriteSession(this.store);
    const state = foldChangeSet(await s.events<ChangeSetEvent>(changeSetStream(id)));
    if (!state.status || !state.regionCode) throw new NotFoundError('UNKNOWN_CHANGESET', `调整方案 ${id} 不存在`);
    const region = state.regionCode;
    const document = { ...req.document };
    const latest = latestEffectiveFrom(state.commands);
    const edition = req.edition
      ? { number: req.edition.number.trim(), ...(req.edition.title ? { title: req.edition.title } : {}), effectiveFrom: req.edition.effectiveFrom ?? (latest > req.publishedOn ? latest : req.publishedOn) }
      : undefined;
    if (edition) {
      const editions = fold(evolveEditions, initialEditionsState, await s.events<EditionEvent>(editionsStream(region)));
      if (editions.editions.some((e) => e.number === edition.number)) {
        throw new DomainError('EDITION_EXISTS', `${region} 已有版本 ${edition.number}，版本号不能重复；调整方案未发布`, { number: edition.number });
      }
    }
    const p = { document, publishedOn: req.publishedOn, ...(edition ? { edition } : {}) };
    const r = await this.publish(id, p, { ...ctx, fingerprint: commandFingerprint('changeSet:publish', { id, ...p }) });
    const answer: PublishedChangeSet = { id, status: 'published', version: r.streamVersion, eventIds: r.eventIds, recordedAt: r.recordedAt, edition: null, position: r.position, commandId: r.commandId };
    if (!edition) return answer;
    const content = await contentOf({ region, effectiveFrom: edition.effectiveFrom, contentAsKnownAt: r.recordedAt, position: r.position });
    const command: PublishEdition = { regionCode: region, ...edition, publishedOn: req.publishedOn, document, changeSetId: id, ...content };
    const er = await this.registry.publishEdition(command, {
      actor: ctx.actor,
      correlationId: r.commandId,
      ...(ctx.commandId ? { commandId: `${ctx.commandId}:edition` } : {}),
      fingerprint: commandFingerprint('publishEdition', command),
    });
    return { ...answer, edition: { number: edition.number, publishedOn: req.publishedOn, effectiveFrom: edition.effectiveFrom, ...content, eventIds: er.eventIds }, position: er.position };
  }

  /**
   * 预览: the region as it would be after publishing, for every shell: the draft decided on the registry
   * as it is now (nothing appended) and given to `project` (libs/projections previewChangeSet on the
   * shell's view), on `at` — by default the latest effective date of the commands, else `now`'s date.
   */
  async preview<P>(
    id: string,
    q: { at?: IsoDate; now: string },
    project: (q: { region: string; at: IsoDate; appends: DecidedChangeSet['appends']; recordedAt: string }) => P,
  ): Promise<{ id: string; status: ChangeSetStatus; version: number; stale: StaleCommand[] } & P> {
    const d = await this.decided(id);
    if (d.state.status === 'published') throw new DomainError('CHANGESET_BAD_STATUS', `调整方案 ${id} 已发布，其变更已在清单中`, { status: d.state.status });
    const at = q.at ?? (latestEffectiveFrom(d.state.commands) || q.now.slice(0, 10));
    const p = project({ region: d.state.regionCode!, at, appends: d.appends, recordedAt: q.now });
    return { id, status: d.state.status!, version: d.version, ...p, stale: d.stale };
  }

  /** The draft decided on the registry as it is now, nothing appended (preview). */
  async decided(id: string): Promise<DecidedChangeSet> {
    const s = new WriteSession(this.store);
    const loaded = await s.load<ChangeSetEvent>(changeSetStream(id));
    const state = foldChangeSet(loaded.events.map((x) => x.event));
    if (!state.status) throw new NotFoundError('UNKNOWN_CHANGESET', `调整方案 ${id} 不存在`);
    const r = await this.decideAll(s, state);
    const plan = await s.plan();
    return { state, version: loaded.version ?? -1, appends: plan.appends.map((a) => ({ stream: a.stream, events: a.events })), warnings: r.warnings, stale: r.stale };
  }

  /** Decides every held command in order into `s`; one that fails is rolled back and reported. */
  private async decideAll(s: WriteSession, state: ChangeSetState): Promise<{ stale: StaleCommand[]; warnings: Record<number, Warning[]> }> {
    const stale: StaleCommand[] = [];
    const warnings: Record<number, Warning[]> = {};
    for (const c of state.commands) {
      const sp = s.savepoint();
      try {
        await this.registry.decideInto(s, c.name as HeldCommandName, c.body);
        warnings[c.index] = s.warningsSince(sp);
      } catch (e) {
        if (!(e instanceof DomainError || e instanceof NotFoundError)) throw e;
        s.rollback(sp);
        const item = itemOf(c.body);
        stale.push({ index: c.index, route: c.route, name: c.name, ...(item ? { item } : {}), code: e.code, message: e.message });
      }
    }
    return { stale, warnings };
  }

  /** One step of the change set's own life: decided on its stream alone. */
  private step(id: string, ctx: CommandContext, command: (s: WriteSession) => Promise<ChangeSetCommand>): Promise<CommandResult> {
    const stream = changeSetStream(id);
    return executeCommand(this.store, ctx, async () => {
      const s = new WriteSession(this.store);
      const cmd = await command(s);
      const state = foldChangeSet(await s.events<ChangeSetEvent>(stream));
      if (cmd.kind !== 'open' && !state.status) throw new NotFoundError('UNKNOWN_CHANGESET', `调整方案 ${id} 不存在`);
      const d = decideChangeSet(cmd, state);
      s.record(stream, d.events, d.warnings);
      return s.plan(stream);
    });
  }
}

/** The latest effective date of the held commands ('' when none has one). */
const latestEffectiveFrom = (commands: ReadonlyArray<{ body: Record<string, unknown> }>): string =>
  commands.reduce((m, c) => (typeof c.body.effectiveFrom === 'string' && c.body.effectiveFrom > m ? c.body.effectiveFrom : m), '');

export const foldChangeSet = (events: Iterable<ChangeSetEvent>): ChangeSetState => fold(evolveChangeSet, initialChangeSetState, events);

function staleError(stale: StaleCommand[], when: string): DomainError {
  const list = stale.map((c) => `第 ${c.index} 条（${c.route}${c.item ? `，事项 ${c.item}` : ''}）：${c.message}`).join('；');
  return new DomainError('CHANGESET_STALE', `${when}，调整方案中有命令因其后登记的变更已不再适用，未作任何变更：${list}。请删除或改正这些命令后重新提交`, {
    commands: stale,
    items: [...new Set(stale.map((c) => c.item).filter((x): x is string => !!x))],
  });
}
