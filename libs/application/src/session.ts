import { QuanzeEvent, Warning, fromStored } from '../../domain/src';
import { EventStore, StoredEvent, TimeSlices } from '../../event-store/src';
import { Plan } from './command-executor';

/** A stream as the deciders see it: events in the current shape, the retracted ones left out. */
export interface LoadedStream<E extends QuanzeEvent = QuanzeEvent> {
  stream: string;
  /** Version of the stream as stored (undefined: it does not exist): the expected version of the append. */
  version: number | undefined;
  /** In recorded order; events decided earlier in the same session come last (ids `pending:…`). */
  events: Array<{ eventId: string; event: E }>;
}

/**
 * THE stream loading of the write side: stored events → upcast to the current shape → without the
 * retracted ones (from its recorded time on, a retracted event counts as never having happened).
 */
export function toLoaded(stream: string, stored: StoredEvent[]): LoadedStream {
  const retracted = new Set<string>();
  const all: LoadedStream['events'] = [];
  for (const s of stored) {
    const e = fromStored(s);
    if (!e) continue;
    if (e.type === 'EventRetracted') retracted.add(e.data.eventId);
    else all.push({ eventId: s.id, event: e });
  }
  return { stream, version: stored.length ? stored[stored.length - 1].streamVersion : undefined, events: retracted.size ? all.filter((x) => !retracted.has(x.eventId)) : all };
}

export async function loadStream(store: EventStore, stream: string): Promise<LoadedStream> {
  return toLoaded(stream, await store.readStream(stream));
}

/** Where a session can be rolled back to (a row of an import that is refused). */
export interface Savepoint {
  /** Entries of the session's journal of recorded decisions at the savepoint. */
  journal: number;
  warnings: number;
}

/**
 * One unit of work of the write side: streams are read once (cached), decisions are recorded in
 * memory on top of them, and `plan()` turns everything into ONE atomic append, each stream with the
 * version it was read at. A single command is a session with one decision; an import is a session
 * with a decision per row (a refused row is rolled back to its savepoint).
 */
export class WriteSession {
  private readonly stored = new Map<string, Promise<LoadedStream>>();
  private readonly raw = new Map<string, Promise<StoredEvent[]>>();
  private readonly pending = new Map<string, QuanzeEvent[]>();
  private readonly warnings: Warning[] = [];
  /** Every record() in order (stream, events added): a savepoint is a length of it, O(1) to take. */
  private readonly journal: Array<{ stream: string; count: number }> = [];
  private pendingCount = 0;

  constructor(private readonly store: EventStore) {}

  /** The stream as stored plus what this session decided for it. */
  async load<E extends QuanzeEvent = QuanzeEvent>(stream: string): Promise<LoadedStream<E>> {
    let p = this.stored.get(stream);
    if (!p) {
      p = this.rawStream(stream).then((raw) => toLoaded(stream, raw));
      this.stored.set(stream, p);
    }
    const base = await p;
    const mine = this.pending.get(stream);
    if (!mine?.length) return base as LoadedStream<E>;
    return { stream, version: base.version, events: [...base.events, ...mine.map((event, i) => ({ eventId: `pending:${stream}:${i}`, event }))] } as LoadedStream<E>;
  }

  /**
   * What this session decided and has not appended yet, stream by stream: the earlier commands of a
   * batch (an import's rows) or of a change set's draft, which a later decision must see as in force.
   */
  pendingStreams(): Array<{ stream: string; events: readonly QuanzeEvent[] }> {
    return [...this.pending].filter(([, events]) => events.length > 0).map(([stream, events]) => ({ stream, events }));
  }

  /** The version a stream was read at (its append's expected version), without building its events. */
  private async readVersion(stream: string): Promise<number | undefined> {
    const p = this.stored.get(stream);
    return (p ? await p : await this.load(stream)).version;
  }

  /** The events of a stream only (current shape, retractions applied). */
  async events<E extends QuanzeEvent = QuanzeEvent>(stream: string): Promise<E[]> {
    return (await this.load<E>(stream)).events.map((x) => x.event);
  }

  /** Raw stored events (a retraction looks at the stream as stored, retractions included). */
  rawStream(stream: string): Promise<StoredEvent[]> {
    // One read per stream and session: a decision made on the raw stream and the version its append
    // expects come from the same read (else a concurrent write between two reads would pass unseen).
    let p = this.raw.get(stream);
    if (!p) {
      p = this.store.readStream(stream);
      this.raw.set(stream, p);
    }
    return p;
  }

  readEvent(id: string): Promise<StoredEvent | undefined> {
    return this.store.readEvent(id);
  }

  /** Every stored event from the start, in position order (for a decision that must look at the whole log). */
  replayAll(onEvent: (e: StoredEvent) => void): Promise<number> {
    return this.store.replayAll(0, onEvent);
  }

  record(stream: string, events: QuanzeEvent[], warnings: Warning[] = []): void {
    if (events.length) {
      const list = this.pending.get(stream) ?? [];
      list.push(...events);
      this.pending.set(stream, list);
      this.pendingCount += events.length;
      this.journal.push({ stream, count: events.length });
    }
    this.warnings.push(...warnings);
  }

  /** Records a multi-stream decision. */
  recordAll(d: { appends: Array<{ stream: string; events: QuanzeEvent[] }>; warnings: Warning[] }): Warning[] {
    for (const a of d.appends) this.record(a.stream, a.events);
    this.warnings.push(...d.warnings);
    return d.warnings;
  }

  get size(): number {
    return this.pendingCount;
  }

  /** The warnings decided since a savepoint (what one decision of many warned). */
  warningsSince(sp: Savepoint): Warning[] {
    return this.warnings.slice(sp.warnings);
  }

  savepoint(): Savepoint {
    return { journal: this.journal.length, warnings: this.warnings.length };
  }

  /** Undoes what was recorded after the savepoint (only that: the cost is what is undone, not the session's size). */
  rollback(sp: Savepoint): void {
    while (this.journal.length > sp.journal) {
      const { stream, count } = this.journal.pop()!;
      const events = this.pending.get(stream)!;
      events.length -= count;
      this.pendingCount -= count;
      if (events.length === 0) this.pending.delete(stream);
    }
    this.warnings.length = sp.warnings;
  }

  /**
   * Everything decided, as one append. `own` is the stream the command's expectedVersion refers to.
   * Streams go in causal order of their kind (a region before its departments, a department before the
   * list entries naming it), so that a reader of the log in position order meets nothing before it exists.
   */
  async plan(own?: string): Promise<Plan> {
    const streams = [...this.pending.keys()].map((s, i) => ({ s, i, rank: kindRank(s) })).sort((a, b) => a.rank - b.rank || a.i - b.i);
    const appends: Plan['appends'] = [];
    // an import's plan has a stream per row: in slices, the event loop running between them
    const slices = new TimeSlices();
    for (const { s } of streams) {
      appends.push({ stream: s, readVersion: await this.readVersion(s), events: this.pending.get(s)! });
      if (slices.due()) await slices.pause();
    }
    const ownStream = own ?? appends[0]?.stream ?? '';
    const readVersion = own ? await this.readVersion(own) : appends[0]?.readVersion;
    return { stream: ownStream, readVersion, appends, warnings: [...this.warnings] };
  }
}

const KINDS = ['region-', 'department-', 'catalog-', 'assignment-', 'boundary-', 'finding-'];
function kindRank(stream: string): number {
  const i = KINDS.findIndex((k) => stream.startsWith(k));
  return i < 0 ? KINDS.length : i;
}
