import { deciderSpec } from '../testing/given-when-then';
import { DepartmentState } from '../departments/department';
import { RegionState } from '../regions/region';
import { AgreeBoundaryClause, decideAgreeBoundaryClause } from './boundary';

const doc = { number: '克政办发〔2020〕8号' };
const city: RegionState = { code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', since: '1982-01-01' };
const dept = (id: string, over: Partial<DepartmentState> = {}): DepartmentState => ({ id, regionCode: '650200', establishedOn: '2010-01-01', names: [{ name: id, from: '2010-01-01' }], ...over });
const departments = { SCJG: dept('SCJG'), NYNC: dept('NYNC'), WSJK: dept('WSJK') };
type Ctx = Parameters<typeof decideAgreeBoundaryClause>[1];
const ctx = (over: Partial<Ctx> = {}): Ctx => ({ existing: false, region: city, departments, unknownItems: [], ...over });
const clause: AgreeBoundaryClause = {
  clauseId: 'B1',
  regionCode: '650200',
  matter: '食用农产品质量安全监管',
  leadDepartmentId: 'NYNC',
  assistingDepartmentIds: ['SCJG'],
  itemCodes: ['C0001'],
  effectiveFrom: '2020-01-01',
  document: doc,
};
const spec = deciderSpec(decideAgreeBoundaryClause);

describe('agree a boundary clause (职责分工)', () => {
  test('a lead and its assisting departments on a matter', () =>
    spec.given(ctx()).when(clause).then([{ type: 'BoundaryClauseAgreed', data: { leadDepartmentId: 'NYNC', assistingDepartmentIds: ['SCJG'], matter: '食用农产品质量安全监管' } }]));
  test('a text-only clause (no item codes) is agreed too', () => spec.given(ctx()).when({ ...clause, itemCodes: undefined }).then([{ type: 'BoundaryClauseAgreed' }]));
  test('the same clause id twice is refused', () => spec.given(ctx({ existing: true })).when(clause).thenFails('BOUNDARY_EXISTS'));
  test('an unregistered region is refused', () => spec.given(ctx({ region: null })).when(clause).thenFails('UNKNOWN_REGION'));
  test('the lead also assisting is refused', () => spec.given(ctx()).when({ ...clause, assistingDepartmentIds: ['SCJG', 'NYNC'] }).thenFails('LEAD_ALSO_ASSISTING'));
  test('an assisting department twice is refused', () => spec.given(ctx()).when({ ...clause, assistingDepartmentIds: ['SCJG', 'SCJG'] }).thenFails('DUPLICATE_DEPARTMENT'));
  test('an unknown department is refused', () => spec.given(ctx()).when({ ...clause, assistingDepartmentIds: ['XXX'] }).thenFails('UNKNOWN_DEPARTMENT'));
  test('a department of another region is refused', () =>
    spec.given(ctx({ departments: { ...departments, SCJG: dept('SCJG', { regionCode: '650203' }) } })).when(clause).thenFails('DEPARTMENT_REGION'));
  test('a department not yet established on the date is refused', () =>
    spec.given(ctx({ departments: { ...departments, SCJG: dept('SCJG', { establishedOn: '2021-01-01' }) } })).when(clause).thenFails('DEPARTMENT_NOT_ACTIVE'));
  test('a department abolished before the date is refused', () =>
    spec.given(ctx({ departments: { ...departments, SCJG: dept('SCJG', { abolishedOn: '2019-01-01' }) } })).when(clause).thenFails('DEPARTMENT_NOT_ACTIVE'));
  test('an item not in the catalogue is refused', () => spec.given(ctx({ unknownItems: ['C0009'] })).when(clause).thenFails('UNKNOWN_ITEM'));
});
