import { SqliteEventStore } from '../../event-store/src';
import { ChangeSets, Registry } from '.';

const ctx = { actor: '编办-张' };
/** 四眼原则: the review and the publication by others than the drafter. */
const reviewer = { actor: '法制办-李' };
const admin = { actor: '政府办-王' };
const doc = { number: '克编委〔2025〕1号' };
const route = (item: string, verb: string) => `POST /api/regions/650200/items/${item}/${verb}`;
const codeOf = async (p: Promise<unknown>) => p.then(() => undefined, (e) => e.code as string);

/** 调整方案 on the write path: held commands are checked as if the earlier ones were in force; publishing is all or nothing. */
describe('change sets (application)', () => {
  let store: SqliteEventStore;
  let registry: Registry;
  let cs: ChangeSets;

  beforeEach(async () => {
    store = new SqliteEventStore({ file: ':memory:' });
    registry = new Registry(store);
    cs = new ChangeSets(store, registry);
    await registry.registerRegion({ code: '650000', name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '2000-01-01', document: doc }, ctx);
    await registry.registerRegion({ code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '2000-01-01', document: doc }, ctx);
    for (const id of ['RS', 'YB']) await registry.establishDepartment({ id, name: `市${id}局`, regionCode: '650200', effectiveFrom: '2010-01-01', document: doc }, ctx);
    for (const code of ['X', 'Y']) await registry.defineCatalogItem({ code, name: `事项${code}`, type: '行政许可', basis: ['某法'], levels: ['city'], effectiveFrom: '2010-01-01', document: doc }, ctx);
    await registry.assignItem({ regionCode: '650200', itemCode: 'X', departmentId: 'RS', role: 'lead', effectiveFrom: '2015-01-01', document: doc }, ctx);
  });
  afterEach(() => store.close());

  it('a held command sees the earlier ones; only change-set events are appended until publication', async () => {
    const { id } = await cs.open({ regionCode: '650200', title: '2025年调整' }, ctx);
    const before = (await store.info()).eventCount;
    const a = await cs.add(id, { route: route('Y', 'assign'), name: 'assignItem', body: { regionCode: '650200', itemCode: 'Y', departmentId: 'RS', role: 'lead', effectiveFrom: '2025-01-01', document: doc } }, ctx);
    expect(a).toMatchObject({ changeSet: id, index: 0, version: 1 });
    // Y is held by RS only in the draft: transferring it from RS is valid there, from YB is not.
    const body = { regionCode: '650200', itemCode: 'Y', fromDepartmentId: 'RS', toDepartmentId: 'YB', effectiveFrom: '2025-02-01', document: doc };
    expect((await cs.add(id, { route: route('Y', 'transfer'), name: 'transferItem', body }, ctx)).index).toBe(1);
    expect(await codeOf(cs.add(id, { route: route('Y', 'transfer'), name: 'transferItem', body }, ctx))).toBeDefined(); // RS no longer holds it in the draft
    expect(await codeOf(cs.add(id, { route: 'x', name: 'publishEdition', body: {} }, ctx))).toBe('CHANGESET_COMMAND');
    expect(await codeOf(cs.add(id, { route: 'x', name: 'assignItem', body: { ...body, fromDepartmentId: 'YB', toDepartmentId: 'RS', regionCode: '650203' } }, ctx))).toBeDefined();
    expect((await store.info()).eventCount).toBe(before + 2);
    expect(await store.readStream('assignment-650200-Y')).toEqual([]);
    const d = await cs.decided(id);
    expect(d.stale).toEqual([]);
    expect(d.appends.map((x) => [x.stream, x.events.map((e) => e.type)])).toEqual([['assignment-650200-Y', ['ItemAssigned', 'ItemTransferred']]]);

    expect(await codeOf(cs.publish(id, { document: doc, publishedOn: '2025-01-10' }, ctx))).toBe('CHANGESET_BAD_STATUS');
    await cs.submit(id, undefined, ctx);
    expect(await codeOf(cs.add(id, { route: route('Y', 'withdraw'), name: 'withdrawItem', body }, ctx))).toBe('CHANGESET_NOT_EDITABLE');
    await cs.review(id, { decision: 'approve', note: '' }, reviewer);
    const p = await cs.publish(id, { document: doc, publishedOn: '2025-01-10' }, admin);
    expect(p.eventIds).toHaveLength(3);
    const published = (await store.readStream(`changeset-${id}`)).pop()!;
    expect(published.type).toBe('ChangeSetPublished');
    expect((published.data as { eventIds: string[] }).eventIds).toEqual(p.eventIds.slice(0, 2));
    expect((await store.readStream('assignment-650200-Y')).map((e) => e.type)).toEqual(['ItemAssigned', 'ItemTransferred']);
  });

  it('a publication refused as stale records nothing and names the command and item', async () => {
    const { id } = await cs.open({ regionCode: '650200', title: '划转' }, ctx);
    await cs.add(id, { route: route('X', 'transfer'), name: 'transferItem', body: { regionCode: '650200', itemCode: 'X', fromDepartmentId: 'RS', toDepartmentId: 'YB', effectiveFrom: '2025-01-01', document: doc } }, ctx);
    await cs.add(id, { route: route('Y', 'assign'), name: 'assignItem', body: { regionCode: '650200', itemCode: 'Y', departmentId: 'YB', role: 'lead', effectiveFrom: '2025-01-01', document: doc } }, ctx);
    await cs.submit(id, '请审', ctx);
    await cs.review(id, { decision: 'approve', note: '同意' }, reviewer);
    // recorded since: X withdrawn from RS, so the draft's transfer no longer applies
    await registry.withdrawItem({ regionCode: '650200', itemCode: 'X', departmentId: 'RS', effectiveFrom: '2024-06-01', document: doc }, ctx);
    const head = (await store.info()).eventCount;
    const e = await cs.publish(id, { document: doc, publishedOn: '2025-01-10' }, admin).catch((x) => x);
    expect(e.code).toBe('CHANGESET_STALE');
    expect(e.details.commands.map((c: any) => [c.index, c.item])).toEqual([[0, 'X']]);
    expect(e.details.items).toEqual(['X']);
    expect((await store.info()).eventCount).toBe(head);
  });

  it('四眼原则: the drafter may not review; whoever drafted and approved may not publish; nothing is recorded', async () => {
    const { id } = await cs.open({ regionCode: '650200', title: '自审' }, ctx);
    await cs.add(id, { route: route('Y', 'assign'), name: 'assignItem', body: { regionCode: '650200', itemCode: 'Y', departmentId: 'YB', role: 'lead', effectiveFrom: '2025-01-01', document: doc } }, { actor: '编办-刘' });
    await cs.submit(id, undefined, ctx);
    const head = (await store.info()).eventCount;
    for (const who of [ctx, { actor: '编办-刘' }]) {
      for (const decision of ['approve', 'return'] as const) {
        const e = await cs.review(id, { decision, note: '意见' }, who).catch((x) => x);
        expect([who.actor, e.code]).toEqual([who.actor, 'CHANGESET_SELF_REVIEW']);
        expect(e.message).toContain('四眼原则');
      }
    }
    expect((await store.info()).eventCount).toBe(head);
    expect((await cs.state(id)).status).toBe('submitted');
    await cs.review(id, { decision: 'approve', note: '同意' }, reviewer);
    // the drafter may publish what someone else approved
    expect((await cs.publish(id, { document: doc, publishedOn: '2025-01-10' }, { actor: '编办-刘' })).eventIds).toHaveLength(2);
  });

  it('四眼原则 holds for a change set whose events were recorded before they named their actor (the metadata says who)', async () => {
    const id = 'legacy0000000001';
    const stream = `changeset-${id}`;
    const meta = (actor: string) => ({ actor, schemaVersion: 1 });
    await store.append([{ stream, expectedVersion: 'no_stream', events: [
      { id: 'l-0', type: 'ChangeSetOpened', data: { id, regionCode: '650200', title: '旧方案' }, metadata: meta('老编辑') },
      { id: 'l-1', type: 'ChangeSetCommandAdded', data: { index: 0, route: route('Y', 'assign'), name: 'assignItem', body: { regionCode: '650200', itemCode: 'Y', departmentId: 'YB', role: 'lead', effectiveFrom: '2025-01-01', document: doc }, warnings: [] }, metadata: meta('老编辑') },
      { id: 'l-2', type: 'ChangeSetSubmitted', data: {}, metadata: meta('老编辑') },
      { id: 'l-3', type: 'ChangeSetReviewed', data: { decision: 'approve', note: '' }, metadata: meta('老编辑') },
    ] }]);
    expect((await cs.state(id)).drafters).toEqual(['老编辑']);
    const e = await cs.publish(id, { document: doc, publishedOn: '2025-01-10' }, { actor: '老编辑' }).catch((x) => x);
    expect(e.code).toBe('CHANGESET_SELF_REVIEW');
    expect((await cs.publish(id, { document: doc, publishedOn: '2025-01-10' }, admin)).eventIds).toHaveLength(2);
  });

  it('abolishing a department with a successor inside a draft moves the items the draft assigned to it earlier too', async () => {
    const { id } = await cs.open({ regionCode: '650200', title: '机构改革' }, ctx);
    // Y is assigned to RS only in the draft: neither the log nor a read model knows it
    await cs.add(id, { route: route('Y', 'assign'), name: 'assignItem', body: { regionCode: '650200', itemCode: 'Y', departmentId: 'RS', role: 'lead', effectiveFrom: '2025-01-01', document: doc } }, ctx);
    await cs.add(id, { route: 'POST /api/departments/RS/abolish', name: 'abolishDepartment', body: { id: 'RS', successorId: 'YB', effectiveFrom: '2025-06-01', document: doc } }, ctx);
    const d = await cs.decided(id);
    expect(d.stale).toEqual([]);
    const streams = Object.fromEntries(d.appends.map((a) => [a.stream, a.events.map((e) => e.type)]));
    expect(streams).toEqual({
      'department-RS': ['DepartmentAbolished'],
      'assignment-650200-X': ['ItemTransferred'],
      'assignment-650200-Y': ['ItemAssigned', 'ItemTransferred'],
    });
    // an abolition adding nothing for the draft's item would warn it is left with an abolished holder: it warns nothing
    expect(d.warnings[1].map((w) => w.code)).not.toContain('ABOLISHED_HOLDING_ITEMS');
    await cs.submit(id, undefined, ctx);
    await cs.review(id, { decision: 'approve', note: '' }, reviewer);
    await cs.publish(id, { document: doc, publishedOn: '2025-05-20' }, admin);
    const y = (await store.readStream('assignment-650200-Y')).map((e) => [e.type, (e.data as any).toDepartmentId ?? (e.data as any).departmentId]);
    expect(y).toEqual([['ItemAssigned', 'RS'], ['ItemTransferred', 'YB']]);
  });
});
