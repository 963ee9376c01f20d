import { SqliteEventStore } from '../../event-store/src';
import { Registry } from '../../application/src';
import { ProjectionRunner, createReadModels, ownership, regionStaffing } from '../../projections/src';
import { findingsOn } from '../../projections/src/findings';
import { loadDemo, readDemoData } from './index';

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
});
