/** 四级四同: a holding's own wording differs from the catalogue version in force (name, type, basis, code). */
import { catalogVersionOn, deviations } from '../../../../domain/src';
import { Detail, FindingFamily, FindingKind, itemOf, nameOf } from '../family';
import { keyedSegmentsOver, sortedDates } from '../intervals';
import { RegionContext, entryAt } from '../region-context';

const FIELD_ZH: Record<string, string> = { name: '名称', type: '类型', basis: '依据', code: '编码' };

function* run(ctx: RegionContext) {
  for (const item of ctx.entries()) {
    yield;
    ctx.unit(`conformance|${item}`, () => itemFindings(ctx, item));
  }
}

/** One item's deviations from the catalogue (one unit). */
function itemFindings(ctx: RegionContext, item: string): void {
  const versions = ctx.catalog(item);
  if (versions.length === 0) return;
  const tl = ctx.entry(ctx.region.code, item);
  const dates = sortedDates([ctx.region.since, ...tl.dates, ...versions.map((v) => v.from)]).filter((d) => d >= ctx.region.since);
  const meta = new Map<string, { kind: FindingKind; about: string[] }>();
  const found = keyedSegmentsOver(dates, (d) => {
    const now = new Map<string, Detail>();
    const v = catalogVersionOn(versions, d);
    if (!v) return now;
    const itemRef = { itemCode: item, itemName: v.name, type: v.type };
    for (const h of entryAt(tl, d).holdings) {
      const devs = deviations(v, h.asPublished);
      if (devs.length === 0) continue;
      now.set(h.departmentId, {
        item: itemRef,
        department: { departmentId: h.departmentId },
        role: h.role,
        deviations: devs,
        catalogue: { from: v.from, document: v.document },
        listedSince: h.since,
        eventId: h.eventId,
      });
      meta.set(h.departmentId, { kind: 'conformance', about: [item, h.departmentId] });
    }
    return now;
  });
  ctx.addAll(found, meta);
}

export const conformanceFamily: FindingFamily = {
  ownRegionOnly: true,
  name: 'conformance',
  kinds: [
    {
      kind: 'conformance',
      nameZh: '四级四同偏差',
      severity: 'red',
      group: 'conformance',
      rank: 100,
      title: (d) => `${nameOf(d.department)}「${itemOf(d).itemName}」与目录不一致：${(d.deviations as Array<{ field: string }>).map((x) => FIELD_ZH[x.field] ?? x.field).join('、')}`,
    },
  ],
  run,
};
