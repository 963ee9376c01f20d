import { createHash } from 'node:crypto';
import {
  ChangeSetCommand,
  ChangeSetEvent,
  ChangeSetState,
  ChangeSetStatus,
  DocumentRef,
  DomainError,
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
  fold,
  initialChangeSetState,
} from '../../domain/src';
import type { StaleCommand } from '../../contract/src';
import { EventStore } from '../../event-store/src';
import { CommandContext, CommandResult, Plan, commandFingerprint, eventIdFor, executeCommand, uuidV7 } from './command-executor';
import { HeldCommandName, Registry } from './registry';
import { LoadedStream, WriteSession } from './session';
import { publishEdition } from './use-cases/editions';
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

/** An edition's content as the read side computes it (libs/projections editionAfterChangeSet). */
export interface EditionContent {
  hash: string;
  itemCount: number;
}

/**
 * The region's list content as it will be after the change set: the read side, once it has seen
 * `position` (the head of the log when the publication was decided), plus the decided events `appends`
 * as if recorded at `recordedAt`. Application reads no read model, so the shell passes this in (the API:
 * its runner and view; the CLI: a view rebuilt).
 */
export type EditionContentSource = (q: { region: string; effectiveFrom: IsoDate; appends: DecidedChangeSet['appends']; recordedAt: string; position: number }) => Promise<EditionContent>;

/** The answer of a publication (POST /api/change-sets/{id}/publish, `quanze changeset publish`). */
export interface PublishedChangeSet {
  id: string;
  status: 'published';
  version: number;
  /** Every event of the one append: the commands', the edition's (if any), ChangeSetPublished. */
  eventIds: string[];
  recordedAt: string;
  edition: null | ({ number: string; publishedOn: IsoDate; effectiveFrom: IsoDate; contentAsKnownAt: string; eventIds: string[] } & EditionContent);
  /** The last position appended: what a reader waits for. */
  position: number;
  commandId: string;
  warnings: Warning[];
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
    return (await loadChangeSet(new WriteSession(this.store), id)).state;
  }

  /** Adds a command to a draft (or a returned one), checked as if the draft's earlier commands were in force. */
  async add(id: string, held: { route: string; name: string; body: Record<string, unknown> }, ctx: CommandContext): Promise<AddedCommand> {
    if (!Registry.heldInChangeSet(held.name)) throw new DomainError('CHANGESET_COMMAND', `该命令（${held.route}）不能放入调整方案`, { route: held.route });
    let added: HeldCommand | undefined;
    const r = await executeCommand(this.store, ctx, async (): Promise<Plan> => {
      const s = new WriteSession(this.store);
      const { loaded, state } = await loadChangeSet(s, id);
      if (!state.status) throw new NotFoundError('UNKNOWN_CHANGESET', `调整方案 ${id} 不存在`);
      const earlier = await this.decideAll(s, state);
      if (earlier.stale.length) throw staleError(earlier.stale, '方案中已有的命令');
      const sp = s.savepoint();
      await this.registry.decideInto(s, held.name as HeldCommandName, held.body);
      const warnings = s.warningsSince(sp);
      const regionCode = typeof held.body.regionCode === 'string' ? held.body.regionCode : undefined;
      const d = decideChangeSet({ kind: 'add', actor: ctx.actor, route: held.route, name: held.name, body: held.body, warnings, ...(regionCode ? { regionCode } : {}) }, state);
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
   * now, and ONE atomic append of all their events, the edition's (when one is asked for: on the
   * editions stream at the version read, so a racing publication of the same number is refused) and
   * ChangeSetPublished (which names the commands' ids). A command that no longer applies refuses it all
   * with CHANGESET_STALE; nothing is recorded. The edition's content is computed before the append, on
   * the read side as it will be after the change set (`contentOf`).
   */
  publish(id: string, p: { document: DocumentRef; publishedOn: string; edition?: EditionRequest & { effectiveFrom: IsoDate } }, ctx: CommandContext, contentOf?: EditionContentSource): Promise<CommandResult & { edition?: Omit<PublishEdition, 'regionCode'> & { eventId: string }; interleaved: boolean }> {
    // The ids of the events are derived from the command id, so ChangeSetPublished can name them.
    const commandId = ctx.commandId ?? uuidV7();
    let edition: (Omit<PublishEdition, 'regionCode'> & { eventId: string }) | undefined;
    let head = -1;
    return executeCommand(this.store, { ...ctx, commandId }, async () => {
      edition = undefined;
      const s = new WriteSession(this.store);
      const stream = changeSetStream(id);
      const { state } = await loadChangeSet(s, id);
      if (!state.status || !state.regionCode) throw new NotFoundError('UNKNOWN_CHANGESET', `调整方案 ${id} 不存在`);
      // The status (and the four eyes) first: a draft is not published, however well its commands apply.
      decideChangeSet({ kind: 'publish', actor: ctx.actor, ...p, eventIds: [] }, state);
      const all = await this.decideAll(s, state);
      if (all.stale.length) throw staleError(all.stale, '发布时');
      const commands = await s.plan();
      const n = commands.appends.reduce((k, a) => k + a.events.length, 0);
      const eventIds = Array.from({ length: n }, (_, i) => eventIdFor(commandId, i));
      if (p.edition) {
        if (!contentOf) throw new Error('publishing an edition needs its content source');
        const region = state.regionCode;
        const appends = commands.appends.map((a) => ({ stream: a.stream, events: a.events }));
        // the content on the read side once it has seen every event the session read (the head after its reads);
        // computed again if something was recorded meanwhile, so the window left before the append is the append's own
        let content: EditionContent;
        for (let tries = 0; ; tries++) {
          head = (await this.store.info()).headPosition;
          content = await contentOf({ region, effectiveFrom: p.edition.effectiveFrom, appends, recordedAt: new Date().toISOString(), position: head });
          if ((await this.store.info()).headPosition === head || tries >= 4) break;
        }
        const command: PublishEdition = { regionCode: region, ...p.edition, publishedOn: p.publishedOn, document: p.document, changeSetId: id, ...content };
        const sp = s.savepoint();
        try {
          await publishEdition(s, command);
        } catch (e) {
          s.rollback(sp);
          if (e instanceof DomainError && e.code === 'EDITION_EXISTS') throw new DomainError(e.code, `${e.message}；调整方案未发布，未作任何变更`, e.details);
          throw e;
        }
        const { regionCode: _, ...rest } = command;
        edition = { ...rest, eventId: eventIdFor(commandId, n) };
      }
      const d = decideChangeSet({ kind: 'publish', actor: ctx.actor, ...p, eventIds }, state);
      s.record(stream, d.events);
      const plan = await s.plan(stream);
      if (plan.appends[plan.appends.length - 1]?.stream !== stream) throw new Error('the change set must be the last stream of its publication');
      if (edition && plan.appends[plan.appends.length - 2]?.stream !== editionsStream(state.regionCode)) throw new Error('the edition must come right before the change set in its publication');
      return plan;
    }).then((r) => ({ ...r, ...(edition ? { edition } : {}), interleaved: !!edition && r.position - r.eventIds.length !== head }));
  }

  /**
   * The publication use case, the same for every shell: approved → published (`publish` above), with,
   * when an edition is asked for, the region's list as it will be after the change set declared as that
   * numbered edition in the same append. Its effective date defaults to the latest effective date of the
   * commands or the publication date, whichever is later. The fingerprint is of the request, computed here.
   */
  async publishAs(id: string, req: PublishChangeSetRequest, ctx: Omit<CommandContext, 'fingerprint'>, contentOf: EditionContentSource): Promise<PublishedChangeSet> {
    const state = await this.state(id);
    if (!state.status || !state.regionCode) throw new NotFoundError('UNKNOWN_CHANGESET', `调整方案 ${id} 不存在`);
    const region = state.regionCode;
    const document = { ...req.document };
    const latest = latestEffectiveFrom(state.commands);
    const edition = req.edition
      ? { number: req.edition.number.trim(), ...(req.edition.title ? { title: req.edition.title } : {}), effectiveFrom: req.edition.effectiveFrom ?? (latest > req.publishedOn ? latest : req.publishedOn) }
      : undefined;
    const p = { document, publishedOn: req.publishedOn, ...(edition ? { edition } : {}) };
    const r = await this.publish(id, p, { ...ctx, fingerprint: commandFingerprint('changeSet:publish', { id, ...p }) }, contentOf);
    const answer: PublishedChangeSet = { id, status: 'published', version: r.streamVersion, eventIds: r.eventIds, recordedAt: r.recordedAt, edition: null, position: r.position, commandId: r.commandId, warnings: [] };
    if (!edition) return answer;
    // a retried publication (same Idempotency-Key) is answered from what was recorded the first time
    const recorded = r.edition ? undefined : (await this.store.readStream(editionsStream(region))).find((e) => e.type === 'EditionPublished' && r.eventIds.includes(e.id));
    const e = r.edition ?? (recorded && { ...(recorded.data as PublishEdition), eventId: recorded.id });
    if (!e) throw new Error(`the publication of ${id} recorded no edition`);
    const warnings: Warning[] = r.interleaved
      ? [{ code: 'EDITION_CONTENT_RACE', message: `发布 ${edition.number} 的同时另有变更登记，其内容哈希可能与所登记的清单不符：请用 GET /api/regions/${region}/editions/${edition.number} 核验` }]
      : [];
    return {
      ...answer,
      edition: { number: e.number, publishedOn: e.publishedOn, effectiveFrom: e.effectiveFrom, contentAsKnownAt: e.contentAsKnownAt ?? r.recordedAt, hash: e.hash, itemCount: e.itemCount, eventIds: [e.eventId] },
      warnings,
    };
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
    const { loaded, state } = await loadChangeSet(s, id);
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
  private step(id: string, ctx: CommandContext, command: (s: WriteSession) => Promise<WithoutActor<ChangeSetCommand>>): Promise<CommandResult> {
    const stream = changeSetStream(id);
    return executeCommand(this.store, ctx, async () => {
      const s = new WriteSession(this.store);
      const cmd = { ...(await command(s)), actor: ctx.actor } as ChangeSetCommand;
      const { state } = await loadChangeSet(s, id);
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

type WithoutActor<C> = C extends unknown ? Omit<C, 'actor'> : never;

/**
 * The change set's stream and state, each step's actor its event's `by` — or, for an event recorded
 * before `by` existed (2026-12-04), its metadata's actor: the four eyes hold on change sets drafted before.
 */
async function loadChangeSet(s: WriteSession, id: string): Promise<{ loaded: LoadedStream<ChangeSetEvent>; state: ChangeSetState }> {
  const stream = changeSetStream(id);
  const loaded = await s.load<ChangeSetEvent>(stream);
  const actors = new Map((await s.rawStream(stream)).map((e) => [e.id, typeof e.metadata?.actor === 'string' ? (e.metadata.actor as string) : undefined]));
  const events = loaded.events.map(({ eventId, event }) => {
    const by = (event.data as { by?: string }).by ?? actors.get(eventId);
    return by === undefined ? event : ({ ...event, data: { ...event.data, by } } as ChangeSetEvent);
  });
  return { loaded, state: foldChangeSet(events) };
}

function staleError(stale: StaleCommand[], when: string): DomainError {
  const list = stale.map((c) => `第 ${c.index} 条（${c.route}${c.item ? `，事项 ${c.item}` : ''}）：${c.message}`).join('；');
  return new DomainError('CHANGESET_STALE', `${when}，调整方案中有命令因其后登记的变更已不再适用，未作任何变更：${list}。请删除或改正这些命令后重新提交`, {
    commands: stale,
    items: [...new Set(stale.map((c) => c.item).filter((x): x is string => !!x))],
  });
}
