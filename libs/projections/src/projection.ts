import { QuanzeEvent } from '../../domain/src';
import { StoredEvent } from '../../event-store/src';

/** A stored event brought to the current domain shape, with where and when it was recorded. */
export interface Fact<E extends QuanzeEvent = QuanzeEvent> {
  eventId: string;
  position: number;
  recordedAt: string;
  stream: string;
  actor?: string;
  event: E;
}

export interface Projection {
  readonly name: string;
  /** Applies one event; must be deterministic (the same log gives the same state). */
  apply(fact: Fact, raw?: StoredEvent): void;
  /** A canonical, JSON-serialisable picture of the state, to compare a rebuild with the live one. */
  state(): unknown;
  reset(): void;
}
