/**
 * Pure mappings between the port and EventStoreDB (no I/O): event ids, the ledger event format,
 * positions and revisions, expected versions, and errors. See docs/decisions/0003-eventstoredb-adapter.md.
 */
import { createHash } from 'node:crypto';
import {
  ExpectedVersion,
  InvalidAppendError,
  StoreUnavailableError,
  StoredEvent,
  WrongExpectedVersionError,
} from '../event-store.port';

// ---------------------------------------------------------------------------------------------
// Event ids
// ---------------------------------------------------------------------------------------------

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Fixed namespace of the name-based (v5) ids this adapter derives from non-UUID event ids. Never change it. */
export const QUANZE_ID_NAMESPACE = '64738321-171e-4dcb-82bc-4ba519884278';

export function isUuid(id: string): boolean {
  return UUID_RE.test(id);
}

/** RFC 4122 name-based UUID, version 5 (SHA-1), of `name` in `namespace`. */
export function uuidV5(name: string, namespace: string = QUANZE_ID_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  const b = Buffer.from(hash.subarray(0, 16));
  b[6] = (b[6] & 0x0f) | 0x50; // version 5
  b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The EventStoreDB event id for a port event id. EventStoreDB ids must be UUIDs: a UUID is used as
 * is (lower case); any other string maps deterministically to a v5 UUID. The original id is always
 * kept in the ledger metadata, and it — not the EventStoreDB id — is what the adapter's idempotency
 * check and `readEvent` use.
 */
export function esdbEventId(id: string): string {
  return isUuid(id) ? id.toLowerCase() : uuidV5(id);
}

// ---------------------------------------------------------------------------------------------
// Positions and revisions
// ---------------------------------------------------------------------------------------------

/**
 * Every port event is one EventStoreDB event of the single ledger stream, so the port's dense
 * global position is the ledger revision + 1 (revision 0 is position 1).
 */
export function positionOfRevision(revision: bigint): number {
  if (revision < 0n) throw new RangeError(`ledger revision ${revision} is negative`);
  if (revision >= BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`ledger revision ${revision} exceeds a safe integer`);
  return Number(revision) + 1;
}

export function revisionOfPosition(position: number): bigint {
  if (!Number.isSafeInteger(position) || position < 1) throw new RangeError(`position ${position} is not an integer >= 1`);
  return BigInt(position - 1);
}

/** The expected revision of the ledger for a conditional append when the adapter's view ends at `head`. */
export function ledgerExpectedRevision(head: number): 'no_stream' | bigint {
  return head === 0 ? 'no_stream' : revisionOfPosition(head);
}

// ---------------------------------------------------------------------------------------------
// Expected versions (EventStoreDB → port, for errors coming back from the client)
// ---------------------------------------------------------------------------------------------

export type EsdbExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;
export type EsdbCurrentRevision = 'no_stream' | bigint;

export function fromEsdbExpected(expected: EsdbExpectedRevision | undefined): ExpectedVersion {
  if (typeof expected === 'bigint') return Number(expected);
  if (expected === 'no_stream' || expected === 'stream_exists') return expected;
  return 'any';
}

export function fromEsdbCurrent(current: EsdbCurrentRevision | undefined): number | undefined {
  return typeof current === 'bigint' ? Number(current) : undefined;
}

// ---------------------------------------------------------------------------------------------
// The ledger event format
// ---------------------------------------------------------------------------------------------

/** A port event as the adapter stores it: the stored event plus its hash-chain link. */
export type LedgerEvent = StoredEvent & { hash: string };

/** What the adapter hands to EventStoreDB for one port event (content type application/json). */
export interface LedgerEventData {
  /** EventStoreDB event id (a UUID). */
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: LedgerMetadata;
}

/** One EventStoreDB event read back from the ledger stream. */
export interface LedgerRecord {
  revision: bigint;
  /** EventStoreDB event id. */
  id: string;
  type: string;
  /** Parsed JSON (the client parses application/json); a Uint8Array for binary events. */
  data: unknown;
  metadata: unknown;
}

export interface LedgerMetadata {
  quanze: {
    /** Format version of this block. */
    v: 1;
    /** The port event id, exactly as written. */
    id: string;
    stream: string;
    streamVersion: number;
    position: number;
    recordedAt: string;
    /** sha256 chain link, same function as the SQLite store (../integrity.ts). */
    hash: string;
    /** Present when `data` is not a JSON object and was stored as `{ "value": data }`. */
    wrapped?: true;
  };
  /** The port event's own metadata. */
  user: Record<string, unknown>;
}

export class LedgerCorruptError extends Error {
  readonly code = 'LEDGER_CORRUPT';
  constructor(message: string) {
    super(`EventStoreDB 账本流不符合 quanze 的格式（${message}）：请勿用其他工具写入账本流；用备份恢复或联系维护者`);
    this.name = 'LedgerCorruptError';
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** The port event → the EventStoreDB event. Data that is not a JSON object is wrapped as `{ value }`. */
export function encodeLedgerEvent(e: LedgerEvent): LedgerEventData {
  const wrapped = !isPlainObject(e.data);
  return {
    id: esdbEventId(e.id),
    type: e.type,
    data: wrapped ? { value: e.data ?? null } : (e.data as Record<string, unknown>),
    metadata: {
      quanze: {
        v: 1,
        id: e.id,
        stream: e.stream,
        streamVersion: e.streamVersion,
        position: e.position,
        recordedAt: e.recordedAt,
        hash: e.hash,
        ...(wrapped ? { wrapped: true as const } : {}),
      },
      user: e.metadata ?? {},
    },
  };
}

/** The EventStoreDB event → the port event. Refuses anything this adapter did not write. */
export function decodeLedgerRecord(r: LedgerRecord): LedgerEvent {
  const where = `revision ${r.revision}`;
  if (!isPlainObject(r.metadata) || !isPlainObject(r.metadata.quanze)) throw new LedgerCorruptError(`${where}: no quanze metadata`);
  const q = r.metadata.quanze as Record<string, unknown>;
  const user = r.metadata.user ?? {};
  if (q.v !== 1) throw new LedgerCorruptError(`${where}: unknown format version ${String(q.v)}`);
  if (typeof q.id !== 'string' || typeof q.stream !== 'string' || typeof q.recordedAt !== 'string' || typeof q.hash !== 'string') {
    throw new LedgerCorruptError(`${where}: incomplete quanze metadata`);
  }
  if (!Number.isSafeInteger(q.streamVersion) || (q.streamVersion as number) < 0) throw new LedgerCorruptError(`${where}: bad stream version`);
  const position = positionOfRevision(r.revision);
  if (q.position !== position) throw new LedgerCorruptError(`${where}: metadata says position ${String(q.position)}, the ledger says ${position}`);
  if (esdbEventId(q.id) !== r.id.toLowerCase()) throw new LedgerCorruptError(`${where}: event id ${r.id} does not derive from ${q.id}`);
  if (!isPlainObject(r.data)) throw new LedgerCorruptError(`${where}: data is not a JSON object`);
  if (!isPlainObject(user)) throw new LedgerCorruptError(`${where}: user metadata is not an object`);
  return {
    id: q.id,
    stream: q.stream,
    streamVersion: q.streamVersion as number,
    position,
    type: r.type,
    data: q.wrapped === true ? (r.data.value ?? null) : r.data,
    metadata: user,
    recordedAt: q.recordedAt,
    hash: q.hash,
  };
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** The EventStoreDB client's error kind (its `type` field), or undefined for other errors. */
function esdbErrorType(error: unknown): string | undefined {
  const t = (error as { type?: unknown } | null)?.type;
  return typeof t === 'string' ? t : undefined;
}

function grpcCode(error: unknown): number | undefined {
  const c = (error as { code?: unknown } | null)?.code;
  return typeof c === 'number' ? c : undefined;
}

const GRPC_CANCELLED = 1;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

/** The client's WrongExpectedVersionError (matched by kind, so a second copy of the client module also counts). */
export function isEsdbWrongExpectedVersion(error: unknown): boolean {
  return esdbErrorType(error) === 'wrong-expected-version';
}

/**
 * Errors after which a retry may succeed: the server is unreachable, slow, electing a leader, or
 * the call was cut. (The port's StoreUnavailableError counts too: it is what the adapter maps these to.)
 */
export function isTransientEsdbError(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  const t = esdbErrorType(error);
  if (t === 'unavailable' || t === 'deadline-exceeded' || t === 'timeout' || t === 'not-leader' || t === 'cancelled') return true;
  if (t !== undefined) return false;
  const c = grpcCode(error);
  if (c === GRPC_UNAVAILABLE || c === GRPC_DEADLINE_EXCEEDED || c === GRPC_CANCELLED) return true;
  return error instanceof Error && /Failed to discover/i.test(error.message);
}

const RETRY_ADVICE = '请稍后重试；用相同的事件 id 重试追加是安全的（按 id 幂等，不会重复写入）';

/**
 * An error from the EventStoreDB client → the port's error:
 * - WrongExpectedVersionError → WrongExpectedVersionError (stream, expected, actual converted);
 * - unavailable (UnavailableError, or a plain gRPC Error with code 14 — what an append gives when no
 *   server listens), deadline exceeded, timeout, not leader, cluster discovery failure →
 *   StoreUnavailableError with the cause and retry advice (the HTTP layer answers 503);
 * - maximum append size exceeded → InvalidAppendError;
 * - access denied → an Error naming the credentials;
 * - anything else (including the port's own errors) unchanged.
 */
export function mapEsdbError(error: unknown): unknown {
  if (error instanceof WrongExpectedVersionError || error instanceof StoreUnavailableError || error instanceof InvalidAppendError) return error;
  const t = esdbErrorType(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (t === 'wrong-expected-version') {
    const e = error as { streamName?: string; expectedVersion?: EsdbExpectedRevision; actualVersion?: EsdbCurrentRevision };
    return new WrongExpectedVersionError(e.streamName ?? '(unknown)', fromEsdbExpected(e.expectedVersion), fromEsdbCurrent(e.actualVersion));
  }
  if (t === 'not-leader') {
    return new StoreUnavailableError(`EventStoreDB 集群的当前节点不是 leader（可能正在选主）：写入未被接受，通常几秒内恢复。${RETRY_ADVICE}。（${detail}）`, error);
  }
  if (t === 'deadline-exceeded' || t === 'timeout' || (t === undefined && grpcCode(error) === GRPC_DEADLINE_EXCEEDED)) {
    return new StoreUnavailableError(`EventStoreDB 未在期限内应答（deadline exceeded）：结果未知，写入可能已生效。${RETRY_ADVICE}。（${detail}）`, error);
  }
  if (t === 'unavailable' || (t === undefined && grpcCode(error) === GRPC_UNAVAILABLE)) {
    return new StoreUnavailableError(`EventStoreDB 暂时不可达（gRPC UNAVAILABLE）：本次操作未完成。${RETRY_ADVICE}。（${detail}）`, error);
  }
  if (t === undefined && error instanceof Error && /Failed to discover/i.test(error.message)) {
    return new StoreUnavailableError(`无法发现 EventStoreDB 集群节点（gossip 发现失败）：检查连接串中的节点地址与网络。${RETRY_ADVICE}。（${detail}）`, error);
  }
  if (t === 'maximum-append-size-exceeded') {
    const max = (error as { maxAppendSize?: number }).maxAppendSize;
    return new InvalidAppendError(`一次追加超过 EventStoreDB 的 MaxAppendSize${max ? `（${max} 字节）` : ''}：请拆成多次追加，或调大服务器的 MaxAppendSize`);
  }
  if (t === 'access-denied') {
    const e = new Error(`EventStoreDB 拒绝访问（access denied）：检查连接串中的用户名与密码，以及账本流的 ACL。（${detail}）`);
    (e as Error & { cause?: unknown }).cause = error;
    return e;
  }
  return error;
}

// ---------------------------------------------------------------------------------------------
// Connection strings
// ---------------------------------------------------------------------------------------------

/** `kurrentdb://`, `kurrent://`, `kdb://` (and `+discover`) → the `esdb://` scheme the 6.x client parses. */
export function normaliseConnectionString(connectionString: string): string {
  return connectionString.trim().replace(/^(?:kurrentdb|kurrent|kdb)(\+discover)?:\/\//i, (_m, discover: string | undefined) => `esdb${discover ?? ''}://`);
}

/** The connection string without its password, for messages and logs. */
export function redactConnectionString(connectionString: string): string {
  return connectionString.replace(/\/\/[^@/]*@/, '//***@');
}
