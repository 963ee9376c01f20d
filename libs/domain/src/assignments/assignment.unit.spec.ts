import { deciderSpec } from '../testing/given-when-then';
import {
  AssignmentContext,
  AssignmentFact,
  decideAssignItem,
  decideTransferItem,
  decideWithdrawItem,
  holdingsOn,
} from './assignment';
import { CatalogVersion } from '../catalog/catalog-item';
import { DepartmentState } from '../departments/department';

const doc = { number: '克政办发〔2019〕1号' };
const region = { code: '650200', name: '克拉玛依市', level: 'city' as const, parentCode: '650000', since: '2000-01-01' };
const item: CatalogVersion = { code: 'X1', name: '对统计违法行为的处罚', type: '行政处罚', basis: ['统计法'], levels: ['city', 'county'], from: '2015-01-01', retired: false, document: doc };
const dept = (id: string, establishedOn = '2010-01-01', extra: Partial<DepartmentState> = {}): DepartmentState => ({
  id,
  regionCode: '650200',
  establishedOn,
  names: [{ name: `部门${id}`, from: establishedOn }],
  ...extra,
});
const assign = (departmentId: string, effectiveFrom: string, role: 'lead' | 'cooperating' = 'lead') =>
  ({ regionCode: '650200', itemCode: 'X1', departmentId, role, effectiveFrom, document: doc });
let n = 0;
const fact = (event: AssignmentFact['event']): AssignmentFact => ({ eventId: `e${++n}`, event });
const ctx = (facts: AssignmentFact[] = [], departments: Record<string, DepartmentState | null> = { A: dept('A'), B: dept('B') }): AssignmentContext => ({
  region,
  catalog: [item],
  departments,
  facts,
});

describe('assign an item', () => {
  const spec = deciderSpec(decideAssignItem);
  test('given an empty list entry, assigning a lead records ItemAssigned', () =>
    spec.given(ctx()).when(assign('A', '2016-05-01')).then([{ type: 'ItemAssigned', data: { departmentId: 'A', role: 'lead' } }]));
  test('a second lead is recorded with a CONFLICT warning, not refused', () =>
    spec.given(ctx([fact({ type: 'ItemAssigned', data: assign('A', '2016-05-01') })])).when(assign('B', '2017-01-01')).then([{ type: 'ItemAssigned' }], ['CONFLICT']));
  test('a cooperating department beside a lead is no conflict', () =>
    spec.given(ctx([fact({ type: 'ItemAssigned', data: assign('A', '2016-05-01') })])).when(assign('B', '2017-01-01', 'cooperating')).then([{ type: 'ItemAssigned' }]));
  test('assigning the same role again is refused', () =>
    spec.given(ctx([fact({ type: 'ItemAssigned', data: assign('A', '2016-05-01') })])).when(assign('A', '2017-01-01')).thenFails('ALREADY_ASSIGNED'));
  test('assigning again with the 三定 duties it rests on updates the holding', () =>
    spec.given(ctx([fact({ type: 'ItemAssigned', data: assign('A', '2016-05-01') })])).when({ ...assign('A', '2017-01-01'), dutyIds: ['D1'] }).then([{ type: 'ItemAssigned', data: { dutyIds: ['D1'] } }]));
  test('an unknown department is refused', () => spec.given(ctx([], { A: null })).when(assign('A', '2016-05-01')).thenFails('UNKNOWN_DEPARTMENT'));
  test('a date before the department exists is refused', () =>
    spec.given(ctx([], { A: dept('A', '2019-03-01') })).when(assign('A', '2016-05-01')).thenFails('BEFORE_DEPARTMENT_EXISTS'));
  test('an abolished department is refused', () =>
    spec.given(ctx([], { A: dept('A', '2010-01-01', { abolishedOn: '2019-01-01' }) })).when(assign('A', '2020-05-01')).thenFails('DEPARTMENT_ABOLISHED'));
  test('a department of another region is refused', () =>
    spec.given(ctx([], { A: dept('A', '2010-01-01', { regionCode: '650203' }) })).when(assign('A', '2020-05-01')).thenFails('DEPARTMENT_REGION'));
  test('a date before the region exists is refused', () =>
    spec.given({ ...ctx(), region: { ...region, since: '2018-01-01' } }).when(assign('A', '2016-05-01')).thenFails('BEFORE_REGION_EXISTS'));
  test('an item not in the catalogue is refused', () => spec.given({ ...ctx(), catalog: [] }).when(assign('A', '2016-05-01')).thenFails('UNKNOWN_ITEM'));
  test('a date before the item is in the catalogue is refused', () => spec.given(ctx()).when(assign('A', '2014-05-01')).thenFails('BEFORE_ITEM_EXISTS'));
});

describe('transfer an item', () => {
  const spec = deciderSpec(decideTransferItem);
  const held = () => ctx([fact({ type: 'ItemAssigned', data: assign('A', '2016-05-01') })]);
  const transfer = (from: string, to: string, effectiveFrom: string) => ({ regionCode: '650200', itemCode: 'X1', fromDepartmentId: from, toDepartmentId: to, effectiveFrom, document: doc });
  test('from the holder to another department', () => spec.given(held()).when(transfer('A', 'B', '2020-03-01')).then([{ type: 'ItemTransferred' }]));
  test('from a department that does not hold the item is refused', () => spec.given(held()).when(transfer('B', 'A', '2020-03-01')).thenFails('NOT_HELD'));
  test('before the holder held it is refused (valid time)', () => spec.given(held()).when(transfer('A', 'B', '2016-01-01')).thenFails('NOT_HELD'));
  test('to an unknown department is refused', () => spec.given(held()).when(transfer('A', 'C', '2020-03-01')).thenFails('UNKNOWN_DEPARTMENT'));
  test('to itself is refused', () => spec.given(held()).when(transfer('A', 'A', '2020-03-01')).thenFails('TRANSFER_SAME'));
});

describe('withdraw an item', () => {
  const spec = deciderSpec(decideWithdrawItem);
  const held = () => ctx([fact({ type: 'ItemAssigned', data: assign('A', '2016-05-01') })]);
  const withdraw = (effectiveFrom: string, departmentId?: string) => ({ regionCode: '650200', itemCode: 'X1', departmentId, effectiveFrom, document: doc });
  test('withdrawing the only lead of an item the catalogue applies here warns of a gap', () =>
    spec.given(held()).when(withdraw('2021-01-01', 'A')).then([{ type: 'ItemWithdrawn' }], ['GAP']));
  test('withdrawing from a department that does not hold it is refused', () => spec.given(held()).when(withdraw('2021-01-01', 'B')).thenFails('NOT_HELD'));
  test('withdrawing an item nobody holds is refused', () => spec.given(ctx()).when(withdraw('2021-01-01')).thenFails('NOT_HELD'));
});

describe('holdings on the valid axis', () => {
  test('a transfer to a department that already leads the item does not demote it', () => {
    const facts = [
      fact({ type: 'ItemAssigned', data: assign('A', '2016-05-01', 'cooperating') }),
      fact({ type: 'ItemAssigned', data: assign('B', '2016-05-01', 'lead') }),
      fact({ type: 'ItemTransferred', data: { regionCode: '650200', itemCode: 'X1', fromDepartmentId: 'A', toDepartmentId: 'B', effectiveFrom: '2019-03-01', document: doc } }),
    ];
    expect(holdingsOn(facts, '2019-03-01').map((h) => [h.departmentId, h.role, h.since])).toEqual([['B', 'lead', '2016-05-01']]);
  });

  test('a change recorded later with an earlier date slots in by effective date', () => {
    const facts = [
      fact({ type: 'ItemAssigned', data: assign('A', '2016-05-01') }),
      fact({ type: 'ItemTransferred', data: { regionCode: '650200', itemCode: 'X1', fromDepartmentId: 'A', toDepartmentId: 'B', effectiveFrom: '2020-03-01', document: doc } }),
      fact({ type: 'ItemAssigned', data: assign('C', '2018-01-01', 'cooperating') }),
    ];
    expect(holdingsOn(facts, '2016-04-30')).toEqual([]);
    expect(holdingsOn(facts, '2016-05-01').map((h) => h.departmentId)).toEqual(['A']);
    expect(holdingsOn(facts, '2019-01-01').map((h) => [h.departmentId, h.role])).toEqual([['A', 'lead'], ['C', 'cooperating']]);
    const after = holdingsOn(facts, '2020-03-01');
    expect(after.map((h) => [h.departmentId, h.since])).toEqual([['B', '2020-03-01'], ['C', '2018-01-01']]);
  });
});
