/**
 * Renders the example dispute report of docs/examples/ from a small history recorded over the years
 * (the store's clock is set before each command, as if the office had recorded it then).
 *   node -r ./bin/ts-register.js scripts/example-report.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../libs/event-store/src';
import { Registry } from '../libs/application/src';
import { ProjectionRunner, createReadModels, disputeReport, editionToPublish, renderDisputeReportHtml } from '../libs/projections/src';

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'quanze-example-'));
  let clock = Date.parse('2019-05-25T02:00:00Z');
  const store = new SqliteEventStore({ file: join(dir, 'events.db'), now: () => clock });
  const registry = new Registry(store);
  const office = { actor: '市编办·张敏' };
  const at = (iso: string) => (clock = Date.parse(iso));
  const item = 'L650200-52A3A09A53';
  await registry.registerRegion({ code: '650000', name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '1955-10-01', document: { number: '国家统计局2023年统计用区划代码' } }, office);
  await registry.registerRegion({ code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '1982-01-01', document: { number: '国家统计局2023年统计用区划代码' } }, office);
  const reform = { number: '克编委〔2019〕演示2号', title: '克拉玛依市机构改革实施方案（演示）', issuedOn: '2019-02-15' };
  await registry.establishDepartment({ id: 'KLMY-RSJ', name: '克拉玛依市人力资源和社会保障局', regionCode: '650200', effectiveFrom: '2019-03-01', document: reform }, office);
  await registry.establishDepartment({ id: 'KLMY-YBJ', name: '克拉玛依市医疗保障局', regionCode: '650200', effectiveFrom: '2019-03-01', document: reform }, office);
  await registry.issueSanding(
    {
      id: 'KLMY-YBJ',
      duties: [{ id: 'YB-01', text: '监督管理医疗保障基金，查处欺诈骗取医疗保障基金的行为' }],
      internalOrgans: [{ id: 'YB-JD', name: '基金监管科', duties: [{ id: 'YB-JD-1', text: '承担欺诈骗保行为的行政处罚' }] }],
      staffing: { authorized: 24, leaders: 4 },
      effectiveFrom: '2019-03-01',
      document: { number: '克办发〔2019〕演示8号', title: '克拉玛依市医疗保障局职能配置、内设机构和人员编制规定（演示）', issuedOn: '2019-02-28' },
    },
    office,
  );
  await registry.defineCatalogItem(
    { code: item, name: '对单位或个人以欺诈、伪造证明材料或者其他手段骗取社会保险待遇的处罚', type: '行政处罚', basis: ['《中华人民共和国社会保险法》第八十八条'], levels: ['city', 'county'], effectiveFrom: '2019-01-01', document: { number: '新编办〔2019〕演示1号', title: '自治区权责清单通用目录（演示）' } },
    office,
  );
  await registry.assignItem({ regionCode: '650200', itemCode: item, departmentId: 'KLMY-RSJ', role: 'lead', effectiveFrom: '2019-06-01', document: { number: '克政办发〔2019〕演示3号', title: '克拉玛依市2019年权责清单（演示）' } }, office);
  // The 2019 list published as an edition (年版), declared by the office the day it came out.
  at('2019-06-10T02:00:00Z');
  {
    const m = createReadModels();
    await new ProjectionRunner(store, m.projections).rebuild();
    const edition = { regionCode: '650200', number: '2019年版', title: '克拉玛依市权责清单（2019年版，演示）', publishedOn: '2019-06-10', effectiveFrom: '2019-06-01' };
    await registry.publishEdition({ ...edition, document: { number: '克政办发〔2019〕演示3号', title: '克拉玛依市2019年权责清单（演示）' }, ...editionToPublish(m.view, { region: '650200', effectiveFrom: edition.effectiveFrom }) }, office);
  }
  at('2021-12-15T03:30:00Z');
  const first = await registry.transferItem(
    { regionCode: '650200', itemCode: item, fromDepartmentId: 'KLMY-RSJ', toDepartmentId: 'KLMY-YBJ', effectiveFrom: '2022-01-01', document: { number: '克编办〔2021〕演示4号', title: '关于调整部分权责事项的通知（演示）', issuedOn: '2021-12-10' }, reason: '医保基金监管职责划入医疗保障局' },
    office,
  );
  at('2022-03-01T01:00:00Z');
  const reviewer = { actor: '市编办·李强（复核）' };
  await registry.retractEvent({ eventId: first.eventIds[0], reason: '生效日期登记有误：通知自 2021-12-01 起施行', document: { number: '克编办〔2022〕演示11号', title: '关于更正权责事项调整生效日期的函（演示）', issuedOn: '2022-02-25' } }, reviewer);
  at('2022-03-01T01:05:00Z');
  await registry.transferItem(
    { regionCode: '650200', itemCode: item, fromDepartmentId: 'KLMY-RSJ', toDepartmentId: 'KLMY-YBJ', effectiveFrom: '2021-12-01', document: { number: '克编办〔2021〕演示4号', title: '关于调整部分权责事项的通知（演示）', issuedOn: '2021-12-10' }, reason: '按更正后的生效日期重新登记' },
    reviewer,
  );
  at('2022-03-02T02:00:00Z');
  await registry.agreeBoundaryClause(
    { clauseId: 'B-2022-01', regionCode: '650200', matter: '欺诈骗取社会保险待遇的查处：医疗保险部分由医保局牵头，人社局配合', leadDepartmentId: 'KLMY-YBJ', assistingDepartmentIds: ['KLMY-RSJ'], itemCodes: [item], effectiveFrom: '2021-12-01', document: { number: '克编办〔2022〕演示12号', title: '职责分工协调意见书（演示）' } },
    office,
  );
  const { view, editions, projections } = createReadModels();
  await new ProjectionRunner(store, projections).rebuild();
  const report = disputeReport(view, { region: '650200', item, at: '2021-12-20' }, { now: '2026-11-22T09:00:00.000Z', chainHead: await store.chainHead!(), editions });
  writeFileSync(join(__dirname, '..', 'docs', 'examples', 'dispute-report.html'), renderDisputeReportHtml(report));
  writeFileSync(join(__dirname, '..', 'docs', 'examples', 'dispute-report.json'), JSON.stringify(report, null, 2) + '\n');
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`as published then (${report.asPublishedThen.edition?.number}): ${report.asPublishedThen.owners.map((o) => o.departmentName)}; as recorded on 2021-12-20: ${report.asRecordedOnTheDay.owners.map((o) => o.departmentName)}; as known now: ${report.asKnownNow.owners.map((o) => o.departmentName)}`);
}
void main();
