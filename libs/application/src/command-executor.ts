import { createHash, randomBytes } from 'node:crypto';
import { DomainError, EVENT_SCHEMA_VERSIONS, QuanzeEvent, Warning } from '../../domain/src';
import { AppendRequest, EventStore, TimeSlices, WrongExpectedVersionError } from '../../event-store/src';

export interface CommandContext {
  actor: string;
  /** Client-chosen id: a retried command with the same id is recorded once. */
  commandId?: string;
  correlationId?: string;
  /** Optimistic concurrency on the command's own stream: a mismatch is refused. */
  expectedVersion?: number;
  /**
   * What the command is (its name and payload, canonical): stored with its events, so that a reused
   * commandId on a different command is refused instead of answered with the first command's result.
   */
  fingerprint?: string;
}

export interface CommandResult {
  /** The command's id (the client's Idempotency-Key, or a UUIDv7): in the metadata of every event it recorded. */
  commandId: string;
  eventIds: string[];
  recordedAt: string;
  /** Version of the command's own stream after it. */
  streamVersion: number;
  /** Highest global position written: wait for projections to reach it to read your own writes. */
  position: number;
  warnings: Warning[];
}

export interface PlannedAppend {
  stream: string;
  events: QuanzeEvent[];
}

export interface Plan {
  /** The command's own stream (the one expectedVersion refers to). */
  stream: string;
  /** Version of the own stream the decision was made on (undefined: it did not exist). */
  readVersion: number | undefined;
  /** Other streams written in the same atomic append, each with the version it was read at. */
  appends: Array<PlannedAppend & { readVersion: number | undefined }>;
  warnings: Warning[];
}

const idHash = (commandId: string, i: number) => createHash('sha256').update(`quanze:${commandId}:${i}`).digest('hex');
/** The RFC 9562 variant nibble (8-b) made from any hex digit. */
const variant = (hex: string) => ((parseInt(hex, 16) & 3) | 8).toString(16);

/** Deterministic event id for the i-th event of a command, so that a retry is idempotent. */
export function eventIdFor(commandId: string, i: number): string {
  const h = idHash(commandId, i);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant(h[16])}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * A 职责分工 clause's id: stable for a retried command (its Idempotency-Key / --idempotency-key),
 * unique otherwise. The API and the CLI name new clauses by it.
 */
export function boundaryClauseId(commandId?: string): string {
  const key = commandId ?? `${Date.now()}-${Math.random()}`;
  return `B${eventIdFor(`boundary:${key}`, 0).replace(/-/g, '').slice(0, 12)}`;
}

/** A UUIDv7 (RFC 9562): the Unix time in milliseconds in the first 48 bits, then random bits. */
export function uuidV7(nowMs = Date.now()): string {
  const t = nowMs.toString(16).padStart(12, '0').slice(-12);
  const r = randomBytes(10).toString('hex');
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${r.slice(0, 3)}-${variant(r[3])}${r.slice(4, 7)}-${r.slice(8, 20)}`;
}

/**
 * Event ids of a command the client gave no id to (its id is then a UUIDv7): the command's time
 * prefix and a hash, so that new ids sort after the ones stored before them and the store's id index
 * grows at its right edge instead of dirtying pages all over it (random ids made appends at a
 * million events several times slower).
 */
export function timeOrderedEventIdFor(commandId: string, i: number): string {
  const h = idHash(commandId, i);
  return `${commandId.slice(0, 13)}-7${h.slice(13, 16)}-${variant(h[16])}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Runs load → decide → append for one command. Without an expectedVersion, a concurrent write to a
 * stream it read makes it decide again on fresh state (a few times); with one, a mismatch is a 409.
 */
export async function executeCommand(store: EventStore, ctx: CommandContext, plan: () => Promise<Plan>, options: { allowEmpty?: boolean } = {}): Promise<CommandResult> {
  // A client's id makes a retry idempotent (the ids are derived from it); without one, ids sort by time.
  const commandId = ctx.commandId ?? uuidV7();
  const idFor = ctx.commandId ? eventIdFor : timeOrderedEventIdFor;
  if (ctx.commandId) {
    const first = await store.readEvent(eventIdFor(commandId, 0));
    if (first) {
      const stored = first.metadata?.commandFingerprint;
      if (ctx.fingerprint && stored && stored !== ctx.fingerprint) {
        throw new DomainError('IDEMPOTENCY_KEY_REUSED', `Idempotency-Key ${commandId} 已用于另一条命令；本次未作任何变更。请为每条新命令使用新的键`, { commandId });
      }
      return replayedResult(store, commandId, first.stream);
    }
  }
  for (let attempt = 0; ; attempt++) {
    const p = await plan();
    if (ctx.expectedVersion !== undefined && (p.readVersion ?? -1) !== ctx.expectedVersion) {
      throw new DomainError('WRONG_EXPECTED_VERSION', `记录已被他人修改：期望版本 ${ctx.expectedVersion}，当前版本 ${p.readVersion ?? -1}。请刷新后重试。`, {
        stream: p.stream,
        expectedVersion: ctx.expectedVersion,
        actualVersion: p.readVersion ?? -1,
      });
    }
    let i = 0;
    const metadata = () => ({
      actor: ctx.actor,
      commandId,
      correlationId: ctx.correlationId ?? commandId,
      ...(ctx.fingerprint ? { commandFingerprint: ctx.fingerprint } : {}),
    });
    const requests: AppendRequest[] = [];
    // an import's append: a hash (its id) and metadata per event, in slices, the event loop running between them
    const slices = new TimeSlices();
    for (const a of p.appends) {
      if (a.events.length === 0) continue;
      requests.push({
        stream: a.stream,
        expectedVersion: a.readVersion === undefined ? ('no_stream' as const) : a.readVersion,
        events: a.events.map((e) => ({ id: idFor(commandId, i++), type: e.type, data: e.data, metadata: { ...metadata(), schemaVersion: EVENT_SCHEMA_VERSIONS[e.type] } })),
      });
      if (slices.due()) await slices.pause();
    }
    if (requests.length === 0) {
      if (options.allowEmpty) return { commandId, eventIds: [], recordedAt: '', streamVersion: -1, position: 0, warnings: p.warnings };
      throw new DomainError('NOTHING_TO_RECORD', '该命令没有产生任何变更');
    }
    try {
      const r = await store.append(requests);
      const own = r.streams.find((s) => s.stream === p.stream);
      return { commandId, eventIds: r.events.map((e) => e.id), recordedAt: r.recordedAt, streamVersion: own?.version ?? -1, position: r.position, warnings: p.warnings };
    } catch (e) {
      if (e instanceof WrongExpectedVersionError) {
        if (ctx.expectedVersion === undefined && attempt < 4) continue;
        throw new DomainError('WRONG_EXPECTED_VERSION', `记录已被他人同时修改（${e.stream}），本次未作任何变更。请刷新后重试。`, { stream: e.stream });
      }
      throw e;
    }
  }
}

async function replayedResult(store: EventStore, commandId: string, stream: string): Promise<CommandResult> {
  const ids: string[] = [];
  let recordedAt = '';
  let position = 0;
  for (let i = 0; ; i++) {
    const e = await store.readEvent(eventIdFor(commandId, i));
    if (!e) break;
    ids.push(e.id);
    recordedAt = e.recordedAt;
    position = Math.max(position, e.position);
  }
  return { commandId, eventIds: ids, recordedAt, streamVersion: (await store.streamVersion(stream)) ?? -1, position, warnings: [] };
}

/** A short, stable digest of a command: its name and its payload with keys sorted. */
export function commandFingerprint(name: string, payload: unknown): string {
  const canonical = (v: unknown): string =>
    Array.isArray(v)
      ? `[${v.map(canonical).join(',')}]`
      : v && typeof v === 'object'
        ? `{${Object.keys(v as object)
            .sort()
            .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
            .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
            .join(',')}}`
        : JSON.stringify(v);
  return createHash('sha256').update(`${name}\u0000${canonical(payload)}`).digest('hex').slice(0, 32);
}
