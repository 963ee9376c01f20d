import { divisionChain, divisions } from './divisions';
import { canonicalDepartmentName, departmentId, departmentKey, expandAbbreviation, isAbbreviationOf, localItemCode, splitSubjects } from './naming';

const city = { name: '克拉玛依市', level: 'city' as const };
const county = { name: '克拉玛依区', level: 'county' as const };

describe('department names', () => {
  test.each([
    ['市统计局', '克拉玛依市统计局'],
    ['市 统\n计局', '克拉玛依市统计局'],
    ['地州市农业农村局', '克拉玛依市农业农村局'],
    ['地州市级农业农村局', '克拉玛依市农业农村局'],
    ['克拉玛依市生态环境局', '克拉玛依市生态环境局'],
    [' 克拉玛依市自然资源局', '克拉玛依市自然资源局'],
    ['克拉玛依市人民政府（克拉玛依市自然资源局承办）', '克拉玛依市自然资源局'],
    ['市人民政府（克拉玛依市自然资源局承办）', '克拉玛依市自然资源局'],
    ['市委宣传部（新闻出版局、版权局）', '克拉玛依市委宣传部（新闻出版局、版权局）'],
    ['市市场监督管理局', '克拉玛依市市场监督管理局'],
    ['市场监督管理局', '克拉玛依市市场监督管理局'],
    ['自治区农业农村厅', '自治区农业农村厅'],
  ])('%j in a city → %s', (raw, name) => expect(canonicalDepartmentName(raw, city)).toBe(name));

  test('placeholders of the region level only', () => {
    expect(canonicalDepartmentName('县市区农业农村局', county)).toBe('克拉玛依区农业农村局');
    expect(canonicalDepartmentName('区住建局', county)).toBe('克拉玛依区住建局');
    expect(canonicalDepartmentName('县市区级文体广电旅游局', city)).toBe('县市区级文体广电旅游局');
  });

  test('several bodies in one cell: split outside brackets, the first leads', () => {
    expect(splitSubjects('克拉玛依市自然资源局、克拉玛依市国土资源执法监察支队')).toEqual(['克拉玛依市自然资源局', '克拉玛依市国土资源执法监察支队']);
    expect(splitSubjects('市委宣传部（新闻出版局、版权局）')).toEqual(['市委宣传部（新闻出版局、版权局）']);
    expect(splitSubjects('甲局；乙局/丙局')).toEqual(['甲局', '乙局', '丙局']);
  });

  test('the key ignores a remark in brackets, so both spellings are one department', () => {
    expect(departmentKey('克拉玛依市发展和改革委员会（粮食和物资储备局）')).toBe(departmentKey('克拉玛依市发展和改革委员会'));
    expect(departmentId('650200', '克拉玛依市发展和改革委员会（粮食和物资储备局）')).toBe(departmentId('650200', '克拉玛依市发展和改革委员会'));
  });
});

describe('deterministic ids and codes', () => {
  test('the same input always gives the same id or code (values pinned: data already recorded depends on them)', () => {
    expect(departmentId('650200', '克拉玛依市统计局')).toBe('D650200-B2DD86D7');
    expect(departmentId('650200', '克拉玛依市统计局')).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/);
    // the demo data's scheme: L + region + sha1(type|name)
    expect(localItemCode('650200', '行政处罚', '对统计违法行为的处罚')).toMatch(/^L650200-[0-9A-F]{10}$/);
    expect(localItemCode('650200', '行政处罚', '对统计违法行为的处罚')).toBe(localItemCode('650200', '行政处罚', '对统计违法行为的处罚'));
    expect(localItemCode('650200', '行政检查', '对统计违法行为的处罚')).not.toBe(localItemCode('650200', '行政处罚', '对统计违法行为的处罚'));
    expect(localItemCode('650203', '行政处罚', '对统计违法行为的处罚')).not.toBe(localItemCode('650200', '行政处罚', '对统计违法行为的处罚'));
  });
});

describe('the bundled national division list', () => {
  test('a chain read from its province alone (before the whole list is parsed) equals the whole list\'s', () => {
    const codes = ['110101', '440300', '650203001', '542400', '820000', '419001'];
    const alone = codes.map((c) => divisionChain(c));
    const all = divisions();
    const chainIn = (code: string) => {
      const out = [];
      for (let d = all.get(code); d; d = d.parentCode ? all.get(d.parentCode) : undefined) out.unshift(d);
      return out.length ? out : undefined;
    };
    expect(alone.filter(Boolean).length).toBeGreaterThanOrEqual(4);
    expect(alone).toEqual(codes.map(chainIn));
  });
  test('province, city, county and township codes, each under its parent', () => {
    expect(divisionChain('650203')).toEqual([
      { code: '650000', name: '新疆维吾尔自治区', level: 'province' },
      { code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000' },
      { code: '650203', name: '克拉玛依区', level: 'county', parentCode: '650200' },
    ]);
    const town = divisionChain('650203001')!;
    expect(town.map((d) => d.level)).toEqual(['province', 'city', 'county', 'township']);
    expect(divisionChain('110101')![1]).toMatchObject({ code: '110100', name: '市辖区' });
    expect(divisionChain('999999')).toBeUndefined();
    expect(divisionChain('650200999')).toBeUndefined();
  });

  test('sizes as the source says (cities without counties left out)', () => {
    const all = [...divisions().values()];
    const count = (l: string) => all.filter((d) => d.level === l).length;
    expect([count('province'), count('city'), count('county')]).toEqual([31, 342, 2975]);
    expect(count('township')).toBeGreaterThan(41_000);
    // 441900 东莞市 has no counties: its code is a city's only
    expect(divisions().get('441900')).toMatchObject({ level: 'city' });
  });
});

describe('short forms of department names', () => {
  test('the table spells common short forms out', () => {
    expect(expandAbbreviation('科技局')).toBe('科学技术局');
    expect(expandAbbreviation('人社局')).toBe('人力资源和社会保障局');
    expect(expandAbbreviation('统计局')).toBe('统计局');
  });
  test.each([
    ['住建局', '住房和城乡建设局', true],
    ['市场监管局', '市场监督管理局', true],
    ['发改委', '发展和改革委员会', true],
    ['人防办', '人民防空办公室', true],
    ['文旅局', '文化体育广播电视和旅游局', true],
    ['统计局', '统计局', false],
    ['公安局', '交通运输局', false],
    ['财政局', '财政厅', false],
    ['教育局', '体育局', false],
    ['水局', '水利局', false],
  ])('%s ~ %s: %s', (a, b, yes) => expect(isAbbreviationOf(a, b)).toBe(yes));
});
