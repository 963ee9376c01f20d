import { deciderSpec } from '../testing/given-when-then';
import { fold } from '../shared/decider';
import { DepartmentEvent, DepartmentState, decideIssueSanding } from '../departments/department';
import {
  ActualStaffingState,
  StaffingEvent,
  actualStaffingOn,
  decideReportActualStaffing,
  evolveActualStaffing,
  initialActualStaffingState,
  normalizeStaffing,
  staffingExcess,
  usageBand,
  usageRate,
} from './staffing';

const doc = { number: '克编发〔2024〕3号' };
const established: DepartmentEvent = { type: 'DepartmentEstablished', data: { id: 'A', name: '市统计局', regionCode: '650200', effectiveFrom: '2019-03-01', document: doc } };
const sanding: DepartmentEvent = {
  type: 'SandingIssued',
  data: {
    id: 'A',
    effectiveFrom: '2019-03-01',
    document: doc,
    duties: [],
    internalOrgans: [],
    staffing: { authorized: 12, leaders: 3, categories: { 行政编制: 10, 工勤编制: 2 }, leaderPosts: { 局长: 1, 副局长: 2 }, nature: '行政机关' },
  },
};
const report = (effectiveFrom: string, counts: Record<string, number>, leaders: Record<string, number> = {}, outside = 0): StaffingEvent => ({
  type: 'ActualStaffingReported',
  data: { departmentId: 'A', effectiveFrom, reason: '年度核对', counts, leaders, outside },
});
const given = (...events: Array<StaffingEvent | DepartmentEvent>): ActualStaffingState => fold(evolveActualStaffing, initialActualStaffingState, events);

describe('三定 staffing in full', () => {
  const state: DepartmentState = { id: 'A', regionCode: '650200', establishedOn: '2019-03-01', names: [{ name: '市统计局', from: '2019-03-01' }] };
  const issue = deciderSpec(decideIssueSanding);
  const base = { id: 'A', effectiveFrom: '2020-01-01', document: doc, duties: [], internalOrgans: [] };
  test('v1 totals stay valid and are stored as they are', () =>
    issue.given(state).when({ ...base, staffing: { authorized: 20, leaders: 4 } }).then([{ type: 'SandingIssued', data: { staffing: { authorized: 20, leaders: 4 } } }]));
  test('categories and posts: the totals are their sums, stored with them', () =>
    issue
      .given(state)
      .when({ ...base, staffing: { categories: { 行政编制: 15, 事业编制: 3, 工勤编制: 2 }, leaderPosts: { 局长: 1, 副局长: 3 }, nature: '行政机关' } })
      .then([{ type: 'SandingIssued', data: { staffing: { authorized: 20, leaders: 4, categories: { 行政编制: 15, 事业编制: 3, 工勤编制: 2 }, leaderPosts: { 局长: 1, 副局长: 3 }, nature: '行政机关' } } }]));
  test('a total that disagrees with its categories is refused', () => issue.given(state).when({ ...base, staffing: { authorized: 21, categories: { 行政编制: 20 }, leaders: 1 } }).thenFails('STAFFING_TOTAL'));
  test('an unknown category is refused', () => issue.given(state).when({ ...base, staffing: { categories: { 政法专项编制: 2 }, leaders: 0 } }).thenFails('UNKNOWN_CATEGORY'));
  test('an unknown nature is refused', () => issue.given(state).when({ ...base, staffing: { authorized: 2, leaders: 0, nature: '企业' } }).thenFails('UNKNOWN_NATURE'));
  test('more leaders than posts is refused', () => issue.given(state).when({ ...base, staffing: { authorized: 2, leaderPosts: { 局长: 1, 副局长: 2 } } }).thenFails('STAFFING'));
  test('neither total nor categories is refused', () => expect(() => normalizeStaffing({ leaders: 1 })).toThrow('核定编制'));
});

describe('实有人员 (ActualStaffingReported)', () => {
  const spec = deciderSpec(decideReportActualStaffing);
  const cmd = { departmentId: 'A', effectiveFrom: '2024-01-01', reason: '招录', document: doc, counts: { 行政编制: 9, 工勤编制: 2 }, leaders: { 局长: 1, 副局长: 2 }, outside: 3 };
  test('Given an established department, a report is recorded with every field', () =>
    spec.given(given(established, sanding)).when(cmd).then([{ type: 'ActualStaffingReported', data: { counts: { 行政编制: 9, 工勤编制: 2 }, leaders: { 局长: 1, 副局长: 2 }, outside: 3, reason: '招录' } }]));
  test('above the 三定: recorded, with 超编 and 超职数 warnings', () =>
    spec.given(given(established, sanding)).when({ ...cmd, counts: { 行政编制: 11, 工勤编制: 2 }, leaders: { 局长: 1, 副局长: 3 } }).then([{ type: 'ActualStaffingReported' }], ['OVERSTAFFED', 'OVER_LEADERS']));
  test('an unknown department is refused', () => spec.given(given()).when(cmd).thenFails('UNKNOWN_DEPARTMENT'));
  test('before the department exists is refused', () => spec.given(given(established)).when({ ...cmd, effectiveFrom: '2018-01-01' }).thenFails('DEPARTMENT_NOT_ACTIVE'));
  test('without a reason is refused', () => spec.given(given(established)).when({ ...cmd, reason: '  ' }).thenFails('REASON_REQUIRED'));
  test('a negative count is refused', () => spec.given(given(established)).when({ ...cmd, counts: { 行政编制: -1 } }).thenFails('STAFFING'));
  test('an unknown category is refused', () => spec.given(given(established)).when({ ...cmd, counts: { 临时工: 1 } }).thenFails('UNKNOWN_CATEGORY'));
  test('the same numbers as in force on that date are refused (nothing changed)', () =>
    spec.given(given(established, report('2023-01-01', { 行政编制: 9, 工勤编制: 2 }, { 局长: 1, 副局长: 2 }, 3))).when(cmd).thenFails('NOTHING_CHANGED'));
});

describe('fold and rules', () => {
  test('reports follow the valid axis whatever the order recorded; on one date the later recorded is in force', () => {
    const s = given(established, report('2024-01-01', { 行政编制: 5 }), report('2022-01-01', { 行政编制: 3 }), report('2024-01-01', { 行政编制: 6 }));
    expect(['2021-01-01', '2023-01-01', '2024-06-01'].map((d) => actualStaffingOn(s.reports, d)?.counts.行政编制)).toEqual([undefined, 3, 6]);
    expect(s.department?.id).toBe('A');
  });
  test('excess per category and per post; a v1 三定 is compared on its totals', () => {
    const r = report('2024-01-01', { 行政编制: 11, 工勤编制: 1 }, { 局长: 1, 副局长: 3 }).data;
    expect(staffingExcess(sanding.data.staffing, r)).toEqual({ categories: [{ category: '行政编制', authorized: 10, actual: 11 }], leaders: [{ post: '副局长', authorized: 2, actual: 3 }] });
    expect(staffingExcess({ authorized: 11, leaders: 4 }, r)).toEqual({ categories: [{ category: '合计', authorized: 11, actual: 12 }], leaders: [] });
  });
  test('编制使用率 bands of indicator 4.1.1: 85–95, 75–85, 60–75, ≤ 60; none above 95 %', () => {
    expect([20, 19, 18, 17, 16, 15, 13, 12, 0].map((n) => usageBand(usageRate(n, 20))?.band ?? null)).toEqual([null, '85-95', '85-95', '75-85', '75-85', '60-75', '60-75', '0-60', '0-60']);
    expect(usageRate(3, 0)).toBeNull();
  });
});
