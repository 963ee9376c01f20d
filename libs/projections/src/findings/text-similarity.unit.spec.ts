import fc from 'fast-check';
import { ContainmentIndex, MAX_POSTING, PairIndex, TEXT_VECTORS, bigrams, citedTitles, normaliseText, sameLawOrUncited } from './text-similarity';

const v = TEXT_VECTORS;

describe('character-bigram similarity of Chinese texts', () => {
  test('texts are compared by characters, not words: punctuation, spaces, brackets and digits do not count', () => {
    expect(normaliseText('对 未取得（安全生产）许可证，擅自生产的处罚 第12条')).toBe('对未取得安全生产许可证擅自生产的处罚第条');
    expect([...bigrams('排污许可').keys()]).toEqual(['排污', '污许', '许可']);
    expect([...bigrams('档').keys()]).toEqual(['档']);
    expect(v.cosine('对转让安全生产许可证的处罚', '对转让安全生产许可证的处罚')).toBe(1);
    expect(v.cosine('对转让安全生产许可证的处罚', '对 转让安全生产许可证 的处罚。')).toBeCloseTo(1, 10);
  });

  test('the same matter in different words scores high; the same template about another matter scores low', () => {
    const same = v.cosine('对未取得安全生产许可证擅自进行生产的处罚', '对未取得安全生产许可证擅自生产的处罚');
    const sameAgain = v.cosine('对用人单位和个人遵守社会保险法律、法规情况的监督检查', '对用人单位和个人遵守中华人民共和国社会保险法律、法规情况进行监督检查');
    const template = v.cosine('对转让捕捞许可证行为的处罚', '对未取得安全生产许可证擅自生产的处罚');
    const unrelated = v.cosine('档案工作监督检查', '排污许可');
    expect(same).toBeGreaterThan(0.7);
    expect(sameAgain).toBeGreaterThan(0.6);
    expect(template).toBeLessThan(0.4);
    expect(unrelated).toBe(0);
    // rare words weigh more than the boilerplate 处罚 / 监督检查
    expect(v.idf('捕捞')).toBeGreaterThan(v.idf('处罚'));
  });

  test('containment: a short item is contained in the long duty it rests on', () => {
    const duty = '负责本行政区域内排污许可、入河排污口设置审批和建设项目环境影响评价文件审批';
    expect(v.containment('排污许可', duty)).toBe(1);
    expect(v.containment('档案工作监督检查', duty)).toBe(0);
    expect(v.containment(duty, '排污许可')).toBeLessThan(0.3);
  });

  test('scores are symmetric and the same float whichever text comes first', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'对未取得安全生产许可证擅自进行的处罚监督检查排污档案'), maxLength: 20 }), fc.string({ unit: fc.constantFrom(...'对未取得安全生产许可证擅自进行的处罚监督检查排污档案'), maxLength: 20 }), (a, b) => {
        expect(v.cosine(a, b)).toBe(v.cosine(b, a));
        const c = v.cosine(a, b);
        expect(c).toBeGreaterThanOrEqual(0);
        expect(c).toBeLessThanOrEqual(1);
      }),
    );
  });

  test('texts citing different laws by title are not the same matter', () => {
    expect(citedTitles('对违反《中华人民共和国消防法》第五十八条、《消防法》第五十九条禁止行为的处罚')).toEqual(['消防法']);
    expect(sameLawOrUncited('对违反《消防法》第五十八条禁止行为的处罚', '对旅行社未履行《中华人民共和国旅游法》第五十五条规定的报告义务的处罚')).toBe(false);
    expect(sameLawOrUncited('对违反《中华人民共和国消防法》的处罚', '对违反《消防法》规定的处罚')).toBe(true);
    expect(sameLawOrUncited('对违反《消防法》的处罚', '对消防设施未保持完好有效的处罚')).toBe(true);
    const index = new PairIndex(0.3);
    index.sync(['对违反《消防法》第五十八条禁止行为的处罚', '对违反《旅游法》第五十八条禁止行为的处罚']);
    expect(index.similarTo('对违反《消防法》第五十八条禁止行为的处罚').size).toBe(0);
  });

  test('a pair index updated text by text finds exactly the pairs a brute-force comparison finds', () => {
    const alphabet = [...'对未取得安全生产许可证擅自进行的处罚监督检查排污档案土壤修复后期管理'];
    const text = fc.string({ unit: fc.constantFrom(...alphabet), minLength: 1, maxLength: 14 });
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(text, { maxLength: 12 }), { minLength: 1, maxLength: 4 }), fc.constantFrom(0.3, 0.55, 0.8), (steps, threshold) => {
        const index = new PairIndex(threshold);
        for (const texts of steps) index.sync(texts);
        const last = steps[steps.length - 1];
        for (const a of last) {
          const expected = last.filter((b) => b !== a && v.cosine(a, b) >= threshold).sort();
          expect([...index.similarTo(a).keys()].sort()).toEqual(expected);
          for (const [b, s] of index.similarTo(a)) expect(s).toBe(v.cosine(a, b));
        }
        expect(index.size).toBe(last.length);
      }),
      { numRuns: 150 },
    );
  });

  test('with a posting cap, an index updated text by text holds exactly the pairs of a fresh index (and of the rule by brute force)', () => {
    const alphabet = [...'对未取得安全生产许可证擅自进行的处罚监督检查'];
    const text = fc.string({ unit: fc.constantFrom(...alphabet), minLength: 2, maxLength: 10 });
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(text, { maxLength: 14 }), { minLength: 1, maxLength: 5 }), fc.constantFrom(2, 3, 5), (steps, cap) => {
        const index = new PairIndex(0.3, v, sameLawOrUncited, cap);
        for (const [i, texts] of steps.entries()) {
          // a sync abandoned half-way (a computation restarted) leaves nothing wrong behind
          if (i % 2 === 1) {
            const half = index.syncSteps(texts, 1);
            half.next();
            half.next();
          }
          index.sync(texts);
        }
        const last = steps[steps.length - 1];
        const fresh = new PairIndex(0.3, v, sameLawOrUncited, cap);
        fresh.sync(last);
        const grams = (t: string) => new Set(v.vector(t).unit.keys());
        const posting = (g: string) => last.filter((t) => grams(t).has(g)).length;
        for (const a of last) {
          expect([...index.similarTo(a)].sort()).toEqual([...fresh.similarTo(a)].sort());
          // every pair shares a gram held by at most `cap` texts, and scores at least the threshold
          for (const [b, s] of index.similarTo(a)) {
            expect(s).toBeGreaterThanOrEqual(0.3);
            expect([...grams(a)].some((g) => grams(b).has(g) && posting(g) <= cap)).toBe(true);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  test('thousands of near-identical names: the pairs stay near-linear in number (no quadratic blow-up)', () => {
    const chars = [...'甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥'];
    const names: string[] = [];
    for (let i = 0; i < 3000; i++) names.push(`对违反安全生产管理规定未按要求开展${chars[i % 24]}${chars[Math.floor(i / 24) % 24]}${chars[Math.floor(i / 576) % 24]}类隐患排查治理的处罚`);
    const index = new PairIndex(0.55);
    index.sync(names);
    let pairs = 0;
    for (const n of names) pairs += index.similarTo(n).size;
    // quadratic would be ~9,000,000; each text meets at most (its bigrams × the cap) others
    expect(pairs).toBeLessThan(names.length * 40 * MAX_POSTING);
    expect(pairs).toBeLessThan(names.length * names.length * 0.2);
  });

  test('a containment index gives the same scores as comparing one by one', () => {
    const duties = ['负责本行政区域内排污许可的审批', '负责安全生产许可证的颁发和管理', '主管本行政区域内的档案工作'];
    const idx = new ContainmentIndex();
    idx.sync(duties);
    for (const item of ['排污许可', '对未取得安全生产许可证擅自生产的处罚', '档案工作监督检查', '种畜禽生产经营许可']) {
      for (const d of duties) expect(idx.scores(item).get(d) ?? 0).toBe(v.containment(item, d));
    }
    idx.sync(duties.slice(1));
    expect(idx.scores('排污许可').has(duties[0])).toBe(false);
  });
});
