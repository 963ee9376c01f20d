import { TOKENS, TestApp, doc, startTestApp } from './support/app';
import { staffingWorkbook } from '../libs/import/src';
import { regionStaffing } from '../libs/projections/src';

/** Issue 18: 定编制 — staffing in force and in fact, and its warnings on the findings ledger, over real HTTP. */
describe('staffing (定编制)', () => {
  let t: TestApp;
  const ok = async (path: string, body: object, status = 200) => {
    const r = await t.post(path, body);
    expect([r.status, r.body.code, r.body.message]).toEqual([status, undefined, undefined]);
    return r.body;
  };
  const get = async (path: string) => {
    const r = await t.get(path);
    expect([r.status, r.body.message]).toEqual([200, undefined]);
    return r.body;
  };
  const ledger = async (at: string, asKnownAt?: string) => (await get(`/api/findings?region=650200&at=${at}${asKnownAt ? `&asKnownAt=${encodeURIComponent(asKnownAt)}` : ''}`));
  const ofKind = async (kind: string, at: string, asKnownAt?: string) => (await ledger(at, asKnownAt)).findings.filter((f: any) => f.kind === kind);
  const report = (id: string, effectiveFrom: string, reason: string, counts: object, leaders: object, outside = 0) =>
    ok(`/api/departments/${id}/staffing-actual`, { effectiveFrom, reason, document: doc(`实名制台账${effectiveFrom}`), counts, leaders, outside });
  const organs = [
    { id: 'TJ-o1', name: '综合科', duties: [{ id: 'TJ-o1-1', text: '负责机关日常运转' }] },
    { id: 'TJ-o2', name: '统计调查科', duties: [{ id: 'TJ-o2-1', text: '组织实施统计调查' }] },
  ];
  const sanding = (effectiveFrom: string, internalOrgans: object[]) =>
    ok('/api/departments/TJ/sanding', {
      effectiveFrom,
      document: doc(`克编发〔${effectiveFrom.slice(0, 4)}〕1号`),
      duties: [{ id: 'TJ-1', text: '负责全市统计工作' }],
      internalOrgans,
      staffing: { categories: { 行政编制: 10, 工勤编制: 2 }, leaderPosts: { 局长: 1, 副局长: 2 }, nature: '行政机关' },
    });
  let r3: { eventIds: string[] };
  let beforeCorrection = '';

  beforeAll(async () => {
    t = await startTestApp();
    await ok('/api/regions', { code: '650000', name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '2000-01-01', document: doc('区划') }, 201);
    await ok('/api/regions', { code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '2000-01-01', document: doc('区划') }, 201);
    await ok('/api/departments', { id: 'TJ', name: '市统计局', regionCode: '650200', effectiveFrom: '2010-01-01', document: doc() }, 201);
    await ok('/api/departments', { id: 'EE', name: '市生态环境局', regionCode: '650200', effectiveFrom: '2010-01-01', document: doc() }, 201);
    await sanding('2019-01-01', organs);
    // a v1 三定: only the two totals
    await ok('/api/departments/EE/sanding', { effectiveFrom: '2019-01-01', document: doc('克编发〔2019〕2号'), duties: [], internalOrgans: [], staffing: { authorized: 5, leaders: 1 } });
    for (const [code, name] of [['X', '对拒绝配合统计调查的处罚'], ['Y', '统计调查项目审批']]) {
      await ok('/api/catalog/items', { code, name, type: '行政处罚', basis: ['《中华人民共和国统计法》'], levels: ['city'], effectiveFrom: '2015-01-01', document: doc('目录') }, 201);
    }
    await ok('/api/regions/650200/items/X/assign', { departmentId: 'TJ', internalOrgan: '统计执法监督科', effectiveFrom: '2020-01-01', document: doc('清单') });
    await ok('/api/regions/650200/items/Y/assign', { departmentId: 'TJ', internalOrgan: '统计调查科', effectiveFrom: '2020-01-01', document: doc('清单') });
    await report('TJ', '2020-01-01', '年度核对', { 行政编制: 9, 工勤编制: 2 }, { 局长: 1, 副局长: 2 }, 1);
    const r2 = await report('TJ', '2021-01-01', '招录', { 行政编制: 11, 工勤编制: 2 }, { 局长: 1, 副局长: 2 });
    expect(r2.warnings.map((w: any) => w.code)).toEqual(['OVERSTAFFED']);
    r3 = await report('TJ', '2021-06-01', '任职', { 行政编制: 11, 工勤编制: 2 }, { 局长: 1, 副局长: 3 });
    await report('TJ', '2022-01-01', '调出', { 行政编制: 10, 工勤编制: 2 }, { 局长: 1, 副局长: 3 });
    await report('TJ', '2023-01-01', '年度核对', { 行政编制: 10, 工勤编制: 2 }, { 局长: 1, 副局长: 2 });
    await report('EE', '2020-01-01', '年度核对', { 行政编制: 6 }, { 局长: 1 });
    beforeCorrection = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    // the 2021-06-01 appointment was entered in error: retracted
    await ok(`/api/events/${r3.eventIds[0]}/retract`, { reason: '录入错误：副局长任职文件未下发', document: doc('更正说明') });
  });
  afterAll(() => t?.close());

  test('the region on a date: authorised and actual per category, leader posts, 编外, 使用率 with its band', async () => {
    const s = await get('/api/regions/650200/staffing?at=2020-06-01');
    const tj = s.departments.find((d: any) => d.departmentId === 'TJ');
    expect(tj).toMatchObject({ departmentName: '市统计局', nature: '行政机关', outside: 1, total: { authorized: 12, actual: 11, usage: 0.9167, band: '85-95' }, leadersTotal: { authorized: 3, filled: 3 } });
    expect(tj.categories.map((c: any) => [c.category, c.authorized, c.actual])).toEqual([['行政编制', 10, 9], ['事业编制', 0, 0], ['工勤编制', 2, 2]]);
    expect(tj.leaders).toEqual([{ post: '局长', authorized: 1, filled: 1 }, { post: '副局长', authorized: 2, filled: 2 }]);
    const ee = s.departments.find((d: any) => d.departmentId === 'EE');
    expect(ee.total).toMatchObject({ authorized: 5, actual: 6, usage: 1.2 });
    expect(s.totals).toMatchObject({ authorized: 17, actual: 17, outside: 1 });
    expect((await t.get('/api/regions/659999/staffing?at=2020-06-01')).status).toBe(404);
  });

  test('overstaffed (超编): from the report above the 三定 to the one that ends it; red; a v1 三定 on its total', async () => {
    expect(await ofKind('overstaffed', '2020-12-31').then((l: any[]) => l.filter((f) => f.department.departmentId === 'TJ'))).toEqual([]);
    const [f] = (await ofKind('overstaffed', '2021-03-01')).filter((x: any) => x.department.departmentId === 'TJ');
    expect(f).toMatchObject({ from: '2021-01-01', until: '2022-01-01', severity: 'red', status: '待派发', category: '行政编制', authorized: 10, actual: 11 });
    expect(f.id).toMatch(/^overstaffed-650200-[0-9a-f]{12}$/);
    expect(f.title).toContain('市统计局行政编制实有 11 人');
    expect(await ofKind('overstaffed', '2022-01-01').then((l: any[]) => l.filter((x) => x.department.departmentId === 'TJ'))).toEqual([]);
    const [ee] = (await ofKind('overstaffed', '2022-01-01')).filter((x: any) => x.department.departmentId === 'EE');
    expect(ee).toMatchObject({ category: '合计', authorized: 5, actual: 6, from: '2020-01-01' });
  });

  test('over-leaders (超职数): as known now, and as known before the correction', async () => {
    const now = await ofKind('over-leaders', '2022-06-01');
    expect(now.map((f: any) => [f.post, f.from, f.until, f.severity])).toEqual([['副局长', '2022-01-01', '2023-01-01', 'red']]);
    expect(await ofKind('over-leaders', '2021-07-01')).toEqual([]);
    const then = await ofKind('over-leaders', '2021-07-01', beforeCorrection);
    expect(then.map((f: any) => [f.post, f.from, f.until])).toEqual([['副局长', '2021-06-01', '2023-01-01']]);
    expect(then[0].id).toBe(now[0].id);
    expect(await ofKind('over-leaders', '2023-01-01')).toEqual([]);
  });

  test('low-usage (编制使用率 ≤ 95 %): with the band of indicator 4.1.1, blue, closing when staff are recruited', async () => {
    const [f] = await ofKind('low-usage', '2020-06-01');
    expect(f).toMatchObject({ from: '2020-01-01', until: '2021-01-01', severity: 'blue', band: '85-95', usage: 0.9167, used: 11, authorized: 12, deduction: 25, department: { departmentId: 'TJ' } });
    expect(await ofKind('low-usage', '2021-01-01')).toEqual([]);
  });

  test('unapproved-organ (擅自设立机构): a 承办机构 no 三定 in force names, until a 三定 names it', async () => {
    const [f] = await ofKind('unapproved-organ', '2020-06-01');
    expect(f).toMatchObject({ organ: '统计执法监督科', items: ['X'], from: '2020-01-01', severity: 'red' });
    expect(f.until).toBeUndefined();
    await sanding('2024-01-01', [...organs, { id: 'TJ-o3', name: '统计执法监督科', duties: [] }]);
    const [closed] = await ofKind('unapproved-organ', '2020-06-01');
    expect(closed).toMatchObject({ id: f.id, until: '2024-01-01' });
    expect(await ofKind('unapproved-organ', '2024-01-01')).toEqual([]);
  });

  test('each kind as known before its correction and as known now: a report corrected on the same date, a report and an assignment retracted', async () => {
    const fg = 'FG';
    await ok('/api/departments', { id: fg, name: '市司法局', regionCode: '650200', effectiveFrom: '2010-01-01', document: doc() }, 201);
    await ok(`/api/departments/${fg}/sanding`, { effectiveFrom: '2019-01-01', document: doc('克编发〔2019〕9号'), duties: [], internalOrgans: [{ id: 'FG-o1', name: '综合科', duties: [] }], staffing: { categories: { 行政编制: 5 }, leaderPosts: { 局长: 1 } } });
    await ok('/api/catalog/items', { code: 'Z', name: '律师事务所设立许可', type: '行政许可', basis: ['《中华人民共和国律师法》'], levels: ['city'], effectiveFrom: '2015-01-01', document: doc('目录') }, 201);
    const assigned = await ok('/api/regions/650200/items/Z/assign', { departmentId: fg, internalOrgan: '法规科', effectiveFrom: '2020-01-01', document: doc('清单') });
    await report(fg, '2020-01-01', '调入', { 行政编制: 6 }, { 局长: 2 });
    const low = await report(fg, '2021-01-01', '调出', { 行政编制: 3 }, { 局长: 1 });
    const before = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    // the corrections: the 2020 figures re-reported on the same date, the 2021 report and the assignment retracted
    await report(fg, '2020-01-01', '更正', { 行政编制: 5 }, { 局长: 1 });
    await ok(`/api/events/${low.eventIds[0]}/retract`, { reason: '调出未办结，登记有误', document: doc('更正说明') });
    await ok(`/api/events/${assigned.eventIds[0]}/retract`, { reason: '承办机构录入错误', document: doc('更正说明') });
    const mine = async (at: string, asKnownAt?: string) =>
      (await ledger(at, asKnownAt)).findings.filter((f: any) => f.department?.departmentId === fg && ['overstaffed', 'over-leaders', 'unapproved-organ', 'low-usage'].includes(f.kind)).map((f: any) => [f.kind, f.from, f.until ?? null]).sort();
    expect(await mine('2020-06-01', before)).toEqual([
      ['over-leaders', '2020-01-01', '2021-01-01'],
      ['overstaffed', '2020-01-01', '2021-01-01'],
      ['unapproved-organ', '2020-01-01', null],
    ]);
    expect(await mine('2021-06-01', before)).toEqual([
      ['low-usage', '2021-01-01', null],
      ['unapproved-organ', '2020-01-01', null],
    ]);
    expect(await mine('2020-06-01')).toEqual([]);
    expect(await mine('2021-06-01')).toEqual([]);
  });

  test('the ledger: counts by colour, and 待派发 → 核查中 → 已销号 on a staffing finding', async () => {
    const l = await ledger('2021-03-01');
    const red = l.findings.filter((f: any) => f.severity === 'red').length;
    expect(l.counts.bySeverity).toEqual({ red, blue: l.findings.length - red });
    expect(red).toBeGreaterThan(0);
    const [f] = (await ofKind('overstaffed', '2021-03-01')).filter((x: any) => x.department.departmentId === 'TJ');
    await ok(`/api/findings/${f.id}/status`, { status: '核查中' });
    await ok(`/api/findings/${f.id}/status`, { status: '已销号', note: '已按编制调出 1 人' });
    const [after] = (await ofKind('overstaffed', '2021-03-01')).filter((x: any) => x.id === f.id);
    expect([after.status, after.history.map((h: any) => h.status)]).toEqual(['已销号', ['核查中', '已销号']]);
  });

  test("a department's staffing history: every report with its reason, the retracted one marked, and the series over time", async () => {
    const h = await get('/api/departments/TJ/staffing');
    expect(h.actual.map((r: any) => [r.effectiveFrom, r.reason, !!r.retractedAt])).toEqual([
      ['2020-01-01', '年度核对', false],
      ['2021-01-01', '招录', false],
      ['2021-06-01', '任职', true],
      ['2022-01-01', '调出', false],
      ['2023-01-01', '年度核对', false],
    ]);
    expect(h.authorised.map((a: any) => [a.effectiveFrom, a.staffing.authorized])).toEqual([['2019-01-01', 12], ['2024-01-01', 12]]);
    expect(h.series.map((s: any) => [s.from, s.actual, s.leadersFilled])).toEqual([
      ['2010-01-01', 0, 0],
      ['2019-01-01', 0, 0],
      ['2020-01-01', 11, 3],
      ['2021-01-01', 13, 3],
      ['2022-01-01', 12, 4],
      ['2023-01-01', 12, 3],
      ['2024-01-01', 12, 3],
    ]);
    const before = await get(`/api/departments/TJ/staffing?asKnownAt=${encodeURIComponent(beforeCorrection)}`);
    expect(before.series.find((s: any) => s.from === '2021-06-01')).toMatchObject({ leadersFilled: 4 });
  });

  test('the web import takes the 定编制 template (its own layout): rows recorded, unchanged or rejected with a reason', async () => {
    const departments = regionStaffing(t.server.core.staffing, { region: '650200', at: '2023-06-01' }).departments;
    const n = departments.length;
    const exported = staffingWorkbook(departments);
    const upload = (data: Buffer, effective: string) =>
      t.http().post('/api/imports').set('Authorization', `Bearer ${TOKENS.editor}`).field('region', '650200').field('effective', effective).field('document', '克编发〔2025〕1号').attach('files', data, '定编制.xlsx');
    const same = await upload(exported, '2023-06-01');
    expect([same.status, same.body.layout, same.body.rowsRead, same.body.recorded, same.body.unchanged, same.body.rejected]).toEqual([200, 'staffing', n, 0, n, []]);
    const before = (await get('/api/departments/EE/staffing')).actual.length;
    const changed = staffingWorkbook(regionStaffing(t.server.core.staffing, { region: '650200', at: '2023-06-01' }).departments.map((d) => (d.departmentId === 'EE' ? { ...d, categories: d.categories.map((c) => (c.category === '行政编制' ? { ...c, actual: 5 } : c)) } : d)));
    const r = await upload(changed, '2025-01-01');
    expect([r.status, r.body.recorded, r.body.unchanged]).toEqual([200, 1, n - 1]);
    expect((await get('/api/departments/EE/staffing')).actual.length).toBe(before + 1);
  });

  test('bad input: a clear error and nothing recorded', async () => {
    const bad = async (path: string, body: object, status: number, code?: string) => {
      const r = await t.post(path, body);
      expect([r.status, r.body.code]).toEqual([status, code ?? r.body.code]);
      return r.body;
    };
    const base = { effectiveFrom: '2024-06-01', reason: '调入', counts: { 行政编制: 10 } };
    await bad('/api/departments/TJ/staffing-actual', { ...base, counts: { 临时工: 3 } }, 400);
    await bad('/api/departments/TJ/staffing-actual', { ...base, reason: undefined }, 400);
    await bad('/api/departments/TJ/staffing-actual', { ...base, counts: { 行政编制: -1 } }, 400);
    await bad('/api/departments/NOPE/staffing-actual', base, 404);
    await bad('/api/departments/TJ/staffing-actual', { ...base, effectiveFrom: '2009-01-01' }, 409, 'DEPARTMENT_NOT_ACTIVE');
    await bad('/api/departments/TJ/sanding', { effectiveFrom: '2025-01-01', document: doc(), duties: [], internalOrgans: [], staffing: { authorized: 13, categories: { 行政编制: 12 }, leaders: 1 } }, 409, 'STAFFING_TOTAL');
    await bad('/api/departments/TJ/sanding', { effectiveFrom: '2025-01-01', document: doc(), duties: [], internalOrgans: [], staffing: { categories: { 行政编制: 12 }, leaders: 1, nature: '企业' } }, 400);
    const h = await get('/api/departments/TJ/staffing');
    expect(h.actual).toHaveLength(5);
  });
});
