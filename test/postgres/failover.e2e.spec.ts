/**
 * Failover on PostgreSQL, for real: a primary and a streaming standby (pg_basebackup, synchronous
 * commit to the standby), both private servers on this machine, and one API process whose connection
 * string names both hosts (target_session_attrs=read-write). Writers keep posting commands; the primary
 * is killed (SIGKILL), the standby promoted a second later. During the gap the API answers 503 with
 * Retry-After (never another 5xx, never no answer), it reconnects by itself to the promoted standby,
 * and every acknowledged command's events are in the promoted server's log, whose chain verifies.
 */
import { verifyChainAsync } from '../../libs/event-store/src';
import { openPostgresEventStore } from '../../libs/event-store/src/postgres/postgres-event-store';
import { PgServer, postgresForTests, startStandby, startTestPostgres, testPortRange } from '../../libs/event-store/src/testing/postgres-server';
import { sleep } from '../reliability/support/child';
import { ROLE_TOKENS } from '../reliability/support/harness';
import { Api } from '../reliability/support/http';
import { DOC, seedWorld } from '../reliability/support/seed';
import { PgApi } from './support';

const available = postgresForTests('failover of a PostgreSQL primary to its standby');
const d = available.skip ? describe.skip : describe;

d('failover: primary killed during writes, standby promoted', () => {
  let primary: PgServer | undefined;
  let standby: PgServer | undefined;
  let api: PgApi | undefined;
  afterAll(async () => {
    await api?.remove();
    standby?.stop();
    primary?.stop();
  });

  test(
    '503 with Retry-After during the gap, reconnection by itself, no acknowledged event lost',
    async () => {
      primary = await startTestPostgres({ settings: { fsync: 'on' } });
      standby = await startStandby(primary, { portRange: testPortRange(), synchronous: true });
      expect((await primary.sql("SELECT sync_state FROM pg_stat_replication"))[0].sync_state).toBe('sync');
      api = new PgApi(`postgres://quanze@127.0.0.1:${primary.port},127.0.0.1:${standby.port}/postgres?target_session_attrs=read-write`);
      const http = new Api(await api.start(), ROLE_TOKENS.editor);
      await seedWorld(http);

      const acked: Array<{ at: number; eventIds: string[]; position: number }> = [];
      const unavailable: Array<{ at: number; retryAfter?: string }> = [];
      const other: string[] = [];
      let stop = false;
      const writer = async (w: number) => {
        for (let i = 0; !stop; i++) {
          const r = await http.post('/api/departments', { id: `F${w}-${i}`, name: `切换测试局${w}-${i}`, regionCode: '650200', effectiveFrom: '2003-01-01', document: DOC() });
          if (r.status === 201) acked.push({ at: Date.now(), eventIds: r.body.eventIds, position: r.body.position });
          else if (r.status === 503) {
            unavailable.push({ at: Date.now(), retryAfter: r.headers['retry-after'] as string | undefined });
            await sleep(100);
          } else other.push(`${r.status} ${r.error ?? r.text.slice(0, 200)}`);
        }
      };
      const writers = Array.from({ length: 4 }, (_, w) => writer(w));
      await sleep(1500);
      const before = acked.length;
      const killedAt = Date.now();
      primary.kill();
      await sleep(1000);
      standby.promote();
      const promotedAt = Date.now();
      const t0 = Date.now();
      while (!acked.some((a) => a.at > promotedAt) && Date.now() - t0 < 30_000) await sleep(20);
      await sleep(1000);
      stop = true;
      await Promise.all(writers);

      const firstAfter = acked.find((a) => a.at > promotedAt);
      console.log(
        `failover: ${before} commands acknowledged before the kill, ${acked.length} in all; ${unavailable.length} answers 503; ` +
          `writes again ${firstAfter ? firstAfter.at - promotedAt : '-'} ms after the promotion (${firstAfter ? firstAfter.at - killedAt : '-'} ms after the kill)`,
      );
      if (other.length) throw new Error(`${other.length} other answers, e.g. ${other[0]}; the API's output:\n${api.child?.tail.slice(-3000)}`);
      expect(before).toBeGreaterThan(0);
      expect(unavailable.length).toBeGreaterThan(0);
      expect(unavailable.every((u) => u.retryAfter !== undefined && Number(u.retryAfter) > 0)).toBe(true);
      expect(firstAfter).toBeDefined();

      // Every acknowledged event is in the promoted server's log; the chain verifies across the failover.
      const store = await openPostgresEventStore(standby.url);
      try {
        const ids = new Set((await store.readAll(0, 1_000_000)).map((e) => e.id));
        const lost = acked.flatMap((a) => a.eventIds).filter((id) => !ids.has(id));
        expect(lost).toEqual([]);
        const report = await verifyChainAsync(store.iterateRaw());
        expect(report.ok).toBe(true);
        // The API's read model follows the new primary: caught up, live, same head.
        const head = (await store.info()).headPosition;
        const until = Date.now() + 15_000;
        let h: any;
        do {
          h = (await http.get('/api/health')).body;
          if (h?.projections?.[0]?.checkpoint === head && h.projections[0].live) break;
          await sleep(50);
        } while (Date.now() < until);
        expect([h.store.headPosition, h.projections[0].checkpoint, h.projections[0].live]).toEqual([head, head, true]);
        const last = acked[acked.length - 1];
        expect(last.position).toBeLessThanOrEqual(head);
      } finally {
        await store.close();
      }
    },
    180_000,
  );
});
