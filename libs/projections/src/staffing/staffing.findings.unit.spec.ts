import { ActualStaffingState, DepartmentEvent, StaffingEvent, evolveActualStaffing, fold, initialActualStaffingState } from '../../../domain/src';
import { staffingFindings } from './staffing.findings';

const doc = { number: '克编发〔2019〕1号' };
const state = (...events: Array<DepartmentEvent | StaffingEvent>): ActualStaffingState => fold(evolveActualStaffing, initialActualStaffingState, events);
const A: DepartmentEvent[] = [
  { type: 'DepartmentEstablished', data: { id: 'A', name: '甲局', regionCode: '650200', effectiveFrom: '2010-01-01', document: doc } },
  { type: 'SandingIssued', data: { id: 'A', effectiveFrom: '2019-01-01', document: doc, duties: [], internalOrgans: [{ id: 'o', name: '综合科', duties: [] }], staffing: { authorized: 10, leaders: 2, categories: { 行政编制: 10 }, leaderPosts: { 局长: 1, 副局长: 1 } } } },
];
const report = (effectiveFrom: string, n: number, deputies = 1): StaffingEvent => ({ type: 'ActualStaffingReported', data: { departmentId: 'A', effectiveFrom, reason: '年度核对', counts: { 行政编制: n }, leaders: { 局长: 1, 副局长: deputies }, outside: 0 } });
const ranges = (kind: string, tl: ReturnType<typeof staffingFindings>) => tl.filter((t) => t.kind === kind).map((t) => t.segments.map((s) => [s.from, s.until ?? null, s.detail.band ?? s.detail.actual ?? s.detail.organ]));

describe('staffingFindings (pure)', () => {
  test('Given reports over time, Then each warning holds from the date it starts to the date it ends, with its band', () => {
    const tl = staffingFindings('650200', [{ departmentId: 'A', state: state(...A, report('2020-01-01', 6), report('2021-01-01', 9), report('2022-01-01', 11, 2), report('2023-01-01', 10)) }]);
    expect(ranges('low-usage', tl)).toEqual([[['2020-01-01', '2021-01-01', '0-60'], ['2021-01-01', '2022-01-01', '85-95']]]);
    expect(ranges('overstaffed', tl)).toEqual([[['2022-01-01', '2023-01-01', 11]]]);
    expect(ranges('over-leaders', tl)).toEqual([[['2022-01-01', '2023-01-01', 2]]]);
  });
  test('no report, no staffing warning; no 三定, no organ warning; the department itself is not an organ', () => {
    expect(staffingFindings('650200', [{ departmentId: 'A', state: state(...A) }])).toEqual([]);
    const organs = [{ from: '2015-01-01', organs: new Map([['执法大队', ['X']], ['综合科', ['Y']], ['甲 局', ['Z']]]) }];
    const tl = staffingFindings('650200', [{ departmentId: 'A', state: state(...A), organsInUse: organs }]);
    expect(ranges('unapproved-organ', tl)).toEqual([[['2019-01-01', null, '执法大队']]]);
  });
  test('an abolished department stops its warnings on the day it is abolished', () => {
    const abolished: DepartmentEvent = { type: 'DepartmentAbolished', data: { id: 'A', effectiveFrom: '2021-06-01', document: doc } };
    const tl = staffingFindings('650200', [{ departmentId: 'A', state: state(...A, report('2020-01-01', 12), abolished) }]);
    expect(ranges('overstaffed', tl)).toEqual([[['2020-01-01', '2021-06-01', 12]]]);
  });
});
