/**
 * The reliability harness, reduced for CI (the full run is `npm run torture`): a few SIGKILLs of the
 * real server process under load, races across two server processes on one store, a few hundred
 * generated hostile requests, and the whole authorization matrix of the running router.
 * A failure prints the seed; QUANZE_TORTURE_SEED=<seed> replays it.
 */
import { rmSync } from 'node:fs';
import { TokenVerifier, parseTokens } from '../../apps/api/src/auth/tokens';
import { runAuthzMatrix } from './attacks/authz-matrix';
import { runCrashLoop } from './attacks/crash-loop';
import { runFixedProbes, runHostile } from './attacks/hostile';
import { runRaces } from './attacks/races';
import { ServerChild } from './support/child';
import { ChildWorld, HOSTILE_HEAP_MB, ROLE_TOKENS, SECRETS, TOKENS_ENV, discover, runSeed, startSeededChild, tempDir } from './support/harness';
import { Api, forgetAgent } from './support/http';
import { SEED_HINTS, seedWorld } from './support/seed';

jest.setTimeout(180_000);
const seed = runSeed();
const withSeed = (violations: string[]) => violations.map((v) => `[seed ${seed}] ${v}`);

describe('authorization matrix: every route of the running router × every kind of caller', () => {
  test('each answer is the one CONTRACT.md gives; a refused request appends nothing; no token comes back', async () => {
    const { routes, problems, app } = await discover();
    try {
      await seedWorld(new Api(app.server.url, ROLE_TOKENS.editor));
      expect(problems).toEqual([]);
      // The router really was read: the contract's routes are all there, whatever else was added.
      const paths = new Set(routes.map((r) => `${r.method} ${r.path}`));
      for (const p of ['POST /api/regions', 'GET /api/ownership', 'GET /api/disputes/report', 'GET /api/health']) expect(paths).toContain(p);
      const m = await runAuthzMatrix({
        base: app.server.url,
        routes,
        tokens: ROLE_TOKENS,
        hints: SEED_HINTS,
        eventCount: async () => (await app.server.core.store.info()).eventCount,
        secrets: SECRETS,
      });
      expect(m.violations).toEqual([]);
      expect(m.routes).toBeGreaterThanOrEqual(20);
      // Every non-public route saw 401s and every route reached its handler for some role.
      expect(m.byStatus['401']).toBeGreaterThan(0);
      expect(m.byStatus['403']).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });

  test('tokens are compared in constant time: every entry, by fixed-length digest, whatever matches', () => {
    // The module object itself (tokens.ts reads crypto.timingSafeEqual from it at each call).
    const spy = jest.spyOn(require('node:crypto') as typeof import('node:crypto'), 'timingSafeEqual');
    try {
      const entries = parseTokens('a:admin:aaaaaaaaaaaaaaaaaaaa,b:editor:bbbbbbbbbbbbbbbbbbbb,c:reader:cccccccccccccccccccc');
      const v = new TokenVerifier(entries);
      for (const presented of ['aaaaaaaaaaaaaaaaaaaa', 'cccccccccccccccccccc', 'nope', '', 'x'.repeat(10_000), 'aaaaaaaaaaaaaaaaaaa']) {
        spy.mockClear();
        v.verify(presented);
        expect(spy).toHaveBeenCalledTimes(entries.length);
        for (const [a, b] of spy.mock.calls) expect([(a as Buffer).length, (b as Buffer).length]).toEqual([32, 32]);
      }
      expect(v.verify('aaaaaaaaaaaaaaaaaaaa')?.name).toBe('a');
      expect(v.verify('cccccccccccccccccccc')?.name).toBe('c');
    } finally {
      spy.mockRestore();
    }
  });
});

describe('hostile HTTP input against the real server process', () => {
  let w: ChildWorld;
  beforeAll(async () => {
    w = await startSeededChild('hostile', { NODE_OPTIONS: `--max-old-space-size=${HOSTILE_HEAP_MB}` });
  });
  afterAll(() => w?.close());

  test('generated and mutated requests on every route: no 5xx, 413 over 1 MB, nothing appended when refused, memory bounded', async () => {
    const { routes, app } = await discover();
    await app.close();
    const r = await runHostile({
      base: w.url,
      dataDir: w.dir,
      routes,
      tokens: ROLE_TOKENS,
      hints: SEED_HINTS,
      count: Number(process.env.QUANZE_HOSTILE_REQUESTS ?? 400),
      concurrency: 6,
      seed,
      rss: () => w.child.rss(),
      rssEvery: 50,
    });
    const fixed = await runFixedProbes(w.url, ROLE_TOKENS);
    expect(withSeed([...r.violations, ...fixed.violations])).toEqual([]);
    expect(r.fiveXX).toBe(0);
    expect(r.requests).toBeGreaterThanOrEqual(300);
    expect(w.child.running).toBe(true);
    expect(w.child.leaks.size).toBe(0);
    expect(w.child.errorLines).toBe(0);
  });
});

describe('races: conflicting commands at the same instant, across two server processes on one store', () => {
  test('exactly one winner per version, losers get 409 and append nothing, the log holds what winners were told', async () => {
    const dir = tempDir('races');
    const a = new ServerChild({ dataDir: dir, tokensEnv: TOKENS_ENV, secrets: SECRETS });
    const b = new ServerChild({ dataDir: dir, tokensEnv: TOKENS_ENV, secrets: SECRETS });
    try {
      const urlA = await a.start(60_000);
      const world = await seedWorld(new Api(urlA, ROLE_TOKENS.editor));
      const urlB = await b.start(60_000);
      const r = await runRaces({ bases: [urlA, urlB], dataDir: dir, editorToken: ROLE_TOKENS.editor, rounds: 16, clients: 8, departments: world.departments });
      expect(withSeed(r.violations)).toEqual([]);
      expect(r.rounds).toBe(16);
      expect(r.losers).toBeGreaterThan(0);
      expect(a.leaks.size + b.leaks.size).toBe(0);
      forgetAgent(urlA);
      forgetAgent(urlB);
    } finally {
      await a.kill('SIGKILL');
      await b.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('crash loop: SIGKILL at random moments under a mixed workload', () => {
  test('after every restart: acknowledged commands whole, none half there, answers equal a rebuild from zero, the chain verifies', async () => {
    const dir = tempDir('crash');
    try {
      const r = await runCrashLoop({
        dataDir: dir,
        tokensEnv: TOKENS_ENV,
        tokens: ROLE_TOKENS,
        kills: Number(process.env.QUANZE_CRASH_KILLS ?? 5),
        workers: 3,
        seed,
        maxUpMs: 900,
        startupKillShare: 0.2,
        termShare: 0.2,
        cliRebuildEvery: 3,
        importShare: 0.5,
      });
      expect(withSeed(r.violations)).toEqual([]);
      expect(r.kills).toBeGreaterThanOrEqual(5);
      expect(r.commandsAcked).toBeGreaterThan(50);
      expect(r.answersCompared).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
