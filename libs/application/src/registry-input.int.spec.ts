import { SqliteEventStore } from '../../event-store/src';
import { Registry } from '.';

/** Callers in process (CLI, import, scripts) skip the HTTP validation: the registry refuses bad input itself. */
describe('registry input from callers in process', () => {
  test('a delegation or recall without child regions is refused clearly and records nothing', async () => {
    const store = new SqliteEventStore({ file: ':memory:' });
    const registry = new Registry(store);
    const ctx = { actor: 't' };
    const doc = { number: '测试〔2024〕1号' };
    await registry.registerRegion({ code: '650000', name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '2000-01-01', document: doc }, ctx);
    const before = (await store.info()).eventCount;
    for (const codes of [null, undefined, [], [42]]) {
      await expect(
        registry.delegateItem({ regionCode: '650000', itemCode: 'P1', toRegionCodes: codes as any, effectiveFrom: '2024-01-01', document: doc }, ctx),
      ).rejects.toMatchObject({ code: 'NO_CHILD_REGIONS' });
      await expect(
        registry.recallItem({ regionCode: '650000', itemCode: 'P1', fromRegionCodes: codes as any, departmentId: 'D', effectiveFrom: '2024-01-01', document: doc } as any, ctx),
      ).rejects.toMatchObject({ code: 'NO_CHILD_REGIONS' });
    }
    expect((await store.info()).eventCount).toBe(before);
    await store.close();
  });
});
