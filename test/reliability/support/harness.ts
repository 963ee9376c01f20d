import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role } from '../../../apps/api/src/auth/tokens';
import { TOKENS, TOKENS_ENV, TestApp, startTestApp } from '../../support/app';
import { ServerChild } from './child';
import { Api, forgetAgent } from './http';
import { RouteInfo, discoverRoutes } from './routes';
import { seedWorld } from './seed';

export const ROLE_TOKENS = TOKENS as Record<Role, string>;
export const SECRETS = Object.values(TOKENS);
export { TOKENS_ENV };

export const tempDir = (tag: string) => mkdtempSync(join(tmpdir(), `quanze-${tag}-`));

export interface ChildWorld {
  child: ServerChild;
  url: string;
  dir: string;
  departments: string[];
  items: string[];
  close(): Promise<void>;
}

/**
 * The hostile phase runs its server with a capped heap: a leak would end in an out-of-memory crash
 * (requests without an answer), not in a slowly growing RSS nobody notices.
 */
export const HOSTILE_HEAP_MB = 384;

/** A server child on a fresh data dir, seeded with the small world of seed.ts. */
export async function startSeededChild(tag: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<ChildWorld> {
  const dir = tempDir(tag);
  const child = new ServerChild({ dataDir: dir, tokensEnv: TOKENS_ENV, secrets: SECRETS, env, nodeArgs });
  const url = await child.start(60_000);
  const world = await seedWorld(new Api(url, ROLE_TOKENS.editor));
  return {
    child,
    url,
    dir,
    departments: world.departments,
    items: world.items,
    async close() {
      forgetAgent(url);
      await child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Routes of the running router, read from an in-process server built from the same code as the child. */
export async function discover(): Promise<{ routes: RouteInfo[]; problems: string[]; app: TestApp }> {
  const app = await startTestApp();
  const { routes, problems } = discoverRoutes(app.server.app);
  return { routes, problems, app };
}

/** A seed for generated input: fixed by QUANZE_TORTURE_SEED, else new each run (printed with any failure). */
export const runSeed = () => Number(process.env.QUANZE_TORTURE_SEED ?? Math.floor(Math.random() * 1_000_000));
