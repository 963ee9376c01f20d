import { ListJsonCache } from './list-json';
import type { ListItem, RegionList } from './list.query';

const item = (code: string, name: string): ListItem => ({
  code, name, type: '行政处罚', basis: ['《某法》第一条：“引号”\n换行\\反斜杠'], levels: ['city'], status: 'owned', owners: [], deviations: [], conforms: true, retiredInCatalogue: false,
  published: { fields: { 追责情形: '"items":[] 不是键', 备注: '\u2028' } },
});
const list = (items: ListItem[], name = '克拉玛依市'): RegionList => ({
  region: '650200', regionName: name, level: 'city', at: '2024-01-01', asKnownAt: null, items,
  counts: { items: items.length, byType: { 行政处罚: items.length }, conflict: 0, unowned: 0, deviating: 0 },
});

describe('a list as JSON bytes (ListJsonCache)', () => {
  test('the bytes are JSON.stringify of the answer, whatever the texts hold; an item is encoded once', () => {
    const cache = new ListJsonCache();
    const a = item('A', '对“甲”的处罚'), b = item('B', 'B');
    for (const l of [list([a, b]), list([]), list([b], '名称 "items":[] 里'), list([a, b, a])]) {
      expect(cache.encode(l).toString('utf8')).toBe(JSON.stringify(l));
    }
    expect([cache.misses, cache.hits]).toEqual([2, 4]);
  });

  test('the cache stays within its bytes, least recently used out first, and the answer is still right', () => {
    const one = Buffer.byteLength(JSON.stringify(item('X0', 'x')));
    const cache = new ListJsonCache(one * 3);
    const items = Array.from({ length: 10 }, (_, i) => item(`X${i}`, 'x'));
    expect(cache.encode(list(items)).toString()).toBe(JSON.stringify(list(items)));
    expect(cache.size.items).toBe(3);
    expect(cache.size.bytes).toBeLessThanOrEqual(one * 3);
    cache.encode(list([items[9]]));
    expect(cache.hits).toBe(1);
    cache.encode(list([items[0]]));
    expect(cache.misses).toBe(11);
  });

  test('the ETag is the same for the same answer and differs when an item, a field of the answer or the cache differs', () => {
    const cache = new ListJsonCache();
    const a = item('A', 'a'), b = item('B', 'b');
    const e = cache.answer(list([a, b])).etag;
    expect(cache.answer(list([a, b])).etag).toBe(e);
    expect(cache.answer(list([a, item('B', 'b')])).etag).not.toBe(e); // another item object: another encoding
    expect(cache.answer(list([a, b], '另一个名称')).etag).not.toBe(e);
    expect(cache.answer(list([b, a])).etag).not.toBe(e);
    expect(new ListJsonCache().answer(list([a, b])).etag).not.toBe(e);
  });

  test('an item met for the first time reuses its catalogue wording\'s encoding, and optional fields in any combination give JSON.stringify\'s bytes', () => {
    const cache = new ListJsonCache();
    const basis = ['《某法》第一条'];
    const levels = ['city', 'county'];
    const base = (code: string, extra: Partial<ListItem>): ListItem => ({ code, name: '名称', type: '行政许可', basis, levels, status: 'owned', owners: [], deviations: [], conforms: true, retiredInCatalogue: false, ...extra });
    const items = [
      base('A', {}),
      base('B', { receivedFrom: '650200', lastChange: '2020-01-01' }),
      base('C', { published: { fields: { 追责情形: 'x' }, subItem: '子项' } }),
      { ...base('D', {}), name: '另一个名称' }, // same basis array, other name: not the cached wording
      { ...base('E', {}), levels: ['city'] },
      { status: 'owned', code: 'F', name: 'n', type: 't', basis, levels } as unknown as ListItem, // other key order
    ];
    for (const i of items) expect(cache.encode(list([i])).toString()).toBe(JSON.stringify(list([i])));
    expect(cache.encode(list(items)).toString()).toBe(JSON.stringify(list(items)));
  });
});
