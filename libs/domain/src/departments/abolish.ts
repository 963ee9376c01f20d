import { DomainError, NotFoundError } from '../shared/types';
import { MultiDecision } from '../shared/decider';
import { AbolishDepartment, DepartmentEvent, DepartmentState, decideAbolishOwn, departmentNameOn, departmentStream } from './department';
import { AssignmentEvent, AssignmentFact, assignmentStream, holdingsOn } from '../assignments/assignment';

/** A list entry the abolished department may hold: its stream's facts (recorded order, retractions applied). */
export interface EntryFacts {
  regionCode: string;
  itemCode: string;
  facts: AssignmentFact[];
}

/** What abolishing a department must know: the department, its successor (if named) and every entry it may hold. */
export interface AbolishState {
  department: DepartmentState | null;
  successor: DepartmentState | null;
  /** Every list entry that names the department (more is harmless: entries it does not hold are skipped). */
  entries: EntryFacts[];
}

/**
 * 撤销部门. One decision over the department and the entries it holds on that date: with a successor,
 * every item it holds moves to the successor in the same atomic append (ItemTransferred); without one,
 * the items stay with it and are reported (ABOLISHED_HOLDING_ITEMS: 职责缺位). The cascade is part of
 * the decision, so no caller can abolish a department and leave its items behind.
 */
export function decideAbolishDepartment(cmd: AbolishDepartment, state: AbolishState): MultiDecision<DepartmentEvent | AssignmentEvent> {
  if (!state.department) throw new NotFoundError('UNKNOWN_DEPARTMENT', `部门 ${cmd.id} 不存在`);
  const own = decideAbolishOwn(cmd, state.department, state.successor);
  const held = state.entries.filter((e) => holdingsOn(e.facts, cmd.effectiveFrom).some((h) => h.departmentId === cmd.id));
  const decision: MultiDecision<DepartmentEvent | AssignmentEvent> = { appends: [{ stream: departmentStream(cmd.id), events: own.events }], warnings: [...own.warnings] };
  if (new Set(held.map((h) => `${h.regionCode}|${h.itemCode}`)).size !== held.length) throw new DomainError('DUPLICATE_ENTRY', '同一清单事项重复给出');
  if (cmd.successorId) {
    for (const h of held) {
      decision.appends.push({
        stream: assignmentStream(h.regionCode, h.itemCode),
        events: [
          {
            type: 'ItemTransferred',
            data: { regionCode: h.regionCode, itemCode: h.itemCode, fromDepartmentId: cmd.id, toDepartmentId: cmd.successorId, effectiveFrom: cmd.effectiveFrom, document: cmd.document, reason: cmd.reason ?? `部门撤销，事项由 ${cmd.successorId} 承继` },
          },
        ],
      });
    }
  } else if (held.length) {
    decision.warnings.push({
      code: 'ABOLISHED_HOLDING_ITEMS',
      message: `部门 ${cmd.id}（${departmentNameOn(state.department, cmd.effectiveFrom)}）撤销后仍持有 ${held.length} 个事项且未指定承继部门（职责缺位）`,
      details: { items: held.map((h) => ({ regionCode: h.regionCode, itemCode: h.itemCode })) },
    });
  }
  return decision;
}
