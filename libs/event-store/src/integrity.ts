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

/**
 * Checks a log row by row in position order; `check` returns the report at the first problem,
 * `report` the whole-log report once every row is in.
 */
class ChainChecker {
  private prev = GENESIS_HASH;
  private expectedPosition = 1;
  private lastRecorded = '';
  private n = 0;
  private readonly streamVersions = new Map<string, number>();

  check(r: RawEventRow): VerifyReport | undefined {
    const fail = (problem: VerifyProblem['problem'], detail: string): VerifyReport => ({
      ok: false,
      eventsChecked: this.n,
      headPosition: r.position,
      headHash: this.prev,
      firstProblem: { position: r.position, eventId: r.id, problem, detail },
    });
    if (r.position !== this.expectedPosition) {
      return fail('gap', `expected position ${this.expectedPosition}, found ${r.position}: events were removed or inserted before this one`);
    }
    const computed = chainHash(this.prev, {
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
    const sv = this.streamVersions.get(r.stream) ?? -1;
    if (r.stream_version !== sv + 1) return fail('stream-version', `stream ${r.stream}: expected revision ${sv + 1}, found ${r.stream_version}`);
    this.streamVersions.set(r.stream, r.stream_version);
    if (r.recorded_at < this.lastRecorded) return fail('recorded-at', `recordedAt ${r.recorded_at} is before ${this.lastRecorded}`);
    this.lastRecorded = r.recorded_at;
    this.prev = r.hash;
    this.expectedPosition += 1;
    this.n += 1;
    return undefined;
  }

  report(): VerifyReport {
    return { ok: true, eventsChecked: this.n, headPosition: this.expectedPosition - 1, headHash: this.prev };
  }
}

/** Walks a log in position order and names the first event where it stops being the log that was written. */
export function verifyChain(rows: Iterable<RawEventRow>): VerifyReport {
  const checker = new ChainChecker();
  for (const r of rows) {
    const problem = checker.check(r);
    if (problem) return problem;
  }
  return checker.report();
}

/** `verifyChain` for a log read page by page (PostgreSQL). */
export async function verifyChainAsync(rows: AsyncIterable<RawEventRow>): Promise<VerifyReport> {
  const checker = new ChainChecker();
  for await (const r of rows) {
    const problem = checker.check(r);
    if (problem) return problem;
  }
  return checker.report();
}
