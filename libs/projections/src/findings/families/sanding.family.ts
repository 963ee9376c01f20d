/**
 * Per department: 撤销部门仍持有事项, 部门无三定, and the 三定 checked against the lists — 新增职责未核定,
 * 职责偏离, 职责缺失 — with the department's 三定 coverage (departmentAt, also used by /api/gaps).
 */
import { CatalogVersion, Holding, catalogVersionOn, sandingOn } from '../../../../domain/src';
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
    const idx = ctx.engine.dutyIndex(`${ctx.region.code}|${ctx.asKnownAt ?? ''}`);
    idx.sync(texts);
    return idx;
  });
}

/** What a department's holdings say on a date: findings about it and its 三定 coverage. */
export function departmentAt(ctx: RegionContext, id: string, d: string): { found: Map<string, Detail>; meta: Map<string, { kind: FindingKind; about: string[] }>; coverage?: Coverage } {
  const o = ctx.o;
  const found = new Map<string, Detail>();
  const meta = new Map<string, { kind: FindingKind; about: string[] }>();
  const state = ctx.department(id);
  const held: Array<{ item: string; h: Holding; v: CatalogVersion; text: string }> = [];
  for (const { item, tl, versions } of itemsOfDepartment(ctx, id)) {
    const h = entryAt(tl, d).holdings.find((x) => x.departmentId === id);
    if (!h) continue;
    const v = catalogVersionOn(versions, d) ?? versions[0];
    held.push({ item, h, v, text: listName(h, v) });
  }
  const dept = { departmentId: id };
  const status = !state ? 'not-recorded' : d < state.establishedOn ? 'not-yet-established' : state.abolishedOn !== undefined && d >= state.abolishedOn ? 'abolished' : 'active';
  if (status !== 'active') {
    if (held.length) {
      found.set('abolished-holder', {
        department: { ...dept, status, ...(state ? { establishedOn: state.establishedOn } : {}), ...(state?.abolishedOn ? { abolishedOn: state.abolishedOn } : {}), ...(state?.successorId ? { successor: { departmentId: state.successorId } } : {}) },
        items: held.map((x) => ({ itemCode: x.item, itemName: x.v.name, role: x.h.role, since: x.h.since })),
      });
      meta.set('abolished-holder', { kind: 'abolished-holder', about: [id] });
    }
    return { found, meta };
  }
  const s = sandingOn(state!, d);
  if (!s) {
    if (held.length) {
      found.set('no-sanding', { department: dept, items: held.length, itemCodes: held.slice(0, 50).map((x) => x.item) });
      meta.set('no-sanding', { kind: 'no-sanding', about: [id] });
    }
    return { found, meta };
  }
  const duties = dutiesOf(s, id);
  const byId = new Map(duties.map((x) => [x.dutyId, x]));
  const index = dutyIndex(ctx);
  const inForce = dutiesInForce(ctx, d);
  const byText = dutiesByText(ctx, d);
  const ownPos = new Map(duties.map((x, i) => [x, i]));
  const ownByText = new Map<string, DutyRef[]>();
  for (const x of duties) ownByText.set(x.text, [...(ownByText.get(x.text) ?? []), x]);
  const linkedDuties = new Set<string>();
  const links: Coverage['links'] = [];
  const dutyRef = (x: DutyRef, score?: number) => ({ departmentId: x.departmentId, dutyId: x.dutyId, text: x.text, ...(x.organ ? { organ: x.organ } : {}), ...(score !== undefined ? { score: roundScore(score) } : {}) });
  for (const x of held) {
    // the same on every date (the index holds the duties of every 三定 version): once per text and computation
    const scores = ctx.local(`sanding:scores:${x.text}`, () => index.scores(x.text, MATCH_FLOOR));
    // best own and best other duty, walking only the duties the item shares a bigram with (ties: list order)
    let own: DutyRef | undefined;
    let ownScore = 0;
    let other: DutyRef | undefined;
    let otherScore = 0;
    for (const [text, sc] of scores) {
      for (const mine of ownByText.get(text) ?? []) {
        if (sc >= o.link) linkedDuties.add(mine.dutyId);
        if (sc > ownScore || (sc === ownScore && own && ownPos.get(mine)! < ownPos.get(own)!)) [own, ownScore] = [mine, sc];
      }
      if (sc < otherScore) continue;
      for (const duty of byText.get(text) ?? []) {
        if (duty.departmentId === id) continue;
        if (sc > otherScore || (other && inForce.indexOf(duty) < inForce.indexOf(other))) [other, otherScore] = [duty, sc];
      }
    }
    const itemRef = { itemCode: x.item, itemName: x.v.name, text: x.text, role: x.h.role };
    if (x.h.dutyIds?.length) {
      const resolved = x.h.dutyIds.filter((k) => byId.has(k));
      for (const k of resolved) linkedDuties.add(k);
      if (resolved.length) {
        links.push({ itemCode: x.item, dutyIds: resolved, by: 'explicit' });
        continue;
      }
      links.push({ itemCode: x.item, dutyIds: [], by: 'none' });
      found.set(`unapproved|${x.item}`, { item: itemRef, department: dept, reason: 'duty-ids-not-in-sanding', dutyIds: x.h.dutyIds, sanding: { from: s.effectiveFrom, document: s.document } });
      meta.set(`unapproved|${x.item}`, { kind: 'unapproved-duty', about: [x.item, id] });
      continue;
    }
    if (own && ownScore >= o.link) {
      links.push({ itemCode: x.item, dutyIds: [own.dutyId], by: 'text', score: roundScore(ownScore) });
      continue;
    }
    links.push({ itemCode: x.item, dutyIds: [], by: 'none', ...(own ? { score: roundScore(ownScore) } : {}) });
    if (other && otherScore >= o.deviation && otherScore - ownScore >= o.deviationMargin) {
      found.set(`deviation|${x.item}`, { item: itemRef, department: dept, own: own ? dutyRef(own, ownScore) : null, other: dutyRef(other, otherScore) });
      meta.set(`deviation|${x.item}`, { kind: 'duty-deviation', about: [x.item, id] });
    } else {
      found.set(`unapproved|${x.item}`, { item: itemRef, department: dept, reason: 'no-matching-duty', bestMatch: own ? dutyRef(own, ownScore) : null, threshold: o.link });
      meta.set(`unapproved|${x.item}`, { kind: 'unapproved-duty', about: [x.item, id] });
    }
  }
  for (const duty of duties) {
    if (linkedDuties.has(duty.dutyId) || NON_POWER_DUTY.test(duty.text)) continue;
    found.set(`missing|${duty.dutyId}`, { department: dept, duty: dutyRef(duty), sanding: { from: s.effectiveFrom, document: s.document }, itemsHeld: held.length });
    meta.set(`missing|${duty.dutyId}`, { kind: 'duty-missing', about: [id, duty.dutyId] });
  }
  const countable = duties.filter((x) => !NON_POWER_DUTY.test(x.text) || linkedDuties.has(x.dutyId));
  const withItems = countable.filter((x) => linkedDuties.has(x.dutyId)).length;
  const withDuties = links.filter((l) => l.by !== 'none').length;
  const coverage: Coverage = {
    departmentId: id,
    duties: countable.length,
    dutiesWithItems: withItems,
    items: held.length,
    itemsWithDuties: withDuties,
    dutyCoverage: countable.length ? roundScore(withItems / countable.length) : null,
    itemCoverage: held.length ? roundScore(withDuties / held.length) : null,
    links,
  };
  return { found, meta, coverage };
}

function departmentFindings(ctx: RegionContext, id: string): void {
  const state = ctx.department(id);
  const dates = new Set<string | undefined>([ctx.region.since, ...departmentDates(state)]);
  for (const { tl, versions } of itemsOfDepartment(ctx, id)) {
    for (const d of tl.dates) dates.add(d);
    for (const v of versions) dates.add(v.from);
  }
  // 职责偏离 compares with the other departments' duties in force
  if (state?.sanding?.length) for (const other of ctx.departmentIds()) for (const d of departmentDates(ctx.department(other))) dates.add(d);
  const list = sortedDates(dates).filter((d) => d >= ctx.region.since);
  const meta = new Map<string, { kind: FindingKind; about: string[] }>();
  const found = keyedSegmentsOver(list, (d) => {
    const r = departmentAt(ctx, id, d);
    for (const [k, m] of r.meta) meta.set(k, m);
    return r.found;
  });
  ctx.addAll(found, meta);
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
      ctx.unit(`sanding|${id}`, () => departmentFindings(ctx, id));
    }
  },
};
