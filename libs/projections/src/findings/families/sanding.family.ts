/**
 * Per department: 撤销部门仍持有事项, 部门无三定, and the 三定 checked against the lists — 新增职责未核定,
 * 职责偏离, 职责缺失 — with the department's 三定 coverage (departmentAt, also used by /api/gaps).
 */
import { CatalogVersion, DepartmentState, Holding, IssueSanding, catalogVersionOn, sandingOn } from '../../../../domain/src';
import { Detail, FindingFamily, FindingKind, cut, itemOf, nameOf } from '../family';
import { keyedSegmentsOver, sortedDates } from '../intervals';
import { DutyRef, EntryTimeline, RegionContext, activeOn, departmentDates, dutiesOf, entryAt, listName } from '../region-context';
import { ContainmentIndex, roundScore } from '../text-similarity';

/** Item → duty matches below this are not worth naming (not a link, not a best match, not a deviation). */
export const MATCH_FLOOR = 0.2;

/** 三定 duties that no list item is expected to rest on (general clauses, not powers). */
const NON_POWER_DUTY = /交办的其他(任务|事项|工作)|职能转变|职责分工|有关职责分工|其他职责|协调机制/;

export interface Coverage {
  departmentId: string;
  duties: number;
  dutiesWithItems: number;
  items: number;
  itemsWithDuties: number;
  /** Share of 三定 duties some item rests on (null: no duties). */
  dutyCoverage: number | null;
  /** Share of the items held that rest on a duty (null: no items). */
  itemCoverage: number | null;
  /** How each item held is linked to the 三定 in force. */
  links: Array<{ itemCode: string; dutyIds: string[]; by: 'explicit' | 'text' | 'none'; score?: number }>;
}

type DeptItem = { item: string; tl: EntryTimeline; versions: CatalogVersion[] };

/** The region's list entries the department holds on some date, with their timelines and catalogue versions. */
function itemsOfDepartment(ctx: RegionContext, id: string): DeptItem[] {
  return ctx.local(`sanding:items:${id}`, () =>
    ctx
      .heldItems(id)
      .map((item) => ({ item, tl: ctx.entry(ctx.region.code, item), versions: ctx.catalog(item) }))
      .filter((x) => x.tl.holders.has(id) && x.versions.length > 0),
  );
}

/** Duties in force on a date across the region's active departments. */
function dutiesInForce(ctx: RegionContext, d: string): DutyRef[] {
  return ctx.local(`sanding:inForce:${d}`, () => {
    const list: DutyRef[] = [];
    for (const id of ctx.departmentIds()) {
      const s = ctx.department(id);
      if (!s || !activeOn(s, d)) continue;
      const sd = sandingOn(s, d);
      if (sd) list.push(...dutiesOf(sd, id));
    }
    return list;
  });
}

/** The same, by text (several departments may word a duty the same way). */
function dutiesByText(ctx: RegionContext, d: string): Map<string, DutyRef[]> {
  return ctx.local(`sanding:byText:${d}`, () => {
    const m = new Map<string, DutyRef[]>();
    for (const x of dutiesInForce(ctx, d)) {
      const list = m.get(x.text);
      if (list) list.push(x);
      else m.set(x.text, [x]);
    }
    return m;
  });
}

function dutyIndex(ctx: RegionContext): ContainmentIndex {
  return ctx.local('sanding:dutyIndex', () => {
    const texts = new Set<string>();
    for (const id of ctx.departmentIds()) for (const s of ctx.department(id)?.sanding ?? []) for (const d of dutiesOf(s.version, id)) texts.add(d.text);
    const idx = ctx.engine.dutyIndex(`${ctx.region.code}|${ctx.asKnownAt ?? ''}`, texts);
    idx.sync(texts);
    return idx;
  });
}

type Meta = { kind: FindingKind; about: string[] };
type HeldItem = { item: string; h: Holding; v: CatalogVersion; text: string };
/** One held item on a date: what the department aggregate needs, its link and its own finding (if any). */
interface ItemOn {
  x: HeldItem;
  /** The duties of the 三定 in force the item links to (explicit or by text). */
  linked: string[];
  link?: Coverage['links'][number];
  finding?: { key: string; detail: Detail; meta: Meta };
}

const statusOn = (state: DepartmentState | null, d: string) =>
  !state ? 'not-recorded' : d < state.establishedOn ? 'not-yet-established' : state.abolishedOn !== undefined && d >= state.abolishedOn ? 'abolished' : 'active';

const dutyRef = (x: DutyRef, score?: number) => ({ departmentId: x.departmentId, dutyId: x.dutyId, text: x.text, ...(x.organ ? { organ: x.organ } : {}), ...(score !== undefined ? { score: roundScore(score) } : {}) });

const sandingViews = new WeakMap<IssueSanding, Map<string, { duties: DutyRef[]; byId: Map<string, DutyRef>; ownPos: Map<DutyRef, number>; ownByText: Map<string, DutyRef[]>; nonPower: Set<DutyRef> }>>();

/** A 三定 version's duties looked up by id, position and text (a pure function of the version: kept with it). */
function sandingView(id: string, s: IssueSanding) {
  let m = sandingViews.get(s);
  if (!m) sandingViews.set(s, (m = new Map()));
  let r = m.get(id);
  if (!r) {
    const duties = dutiesOf(s, id);
    const ownByText = new Map<string, DutyRef[]>();
    for (const x of duties) ownByText.set(x.text, [...(ownByText.get(x.text) ?? []), x]);
    const nonPower = new Set(duties.filter((x) => NON_POWER_DUTY.test(x.text)));
    m.set(id, (r = { duties, byId: new Map(duties.map((x) => [x.dutyId, x])), ownPos: new Map(duties.map((x, i) => [x, i])), ownByText, nonPower }));
  }
  return r;
}

/** One item the department holds on a date: its link to the 三定 in force, and 新增职责未核定 / 职责偏离 when it has none. */
function itemOn(ctx: RegionContext, id: string, state: DepartmentState | null, { item, tl, versions }: DeptItem, d: string): ItemOn | null {
  const h = entryAt(tl, d).holdings.find((x) => x.departmentId === id);
  if (!h) return null;
  const v = catalogVersionOn(versions, d) ?? versions[0];
  const x: HeldItem = { item, h, v, text: listName(h, v) };
  if (statusOn(state, d) !== 'active') return { x, linked: [] };
  const s = sandingOn(state!, d);
  if (!s) return { x, linked: [] };
  const o = ctx.o;
  const dept = { departmentId: id };
  const { byId, ownPos, ownByText } = sandingView(id, s);
  const index = dutyIndex(ctx);
  const inForce = dutiesInForce(ctx, d);
  const byText = dutiesByText(ctx, d);
  const linked: string[] = [];
  // the same on every date (the index holds the duties of every 三定 version): once per text and computation
  const scores = ctx.local(`sanding:scores:${x.text}`, () => index.scores(x.text, MATCH_FLOOR));
  // best own and best other duty, walking only the duties the item shares a bigram with (ties: list order)
  let own: DutyRef | undefined;
  let ownScore = 0;
  let other: DutyRef | undefined;
  let otherScore = 0;
  for (const [text, sc] of scores) {
    for (const mine of ownByText.get(text) ?? []) {
      if (sc >= o.link) linked.push(mine.dutyId);
      if (sc > ownScore || (sc === ownScore && own && ownPos.get(mine)! < ownPos.get(own)!)) [own, ownScore] = [mine, sc];
    }
    if (sc < otherScore) continue;
    for (const duty of byText.get(text) ?? []) {
      if (duty.departmentId === id) continue;
      if (sc > otherScore || (other && inForce.indexOf(duty) < inForce.indexOf(other))) [other, otherScore] = [duty, sc];
    }
  }
  const itemRef = { itemCode: item, itemName: v.name, text: x.text, role: h.role };
  const unapproved = (detail: Detail) => ({ key: `unapproved|${item}`, detail, meta: { kind: 'unapproved-duty', about: [item, id] } });
  if (h.dutyIds?.length) {
    const resolved = h.dutyIds.filter((k) => byId.has(k));
    linked.push(...resolved);
    if (resolved.length) return { x, linked, link: { itemCode: item, dutyIds: resolved, by: 'explicit' } };
    return { x, linked, link: { itemCode: item, dutyIds: [], by: 'none' }, finding: unapproved({ item: itemRef, department: dept, reason: 'duty-ids-not-in-sanding', dutyIds: h.dutyIds, sanding: { from: s.effectiveFrom, document: s.document } }) };
  }
  if (own && ownScore >= o.link) return { x, linked, link: { itemCode: item, dutyIds: [own.dutyId], by: 'text', score: roundScore(ownScore) } };
  const link: Coverage['links'][number] = { itemCode: item, dutyIds: [], by: 'none', ...(own ? { score: roundScore(ownScore) } : {}) };
  if (other && otherScore >= o.deviation && otherScore - ownScore >= o.deviationMargin)
    return { x, linked, link, finding: { key: `deviation|${item}`, detail: { item: itemRef, department: dept, own: own ? dutyRef(own, ownScore) : null, other: dutyRef(other, otherScore) }, meta: { kind: 'duty-deviation', about: [item, id] } } };
  return { x, linked, link, finding: unapproved({ item: itemRef, department: dept, reason: 'no-matching-duty', bestMatch: own ? dutyRef(own, ownScore) : null, threshold: o.link }) };
}

/** What a department's held items add up to on a date: how many, whether one links to a duty, and (when needed) which. */
interface HeldSummary {
  n: number;
  linked: (dutyId: string) => boolean;
  held: () => HeldItem[];
}

/**
 * What a department's holdings say together on a date: abolished-holder, no-sanding, 职责缺失 (`details` keeps
 * the 职责缺失 details given on the dates before: an equal one is the same object).
 */
function departmentOn(id: string, state: DepartmentState | null, d: string, sum: HeldSummary, details?: Map<string, { s: IssueSanding; n: number; detail: Detail }>): { found: Map<string, Detail>; meta: Map<string, Meta>; s?: IssueSanding } {
  const found = new Map<string, Detail>();
  const meta = new Map<string, Meta>();
  const dept = { departmentId: id };
  const status = statusOn(state, d);
  if (status !== 'active') {
    if (sum.n) {
      found.set('abolished-holder', {
        department: { ...dept, status, ...(state ? { establishedOn: state.establishedOn } : {}), ...(state?.abolishedOn ? { abolishedOn: state.abolishedOn } : {}), ...(state?.successorId ? { successor: { departmentId: state.successorId } } : {}) },
        items: sum.held().map((x) => ({ itemCode: x.item, itemName: x.v.name, role: x.h.role, since: x.h.since })),
      });
      meta.set('abolished-holder', { kind: 'abolished-holder', about: [id] });
    }
    return { found, meta };
  }
  const s = sandingOn(state!, d);
  if (!s) {
    if (sum.n) {
      found.set('no-sanding', { department: dept, items: sum.n, itemCodes: sum.held().slice(0, 50).map((x) => x.item) });
      meta.set('no-sanding', { kind: 'no-sanding', about: [id] });
    }
    return { found, meta };
  }
  const { duties, nonPower } = sandingView(id, s);
  for (const duty of duties) {
    if (sum.linked(duty.dutyId) || nonPower.has(duty)) continue;
    const key = `missing|${duty.dutyId}`;
    const last = details?.get(key);
    if (last && last.s === s && last.n === sum.n) found.set(key, last.detail);
    else {
      const detail = { department: dept, duty: dutyRef(duty), sanding: { from: s.effectiveFrom, document: s.document }, itemsHeld: sum.n };
      found.set(key, detail);
      details?.set(key, { s, n: sum.n, detail });
    }
    meta.set(key, { kind: 'duty-missing', about: [id, duty.dutyId] });
  }
  return { found, meta, s };
}

/** What a department's holdings say on a date: findings about it and its 三定 coverage (/api/gaps). */
export function departmentAt(ctx: RegionContext, id: string, d: string): { found: Map<string, Detail>; meta: Map<string, Meta>; coverage?: Coverage } {
  const state = ctx.department(id);
  const items = itemsOfDepartment(ctx, id)
    .map((x) => itemOn(ctx, id, state, x, d))
    .filter((x): x is ItemOn => !!x);
  const linkedDuties = new Set(items.flatMap((i) => i.linked));
  const r = departmentOn(id, state, d, { n: items.length, linked: (k) => linkedDuties.has(k), held: () => items.map((i) => i.x) });
  if (!r.s) return r;
  const links: Coverage['links'] = [];
  for (const i of items) {
    if (i.link) links.push(i.link);
    if (i.finding) (r.found.set(i.finding.key, i.finding.detail), r.meta.set(i.finding.key, i.finding.meta));
  }
  const { duties, nonPower } = sandingView(id, r.s);
  const countable = duties.filter((x) => !nonPower.has(x) || linkedDuties.has(x.dutyId));
  const withDutyItems = countable.filter((x) => linkedDuties.has(x.dutyId)).length;
  const withDuties = links.filter((l) => l.by !== 'none').length;
  const coverage: Coverage = {
    departmentId: id,
    duties: countable.length,
    dutiesWithItems: withDutyItems,
    items: items.length,
    itemsWithDuties: withDuties,
    dutyCoverage: countable.length ? roundScore(withDutyItems / countable.length) : null,
    itemCoverage: items.length ? roundScore(withDuties / items.length) : null,
    links,
  };
  return { found: r.found, meta: r.meta, coverage };
}

/** The dates a department's 三定 answers can change on besides its items' own: its dates, and the others' (职责偏离 compares with their duties). */
function departmentDatesRead(ctx: RegionContext, id: string, state: DepartmentState | null): Array<string | undefined> {
  const dates: Array<string | undefined> = [ctx.region.since, ...departmentDates(state)];
  if (state?.sanding?.length) for (const other of ctx.departmentIds()) dates.push(...departmentDates(ctx.department(other)));
  return dates;
}

/** Whether two answers of an item count the same in its department's aggregate (departmentOn: n, linked, held()). */
function samePart(a: ItemOn | null, b: ItemOn | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  if (a.x.item !== b.x.item || a.x.v.name !== b.x.v.name || a.x.h.role !== b.x.h.role || a.x.h.since !== b.x.h.since) return false;
  return a.linked.length === b.linked.length && a.linked.every((k, i) => k === b.linked[i]);
}

/** An item's answers on the dates they can change on (each holds until the next date). */
type ItemTimeline = { dates: string[]; states: Array<ItemOn | null> };

/**
 * A department's 三定 findings, as a unit per (department, item) — the item's link and its own findings
 * over the item's dates, the department's and the others' — and one per department over every date for
 * what the department's holdings say together (abolished-holder, no-sanding, duty-missing): a transfer
 * computes again the two items it moves, and the two departments' aggregates from the items' answers.
 */
function* departmentFindings(ctx: RegionContext, id: string) {
  const items = itemsOfDepartment(ctx, id);
  const timelines: ItemTimeline[] = [];
  let n = 0;
  for (const x of items) {
    // a department may hold thousands of items: let the job yield between its item units (bounded slices)
    if (++n % 16 === 0) yield;
    timelines.push(
      ctx.unit(`sanding|${id}|${x.item}`, () => {
        const state = ctx.department(id);
        ctx.entry(ctx.region.code, x.item); // what the item's answers read (the same objects as x's)
        ctx.catalog(x.item);
        const dates = new Set<string | undefined>(departmentDatesRead(ctx, id, state));
        for (const d of x.tl.dates) dates.add(d);
        for (const v of x.versions) dates.add(v.from);
        const list = sortedDates(dates).filter((d) => d >= ctx.region.since);
        const states = list.map((d) => itemOn(ctx, id, state, x, d));
        const meta = new Map<string, Meta>();
        let i = 0;
        const found = keyedSegmentsOver(list, () => {
          const m = new Map<string, Detail>();
          const f = states[i++]?.finding;
          if (f) (m.set(f.key, f.detail), meta.set(f.key, f.meta));
          return m;
        });
        ctx.addAll(found, meta);
        return { dates: list, states };
      }),
    );
  }
  ctx.unit(`sanding|${id}`, () => {
    const state = ctx.department(id);
    const own = itemsOfDepartment(ctx, id); // what the items' answers were read from (the department's entries)
    const dates = new Set<string | undefined>(departmentDatesRead(ctx, id, state));
    if (state?.sanding?.length) dutyIndex(ctx);
    for (const { tl, versions } of own) {
      for (const d of tl.dates) dates.add(d);
      for (const v of versions) dates.add(v.from);
    }
    const list = sortedDates(dates).filter((d) => d >= ctx.region.since);
    const meta = new Map<string, Meta>();
    const details = new Map<string, { s: IssueSanding; n: number; detail: Detail }>();
    // a sweep over the dates: the items whose answer changes on a date, and the count of held items linking to each duty
    const changes = new Map<string, Array<[item: number, state: ItemOn | null]>>();
    timelines.forEach((t, i) =>
      t.dates.forEach((d, k) => {
        const at = changes.get(d);
        if (at) at.push([i, t.states[k]]);
        else changes.set(d, [[i, t.states[k]]]);
      }),
    );
    const cur: Array<ItemOn | null> = timelines.map(() => null);
    const counts = new Map<string, number>();
    const count = (x: ItemOn, by: number) => {
      for (const k of x.linked) counts.set(k, (counts.get(k) ?? 0) + by);
    };
    const sum: HeldSummary = { n: 0, linked: (k) => (counts.get(k) ?? 0) > 0, held: () => cur.filter((x): x is ItemOn => !!x).map((x) => x.x) };
    // the department's answer changes only on its own dates and where an item's part in it does (held or not,
    // the duties it links to, what held() names): on every other date it is the answer of the date before
    const ownDates = new Set(departmentDates(state));
    let last: Map<string, Detail> | undefined;
    const found = keyedSegmentsOver(list, (d) => {
      let changed = false;
      for (const [i, next] of changes.get(d) ?? []) {
        const prev = cur[i];
        if (prev === next) continue;
        if (!samePart(prev, next)) {
          changed = true;
          if (prev) (sum.n--, count(prev, -1));
          if (next) (sum.n++, count(next, 1));
        }
        cur[i] = next;
      }
      if (last && !changed && !ownDates.has(d)) return last;
      const r = departmentOn(id, state, d, sum, details);
      for (const [k, m] of r.meta) meta.set(k, m);
      return (last = r.found);
    });
    ctx.addAll(found, meta);
  });
}

export const sandingFamily: FindingFamily = {
  ownRegionOnly: true,
  name: 'sanding',
  kinds: [
    {
      kind: 'abolished-holder',
      nameZh: '撤销（或未设立）部门仍持有事项',
      severity: 'red',
      group: 'gap',
      rank: 50,
      title: (d) => {
        const dep = d.department as { status: string };
        const st = dep.status === 'abolished' ? '已撤销' : dep.status === 'not-yet-established' ? '尚未设立' : '未登记';
        return `${nameOf(d.department)}${st}，仍持有 ${(d.items as unknown[]).length} 个事项`;
      },
    },
    { kind: 'no-sanding', nameZh: '部门无三定', severity: 'red', group: 'gap', rank: 60, title: (d) => `${nameOf(d.department)}持有 ${d.items} 个事项，但无施行中的三定` },
    {
      kind: 'unapproved-duty',
      // a lead (precision.ts): on the real lists items cite duties sharing no words with them (docs/findings.md)
      nameZh: '新增职责未核定（事项无三定职责依据）',
      severity: 'red',
      group: 'gap',
      rank: 70,
      title: (d) =>
        d.reason === 'duty-ids-not-in-sanding'
          ? `${nameOf(d.department)}「${itemOf(d).itemName}」所引职责 ${(d.dutyIds as string[]).join('、')} 不在施行中的三定内`
          : `${nameOf(d.department)}「${itemOf(d).itemName}」在本部门三定中找不到对应职责${d.bestMatch ? `（最接近 ${(d.bestMatch as { score: number }).score.toFixed(2)}）` : ''}`,
    },
    {
      kind: 'duty-deviation',
      // a lead (precision.ts): on the real lists items cite duties sharing no words with them (docs/findings.md)
      nameZh: '职责偏离',
      severity: 'red',
      group: 'gap',
      rank: 80,
      title: (d) => {
        const o = d.other as { text: string; score: number };
        return `${nameOf(d.department)}「${itemOf(d).itemName}」更接近${nameOf(d.other)}的职责「${cut(o.text)}」（${o.score.toFixed(2)}）`;
      },
    },
    {
      kind: 'duty-missing',
      // a lead (precision.ts): on the real lists items cite duties sharing no words with them (docs/findings.md)
      nameZh: '职责缺失（三定职责无对应事项）',
      severity: 'red',
      group: 'gap',
      rank: 90,
      title: (d) => `${nameOf(d.department)}三定职责「${cut((d.duty as { text: string }).text)}」没有对应的清单事项`,
    },
  ],
  *run(ctx) {
    for (const id of ctx.departmentIds()) {
      yield;
      yield* departmentFindings(ctx, id);
    }
  },
};
