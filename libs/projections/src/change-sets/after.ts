import { QuanzeEvent } from '../../../domain/src';
import { Fact } from '../projection';
import { RegistryProjection } from '../registry/registry.projection';
import { PreviewRegistry } from './preview-registry';
import { regionScope } from './preview';

/**
 * The registry read model as it will be once a change set's decided events are recorded: a temporary
 * read model (PreviewRegistry: the region scope's facts, the list entries the draft does not write lent by
 * the live one) fed the draft's events as if recorded at `recordedAt`. The live read model is not changed.
 * What a publication computes its edition's content on before the one append (editionAfterChangeSet).
 */
export function registryAfter(view: RegistryProjection, q: { region: string; appends: ReadonlyArray<{ stream: string; events: readonly QuanzeEvent[] }>; recordedAt: string }): RegistryProjection {
  const scope = regionScope(view, q.region);
  const temp = new PreviewRegistry(view, scope, new Set(q.appends.map((a) => a.stream)));
  let position = 0;
  for (const f of view.factsAbout(scope, (stream) => temp.feeds(stream))) {
    temp.apply(f);
    position = f.position;
  }
  let i = 0;
  for (const a of q.appends) {
    for (const event of a.events) {
      const fact: Fact = { eventId: `draft:${i}`, position: position + ++i, recordedAt: q.recordedAt, stream: a.stream, event: structuredClone(event) as QuanzeEvent };
      temp.apply(fact);
    }
  }
  return temp;
}
