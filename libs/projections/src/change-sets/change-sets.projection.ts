import { ChangeSetEvent, ChangeSetState, ChangeSetStatus, evolveChangeSet, fold, initialChangeSetState, statusAfter } from '../../../domain/src';
import { Fact, Projection } from '../projection';
import type { ChangeSetView } from '../../../contract/src';

/** The answer's shape is the contract's (libs/contract/src/change-sets.ts): one declaration. */
export type { ChangeSetView } from '../../../contract/src';
export type ChangeSetHistoryEntry = ChangeSetView['history'][number];

/**
 * 调整方案 read model: every change-set fact per change set, folded with the domain's own evolve for
 * GET /api/change-sets(/{id}). Only change-set events: what a draft holds never reaches the registry's
 * read model until its publication appends the commands' own events. Rebuilt = live.
 */
export class ChangeSetsProjection implements Projection {
  readonly name = 'change-sets';
  private readonly byId = new Map<string, Fact<ChangeSetEvent>[]>();

  apply(fact: Fact): void {
    if (!fact.stream.startsWith('changeset-') || !fact.event.type.startsWith('ChangeSet')) return;
    const id = fact.stream.slice('changeset-'.length);
    const list = this.byId.get(id);
    if (list) list.push(fact as Fact<ChangeSetEvent>);
    else this.byId.set(id, [fact as Fact<ChangeSetEvent>]);
  }

  reset(): void {
    this.byId.clear();
  }

  state(): unknown {
    return [...this.byId.keys()].sort().map((id) => [id, this.byId.get(id)!.map((f) => [f.eventId, f.position, f.recordedAt, f.actor ?? null, f.event])]);
  }

  /** One change set as the API answers it (undefined: no such change set). */
  get(id: string, o: { withActors?: boolean } = {}): ChangeSetView | undefined {
    const facts = this.byId.get(id);
    if (!facts?.length) return undefined;
    const s: ChangeSetState = fold(evolveChangeSet, initialChangeSetState, facts.map((f) => f.event));
    if (!s.status) return undefined;
    const history: ChangeSetHistoryEntry[] = [];
    let published: ChangeSetView['published'] = null;
    for (const f of facts) {
      const status = statusAfter(f.event);
      if (!status) continue;
      const note = 'note' in f.event.data ? (f.event.data as { note?: string }).note : undefined;
      history.push({ status, ...(note ? { note } : {}), recordedAt: f.recordedAt, ...(o.withActors !== false && f.actor ? { actor: f.actor } : {}) });
      if (f.event.type === 'ChangeSetPublished') {
        const d = f.event.data;
        published = { document: d.document, publishedOn: d.publishedOn, eventIds: d.eventIds, edition: d.edition ?? null, recordedAt: f.recordedAt };
      }
    }
    return {
      id,
      regionCode: s.regionCode!,
      title: s.title!,
      status: s.status,
      document: s.document ?? null,
      commands: s.commands.map((c) => ({ index: c.index, route: c.route, name: c.name, body: c.body, warnings: c.warnings })),
      history,
      version: facts.length - 1,
      openedAt: facts[0].recordedAt,
      updatedAt: facts[facts.length - 1].recordedAt,
      published,
    };
  }

  /** The change sets of a region (or all), newest first; `status` filters. */
  list(q: { region?: string; status?: ChangeSetStatus } = {}, o: { withActors?: boolean } = {}): ChangeSetView[] {
    const out: ChangeSetView[] = [];
    for (const id of this.byId.keys()) {
      const v = this.get(id, o);
      if (!v || (q.region && v.regionCode !== q.region) || (q.status && v.status !== q.status)) continue;
      out.push(v);
    }
    return out.sort((a, b) => (a.openedAt > b.openedAt ? -1 : a.openedAt < b.openedAt ? 1 : a.id < b.id ? -1 : 1));
  }
}
