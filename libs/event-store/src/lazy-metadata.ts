import { StoredEvent } from './event-store.port';

/**
 * The metadata of a replayed event, kept as its JSON text and parsed only when someone reads it (at
 * most once per event). A rebuild needs one or two fields of it per event: `field` reads those from
 * the text when it is a plain, flat JSON object — as the store writes it — and parses it otherwise.
 */
export class LazyMetadata {
  private json = '{}';
  private value: any = undefined;
  private parsed = false;
  /** Whether `json` is plain (see isPlain); undefined until asked. */
  private plain: boolean | undefined = undefined;

  /** The next event's metadata text. */
  reset(json: string): void {
    this.json = json;
    this.value = undefined;
    this.parsed = false;
    this.plain = undefined;
  }

  /** The parsed metadata: JSON.parse of the text, once per event. */
  get(): any {
    if (!this.parsed) {
      this.value = JSON.parse(this.json);
      this.parsed = true;
    }
    return this.value;
  }

  /** Replaces the metadata of this event (an assignment to `event.metadata`). */
  set(value: any): void {
    this.value = value;
    this.parsed = true;
  }

  /** `get()?.[key]`, read from the text when it is plain. */
  field(key: string): any {
    if (!this.parsed) {
      const needle = needleFor(key);
      if (needle !== null && (this.plain ??= isPlain(this.json))) {
        const v = plainField(this.json, needle);
        if (v !== UNSURE) return v;
      }
    }
    return this.get()?.[key];
  }
}

/**
 * A JSON object text with no nested object (so every key in it is a key of this object: only an
 * object has keys) and no backslash (so no escape: every quote in it opens or closes a string). What
 * JSON.stringify writes for metadata such as {actor, commandId, correlationId, schemaVersion}.
 */
function isPlain(s: string): boolean {
  return s.charCodeAt(0) === 123 && s.charCodeAt(s.length - 1) === 125 && s.indexOf('{', 1) === -1 && s.indexOf('\\') === -1;
}

const UNSURE: unique symbol = Symbol('unsure');

/** `"key":` — for keys JSON writes as they are and that start with no character JSON gives a meaning to; null for others. */
const needles = new Map<string, string | null>();
function needleFor(key: string): string | null {
  let needle = needles.get(key);
  if (needle === undefined) {
    // A key that Object.prototype answers for (constructor, __proto__, …) is left to the parsed object.
    needle = /^[A-Za-z0-9_$][A-Za-z0-9_$.-]*$/.test(key) && !(key in Object.prototype) ? `"${key}":` : null;
    if (needles.size < 64) needles.set(key, needle);
  }
  return needle;
}

const JSON_WHITESPACE = /[ \t\n\r]/;

/**
 * The value of `"key":` in a plain text (see isPlain), or UNSURE. In such a text `"key":` is a key of
 * the object itself: its first quote opens a string (the character after it can not follow a closing
 * one) whose closing quote is followed by a colon. JSON.parse keeps the last of a repeated key: so
 * does lastIndexOf. The value's own text is parsed: the same value, and a string of its own.
 */
function plainField(s: string, needle: string): unknown {
  const at = s.lastIndexOf(needle);
  // Absent: certain only in a compact text (`"key" :` would not match).
  if (at === -1) return JSON_WHITESPACE.test(s) ? UNSURE : undefined;
  const from = at + needle.length;
  const c = s.charCodeAt(from);
  let to: number;
  if (c === 34 /* " */) {
    to = s.indexOf('"', from + 1) + 1;
    if (to === 0) return UNSURE;
  } else if (c === 45 /* - */ || (c >= 48 && c <= 57) /* 0-9 */ || c === 116 /* true */ || c === 102 /* false */ || c === 110 /* null */) {
    // A number or a literal ends before the next comma or the closing brace.
    to = s.indexOf(',', from);
    if (to === -1) to = s.length - 1;
  } else {
    return UNSURE;
  }
  return JSON.parse(s.slice(from, to));
}

const LAZY = Symbol('lazyMetadata');

/**
 * The object a replay hands out (fields set per event) with a `metadata` backed by `lazy`: an own,
 * enumerable property, so that reading it, a spread or JSON.stringify of the event give the parsed
 * metadata as before, and an assignment replaces it. (Built field by field in this order: turning an
 * existing data property into an accessor would leave the object in V8's slow dictionary mode.)
 */
export function eventWithLazyMetadata(lazy: LazyMetadata, position = 0): StoredEvent {
  const event: Partial<StoredEvent> = { id: '', stream: '', streamVersion: 0, position, type: '', data: null };
  Object.defineProperty(event, 'metadata', {
    enumerable: true,
    configurable: true,
    get: () => lazy.get(),
    set: (v) => lazy.set(v),
  });
  event.recordedAt = '';
  Object.defineProperty(event, LAZY, { value: lazy });
  return event as StoredEvent;
}

/**
 * One field of an event's metadata: the same as `event.metadata?.[key]`, but for an event of a replay
 * (SqliteEventStore.replayAll) without parsing the metadata when its text is plain.
 */
export function metadataField(event: StoredEvent, key: string): any {
  const lazy = (event as { [LAZY]?: LazyMetadata })[LAZY];
  return lazy !== undefined ? lazy.field(key) : event.metadata?.[key];
}
