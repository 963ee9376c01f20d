import * as XLSX from '@e965/xlsx';
import { TestApp, doc, startTestApp } from './support/app';

describe('export the list in force', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    const post = async (path: string, body: object) => expect((await t.post(path, body)).status).toBeLessThan(300);
    await post('/api/regions', { code: '650000', name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '1955-10-01', document: doc() });
    await post('/api/regions', { code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '1982-01-01', document: doc() });
    await post('/api/departments', { id: 'A', name: '克拉玛依市统计局', regionCode: '650200', effectiveFrom: '2010-01-01', document: doc() });
    await post('/api/departments', { id: 'B', name: '克拉玛依市商务局', regionCode: '650200', effectiveFrom: '2010-01-01', document: doc() });
    await post('/api/catalog/items', { code: 'E1', name: '对统计违法行为的处罚', type: '行政处罚', basis: ['《统计法》第三十七条', '《统计法实施条例》'], levels: ['city'], effectiveFrom: '2015-01-01', document: doc() });
    await post('/api/catalog/items', { code: 'E2', name: '单用途商业预付卡备案', type: '其他行政权力', basis: [], levels: ['city'], effectiveFrom: '2015-01-01', document: doc() });
    await post('/api/regions/650200/items/E1/assign', { departmentId: 'A', effectiveFrom: '2016-01-01', document: doc(), asPublished: { name: '统计违法行为处罚' } });
    await post('/api/regions/650200/items/E2/assign', { departmentId: 'B', effectiveFrom: '2020-01-01', document: doc() });
    await post('/api/catalog/items', { code: 'E3', name: '=HYPERLINK("http://evil.example","点此")', type: '行政检查', basis: ['@SUM(1+1)'], levels: ['city'], effectiveFrom: '2015-01-01', document: doc() });
    await post('/api/regions/650200/items/E3/assign', { departmentId: 'B', effectiveFrom: '2020-01-01', document: doc(), asPublished: { name: '+cmd|calc' } });
  });
  afterAll(() => t?.close());

  test('xlsx over HTTP: a title, the header, one row per item in force, owners and deviations', async () => {
    const r = await t.get('/api/regions/650200/list/export?at=2021-01-01').buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(r.status).toBe(200);
    expect(r.headers['content-disposition']).toContain('.xlsx');
    const wb = XLSX.read(r.body, { type: 'buffer' });
    const rows = XLSX.utils.sheet_to_json<string[]>(wb.Sheets[wb.SheetNames[0]], { header: 1 });
    expect(rows[0][0]).toBe('克拉玛依市 权责清单（2021-01-01版）');
    expect(rows[1].slice(0, 6)).toEqual(['序号', '事项编码', '事项名称', '子项', '事项类型', '设定依据']);
    expect(rows.slice(2).map((row) => [row[1], row[6]])).toEqual([['E1', '克拉玛依市统计局'], ['E2', '克拉玛依市商务局'], ['E3', '克拉玛依市商务局']]);
    // xlsx stays plain strings: the name as given, a text cell, no formula
    const e3 = wb.Sheets[wb.SheetNames[0]][`C${rows.findIndex((row) => row[1] === 'E3') + 1}`];
    // (the list's own wording of the item: what its department published)
    expect([e3.t, e3.v, e3.f]).toEqual(['s', '+cmd|calc', undefined]);
    expect(rows[2][2]).toBe('统计违法行为处罚');
    expect(rows[2][5]).toBe('《统计法》第三十七条\n《统计法实施条例》');
    // what only the registry knows is on the second sheet
    expect(wb.SheetNames).toEqual(['权责清单', '登记簿信息（不导入）']);
    const reg = XLSX.utils.sheet_to_json<string[]>(wb.Sheets[wb.SheetNames[1]], { header: 1 });
    expect(reg[1]).toEqual(['部门', '事项编码', '事项名称', '事项类型', '状态', '承接自', '四级四同偏差', '最近变更日期', '来源']);
    expect(reg[2][6]).toContain('name');
  });

  test('one department, and a bad layout is a 400', async () => {
    const r = await t.get('/api/regions/650200/list/export?at=2021-01-01&format=csv&department=B');
    expect(r.status).toBe(200);
    const lines = r.text.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(['E2', 'E3']);
    expect((await t.get('/api/regions/650200/list/export?at=2021-01-01&layout=pretty')).status).toBe(400);
  });

  test('csv, and an earlier date leaves out what was not yet in force', async () => {
    const r = await t.get('/api/regions/650200/list/export?at=2019-01-01&format=csv');
    expect(r.status).toBe(200);
    const lines = r.text.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('E1');
    expect((await t.get('/api/regions/650200/list/export?at=2019-01-01&format=pdf')).status).toBe(400);
  });

  test('csv: names and bases that look like formulas are written as text (formula injection)', async () => {
    const r = await t.get('/api/regions/650200/list/export?at=2021-01-01&format=csv');
    expect(r.status).toBe(200);
    const line = r.text.split('\r\n').find((l) => l.includes('E3'))!;
    expect(line).toContain(`"'+cmd|calc"`);
    expect(line).toContain(`"'@SUM(1+1)"`);
    expect(line).not.toMatch(/(^|,)[=+\-@]/);
  });
});
