import { QuanzeEvent } from '../../../domain/src';
import { Fact } from '../projection';
import { RegistryProjection } from '../registry/registry.projection';
import { createReadModels } from '../read-models';
import { ListDiff, diffListItems, regionList } from '../list/list.query';
import { Finding, findingsOn } from '../findings/findings.query';

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
}

/**
 * The registry as it would be after a change set: a temporary read model fed with every fact of the
 * live one and then the draft's decided-but-unappended events (as if recorded now), compared with the
 * live one on `at` — the list diff and the findings that would open and close. Nothing is recorded and
 * the live read model is not changed.
 */
export function previewChangeSet(view: RegistryProjection, q: { region: string; at: string; appends: Array<{ stream: string; events: QuanzeEvent[] }>; recordedAt: string }): ChangeSetPreview {
  const temp = createReadModels();
  let position = 0;
  for (const f of view.facts()) {
    for (const p of temp.projections) p.apply(f);
    position = f.position;
  }
  let i = 0;
  for (const a of q.appends) {
    for (const event of a.events) {
      const fact: Fact = { eventId: `draft:${i}`, position: position + ++i, recordedAt: q.recordedAt, stream: a.stream, event: structuredClone(event) };
      for (const p of temp.projections) p.apply(fact);
    }
  }
  const before = regionList(view, { region: q.region, at: q.at });
  const after = regionList(temp.view, { region: q.region, at: q.at });
  const was = findingsOn(view, { region: q.region, at: q.at }).findings;
  const will = findingsOn(temp.view, { region: q.region, at: q.at }).findings;
  const brief = (f: Finding): PreviewFinding => ({ id: f.id, kind: f.kind, severity: f.severity, lead: f.lead, title: f.title });
  const ids = (fs: Finding[]) => new Set(fs.map((f) => f.id));
  const wasIds = ids(was);
  const willIds = ids(will);
  return {
    region: q.region,
    at: q.at,
    diff: diffListItems(before.items, after.items),
    findings: { opened: will.filter((f) => !wasIds.has(f.id)).map(brief), closed: was.filter((f) => !willIds.has(f.id)).map(brief) },
  };
}

/** The date a preview looks at by default: the latest effective date of the held commands (else `today`). */
export function previewDate(commands: ReadonlyArray<{ body: Record<string, unknown> }>, today: string): string {
  let at = '';
  for (const c of commands) if (typeof c.body.effectiveFrom === 'string' && c.body.effectiveFrom > at) at = c.body.effectiveFrom;
  return at || today;
}
