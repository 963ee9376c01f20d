import { Decision, DomainEvent } from '../shared/decider';
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
            thenFails(code: string): void {
              let caught: unknown;
              try {
                run();
              } catch (e) {
                caught = e;
              }
              expect(caught).toBeInstanceOf(DomainError);
              expect((caught as DomainError).code).toBe(code);
            },
          };
        },
      };
    },
  };
}
