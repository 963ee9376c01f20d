/**
 * 定编制 warnings as findings (the ledger's kinds `overstaffed`, `over-leaders`, `unapproved-organ`,
 * `low-usage`), after the region's evaluation indicators (3.2自治区机构编制执行情况和使用效益评估指标体系):
 * 2.3.1 非政策性超编, 2.3.2 超职数配备领导干部, 2.2.1 擅自增设内设机构, 4.1.1 编制使用率 (bands).
 *
 * `staffingFindings` is pure: a department's folded staffing state (and the internal organs its held
 * items name, per date) in, timelines out. `attachStaffingFindings` registers it as a findings family of
 * a registry read model.
 */
import {
  ActualStaffingState,
  IssueSanding,
  actualStaffingOn,
  departmentActiveOn,
  departmentNameOn,
  sandingOn,
  staffingExcess,
  totalActual,
  usageBand,
  usageRate,
} from '../../../domain/src';
import type { RegistryProjection } from '../registry/registry.projection';
import type { Detail, FindingFamily, FindingKind, FindingTimeline } from '../findings/family';
import { findingId } from '../findings/finding-id';
import { keyedSegmentsOver, sortedDates } from '../findings/intervals';
import { RegionContext, entryAt } from '../findings/region-context';
import type { StaffingProjection } from './staffing.projection';

/** The internal organs (承办机构) a department's held items name from a date on: organ name → item codes. */
export interface OrgansInUse {
  from: string;
  organs: Map<string, string[]>;
}

export interface DepartmentStaffingInput {
  departmentId: string;
  state: ActualStaffingState;
  /** In effective order; each holds until the next. */
  organsInUse?: OrgansInUse[];
}

const organsOn = (list: OrgansInUse[] | undefined, d: string) => {
  let found: OrgansInUse | undefined;
  for (const o of list ?? []) if (o.from <= d) found = o;
  return found?.organs;
};

const normalise = (s: string) => s.replace(/\s+/g, '');

/** A 三定 names an organ when one of its internal organs has that name (spaces aside). */
const names = (s: IssueSanding, organ: string) => s.internalOrgans.some((o) => normalise(o.name) === normalise(organ));

/** The staffing findings of one region's departments, as timelines over the valid axis. */
export function staffingFindings(regionCode: string, departments: DepartmentStaffingInput[]): FindingTimeline[] {
  const out: FindingTimeline[] = [];
  for (const input of departments) {
    const { state, departmentId } = input;
    const d = state.department;
    if (!d) continue;
    const dates = sortedDates([d.establishedOn, d.abolishedOn, ...(d.sanding ?? []).map((s) => s.from), ...state.reports.map((r) => r.effectiveFrom), ...(input.organsInUse ?? []).map((o) => o.from)]);
    const department = { departmentId };
    const segments = keyedSegmentsOver(dates, (date) => {
      const now = new Map<string, Detail>();
      if (!departmentActiveOn(d, date)) return now;
      const sanding = sandingOn(d, date);
      const actual = actualStaffingOn(state.reports, date);
      if (sanding && actual) {
        const x = staffingExcess(sanding.staffing, actual);
        for (const c of x.categories) now.set(`overstaffed\u0000${c.category}`, { department, category: c.category, authorized: c.authorized, actual: c.actual, indicator: '2.3.1' });
        for (const l of x.leaders) now.set(`over-leaders\u0000${l.post}`, { department, post: l.post, authorized: l.authorized, actual: l.actual, indicator: '2.3.2' });
        const used = totalActual(actual);
        const rate = usageRate(used, sanding.staffing.authorized);
        const band = usageBand(rate);
        if (band && rate !== null) {
          now.set('low-usage\u0000', { department, used, authorized: sanding.staffing.authorized, usage: Math.round(rate * 10_000) / 10_000, band: band.band, bandLabel: band.label, deduction: band.deduction, indicator: '4.1.1' });
        }
      }
      if (sanding) {
        const own = normalise(departmentNameOn(d, date));
        for (const [organ, items] of organsOn(input.organsInUse, date) ?? []) {
          if (normalise(organ) === own || names(sanding, organ)) continue;
          now.set(`unapproved-organ\u0000${organ}`, { department, organ, items: [...items].sort(), sanding: { effectiveFrom: sanding.effectiveFrom, document: sanding.document }, indicator: '2.2.1' });
        }
      }
      return now;
    });
    for (const [key, segs] of segments) {
      const [kind, what] = key.split('\u0000') as [FindingKind, string];
      const id = findingId(kind, regionCode, what ? [departmentId, what] : [departmentId]);
      out.push({ id, kind, region: regionCode, regions: [regionCode], segments: segs });
    }
  }
  return out;
}

const nameOf = (d: Detail) => ((d.department as { departmentName?: string; departmentId: string }).departmentName ?? (d.department as { departmentId: string }).departmentId) as string;
const pct = (u: number) => `${Math.round(u * 1000) / 10}%`;

/** The staffing read model each registry read model sees (set where the read models are made: createReadModels). */
const linked = new WeakMap<RegistryProjection, StaffingProjection>();
export function attachStaffing(view: RegistryProjection, staffing: StaffingProjection): void {
  linked.set(view, staffing);
}

/** 定编制 as a finding family: departments from the staffing read model, the organs their items name from the lists. */
export const staffingFamily: FindingFamily = {
  ownRegionOnly: true,
  name: 'staffing',
  kinds: [
    {
      kind: 'overstaffed',
      nameZh: '超编（实有人员超过核定编制）',
      severity: 'red',
      group: 'ledger',
      rank: 110,
      title: (d) => `${nameOf(d)}${d.category === '合计' ? '' : d.category}实有 ${d.actual} 人，超过核定编制 ${d.authorized} 名（超编，指标 2.3.1）`,
    },
    {
      kind: 'over-leaders',
      nameZh: '超职数配备领导干部',
      severity: 'red',
      group: 'ledger',
      rank: 120,
      title: (d) => `${nameOf(d)}${d.post === '合计' ? '领导职数' : d.post}实配 ${d.actual} 名，超过核定 ${d.authorized} 名（超职数配备，指标 2.3.2）`,
    },
    {
      kind: 'unapproved-organ',
      nameZh: '擅自设立内设机构',
      severity: 'red',
      group: 'ledger',
      rank: 130,
      title: (d) => `${nameOf(d)}「${d.organ}」承办 ${(d.items as string[]).length} 个事项，但施行中的三定未设该内设机构（擅自设立机构，指标 2.2.1）`,
    },
    {
      kind: 'low-usage',
      nameZh: '编制使用率偏低（编制闲置）',
      severity: 'blue',
      group: 'ledger',
      rank: 140,
      title: (d) => `${nameOf(d)}编制使用率 ${pct(d.usage as number)}（${d.used}/${d.authorized}，${d.bandLabel}，指标 4.1.1 扣 ${d.deduction} 分）`,
    },
  ],
  run(ctx: RegionContext) {
    const staffing = linked.get(ctx.view);
    if (!staffing) return;
    const organs = organsInUseByDepartment(ctx);
    const inputs = staffing.departmentIds(ctx.region.code).map((id) => ({ departmentId: id, state: staffing.staffing(id, ctx.asKnownAt), organsInUse: organs.get(id) }));
    for (const t of staffingFindings(ctx.region.code, inputs)) ctx.addTimeline(t);
  },
};

/** Per department of the region: the organs (承办机构) its held items name, from each date where that changes. */
function organsInUseByDepartment(ctx: RegionContext): Map<string, OrgansInUse[]> {
  const byDept = new Map<string, Array<ReturnType<RegionContext['entry']> & { item: string }>>();
  for (const item of ctx.entries()) {
    const tl = ctx.entry(ctx.region.code, item);
    const withOrgan = new Set<string>();
    for (const s of tl.states) for (const h of s.holdings) if (h.internalOrgan?.trim()) withOrgan.add(h.departmentId);
    for (const id of withOrgan) {
      const list = byDept.get(id) ?? [];
      list.push({ ...tl, item });
      byDept.set(id, list);
    }
  }
  const out = new Map<string, OrgansInUse[]>();
  for (const [id, entries] of byDept) {
    const dates = sortedDates(entries.flatMap((e) => e.dates));
    out.set(
      id,
      dates.map((from) => {
        const organs = new Map<string, string[]>();
        for (const e of entries) {
          for (const h of entryAt(e, from).holdings) {
            const organ = h.internalOrgan?.trim();
            if (h.departmentId !== id || !organ) continue;
            const items = organs.get(organ) ?? [];
            items.push(e.item);
            organs.set(organ, items);
          }
        }
        return { from, organs };
      }),
    );
  }
  return out;
}
