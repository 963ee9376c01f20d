/**
 * 清单重复行: a row of a published list that says again what an earlier row of the same list said (the
 * same item for the same department). The import does not record it as a second entry — it is rejected
 * with its reason — and also notes it here, so the office still sees it after the import, as a finding
 * (`list-duplicate`) until the list is corrected and the finding closed.
 *
 * Decider in Emmett's shape on the stream `listrows-<region>`: `initialListRowsState`,
 * `evolveListRows(state, event)`, `decideNoteDuplicateRow(command, state) → { events, warnings }`.
 * Noting the same row of the same file again (a re-import) records nothing.
 */
import { Change, DomainError } from '../shared/types';
import { DomainEvent, Decision, decided } from '../shared/decider';

export const listRowsStream = (regionCode: string) => `listrows-${regionCode}`;

/** Where a row is: the file as the user named it, its sheet and 1-based row as Excel shows it. */
export interface ListRowRef {
  file: string;
  sheet: string;
  row: number;
}

/** The command: note a duplicate row found while importing a region's list. */
export interface NoteDuplicateRow extends Change {
  regionCode: string;
  /** The item both rows name. */
  itemCode: string;
  itemName: string;
  /** The department both rows give it to (absent when the rows name none). */
  departmentId?: string;
  /** The duplicate row (not imported)… */
  duplicate: ListRowRef;
  /** …and the row it repeats (imported). */
  first: ListRowRef;
}

export type ListRowDuplicated = DomainEvent<'ListRowDuplicated', NoteDuplicateRow>;
export type ListRowsEvent = ListRowDuplicated;

export interface ListRowsState {
  /** The rows noted, by `rowKey`. */
  noted: Set<string>;
}

export const initialListRowsState: ListRowsState = { noted: new Set() };

/** One key per duplicate row of a file: the same row noted again is the same note. */
export const rowKey = (cmd: Pick<NoteDuplicateRow, 'itemCode' | 'departmentId' | 'duplicate'>) =>
  JSON.stringify([cmd.duplicate.file, cmd.duplicate.sheet, cmd.duplicate.row, cmd.itemCode, cmd.departmentId ?? '']);

export function evolveListRows(state: ListRowsState, event: ListRowsEvent): ListRowsState {
  switch (event.type) {
    case 'ListRowDuplicated':
      return { noted: new Set(state.noted).add(rowKey(event.data)) };
    default:
      return state;
  }
}

export function decideNoteDuplicateRow(cmd: NoteDuplicateRow, state: ListRowsState): Decision<ListRowsEvent> {
  for (const [what, ref] of [['duplicate', cmd.duplicate], ['first', cmd.first]] as const) {
    if (!ref || typeof ref.file !== 'string' || !ref.file || typeof ref.sheet !== 'string' || !Number.isInteger(ref.row) || ref.row < 1) {
      throw new DomainError('BAD_ROW_REF', `重复行的位置（${what}）应有文件、工作表和行号`);
    }
  }
  if (state.noted.has(rowKey(cmd))) return decided([]);
  return decided([{ type: 'ListRowDuplicated', data: { ...cmd } }]);
}
