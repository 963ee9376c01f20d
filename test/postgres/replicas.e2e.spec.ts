/**
 * Scale-out on PostgreSQL, for real: two API processes on one private PostgreSQL, each with its own
 * read model (own data dir). A write through one is readable through the other within a bounded lag
 * (its /api/health reports the lag in events); one API killed (SIGKILL) mid-load and restarted from its
 * local snapshot ends with the same read model as the other.
 */
import { PgServer, postgresForTests, startTestPostgres } from '../../libs/event-store/src/testing/postgres-server';
import { ROLE_TOKENS } from '../reliability/support/harness';
import { sleep } from '../reliability/support/child';
import { Api } from '../reliability/support/http';
import { DOC, seedWorld } from '../reliability/support/seed';
import { PgApi } from './support';

const available = postgresForTests('API replicas on one PostgreSQL');
const d = available.skip ? describe.skip : describe;

/** How long a write may take to show through the other replica (NOTIFY wakes it; the poll is 1 s). */
const LAG_BOUND_MS = 3000;

d('two API replicas on one PostgreSQL', () => {
  let pg: PgServer;
  const apis: PgApi[] = [];
  beforeAll(async () => {
    pg = await startTestPostgres();
  });
  afterAll(async () => {
    for (const a of apis) await a.remove();
    pg?.stop();
  });

  const health = async (api: Api) => (await api.get('/api/health')).body as { store: { kind: string; headPosition: number }; projections: Array<{ checkpoint: number; lag: number; live: boolean; restoredFrom: unknown }> };
  const waitCaughtUp = async (api: Api, position: number, ms: number) => {
    const t0 = Date.now();
    for (;;) {
      const h = await health(api);
      if (h.projections?.[0]?.checkpoint >= position) return Date.now() - t0;
      if (Date.now() - t0 > ms) throw new Error(`not caught up to ${position} within ${ms} ms: ${JSON.stringify(h)}`);
      await sleep(20);
    }
  };

  test(
    'a write through A is visible through B within the bound; B killed mid-load restarts from its snapshot and ends with the same read model as A',
    async () => {
      const a = new PgApi(pg.url);
      const b = new PgApi(pg.url);
      apis.push(a, b);
      await Promise.all([a.start(), b.start()]);
      const apiA = new Api(a.url, ROLE_TOKENS.editor);
      let apiB = new Api(b.url, ROLE_TOKENS.editor);
      await seedWorld(apiA);

      // 1. Visibility through the other replica, and the lag in /api/health.
      const lags: number[] = [];
      for (let i = 0; i < 10; i++) {
        const r = await apiA.post('/api/departments', { id: `V${i}`, name: `可见性测试局${i}`, regionCode: '650200', effectiveFrom: '2001-01-01', document: DOC() });
        expect(r.status).toBe(201);
        const t0 = Date.now();
        for (;;) {
          const g = await apiB.get(`/api/departments/V${i}?at=2020-01-01`);
          if (g.status === 200) break;
          expect(g.status).toBe(404);
          if (Date.now() - t0 > LAG_BOUND_MS) throw new Error(`V${i} not visible through B after ${LAG_BOUND_MS} ms`);
          await sleep(5);
        }
        lags.push(Date.now() - t0);
      }
      const hb = await health(apiB);
      expect(hb.store.kind).toBe('postgres');
      expect(hb.projections[0].lag).toBe(0);
      expect(hb.projections[0].checkpoint).toBe(hb.store.headPosition);
      console.log(`replica visibility lag over 10 writes: max ${Math.max(...lags)} ms, median ${lags.sort((x, y) => x - y)[5]} ms`);

      // 2. A snapshot for B (a clean stop saves it), then load through both, B killed in the middle.
      await b.kill('SIGTERM');
      await b.start();
      apiB = new Api(b.url, ROLE_TOKENS.editor);
      const restored = (await health(apiB)).projections[0].restoredFrom as { snapshotPosition: number } | null;
      expect(restored?.snapshotPosition).toBeGreaterThan(0);

      let stop = false;
      const acked: number[] = [];
      const load = async (api: () => Api, tag: string) => {
        for (let i = 0; !stop; i++) {
          const r = await api()
            .post('/api/departments', { id: `${tag}${i}`, name: `负载局${tag}${i}`, regionCode: '650200', effectiveFrom: '2002-01-01', document: DOC() })
            .catch(() => ({ status: 0, body: undefined }));
          if (r.status === 201) acked.push(r.body.position);
          else if (r.status !== 0) expect([201, 503]).toContain(r.status);
          else await sleep(50); // B is down: its writer waits
        }
      };
      const loads = [load(() => apiA, 'LA'), load(() => apiB, 'LB')];
      await sleep(1500);
      await b.kill('SIGKILL');
      await sleep(1000);
      await b.start();
      apiB = new Api(b.url, ROLE_TOKENS.editor);
      const again = (await health(apiB)).projections[0];
      expect((again.restoredFrom as { snapshotPosition: number }).snapshotPosition).toBe(restored!.snapshotPosition);
      await sleep(1500);
      stop = true;
      await Promise.all(loads);
      expect(acked.length).toBeGreaterThan(10);

      // 3. Both read models agree on everything written.
      const head = (await health(apiA)).store.headPosition;
      expect(head).toBeGreaterThanOrEqual(Math.max(...acked));
      await waitCaughtUp(apiA, head, 10_000);
      await waitCaughtUp(apiB, head, 10_000);
      const ids = [...Array(10).keys()].map((i) => `V${i}`);
      for (const tag of ['LA', 'LB']) for (let i = 0; ; i++) {
        const r = await apiA.get(`/api/departments/${tag}${i}?at=2020-01-01`);
        if (r.status !== 200) break;
        ids.push(`${tag}${i}`);
      }
      expect(ids.length).toBeGreaterThan(10 + 10);
      for (const id of [...ids, 'D1', 'D2']) {
        const [x, y] = await Promise.all([apiA.get(`/api/departments/${id}?at=2020-01-01`), apiB.get(`/api/departments/${id}?at=2020-01-01`)]);
        expect([id, y.status, y.body]).toEqual([id, x.status, x.body]);
      }
      const [la, lb] = await Promise.all([apiA.get('/api/regions/650200/departments?at=2020-01-01'), apiB.get('/api/regions/650200/departments?at=2020-01-01')]);
      expect(lb.status).toBe(la.status);
      expect(lb.body).toEqual(la.body);
    },
    240_000,
  );
});
