import { ProjectionRunner, createReadModels } from '../libs/projections/src';
import { TestApp, answers, doc, karamayWithTwoBureaus, startTestApp } from './support/app';

/** Issue 16 items 1–2: change sets (调整方案) over HTTP — drafting on any command route, preview, review, publication. */
describe('change sets: draft, review, publish', () => {
  let t: TestApp;
  const R = '/api/regions/650200';
  const { ok, get } = answers(() => t);
  const open = async (title: string) => (await ok('/api/change-sets', { regionCode: '650200', title, document: doc('克编办〔2025〕1号') }, 201)).id as string;
  /** A command sent to a change set: 202 with what was added. */
  const draft = async (id: string, path: string, body: object) => {
    const r = await t.post(`${path}?changeSet=${id}`, body);
    expect([r.status, r.body.code, r.body.message]).toEqual([202, undefined, undefined]);
    expect(r.body).toMatchObject({ changeSet: id, index: expect.any(Number), version: expect.any(Number), warnings: expect.any(Array) });
    return r.body;
  };
  const approve = async (id: string) => {
    await ok(`/api/change-sets/${id}/submit`, {});
    await ok(`/api/change-sets/${id}/review`, { decision: 'approve', note: '同意' }, 200, 'reviewer');
  };
  const owners = async (item: string, at: string) => (await get(`/api/ownership?region=650200&item=${item}&at=${at}`)).owners.map((o: any) => `${o.departmentId}:${o.role}`);
  const listCodes = async (at: string) => (await get(`${R}/list?at=${at}`)).items.map((i: any) => i.code);
  const findingIds = async (at: string) => (await get(`/api/findings?region=650200&at=${at}&leads=include`)).findings.map((f: any) => f.id).sort();
  const head = async () => (await t.server.core.store.info()).headPosition;
  const change = (effectiveFrom = '2025-03-01') => ({ effectiveFrom, document: doc('克政办发〔2025〕3号') });

  beforeAll(async () => {
    t = await startTestApp();
    await karamayWithTwoBureaus(ok);
    const items = [['X', '对骗取医疗保险基金行为的处罚', '行政处罚'], ['Y', '社会保险登记', '其他行政权力'], ['Z', '医疗保障定点机构协议管理', '其他行政权力'], ['V', '职业技能鉴定机构设立审批', '行政许可'], ['U', '失业保险金申领', '行政给付']];
    for (const [code, name, type] of items) {
      await ok('/api/catalog/items', { code, name, type, basis: ['《中华人民共和国社会保险法》'], levels: ['city'], effectiveFrom: '2015-01-01', document: doc('目录') }, 201);
    }
    for (const item of ['X', 'Y', 'V', 'U']) await ok(`${R}/items/${item}/assign`, { departmentId: 'RS', ...change('2020-01-01') });
  });
  afterAll(() => t.close());

  it('the whole cycle: a draft of three commands by different routes is invisible, previewed, reviewed and published as an edition', async () => {
    const opened = await t.post('/api/change-sets', { regionCode: '650200', title: '2025年机构改革调整', document: doc('克编办〔2025〕1号') });
    expect([opened.status, opened.body.status, opened.body.version]).toEqual([201, 'draft', 0]);
    const id = opened.body.id as string;
    const a = await draft(id, '/api/catalog/items', { code: 'W', name: '医疗保障基金使用监督检查', type: '行政检查', basis: ['《医疗保障基金使用监督管理条例》'], levels: ['city'], ...change() });
    // checked as if W were defined: assigning it is valid in the draft, though W does not exist yet
    const b = await draft(id, `${R}/items/W/assign`, { departmentId: 'YB', ...change() });
    const c = await draft(id, `${R}/items/X/transfer`, { fromDepartmentId: 'RS', toDepartmentId: 'YB', ...change() });
    expect([a.index, b.index, c.index]).toEqual([0, 1, 2]);
    expect(c.version).toBe(3);
    // without the change set, assigning W is refused: it is not in the catalogue
    expect((await t.post(`${R}/items/W/assign`, { departmentId: 'YB', ...change() })).status).toBe(404);
    // a rule break is 409 as usual and adds nothing (RS no longer holds X in the draft)
    const broken = await t.post(`${R}/items/X/transfer?changeSet=${id}`, { fromDepartmentId: 'RS', toDepartmentId: 'YB', ...change('2025-04-01') });
    expect(broken.status).toBe(409);
    // a stale version of the change set is refused
    const stale = await t.post(`${R}/items/Y/transfer?changeSet=${id}`, { fromDepartmentId: 'RS', toDepartmentId: 'YB', expectedVersion: 1, ...change() });
    expect([stale.status, stale.body.code]).toEqual([409, 'WRONG_EXPECTED_VERSION']);

    // nothing of the draft in ownership, lists or findings
    expect(await owners('X', '2025-06-01')).toEqual(['RS:lead']);
    expect(await listCodes('2025-06-01')).toEqual(['U', 'V', 'X', 'Y']);
    const cs = await get(`/api/change-sets/${id}`);
    expect(cs).toMatchObject({ id, regionCode: '650200', title: '2025年机构改革调整', status: 'draft', version: 3, document: { number: '克编办〔2025〕1号' } });
    expect(cs.commands.map((x: any) => [x.index, x.route])).toEqual([
      [0, 'POST /api/catalog/items'],
      [1, `POST ${R}/items/W/assign`],
      [2, `POST ${R}/items/X/transfer`],
    ]);
    expect(cs.commands[2].body).toMatchObject({ regionCode: '650200', itemCode: 'X', fromDepartmentId: 'RS', toDepartmentId: 'YB' });
    expect((await get('/api/change-sets?region=650200&status=draft')).changeSets.map((x: any) => x.id)).toContain(id);

    const p = await get(`/api/change-sets/${id}/preview`);
    expect(p.at).toBe('2025-03-01');
    expect(p.diff.added).toEqual([{ code: 'W', name: '医疗保障基金使用监督检查', owners: ['市医疗保障局'] }]);
    expect(p.diff.transferred).toEqual([{ code: 'X', name: '对骗取医疗保险基金行为的处罚', from: ['市人力资源和社会保障局'], to: ['市医疗保障局'] }]);
    expect([p.diff.removed, p.diff.leadAdded, p.stale]).toEqual([[], [], []]);
    expect(await listCodes('2025-06-01')).toEqual(['U', 'V', 'X', 'Y']);

    const submitted = await ok(`/api/change-sets/${id}/submit`, { note: '请审核' });
    expect(submitted.status).toBe('submitted');
    // once submitted it cannot be changed
    const late = await t.post(`${R}/items/Y/transfer?changeSet=${id}`, { fromDepartmentId: 'RS', toDepartmentId: 'YB', ...change() });
    expect([late.status, late.body.code]).toEqual([409, 'CHANGESET_NOT_EDITABLE']);
    expect((await t.post(`/api/change-sets/${id}/publish`, { document: doc('克政发〔2025〕8号'), publishedOn: '2025-02-20' }, 'admin')).body.code).toBe('CHANGESET_BAD_STATUS');
    expect((await ok(`/api/change-sets/${id}/review`, { decision: 'approve', note: '同意' }, 200, 'reviewer')).status).toBe('approved');

    const before = await head();
    const pub = await ok(`/api/change-sets/${id}/publish`, { document: doc('克政发〔2025〕8号'), publishedOn: '2025-02-20', edition: { number: '2025年版', title: '克拉玛依市权责清单（2025年版）' } }, 200, 'admin');
    expect(pub.status).toBe('published');
    expect(pub.eventIds.length).toBe(5); // CatalogItemDefined, ItemAssigned, ItemTransferred, EditionPublished, ChangeSetPublished
    expect(pub.edition).toMatchObject({ number: '2025年版', effectiveFrom: '2025-03-01', publishedOn: '2025-02-20', itemCount: 5, contentAsKnownAt: pub.recordedAt });
    expect(pub.edition.eventIds).toEqual([pub.eventIds[3]]);
    expect(await head()).toBe(before + 5); // the commands, the edition and the change set: one append
    const appended = await t.server.core.store.readAll(before, 10);
    expect(new Set(appended.map((e) => e.recordedAt)).size).toBe(1);
    expect(appended.map((e) => e.type).slice(-2)).toEqual(['EditionPublished', 'ChangeSetPublished']);
    expect(await owners('X', '2025-06-01')).toEqual(['YB:lead']);
    expect(await owners('W', '2025-06-01')).toEqual(['YB:lead']);
    expect(await listCodes('2025-06-01')).toEqual(['U', 'V', 'W', 'X', 'Y']);
    const editions = await get(`${R}/editions`);
    expect(editions.editions.map((e: any) => e.number)).toEqual(['2025年版']);
    expect(editions.editions[0]).toMatchObject({ contentAsKnownAt: pub.recordedAt, hash: pub.edition.hash });
    const l = await get(`${R}/list?edition=${encodeURIComponent('2025年版')}`);
    expect(l.items.map((i: any) => i.code)).toEqual(['U', 'V', 'W', 'X', 'Y']);
    expect(l.edition).toMatchObject({ hashValid: true, hash: pub.edition.hash });
    // the hash computed before the append is the one POST …/editions computes on the list as published
    const declared = await ok(`${R}/editions`, { number: '2025年版-核对', publishedOn: '2025-02-21', effectiveFrom: '2025-03-01', document: doc('核对') }, 201, 'admin');
    expect(declared.edition).toMatchObject({ hash: pub.edition.hash, itemCount: 5 });

    const done = await get(`/api/change-sets/${id}`);
    expect(done.status).toBe('published');
    expect(done.history.map((h: any) => h.status)).toEqual(['draft', 'submitted', 'approved', 'published']);
    expect(done.history[1]).toMatchObject({ note: '请审核', recordedAt: expect.any(String) });
    expect((await t.post(`/api/change-sets/${id}/withdraw`, {})).body.code).toBe('CHANGESET_BAD_STATUS');
    // a second edition with the same number is refused before anything is recorded
    const other = await open('重复版本号');
    await draft(other, `${R}/items/Z/assign`, { departmentId: 'RS', ...change('2025-05-01') });
    await approve(other);
    const h = await head();
    const dup = await t.post(`/api/change-sets/${other}/publish`, { document: doc('克政发〔2025〕9号'), publishedOn: '2025-04-01', edition: { number: '2025年版' } }, 'admin');
    expect([dup.status, dup.body.code, await head()]).toEqual([409, 'EDITION_EXISTS', h]);
    await ok(`/api/change-sets/${other}/withdraw`, { note: '版本号重复' });
  });

  it('returned with a note, edited and resubmitted', async () => {
    const id = await open('退回再报');
    await draft(id, `${R}/items/Y/transfer`, { fromDepartmentId: 'RS', toDepartmentId: 'YB', ...change('2025-07-01') });
    await ok(`/api/change-sets/${id}/submit`, {});
    const noNote = await t.post(`/api/change-sets/${id}/review`, { decision: 'return' }, 'reviewer');
    expect([noNote.status, noNote.body.code]).toEqual([409, 'CHANGESET_NOTE_REQUIRED']);
    expect((await ok(`/api/change-sets/${id}/review`, { decision: 'return', note: '划转依据不足，请补充三定规定' }, 200, 'reviewer')).status).toBe('returned');
    // returned: editable again — drop the command and add a better one
    const dropped = await t.http().delete(`/api/change-sets/${id}/commands/0`).set('Authorization', 'Bearer editor-token-0123456789abcdef');
    expect([dropped.status, dropped.body.version]).toEqual([200, 4]);
    const again = await draft(id, `${R}/items/Y/assign`, { departmentId: 'YB', role: 'cooperating', ...change('2025-07-01') });
    expect(again.index).toBe(1);
    expect((await ok(`/api/change-sets/${id}/submit`, { note: '已补充' })).status).toBe('submitted');
    const cs = await get(`/api/change-sets/${id}`);
    expect(cs.commands.map((c: any) => c.index)).toEqual([1]);
    expect(cs.history.map((h: any) => [h.status, h.note ?? null])).toEqual([
      ['draft', null],
      ['submitted', null],
      ['returned', '划转依据不足，请补充三定规定'],
      ['submitted', '已补充'],
    ]);
    // actors are shown to reviewers, not to readers
    expect(cs.history[2].actor).toBeUndefined();
    expect((await t.get(`/api/change-sets/${id}`, 'reviewer')).body.history[2].actor).toBe('reviewer-user');
    await ok(`/api/change-sets/${id}/withdraw`, { note: '并入下一方案' });
    expect((await get(`/api/change-sets/${id}`)).status).toBe('withdrawn');
  });

  it('a publication made stale by a later record is refused with CHANGESET_STALE, nothing recorded', async () => {
    const id = await open('将过期的方案');
    await draft(id, `${R}/items/U/transfer`, { fromDepartmentId: 'RS', toDepartmentId: 'YB', ...change('2025-08-01') });
    await draft(id, `${R}/items/Z/assign`, { departmentId: 'YB', ...change('2025-08-01') });
    await approve(id);
    // recorded since, directly: U withdrawn from RS, so the draft's transfer no longer applies
    await ok(`${R}/items/U/withdraw`, { departmentId: 'RS', ...change('2025-07-15') });
    const h = await head();
    const r = await t.post(`/api/change-sets/${id}/publish`, { document: doc('克政发〔2025〕10号'), publishedOn: '2025-07-20' }, 'admin');
    expect([r.status, r.body.code]).toEqual([409, 'CHANGESET_STALE']);
    expect(r.body.details.items).toEqual(['U']);
    expect(r.body.details.commands.map((c: any) => [c.index, c.route])).toEqual([[0, `POST ${R}/items/U/transfer`]]);
    expect(r.body.message).toContain('U');
    expect(await head()).toBe(h);
    expect((await get(`/api/change-sets/${id}`)).status).toBe('approved');
    expect(await owners('Z', '2025-09-01')).toEqual([]);
    // the preview says so too
    expect((await get(`/api/change-sets/${id}/preview`)).stale.map((s: any) => s.item)).toEqual(['U']);
  });

  it('two drafts on one region are independent', async () => {
    const a = await open('方案甲');
    const b = await open('方案乙');
    // each is checked on the registry plus its own draft only: both may assign V's lead elsewhere
    await draft(a, `${R}/items/V/transfer`, { fromDepartmentId: 'RS', toDepartmentId: 'YB', ...change('2026-01-01') });
    await draft(b, `${R}/items/V/transfer`, { fromDepartmentId: 'RS', toDepartmentId: 'YB', ...change('2026-02-01') });
    const pa = await get(`/api/change-sets/${a}/preview`);
    const pb = await get(`/api/change-sets/${b}/preview`);
    expect(pa.diff.transferred.map((x: any) => x.code)).toEqual(['V']);
    expect(pb.diff.transferred.map((x: any) => x.code)).toEqual(['V']);
    await ok(`/api/change-sets/${a}/withdraw`, {});
    expect((await get(`/api/change-sets/${b}`)).status).toBe('draft');
    expect((await get(`/api/change-sets/${b}`)).commands).toHaveLength(1);
    const list = (await get('/api/change-sets?region=650200')).changeSets;
    expect(list.find((x: any) => x.id === a).status).toBe('withdrawn');
    expect(list.find((x: any) => x.id === b).status).toBe('draft');
    await ok(`/api/change-sets/${b}/withdraw`, {});
  });

  it("the preview's findings are the findings after publishing (a reform leaving an item without a lead says so)", async () => {
    const at = '2026-03-01';
    const id = await open('撤销职责');
    await draft(id, `${R}/items/V/withdraw`, { departmentId: 'RS', ...change(at) });
    const p = await get(`/api/change-sets/${id}/preview`);
    expect(p.at).toBe(at);
    expect(p.diff.removed.map((x: any) => x.code)).toEqual(['V']);
    expect(p.findings.opened.map((f: any) => f.kind)).toContain('unowned');
    expect(p.findings.opened.find((f: any) => f.kind === 'unowned').title).toContain('职业技能鉴定机构设立审批');
    const before = await findingIds(at);
    expect(before).not.toContain(p.findings.opened.find((f: any) => f.kind === 'unowned').id);
    await approve(id);
    await ok(`/api/change-sets/${id}/publish`, { document: doc('克政发〔2026〕1号'), publishedOn: '2026-02-20' }, 200, 'admin');
    const after = await findingIds(at);
    expect(after.filter((x: string) => !before.includes(x))).toEqual(p.findings.opened.map((f: any) => f.id).sort());
    expect(before.filter((x: string) => !after.includes(x))).toEqual(p.findings.closed.map((f: any) => f.id).sort());
  });

  it('roles: a reader cannot draft, an editor or a reviewer cannot publish, an editor opens and submits', async () => {
    expect((await t.post('/api/change-sets', { regionCode: '650200', title: '读者' }, 'reader' as any)).status).toBe(403);
    expect((await t.post('/api/change-sets', { regionCode: '650200', title: '审核人' }, 'reviewer')).status).toBe(403);
    const id = await open('角色');
    expect((await t.post(`${R}/items/Z/assign?changeSet=${id}`, { departmentId: 'RS', ...change() }, 'reader' as any)).status).toBe(403);
    expect((await t.post(`${R}/items/Z/assign?changeSet=${id}`, { departmentId: 'RS', ...change() }, 'reviewer')).status).toBe(403);
    await draft(id, `${R}/items/Z/assign`, { departmentId: 'RS', ...change() });
    await ok(`/api/change-sets/${id}/submit`, {});
    expect((await t.post(`/api/change-sets/${id}/review`, { decision: 'approve', note: '' }, 'reader' as any)).status).toBe(403);
    await ok(`/api/change-sets/${id}/review`, { decision: 'approve', note: '' }, 200, 'reviewer');
    for (const role of ['editor', 'reviewer'] as const) {
      const r = await t.post(`/api/change-sets/${id}/publish`, { document: doc('克政发〔2025〕11号'), publishedOn: '2025-03-01' }, role);
      expect([role, r.status]).toEqual([role, 403]);
    }
    expect((await t.get(`/api/change-sets/${id}`, 'reader' as any)).status).toBe(200);
    expect((await t.get('/api/change-sets/nope')).status).toBe(404);
    expect((await t.post(`${R}/items/Z/assign?changeSet=nope`, { departmentId: 'RS', ...change() })).status).toBe(404);
    expect((await t.post('/api/change-sets', { regionCode: '659999', title: '无此区划' })).status).toBe(404);
  });

  it('two publications racing for one edition number: exactly one is recorded, the other is 409 and records nothing', async () => {
    const a = await open('竞争甲');
    const b = await open('竞争乙');
    await draft(a, `${R}/items/Z/assign`, { departmentId: 'RS', role: 'cooperating', ...change('2027-01-01') });
    await draft(b, `${R}/items/Y/assign`, { departmentId: 'YB', role: 'cooperating', ...change('2027-01-01') });
    await approve(a);
    await approve(b);
    const h = await head();
    const publish = (id: string, n: number) =>
      t.post(`/api/change-sets/${id}/publish`, { document: doc(`克政发〔2027〕${n}号`), publishedOn: '2026-12-20', edition: { number: '2027年版' } }, 'admin');
    const [ra, rb] = await Promise.all([publish(a, 1), publish(b, 2)]);
    const statuses = [ra.status, rb.status].sort();
    expect(statuses).toEqual([200, 409]);
    const [won, lost] = ra.status === 200 ? [ra, rb] : [rb, ra];
    expect(['EDITION_EXISTS', 'WRONG_EXPECTED_VERSION']).toContain(lost.body.code);
    expect(lost.body.message).toMatch(/[\u4e00-\u9fa5]/);
    // the winner's append only: its command, its edition, its ChangeSetPublished
    expect(await head()).toBe(h + 3);
    expect(won.body.eventIds).toHaveLength(3);
    const loser = ra.status === 200 ? b : a;
    expect((await get(`/api/change-sets/${loser}`)).status).toBe('approved');
    const eds = (await get(`${R}/editions`)).editions.filter((e: any) => e.number === '2027年版');
    expect(eds).toHaveLength(1);
    expect(eds[0]).toMatchObject({ changeSetId: ra.status === 200 ? a : b, hash: won.body.edition.hash });
    expect((await get(`${R}/list?edition=${encodeURIComponent('2027年版')}`)).edition).toMatchObject({ hashValid: true });
    // the loser publishes under another number: it sees the winner's commands (its edition's content includes them)
    const again = await t.post(`/api/change-sets/${loser}/publish`, { document: doc('克政发〔2027〕3号'), publishedOn: '2026-12-21', edition: { number: '2027年版-2' } }, 'admin');
    expect([again.status, again.body.code]).toEqual([200, undefined]);
    expect((await get(`${R}/list?edition=${encodeURIComponent('2027年版-2')}`)).edition).toMatchObject({ hashValid: true, hash: again.body.edition.hash });
    expect(again.body.edition.hash).not.toBe(won.body.edition.hash);
  });

  it('四眼原则: whoever drafted or submitted a change set may not review it (409 CHANGESET_SELF_REVIEW, nothing recorded)', async () => {
    // an editor ranks above a reviewer, so may review — but not a change set they drafted
    const id = await open('自审');
    await draft(id, `${R}/items/Z/assign`, { departmentId: 'YB', ...change('2027-06-01') });
    await ok(`/api/change-sets/${id}/submit`, {});
    const h = await head();
    for (const decision of ['approve', 'return']) {
      const r = await t.post(`/api/change-sets/${id}/review`, { decision, note: '意见' }, 'editor');
      expect([decision, r.status, r.body.code]).toEqual([decision, 409, 'CHANGESET_SELF_REVIEW']);
      expect(r.body.message).toContain('四眼原则');
    }
    expect(await head()).toBe(h);
    // an admin who took no part may review it
    await ok(`/api/change-sets/${id}/review`, { decision: 'return', note: '请补充依据' }, 200, 'admin');
    // the admin edits the returned draft: now a drafter, the admin may no longer review it
    const edited = await t.post(`/api/catalog/items?changeSet=${id}`, { code: 'T', name: '工伤认定', type: '行政确认', basis: ['《工伤保险条例》'], levels: ['city'], ...change('2027-06-01') }, 'admin');
    expect([edited.status, edited.body.message]).toEqual([202, undefined]);
    await ok(`/api/change-sets/${id}/submit`, {});
    const admin = await t.post(`/api/change-sets/${id}/review`, { decision: 'approve', note: '' }, 'admin');
    expect([admin.status, admin.body.code]).toEqual([409, 'CHANGESET_SELF_REVIEW']);
    await ok(`/api/change-sets/${id}/review`, { decision: 'approve', note: '同意' }, 200, 'reviewer');
    await ok(`/api/change-sets/${id}/withdraw`, { note: '演示四眼原则' });
  });

  it('abolishing a department with a successor inside a draft moves the items assigned to it earlier in the same draft too', async () => {
    await ok('/api/departments', { id: 'GT', name: '市国土资源局', regionCode: '650200', effectiveFrom: '2010-01-01', document: doc() }, 201);
    for (const code of ['G1', 'G2']) await ok('/api/catalog/items', { code, name: `国土事项${code}`, type: '行政许可', basis: ['《土地管理法》'], levels: ['city'], effectiveFrom: '2015-01-01', document: doc('目录') }, 201);
    await ok(`${R}/items/G1/assign`, { departmentId: 'GT', ...change('2020-01-01') });
    const id = await open('撤销国土局');
    // G2 is assigned to GT only in the draft: the live read model (the cascade's index) does not know it
    await draft(id, `${R}/items/G2/assign`, { departmentId: 'GT', ...change('2027-09-01') });
    await draft(id, '/api/departments/GT/abolish', { successorId: 'YB', ...change('2027-10-01') });
    const p = await get(`/api/change-sets/${id}/preview?at=2027-10-01`);
    expect(p.stale).toEqual([]);
    expect(p.diff.added.map((x: any) => [x.code, x.owners])).toEqual([['G2', ['市医疗保障局']]]);
    expect(p.diff.transferred.map((x: any) => [x.code, x.to])).toEqual([['G1', ['市医疗保障局']]]);
    expect(p.findings.opened.filter((f: any) => /G2|国土事项G2/.test(f.title)).map((f: any) => f.kind)).toEqual([]);
    await approve(id);
    await ok(`/api/change-sets/${id}/publish`, { document: doc('克政发〔2027〕5号'), publishedOn: '2027-08-20' }, 200, 'admin');
    expect(await owners('G1', '2027-10-01')).toEqual(['YB:lead']);
    expect(await owners('G2', '2027-10-01')).toEqual(['YB:lead']);
    expect(await owners('G2', '2027-09-15')).toEqual(['GT:lead']);
  });

  it('the change-set read model rebuilt from the log equals the live one', async () => {
    const rebuilt = createReadModels();
    await new ProjectionRunner(t.server.core.store, rebuilt.projections).rebuild();
    expect(rebuilt.changeSets.state()).toEqual(t.server.core.changeSets.state());
    expect(rebuilt.changeSets.list().length).toBeGreaterThanOrEqual(8);
  });
});
