import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from '../../application/src';
import { catalogStream, deviations, departmentStream } from '../../domain/src';
import { SqliteEventStore } from '../../event-store/src';
import { ProjectionRunner, RegistryProjection, ownership } from '../../projections/src';
import { findingsOn } from '../../projections/src/findings/findings.query';
import { listRowsStream } from '../../domain/src';
import { ImportInput, ImportOptions, ImportResult, importLists } from './importer';
import { ImportError } from './limits';
import { departmentId, localItemCode } from './naming';
import { KARAMAY_HEADER, TestSheet, workbook } from './testing/workbooks';

const DOC = { number: '克政办发〔2024〕1号' };
const ctx = { actor: 'test' };
const row = (o: Record<string, string>) => KARAMAY_HEADER.map((h) => o[h] ?? '');
const file = (name: string, sheets: Record<string, TestSheet | unknown[][]>): ImportInput => ({ name, data: workbook(sheets) });
const list = (...rows: Array<Record<string, string>>) => [KARAMAY_HEADER, ...rows.map(row)];

describe('importLists on the embedded store', () => {
  let dir: string;
  let store: SqliteEventStore;
  let registry: Registry;

  const view = async () => {
    const v = new RegistryProjection();
    await new ProjectionRunner(store, [v]).rebuild();
    return v;
  };
  const run = async (inputs: ImportInput[], options: Partial<ImportOptions> = {}): Promise<ImportResult> => {
    const r = await importLists(new Registry(store), await view(), inputs, { region: '650200', effective: '2024-01-01', document: DOC, ...options });
    expect(r.recorded + r.unchanged + r.rejected.length).toBe(r.rowsRead);
    return r;
  };
  const owner = async (item: string, at = '2024-06-01', region = '650200') => ownership(await view(), { region, item, at });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'quanze-import-'));
    store = new SqliteEventStore({ file: join(dir, 'events.db') });
    registry = new Registry(store);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a list's own duplicate row: rejected with its reason, and kept as a list-duplicate finding; importing the list again adds nothing", async () => {
    const rows = [
      { 序号: '1', 事项名称: '对统计违法行为的处罚', 权力类型: '行政处罚', 实施依据: '《统计法》第三十七条', 行使主体: '市统计局' },
      { 序号: '2', 事项名称: '统计执法检查', 权力类型: '行政检查', 实施依据: '《统计法》', 行使主体: '市统计局' },
      { 序号: '3', 事项名称: '对统计违法行为的处罚', 权力类型: '行政处罚', 实施依据: '《统计法实施条例》第五十条', 行使主体: '市统计局' },
    ];
    const input = file('统计局.xlsx', { Sheet1: list(...rows) });
    const first = await run([input], { createDepartments: true });
    expect([first.recorded, first.rejected.map((r) => [r.row, r.reason])]).toEqual([2, [[4, expect.stringContaining('与「Sheet1」第 2 行是同一事项')]]]);
    const notes = await store.readStream(listRowsStream('650200'));
    expect(notes.map((e) => [e.type, (e.data as any).duplicate, (e.data as any).first, (e.data as any).itemName])).toEqual([
      ['ListRowDuplicated', { file: '统计局.xlsx', sheet: 'Sheet1', row: 4 }, { file: '统计局.xlsx', sheet: 'Sheet1', row: 2 }, '对统计违法行为的处罚'],
    ]);
    // the note is part of the import's one append: same recordedAt as the rows
    const assigned = await store.readAll(0, 1000);
    expect(new Set(assigned.filter((e) => e.stream.startsWith('assignment-') || e.stream.startsWith('listrows-')).map((e) => e.recordedAt)).size).toBe(1);
    const v = await view();
    const found = findingsOn(v, { region: '650200', at: '2024-06-01' }).findings.filter((f) => f.kind === 'list-duplicate');
    expect(found.map((f) => f.title)).toEqual([expect.stringMatching(/^统计局\.xlsx「Sheet1」第 4 行重复第 2 行（对统计违法行为的处罚，.*统计局）/)]);
    // before the list's effective date there is nothing to see
    expect(findingsOn(v, { region: '650200', at: '2023-06-01' }).findings.filter((f) => f.kind === 'list-duplicate')).toEqual([]);
    // the same file again: the row is rejected again, nothing is recorded (no second note)
    const head = (await store.info()).headPosition;
    const again = await run([input]);
    expect([again.recorded, again.unchanged, again.rejected.length]).toEqual([0, 2, 1]);
    expect((await store.info()).headPosition).toBe(head);
  });

  test('regions are registered from the national list; departments matched by name; items defined with local codes; twice records nothing', async () => {
    const input = file('统计局.xlsx', {
      Sheet1: list(
        { 序号: '1', 事项名称: '对统计违法行为的处罚', 权力类型: '行政处罚', 实施依据: '【法律】《统计法》第三十七条', 行使主体: '市统计局', 承办机构: '法规科', 实施层级及权限: '市级', 追责情形: '因不履行…' },
        { 序号: '2', 事项名称: '统计执法检查', 权力类型: '行政检查', 实施依据: '《统计法》', 行使主体: '市统计局', 实施层级及权限: '市级' },
      ),
    });
    // the department does not exist yet: rows rejected, nothing but the regions recorded
    const first = await run([input]);
    expect(first.regionsRegistered.map((r) => r.code)).toEqual(['650000', '650200']);
    expect(first.rejected.map((r) => [r.row, r.reason])).toEqual([
      [2, expect.stringContaining('部门「克拉玛依市统计局」在区划 650200（克拉玛依市）中不存在')],
      [3, expect.stringContaining('--create-departments')],
    ]);
    expect(first.recorded).toBe(0);
    // an existing department with the full name is found from "市统计局"
    await registry.establishDepartment({ id: 'TJJ', name: '克拉玛依市统计局', regionCode: '650200', effectiveFrom: '2019-01-01', document: DOC }, ctx);
    const second = await run([input]);
    expect([second.recorded, second.unchanged, second.rejected, second.departmentsCreated]).toEqual([2, 0, [], []]);
    const code = localItemCode('650200', '行政处罚', '对统计违法行为的处罚');
    const a = await owner(code);
    expect(a).toMatchObject({ status: 'owned', itemName: '对统计违法行为的处罚', owners: [expect.objectContaining({ departmentId: 'TJJ', since: '2024-01-01', document: DOC })] });
    // the published wording is on the assignment, with the other columns
    const facts = (await view()).assignmentFacts('650200', code);
    expect(facts[0].event.data).toMatchObject({
      internalOrgan: '法规科',
      asPublished: { name: '对统计违法行为的处罚', type: '行政处罚', basis: ['【法律】《统计法》第三十七条'], fields: { 行使主体: '市统计局', 承办机构: '法规科', 实施层级: '市级', 追责情形: '因不履行…' } },
    });
    const again = await run([input]);
    expect([again.recorded, again.unchanged, again.rejected.length]).toEqual([0, 2, 0]);
    const count = (await store.info()).eventCount;
    await run([input], { effective: '2024-06-01' });
    expect((await store.info()).eventCount).toBe(count);
  });

  test('--create-departments: deterministic ids; a changed wording is recorded again, the same one not', async () => {
    const v1 = file('a.xlsx', { S: list({ 序号: '1', 事项名称: '甲许可', 权力类型: '行政许可', 实施依据: '《甲法》', 行使主体: '地州市甲局', 实施层级及权限: '地州市级' }) });
    const r = await run([v1], { createDepartments: true });
    const id = departmentId('650200', '克拉玛依市甲局');
    expect(r.departmentsCreated).toEqual([{ id, name: '克拉玛依市甲局' }]);
    expect(r.recorded).toBe(1);
    const v2 = file('a.xlsx', { S: list({ 序号: '1', 事项名称: '甲许可', 权力类型: '行政许可', 实施依据: '《甲法》（2023年修正）', 行使主体: '地州市甲局', 实施层级及权限: '地州市级' }) });
    const r2 = await run([v2], { createDepartments: true, effective: '2025-01-01' });
    expect([r2.recorded, r2.departmentsCreated]).toEqual([1, []]);
    expect((await run([v2], { createDepartments: true, effective: '2025-01-01' })).recorded).toBe(0);
    // a department renamed after the import is still found by the id the importer gives its old name
    await registry.renameDepartment({ id, name: '克拉玛依市乙局', effectiveFrom: '2025-06-01', document: DOC }, ctx);
    expect((await run([v2], { effective: '2025-01-01' })).unchanged).toBe(1);
  });

  test('catalogue matching: by code, else by name and type; the list wording kept for conformance', async () => {
    await registry.registerRegion({ code: '650000', name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '2000-01-01', document: DOC }, ctx);
    await registry.registerRegion({ code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '2000-01-01', document: DOC }, ctx);
    await registry.establishDepartment({ id: 'SWJ', name: '克拉玛依市商务局', regionCode: '650200', effectiveFrom: '2019-01-01', document: DOC }, ctx);
    await registry.defineCatalogItem({ code: '650000-XK-001', name: '成品油零售经营许可', type: '行政许可', basis: ['《国务院决定》'], levels: ['city'], effectiveFrom: '2019-01-01', document: DOC }, ctx);
    await registry.defineCatalogItem({ code: '650000-JC-002', name: '对报废机动车回收企业的监督检查', type: '行政检查', basis: ['《报废机动车回收管理办法》'], levels: ['city'], effectiveFrom: '2019-01-01', document: DOC }, ctx);
    const input = file('商务局.xlsx', {
      S: [
        ['职权编码', '事项名称', '权力类型', '设定依据', '实施主体'],
        ['650000-XK-001', '成品油零售经营资格审批', '行政许可', '《国务院决定》', '市商务局'],
        ['', '对报废机动车回收企业的监督检查', '行政检查', '《报废机动车回收管理办法》', '市商务局'],
        ['', '对报废机动车回收企业的监督检查', '行政处罚', '《报废机动车回收管理办法》', '市商务局'],
      ],
    });
    const r = await run([input]);
    expect([r.recorded, r.itemsDefined]).toEqual([3, 1]);
    const v = await view();
    const byCode = v.assignmentFacts('650200', '650000-XK-001')[0].event;
    expect(byCode.type === 'ItemAssigned' && byCode.data.asPublished).toMatchObject({ name: '成品油零售经营资格审批', code: '650000-XK-001' });
    const version = v.catalogItem('650000-XK-001')[0];
    expect(deviations(version, byCode.type === 'ItemAssigned' ? byCode.data.asPublished : undefined).map((d) => d.field)).toEqual(['name']);
    expect(v.assignmentFacts('650200', '650000-JC-002')).toHaveLength(1);
    // same name, other type: a different item
    expect(v.catalogItem(localItemCode('650200', '行政处罚', '对报废机动车回收企业的监督检查'))).toHaveLength(1);
  });

  test('never half a row: when the assignment is refused, the new catalogue item and department are not recorded either', async () => {
    await registry.registerRegion({ code: '650000', name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '2000-01-01', document: DOC }, ctx);
    await registry.registerRegion({ code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '2000-01-01', document: DOC }, ctx);
    await registry.establishDepartment({ id: 'OLD', name: '克拉玛依市旧局', regionCode: '650200', effectiveFrom: '2010-01-01', document: DOC }, ctx);
    await registry.abolishDepartment({ id: 'OLD', effectiveFrom: '2020-01-01', document: DOC }, ctx);
    const input = file('x.xlsx', { S: list({ 序号: '1', 事项名称: '新事项', 权力类型: '行政确认', 行使主体: '市旧局、市新局', 实施层级及权限: '市级' }) });
    const before = (await store.info()).eventCount;
    const r = await run([input], { createDepartments: true });
    expect(r.rejected).toEqual([{ file: 'x.xlsx', sheet: 'S', row: 2, reason: expect.stringContaining('已于 2020-01-01 撤销') }]);
    expect((await store.info()).eventCount).toBe(before);
    expect(await store.streamVersion(catalogStream(localItemCode('650200', '行政确认', '新事项')))).toBeUndefined();
    expect(await store.streamVersion(departmentStream(departmentId('650200', '克拉玛依市新局')))).toBeUndefined();
  });

  test('several bodies: lead and cooperating; other levels kept, not assigned here; a row of another level only is rejected', async () => {
    const input = file('农业.xlsx', {
      '行政征收（ 2 项）': list(
        { 序号: '1', 事项名称: '对渔业资源增殖保护费的征收', 权力类型: '行政征收', 行使主体: '自治区农业农村厅', 实施层级及权限: '自治区级' },
        { 行使主体: '县市区农业农村局', 实施层级及权限: '县市区级' },
        { 序号: '1', 事项名称: '对渔业资源增殖保护费的征收', 权力类型: '行政征收', 行使主体: '地州市农业农村局、市渔政支队', 实施层级及权限: '地州市级' },
        { 序号: '2', 事项名称: '自治区本级征收', 权力类型: '', 行使主体: '自治区农业农村厅', 实施层级及权限: '自治区级' },
      ),
    });
    const r = await run([input], { createDepartments: true });
    expect(r.rowsRead).toBe(2);
    expect(r.rejected).toEqual([expect.objectContaining({ row: 5, reason: expect.stringContaining('不属于本级清单') })]);
    const code = localItemCode('650200', '行政征收', '对渔业资源增殖保护费的征收');
    const a = await owner(code);
    expect(a.owners.map((o) => [o.departmentName, o.role])).toEqual([
      ['克拉玛依市农业农村局', 'lead'],
      ['克拉玛依市渔政支队', 'cooperating'],
    ]);
    const v = await view();
    expect(v.catalogItem(code)[0].levels).toEqual(['province', 'city', 'county']);
    const fact = v.assignmentFacts('650200', code)[0].event;
    expect(fact.type === 'ItemAssigned' && (fact.data.asPublished as { fields: Record<string, string> }).fields['其他层级']).toBe('自治区级｜自治区农业农村厅｜\n县市区级｜县市区农业农村局｜');
  });

  test('the same item twice for the same department: the second row is rejected, so a re-import stays unchanged', async () => {
    const input = file('dup.xlsx', {
      S: list(
        { 序号: '1', 事项名称: '对甲的处罚', 权力类型: '行政处罚', 实施依据: '《甲法》', 行使主体: '市某局', 实施层级及权限: '市级' },
        { 序号: '2', 事项名称: '对甲的处罚', 权力类型: '行政处罚', 实施依据: '《乙规章》', 行使主体: '市某局', 实施层级及权限: '市级' },
      ),
    });
    const r = await run([input], { createDepartments: true });
    expect(r.rejected).toEqual([expect.objectContaining({ row: 3, reason: expect.stringContaining('与「S」第 2 行是同一事项') })]);
    const r2 = await run([input], { createDepartments: true });
    expect([r2.recorded, r2.unchanged, r2.rejected.length]).toEqual([0, 1, 1]);
  });

  test('a township is registered with its ancestors; an unknown region, or a date before the region, records nothing', async () => {
    const input = file('t.xlsx', { S: list({ 序号: '1', 事项名称: '乡镇事项', 权力类型: '公共服务', 行使主体: '某街道办事处', 实施层级及权限: '乡镇（街道）' }) });
    const r = await run([input], { region: '650203001', createDepartments: true });
    expect(r.regionsRegistered.map((x) => x.code)).toEqual(['650000', '650200', '650203', '650203001']);
    expect(r.recorded).toBe(1);
    await expect(run([input], { region: '990000' })).rejects.toMatchObject({ code: 'UNKNOWN_REGION' });
    await expect(run([input], { region: '650203001', effective: '1999-01-01' })).rejects.toMatchObject({ code: 'BEFORE_REGION_EXISTS' });
    await expect(run([input], { effective: '2024-02-30' })).rejects.toBeInstanceOf(ImportError);
    await expect(run([input], { document: { number: ' ' } })).rejects.toMatchObject({ code: 'BAD_OPTION' });
  });

  test('--as-catalogue: items with their levels; again unchanged; a changed level revises', async () => {
    const catalogue = (levels: string) =>
      file('目录.xlsx', {
        S: [
          ['职权编码', '事项名称', '事项类型', '设定依据', '实施层级'],
          ['000123018000', '饮用水供水单位卫生许可', '01', '《传染病防治法》', levels],
          ['', '对X的检查', '行政检查', '《X法》', '县级'],
        ],
      });
    const r = await run([catalogue('省级、市级')], { region: '650000', asCatalogue: true });
    expect([r.recorded, r.itemsDefined, r.assignments]).toEqual([2, 2, 0]);
    const v = await view();
    expect(v.catalogItem('000123018000')[0]).toMatchObject({ name: '饮用水供水单位卫生许可', type: '行政许可', levels: ['province', 'city'] });
    expect(v.catalogItem(localItemCode('650000', '行政检查', '对X的检查'))[0].levels).toEqual(['county']);
    expect((await run([catalogue('省级、市级')], { region: '650000', asCatalogue: true })).unchanged).toBe(2);
    const revised = await run([catalogue('省级、市级、县级')], { region: '650000', asCatalogue: true, effective: '2025-01-01' });
    expect([revised.recorded, revised.itemsRevised, revised.unchanged]).toEqual([1, 1, 1]);
    expect((await view()).catalogItem('000123018000').map((x) => x.levels)).toEqual([['province', 'city'], ['province', 'city', 'county']]);
    // a city list then matches the catalogue by code
    const cityList = file('l.xlsx', { S: [['职权编码', '事项名称', '事项类型', '实施主体'], ['000123018000', '饮用水供水单位卫生许可', '行政许可', '市卫健委']] });
    const l = await run([cityList], { createDepartments: true, effective: '2025-02-01' });
    expect([l.recorded, l.itemsDefined]).toEqual([1, 0]);
    expect((await owner('000123018000', '2025-03-01')).status).toBe('owned');
  });

  test('--as-catalogue, a guide for two levels (a sheet per level): one item with both levels, each with its own scope; an empty level is not "all"', async () => {
    const header = ['序号', '事项名称', '事项类型', '设定依据', '实施层级', '权限', '实施主体'];
    const guide = (countyScope: string) =>
      file('指导目录.xlsx', {
        市级: [header, ['1', '对违法排污行为的处罚', '行政处罚', '《环境保护法》第五十九条', '市级', '负责全市重点排污单位', '生态环境局']],
        县级: [
          header,
          ['1', '对违法排污行为的处罚', '行政处罚', '《环境保护法》第五十九条', '县级', countyScope, '生态环境局'],
          // no 实施层级 in the row: the sheet's level
          ['2', '对排污许可的检查', '行政检查', '《排污许可管理条例》第二十八条', '', '', '生态环境局'],
        ],
        附表: [header, ['1', '环境信息公开', '其他行政权力', '《环境保护法》第五十四条', '', '', '生态环境局']],
      });
    const r = await run([guide('负责本县其他排污单位')], { region: '650000', asCatalogue: true });
    expect(r.rejected).toEqual([]);
    expect([r.rowsRead, r.recorded, r.itemsDefined, r.itemsRevised]).toEqual([4, 4, 3, 0]);
    const v = await view();
    const penalty = v.catalogItem(localItemCode('650000', '行政处罚', '对违法排污行为的处罚'));
    expect(penalty).toHaveLength(1);
    expect(penalty[0]).toMatchObject({ levels: ['city', 'county'], scopes: { city: '负责全市重点排污单位', county: '负责本县其他排污单位' } });
    expect(v.catalogItem(localItemCode('650000', '行政检查', '对排污许可的检查'))[0].levels).toEqual(['county']);
    // an empty 实施层级 on a sheet named after no level: the importing region's level, and a warning — not every level
    expect(v.catalogItem(localItemCode('650000', '其他行政权力', '环境信息公开'))[0].levels).toEqual(['province']);
    expect(r.warnings).toEqual([expect.objectContaining({ sheet: '附表', row: 2, code: 'LEVEL_NOT_STATED', message: expect.stringContaining('不视为适用于所有层级') })]);
    // again: nothing; a revised county scope: one revision
    expect((await run([guide('负责本县其他排污单位')], { region: '650000', asCatalogue: true })).unchanged).toBe(4);
    const revised = await run([guide('负责本县全部排污单位')], { region: '650000', asCatalogue: true, effective: '2025-01-01' });
    expect([revised.itemsRevised, revised.recorded]).toEqual([1, 2]);
    expect((await view()).catalogItem(localItemCode('650000', '行政处罚', '对违法排污行为的处罚')).map((x) => x.scopes?.county)).toEqual(['负责本县其他排污单位', '负责本县全部排污单位']);
    // the same item twice on one level's sheet is still a duplicate
    const twice = file('重复.xlsx', { 县级: [header, ['1', '对X的处罚', '行政处罚', '《X法》', '县级', '', ''], ['2', '对X的处罚', '行政处罚', '《X法》', '县级', '', '']] });
    const d = await run([twice], { region: '650000', asCatalogue: true });
    expect(d.rejected).toEqual([expect.objectContaining({ row: 3, reason: expect.stringContaining('同一层级（县级）') })]);
    // the guide imported as a county's list takes the county sheet's rows only
    const county = await run([guide('负责本县其他排污单位')], { region: '650203', createDepartments: true });
    expect(county.rejected.map((x) => [x.sheet, x.reason.includes('不属于本级清单')])).toEqual([['市级', true]]);
    expect(county.recorded).toBe(3);
  });

  test('short forms of department names: matched to the existing department with a warning, not a second department', async () => {
    const subjects = ['克拉玛依市科学技术局', '克拉玛依市人民防空办公室', '克拉玛依市城市建设局', '克拉玛依市城乡建设局'];
    const first = await run([file('全称.xlsx', { S: [['事项名称', '权力类型', '行使主体'], ...subjects.map((d, i) => [`对事项${i}的检查`, '行政检查', d])] })], { createDepartments: true });
    expect(first.departmentsCreated).toHaveLength(4);
    const id = (name: string) => first.departmentsCreated.find((d) => d.name === name)!.id;
    const short = await run(
      [
        file('简称.xlsx', {
          S: [
            ['事项名称', '权力类型', '行使主体'],
            ['对科技项目的检查', '行政检查', '市科技局'], // the table: 科技局 = 科学技术局
            ['对科技奖励的确认', '行政确认', '克拉玛依市科技局'],
            ['对人防工程的检查', '行政检查', '市人防办'], // the rule: 人防办 ~ 人民防空办公室
            ['对城建档案的检查', '行政检查', '市城建局'], // close to two: a new department, and a warning
          ],
        }),
      ],
      { createDepartments: true },
    );
    expect(short.rejected).toEqual([]);
    expect(short.departmentsCreated).toEqual([{ id: departmentId('650200', '克拉玛依市城建局'), name: '克拉玛依市城建局' }]);
    const v = await view();
    const holders = (name: string) => ownership(v, { region: '650200', item: localItemCode('650200', name.includes('确认') ? '行政确认' : '行政检查', name), at: '2024-06-01' }).owners.map((o) => o.departmentId);
    expect(holders('对科技项目的检查')).toEqual([id('克拉玛依市科学技术局')]);
    expect(holders('对科技奖励的确认')).toEqual([id('克拉玛依市科学技术局')]);
    expect(holders('对人防工程的检查')).toEqual([id('克拉玛依市人民防空办公室')]);
    expect(short.warnings.map((w) => [w.row, w.code])).toEqual([
      [2, 'DEPARTMENT_SHORT_NAME'],
      [3, 'DEPARTMENT_SHORT_NAME'],
      [4, 'DEPARTMENT_SHORT_NAME'],
      [5, 'DEPARTMENT_NAME_CLOSE'],
    ]);
    expect(short.warnings[0].message).toContain('「市科技局」按常用简称对应本区划已有部门「克拉玛依市科学技术局」');
    expect(short.warnings[3].message).toContain('「克拉玛依市城市建设局」');
  });

  test('#22: the catalogue index is built in slices — the event loop turns before the first row when the catalogue is large', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({ 序号: String(i + 1), 事项名称: `对第${i + 1}类统计违法行为的处罚`, 权力类型: '行政处罚', 实施依据: '《统计法》', 行使主体: '市统计局' }));
    await run([file('a.xlsx', { Sheet1: list(...rows) })], { createDepartments: true });
    let turns = 0;
    let spinning = true;
    const spin = () => {
      if (!spinning) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    let beforeFirstRow = -1;
    try {
      await run([file('b.xlsx', { Sheet1: list(rows[0]) })], { createDepartments: true, sliceMs: 0, onProgress: () => void (beforeFirstRow < 0 && (beforeFirstRow = turns)) });
    } finally {
      spinning = false;
    }
    // 300 catalogue items, a pause every 64 with sliceMs 0: the loop ran at least 4 times while they were indexed
    expect(beforeFirstRow).toBeGreaterThanOrEqual(4);
  });
});
