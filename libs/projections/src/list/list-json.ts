import { createHash, randomUUID } from 'node:crypto';
import type { ListItem, RegionList } from './list.query';

/** A list answer as JSON, in chunks to write one after the other (their concatenation is the answer). */
export interface EncodedList {
  chunks: Buffer[];
  length: number;
  /** Strong ETag of the answer. */
  etag: string;
}

/**
 * A region's list as JSON bytes, the same bytes `JSON.stringify(list)` gives (issue 19: a list of ~3,000
 * items over HTTP). The items of a list answer are shared between answers and read-only (the list index
 * keeps one object per entry and stretch), so each item's JSON is encoded once and kept — a byte-bounded
 * cache, least recently used first out — and an answer is its items' bytes one after the other: no
 * JSON.stringify of the whole answer, no UTF-16 → UTF-8 conversion of a 2 M-character string (which cost
 * more than building the list: ~12-35 ms for a county against ~1 ms), no copy into one 4 MB buffer.
 * An item seen for the first time reuses the encoding of its catalogue wording (name, type, basis,
 * levels: the bulk of its bytes, the same objects in every region listing the item's version).
 */
export class ListJsonCache {
  private readonly items = new Map<ListItem, Encoded>();
  /** The catalogue wording's JSON by its basis array (one per catalogue version, shared by every region). */
  private readonly wording = new WeakMap<readonly string[], { name: string; type: string; levels: readonly string[]; json: string }>();
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

  /** The list's JSON as UTF-8 bytes in one buffer. */
  encode(list: RegionList): Buffer {
    const a = this.answer(list);
    return Buffer.concat(a.chunks, a.length);
  }

  /**
   * The list's JSON as chunks and a strong ETag for it, taken over the answer's other fields and the ids
   * of its items' encodings (an id is never reused, and an item's encoding never changes), not the bytes.
   */
  answer(list: RegionList): EncodedList {
    // the answer's other fields in their own order, the items spliced in where JSON.stringify puts them
    // (a quote inside a JSON string is always escaped, so `"items":[]` with a bare quote is the key itself)
    const shell = JSON.stringify({ ...list, items: [] });
    const at = shell.indexOf('"items":[]') + '"items":['.length;
    const chunks: Buffer[] = [Buffer.from(shell.slice(0, at))];
    let length = chunks[0].length;
    const ids = new Uint32Array(list.items.length);
    for (let i = 0; i < list.items.length; i++) {
      const e = this.item(list.items[i]);
      if (i > 0) {
        chunks.push(COMMA);
        length++;
      }
      chunks.push(e.bytes);
      ids[i] = e.id;
      length += e.bytes.length;
    }
    const tail = Buffer.from(shell.slice(at));
    chunks.push(tail);
    length += tail.length;
    const etag = `"${createHash('sha1').update(this.epoch).update(shell).update(Buffer.from(ids.buffer)).digest('base64url')}"`;
    return { chunks, length, etag };
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
    const s = this.json(item);
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

  /** JSON.stringify(item), with the catalogue wording's part taken from the version's encoding when known. */
  private json(item: ListItem): string {
    const keys = Object.keys(item);
    if (keys[0] !== 'code' || keys[1] !== 'name' || keys[2] !== 'type' || keys[3] !== 'basis' || keys[4] !== 'levels') return JSON.stringify(item);
    let w = this.wording.get(item.basis);
    if (!w || w.name !== item.name || w.type !== item.type || w.levels !== item.levels) {
      const j = JSON.stringify({ name: item.name, type: item.type, basis: item.basis, levels: item.levels });
      w = { name: item.name, type: item.type, levels: item.levels, json: j.slice(1, -1) };
      this.wording.set(item.basis, w);
    }
    const rest = JSON.stringify({ ...item, code: undefined, name: undefined, type: undefined, basis: undefined, levels: undefined });
    return `{"code":${JSON.stringify(item.code)},${w.json}${rest === '{}' ? '}' : `,${rest.slice(1)}`}`;
  }

  get size(): { items: number; bytes: number } {
    return { items: this.items.size, bytes: this.bytes };
  }
}

const COMMA = Buffer.from(',');

interface Encoded {
  bytes: Buffer;
  id: number;
}
