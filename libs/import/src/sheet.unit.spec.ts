import { detectHeader, fieldOf } from './columns';
import { readSheet } from './rows';
import { KARAMAY_HEADER, TestSheet, workbook } from './testing/workbooks';
import { readWorkbook } from './workbook';

const sheetOf = (s: TestSheet | unknown[][], name = 'Sheet1', type: 'xlsx' | 'biff8' | 'csv' = 'xlsx') => {
  const wb = readWorkbook(`t.${type === 'biff8' ? 'xls' : type}`, workbook({ [name]: s }, type));
  return wb.sheets[0];
};
const read = (s: TestSheet | unknown[][], name?: string) => readSheet(sheetOf(s, name));
const row = (o: Record<string, string>) => KARAMAY_HEADER.map((h) => o[h] ?? '');

describe('header row and columns', () => {
  test('synonyms map to the fields the importer knows', () => {
    expect(fieldOf('权责事项名称')).toBe('name');
    expect(fieldOf('职权名称')).toBe('name');
    expect(fieldOf('事项\n名称')).toBe('name');
    expect(fieldOf('*事项名称（必填）')).toBe('name');
    expect(fieldOf('子项名称')).toBe('sub');
    expect(fieldOf('职权类别')).toBe('type');
    expect(fieldOf('事项类型')).toBe('type');
    expect(fieldOf('设定依据')).toBe('basis');
    expect(fieldOf('实施依据')).toBe('basis');
    expect(fieldOf('责任事项依据')).toBeUndefined();
    expect(fieldOf('追责依据')).toBeUndefined();
    expect(fieldOf('实施主体')).toBe('subject');
    expect(fieldOf('行使主体')).toBe('subject');
    expect(fieldOf('承办机构')).toBe('organ');
    expect(fieldOf('实施层级\n及权限')).toBe('level');
    expect(fieldOf('职权编码')).toBe('code');
    expect(fieldOf('基本编码')).toBe('code');
    expect(fieldOf('子项编码')).toBe('subCode');
    expect(fieldOf('统一社会信用代码')).toBeUndefined();
    expect(fieldOf('申请条件')).toBeUndefined();
  });

  test('found below a title and a "部门名称：" line; unknown columns kept as extra fields', () => {
    const s = read([
      ['某市某局2024年权责清单'],
      ['部门名称：市某局'],
      ['序号', '权责事项名称', '职权类别', '设定依据', '实施主体', '申请条件', '法定期限', '职权编码'],
      ['1', '某项许可', '行政许可', '《某法》第一条', '市某局', '具备条件', '20个工作日', 'XK001'],
    ]);
    expect(s.headerRow).toBe(3);
    expect(s.departmentHint).toBe('市某局');
    expect(s.entries).toHaveLength(1);
    const e = s.entries[0];
    expect(e).toMatchObject({ row: 4, mainName: '某项许可', type: '行政许可', code: 'XK001', basisRaw: '《某法》第一条' });
    expect(e.levelRows[0]).toMatchObject({ subject: '市某局', extras: { 申请条件: '具备条件', 法定期限: '20个工作日' } });
  });

  test('a sheet without a header row is not read (and says how many rows it has)', () => {
    const s = read([
      ['1', '某项许可', '行政许可'],
      ['2', '某项处罚', '行政处罚'],
    ]);
    expect(s.headerRow).toBeUndefined();
    expect(s.entries).toEqual([]);
    expect(s.unreadRows).toBe(2);
  });

  test('two 实施层级及权限 columns (merged header): level, then scope', () => {
    const s = read({ rows: [KARAMAY_HEADER, row({ 事项名称: '甲', 权力类型: '行政检查', 行使主体: '市某局', 实施层级及权限: '地州市级' }).map((v, i) => (i === 8 ? '负责本级' : v))], merges: ['H1:I1'] });
    const map = detectHeader(sheetOf({ rows: [KARAMAY_HEADER], merges: ['H1:I1'] }))!;
    expect(map.fields.level).toBe(7);
    expect(map.fields.scope).toBe(8);
    expect(s.entries[0].levelRows[0]).toMatchObject({ level: '地州市级', scope: '负责本级' });
  });

  test('a sub-header row under a merged header is skipped, its labels used', () => {
    const s = read({
      rows: [
        ['序号', '事项名称', '权力类型', '行使主体', '实施层级', ''],
        ['', '', '', '', '层级', '权限'],
        ['1', '某项处罚', '行政处罚', '市某局', '市级', '负责本级'],
      ],
      merges: ['E1:F1', 'A1:A2', 'B1:B2', 'C1:C2', 'D1:D2'],
    });
    expect(s.headerRow).toBe(1);
    expect(s.entries.map((e) => e.mainName)).toEqual(['某项处罚']);
    expect(s.entries[0].levelRows[0]).toMatchObject({ level: '市级', scope: '负责本级' });
  });
});

describe('rows: merges, continuations, sub-items, types', () => {
  test('an item merged over three rows is one entry; every row accounted for', () => {
    const s = read({
      rows: [KARAMAY_HEADER, row({ 序号: '1', 事项名称: '甲审查', 权力类型: '行政许可', 行使主体: '市应急管理局', 实施层级及权限: '地州市级' }), row({}), row({}), row({ 序号: '2', 事项名称: '乙审查', 权力类型: '行政许可', 行使主体: '市应急管理局' })],
      merges: ['A2:A4', 'B2:B4', 'D2:D4', 'F2:F4', 'H2:H4'],
    });
    expect(s.entries.map((e) => [e.row, e.rows, e.mainName])).toEqual([
      [2, [2, 3, 4], '甲审查'],
      [5, [5], '乙审查'],
    ]);
    expect(s.continuationRows).toBe(2);
    expect(s.entries[0].levelRows).toHaveLength(1);
  });

  test('a covered cell that holds its own value is kept: the hidden county row becomes a level row', () => {
    const rows = [
      KARAMAY_HEADER,
      row({ 序号: '131', 事项名称: '对音像出版单位的处罚', 权力类型: '行政处罚', 行使主体: '克拉玛依市文化体育广播电视和旅游局', 承办机构: '市场管理科', 实施层级及权限: '地州市级' }),
      row({ 行使主体: '县市区级文体广电旅游局', 承办机构: '文化市场综合执法队', 实施层级及权限: '县市区级' }),
    ];
    const s = read({ rows, merges: ['A2:A3', 'B2:B3', 'D2:D3', 'F2:F3', 'G2:G3', 'H2:H3'] });
    expect(s.hiddenUnderMerge).toBe(3);
    expect(s.entries).toHaveLength(1);
    expect(s.entries[0].levelRows.map((l) => [l.row, l.level, l.subject])).toEqual([
      [2, '地州市级', '克拉玛依市文化体育广播电视和旅游局'],
      [3, '县市区级', '县市区级文体广电旅游局'],
    ]);
  });

  test('one item per level in rows (same 序号 again, or a row with only level columns) joins the item', () => {
    const s = read([
      KARAMAY_HEADER,
      row({ 序号: '1', 事项名称: '对渔业资源增殖保护费的征收', 权力类型: '行政征收', 实施依据: '《渔业法》', 行使主体: '自治区农业农村厅', 实施层级及权限: '自治区级' }),
      row({ 行使主体: '县市区农业农村局', 实施层级及权限: '县市区级' }),
      row({ 序号: '1', 事项名称: '对渔业资源增殖保护费的征收', 权力类型: '行政征收', 实施依据: '《渔业法》', 行使主体: '地州市农业农村局', 实施层级及权限: '地州市级' }),
    ]);
    expect(s.entries).toHaveLength(1);
    expect(s.entries[0].levelRows.map((l) => l.level)).toEqual(['自治区级', '县市区级', '地州市级']);
  });

  test('sub-items in their own rows (empty or repeated 事项名称) are entries of their own', () => {
    const s = read({
      rows: [
        KARAMAY_HEADER,
        row({ 序号: '3', 事项名称: '民办学校设立、分立审批', 子项名称: '1.民办学校设立审批', 权力类型: '行政许可', 行使主体: '市人社局' }),
        row({ 子项名称: '2.民办学校分立审批', 权力类型: '行政许可', 行使主体: '市人社局' }),
        row({ 事项名称: '民办学校设立、分立审批', 子项名称: '3.民办学校变更审批', 权力类型: '行政许可', 行使主体: '市人社局' }),
      ],
      merges: ['A2:A4'],
    });
    expect(s.entries.map((e) => [e.row, e.mainName, e.subNames])).toEqual([
      [2, '民办学校设立、分立审批', ['民办学校设立审批']],
      [3, '民办学校设立、分立审批', ['民办学校分立审批']],
      [4, '民办学校设立、分立审批', ['民办学校变更审批']],
    ]);
  });

  test('several 子项 in one cell: one entry naming each', () => {
    const s = read([KARAMAY_HEADER, row({ 序号: '2', 事项名称: '开采矿产资源审批', 子项名称: '1.新设采矿权审批   2.采矿权延续登记', 权力类型: '行政许可', 行使主体: '市自然资源局' })]);
    expect(s.entries).toHaveLength(1);
    expect(s.entries[0].subNames).toEqual(['新设采矿权审批', '采矿权延续登记']);
  });

  test('type from the cell, a section row, the sheet name; an unknown or missing type is a problem', () => {
    const bySection = read([
      ['序号', '事项名称', '权力类型', '行使主体'],
      ['一、行政许可（2项）'],
      ['1', '甲', '', '市某局'],
      ['2', '乙', '许可', '市某局'],
      ['3', '丙', '行政备案', '市某局'],
    ]);
    expect(bySection.entries.map((e) => [e.mainName, e.type, e.typeSource])).toEqual([
      ['甲', '行政许可', 'section'],
      ['乙', '行政许可', 'column'],
      ['丙', undefined, 'column'],
    ]);
    expect(bySection.entries[2].problems[0]).toContain('无法识别的权力类型「行政备案」');
    expect(bySection.skippedRows).toBe(1);
    const bySheet = read([['序号', '事项名称', '权力类型', '行使主体'], ['5', '对生猪屠宰活动的监督检查', '', '市某局']], '行政检查（ 17项）');
    expect(bySheet.entries[0]).toMatchObject({ type: '行政检查', typeSource: 'sheet' });
    const none = read([['序号', '事项名称', '权力类型', '行使主体'], ['5', '某事项', '', '市某局']]);
    expect(none.entries[0].problems).toEqual(['缺少权力类型（该行、所在分节和工作表名称都没有写明）']);
  });

  test('blank rows, repeated header rows and notes are skipped, not read as data', () => {
    const s = read([
      ['序号', '事项名称', '权力类型', '行使主体'],
      ['1', '甲', '行政处罚', '市某局'],
      [],
      ['序号', '事项名称', '权力类型', '行使主体'],
      ['2', '乙', '行政处罚', '市某局'],
      ['注：本清单自公布之日起施行'],
    ]);
    expect(s.entries.map((e) => e.mainName)).toEqual(['甲', '乙']);
    expect(s.skippedRows).toBe(3);
  });

  test('names wrapped mid-word in narrow columns are joined', () => {
    const s = read([['序号', '事项\n名称', '权力\n类型', '行使\n主体'], ['1', '对拒绝\n配合统\n计调查', '行政\n处罚', '市统\n计局']]);
    expect(s.entries[0]).toMatchObject({ mainName: '对拒绝配合统计调查', type: '行政处罚' });
  });

  test('the same sheet read from .xls and .csv gives the same entries', () => {
    const rows = [KARAMAY_HEADER, row({ 序号: '1', 事项名称: '甲', 权力类型: '行政处罚', 实施依据: '《某法》', 行使主体: '市某局', 实施层级及权限: '地州市级' })];
    const strip = (e: { mainName: string; type?: string; basisRaw: string }) => [e.mainName, e.type, e.basisRaw];
    const x = readSheet(sheetOf(rows, 'S', 'xlsx')).entries.map(strip);
    expect(readSheet(sheetOf(rows, 'S', 'biff8')).entries.map(strip)).toEqual(x);
    expect(readSheet(sheetOf(rows, 'S', 'csv')).entries.map(strip)).toEqual(x);
  });
});
