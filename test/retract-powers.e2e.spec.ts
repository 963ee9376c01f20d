import { TestApp, doc, startTestApp } from './support/app';

/** #22 item 10: powers only admins have. QUANZE_RETRACT_OTHERS_DAYS=0: every other user's event is "old". */
describe('retraction powers', () => {
  let t: TestApp;
  const created = async (path: string, body: object, role: 'admin' | 'editor' = 'editor') => {
    const r = await t.post(path, body, role);
    expect([r.status, r.body.message]).toEqual([201, undefined]);
    return r.body.eventIds[0] as string;
  };
  const retract = (eventId: string, role: 'admin' | 'editor' | 'reviewer') => t.post(`/api/events/${eventId}/retract`, { reason: '录入错误', document: doc('更正') }, role);

  beforeAll(async () => {
    t = await startTestApp({ QUANZE_RETRACT_OTHERS_DAYS: '0' });
  });
  afterAll(() => t?.close());

  test("a region registration, a catalogue definition and another user's old event need an admin; one's own does not", async () => {
    const region = await created('/api/regions', { code: '650000', name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '1955-10-01', document: doc('区划') });
    const item = await created('/api/catalog/items', { code: 'P1', name: '事项P1', type: '行政处罚', basis: ['某法第一条'], levels: ['province'], effectiveFrom: '2015-01-01', document: doc('目录') });
    const byAdmin = await created('/api/departments', { id: 'A', name: '部门A', regionCode: '650000', effectiveFrom: '2010-01-01', document: doc() }, 'admin');
    const own = await created('/api/departments', { id: 'B', name: '部门B', regionCode: '650000', effectiveFrom: '2010-01-01', document: doc() });
    await new Promise((r) => setTimeout(r, 5));
    const before = (await t.server.core.store.info()).eventCount;

    for (const id of [region, item, byAdmin]) {
      const r = await retract(id, 'editor');
      expect([r.status, r.body.code]).toEqual([403, 'ADMIN_ONLY_RETRACTION']);
      expect(r.body.message).toMatch(/需要 admin 角色.* \/ retracting .* needs the admin role/);
    }
    expect((await retract(own, 'reviewer')).status).toBe(403); // a reviewer retracts nothing
    expect((await t.server.core.store.info()).eventCount).toBe(before); // nothing recorded
    expect((await t.get('/api/regions/650000')).status).toBe(200);

    expect((await retract(own, 'editor')).status).toBe(200);
    expect((await retract(byAdmin, 'admin')).status).toBe(200);
    expect((await retract(item, 'admin')).status).toBe(200);
    expect((await retract(region, 'admin')).status).toBe(200);
    expect((await t.get('/api/regions/650000')).status).toBe(404);
  });

  test('an unknown event: 404 whoever asks', async () => {
    expect((await retract('00000000-0000-4000-8000-000000000000', 'editor')).status).toBe(404);
  });
});
