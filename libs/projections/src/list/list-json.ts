import { createHash, randomUUID } from 'node:crypto';
import type { ListItem, RegionList } from './list.query';

/**
 * A region's list as JSON bytes, the same bytes `JSON.stringify(list)` gives (issue 19: a list of ~3,000
 * items over HTTP). The items of a list answer are shared between answers and read-only (the list index
 * keeps one object per entry and stretch), so each item's JSON is encoded once and kept — a byte-bounded
 * cache, least recently used first out — and an answer is the concatenation of its items' bytes: no
 * JSON.stringify of the whole answer, no UTF-16 → UTF-8 conversion of a 2 M-character string (which cost
 * more than building the list: ~12-35 ms for a county against ~1 ms).
 */
export class ListJsonCache {
  private readonly items = new Map<ListItem, Encoded>();
  private nextId = 1;
  private bytes = 0;
  hits = 0;
  misses = 0;

  /**
   * @param epoch distinguishes this cache's ids from another process's (or a restarted one's): part of
   * every ETag, so a client's ETag from another replica never matches by accident.
   */
  constructor(
    private readonly maxBytes = 64 * 2 ** 20,
    private readonly epoch: string = randomUUID(),
  ) {}

  /** The list's JSON as UTF-8 bytes. */
  encode(list: RegionList): Buffer {
    return this.answer(list).body;
  }

  /**
   * The list's JSON and a strong ETag for it, taken over the answer's other fields and the ids of its
   * items' encodings (an id is never reused, and an item's encoding never changes), not over the bytes.
   */
  answer(list: RegionList): { body: Buffer; etag: string } {
    const parts: Encoded[] = [];
    let length = 0;
    const ids = new Uint32Array(list.items.length);
    for (let i = 0; i < list.items.length; i++) {
      const e = this.item(list.items[i]);
      parts.push(e);
      ids[i] = e.id;
      length += e.bytes.length;
    }
    // the answer's other fields in their own order, the items spliced in where JSON.stringify puts them
    // (a quote inside a JSON string is always escaped, so `"items":[]` with a bare quote is the key itself)
    const shell = JSON.stringify({ ...list, items: [] });
    const at = shell.indexOf('"items":[]') + '"items":['.length;
    const head = Buffer.from(shell.slice(0, at));
    const tail = Buffer.from(shell.slice(at));
    const body = Buffer.allocUnsafe(head.length + length + Math.max(0, parts.length - 1) + tail.length);
    let o = head.copy(body, 0);
    for (let i = 0; i < parts.length; i++) {
      if (i > 0) body[o++] = 0x2c; // ,
      o += parts[i].bytes.copy(body, o);
    }
    tail.copy(body, o);
    const etag = `"${createHash('sha1').update(this.epoch).update(shell).update(Buffer.from(ids.buffer)).digest('base64url')}"`;
    return { body, etag };
  }

  private item(item: ListItem): Encoded {
    const cached = this.items.get(item);
    if (cached) {
      // most recently used last
      this.items.delete(item);
      this.items.set(item, cached);
      this.hits++;
      return cached;
    }
    this.misses++;
    const s = JSON.stringify(item);
    const bytes = Buffer.allocUnsafe(Buffer.byteLength(s));
    bytes.write(s);
    const e = { bytes, id: this.nextId++ };
    this.items.set(item, e);
    this.bytes += bytes.length;
    for (const [k, v] of this.items) {
      if (this.bytes <= this.maxBytes) break;
      this.items.delete(k);
      this.bytes -= v.bytes.length;
    }
    return e;
  }

  get size(): { items: number; bytes: number } {
    return { items: this.items.size, bytes: this.bytes };
  }
}

interface Encoded {
  bytes: Buffer;
  id: number;
}
