import { SqliteEventStore } from '../../event-store/src';
import { Registry, eventIdFor, timeOrderedEventIdFor, uuidV7 } from '.';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[57][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const doc = { number: '测试〔2024〕1号' };

describe('event ids', () => {
  test('a UUIDv7 carries the millisecond it was made in and sorts by it', () => {
    const a = uuidV7(Date.parse('2024-05-01T00:00:00Z'));
    const b = uuidV7(Date.parse('2024-05-01T00:00:00.001Z'));
    expect(a).toMatch(UUID);
    expect(a.slice(14, 15)).toBe('7');
    expect(parseInt(a.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.parse('2024-05-01T00:00:00Z'));
    expect(a < b).toBe(true);
  });

  test('without a client id, a command’s event ids start with its time and differ from each other', () => {
    const c = uuidV7(1_700_000_000_000);
    const ids = [0, 1, 2].map((i) => timeOrderedEventIdFor(c, i));
    for (const id of ids) {
      expect(id).toMatch(UUID);
      expect(id.slice(0, 13)).toBe(c.slice(0, 13));
    }
    expect(new Set(ids).size).toBe(3);
    expect(timeOrderedEventIdFor(uuidV7(1_700_000_000_001), 0) > ids[2]).toBe(true);
  });

  test('commands without a client id get ids in the order they were recorded; a client id still makes a retry idempotent', async () => {
    const store = new SqliteEventStore({ file: ':memory:' });
    const registry = new Registry(store);
    const ctx = { actor: 't' };
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await registry.registerRegion({ code: `${61 + i}0000`, name: `省${i}`, level: 'province', effectiveFrom: '2000-01-01', document: doc }, ctx);
      ids.push(...r.eventIds);
      await new Promise((res) => setTimeout(res, 2));
    }
    expect([...ids].sort()).toEqual(ids);

    const withKey = { actor: 't', commandId: 'client-key-1' };
    const first = await registry.registerRegion({ code: '690000', name: '省', level: 'province', effectiveFrom: '2000-01-01', document: doc }, withKey);
    const again = await registry.registerRegion({ code: '690000', name: '省', level: 'province', effectiveFrom: '2000-01-01', document: doc }, withKey);
    expect(first.eventIds).toEqual([eventIdFor('client-key-1', 0)]);
    expect(again.eventIds).toEqual(first.eventIds);
    expect((await store.info()).eventCount).toBe(6);
    await store.close();
  });
});
