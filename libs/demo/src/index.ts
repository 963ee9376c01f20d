import demoJson from './demo-data.json';
import { ChangeSets, CommandContext, CommandResult, Registry } from '../../application/src';
import { ItemType, Level } from '../../domain/src';
import { EventStore } from '../../event-store/src';
import { ProjectionRunner, createReadModels, editionAfterChangeSet, editionToPublish } from '../../projections/src';

export interface DemoData {
  generatedFrom: string[];
  regions: Array<{ code: string; name: string; level: Level; parentCode?: string }>;
  departments: Array<{ id: string; name: string; regionCode: string; sourceFile?: string }>;
  items: Array<{ code: string; name: string; type: ItemType; basis: string[]; levels: Level[]; departmentId: string; sourceFile?: string; sheet?: string; row?: number }>;
}

export function readDemoData(): DemoData {
  return demoJson as unknown as DemoData;
}

/** The documents the demo cites. Marked 演示: they illustrate the flow, they are not real 文号. */
export const DEMO_DOCS = {
  divisions: { number: '国家统计局2023年统计用区划代码', title: '统计用区划代码和城乡划分代码（2023）', issuedBy: '国家统计局' },
  catalogue: { number: '新编办〔2019〕演示1号', title: '自治区权责清单通用目录（演示）', issuedBy: '自治区党委编办（演示）', issuedOn: '2019-01-01' },
  reform: { number: '克编委〔2019〕演示2号', title: '克拉玛依市机构改革实施方案（演示）', issuedBy: '克拉玛依市委编委（演示）', issuedOn: '2019-02-15' },
  list2019: { number: '克政办发〔2019〕演示3号', title: '克拉玛依市2019年权责清单（演示）', issuedBy: '克拉玛依市人民政府办公室（演示）', issuedOn: '2019-05-20' },
  adjust2022: { number: '克编办〔2021〕演示4号', title: '关于调整部分权责事项的通知（演示）', issuedBy: '克拉玛依市委编办（演示）', issuedOn: '2021-12-10' },
  adjust2023: { number: '克编办〔2023〕演示5号', title: '关于取消部分权责事项的通知（演示）', issuedBy: '克拉玛依市委编办（演示）', issuedOn: '2023-06-15' },
  rename2021: { number: '克编委〔2021〕演示6号', title: '关于部门更名的批复（演示）', issuedBy: '克拉玛依市委编委（演示）', issuedOn: '2021-02-20' },
  sanding2019: { number: '克编发〔2019〕演示8号', title: '部门职能配置、内设机构和人员编制规定（演示）', issuedBy: '克拉玛依市委编委（演示）', issuedOn: '2019-02-28' },
  staffing: { number: '克编办〔2020〕演示9号', title: '机构编制实名制台账（演示）', issuedBy: '克拉玛依市委编办（演示）', issuedOn: '2020-01-10' },
  overlap2024: { number: '克政办发〔2024〕演示7号', title: '克拉玛依市2024年权责清单（演示）', issuedBy: '克拉玛依市人民政府办公室（演示）', issuedOn: '2023-12-20' },
  edition2024: { number: '克政办发〔2023〕演示20号', title: '关于公布克拉玛依市权责清单（2024年版）的通知（演示）', issuedBy: '克拉玛依市人民政府办公室（演示）', issuedOn: '2023-12-25' },
  adjust2025: { number: '克编办〔2024〕演示21号', title: '克拉玛依市2025年权责清单调整方案（演示）', issuedBy: '克拉玛依市委编办（演示）', issuedOn: '2024-11-20' },
  edition2025: { number: '克政办发〔2024〕演示22号', title: '关于公布克拉玛依市权责清单（2025年版）的通知（演示）', issuedBy: '克拉玛依市人民政府办公室（演示）', issuedOn: '2024-12-25' },
  adjust2026: { number: '克编办〔2025〕演示23号', title: '克拉玛依市2026年权责清单调整方案（演示，征求意见稿）', issuedBy: '克拉玛依市委编办（演示）', issuedOn: '2025-11-15' },
};

/** The demo's editions (年版) and change sets (调整方案), for tests and the README. */
export const DEMO_EDITIONS = {
  e2024: { number: '2024年版', title: '克拉玛依市权责清单（2024年版，演示）', publishedOn: '2023-12-25', effectiveFrom: '2024-01-01', document: DEMO_DOCS.edition2024 },
  e2025: { number: '2025年版', title: '克拉玛依市权责清单（2025年版，演示）', publishedOn: '2024-12-25', effectiveFrom: '2025-01-01', document: DEMO_DOCS.edition2025 },
  published: '2025年权责清单调整方案（演示）',
  underReview: '2026年权责清单调整方案（演示，审核中）',
};

export interface DemoResult {
  position: number;
  commands: number;
  /** The changes with history, so a newcomer knows what to ask about. */
  highlights: Array<{ what: string; region: string; item: string; at: string[] }>;
}

/**
 * Loads the demo through the real command path, so it is recorded exactly as an office would record it.
 * With `store` (the one `registry` writes to: its editions' content hashes are read back from it) also the
 * publication cycle: the 2024年版 edition, a change set published as the 2025年版, a draft under review.
 */
export async function loadDemo(registry: Registry, data: DemoData = readDemoData(), store?: EventStore): Promise<DemoResult> {
  const ctx: CommandContext = { actor: 'demo-loader', correlationId: 'demo' };
  let position = 0;
  let commands = 0;
  const run = async (p: Promise<CommandResult>) => {
    const r = await p;
    position = Math.max(position, r.position);
    commands++;
    return r;
  };
  for (const r of data.regions) {
    await run(registry.registerRegion({ ...r, effectiveFrom: '2000-01-01', document: DEMO_DOCS.divisions }, ctx));
  }
  for (const d of data.departments) {
    await run(registry.establishDepartment({ id: d.id, name: d.name, regionCode: d.regionCode, effectiveFrom: '2019-03-01', document: DEMO_DOCS.reform }, ctx));
  }
  for (const i of data.items) {
    await run(registry.defineCatalogItem({ code: i.code, name: i.name, type: i.type, basis: i.basis, levels: i.levels, effectiveFrom: '2019-01-01', document: DEMO_DOCS.catalogue }, ctx));
  }
  const city = data.departments[0].regionCode;
  for (const i of data.items) {
    await run(registry.assignItem({ regionCode: city, itemCode: i.code, departmentId: i.departmentId, role: 'lead', effectiveFrom: '2019-06-01', document: DEMO_DOCS.list2019 }, ctx));
  }
  const highlights: DemoResult['highlights'] = [];
  // History, chosen deterministically from the data: a transfer (社会保险 matters from 人社 to 医保, as the 2018-19
  // reform did), a withdrawal, a rename, and a conflict (a matter that two departments' lists both claim).
  const depts = data.departments.map((d) => d.id);
  const byDept = (id: string) => data.items.filter((i) => i.departmentId === id);
  const pick = (id: string, re: RegExp) => byDept(id).find((i) => re.test(i.name)) ?? byDept(id)[0];
  const has = (id: string) => depts.includes(id);
  const [fromId, toId] = has('KLMY-RSJ') && has('KLMY-YBJ') ? ['KLMY-RSJ', 'KLMY-YBJ'] : [depts[0], depts[1]];
  const moved = pick(fromId, /医疗|社会保险/);
  if (moved && toId) {
    await run(registry.transferItem({ regionCode: city, itemCode: moved.code, fromDepartmentId: fromId, toDepartmentId: toId, effectiveFrom: '2022-01-01', document: DEMO_DOCS.adjust2022, reason: '机构职能调整（演示）' }, ctx));
    highlights.push({ what: `划转：${moved.name}`, region: city, item: moved.code, at: ['2021-12-31', '2022-01-01'] });
  }
  const dropId = has('KLMY-JGSWGLJ') ? 'KLMY-JGSWGLJ' : depts[0];
  const dropped = byDept(dropId).find((i) => i.code !== moved?.code);
  if (dropped) {
    await run(registry.withdrawItem({ regionCode: city, itemCode: dropped.code, effectiveFrom: '2023-07-01', document: DEMO_DOCS.adjust2023, reason: '事项取消（演示）' }, ctx));
    highlights.push({ what: `取消：${dropped.name}`, region: city, item: dropped.code, at: ['2023-06-30', '2023-07-01'] });
  }
  const renamed = data.departments.find((d) => d.id === 'KLMY-TJJ') ?? data.departments[0];
  await run(registry.renameDepartment({ id: renamed.id, name: `${renamed.name}（更名演示）`, effectiveFrom: '2021-03-01', document: DEMO_DOCS.rename2021 }, ctx));
  const [ownerId, claimantId] = has('KLMY-STHJJ') && has('KLMY-NYNCJ') ? ['KLMY-STHJJ', 'KLMY-NYNCJ'] : [depts[2], depts[3]];
  const shared = ownerId ? pick(ownerId, /土壤/) : undefined;
  if (shared && claimantId) {
    await run(registry.assignItem({ regionCode: city, itemCode: shared.code, departmentId: claimantId, role: 'lead', effectiveFrom: '2024-01-01', document: DEMO_DOCS.overlap2024, reason: '两部门清单均列入（职责交叉演示）' }, ctx));
    highlights.push({ what: `职责交叉：${shared.name}`, region: city, item: shared.code, at: ['2023-12-31', '2024-01-01'] });
  }
  await loadDemoStaffing(registry, data, run, ctx);
  if (store) await loadDemoPublication(registry, store, data, run, ctx, { city, shared: shared && claimantId ? { item: shared.code, lead: ownerId, claimant: claimantId } : undefined, moved: moved && toId ? { from: toId, to: fromId } : undefined });
  return { position, commands, highlights };
}

/**
 * 定编制 for three of the real departments: a 三定 (演示) whose duties are worded from the department's
 * own list items, with staffing, and 实有人员 reports — every number made up (libs/demo/SOURCE.md) — with
 * one 超编 (统计局, 2023), one 超职数 (医保局, 2022) and one 编制使用率 in the 60–75 % band (档案局).
 */
async function loadDemoStaffing(registry: Registry, data: DemoData, run: (p: Promise<CommandResult>) => Promise<CommandResult>, ctx: CommandContext): Promise<void> {
  const plan: Array<{ id: string; organs: string[]; staffing: { categories: Record<string, number>; leaderPosts: Record<string, number>; nature: string }; reports: Array<{ from: string; reason: string; counts: Record<string, number>; leaders: Record<string, number>; outside: number }> }> = [
    {
      id: 'KLMY-TJJ',
      organs: ['办公室', '综合统计科', '统计执法监督科'],
      staffing: { categories: { 行政编制: 12, 工勤编制: 1 }, leaderPosts: { 局长: 1, 副局长: 2 }, nature: '行政机关' },
      reports: [
        { from: '2020-01-01', reason: '年度核对', counts: { 行政编制: 11, 工勤编制: 1 }, leaders: { 局长: 1, 副局长: 2 }, outside: 2 },
        { from: '2023-03-01', reason: '招录', counts: { 行政编制: 14, 工勤编制: 1 }, leaders: { 局长: 1, 副局长: 2 }, outside: 2 },
      ],
    },
    {
      id: 'KLMY-YBJ',
      organs: ['办公室', '医药服务管理科', '基金监管科'],
      staffing: { categories: { 行政编制: 15, 事业编制: 6 }, leaderPosts: { 局长: 1, 副局长: 2 }, nature: '行政机关' },
      reports: [
        { from: '2020-01-01', reason: '年度核对', counts: { 行政编制: 14, 事业编制: 6 }, leaders: { 局长: 1, 副局长: 2 }, outside: 3 },
        { from: '2022-03-01', reason: '调入', counts: { 行政编制: 15, 事业编制: 6 }, leaders: { 局长: 1, 副局长: 3 }, outside: 3 },
      ],
    },
    {
      id: 'KLMY-DAJ',
      organs: ['档案管理科', '档案利用科'],
      staffing: { categories: { 行政编制: 8, 事业编制: 12 }, leaderPosts: { 局长: 1, 副局长: 1 }, nature: '参公事业单位' },
      reports: [{ from: '2020-01-01', reason: '年度核对', counts: { 行政编制: 6, 事业编制: 8 }, leaders: { 局长: 1, 副局长: 1 }, outside: 1 }],
    },
  ];
  for (const p of plan) {
    if (!data.departments.some((d) => d.id === p.id)) continue;
    const held = data.items.filter((i) => i.departmentId === p.id);
    const duties = held.map((i, n) => ({ id: `${p.id}-D${n + 1}`, text: `负责${i.name}（演示）` }));
    const internalOrgans = p.organs.map((name, n) => ({ id: `${p.id}-O${n + 1}`, name, duties: [] }));
    await run(registry.issueSanding({ id: p.id, effectiveFrom: '2019-03-01', document: DEMO_DOCS.sanding2019, duties, internalOrgans, staffing: p.staffing, reason: '三定（演示）' }, ctx));
    for (const r of p.reports) {
      await run(registry.reportActualStaffing({ departmentId: p.id, effectiveFrom: r.from, document: DEMO_DOCS.staffing, reason: `${r.reason}（演示）`, counts: r.counts, leaders: r.leaders, outside: r.outside }, ctx));
    }
  }
}

/**
 * 年版 and 调整方案: the lists as loaded above published as the 2024年版 edition (in force from
 * 2024-01-01, published 2023-12-25); one change set — the 职责交叉 of the soil matter settled, the
 * claimant kept as 配合 — reviewed and published as the 2025年版; and one draft (2026) submitted and
 * still under review, so nothing of it is in force. Every 文号 is labelled 演示.
 */
async function loadDemoPublication(
  registry: Registry,
  store: EventStore,
  data: DemoData,
  run: (p: Promise<CommandResult>) => Promise<CommandResult>,
  ctx: CommandContext,
  o: { city: string; shared?: { item: string; lead: string; claimant: string }; moved?: { from: string; to: string } },
): Promise<void> {
  const models = async () => {
    const m = createReadModels();
    await new ProjectionRunner(store, m.projections).rebuild();
    return m.view;
  };
  const e24 = DEMO_EDITIONS.e2024;
  await run(registry.publishEdition({ regionCode: o.city, ...e24, ...editionToPublish(await models(), { region: o.city, effectiveFrom: e24.effectiveFrom }) }, ctx));

  const sets = new ChangeSets(store, registry);
  const office = { ...ctx, actor: 'demo-编办' };
  const reviewer = { ...ctx, actor: 'demo-法制审核' };
  const admin = { ...ctx, actor: 'demo-政府办' };
  const item = (code: string, verb: string) => `POST /api/regions/${o.city}/items/${code}/${verb}`;
  if (o.shared) {
    const s = o.shared;
    const cs = await run(sets.open({ regionCode: o.city, title: DEMO_EDITIONS.published, document: DEMO_DOCS.adjust2025 }, office));
    const id = (cs as CommandResult & { id: string }).id;
    const doc = DEMO_DOCS.adjust2025;
    const reason = '职责交叉经协调：生态环境局牵头，农业农村局配合（演示）';
    await run(sets.add(id, { route: item(s.item, 'withdraw'), name: 'withdrawItem', body: { regionCode: o.city, itemCode: s.item, departmentId: s.claimant, effectiveFrom: '2025-01-01', document: doc, reason } }, office) as unknown as Promise<CommandResult>);
    await run(sets.add(id, { route: item(s.item, 'assign'), name: 'assignItem', body: { regionCode: o.city, itemCode: s.item, departmentId: s.claimant, role: 'cooperating', effectiveFrom: '2025-01-01', document: doc, reason } }, office) as unknown as Promise<CommandResult>);
    await run(sets.submit(id, '提请审核（演示）', office));
    await run(sets.review(id, { decision: 'approve', note: '经合法性审查，同意（演示）' }, reviewer));
    const e25 = DEMO_EDITIONS.e2025;
    // one append: the commands, the 2025年版 (its content: the list as it will be after them) and ChangeSetPublished
    const edition = { number: e25.number, title: e25.title, effectiveFrom: e25.effectiveFrom };
    await run(sets.publishAs(id, { document: e25.document, publishedOn: e25.publishedOn, edition }, admin, async (q) => editionAfterChangeSet(await models(), q)).then((r) => ({ ...r, streamVersion: r.version })));
  }
  // A draft still under review: submitted, not approved — none of it is in force.
  const movable = o.moved ? data.items.find((i) => i.departmentId === o.moved!.from && i.code !== o.shared?.item && /社会保险|医疗保险|医疗保障/.test(i.name)) : undefined;
  const draft = await run(sets.open({ regionCode: o.city, title: DEMO_EDITIONS.underReview, document: DEMO_DOCS.adjust2026 }, office));
  const draftId = (draft as CommandResult & { id: string }).id;
  if (movable && o.moved) {
    await run(sets.add(draftId, { route: item(movable.code, 'transfer'), name: 'transferItem', body: { regionCode: o.city, itemCode: movable.code, fromDepartmentId: o.moved.from, toDepartmentId: o.moved.to, effectiveFrom: '2026-01-01', document: DEMO_DOCS.adjust2026, reason: '拟调整（演示，审核中）' } }, office) as unknown as Promise<CommandResult>);
  }
  await run(sets.submit(draftId, '提请审核（演示）', office));
}
