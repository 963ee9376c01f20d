import { deciderSpec } from '../testing/given-when-then';
import { fold } from '../shared/decider';
import { ListRowsEvent, ListRowsState, NoteDuplicateRow, decideNoteDuplicateRow, evolveListRows, initialListRowsState } from './list-row';

const cmd = (over: Partial<NoteDuplicateRow> = {}): NoteDuplicateRow => ({
  regionCode: '650200',
  itemCode: 'L650200-2FB0FF5E74',
  itemName: '对投标人以他人名义投标的处罚',
  departmentId: 'D650200-ZJJ',
  duplicate: { file: '住建局.xls', sheet: '准确版', row: 141 },
  first: { file: '住建局.xls', sheet: '准确版', row: 130 },
  effectiveFrom: '2024-01-01',
  document: { number: '克政办发〔2024〕1号' },
  ...over,
});
const noted = (c: NoteDuplicateRow): ListRowsEvent => ({ type: 'ListRowDuplicated', data: c });
const given = (...events: ListRowsEvent[]): ListRowsState => fold(evolveListRows, initialListRowsState, events);

describe('list rows decider (Given events / When NoteDuplicateRow / Then events | error)', () => {
  const spec = deciderSpec(decideNoteDuplicateRow);

  it('a duplicate row is noted with both rows, the item, the department, its date and document', () => {
    spec.given(given()).when(cmd()).then([{ type: 'ListRowDuplicated', data: { itemCode: 'L650200-2FB0FF5E74', duplicate: { file: '住建局.xls', sheet: '准确版', row: 141 }, first: { file: '住建局.xls', sheet: '准确版', row: 130 }, effectiveFrom: '2024-01-01' } }]);
  });
  it('the same row of the same file noted again (a re-import) records nothing', () => {
    spec.given(given(noted(cmd()))).when(cmd({ effectiveFrom: '2025-01-01', document: { number: '克政办发〔2025〕1号' } })).then([]);
  });
  it('another row, or the same row for another department, is a note of its own', () => {
    spec.given(given(noted(cmd()))).when(cmd({ duplicate: { file: '住建局.xls', sheet: '准确版', row: 142 } })).then([{ type: 'ListRowDuplicated', data: { duplicate: { file: '住建局.xls', sheet: '准确版', row: 142 } } }]);
    spec.given(given(noted(cmd()))).when(cmd({ departmentId: 'D650200-YJJ' })).then([{ type: 'ListRowDuplicated', data: { departmentId: 'D650200-YJJ' } }]);
  });
  it('a row without its place is refused', () => {
    spec.given(given()).when(cmd({ duplicate: { file: '', sheet: 'S', row: 3 } })).thenFails('BAD_ROW_REF');
    spec.given(given()).when(cmd({ first: { file: 'a.xls', sheet: 'S', row: 0 } })).thenFails('BAD_ROW_REF');
  });
});
