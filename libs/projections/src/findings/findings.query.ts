/**
 * The answers of GET /api/overlaps, /api/gaps, /api/conformance and /api/findings (and the CLI verbs):
 * the findings holding on a date, each with its stable id, the dates it holds over, its explanation with
 * names as they were on that date, and its status in the findings ledger.
 */
import { ChangeFindingStatus, DocumentRef, FindingStatus, INITIAL_FINDING_STATUS, NotFoundError, RegionState, departmentNameOn } from '../../../domain/src';
import { RegistryProjection } from '../registry/registry.projection';
import { CONFORMANCE_KINDS, Coverage, Detail, FindingKind, FindingTimeline, GAP_KINDS, OVERLAP_KINDS, Severity, findingsEngine, kindRank, kindSpec } from './findings.engine';
import { SETTLED_STATE } from '../../../contract/src/findings';
import { Range, coveredRanges, inRange } from './intervals';

export { SETTLED_STATE };
import { parseFindingId } from './finding-id';

export interface FindingsQuery {
  region: string;
  at: string;
  asKnownAt?: string;
}

export interface FindingStatusChange {
  status: FindingStatus;
  from: FindingStatus;
  note?: string;
  document?: DocumentRef;
  recordedAt: string;
  eventId: string;
  /** Who changed it: shown to reviewers and admins only. */
  actor?: string;
}

export interface Finding extends Detail {
  id: string;
  kind: FindingKind;
  /** red 合规类 / blue 资源效益类 (by kind). */
  severity: Severity;
  /** A 线索 (lead): its kind's measured precision is below the ledger's bar (docs/findings.md). */
  lead: boolean;
  region: string;
  regions: string[];
  /** One line in Chinese: what is wrong. */
  title: string;
  /** The unbroken date range around `at` over which the finding holds ([from, until)). */
  from: string;
  until?: string;
  /** Every date range it holds over, as known. */
  holds: Range[];
  status: FindingStatus;
  history?: FindingStatusChange[];
}

interface Ctx {
  view: RegistryProjection;
  at: string;
  asKnownAt?: string;
  withActors?: boolean;
  regionNames: Map<string, string>;
}

function regionOrThrow(view: RegistryProjection, code: string, asKnownAt?: string): RegionState | null {
  if (!view.region(code)) throw new NotFoundError('UNKNOWN_REGION', `行政区划 ${code} 不存在`);
  return view.region(code, asKnownAt);
}

/** Names as they were on `at`: every { departmentId } gets departmentName, every { regionCode } regionName. */
function decorate(v: unknown, c: Ctx): unknown {
  if (Array.isArray(v)) return v.map((x) => decorate(x, c));
  if (!v || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) {
    out[k] = decorate(x, c);
    if (k === 'departmentId' && typeof x === 'string') {
      const d = findingsEngine(c.view).department(x, c.asKnownAt);
      out.departmentName = d ? departmentNameOn(d, c.at) : x;
    }
    if (k === 'regionCode' && typeof x === 'string') {
      let name = c.regionNames.get(x);
      if (name === undefined) c.regionNames.set(x, (name = c.view.region(x, c.asKnownAt)?.name ?? x));
      out.regionName = name;
    }
  }
  return out;
}

function ledgerOf(view: RegistryProjection, id: string, asKnownAt: string | undefined, withActors: boolean): { status: FindingStatus; history: FindingStatusChange[] } {
  const facts = view.findingFacts(id, asKnownAt);
  const history = facts.map((f) => ({
    status: f.event.data.status,
    from: f.event.data.from,
    ...(f.event.data.note ? { note: f.event.data.note } : {}),
    ...(f.event.data.document ? { document: f.event.data.document } : {}),
    recordedAt: f.recordedAt,
    eventId: f.eventId,
    ...(withActors && f.actor ? { actor: f.actor } : {}),
  }));
  return { status: history.length ? history[history.length - 1].status : INITIAL_FINDING_STATUS, history };
}

function present(t: FindingTimeline, c: Ctx, withHistory: boolean): Finding | undefined {
  const seg = t.segments.find((s) => inRange(s, c.at));
  if (!seg) return undefined;
  const holds = coveredRanges(t.segments);
  const around = holds.find((r) => inRange(r, c.at))!;
  const detail = decorate(seg.detail, c) as Detail;
  const ledger = ledgerOf(c.view, t.id, c.asKnownAt, !!c.withActors);
  return {
    id: t.id,
    kind: t.kind,
    region: t.region,
    regions: t.regions,
    severity: kindSpec(t.kind).severity,
    lead: !!kindSpec(t.kind).lead,
    title: kindSpec(t.kind).title(detail),
    from: around.from,
    ...(around.until !== undefined ? { until: around.until } : {}),
    holds,
    status: ledger.status,
    ...(withHistory ? { history: ledger.history } : {}),
    ...detail,
  };
}

const order = (a: Finding, b: Finding) =>
  kindRank(a.kind) - kindRank(b.kind) || (a.kind === 'similar' ? (b.score as number) - (a.score as number) : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Every finding of the region holding on `at` (of the kinds asked), as known at asKnownAt. */
export function findingsOn(view: RegistryProjection, q: FindingsQuery, o: { kinds?: FindingKind[]; withHistory?: boolean; withActors?: boolean } = {}): { region: RegionState | null; findings: Finding[]; tookMs: number } {
  const region = regionOrThrow(view, q.region, q.asKnownAt);
  if (!region) return { region: null, findings: [], tookMs: 0 };
  const r = findingsEngine(view).region(q.region, q.asKnownAt)!;
  const c: Ctx = { view, at: q.at, asKnownAt: q.asKnownAt, withActors: o.withActors, regionNames: new Map() };
  const kinds = o.kinds ? new Set(o.kinds) : undefined;
  const findings: Finding[] = [];
  for (const t of r.findings.values()) {
    if (kinds && !kinds.has(t.kind)) continue;
    const f = present(t, c, !!o.withHistory);
    if (f) findings.push(f);
  }
  return { region, findings: findings.sort(order), tookMs: r.tookMs };
}

/**
 * The findings of a region on `at` that one read model has and another has not, each way — what a change
 * set's preview opens and closes — presenting only those (not every finding of the region twice).
 * The same as comparing the ids of findingsOn(before) and findingsOn(after).
 */
export function findingsChanged(before: RegistryProjection, after: RegistryProjection, q: FindingsQuery): { opened: Finding[]; closed: Finding[] } {
  const holding = (view: RegistryProjection) => {
    if (!regionOrThrow(view, q.region, q.asKnownAt)) return new Map<string, FindingTimeline>();
    const out = new Map<string, FindingTimeline>();
    for (const t of findingsEngine(view).region(q.region, q.asKnownAt)!.findings.values()) if (t.segments.some((x) => inRange(x, q.at))) out.set(t.id, t);
    return out;
  };
  const was = holding(before);
  const will = holding(after);
  const shown = (view: RegistryProjection, ts: FindingTimeline[]) => {
    const c: Ctx = { view, at: q.at, asKnownAt: q.asKnownAt, regionNames: new Map() };
    return ts.map((t) => present(t, c, false)!).sort(order);
  };
  return {
    opened: shown(after, [...will.values()].filter((t) => !was.has(t.id))),
    closed: shown(before, [...was.values()].filter((t) => !will.has(t.id))),
  };
}

/** GET /api/overlaps: conflicts, similar duties and items, multi-level duplication. */
export function overlaps(view: RegistryProjection, q: FindingsQuery): Finding[] {
  return findingsOn(view, q, { kinds: OVERLAP_KINDS }).findings;
}

/** GET /api/conformance: 四级四同 deviations, one finding per item and department, each with its fields. */
export function conformance(view: RegistryProjection, q: FindingsQuery): Finding[] {
  return findingsOn(view, q, { kinds: CONFORMANCE_KINDS }).findings;
}

export interface GapsAnswer {
  region: string;
  regionName: string | null;
  at: string;
  asKnownAt: string | null;
  unowned: Finding[];
  'abolished-holder': Finding[];
  'no-sanding': Finding[];
  'unapproved-duty': Finding[];
  'duty-deviation': Finding[];
  'duty-missing': Finding[];
  /** Per department with a 三定 in force: share of duties with items and of items with duties. */
  coverage: Record<string, Coverage & { departmentName: string }>;
}

/** GET /api/gaps: unowned items, abolished holders, and the 三定 checked against the lists. */
export function gaps(view: RegistryProjection, q: FindingsQuery): GapsAnswer {
  const { region, findings } = findingsOn(view, q, { kinds: GAP_KINDS });
  const by = (k: FindingKind) => findings.filter((f) => f.kind === k);
  const coverage: GapsAnswer['coverage'] = {};
  if (region) {
    for (const c of findingsEngine(view).coverage(q.region, q.at, q.asKnownAt)) {
      const d = view.department(c.departmentId, q.asKnownAt);
      coverage[c.departmentId] = { ...c, departmentName: d ? departmentNameOn(d, q.at) : c.departmentId };
    }
  }
  return {
    region: q.region,
    regionName: region?.name ?? null,
    at: q.at,
    asKnownAt: q.asKnownAt ?? null,
    unowned: by('unowned'),
    'abolished-holder': by('abolished-holder'),
    'no-sanding': by('no-sanding'),
    'unapproved-duty': by('unapproved-duty'),
    'duty-deviation': by('duty-deviation'),
    'duty-missing': by('duty-missing'),
    coverage,
  };
}

/** A finding's state in the office's view: its ledger status, or 已由职责分工解决 when a clause settles it (and it is not closed). */
export type FindingState = FindingStatus | typeof SETTLED_STATE;
export const stateOf = (f: Finding): FindingState => (f.settledBy && f.status !== '已销号' ? SETTLED_STATE : f.status);

export interface DepartmentGroup {
  departmentId: string;
  departmentName: string;
  total: number;
  red: number;
  blue: number;
  settled: number;
  byKind: Partial<Record<FindingKind, number>>;
  /** The department's findings, the top problems first (red, open, by kind). */
  findingIds: string[];
}

export interface LedgerAnswer {
  region: string;
  regionName: string | null;
  at: string;
  asKnownAt: string | null;
  counts: {
    total: number;
    byKind: Partial<Record<FindingKind, number>>;
    byStatus: Record<FindingStatus, number>;
    /** byStatus with settled findings counted apart (已由职责分工解决). */
    byState: Record<FindingState, number>;
    settled: number;
    bySeverity: Record<Severity, number>;
    /** 线索: findings of kinds whose precision is below the ledger's bar, counted, listed with ?leads=. */
    leads: { total: number; byKind: Partial<Record<FindingKind, number>> };
  };
  /** The findings shown, by department (a finding about two departments is in both), most red first. */
  byDepartment: DepartmentGroup[];
  /** Milliseconds spent computing the region's findings (0 when they came from the cache). */
  computedInMs: number;
  findings: Finding[];
}

/** Every department a finding is about (leads, both sides, the department, holders), in order of mention. */
export function departmentsOf(f: Finding): Array<{ departmentId: string; departmentName: string }> {
  const out = new Map<string, string>();
  const walk = (v: unknown, depth: number) => {
    if (!v || typeof v !== 'object' || depth > 4) return;
    if (Array.isArray(v)) return v.forEach((x) => walk(x, depth + 1));
    const o = v as Record<string, unknown>;
    if (typeof o.departmentId === 'string' && !out.has(o.departmentId)) out.set(o.departmentId, (o.departmentName as string) ?? o.departmentId);
    for (const [k, x] of Object.entries(o)) if (k !== 'settledBy' && k !== 'own' && k !== 'bestMatch') walk(x, depth + 1);
  };
  walk(f, 0);
  return [...out].map(([departmentId, departmentName]) => ({ departmentId, departmentName }));
}

/** Top problems first: red before blue, open before settled, then the ledger's order. */
const urgency = (f: Finding) => (f.severity === 'red' ? 0 : 2) + (stateOf(f) === SETTLED_STATE || f.status === '已销号' ? 1 : 0);

/**
 * GET /api/findings: the ledger — every finding on `at` with its status (default 待派发) and status
 * history; leads (线索) are counted and listed only when asked (`leads: 'include' | 'only'`).
 */
export function findingsLedger(view: RegistryProjection, q: FindingsQuery & { status?: FindingStatus; kind?: FindingKind; leads?: 'include' | 'only' }, o: { withActors?: boolean } = {}): LedgerAnswer {
  const { region, findings: all, tookMs } = findingsOn(view, q, { withHistory: true, withActors: o.withActors, ...(q.kind ? { kinds: [q.kind] } : {}) });
  const leadsByKind: Partial<Record<FindingKind, number>> = {};
  for (const f of all) if (f.lead) leadsByKind[f.kind] = (leadsByKind[f.kind] ?? 0) + 1;
  const findings = all.filter((f) => (q.leads === 'include' ? true : q.leads === 'only' ? f.lead : !f.lead));
  const byStatus: Record<FindingStatus, number> = { 待派发: 0, 核查中: 0, 已销号: 0 };
  const byState: Record<FindingState, number> = { 待派发: 0, 核查中: 0, 已销号: 0, [SETTLED_STATE]: 0 };
  for (const f of findings) {
    byStatus[f.status]++;
    byState[stateOf(f)]++;
  }
  const shown = q.status ? findings.filter((f) => f.status === q.status) : findings;
  const byKind: Partial<Record<FindingKind, number>> = {};
  const bySeverity: Record<Severity, number> = { red: 0, blue: 0 };
  const groups = new Map<string, DepartmentGroup & { list: Finding[] }>();
  for (const f of shown) {
    byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
    bySeverity[f.severity]++;
    for (const d of departmentsOf(f)) {
      let g = groups.get(d.departmentId);
      if (!g) groups.set(d.departmentId, (g = { ...d, total: 0, red: 0, blue: 0, settled: 0, byKind: {}, findingIds: [], list: [] }));
      g.total++;
      g[f.severity]++;
      if (stateOf(f) === SETTLED_STATE) g.settled++;
      g.byKind[f.kind] = (g.byKind[f.kind] ?? 0) + 1;
      g.list.push(f);
    }
  }
  const byDepartment = [...groups.values()]
    .sort((a, b) => b.red - a.red || b.total - a.total || (a.departmentName < b.departmentName ? -1 : a.departmentName > b.departmentName ? 1 : 0))
    .map(({ list, ...g }) => ({ ...g, findingIds: [...list].sort((x, y) => urgency(x) - urgency(y) || order(x, y)).map((f) => f.id) }));
  return {
    region: q.region,
    regionName: region?.name ?? null,
    at: q.at,
    asKnownAt: q.asKnownAt ?? null,
    counts: { total: shown.length, byKind, byStatus, byState, settled: byState[SETTLED_STATE], bySeverity, leads: { total: Object.values(leadsByKind).reduce((s: number, n) => s + (n ?? 0), 0), byKind: leadsByKind } },
    byDepartment,
    computedInMs: tookMs,
    findings: shown,
  };
}

/** A finding by its id, as known now (on any date): what the ledger needs to accept a status change. */
export function findingById(view: RegistryProjection, id: string): FindingTimeline | undefined {
  const p = parseFindingId(id);
  if (!p || !view.region(p.region)) return undefined;
  const r = findingsEngine(view).region(p.region);
  return r?.findings.get(id);
}

/**
 * The command that changes a finding's status, for the API and the CLI alike: the finding must exist (as
 * known now, on some date), and its kind and region are copied in. Unknown id: UNKNOWN_FINDING.
 */
export function findingStatusCommand(view: RegistryProjection, findingId: unknown, change: { status: FindingStatus; note?: string; document?: DocumentRef }): ChangeFindingStatus {
  const finding = typeof findingId === 'string' && findingId.length <= 64 ? findingById(view, findingId) : undefined;
  if (!finding) throw new NotFoundError('UNKNOWN_FINDING', `发现 ${String(findingId).slice(0, 64)} 不存在（按现有记录从未出现）`);
  return { findingId: finding.id, status: change.status, ...(change.note !== undefined ? { note: change.note } : {}), ...(change.document ? { document: change.document } : {}), kind: finding.kind, regionCode: finding.region };
}
