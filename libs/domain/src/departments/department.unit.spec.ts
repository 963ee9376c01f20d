import { deciderSpec } from '../testing/given-when-then';
import { decideAbolishDepartment } from './abolish';
import { decideEstablishDepartment, decideRenameDepartment, departmentNameOn, DepartmentState, evolveDepartment } from './department';

const doc = { number: '新党办发〔2019〕5号' };
const region = { code: '650200', name: '克拉玛依市', level: 'city' as const, since: '1982-01-01' };
const a: DepartmentState = { id: 'A', regionCode: '650200', establishedOn: '2019-03-01', names: [{ name: '市统计局', from: '2019-03-01' }] };

describe('departments', () => {
  const establish = deciderSpec((cmd: Parameters<typeof decideEstablishDepartment>[0], s: { existing: DepartmentState | null }) => decideEstablishDepartment(cmd, s.existing, region));
  test('establish in a known region', () =>
    establish.given({ existing: null }).when({ id: 'A', name: '市统计局', regionCode: '650200', effectiveFrom: '2019-03-01', document: doc }).then([{ type: 'DepartmentEstablished' }]));
  test('establish twice is refused', () =>
    establish.given({ existing: a }).when({ id: 'A', name: '市统计局', regionCode: '650200', effectiveFrom: '2019-03-01', document: doc }).thenFails('DEPARTMENT_EXISTS'));
  test('establish before the region is refused', () =>
    establish.given({ existing: null }).when({ id: 'A', name: '市统计局', regionCode: '650200', effectiveFrom: '1970-03-01', document: doc }).thenFails('BEFORE_REGION_EXISTS'));
  const rename = deciderSpec(decideRenameDepartment);
  test('rename', () => rename.given(a).when({ id: 'A', name: '克拉玛依市统计局', effectiveFrom: '2020-01-01', document: doc }).then([{ type: 'DepartmentRenamed' }]));
  test('rename before it exists is refused', () => rename.given(a).when({ id: 'A', name: 'x', effectiveFrom: '2018-01-01', document: doc }).thenFails('DEPARTMENT_NOT_ACTIVE'));
  const abolish = deciderSpec((cmd: Parameters<typeof decideAbolishDepartment>[0], s: DepartmentState) => { const d = decideAbolishDepartment(cmd, { department: s, successor: null, entries: [] }); return { events: d.appends.flatMap((a) => a.events), warnings: d.warnings }; });
  test('abolish', () => abolish.given(a).when({ id: 'A', effectiveFrom: '2024-01-01', document: doc }).then([{ type: 'DepartmentAbolished' }]));
  test('abolish twice is refused', () => abolish.given({ ...a, abolishedOn: '2023-01-01' }).when({ id: 'A', effectiveFrom: '2024-01-01', document: doc }).thenFails('DEPARTMENT_ABOLISHED'));
  test('abolish with an unknown successor is refused', () => abolish.given(a).when({ id: 'A', successorId: 'B', effectiveFrom: '2024-01-01', document: doc }).thenFails('UNKNOWN_DEPARTMENT'));
  test('names follow the valid axis, whatever the order recorded', () => {
    let s = evolveDepartment(null, { type: 'DepartmentEstablished', data: { id: 'A', name: 'n1', regionCode: '650200', effectiveFrom: '2019-03-01', document: doc } });
    s = evolveDepartment(s, { type: 'DepartmentRenamed', data: { id: 'A', name: 'n3', effectiveFrom: '2022-01-01', document: doc } });
    s = evolveDepartment(s, { type: 'DepartmentRenamed', data: { id: 'A', name: 'n2', effectiveFrom: '2020-01-01', document: doc } });
    expect(['2019-05-01', '2020-05-01', '2023-01-01'].map((d) => departmentNameOn(s!, d))).toEqual(['n1', 'n2', 'n3']);
  });
});
