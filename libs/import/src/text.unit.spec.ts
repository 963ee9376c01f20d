import { normaliseType, parseLevels, splitBasis, splitPackedSubItems, stripListNumber, typeFromTitle } from './text';

describe('type normalisation', () => {
  test.each([
    ['行政许可', '行政许可'],
    ['行政\n处罚', '行政处罚'],
    ['处罚', '行政处罚'],
    ['许可类', '行政许可'],
    ['行政强制措施', '行政强制'],
    ['行政强制执行', '行政强制'],
    ['行政监督检查', '行政检查'],
    ['其他权力', '其他行政权力'],
    ['其他职权', '其他行政权力'],
    ['其他类', '其他行政权力'],
    ['其他行政权力', '其他行政权力'],
    ['公共服务事项', '公共服务'],
    ['01', '行政许可'],
    ['02', '行政处罚'],
    ['20', '公共服务'],
    ['XK', '行政许可'],
    ['cf', '行政处罚'],
  ])('%j → %s', (raw, type) => expect(normaliseType(raw)).toBe(type));

  test.each(['', '审批', '行政备案', '99', 'ABC'])('%j is not a type', (raw) => expect(normaliseType(raw)).toBeUndefined());

  test('from a sheet name or a section row', () => {
    expect(typeFromTitle('行政处罚（254项）')).toBe('行政处罚');
    expect(typeFromTitle('行政征收（ 1 项）')).toBe('行政征收');
    expect(typeFromTitle('一、行政许可（11项）')).toBe('行政许可');
    expect(typeFromTitle('其他行政权力（3项）')).toBe('其他行政权力');
    expect(typeFromTitle('Sheet1')).toBeUndefined();
    expect(typeFromTitle('准确版')).toBeUndefined();
  });
});

describe('levels', () => {
  test.each([
    ['地州市级', ['city']],
    ['地州\n市级', ['city']],
    ['市级', ['city']],
    ['负责市本级公共机构节能监督检查工作', ['city']],
    ['自治区级', ['province']],
    ['县市区级', ['county']],
    ['县（市、区）级', ['county']],
    ['自治区级、地州市级、县市区级', ['province', 'city', 'county']],
    ['乡镇（街道）', ['township']],
    ['省级', ['province']],
    ['', []],
    ['负责全市范围', []],
  ])('%j → %j', (raw, levels) => expect(parseLevels(raw)).toEqual(levels));
});

describe('sub-items and list numbers', () => {
  test('several 子项 in one cell, numbered 1, 2, 3 …', () => {
    expect(splitPackedSubItems('1.新设采矿权审批             2.采矿权延续登记            3.采矿权变更登记')).toEqual(['新设采矿权审批', '采矿权延续登记', '采矿权变更登记']);
    expect(splitPackedSubItems('1.矿区范围争议行政裁决\n2.矿产勘查范围争议行政裁决')).toEqual(['矿区范围争议行政裁决', '矿产勘查范围争议行政裁决']);
  });
  test('one numbered sub-item, or numbers that are not a list, stay whole', () => {
    expect(splitPackedSubItems('1.民办职业培训学校设立审批')).toEqual(['1.民办职业培训学校设立审批']);
    expect(splitPackedSubItems('对违反第2.3条的处罚')).toEqual(['对违反第2.3条的处罚']);
    expect(splitPackedSubItems('')).toEqual([]);
  });
  test('a leading list number is dropped', () => {
    expect(stripListNumber('2.民办职业培训学校分立审批')).toBe('民办职业培训学校分立审批');
    expect(stripListNumber('（3）某审批')).toBe('某审批');
    expect(stripListNumber('二、某审批')).toBe('某审批');
    expect(stripListNumber('某审批')).toBe('某审批');
  });
});

describe('legal basis', () => {
  test('one reference per law, article text kept with it, nothing cut', () => {
    const raw = '【法律】《中华人民共和国统计法》（1983年12月8日通过）\n    第三十七条：……\n【法规】《统计法实施条例》\n第四十条：…；《另一部规章》第五条';
    const refs = splitBasis(raw);
    expect(refs).toHaveLength(3);
    expect(refs[0]).toMatch(/^【法律】《中华人民共和国统计法》.*第三十七条/);
    expect(refs[1]).toMatch(/^【法规】《统计法实施条例》第四十条/);
    expect(refs[2]).toBe('《另一部规章》第五条');
    const long = `【法律】《X法》${'很长的条文'.repeat(500)}`;
    expect(splitBasis(long)[0]).toHaveLength(long.length);
  });
  test('a lost opening bracket ("法律】《…") still starts a reference', () => {
    expect(splitBasis('【法律】《甲法》\n法律】《乙法》第一条')).toEqual(['【法律】《甲法》', '法律】《乙法》第一条']);
  });
});
