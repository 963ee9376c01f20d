import { Warning } from './types';

/** A domain event as the domain sees it: a string-literal type and its data. */
export interface DomainEvent<T extends string = string, D = unknown> {
  type: T;
  data: D;
}

/** What a decision yields: the events to record, per stream, and the warnings to report. */
export interface Decision<E extends DomainEvent = DomainEvent> {
  events: E[];
  warnings: Warning[];
}

/** A decision that writes several streams at once, atomically: one `{ stream, events }` per stream. */
export interface MultiDecision<E extends DomainEvent = DomainEvent> {
  appends: Array<{ stream: string; events: E[] }>;
  warnings: Warning[];
}

export const decided = <E extends DomainEvent>(events: E[], warnings: Warning[] = []): Decision<E> => ({ events, warnings });

/** Fold events into state. */
export function fold<S, E>(evolve: (s: S, e: E) => S, initial: S, events: Iterable<E>): S {
  let s = initial;
  for (const e of events) s = evolve(s, e);
  return s;
}
