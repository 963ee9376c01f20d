import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createServer } from '../apps/api/src/server';
import { loadConfig } from '../libs/runtime/src';
import { TOKENS, TOKENS_ENV } from './support/app';
import { quanze } from './support/cli';

/**
 * Issue 21 item 6: change sets (调整方案) as CLI verbs, so the office can script a reform — the use cases
 * of the HTTP routes (libs/application ChangeSets), the API's answers and refusals, its exit codes.
 */
describe('CLI change sets: a reform scripted', () => {
  let dir: string;
  const q = (...args: string[]) => quanze(dir, ...args);
  const json = async (...args: string[]) => {
    const r = await q(...args, '--json');
    return { code: r.code, body: r.stdout ? JSON.parse(r.stdout) : undefined, stderr: r.stderr };
  };
  /** A write that must succeed: exit 0, nothing on stderr, its JSON answer. */
  const ok = async (...args: string[]) => {
    const r = await json(...args);
    expect([args.slice(0, 2).join(' '), r.code, r.stderr]).toEqual([args.slice(0, 2).join(' '), 0, '']);
    return r.body;
  };
  const DOC = ['--doc', '克政办发〔2016〕1号'];
  const CHANGE = ['--effective-from', '2025-03-01', '--doc', '克政办发〔2025〕3号'];
  const owners = async (item: string, at: string) =>
    (JSON.parse((await q('owner', '--region', '650200', '--item', item, '--at', at, '--json')).stdout).owners as any[]).map((o) => `${o.departmentId}:${o.role}`);
  const eventCount = async () => JSON.parse((await q('stats', '--json')).stdout).store.eventCount as number;
  const approved = async (id: string) => {
    expect((await ok('changeset', 'submit', id, '--note', '请审核')).status).toBe('submitted');
    // 四眼原则: reviewed by another than the one who drafted and submitted it (the CLI's default actor)
    expect((await ok('changeset', 'approve', id, '--note', '同意', '--actor', REVIEWER)).status).toBe('approved');
  };
  const REVIEWER = '法制办-李';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'quanze-cli-cs-'));
    const setup = [
      ['region', 'register', '--code', '650000', '--name', '新疆维吾尔自治区', '--level', 'province', '--effective-from', '1955-10-01', ...DOC],
      ['region', 'register', '--code', '650200', '--name', '克拉玛依市', '--level', 'city', '--parent', '650000', '--effective-from', '1982-01-01', ...DOC],
      ['department', 'establish', '--id', 'RS', '--name', '克拉玛依市人力资源和社会保障局', '--region', '650200', '--effective-from', '2010-01-01', ...DOC],
      ['department', 'establish', '--id', 'YB', '--name', '克拉玛依市医疗保障局', '--region', '650200', '--effective-from', '2019-01-01', ...DOC],
      ['catalogue', 'define', '--code', 'X', '--name', '对骗取医疗保险基金行为的处罚', '--type', '行政处罚', '--basis', '《中华人民共和国社会保险法》', '--levels', 'city', '--effective-from', '2015-01-01', ...DOC],
      ['catalogue', 'define', '--code', 'Y', '--name', '社会保险登记', '--type', '其他行政权力', '--basis', '《中华人民共和国社会保险法》', '--levels', 'city', '--effective-from', '2015-01-01', ...DOC],
      ['assign', '--region', '650200', '--item', 'X', '--department', 'RS', '--effective-from', '2020-01-01', ...DOC],
      ['assign', '--region', '650200', '--item', 'Y', '--department', 'RS', '--effective-from', '2020-01-01', ...DOC],
    ];
    for (const args of setup) await ok(...args);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let reform: string;

  test('create, add commands with --change-set, preview, submit, approve, publish as an edition: ownership changed, the edition exists', async () => {
    const created = await ok('changeset', 'create', '--region', '650200', '--title', '2025年医保职责调整', '--doc', '克编办〔2025〕1号', '--idempotency-key', 'reform-2025');
    expect(created).toMatchObject({ status: 'draft', version: 0, eventIds: [expect.any(String)] });
    reform = created.id;
    // the same key again opens it once
    expect((await ok('changeset', 'create', '--region', '650200', '--title', '2025年医保职责调整', '--doc', '克编办〔2025〕1号', '--idempotency-key', 'reform-2025')).id).toBe(reform);

    const a = await ok('transfer', '--region', '650200', '--item', 'X', '--from', 'RS', '--to', 'YB', ...CHANGE, '--change-set', reform);
    expect(a).toEqual({ changeSet: reform, index: 0, warnings: [], version: 1 });
    // checked as if the draft's earlier commands were in force: W does not exist yet, but is defined by index 1
    await ok('catalogue', 'define', '--code', 'W', '--name', '医疗保障基金使用监督检查', '--type', '行政检查', '--basis', '《医疗保障基金使用监督管理条例》', '--levels', 'city', ...CHANGE, '--change-set', reform);
    const c = await ok('assign', '--region', '650200', '--item', 'W', '--department', 'YB', ...CHANGE, '--change-set', reform);
    expect([c.index, c.version]).toEqual([2, 3]);
    // a rule break is refused as over HTTP (RS no longer holds X in the draft): exit 5, nothing added
    const broken = await json('transfer', '--region', '650200', '--item', 'X', '--from', 'RS', '--to', 'YB', '--effective-from', '2025-04-01', '--doc', '克政办发〔2025〕3号', '--change-set', reform);
    expect([broken.code, broken.body.statusCode, broken.body.code]).toEqual([5, 409, 'NOT_HELD']);

    // nothing of the draft is in force
    expect(await owners('X', '2025-06-01')).toEqual(['RS:lead']);
    const shown = await ok('changeset', 'show', reform);
    expect(shown.commands.map((x: any) => x.route)).toEqual(['POST /api/regions/650200/items/X/transfer', 'POST /api/catalog/items', 'POST /api/regions/650200/items/W/assign']);
    expect(shown.version).toBe(3);
    const listed = await ok('changeset', 'list', '--region', '650200', '--status', 'draft');
    expect(listed.changeSets.map((x: any) => x.id)).toEqual([reform]);

    const preview = await ok('changeset', 'preview', reform);
    expect(preview).toMatchObject({ id: reform, status: 'draft', region: '650200', at: '2025-03-01', stale: [] });
    expect(preview.diff.transferred.map((x: any) => [x.code, x.from, x.to])).toEqual([['X', ['克拉玛依市人力资源和社会保障局'], ['克拉玛依市医疗保障局']]]);
    expect(preview.diff.added.map((x: any) => x.code)).toEqual(['W']);

    // publishing a draft is refused by its status, exit 5
    const early = await json('changeset', 'publish', reform, '--doc', '克政发〔2025〕8号', '--published-on', '2025-02-20');
    expect([early.code, early.body.code]).toEqual([5, 'CHANGESET_BAD_STATUS']);
    // the drafter may not approve their own change set: exit 5, CHANGESET_SELF_REVIEW, nothing recorded
    expect((await ok('changeset', 'submit', reform, '--note', '请审核')).status).toBe('submitted');
    const selfCount = await eventCount();
    const self = await json('changeset', 'approve', reform, '--note', '同意');
    expect([self.code, self.body.statusCode, self.body.code]).toEqual([5, 409, 'CHANGESET_SELF_REVIEW']);
    expect(self.body.message).toContain('四眼原则');
    expect(await eventCount()).toBe(selfCount);
    expect((await ok('changeset', 'approve', reform, '--note', '同意', '--actor', REVIEWER)).status).toBe('approved');
    const before = await eventCount();
    const pub = await ok('changeset', 'publish', reform, '--doc', '克政发〔2025〕8号', '--published-on', '2025-02-20', '--edition', '2025年版', '--edition-title', '克拉玛依市权责清单（2025年版）');
    expect(pub).toMatchObject({ id: reform, status: 'published', edition: { number: '2025年版', effectiveFrom: '2025-03-01', publishedOn: '2025-02-20', itemCount: 3 } });
    // the three commands' events, EditionPublished, ChangeSetPublished: one append
    expect(pub.eventIds).toHaveLength(5);
    expect(pub.edition.eventIds).toEqual([pub.eventIds[3]]);
    expect(pub.edition.contentAsKnownAt).toBe(pub.recordedAt);
    expect(await eventCount()).toBe(before + 5);
    expect(await owners('X', '2025-06-01')).toEqual(['YB:lead']);
    expect(await owners('X', '2025-02-28')).toEqual(['RS:lead']);
    expect(await owners('W', '2025-06-01')).toEqual(['YB:lead']);
    // the same human output without --json
    const text = await q('changeset', 'show', reform);
    expect([text.code, text.stdout]).toEqual([0, expect.stringContaining('已发布')]);
  }, 180_000);

  test('stale: something recorded since makes a command no longer apply — CHANGESET_STALE naming the item, exit 5, nothing recorded; the API answers the same', async () => {
    const id = (await ok('changeset', 'create', '--region', '650200', '--title', '社会保险登记划转')).id as string;
    await ok('transfer', '--region', '650200', '--item', 'Y', '--from', 'RS', '--to', 'YB', ...CHANGE, '--change-set', id);
    await approved(id);
    // recorded directly meanwhile: Y is no longer held by RS
    await ok('transfer', '--region', '650200', '--item', 'Y', '--from', 'RS', '--to', 'YB', '--effective-from', '2025-01-01', '--doc', '克政办发〔2025〕2号');
    const preview = await ok('changeset', 'preview', id);
    expect(preview.stale.map((s: any) => [s.index, s.item, s.code])).toEqual([[0, 'Y', 'NOT_HELD']]);
    const before = await eventCount();
    const stale = await json('changeset', 'publish', id, '--doc', '克政发〔2025〕9号', '--published-on', '2025-04-01');
    expect([stale.code, stale.body.statusCode, stale.body.code, stale.body.details.items]).toEqual([5, 409, 'CHANGESET_STALE', ['Y']]);
    expect(await eventCount()).toBe(before);
    // an edition number already taken is refused before anything is recorded
    const other = (await ok('changeset', 'create', '--region', '650200', '--title', '其他')).id as string;
    await ok('withdraw', '--region', '650200', '--item', 'Y', '--department', 'YB', '--effective-from', '2025-05-01', '--doc', '克政办发〔2025〕5号', '--change-set', other);
    await approved(other);
    const beforeDup = await eventCount();
    const dup = await json('changeset', 'publish', other, '--doc', '克政发〔2025〕9号', '--published-on', '2025-05-01', '--edition', '2025年版');
    expect([dup.code, dup.body.code]).toEqual([5, 'EDITION_EXISTS']);
    expect(await eventCount()).toBe(beforeDup);
    const missing = await json('changeset', 'submit', 'no-such-set');
    expect([missing.code, missing.body.statusCode, missing.body.code]).toEqual([4, 404, 'UNKNOWN_CHANGESET']);
    // returning without a reason is the domain's refusal, as over HTTP
    const third = (await ok('changeset', 'create', '--region', '650200', '--title', '待退回')).id as string;
    await ok('withdraw', '--region', '650200', '--item', 'X', '--department', 'YB', '--effective-from', '2025-06-01', '--doc', '克政办发〔2025〕6号', '--change-set', third);
    await ok('changeset', 'submit', third);
    const noNote = await json('changeset', 'return', third);
    expect([noNote.code, noNote.body.code]).toEqual([5, 'CHANGESET_NOTE_REQUIRED']);
    expect((await json('changeset', 'return', third, '--note', '依据文件未附')).body.code).toBe('CHANGESET_SELF_REVIEW');
    expect((await ok('changeset', 'return', third, '--note', '依据文件未附', '--actor', REVIEWER)).status).toBe('returned');
    const text = await q('changeset', 'publish', id, '--doc', '克政发〔2025〕9号', '--published-on', '2025-04-01');
    expect([text.code, text.stderr]).toEqual([5, expect.stringContaining('CHANGESET_STALE')]);

    // the API on the same store: the same change set, the same refusal, the same answers
    const server = await createServer(loadConfig({ QUANZE_DATA_DIR: dir, QUANZE_TOKENS: TOKENS_ENV, QUANZE_DEMO: '0', PORT: '0' }), { log: false });
    try {
      const api = request(server.url);
      const auth = (role: keyof typeof TOKENS) => ({ Authorization: `Bearer ${TOKENS[role]}` });
      const r = await api.post(`/api/change-sets/${id}/publish`).set(auth('admin')).send({ document: { number: '克政发〔2025〕9号' }, publishedOn: '2025-04-01' });
      expect(r.status).toBe(409);
      expect(stale.body).toEqual(r.body);
      const shown = await api.get(`/api/change-sets/${reform}`).set(auth('reviewer'));
      expect((await ok('changeset', 'show', reform))).toEqual(shown.body);
      const editions = await api.get('/api/regions/650200/editions').set(auth('reader'));
      expect(editions.body.editions.map((e: any) => [e.number, e.changeSetId ?? null])).toEqual([['2025年版', reform]]);
    } finally {
      await server.close();
    }
  }, 180_000);
});
