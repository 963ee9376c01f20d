import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createServer, RunningServer } from '../../apps/api/src/server';
import { loadConfig } from '../../libs/runtime/src';

export const TOKENS = {
  admin: 'admin-token-0123456789abcdef',
  editor: 'editor-token-0123456789abcdef',
  reviewer: 'reviewer-token-0123456789abcdef',
  reader: 'reader-token-0123456789abcdef',
};
export const TOKENS_ENV = Object.entries(TOKENS)
  .map(([role, t]) => `${role}-user:${role}:${t}`)
  .join(',');

export interface TestApp {
  server: RunningServer;
  dir: string;
  http: () => ReturnType<typeof request>;
  get(path: string, role?: keyof typeof TOKENS): request.Test;
  post(path: string, body: unknown, role?: keyof typeof TOKENS): request.Test;
  close(): Promise<void>;
}

/** The real server on the real embedded store in a temporary data dir, over real HTTP. */
export async function startTestApp(env: Record<string, string> = {}, options: Omit<Parameters<typeof createServer>[1] & object, 'log'> = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'quanze-e2e-'));
  const config = loadConfig({ QUANZE_DATA_DIR: dir, QUANZE_TOKENS: TOKENS_ENV, QUANZE_DEMO: '0', PORT: '0', ...env });
  const server = await createServer(config, { log: false, ...options });
  const http = () => request(server.url);
  return {
    server,
    dir,
    http,
    get: (path, role = 'reader') => http().get(path).set('Authorization', `Bearer ${TOKENS[role]}`),
    post: (path, body, role = 'editor') => http().post(path).set('Authorization', `Bearer ${TOKENS[role]}`).send(body as object),
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const doc = (number = '克政办发〔2016〕1号') => ({ number, title: '测试文件', issuedOn: '2016-04-01' });
