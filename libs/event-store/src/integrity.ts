import { createHash } from 'node:crypto';

/** The hash before the first event of a log. */
export const GENESIS_HASH = '0'.repeat(64);

export interface HashedFields {
  id: string;
  stream: string;
  streamVersion: number;
  position: number;
  type: string;
  /** The JSON text exactly as stored. */
  data: string;
  metadata: string;
  recordedAt: string;
}

/**
 * Each event's hash chains it to the one before it in the global log, over everything that
 * identifies and describes it. Changing, removing, inserting or reordering any stored event breaks
 * the chain at that event.
 */
export function chainHash(prevHash: string, e: HashedFields): string {
  return createHash('sha256')
    .update(prevHash)
    .update('\u0000')
    .update(JSON.stringify([e.id, e.stream, e.streamVersion, e.position, e.type, e.data, e.metadata, e.recordedAt]))
    .digest('hex');
}

export interface VerifyProblem {
  position: number;
  eventId: string;
  problem: 'changed' | 'gap' | 'reordered' | 'stream-version' | 'recorded-at';
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  eventsChecked: number;
  headPosition: number;
  headHash: string;
  firstProblem?: VerifyProblem;
}

export interface RawEventRow {
  position: number;
  id: string;
  stream: string;
  stream_version: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
  hash: string;
}

/** Walks a log in position order and names the first event where it stops being the log that was written. */
export function verifyChain(rows: Iterable<RawEventRow>): VerifyReport {
  let prev = GENESIS_HASH;
  let expectedPosition = 1;
  let lastRecorded = '';
  let n = 0;
  const streamVersions = new Map<string, number>();
  for (const r of rows) {
    const fail = (problem: VerifyProblem['problem'], detail: string): VerifyReport => ({
      ok: false,
      eventsChecked: n,
      headPosition: r.position,
      headHash: prev,
      firstProblem: { position: r.position, eventId: r.id, problem, detail },
    });
    if (r.position !== expectedPosition) {
      return fail('gap', `expected position ${expectedPosition}, found ${r.position}: events were removed or inserted before this one`);
    }
    const computed = chainHash(prev, {
      id: r.id,
      stream: r.stream,
      streamVersion: r.stream_version,
      position: r.position,
      type: r.type,
      data: r.data,
      metadata: r.metadata,
      recordedAt: r.recorded_at,
    });
    if (computed !== r.hash) {
      return fail('changed', 'the stored hash does not match the event and the chain before it: the event was changed, inserted or moved');
    }
    const sv = streamVersions.get(r.stream) ?? -1;
    if (r.stream_version !== sv + 1) return fail('stream-version', `stream ${r.stream}: expected revision ${sv + 1}, found ${r.stream_version}`);
    streamVersions.set(r.stream, r.stream_version);
    if (r.recorded_at < lastRecorded) return fail('recorded-at', `recordedAt ${r.recorded_at} is before ${lastRecorded}`);
    lastRecorded = r.recorded_at;
    prev = r.hash;
    expectedPosition += 1;
    n += 1;
  }
  return { ok: true, eventsChecked: n, headPosition: expectedPosition - 1, headHash: prev };
}
