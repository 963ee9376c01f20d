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

/** The assertions most specs start with: a write answered with `status` and no error, a read answered 200. */
export function answers(app: () => TestApp) {
  return {
    async ok(path: string, body: object, status = 200, role: keyof typeof TOKENS = 'editor') {
      const r = await app().post(path, body, role);
      expect([r.status, r.body.code, r.body.message]).toEqual([status, undefined, undefined]);
      return r.body;
    },
    async get(path: string, role: keyof typeof TOKENS = 'reader') {
      const r = await app().get(path, role);
      expect([r.status, r.body.message]).toEqual([200, undefined]);
      return r.body;
    },
  };
}

/** 新疆 → 克拉玛依市 with two bureaus, 人社局 (RS, 2010) and 医保局 (YB, 2019): the fixture of several specs. */
export async function karamayWithTwoBureaus(ok: (path: string, body: object, status?: number) => Promise<unknown>): Promise<void> {
  await ok('/api/regions', { code: '650000', name: '新疆维吾尔自治区', level: 'province', effectiveFrom: '2000-01-01', document: doc('区划') }, 201);
  await ok('/api/regions', { code: '650200', name: '克拉玛依市', level: 'city', parentCode: '650000', effectiveFrom: '2000-01-01', document: doc('区划') }, 201);
  await ok('/api/departments', { id: 'RS', name: '市人力资源和社会保障局', regionCode: '650200', effectiveFrom: '2010-01-01', document: doc() }, 201);
  await ok('/api/departments', { id: 'YB', name: '市医疗保障局', regionCode: '650200', effectiveFrom: '2019-01-01', document: doc() }, 201);
}
