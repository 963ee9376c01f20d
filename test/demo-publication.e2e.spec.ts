import { TestApp, startTestApp } from './support/app';

/** What `npm start` loads: the demo's lists as the 2024年版, a change set published as the 2025年版, a draft under review. */
describe('the demo over HTTP: editions and change sets', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ QUANZE_DEMO: '1' });
  }, 120000);
  afterAll(() => t?.close());

  it('has the two editions, the published change set and the draft under review; the public list shows the latest edition', async () => {
    const eds = await t.get('/api/regions/650200/editions');
    expect(eds.status).toBe(200);
    expect(eds.body.editions.map((e: any) => [e.number, e.publishedOn, e.effectiveFrom])).toEqual([
      ['2025年版', '2024-12-25', '2025-01-01'],
      ['2024年版', '2023-12-25', '2024-01-01'],
    ]);
    expect(eds.body.editions.every((e: any) => /演示/.test(e.document.number))).toBe(true);
    const sets = await t.get('/api/change-sets?region=650200');
    expect(sets.status).toBe(200);
    const list = Array.isArray(sets.body) ? sets.body : sets.body.changeSets;
    expect(list.map((c: any) => c.status).sort()).toEqual(['published', 'submitted']);
    const pub = await t.http().get('/api/public/regions/650200/list');
    expect([pub.status, pub.body.edition.number]).toEqual([200, '2025年版']);
    const diff = await t.get(`/api/regions/650200/list/diff?fromEdition=${encodeURIComponent('2024年版')}&toEdition=${encodeURIComponent('2025年版')}`);
    expect(diff.status).toBe(200);
    expect(diff.body.added.length + diff.body.removed.length + diff.body.transferred.length + diff.body.revised.length).toBeGreaterThan(0);
  });
});
