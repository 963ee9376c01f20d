import { resolve } from 'node:path';

export interface QuanzeConfig {
  port: number;
  dataDir: string;
  eventstore: string;
  tokens?: string;
  demo: boolean;
  /** Where the real shared data lives, if present beside the repo (optional). */
  host: string;
  /** Findings off the request path (QUANZE_FINDINGS_BUDGET_MS, _SLICE_MS, _HEAP_MB): docs/findings.md. */
  findings: { budgetMs: number; sliceMs: number; heapLimitMb?: number };
  /** QUANZE_RETRACT_OTHERS_DAYS: an editor may retract another user's event this many days after it was recorded (default 7); later, an admin. */
  retractOthersDays: number;
  /** QUANZE_LOG_LEVEL: fatal, error, warn, info (default), debug, trace, silent. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** QUANZE_METRICS_PORT: metrics without a token on their own port (unset: only /api/metrics with an admin token). */
  metricsPort?: number;
}

/** Reads the environment of CONTRACT.md; a bad value stops the start with a message that names it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): QuanzeConfig {
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT=${env.PORT} 不是有效端口号（0-65535）`);
  const demo = env.QUANZE_DEMO === undefined || env.QUANZE_DEMO === '' ? true : env.QUANZE_DEMO !== '0';
  return {
    port,
    dataDir: resolve(env.QUANZE_DATA_DIR || './data'),
    eventstore: env.QUANZE_EVENTSTORE || 'sqlite',
    tokens: env.QUANZE_TOKENS || undefined,
    demo,
    host: env.HOST || '127.0.0.1',
    logLevel: (env.QUANZE_LOG_LEVEL || 'info') as QuanzeConfig['logLevel'],
    ...(env.QUANZE_METRICS_PORT ? { metricsPort: Number(env.QUANZE_METRICS_PORT) } : {}),
    findings: {
      budgetMs: positive(env, 'QUANZE_FINDINGS_BUDGET_MS', 2000),
      sliceMs: positive(env, 'QUANZE_FINDINGS_SLICE_MS', 5),
      ...(env.QUANZE_FINDINGS_HEAP_MB ? { heapLimitMb: positive(env, 'QUANZE_FINDINGS_HEAP_MB', 0) } : {}),
    },
    retractOthersDays: positive(env, 'QUANZE_RETRACT_OTHERS_DAYS', 7),
  };
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name}=${v} 应为非负数`);
  return n;
}
