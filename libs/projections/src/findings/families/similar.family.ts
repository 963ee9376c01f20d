/**
 * 相似职责/事项: two texts of different departments of the region say the same thing in different words —
 * item names of the same type (lead holdings), or 三定 duties — scored by the pair index; settled by a
 * boundary clause naming both departments.
 */
import { catalogVersionOn } from '../../../../domain/src';
import { Detail, FindingFamily, cut, nameOf } from '../family';
import { Range, Segment, intersect, keyedSegmentsOver, sortedDates } from '../intervals';
import { RegionContext, dutiesOf, entryAt, listName } from '../region-context';
import { coveringClauses, settleSegments } from '../settlement';
import { roundScore } from '../text-similarity';

interface Doc extends Range {
  key: string;
  group: string;
  text: string;
  departmentId: string;
  ref: Detail;
  itemCode?: string;
}

/** Every text of the region with the dates it is in force: lead holdings' item names (by type), 三定 duties. */
function* documents(ctx: RegionContext, docs: Doc[]) {
  let n = 0;
  for (const item of ctx.entries()) {
    if (++n % 32 === 0) yield;
    for (const d of ctx.unit(`similar|${item}`, () => itemDocuments(ctx, item))) docs.push(d);
  }
  for (const id of ctx.departmentIds()) {
    const state = ctx.department(id)!;
    const versions = state.sanding ?? [];
    versions.forEach((sv, i) => {
      const range = intersect({ from: sv.from, ...(versions[i + 1] ? { until: versions[i + 1].from } : {}) }, { from: state.establishedOn, ...(state.abolishedOn ? { until: state.abolishedOn } : {}) });
      if (!range) return;
      for (const duty of dutiesOf(sv.version, id)) {
        docs.push({ key: `duty:${id}:${duty.dutyId}`, group: 'duty', text: duty.text, departmentId: id, ...range, ref: { kind: 'duty', departmentId: id, dutyId: duty.dutyId, text: duty.text, ...(duty.organ ? { organ: duty.organ } : {}) } });
      }
    });
  }
}

/** The texts of one item's lead holdings (one unit: replayed while its entry and catalogue versions stay). */
function itemDocuments(ctx: RegionContext, item: string): Doc[] {
  const docs: Doc[] = [];
  const tl = ctx.entry(ctx.region.code, item);
  if (tl.holders.size === 0) return docs;
  const versions = ctx.catalog(item);
  if (versions.length === 0) return docs;
  const dates = sortedDates([...tl.dates, ...versions.map((v) => v.from)]).filter((d) => d >= ctx.region.since);
  const segs = keyedSegmentsOver(dates, (d) => {
    const now = new Map<string, Detail>();
    const v = catalogVersionOn(versions, d);
    if (!v) return now;
    for (const h of entryAt(tl, d).holdings) if (h.role === 'lead') now.set(h.departmentId, { text: listName(h, v), type: v.type, name: v.name });
    return now;
  });
  for (const [dept, ss] of segs) {
    for (const s of ss) {
      const text = s.detail.text as string;
      docs.push({ key: `item:${item}:${dept}`, group: `item:${s.detail.type}`, text, departmentId: dept, itemCode: item, from: s.from, until: s.until, ref: { kind: 'item', departmentId: dept, itemCode: item, itemName: s.detail.name, text } });
    }
  }
  return docs;
}

/** One pair of documents' segment, as one pair of texts gives it (for a pair gathered over several text pairs). */
interface Part {
  pk: string;
  a: Doc;
  b: Doc;
  seg: Segment<Detail>;
}

interface Pair {
  a: string;
  b: string;
  texts: Set<string>;
  items: Set<string>;
  departments: [string, string];
  segs: Array<Segment<Detail>>;
}

function gather(pairs: Map<string, Pair>, { pk, a, b, seg }: Part): void {
  let p = pairs.get(pk);
  if (!p) pairs.set(pk, (p = { a: a.key, b: b.key, texts: new Set(), items: new Set(), departments: [a.departmentId, b.departmentId], segs: [] }));
  p.texts.add(a.text).add(b.text);
  if (a.itemCode) p.items.add(a.itemCode);
  if (b.itemCode) p.items.add(b.itemCode);
  p.segs.push(seg);
}

function addPair(ctx: RegionContext, p: Pair): void {
  const covering = coveringClauses(ctx, p.departments, [...p.items], [...p.texts]);
  ctx.add('similar', [p.a, p.b], settleSegments(p.segs, covering));
}

/** Everything of a document a pair's finding says (its key names the department and the item or duty). */
const docSig = (d: Doc, several: ReadonlySet<string>) => `${d.key}\u0003${d.from}\u0003${d.until ?? ''}\u0003${(d.ref.itemName ?? d.ref.organ ?? '') as string}\u0003${several.has(d.key) ? 1 : 0}`;
const docsKey = (group: string, text: string) => `similar-docs|${group}|${text}`;
const partnersKey = (group: string, text: string) => `similar-partners|${group}|${text}`;

/**
 * One text's unit: its pairs with itself and with its partners after it (in the group's order). It reads the
 * signatures of the documents of those texts and of its partner list (the scores and the closest-partner
 * filter, which depend on the whole group through the posting cap): so a transfer runs again only the units
 * of the texts whose documents it changes and of the texts having one of them as partner. A pair of document
 * keys whose texts are all one text pair is added here whole; one of a key with several texts (an item
 * renamed, a duty reworded) is returned to be gathered over the text pairs (`several`).
 */
function textUnit(ctx: RegionContext, group: string, text: string, partners: Array<[string, number]>, byText: Map<string, Doc[]>, several: ReadonlySet<string>): Part[] {
  ctx.readSig(docsKey(group, text));
  ctx.readSig(partnersKey(group, text));
  const whole = new Map<string, Pair>();
  const parts: Part[] = [];
  for (const [other, score] of [[text, 1] as [string, number], ...partners]) {
    if (other !== text) ctx.readSig(docsKey(group, other));
    for (const x of byText.get(text)!) {
      for (const y of byText.get(other) ?? []) {
        if (x.departmentId === y.departmentId) continue;
        if (text === other && !(x.key < y.key)) continue;
        if (x.itemCode !== undefined && x.itemCode === y.itemCode) continue;
        const range = intersect(x, y);
        if (!range) continue;
        const [a, b] = x.key < y.key ? [x, y] : [y, x];
        const part: Part = { pk: `${a.key}\u0000${b.key}`, a, b, seg: { ...range, detail: { subject: group === 'duty' ? 'duty' : 'item', score: roundScore(score), a: a.ref, b: b.ref } } };
        if (several.has(a.key) || several.has(b.key)) parts.push(part);
        else gather(whole, part);
      }
    }
  }
  for (const p of whole.values()) addPair(ctx, p);
  return parts;
}

function* run(ctx: RegionContext) {
  const groups = new Map<string, Map<string, Doc[]>>();
  const docs: Doc[] = [];
  yield* documents(ctx, docs);
  const textOf = new Map<string, string>();
  const several = new Set<string>();
  for (const d of docs) {
    const gt = `${d.group}\u0000${d.text}`;
    const t = textOf.get(d.key);
    if (t === undefined) textOf.set(d.key, gt);
    else if (t !== gt) several.add(d.key);
    let g = groups.get(d.group);
    if (!g) groups.set(d.group, (g = new Map()));
    const list = g.get(d.text);
    if (list) list.push(d);
    else g.set(d.text, [d]);
  }
  let m = 0;
  const gathered = new Map<string, Pair>();
  for (const [group, byText] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const index = ctx.engine.pairIndex(`${ctx.region.code}|${ctx.asKnownAt ?? ''}|${group}`, byText);
    yield* index.syncSteps(byText.keys());
    const closest = new Map<string, Set<string>>();
    const closestTo = (text: string) => {
      let c = closest.get(text);
      if (!c) {
        const ranked = [...index.similarTo(text)].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
        closest.set(text, (c = new Set(ranked.slice(0, ctx.o.maxPartners).map((x) => x[0]))));
      }
      return c;
    };
    // a text with no partner and one document pairs with nothing: no unit, no signature
    const plan: Array<[string, Array<[string, number]>]> = [];
    const read = new Set<string>();
    let k = 0;
    for (const text of [...byText.keys()].sort()) {
      // thousands of near-identical texts give each text thousands of candidates: yield between a few texts
      if (++k % 16 === 0) yield;
      const partners: Array<[string, number]> = [];
      for (const [other, score] of index.similarTo(text)) if (other > text && (closestTo(text).has(other) || closestTo(other).has(text))) partners.push([other, score]);
      if (partners.length === 0 && byText.get(text)!.length < 2) continue;
      partners.sort((x, y) => (x[0] < y[0] ? -1 : 1));
      plan.push([text, partners]);
      read.add(text);
      for (const [other] of partners) read.add(other);
    }
    for (const text of read) ctx.putSig(docsKey(group, text), byText.get(text)!.map((d) => docSig(d, several)).join('\u0001'));
    let n = 0;
    for (const [text, partners] of plan) {
      if (++n % 8 === 0) yield;
      ctx.putSig(partnersKey(group, text), partners.map(([o, s]) => `${o}\u0001${s}`).join('\u0002'));
      for (const part of ctx.unit(`similar-text|${group}|${text}`, () => textUnit(ctx, group, text, partners, byText, several))) gather(gathered, part);
    }
  }
  for (const p of gathered.values()) {
    if (++m % 32 === 0) yield;
    addPair(ctx, p);
  }
}

export const similarFamily: FindingFamily = {
  ownRegionOnly: true,
  name: 'similar',
  kinds: [
    {
      kind: 'similar',
      nameZh: '相似职责/事项',
      severity: 'blue',
      group: 'overlap',
      rank: 20,
      // a lead: 19 of 63 similar findings on the real lists are one matter (precision.ts, docs/findings.md)
      title: (d) => {
        const a = d.a as { text: string };
        const b = d.b as { text: string };
        return `${nameOf(d.a)}「${cut(a.text)}」与 ${nameOf(d.b)}「${cut(b.text)}」相似（${(d.score as number).toFixed(2)}）${d.settledBy ? '，已有职责分工' : ''}`;
      },
    },
  ],
  run,
};
