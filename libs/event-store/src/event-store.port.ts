import { TimeSlices, runSteps, runStepsInSlices } from './time-slices';

/**
 * The event store port. It knows streams, positions and JSON payloads — no domain type.
 *
 * Semantics (the contract suite in ./testing/event-store.contract.ts checks every line):
 * - `append` takes one or more stream requests and applies them atomically: all or nothing.
 * - Each request carries an expected version: `no_stream`, `any`, `stream_exists`, or an exact
 *   revision (0-based: a stream holding one event is at revision 0). A mismatch raises
 *   `WrongExpectedVersionError` and nothing of the call is stored.
 * - Idempotency: an event whose id is already stored is not stored again. If every event of a call
 *   is already stored, the call succeeds and returns the stored positions (a retried append);
 *   otherwise the ids already stored are dropped and the rest is checked and appended.
 * - `recordedAt` is set by the store, one instant per call, strictly increasing across calls.
 * - Global positions are integers, strictly increasing in append order, starting at 1.
 */

export type ExpectedVersion = 'no_stream' | 'any' | 'stream_exists' | number;

export interface EventToAppend {
  /** A UUID chosen by the writer; the idempotency key. */
  id: string;
  type: string;
  data: unknown;
  metadata?: Record<string, unknown>;
}

export interface AppendRequest {
  stream: string;
  expectedVersion: ExpectedVersion;
  events: EventToAppend[];
}

export interface StoredEvent {
  id: string;
  stream: string;
  /** 0-based revision of the event in its stream. */
  streamVersion: number;
  /** Global position in the whole log, from 1. */
  position: number;
  type: string;
  data: any;
  metadata: Record<string, any>;
  /** ISO-8601 UTC instant the store accepted the event. */
  recordedAt: string;
}

export interface AppendResult {
  /** The stored events in call order (for an idempotent retry: the events stored the first time). */
  events: Array<Pick<StoredEvent, 'id' | 'stream' | 'streamVersion' | 'position' | 'recordedAt'>>;
  /** The version each stream of the call is at after it. */
  streams: Array<{ stream: string; version: number }>;
  /** Highest global position of the call. */
  position: number;
  recordedAt: string;
}

export interface Subscription {
  /** Stops delivery; resolves when the handler is no longer running. */
  stop(): Promise<void>;
}

export interface SubscribeOptions {
  /** Deliver events with a position strictly greater than this (0: from the beginning). */
  fromPosition: number;
  /** Called for every event in position order; the next is delivered after the promise settles. */
  onEvent: (event: StoredEvent) => void | Promise<void>;
  /** Called once catch-up is done and the subscription is live. */
  onLive?: () => void;
  /** Called if the handler throws or the store fails; delivery stops. */
  onError?: (error: unknown) => void;
  /** Events per read while catching up. */
  batchSize?: number;
}

export interface ReplayOptions {
  /** Events per read (default 20,000). */
  pageSize?: number;
}

/**
 * Receives the events of a replay, one at a time, in position order. The object may be reused for the
 * next event once the call returns (the fast path makes no copy per event): keep the fields, not it.
 * Its metadata may be parsed only when read (SqliteEventStore): to read one field of it, use
 * `metadataField(event, key)` (./lazy-metadata), which does not parse it when it need not.
 */
export type ReplayHandler = (event: StoredEvent) => void;

export interface StoreInfo {
  kind: string;
  headPosition: number;
  eventCount: number;
}

export interface AppendOptions {
  /**
   * Only for copying a log from one store to another (`quanze migrate`): the instant the events were
   * first recorded. The store records max(this, its last recordedAt + 1 ms) instead of its clock, so a
   * copy in order keeps every recordedAt — and with it every as-known-at answer and the hash chain.
   */
  recordedAt?: string;
}

export interface EventStore {
  append(requests: AppendRequest[], options?: AppendOptions): Promise<AppendResult>;
  /** All events of one stream in revision order ([] if the stream does not exist). */
  readStream(stream: string): Promise<StoredEvent[]>;
  /** Events with position > fromPosition, in position order, at most `limit`. */
  readAll(fromPosition: number, limit: number): Promise<StoredEvent[]>;
  /**
   * The fast path for rebuilds and catch-up: hands every event with position > fromPosition to
   * `onEvent`, in position order, synchronously, in large pages, until the head is reached. Resolves
   * with the position of the last event handed over (fromPosition when there was none). An adapter
   * without a faster way pages through `readAll` (`replayByPages`).
   */
  replayAll(fromPosition: number, onEvent: ReplayHandler, options?: ReplayOptions): Promise<number>;
  /** Events by id ([] entries missing). */
  readEvent(id: string): Promise<StoredEvent | undefined>;
  subscribeToAll(options: SubscribeOptions): Subscription;
  /** The current version of a stream, or undefined if it does not exist. */
  streamVersion(stream: string): Promise<number | undefined>;
  info(): Promise<StoreInfo>;
  /** The hash of the last event of the integrity chain, where the adapter keeps one. */
  chainHead?(): Promise<{ position: number; hash: string } | undefined>;
  /** The chain hash of the event at `position` (undefined when there is none), where the adapter keeps one. */
  chainHashAt?(position: number): Promise<string | undefined>;
  close(): Promise<void>;
}

export class WrongExpectedVersionError extends Error {
  readonly code = 'WRONG_EXPECTED_VERSION';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedVersion,
    readonly actual: number | undefined,
  ) {
    super(
      `stream ${stream}: expected version ${String(expected)}, actual ${actual === undefined ? 'no stream' : actual}`,
    );
    this.name = 'WrongExpectedVersionError';
  }
}

/** The store cannot be reached or cannot accept the write now; retry later. */
export class StoreUnavailableError extends Error {
  readonly code = 'STORE_UNAVAILABLE';
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

export class InvalidAppendError extends Error {
  readonly code = 'INVALID_APPEND';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAppendError';
  }
}

export function checkExpectedVersion(stream: string, expected: ExpectedVersion, actual: number | undefined): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && actual === undefined) ||
    (expected === 'stream_exists' && actual !== undefined) ||
    (typeof expected === 'number' && actual === expected);
  if (!ok) throw new WrongExpectedVersionError(stream, expected, actual);
}

/** Shape checks shared by every adapter: a bad call is refused before anything is written. */
export function validateAppend(requests: AppendRequest[]): void {
  runSteps(validationSteps(requests));
}

/** validateAppend for a large append: in slices, the event loop running between them. */
export function validateAppendInSlices(requests: AppendRequest[], slices: TimeSlices): Promise<void> {
  return runStepsInSlices(validationSteps(requests, slices), slices);
}

function* validationSteps(requests: AppendRequest[], slices?: TimeSlices): Generator<void, void> {
  if (!Array.isArray(requests) || requests.length === 0) throw new InvalidAppendError('append needs at least one stream request');
  const streams = new Set<string>();
  const ids = new Set<string>();
  for (const r of requests) {
    if (typeof r.stream !== 'string' || r.stream.length === 0 || r.stream.length > 512) {
      throw new InvalidAppendError('stream name must be a non-empty string of at most 512 characters');
    }
    if (r.stream.startsWith('$')) throw new InvalidAppendError(`stream name ${r.stream} is reserved`);
    if (streams.has(r.stream)) throw new InvalidAppendError(`stream ${r.stream} appears twice in one append`);
    streams.add(r.stream);
    const ev = r.expectedVersion;
    if (!(ev === 'any' || ev === 'no_stream' || ev === 'stream_exists' || (typeof ev === 'number' && Number.isInteger(ev) && ev >= 0))) {
      throw new InvalidAppendError(`invalid expected version ${String(ev)}`);
    }
    if (!Array.isArray(r.events) || r.events.length === 0) throw new InvalidAppendError(`stream ${r.stream}: no events`);
    for (const e of r.events) {
      if (typeof e.id !== 'string' || e.id.length === 0 || e.id.length > 128) throw new InvalidAppendError('event id must be a string of 1-128 characters');
      if (typeof e.type !== 'string' || e.type.length === 0 || e.type.length > 256) throw new InvalidAppendError('event type must be a non-empty string');
      if (ids.has(e.id)) throw new InvalidAppendError(`event id ${e.id} appears twice in one append`);
      ids.add(e.id);
      if (slices?.due()) yield;
    }
  }
}

/** The instant to record: the caller's (migration only, validated) or the clock's. */
export function clockFor(options: AppendOptions, now: () => number): number {
  if (options.recordedAt === undefined) return now();
  const t = Date.parse(options.recordedAt);
  if (Number.isNaN(t)) throw new InvalidAppendError(`recordedAt ${options.recordedAt} is not an instant`);
  return t;
}


export const DEFAULT_REPLAY_PAGE = 20_000;

/** `replayAll` for adapters (and read-only sources) that only have `readAll`. */
export async function replayByPages(
  readAll: (fromPosition: number, limit: number) => Promise<StoredEvent[]>,
  fromPosition: number,
  onEvent: ReplayHandler,
  options: ReplayOptions = {},
): Promise<number> {
  const pageSize = options.pageSize ?? DEFAULT_REPLAY_PAGE;
  let position = fromPosition;
  for (;;) {
    const events = await readAll(position, pageSize);
    for (const e of events) {
      onEvent(e);
      position = e.position;
    }
    if (events.length === 0) return position;
  }
}
