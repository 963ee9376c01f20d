import { coveredRanges, intersect, keyedSegmentsOver, segmentsOver } from './intervals';
import { findingId, parseFindingId } from './finding-id';

describe('finding timelines', () => {
  test('an answer per date becomes ranges; equal neighbours merge; gaps split', () => {
    const answers: Record<string, number | undefined> = { '2020-01-01': 1, '2021-01-01': 1, '2022-01-01': undefined, '2023-01-01': 2 };
    expect(segmentsOver(Object.keys(answers), (d) => answers[d])).toEqual([
      { from: '2020-01-01', until: '2022-01-01', detail: 1 },
      { from: '2023-01-01', detail: 2 },
    ]);
    const keyed = keyedSegmentsOver(['2020-01-01', '2021-01-01', '2022-01-01'], (d) => new Map(d === '2021-01-01' ? [['a', 1]] : [['a', 1], ['b', 2]]));
    expect(keyed.get('a')).toEqual([{ from: '2020-01-01', detail: 1 }]);
    expect(keyed.get('b')).toEqual([{ from: '2020-01-01', until: '2021-01-01', detail: 2 }, { from: '2022-01-01', detail: 2 }]);
    expect(coveredRanges([{ from: '2021-01-01' }, { from: '2020-01-01', until: '2021-01-01' }])).toEqual([{ from: '2020-01-01' }]);
    expect(intersect({ from: '2020-01-01', until: '2021-01-01' }, { from: '2020-06-01' })).toEqual({ from: '2020-06-01', until: '2021-01-01' });
    expect(intersect({ from: '2020-01-01', until: '2020-06-01' }, { from: '2020-06-01' })).toBeUndefined();
  });

  test('ids depend on kind, region and what the finding is about — not on dates — and can be read back', () => {
    const id = findingId('similar', '650200', ['item:A:D1', 'item:B:D2']);
    expect(id).toMatch(/^similar-650200-[0-9a-f]{12}$/);
    expect(findingId('similar', '650200', ['item:A:D1', 'item:B:D2'])).toBe(id);
    expect(findingId('similar', '650202', ['item:A:D1', 'item:B:D2'])).not.toBe(id);
    expect(parseFindingId(id)).toEqual({ kind: 'similar', region: '650200' });
    expect(parseFindingId('multi-level-650202001-0123456789ab')).toEqual({ kind: 'multi-level', region: '650202001' });
    expect(parseFindingId('nonsense')).toBeUndefined();
  });
});
