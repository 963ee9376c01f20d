/**
 * Similarity of Chinese administrative texts by character bigrams (Chinese has no spaces: words are not
 * split, characters are). Each text becomes a TF-IDF vector of its bigrams; two texts are compared by
 * cosine (symmetric: item names, duties), and an item is compared with a 三定 duty by containment (how much
 * of the item's weighted bigrams the duty contains: a short name against a long duty).
 *
 * The IDF weights are FIXED: a table of document frequencies computed once from the real Karamay lists
 * (item names and 部门职责 texts; see scripts/calibration/). So a score is a pure function of the two texts: it
 * does not move when unrelated lists are imported, findings do not flicker, and an index can be updated
 * one text at a time with exactly the result of a rebuild. Bigrams the table does not know count as rare.
 */
import idfTable from './idf-karamay.json';

/** Whitespace, punctuation, brackets and digits are not evidence of meaning here; latin letters are kept (X射线). */
const DROP = /[\s\u3000，,。．.；;：:、“”"'‘’《》〈〉<>【】[\]（）()｛｝{}\-—–_/\\·…!！?？%％~～|0-9０-９①-⑳ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]/g;

export function normaliseText(s: string): string {
  return s
    .replace(/[Ａ-Ｚａ-ｚ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(DROP, '')
    .toLowerCase();
}

/** Character bigrams with their counts; a one-character text is its own gram. */
export function bigrams(text: string): Map<string, number> {
  const t = normaliseText(text);
  const out = new Map<string, number>();
  if (t.length === 1) out.set(t, 1);
  for (let i = 0; i + 2 <= t.length; i++) {
    const g = t.slice(i, i + 2);
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

interface IdfTable {
  /** Documents the table was computed from. */
  n: number;
  /** Bigram → document frequency (only bigrams seen in at least two documents). */
  df: Record<string, number>;
}

/** A text as weighted bigrams: `w` are TF-IDF weights, `unit` the same scaled to length 1. */
export interface TextVector {
  text: string;
  w: Map<string, number>;
  unit: Map<string, number>;
  /** Sum of the weights (the denominator of containment). */
  total: number;
}

/** Turns texts into vectors with the fixed IDF table; vectors are cached by text (they never change). */
export class TextVectors {
  private readonly n: number;
  private readonly df: Record<string, number>;
  private readonly cache = new Map<string, TextVector>();

  constructor(table: IdfTable = idfTable as IdfTable) {
    this.n = table.n;
    this.df = table.df;
  }

  private readonly idfCache = new Map<string, number>();

  idf(gram: string): number {
    let x = this.idfCache.get(gram);
    if (x === undefined) {
      const df = Object.prototype.hasOwnProperty.call(this.df, gram) ? this.df[gram] : 0;
      x = Math.log((this.n + 1) / (df + 1)) + 1;
      this.idfCache.set(gram, x);
    }
    return x;
  }

  vector(text: string): TextVector {
    let v = this.cache.get(text);
    if (v) return v;
    const w = new Map<string, number>();
    let sq = 0;
    let total = 0;
    for (const [g, c] of bigrams(text)) {
      const x = (1 + Math.log(c)) * this.idf(g);
      w.set(g, x);
      sq += x * x;
      total += x;
    }
    const norm = Math.sqrt(sq) || 1;
    const unit = new Map<string, number>();
    for (const [g, x] of w) unit.set(g, x / norm);
    v = { text, w, unit, total };
    if (this.cache.size > 200_000) this.cache.clear();
    this.cache.set(text, v);
    return v;
  }

  /** Cosine of the two texts' TF-IDF vectors, 0..1; the same number whichever order the texts come in. */
  cosine(a: string, b: string): number {
    if (a === b) return normaliseText(a).length > 0 ? 1 : 0;
    const [x, y] = a < b ? [a, b] : [b, a];
    return dot(this.vector(x).unit, this.vector(y).unit);
  }

  /** Share of `part`'s weighted bigrams that `whole` contains, 0..1 (not symmetric). */
  containment(part: string, whole: string): number {
    const p = this.vector(part);
    if (p.total === 0) return 0;
    const w = this.vector(whole).w;
    let s = 0;
    for (const [g, x] of p.w) if (w.has(g)) s += x;
    return s / p.total;
  }
}

/** Summed in the order of the first vector's bigrams, so that a pair always gets the same float. */
function dot(a: Map<string, number>, b: Map<string, number>): number {
  let s = 0;
  for (const [g, x] of a) {
    const y = b.get(g);
    if (y !== undefined) s += x * y;
  }
  return Math.min(1, s);
}

/** The laws and regulations a text cites by title (《…》), without the 中华人民共和国 prefix. */
const TITLES = new Map<string, string[]>();
export function citedTitles(text: string): string[] {
  let titles = TITLES.get(text);
  if (titles) return titles;
  const out = new Set<string>();
  if (text.includes('《')) for (const m of text.matchAll(/《([^《》]{2,60})》/g)) out.add(m[1].replace(/\s+/g, '').replace(/^中华人民共和国/, ''));
  titles = [...out].sort();
  if (TITLES.size > 200_000) TITLES.clear();
  TITLES.set(text, titles);
  return titles;
}

/**
 * Two texts that both cite laws by title, and no title in common, are about different matters however
 * alike the rest of their wording ("对违反《消防法》第五十八条…" / "对违反《旅游法》第五十五条…").
 */
export function sameLawOrUncited(a: string, b: string): boolean {
  const x = citedTitles(a);
  if (x.length === 0) return true;
  const y = citedTitles(b);
  return y.length === 0 || x.some((t) => y.includes(t));
}

/** One process-wide set of vectors: the table is fixed, so sharing the cache is safe. */
export const TEXT_VECTORS = new TextVectors();

/** A gram in more texts of one group than this is too common there to find partners by (see PairIndex). */
export const MAX_POSTING = 64;

/**
 * The texts of one group (e.g. a region's 行政处罚 item names) with their similar pairs, kept up to date
 * text by text: `sync` adds the new texts and drops the ones gone.
 *
 * A pair is two texts scoring at or above the threshold that share a bigram heavy in one of them (the
 * prefix filter: a text's lighter bigrams together have a norm below the threshold, so a pair always
 * shares a heavier one) AND that bigram is in at most `maxPosting` texts of the group. The second condition
 * bounds the cost: a gram shared by hundreds of texts (a template, or thousands of near-identical names)
 * finds no partners on its own — each text is compared with at most (its bigrams × maxPosting) others, so
 * the index is near-linear in the group's size, not quadratic, and holds at most that many pairs. On the
 * real lists no gram of a group reaches the cap, and the pairs are exactly those above the threshold.
 *
 * Both conditions are pure functions of the group's texts, so after any sequence of syncs the pairs are
 * exactly the pairs a fresh index of the same texts finds: a text whose partners can change (it is new, or
 * one of its grams crossed the cap) is recomputed.
 */
export class PairIndex {
  private readonly postings = new Map<string, Set<string>>();
  private readonly heavy = new Map<string, Set<string>>();
  private readonly neighbours = new Map<string, Map<string, number>>();
  /** Texts whose partners are to be recomputed (a sync stopped half-way leaves some for the next). */
  private readonly pending = new Set<string>();

  constructor(
    readonly threshold: number,
    private readonly vectors: TextVectors = TEXT_VECTORS,
    /** A pair is only scored when this holds (a pure function of the two texts). */
    private readonly compatible: (a: string, b: string) => boolean = sameLawOrUncited,
    readonly maxPosting: number = MAX_POSTING,
  ) {}

  get size(): number {
    return this.neighbours.size;
  }

  /** An independent copy (a preview's engine starts from the live one's index and syncs its own texts). */
  clone(): PairIndex {
    const c = new PairIndex(this.threshold, this.vectors, this.compatible, this.maxPosting);
    for (const [k, v] of this.postings) c.postings.set(k, new Set(v));
    for (const [k, v] of this.heavy) c.heavy.set(k, new Set(v));
    for (const [k, v] of this.neighbours) c.neighbours.set(k, new Map(v));
    for (const t of this.pending) c.pending.add(t);
    return c;
  }

  has(text: string): boolean {
    return this.neighbours.has(text);
  }

  /** Whether the index holds exactly these texts, nothing pending (a sync to them would change nothing). */
  holds(texts: ReadonlySet<string> | ReadonlyMap<string, unknown>): boolean {
    if (this.pending.size > 0 || texts.size !== this.neighbours.size) return false;
    for (const t of texts.keys()) if (!this.neighbours.has(t)) return false;
    return true;
  }

  /** Makes the index hold exactly these texts; returns how many were added and removed. */
  sync(texts: Iterable<string>): { added: number; removed: number } {
    const steps = this.syncSteps(texts);
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
    }
  }

  /** The same, yielding between texts (so a caller can spread a large group over several turns). */
  *syncSteps(texts: Iterable<string>, every = 16): Generator<void, { added: number; removed: number }> {
    const want = new Set(texts);
    // Texts whose partners may have changed are marked at once (this.pending), so that a sync stopped
    // half-way (its caller gave up) leaves them to the next sync: nothing is ever left wrong.
    const dirty = this.pending;
    /** A gram that crosses the cap changes which texts it pairs: every text holding it is recomputed. */
    const crossed = (post: Set<string>) => {
      for (const x of post) dirty.add(x);
    };
    let removed = 0;
    let n = 0;
    for (const t of [...this.neighbours.keys()]) {
      if (want.has(t)) continue;
      for (const g of this.vectors.vector(t).unit.keys()) {
        const post = this.postings.get(g);
        if (!post) continue;
        post.delete(t);
        if (post.size === this.maxPosting) crossed(post);
        if (post.size === 0) this.postings.delete(g);
      }
      for (const other of this.neighbours.get(t)!.keys()) this.neighbours.get(other)?.delete(t);
      this.neighbours.delete(t);
      this.heavy.delete(t);
      dirty.delete(t);
      removed++;
      if (++n % (every * 4) === 0) yield;
    }
    let added = 0;
    for (const t of [...want].filter((x) => !this.neighbours.has(x)).sort()) {
      this.heavy.set(t, this.heavyGrams(t));
      this.neighbours.set(t, new Map());
      dirty.add(t);
      for (const g of this.vectors.vector(t).unit.keys()) {
        let post = this.postings.get(g);
        if (!post) this.postings.set(g, (post = new Set()));
        post.add(t);
        if (post.size === this.maxPosting + 1) crossed(post);
      }
      added++;
      if (++n % (every * 4) === 0) yield;
    }
    for (const t of [...dirty].sort()) {
      if (!dirty.has(t)) continue;
      this.recompute(t);
      dirty.delete(t);
      if (++n % every === 0) yield;
    }
    return { added, removed };
  }

  /** The texts scoring at or above the threshold with `text` (not itself). */
  similarTo(text: string): ReadonlyMap<string, number> {
    return this.neighbours.get(text) ?? new Map();
  }

  /** The bigrams that can make a pair (Cauchy–Schwarz: the lighter ones' norm stays below the threshold). */
  private heavyGrams(text: string): Set<string> {
    const byWeight = [...this.vectors.vector(text).unit].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
    let light = 0;
    let k = 0;
    while (k < byWeight.length && light + byWeight[k][1] * byWeight[k][1] < this.threshold * this.threshold * (1 - 1e-9)) light += byWeight[k++][1] ** 2;
    return new Set(byWeight.slice(k).map((x) => x[0]));
  }

  /** The text's partners from scratch (its old pairs dropped from both sides). */
  private recompute(text: string): void {
    for (const other of this.neighbours.get(text)?.keys() ?? []) this.neighbours.get(other)?.delete(text);
    const mine = new Map<string, number>();
    const heavy = this.heavy.get(text)!;
    const candidates = new Set<string>();
    for (const g of this.vectors.vector(text).unit.keys()) {
      const post = this.postings.get(g);
      if (!post || post.size > this.maxPosting) continue;
      const mineHeavy = heavy.has(g);
      for (const other of post) if (other !== text && (mineHeavy || this.heavy.get(other)!.has(g))) candidates.add(other);
    }
    const v = this.vectors.vector(text).unit;
    for (const other of candidates) {
      // the score is the canonical cosine (the same float whichever text came first: vectors.cosine)
      const w = this.vectors.vector(other).unit;
      const score = text < other ? dot(v, w) : dot(w, v);
      if (score < this.threshold || !this.compatible(text, other)) continue;
      {
        mine.set(other, score);
        this.neighbours.get(other)!.set(text, score);
      }
    }
    this.neighbours.set(text, mine);
  }
}

/** Round a score for display and for comparing answers (4 decimals). */
export const roundScore = (x: number) => Math.round(x * 10000) / 10000;

/**
 * Long texts (三定 duties) indexed by bigram, to score a short text (an item) against all of them at once
 * by containment. Answers are memoised per short text until the indexed set changes.
 */
export class ContainmentIndex {
  private readonly postings = new Map<string, Set<string>>();
  private readonly texts = new Set<string>();
  private readonly memo = new Map<string, Map<string, number>>();

  constructor(private readonly vectors: TextVectors = TEXT_VECTORS) {}

  /** An independent copy (see PairIndex.clone). */
  clone(): ContainmentIndex {
    const c = new ContainmentIndex(this.vectors);
    for (const [k, v] of this.postings) c.postings.set(k, new Set(v));
    for (const t of this.texts) c.texts.add(t);
    for (const [k, v] of this.memo) c.memo.set(k, new Map(v));
    return c;
  }

  /** Whether the index holds exactly these texts (a sync to them would change nothing). */
  holds(texts: ReadonlySet<string>): boolean {
    if (texts.size !== this.texts.size) return false;
    for (const t of texts) if (!this.texts.has(t)) return false;
    return true;
  }

  sync(texts: Iterable<string>): void {
    const want = new Set(texts);
    let changed = false;
    for (const t of [...this.texts]) {
      if (want.has(t)) continue;
      changed = true;
      this.texts.delete(t);
      for (const g of this.vectors.vector(t).w.keys()) {
        const p = this.postings.get(g);
        p?.delete(t);
        if (p && p.size === 0) this.postings.delete(g);
      }
    }
    for (const t of want) {
      if (this.texts.has(t)) continue;
      changed = true;
      this.texts.add(t);
      for (const g of this.vectors.vector(t).w.keys()) {
        let p = this.postings.get(g);
        if (!p) this.postings.set(g, (p = new Set()));
        p.add(t);
      }
    }
    if (changed) this.memo.clear();
  }

  /**
   * containment(part, t) for every indexed text t scoring at least `floor` (others are left out). Only
   * texts sharing one of the part's heavier bigrams can reach the floor: the lighter ones together weigh
   * less than floor × total, so they are not probed (exact, and it skips the postings of 负责, 管理 …).
   */
  scores(part: string, floor = 0): ReadonlyMap<string, number> {
    const key = `${floor}\u0000${part}`;
    let m = this.memo.get(key);
    if (m) return m;
    const p = this.vectors.vector(part);
    const acc = new Map<string, number>();
    if (p.total > 0) {
      const byWeight = [...p.w].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
      let light = 0;
      let k = 0;
      while (k < byWeight.length && light + byWeight[k][1] < floor * p.total * (1 - 1e-9)) light += byWeight[k++][1];
      const heavy = new Map<string, number>();
      for (let i = k; i < byWeight.length; i++) {
        const [g, x] = byWeight[i];
        for (const t of this.postings.get(g) ?? []) heavy.set(t, (heavy.get(t) ?? 0) + x);
      }
      const bound = floor * p.total - light - 1e-9;
      for (const [t, partial] of heavy) {
        if (partial < bound) continue;
        const s = this.vectors.containment(part, t);
        if (s >= floor && s > 0) acc.set(t, s);
      }
    }
    m = acc;
    if (this.memo.size > 50_000) this.memo.clear();
    this.memo.set(key, m);
    return m;
  }
}
