import { Registry } from '../../../application/src';
import { SqliteEventStore } from '../../../event-store/src';
import { EVENT_ZH } from '../../../contract/src';
import { ProjectionRunner } from '../runner';
import { createReadModels } from '../read-models';
import { editionToPublish } from '../editions/edition-content';
import { DisputeReport, buildDisputeReport, renderDisputeReportHtml } from './dispute-report';

/**
 * The dispute report three ways — as published then, as recorded then, as known now — on the two
 * histories a registry really has: back-filled (lists published years ago, imported now) and corrected
 * (a record retracted and re-recorded later). The store's clock is set before each command.
 */
describe('dispute report, three ways', () => {
  let clock = 0;
  let store: SqliteEventStore;
  let reg: Registry;
  const at = (iso: string) => (clock = Date.parse(iso));
  const office = { actor: '市编办·张敏' };
  const doc = (number: string) => ({ number });
  const models = async () => {
    const m = createReadModels();
    await new ProjectionRunner(store, m.projections).rebuild();
    return m;
  };
  const report = async (q: { item: string; at: string; asKnownAt?: string }): Promise<DisputeReport> => {
    const m = await models();
    return buildDisputeReport(m.view, store, { region: '650200', ...q }, { now: new Date(clock).toISOString(), editions: m.editions });
  };
  const publish = async (number: string, publishedOn: string, effectiveFrom: string) => {
    const m = await models();
    return reg.publishEdition({ regionCode: '650200', number, title: `克拉玛依市权责清单（${number}）`, publishedOn, effectiveFrom, document: doc(`克政办发〔${number.slice(0, 4)}〕演示1号`), ...editionToPublish(m.view, { region: '650200', effectiveFrom }) }, office);
  };
  const names = (a: { owners: Array<{ departmentName: string; roleLabel: string }> }) => a.owners.map((o) => `${o.departmentName}/${o.roleLabel}`);

  beforeEach(async () => {
    store = new SqliteEventStore({ file: ':memory:', now: () => clock });
    reg = new Registry(store);
  });
  afterEach(() => store.close());

  const setUp = async () => {
    await reg.registerRegion({ code: '650000', name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '1955-10-01', document: doc('区划代码') }, office);
    await reg.registerRegion({ code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '1982-01-01', document: doc('区划代码') }, office);
    await reg.establishDepartment({ id: 'RS', name: '市人力资源和社会保障局', regionCode: '650200', effectiveFrom: '2010-01-01', document: doc('机构') }, office);
    await reg.establishDepartment({ id: 'YB', name: '市医疗保障局<script>alert(1)</script>', regionCode: '650200', effectiveFrom: '2010-01-01', document: doc('机构') }, office);
    await reg.defineCatalogItem({ code: 'X', name: '对骗取社会保险待遇的处罚', type: '行政处罚', basis: ['《社会保险法》第八十八条'], levels: ['city', 'county'], effectiveFrom: '2015-01-01', document: doc('目录') }, office);
  };

  test('back-filled: the list published in 2019, imported and declared as an edition in 2026', async () => {
    at('2026-12-01T02:00:00Z');
    await setUp();
    const list = doc('克政办发〔2019〕演示1号');
    await reg.assignItem({ regionCode: '650200', itemCode: 'X', departmentId: 'RS', role: 'lead', effectiveFrom: '2019-01-01', document: list }, office);
    at('2026-12-01T02:00:05Z');
    // another row of the same published list, recorded a moment later: part of the original record too
    await reg.assignItem({ regionCode: '650200', itemCode: 'X', departmentId: 'YB', role: 'cooperating', effectiveFrom: '2019-01-01', document: list }, office);
    at('2026-12-01T02:10:00Z');
    await publish('2019年版', '2019-01-10', '2019-01-01');

    const r = await report({ item: 'X', at: '2020-06-01' });
    expect(r.question.asKnownAt).toBe('2020-06-01T15:59:59.999Z');
    expect(r.asPublishedThen.edition).toMatchObject({ number: '2019年版', publishedOn: '2019-01-10', effectiveFrom: '2019-01-01', document: { number: '克政办发〔2019〕演示1号' } });
    expect(names(r.asPublishedThen)).toEqual(['市人力资源和社会保障局/牵头', '市医疗保障局<script>alert(1)</script>/配合']);
    expect([r.asRecordedOnTheDay.status, r.asRecordedOnTheDay.recorded, r.asRecordedOnTheDay.statusLabel]).toEqual(['not-in-list', false, '当时尚无登记']);
    expect(names(r.asKnownNow)).toEqual(names(r.asPublishedThen));
    expect([r.backFilled, r.answersDiffer, r.publishedDiffers]).toEqual([true, true, false]);
    // the definition and the first rows of the list are the original record, not corrections
    expect(r.evolution.map((s) => [s.type, s.original, s.correction])).toEqual([
      ['CatalogItemDefined', true, false],
      ['ItemAssigned', true, false],
      ['ItemAssigned', true, false],
    ]);
    expect(r.corrections).toEqual([]);
    expect(r.itemVersion?.levelLabels).toEqual(['市级', '县级']);
    expect(r.labels.eventTypes).toEqual({ CatalogItemDefined: '列入目录', ItemAssigned: '认领（列入本级清单）' });

    // before the edition was published: no edition in force (published on the 10th, in effect from the 1st)
    const early = await report({ item: 'X', at: '2019-01-05' });
    expect([early.asPublishedThen.edition, early.asPublishedThen.statusLabel, early.publishedDiffers]).toEqual([null, '当日尚无已公布的清单版本', null]);
    const html = renderDisputeReportHtml(early);
    expect(html).toContain('当日尚无已公布的清单版本');

    // a retraction recorded later that changes the answer for the day is a correction, back-filled or not
    at('2026-12-02T03:00:00Z');
    const coop = r.evolution[2].eventId;
    await reg.retractEvent({ eventId: coop, reason: '配合部门错录', document: doc('克编办〔2026〕演示9号') }, office);
    const after = await report({ item: 'X', at: '2020-06-01' });
    expect(after.corrections.map((s) => [s.type, s.retracts, s.statusLabel])).toEqual([['EventRetracted', coop, '有明确牵头部门']]);
    expect(after.publishedDiffers).toBe(true);
    expect(names(after.asPublishedThen)).toEqual(names(r.asPublishedThen)); // the edition says what it said
    // as known just after the original record: the retraction is the only later record, and it is a correction
    const asOf = await report({ item: 'X', at: '2020-06-01', asKnownAt: '2026-12-01T03:00:00.000Z' });
    expect([asOf.backFilled, asOf.asRecordedOnTheDay.owners.length, asOf.corrections.length]).toEqual([false, 2, 1]);

    const page = renderDisputeReportHtml(after);
    expect(page).toContain('2019年版');
    expect(page).toContain('克政办发〔2019〕演示1号');
    expect(page).toContain('当时尚无登记');
    expect(page).toContain('原始登记');
    expect(page).toContain('市医疗保障局&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toMatch(/<script/i);
    for (const t of Object.keys(EVENT_ZH)) expect([t, page.includes(t)]).toEqual([t, false]);
    for (const code of ['lead', 'cooperating', '>city<', 'not-in-list', 'owned']) expect([code, page.includes(code)]).toEqual([code, false]);
  });

  test('corrected: a transfer recorded with the wrong date, retracted and re-recorded later', async () => {
    at('2019-05-25T02:00:00Z');
    await setUp();
    await reg.assignItem({ regionCode: '650200', itemCode: 'X', departmentId: 'RS', role: 'lead', effectiveFrom: '2019-06-01', document: doc('克政办发〔2019〕演示3号') }, office);
    at('2019-06-10T02:00:00Z');
    await publish('2019年版', '2019-06-10', '2019-06-01');
    at('2021-12-15T03:30:00Z');
    const first = await reg.transferItem({ regionCode: '650200', itemCode: 'X', fromDepartmentId: 'RS', toDepartmentId: 'YB', effectiveFrom: '2022-01-01', document: doc('克编办〔2021〕演示4号') }, office);
    at('2022-03-01T01:00:00Z');
    await reg.retractEvent({ eventId: first.eventIds[0], reason: '生效日期登记有误', document: doc('克编办〔2022〕演示11号') }, { actor: '市编办·李强（复核）' });
    at('2022-03-01T01:05:00Z');
    const again = await reg.transferItem({ regionCode: '650200', itemCode: 'X', fromDepartmentId: 'RS', toDepartmentId: 'YB', effectiveFrom: '2021-12-01', document: doc('克编办〔2021〕演示4号（更正）') }, { actor: '市编办·李强（复核）' });
    at('2026-12-01T00:00:00Z');

    const r = await report({ item: 'X', at: '2021-12-20' });
    expect(r.asPublishedThen.edition?.number).toBe('2019年版');
    expect(r.asPublishedThen.owners.map((o) => o.departmentId)).toEqual(['RS']);
    expect(r.asRecordedOnTheDay.owners.map((o) => o.departmentId)).toEqual(['RS']);
    expect(r.asKnownNow.owners.map((o) => o.departmentId)).toEqual(['YB']);
    expect([r.backFilled, r.answersDiffer, r.publishedDiffers]).toEqual([false, true, true]);
    // the first transfer (in force only from 2022) and its retraction did not change the answer for the day
    expect(r.evolution.map((s) => [s.typeLabel, s.changedTheAnswer, s.correction])).toEqual([
      ['列入目录', true, false],
      ['认领（列入本级清单）', true, false],
      ['划转', false, false],
      ['撤回（更正）', false, false],
      ['划转', true, true],
    ]);
    expect(r.corrections.map((s) => [s.eventId, s.actor])).toEqual([[again.eventIds[0], '市编办·李强（复核）']]);
    expect(r.documents.map((d) => d.number)).toEqual(expect.arrayContaining(['克政办发〔2019〕演示1号', '克编办〔2022〕演示11号', '克编办〔2021〕演示4号（更正）']));

    // as recorded at an instant between the retraction and the re-recorded transfer
    const between = await report({ item: 'X', at: '2021-12-20', asKnownAt: '2022-03-01T01:02:00.000Z' });
    expect(between.asRecordedOnTheDay.owners.map((o) => o.departmentId)).toEqual(['RS']);
    expect(between.corrections.map((s) => s.eventId)).toEqual([again.eventIds[0]]);
    // as recorded after everything: nothing later, the answers agree
    const late = await report({ item: 'X', at: '2021-12-20', asKnownAt: '2026-01-01T00:00:00.000Z' });
    expect([late.answersDiffer, late.corrections.length]).toEqual([false, 0]);
    const page = renderDisputeReportHtml(r);
    expect(page).toContain('2021-12-20 23:59:59（北京时间） 之后登记了 1 项改变该日答案的更正');
    expect(page).toContain('当日公布的清单版本与现有记录不一致');
  });

  test('back-filled in one run with its later history (each step under its own document): no corrections; a later run that changes the day is one', async () => {
    at('2026-12-01T02:00:00Z');
    await setUp();
    // one back-fill run (one correlation id, as an import or a script gives its events): the 2019 list, a
    // 2021 transfer and a 2023 co-implementing department, each under the document that made it
    const run = { ...office, correlationId: 'backfill-2026-12-01' };
    await reg.assignItem({ regionCode: '650200', itemCode: 'X', departmentId: 'RS', role: 'lead', effectiveFrom: '2019-01-01', document: doc('克政办发〔2019〕演示1号') }, run);
    at('2026-12-01T02:00:01Z');
    await reg.transferItem({ regionCode: '650200', itemCode: 'X', fromDepartmentId: 'RS', toDepartmentId: 'YB', effectiveFrom: '2021-03-01', document: doc('克编办〔2021〕演示5号') }, run);
    at('2026-12-01T02:00:02Z');
    await reg.assignItem({ regionCode: '650200', itemCode: 'X', departmentId: 'RS', role: 'cooperating', effectiveFrom: '2023-01-01', document: doc('克编办〔2022〕演示6号') }, run);

    const r = await report({ item: 'X', at: '2023-06-01' });
    expect([r.backFilled, r.asRecordedOnTheDay.statusLabel]).toEqual([true, '当时尚无登记']);
    expect(names(r.asKnownNow)).toEqual(['市医疗保障局<script>alert(1)</script>/牵头', '市人力资源和社会保障局/配合']);
    expect(r.evolution.map((s) => [s.type, s.document?.number, s.changedTheAnswer, s.original, s.correction])).toEqual([
      ['CatalogItemDefined', '目录', true, true, false],
      ['ItemAssigned', '克政办发〔2019〕演示1号', true, true, false],
      ['ItemTransferred', '克编办〔2021〕演示5号', true, true, false],
      ['ItemAssigned', '克编办〔2022〕演示6号', true, true, false],
    ]);
    expect(r.corrections).toEqual([]);

    // a week later, another run withdraws the co-implementing department from 2023: that one changed what the registry said
    at('2026-12-08T02:00:00Z');
    await reg.withdrawItem({ regionCode: '650200', itemCode: 'X', departmentId: 'RS', effectiveFrom: '2023-01-01', document: doc('克编办〔2026〕演示9号'), reason: '补录有误' }, { ...office, correlationId: 'fix-2026-12-08' });
    const after = await report({ item: 'X', at: '2023-06-01' });
    expect(after.corrections.map((s) => [s.type, s.document?.number])).toEqual([['ItemWithdrawn', '克编办〔2026〕演示9号']]);
    expect(after.evolution.filter((s) => s.original).length).toBe(4);
  });
});
