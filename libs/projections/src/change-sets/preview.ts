import { QuanzeEvent, assignmentStream, entryOn } from '../../../domain/src';
import { Fact } from '../projection';
import { RegistryProjection } from '../registry/registry.projection';
import { StaffingProjection } from '../staffing/staffing.projection';
import { attachStaffing } from '../staffing/staffing.findings';
import { PreviewRegistry } from './preview-registry';
import { ListDiff, ListItem, diffListItems, listItemOn, regionList } from '../list/list.query';
import { Finding, findingsChanged } from '../findings/findings.query';
import { findingsEngine, forkFindingsEngine } from '../findings/findings.engine';

export interface PreviewFinding {
  id: string;
  kind: Finding['kind'];
  severity: Finding['severity'];
  lead: boolean;
  title: string;
}

export interface ChangeSetPreview {
  region: string;
  at: string;
  diff: Pick<ListDiff, 'added' | 'removed' | 'transferred' | 'revised' | 'leadAdded'>;
  findings: { opened: PreviewFinding[]; closed: PreviewFinding[] };
  /** Where the time went: feeding the temporary read models, the lists, the findings (ms). */
  tookMs: { facts: number; list: number; findings: number };
}

/**
 * The registry as it would be after a change set: a temporary read model fed with the facts of the live
 * one that the region's list and findings depend on (the region, the regions above and below it, the
 * catalogue: RegistryProjection.factsAbout; of the list entries only the streams the draft writes, the
 * others read from the live one: PreviewRegistry) and then the draft's decided-but-unappended events (as if recorded now), compared with the
 * live one on `at` — the list diff and the findings that would open and close. Nothing is recorded and
 * the live read model is not changed.
 */
export function previewChangeSet(view: RegistryProjection, q: { region: string; at: string; appends: Array<{ stream: string; events: QuanzeEvent[] }>; recordedAt: string }): ChangeSetPreview {
  const t0 = performance.now();
  const scope = regionScope(view, q.region);
  // of the list entries, only the streams the draft writes are fed: the others are lent by the live read model (PreviewRegistry)
  const temp = { view: new PreviewRegistry(view, scope, new Set(q.appends.map((a) => a.stream))), staffing: new StaffingProjection() };
  attachStaffing(temp.view, temp.staffing);
  // only what the list and the findings read: the registry and the 实有人员 it is attached to (not editions, not change sets)
  const fed = [temp.view, temp.staffing];
  let position = 0;
  for (const f of view.factsAbout(scope, (stream) => temp.view.feeds(stream))) {
    for (const p of fed) p.apply(f);
    position = f.position;
  }
  let i = 0;
  const shared = temp.view.sharedChangeCount;
  for (const a of q.appends) {
    for (const event of a.events) {
      const fact: Fact = { eventId: `draft:${i}`, position: position + ++i, recordedAt: q.recordedAt, stream: a.stream, event: structuredClone(event) };
      for (const p of fed) p.apply(fact);
    }
  }
  const t1 = performance.now();
  const before = regionList(view, { region: q.region, at: q.at });
  // a draft that writes list entries only (no department, catalogue or retraction: sharedChangeCount) leaves every
  // other entry's answer the live one: only the entries it writes are folded again on the temporary read model
  const after = temp.view.sharedChangeCount === shared && temp.view.region(q.region) ? listAfter(before.items, temp.view, q.region, q.at, new Set(q.appends.map((a) => a.stream))) : regionList(temp.view, { region: q.region, at: q.at }).items;
  const t2 = performance.now();
  // the preview's engine starts from the live engine (its folds of what the draft does not write, its units,
  // its text indexes), so only what the draft touches is computed again; only the findings that differ are presented
  findingsEngine(view).region(q.region); // the live findings first: the fork starts from them
  forkFindingsEngine(view, temp.view, q.region, new Set(q.appends.map((a) => a.stream)));
  const changed = findingsChanged(view, temp.view, { region: q.region, at: q.at });
  const t3 = performance.now();
  const brief = (f: Finding): PreviewFinding => ({ id: f.id, kind: f.kind, severity: f.severity, lead: f.lead, title: f.title });
  return {
    region: q.region,
    at: q.at,
    diff: diffListItems(before.items, after),
    findings: { opened: changed.opened.map(brief), closed: changed.closed.map(brief) },
    tookMs: { facts: Math.round(t1 - t0), list: Math.round(t2 - t1), findings: Math.round(t3 - t2) },
  };
}

/** The region's list items after the draft: the live ones, but for the entries the draft writes (folded on `temp`), in code order. */
function listAfter(live: readonly ListItem[], temp: RegistryProjection, region: string, at: string, streams: ReadonlySet<string>): ListItem[] {
  const byCode = new Map(live.map((x) => [x.code, x]));
  const out: ListItem[] = [];
  for (const code of [...temp.itemCodesIn(region)].sort()) {
    const item = streams.has(assignmentStream(region, code)) ? listItemOn(temp, code, entryOn(temp.assignmentFacts(region, code), at), at) : byCode.get(code);
    if (item) out.push(item);
  }
  return out;
}

/** The region, the regions above it and every region below it: what its list and findings can depend on. */
export function regionScope(view: RegistryProjection, code: string): Set<string> {
  const scope = new Set<string>();
  for (let c: string | undefined = code; c && !scope.has(c); c = view.region(c)?.parentCode) scope.add(c);
  const below = [code];
  while (below.length) for (const child of view.childRegions(below.pop()!)) if (!scope.has(child)) (scope.add(child), below.push(child));
  return scope;
}
