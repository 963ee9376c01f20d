import { AppendRequest, EventStore, StoredEvent } from './event-store.port';

export interface CopyProgress {
  copied: number;
  total: number;
}

export interface CopyReport {
  events: number;
  calls: number;
  skippedAlreadyThere: number;
  sourceHead: number;
  targetHead: number;
}

/**
 * Copies a whole log from one store to another, in order, with the same event ids, streams, stream
 * versions, types, data, metadata and recordedAt; one target append per original append (events that
 * shared a recordedAt were one atomic call), so atomicity is kept. Positions are the target's own
 * (equal on an empty target). Re-running continues where it stopped: ids already there are skipped.
 */
export async function copyLog(source: EventStore, target: EventStore, onProgress?: (p: CopyProgress) => void, pageSize = 5000): Promise<CopyReport> {
  const total = (await source.info()).eventCount;
  const before = (await target.info()).eventCount;
  let from = 0;
  let copied = 0;
  let calls = 0;
  let pending: StoredEvent[] = [];
  const flush = async () => {
    if (!pending.length) return;
    const requests: AppendRequest[] = [];
    for (const e of pending) {
      let r = requests.find((x) => x.stream === e.stream);
      if (!r) {
        r = { stream: e.stream, expectedVersion: e.streamVersion === 0 ? 'no_stream' : e.streamVersion - 1, events: [] };
        requests.push(r);
      }
      r.events.push({ id: e.id, type: e.type, data: e.data, metadata: e.metadata });
    }
    await target.append(requests, { recordedAt: pending[0].recordedAt });
    copied += pending.length;
    calls++;
    pending = [];
    onProgress?.({ copied, total });
  };
  for (;;) {
    const page = await source.readAll(from, pageSize);
    if (!page.length) break;
    for (const e of page) {
      if (pending.length && pending[0].recordedAt !== e.recordedAt) await flush();
      pending.push(e);
    }
    from = page[page.length - 1].position;
  }
  await flush();
  const after = await target.info();
  return { events: copied, calls, skippedAlreadyThere: copied - (after.eventCount - before), sourceHead: (await source.info()).headPosition, targetHead: after.headPosition };
}
