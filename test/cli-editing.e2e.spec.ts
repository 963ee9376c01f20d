import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createServer } from '../apps/api/src/server';
import { loadConfig } from '../libs/runtime/src';
import { TOKENS, TOKENS_ENV, doc } from './support/app';
import { quanze } from './support/cli';

/** The editing verbs of the CLI: the Registry's write path, the API's answers and refusals. */
describe('CLI editing verbs', () => {
  let dir: string;
  const q = (...args: string[]) => quanze(dir, ...args);
  const json = async (...args: string[]) => {
    const r = await q(...args, '--json');
    return { code: r.code, body: r.stdout ? JSON.parse(r.stdout) : undefined, stderr: r.stderr };
  };
  const DOC = ['--doc', '克政办发〔2016〕1号', '--doc-title', '测试文件', '--doc-issued-on', '2016-04-01'];

  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'quanze-cli-edit-'))));
  const sandingFile = () => {
    const f = join(dir, 'sanding.json');
    writeFileSync(f, JSON.stringify({ duties: [{ id: 'SWJ-1', text: '负责商务统计' }], internalOrgans: [{ id: 'SWJ-O1', name: '综合科', duties: [{ id: 'SWJ-O1-1', text: '文电会务' }] }], staffing: { authorized: 12, leaders: 3 } }));
    return f;
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('set up, assign, transfer, withdraw, delegate and recall, retract; department and catalogue changes', async () => {
    const setup = [
      ['region', 'register', '--code', '650000', '--name', '新疆维吾尔自治区', '--level', 'province', '--effective-from', '1955-10-01', ...DOC],
      ['region', 'register', '--code', '650200', '--name', '克拉玛依市', '--level', 'city', '--parent', '650000', '--effective-from', '1982-01-01', ...DOC],
      ['region', 'register', '--code', '650202', '--name', '克拉玛依区', '--level', 'county', '--parent', '650200', '--effective-from', '1982-01-01', ...DOC],
      ['department', 'establish', '--id', 'TJJ', '--name', '克拉玛依市统计局', '--region', '650200', '--effective-from', '2010-01-01', ...DOC],
      ['department', 'establish', '--id', 'SWJ', '--name', '克拉玛依市商务局', '--region', '650200', '--effective-from', '2010-01-01', ...DOC],
      ['department', 'establish', '--id', 'QTJ', '--name', '克拉玛依区统计局', '--region', '650202', '--effective-from', '2010-01-01', ...DOC],
      ['catalogue', 'define', '--code', 'X1', '--name', '对统计违法行为的行政处罚', '--type', '行政处罚', '--basis', '《中华人民共和国统计法》第三十七条', '--levels', 'city,county', '--effective-from', '2015-01-01', ...DOC],
      ['department', 'sanding', '--id', 'SWJ', '--file', sandingFile(), '--effective-from', '2015-01-01', ...DOC],
    ];
    for (const args of setup) {
      const r = await json(...args);
      expect([args.slice(0, 2).join(' '), r.code, r.stderr]).toEqual([args.slice(0, 2).join(' '), 0, '']);
      expect(r.body.eventIds).toHaveLength(1);
    }
    const a = await json('assign', '--region', '650200', '--item', 'X1', '--department', 'TJJ', '--effective-from', '2016-05-01', ...DOC, '--idempotency-key', 'cli-assign-1');
    expect(a).toMatchObject({ code: 0, body: { commandId: 'cli-assign-1', streamVersion: 0, warnings: [] } });
    // the same key again: recorded once, the same answer
    const again = await json('assign', '--region', '650200', '--item', 'X1', '--department', 'TJJ', '--effective-from', '2016-05-01', ...DOC, '--idempotency-key', 'cli-assign-1');
    expect(again.body.eventIds).toEqual(a.body.eventIds);
    const owner = async (at: string) => JSON.parse((await q('owner', '--region', '650200', '--item', 'X1', '--at', at, '--json')).stdout);
    expect((await owner('2016-05-01')).owners.map((o: any) => [o.departmentId, o.role])).toEqual([['TJJ', 'lead']]);

    expect((await json('transfer', '--region', '650200', '--item', 'X1', '--from', 'TJJ', '--to', 'SWJ', '--effective-from', '2018-01-01', ...DOC)).code).toBe(0);
    expect((await owner('2018-01-01')).owners.map((o: any) => o.departmentId)).toEqual(['SWJ']);
    const d = await json('delegate', '--region', '650200', '--item', 'X1', '--to', '650202', '--departments', '650202=QTJ', '--effective-from', '2019-01-01', ...DOC);
    expect(d.code).toBe(0);
    expect((await owner('2019-01-01')).delegatedTo).toEqual(['650202']);
    expect((await json('recall', '--region', '650200', '--item', 'X1', '--from', '650202', '--department', 'SWJ', '--effective-from', '2020-01-01', ...DOC)).code).toBe(0);
    const w = await json('withdraw', '--region', '650200', '--item', 'X1', '--department', 'SWJ', '--effective-from', '2021-01-01', ...DOC);
    expect(w.code).toBe(0);
    expect(w.body.warnings.map((x: any) => x.code)).toContain('GAP');
    expect((await owner('2021-01-01')).status).toBe('unowned');
    const r = await json('retract', '--event', w.body.eventIds[0], '--reason', '录入错误', '--doc', '克编办〔2021〕2号');
    expect(r.code).toBe(0);
    expect((await owner('2021-01-01')).owners.map((o: any) => o.departmentId)).toEqual(['SWJ']);

    expect((await json('department', 'rename', '--id', 'TJJ', '--name', '克拉玛依市统计局（新）', '--effective-from', '2022-01-01', ...DOC)).code).toBe(0);
    expect((await json('catalogue', 'revise', '--code', 'X1', '--name', '对统计违法行为的处罚', '--effective-from', '2022-01-01', ...DOC)).code).toBe(0);
    // 职责分工: a clause named from the idempotency key, so the same key records it once
    const clause = ['boundary', 'agree', '--region', '650200', '--matter', '统计执法检查', '--lead', 'SWJ', '--assisting', 'TJJ', '--items', 'X1', '--effective-from', '2022-06-01', ...DOC, '--idempotency-key', 'cli-boundary-1'];
    const b1 = await json(...clause);
    expect([b1.code, b1.stderr, b1.body.eventIds.length]).toEqual([0, '', 1]);
    expect((await json(...clause)).body.eventIds).toEqual(b1.body.eventIds);
    expect((await json('department', 'abolish', '--id', 'TJJ', '--effective-from', '2023-01-01', ...DOC)).code).toBe(0);
    expect((await json('catalogue', 'retire', '--code', 'X1', '--effective-from', '2030-01-01', ...DOC)).code).toBe(0);
  }, 180_000);

  test('a refusal is the API\'s: the same code, message and status, exit 5 (rule) / 4 (not found), nothing recorded', async () => {
    const args = ['transfer', '--region', '650200', '--item', 'X1', '--from', 'QTJ', '--to', 'SWJ', '--effective-from', '2024-01-01', ...DOC];
    const cli = await json(...args);
    // the API on the same store, the same command
    const server = await createServer(loadConfig({ QUANZE_DATA_DIR: dir, QUANZE_TOKENS: TOKENS_ENV, QUANZE_DEMO: '0', PORT: '0' }), { log: false });
    try {
      const before = (await server.core.store.info()).eventCount;
      const api = await request(server.url)
        .post('/api/regions/650200/items/X1/transfer')
        .set('Authorization', `Bearer ${TOKENS.editor}`)
        .send({ fromDepartmentId: 'QTJ', toDepartmentId: 'SWJ', effectiveFrom: '2024-01-01', document: doc() });
      expect(api.status).toBe(409);
      expect(cli.code).toBe(5);
      expect(cli.body).toEqual({ statusCode: 409, error: 'Conflict', code: api.body.code, message: api.body.message, details: api.body.details });
      expect((await server.core.store.info()).eventCount).toBe(before);
      // the 三定 recorded by `department sanding` is the one the API shows
      const swj = await request(server.url).get('/api/departments/SWJ?at=2016-01-01').set('Authorization', `Bearer ${TOKENS.reader}`);
      expect(swj.body.sanding).toMatchObject({ duties: [{ id: 'SWJ-1', text: '负责商务统计' }], staffing: { authorized: 12, leaders: 3 }, document: { number: '克政办发〔2016〕1号' } });
    } finally {
      await server.close();
    }
    const missing = await json('department', 'rename', '--id', 'NOPE', '--name', 'x', '--effective-from', '2024-01-01', ...DOC);
    expect([missing.code, missing.body.statusCode]).toEqual([4, 404]);
    const text = await q('transfer', '--region', '650200', '--item', 'X1', '--from', 'QTJ', '--to', 'SWJ', '--effective-from', '2024-01-01', ...DOC);
    expect(text.code).toBe(5);
    expect(text.stderr).toContain(cli.body.code);
  }, 120_000);
});
