import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOKENS, TestApp, doc, startTestApp } from './support/app';
import { workbook } from '../libs/import/src/testing/workbooks';

/** #22 item 11: names with invisible or reordering characters refused; private files; command headers. */
describe('hygiene', () => {
  let t: TestApp;
  const region = (name: string) => ({ code: '650000', name, level: 'province', effectiveFrom: '1955-10-01', document: doc('区划') });
  const count = async () => (await t.server.core.store.info()).eventCount;

  beforeAll(async () => {
    t = await startTestApp();
    expect((await t.post('/api/regions', region('新疆维吾尔自治区'))).status).toBe(201);
  });
  afterAll(() => t?.close());

  test.each([
    ['RTL override', '克拉玛依\u202e局计统', 'U+202E'],
    ['isolate', '统计\u2066局', 'U+2066'],
    ['zero-width space inside', '统计\u200b局', 'U+200B'],
    ['zero-width joiner', '统计\u200d局', 'U+200D'],
    ['BOM inside', '统计\ufeff局', 'U+FEFF'],
    ['NUL', '统计\u0000局', 'U+0000'],
    ['a control character', '统计\u0007局', 'U+0007'],
    ['a line break in a name', '统计\n局', 'U+000A'],
  ])('a department name with %s: 400 naming the field, nothing recorded', async (_what, name, cp) => {
    const before = await count();
    const r = await t.post('/api/departments', { id: 'S1', name, regionCode: '650000', effectiveFrom: '2010-01-01', document: doc() });
    expect([r.status, r.body.code]).toEqual([400, 'VALIDATION']);
    expect(r.body.fields).toEqual([{ field: 'name', errors: [expect.stringContaining(`name 含有不允许的字符 ${cp}`)] }]);
    expect(await count()).toBe(before);
  });

  test('nested fields are named (document.number, basis[1]); a line break in a reason is fine', async () => {
    const item = { code: 'P1', name: '事项P1', type: '行政处罚', basis: ['某法第一条', '某法\u202e第二条'], levels: ['province'], effectiveFrom: '2015-01-01', document: { number: '文\u200b号' } };
    const r = await t.post('/api/catalog/items', item);
    expect(r.status).toBe(400);
    expect(r.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['basis.1', 'document.number']);
    const ok = await t.post('/api/departments', { id: 'S2', name: '统计局', regionCode: '650000', effectiveFrom: '2010-01-01', document: doc(), reason: '第一行\n第二行' });
    expect(ok.status).toBe(201);
    // zero-width characters at the edges are trimmed, as before
    const edge = await t.post('/api/departments', { id: 'S3', name: '\u200b档案局\ufeff', regionCode: '650000', effectiveFrom: '2010-01-01', document: doc() });
    expect(edge.status).toBe(201);
  });

  test('an import: the row with a bidi override or a zero-width character is rejected with its reason, the others recorded', async () => {
    const file = workbook({
      S: [
        ['序号', '事项名称', '权力类型', '实施依据', '行使主体'],
        ['1', '对统计违法行为的处罚', '行政处罚', '《统计法》', '统计局'],
        ['2', '对\u202e罚处的为行法违案档', '行政处罚', '《档案法》', '统计局'],
        ['3', '统计\u200d调查审批', '行政许可', '《统计法》', '统计局'],
      ],
    });
    const r = await t
      .http()
      .post('/api/imports')
      .set('Authorization', `Bearer ${TOKENS.editor}`)
      .field('region', '650000')
      .field('effective', '2024-01-01')
      .field('document', '新政办发〔2024〕1号')
      .attach('files', file, 'list.xlsx');
    expect(r.status).toBe(200);
    expect(r.body.recorded).toBe(1);
    expect(r.body.rejected.map((x: { row: number; reason: string }) => [x.row, x.reason.replace(/（.*$/, '')])).toEqual([
      [3, '第 3 行第 2 列 含有不允许的字符 U+202E'],
      [4, '第 4 行第 2 列 含有不允许的字符 U+200D'],
    ]);
  });

  test('400 texts say what is wrong: a number where a text is due is not "too long"; class-validator defaults in Chinese', async () => {
    const r = await t.post('/api/regions', { ...region('x'), code: 650000, reason: 5, document: { number: 5, title: 'x'.repeat(501) }, foo: 1, expectedVersion: -5 });
    expect(r.status).toBe(400);
    const by = Object.fromEntries(r.body.fields.map((f: { field: string; errors: string[] }) => [f.field, f.errors]));
    expect(by).toEqual({
      code: ['code 必须是文本'],
      reason: ['reason 必须是文本'],
      'document.number': ['document.number（文号）必须是文本'],
      'document.title': ['title 不能超过 500 个字符'],
      foo: ['foo 不是此接口的字段'],
      expectedVersion: ['expectedVersion 不能小于 -1'],
    });
  });

  test('Idempotency-Key: longer than 128 characters or sent twice is a 400 naming it; 128 is fine', async () => {
    const before = await count();
    const send = (key: string | string[]) => {
      const r = t.http().post('/api/departments').set('Authorization', `Bearer ${TOKENS.editor}`);
      return r.set('Idempotency-Key', key as string).send({ id: 'K1', name: '档案馆', regionCode: '650000', effectiveFrom: '2010-01-01', document: doc() });
    };
    const long = await send('k'.repeat(129));
    expect([long.status, long.body.code]).toEqual([400, 'BAD_HEADER']);
    expect(long.body.message).toContain('Idempotency-Key 过长（129 个字符，上限 128）');
    expect(long.headers['content-security-policy']).toContain("default-src 'none'");
    const twice = await send(['a'.repeat(20), 'b'.repeat(20)]);
    expect([twice.status, twice.body.code]).toEqual([400, 'BAD_HEADER']);
    expect(await count()).toBe(before);
    const first = await send('k'.repeat(128));
    const again = await send('k'.repeat(128));
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.eventIds).toEqual(first.body.eventIds); // the key is honoured: recorded once
    expect(await count()).toBe(before + 1);
  });

  test('a data dir the server creates is 0700; the store and its WAL/SHM, snapshots and head file 0600; an old 0755/0644 one is tightened', async () => {
    const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);
    const check = (dir: string) => {
      expect(mode(dir)).toBe('700');
      const files = readdirSync(dir);
      expect(files).toEqual(expect.arrayContaining(['events.db', 'events.db-wal', 'events.db-shm', 'chain-head.json', 'readmodels']));
      for (const f of files) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) {
          expect([f, mode(p)]).toEqual([f, '700']);
          for (const g of readdirSync(p)) expect([g, mode(join(p, g))]).toEqual([g, '600']);
        } else expect([f, mode(p)]).toEqual([f, '600']);
      }
    };
    const root = mkdtempSync(join(tmpdir(), 'quanze-modes-'));
    try {
      for (const fresh of [true, false]) {
        const dir = join(root, 'data');
        if (!fresh) {
          chmodSync(dir, 0o755);
          for (const f of ['events.db', 'events.db-wal', 'events.db-shm', 'chain-head.json']) if (existsSync(join(dir, f))) chmodSync(join(dir, f), 0o644);
        }
        const app = await startTestApp({ QUANZE_DATA_DIR: dir });
        try {
          if (fresh) expect((await app.post('/api/regions', region('新疆维吾尔自治区'))).status).toBe(201);
          await app.server.core.runner.saveSnapshot();
          check(dir);
        } finally {
          await app.server.close();
        }
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
