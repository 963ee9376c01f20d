import { Decision, DomainEvent, MultiDecision } from '../shared/decider';
import { DomainError } from '../shared/types';

type Expected<E extends DomainEvent> = Array<Pick<E, 'type'> & { data?: Partial<E['data']> }>;

/** Given(state) / When(command) / Then(check) | ThenFails(code), for any decision shape. */
function givenWhenThen<C, S, D, X>(decide: (cmd: C, state: S) => D, check: (d: D, expected: X, warnings: string[]) => void) {
  return {
    given(state: S) {
      return {
        when(cmd: C) {
          const run = () => decide(cmd, state);
          return {
            then: (expected: X, warnings: string[] = []): void => check(run(), expected, warnings),
            thenFails: (code: string): void => expectDomainError(run, code),
          };
        },
      };
    },
  };
}

/** Then(events): the types in order, the data where given, the warnings' codes. */
function expectEvents<E extends DomainEvent>(events: E[], expected: Expected<E>): void {
  expect(events.map((e) => e.type)).toEqual(expected.map((e) => e.type));
  events.forEach((e, i) => expected[i].data && expect(e.data).toMatchObject(expected[i].data as object));
}

/**
 * Given/When/Then for deciders, after Emmett's DeciderSpecification:
 *   spec(ctx => decide(cmd, ctx)).given(state).when(cmd).then(events) / .thenFails(code)
 */
export function deciderSpec<C, S, E extends DomainEvent>(decide: (cmd: C, state: S) => Decision<E>) {
  return givenWhenThen(decide, (d: Decision<E>, expected: Expected<E>, warnings) => {
    expectEvents(d.events, expected);
    expect(d.warnings.map((w) => w.code)).toEqual(warnings);
  });
}

/**
 * The same for multi-stream decisions ({ appends: [{ stream, events }], warnings }): Then names, per
 * stream in order, the event types (and optionally data) it appends.
 */
export function multiDeciderSpec<C, S, E extends DomainEvent>(decide: (cmd: C, state: S) => MultiDecision<E>) {
  return givenWhenThen(decide, (d: MultiDecision<E>, expected: Array<{ stream: string; events: Expected<E> }>, warnings) => {
    expect(d.appends.map((a) => a.stream)).toEqual(expected.map((a) => a.stream));
    d.appends.forEach((a, i) => expectEvents(a.events, expected[i].events));
    expect(d.warnings.map((w) => w.code)).toEqual(warnings);
  });
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
