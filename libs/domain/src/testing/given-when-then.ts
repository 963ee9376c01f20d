import { Decision, DomainEvent, MultiDecision } from '../shared/decider';
import { DomainError } from '../shared/types';

/**
 * Given/When/Then for deciders, after Emmett's DeciderSpecification:
 *   spec(ctx => decide(cmd, ctx)).given(state).when(cmd).then(events) / .thenFails(code)
 */
export function deciderSpec<C, S, E extends DomainEvent>(decide: (cmd: C, state: S) => Decision<E>) {
  return {
    given(state: S) {
      return {
        when(cmd: C) {
          const run = () => decide(cmd, state);
          return {
            then(expected: Array<Pick<E, 'type'> & { data?: Partial<E['data']> }>, warnings: string[] = []): void {
              const d = run();
              expect(d.events.map((e) => e.type)).toEqual(expected.map((e) => e.type));
              d.events.forEach((e, i) => expected[i].data && expect(e.data).toMatchObject(expected[i].data as object));
              expect(d.warnings.map((w) => w.code)).toEqual(warnings);
            },
            thenFails: (code: string): void => expectDomainError(run, code),
          };
        },
      };
    },
  };
}

/**
 * The same for multi-stream decisions ({ appends: [{ stream, events }], warnings }): Then names, per
 * stream in order, the event types (and optionally data) it appends.
 */
export function multiDeciderSpec<C, S, E extends DomainEvent>(decide: (cmd: C, state: S) => MultiDecision<E>) {
  return {
    given(state: S) {
      return {
        when(cmd: C) {
          const run = () => decide(cmd, state);
          return {
            then(expected: Array<{ stream: string; events: Array<Pick<E, 'type'> & { data?: Partial<E['data']> }> }>, warnings: string[] = []): void {
              const d = run();
              expect(d.appends.map((a) => ({ stream: a.stream, types: a.events.map((e) => e.type) }))).toEqual(
                expected.map((a) => ({ stream: a.stream, types: a.events.map((e) => e.type) })),
              );
              d.appends.forEach((a, i) => a.events.forEach((e, j) => expected[i].events[j].data && expect(e.data).toMatchObject(expected[i].events[j].data as object)));
              expect(d.warnings.map((w) => w.code)).toEqual(warnings);
            },
            thenFails: (code: string): void => expectDomainError(run, code),
          };
        },
      };
    },
  };
}

/** Then(error): the decision throws the domain error with this code. */
function expectDomainError(run: () => unknown, code: string): void {
  let caught: unknown;
  try {
    run();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(DomainError);
  expect((caught as DomainError).code).toBe(code);
}
