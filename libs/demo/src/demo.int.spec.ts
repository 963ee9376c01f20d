import { SqliteEventStore } from '../../event-store/src';
import { Registry } from '../../application/src';
import { ProjectionRunner, createReadModels, editionList, ownership, publishedOwnership, regionEditions, regionStaffing } from '../../projections/src';
import { findingsOn } from '../../projections/src/findings';
import { DEMO_EDITIONS, loadDemo, readDemoData } from './index';

describe('the demo built from real Karamay lists', () => {
  test('loads through the command path and answers ownership with real departments, before and after its changes', async () => {
    const store = new SqliteEventStore({ file: ':memory:' });
    const demo = await loadDemo(new Registry(store));
    const { view, staffing, projections } = createReadModels();
    await new ProjectionRunner(store, projections).rebuild();
    const data = readDemoData();
    expect(data.regions.find((r) => r.code === '650200')?.name).toBe('克拉玛依市');
    expect(new Set(data.items.map((i) => i.departmentId)).size).toBeGreaterThanOrEqual(3);
    expect(demo.highlights.map((h) => h.what.split('：')[0])).toEqual(['划转', '取消', '职责交叉']);
    const [transfer, withdrawal, conflict] = demo.highlights;
    const ask = (h: (typeof demo.highlights)[0], at: string) => ownership(view, { region: h.region, item: h.item, at });
    expect(ask(transfer, transfer.at[0]).owners.map((o) => o.departmentName)).toEqual(['克拉玛依市人力资源和社会保障局']);
    expect(ask(transfer, transfer.at[1]).owners.map((o) => o.departmentName)).toEqual(['克拉玛依市医疗保障局']);
    expect(ask(withdrawal, withdrawal.at[0]).status).toBe('owned');
    expect(ask(withdrawal, withdrawal.at[1]).status).toBe('unowned');
    expect(ask(conflict, conflict.at[0]).status).toBe('owned');
    expect(ask(conflict, conflict.at[1]).status).toBe('conflict');
    // 定编制 (made-up numbers): one 超编, one 超职数, one 编制使用率 in the 60–75 % band
    const staff = findingsOn(view, { region: '650200', at: '2024-06-01' }).findings.filter((f) => ['overstaffed', 'over-leaders', 'low-usage'].includes(f.kind));
    expect(staff.map((f) => [f.kind, (f.department as { departmentId: string }).departmentId, f.from]).sort()).toEqual([
      ['low-usage', 'KLMY-DAJ', '2020-01-01'],
      ['over-leaders', 'KLMY-YBJ', '2022-03-01'],
      ['overstaffed', 'KLMY-TJJ', '2023-03-01'],
    ]);
    expect(regionStaffing(staffing, { region: '650200', at: '2024-06-01' }).departments.find((d) => d.departmentId === 'KLMY-DAJ')?.total).toMatchObject({ authorized: 20, actual: 14, usage: 0.7, band: '60-75' });
    await store.close();
  });

  test('the publication cycle: the lists as the 2024年版 edition, a change set published as the 2025年版, a draft under review', async () => {
    const store = new SqliteEventStore({ file: ':memory:' });
    const demo = await loadDemo(new Registry(store), undefined, store);
    const { view, editions, changeSets, projections } = createReadModels();
    await new ProjectionRunner(store, projections).rebuild();
    const eds = regionEditions(view, editions, '650200').editions;
    expect(eds.map((e) => [e.number, e.publishedOn, e.effectiveFrom, e.document.number])).toEqual([
      ['2025年版', '2024-12-25', '2025-01-01', '克政办发〔2024〕演示22号'],
      ['2024年版', '2023-12-25', '2024-01-01', '克政办发〔2023〕演示20号'],
    ]);
    expect(eds.every((e) => e.document.number.includes('演示') && e.title?.includes('演示'))).toBe(true);
    const e2024 = editionList(view, editions, '650200', '2024年版');
    const e2025 = editionList(view, editions, '650200', '2025年版');
    expect([e2024.edition.hashValid, e2025.edition.hashValid]).toEqual([true, true]);
    // every item of the demo's lists that is still in force in 2024 (one was withdrawn in 2023)
    expect(e2024.items.length).toBe(readDemoData().items.length - 1);
    expect(e2025.edition.changeSetId).toBeDefined();
    // the change set settled the 职责交叉: two leads in the 2024 edition, a lead and a 配合 in the 2025 one
    const conflict = demo.highlights.find((h) => h.what.startsWith('职责交叉'))!;
    const roles = (l: typeof e2024) => l.items.find((i) => i.code === conflict.item)!.owners.map((o) => o.role).sort();
    expect([roles(e2024), roles(e2025)]).toEqual([['lead', 'lead'], ['cooperating', 'lead']]);
    expect(publishedOwnership(view, editions, { region: '650200', item: conflict.item, at: '2024-06-01' }).edition?.number).toBe('2024年版');
    expect(publishedOwnership(view, editions, { region: '650200', item: conflict.item, at: '2025-06-01' }).status).toBe('owned');
    // the draft under review changes nothing in force
    const sets = changeSets.list({ region: '650200' });
    expect(sets.map((c) => [c.title, c.status]).sort()).toEqual([
      [DEMO_EDITIONS.published, 'published'],
      [DEMO_EDITIONS.underReview, 'submitted'],
    ].sort());
    const draft = changeSets.get(sets.find((c) => c.status === 'submitted')!.id)!;
    const body = draft.commands[0].body as { itemCode: string; fromDepartmentId: string; toDepartmentId: string };
    expect(body.fromDepartmentId).not.toBe(body.toDepartmentId);
    expect(ownership(view, { region: '650200', item: body.itemCode, at: '2026-06-01' }).owners.map((o) => o.departmentId)).toEqual([body.fromDepartmentId]);
    await store.close();
  });
});
