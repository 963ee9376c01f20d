import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ROLES } from '../../contract/src';
import { MIN_TOKEN_LENGTH, readTokenSpec } from './token-spec';
import { redactPgUrl } from '../../event-store/src';
import { storeKind } from './open-store';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface QuanzeConfig {
  port: number;
  dataDir: string;
  eventstore: string;
  tokens?: string;
  demo: boolean;
  host: string;
  /** Findings off the request path (QUANZE_FINDINGS_BUDGET_MS, _SLICE_MS, _HEAP_MB): docs/findings.md. */
  findings: { budgetMs: number; sliceMs: number; heapLimitMb?: number };
  /** QUANZE_RETRACT_OTHERS_DAYS: an editor may retract another user's event this many days after it was recorded (default 7); later, an admin. */
  retractOthersDays: number;
  /**
   * Imports over HTTP (#22 item 2): parsed in a worker thread with `heapMb` of heap (QUANZE_IMPORT_HEAP_MB),
   * one at a time with at most `queue` waiting (QUANZE_IMPORT_QUEUE; more: 429), an upload of at most
   * `maxUploadMb` in all (QUANZE_IMPORT_MAX_MB; more: 413).
   */
  imports: { heapMb: number; queue: number; maxUploadMb: number };
  /** QUANZE_LOG_LEVEL: fatal, error, warn, info (default), debug, trace, silent. */
  logLevel: (typeof LOG_LEVELS)[number];
  /** QUANZE_METRICS_PORT: metrics without a token on their own port (unset: only /api/metrics with an admin token). */
  metricsPort?: number;
  /** QUANZE_SHUTDOWN_MS: how long a stop (SIGTERM/SIGINT) may take before the process is ended (default 15 s). */
  shutdownMs: number;
}

/** One variable the shells read: the README's configuration table is this list (a test compares them). */
export interface ConfigVariable {
  name: string;
  default: string;
  zh: string;
  en: string;
  /** Read by tests, benchmarks and tools only, not by the server. */
  dev?: boolean;
}

export const CONFIG_VARIABLES: ConfigVariable[] = [
  { name: 'PORT', default: '3000', zh: 'HTTP 端口（0：任选空闲端口）', en: 'HTTP port (0: any free port)' },
  { name: 'HOST', default: '127.0.0.1', zh: '监听的网络接口', en: 'interface to listen on' },
  { name: 'QUANZE_DATA_DIR', default: './data', zh: '内置事件库、本地读模型快照与令牌文件所在目录', en: 'where the embedded store, the read-model snapshot and the tokens file live' },
  { name: 'QUANZE_EVENTSTORE', default: 'sqlite', zh: '事件库：sqlite、sqlite:<目录>、PostgreSQL 连接串或 EventStoreDB 连接串', en: 'the event store: sqlite, sqlite:<dir>, a PostgreSQL URL or an EventStoreDB connection string' },
  { name: 'QUANZE_TOKENS', default: '<data dir>/tokens.json (generated)', zh: `访问令牌 name:role:token,…（角色 ${[...ROLES].reverse().join('、')}；令牌至少 ${MIN_TOKEN_LENGTH} 个字符）`, en: `access tokens name:role:token,… (roles ${[...ROLES].reverse().join(', ')}; tokens of ${MIN_TOKEN_LENGTH} characters or more)` },
  { name: 'QUANZE_DEMO', default: '1', zh: '0：空库启动时不载入演示数据', en: '0: do not load the demo data into an empty store' },
  { name: 'QUANZE_RETRACT_OTHERS_DAYS', default: '7', zh: '编辑可在多少天内撤回他人录入的事件（之后仅管理员）', en: "days during which an editor may retract another user's event (later: an admin only)" },
  { name: 'QUANZE_IMPORT_HEAP_MB', default: '1536', zh: '每次导入解析文件的线程最多可用的堆内存（MB），超出则拒绝该导入（413）', en: "heap (MB) of an import's parsing thread; an import needing more is refused (413)" },
  { name: 'QUANZE_IMPORT_QUEUE', default: '2', zh: '正在导入时最多排队的导入数，队满答 429', en: 'imports that may wait while one runs; a full queue answers 429' },
  { name: 'QUANZE_IMPORT_MAX_MB', default: '100', zh: '一次上传的文件合计上限（MB），超出答 413', en: 'the files of one upload together, MB; more answers 413' },
  { name: 'QUANZE_FINDINGS_BUDGET_MS', default: '2000', zh: '问题计算在请求内最多用时，超出转入后台（202）', en: 'time findings may take inside a request before they go to the background (202)' },
  { name: 'QUANZE_FINDINGS_SLICE_MS', default: '5', zh: '后台问题计算每片用时', en: 'time slice of background findings work' },
  { name: 'QUANZE_FINDINGS_HEAP_MB', default: '(none)', zh: '堆内存超过此值时暂停后台问题计算', en: 'heap size above which background findings work pauses' },
  { name: 'QUANZE_LOG_LEVEL', default: 'info', zh: `日志级别：${LOG_LEVELS.join('、')}`, en: `log level: ${LOG_LEVELS.join(', ')}` },
  { name: 'QUANZE_METRICS_PORT', default: '(none)', zh: '在此端口另行提供 /metrics（无需令牌）；不设则仅 /api/metrics（管理员令牌）', en: 'serve /metrics without a token on this port; unset: only /api/metrics (admin token)' },
  { name: 'QUANZE_SHUTDOWN_MS', default: '15000', zh: '收到 SIGTERM/SIGINT 后停止（处理完在途请求、保存快照、关闭事件库）的时限', en: 'time a stop on SIGTERM/SIGINT may take (drain requests, save the snapshot, close the store)' },
  { name: 'QUANZE_WEB_DIR', default: 'dist/web', zh: '网页（已构建）所在目录，须含 index.html', en: 'the built web app, a directory with index.html' },
  { name: 'QUANZE_SHARED_DATA', default: '../shared/data', zh: '真实清单数据目录（演示数据、基准与测试用）', en: 'the real published lists (demo data, benchmarks, tests)', dev: true },
  { name: 'QUANZE_TEST_EVENTSTORE', default: '(none)', zh: '测试另在此事件库（PostgreSQL/EventStoreDB）上运行', en: 'tests also run on this store (PostgreSQL/EventStoreDB)', dev: true },
  { name: 'QUANZE_TEST_PORTS', default: '(none)', zh: '测试所用端口范围', en: 'ports tests may use', dev: true },
  { name: 'QUANZE_BENCH_PORTS', default: '(any free)', zh: '基准测试各服务的端口范围 from-to', en: "ports of the benchmark's servers, from-to", dev: true },
  { name: 'QUANZE_BENCH_CHILD', default: '(none)', zh: '基准测试内部：已在子进程中', en: 'benchmark internal: running in its child process', dev: true },
  { name: 'QUANZE_BENCH_API_FLAGS', default: '(none)', zh: '基准测试中 API 进程的 node 参数', en: 'node flags of the API process in the benchmark', dev: true },
  { name: 'QUANZE_TORTURE_SEED', default: '(random)', zh: '可靠性压测的随机种子', en: 'seed of the torture run', dev: true },
  { name: 'QUANZE_LOOP_TRACE', default: '(none)', zh: '压测内部：服务器子进程把事件循环停顿与 GC 记入此文件', en: "torture internal: the server child records its event-loop stalls and GC pauses in this file", dev: true },
  { name: 'QUANZE_TORTURE_EVENTSTORE', default: 'sqlite', zh: '压测当前阶段的事件库（torture.ts 设置）', en: "the torture phase's store (set by torture.ts)", dev: true },
  { name: 'QUANZE_CRASH_KILLS', default: '5', zh: '可靠性测试中强杀服务器的次数', en: 'server kills in the crash test', dev: true },
  { name: 'QUANZE_HOSTILE_REQUESTS', default: '400', zh: '可靠性测试中恶意请求的数量', en: 'hostile requests in the reliability test', dev: true },
  { name: 'QUANZE_DOC_SHOTS', default: '(none)', zh: '1：浏览器测试为文档截图', en: '1: browser tests take the documentation screenshots', dev: true },
  { name: 'QUANZE_SHOTS_DIR', default: 'docs/img', zh: '截图保存目录', en: 'where the screenshots go', dev: true },
];

/** One thing wrong with the environment, said in both languages; values that may hold secrets are not repeated. */
export interface ConfigProblem {
  variable: string;
  zh: string;
  en: string;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: ConfigProblem[]) {
    super(`配置有 ${problems.length} 处错误 / ${problems.length} configuration problem(s):\n${formatProblems(problems)}`);
    this.name = 'ConfigError';
  }
}

export const formatProblems = (ps: ConfigProblem[]) => ps.map((p) => `  - ${p.variable}: ${p.zh}\n    ${p.en}`).join('\n');

export interface ConfigCheck {
  /** Set when there is no problem. */
  config?: QuanzeConfig;
  problems: ConfigProblem[];
  /** Not fatal: a QUANZE_* variable nobody reads (a typo?). */
  warnings: ConfigProblem[];
}

/** Every variable checked; every problem reported, not only the first. */
export function checkConfig(env: NodeJS.ProcessEnv = process.env): ConfigCheck {
  const problems: ConfigProblem[] = [];
  const bad = (variable: string, zh: string, en: string) => problems.push({ variable, zh, en });
  const set = (name: string) => env[name] !== undefined && env[name] !== '';

  const port = (name: string, fallback?: number): number | undefined => {
    if (!set(name)) return fallback;
    const n = Number(env[name]);
    if (!/^\d+$/.test(env[name]!.trim()) || n > 65535) {
      bad(name, `${env[name]} 不是有效端口号（0-65535）`, `${env[name]} is not a port number (0-65535)`);
      return fallback;
    }
    return n;
  };
  const number = (name: string, fallback: number, min = 0): number => {
    if (!set(name)) return fallback;
    const n = Number(env[name]);
    if (!Number.isFinite(n) || n < min) {
      bad(name, `${env[name]} 应为不小于 ${min} 的数`, `${env[name]} should be a number of at least ${min}`);
      return fallback;
    }
    return n;
  };

  const portN = port('PORT', 3000)!;
  const metricsPort = port('QUANZE_METRICS_PORT');
  if (metricsPort !== undefined && metricsPort !== 0 && metricsPort === portN) {
    bad('QUANZE_METRICS_PORT', `与 PORT 相同（${portN}）：指标须用另一个端口`, `the same as PORT (${portN}): metrics need a port of their own`);
  }
  const host = env.HOST || '127.0.0.1';
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(host)) bad('HOST', `${host} 不是主机名或 IP 地址`, `${host} is not a host name or IP address`);

  const dataDir = resolve(env.QUANZE_DATA_DIR || './data');
  const dirProblem = writableDir(dataDir);
  if (dirProblem) bad('QUANZE_DATA_DIR', `${dataDir}：${dirProblem[0]}`, `${dataDir}: ${dirProblem[1]}`);

  const eventstore = env.QUANZE_EVENTSTORE || 'sqlite';
  if (!storeKind(eventstore)) {
    bad('QUANZE_EVENTSTORE', `QUANZE_EVENTSTORE=${redactPgUrl(eventstore)} 无法识别：应为 sqlite、sqlite:<数据目录>、postgres://… 或 esdb://… / kurrentdb://… 连接串`, `not recognised: sqlite, sqlite:<data dir>, postgres://... or esdb://... / kurrentdb://...`);
  }

  if (set('QUANZE_TOKENS')) for (const p of readTokenSpec(env.QUANZE_TOKENS!).problems) bad('QUANZE_TOKENS', p.zh, p.en);

  if (set('QUANZE_DEMO') && !['0', '1', 'true', 'false'].includes(env.QUANZE_DEMO!)) bad('QUANZE_DEMO', `${env.QUANZE_DEMO} 应为 0 或 1`, `${env.QUANZE_DEMO} should be 0 or 1`);
  const demo = !set('QUANZE_DEMO') || !['0', 'false'].includes(env.QUANZE_DEMO!);

  const logLevel = (env.QUANZE_LOG_LEVEL || 'info') as QuanzeConfig['logLevel'];
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) bad('QUANZE_LOG_LEVEL', `${logLevel} 不是日志级别（${LOG_LEVELS.join('、')}）`, `${logLevel} is not a level (${LOG_LEVELS.join(', ')})`);

  if (set('QUANZE_WEB_DIR') && !existsSync(join(env.QUANZE_WEB_DIR!, 'index.html'))) bad('QUANZE_WEB_DIR', `${env.QUANZE_WEB_DIR} 中没有 index.html（先 npm run build）`, `${env.QUANZE_WEB_DIR} has no index.html (npm run build first)`);

  const findings = {
    budgetMs: number('QUANZE_FINDINGS_BUDGET_MS', 2000),
    sliceMs: number('QUANZE_FINDINGS_SLICE_MS', 5),
    ...(set('QUANZE_FINDINGS_HEAP_MB') ? { heapLimitMb: number('QUANZE_FINDINGS_HEAP_MB', 0) } : {}),
  };
  const retractOthersDays = number('QUANZE_RETRACT_OTHERS_DAYS', 7);
  const imports = { heapMb: number('QUANZE_IMPORT_HEAP_MB', 1536, 16), queue: number('QUANZE_IMPORT_QUEUE', 2), maxUploadMb: number('QUANZE_IMPORT_MAX_MB', 100, 1) };
  const shutdownMs = number('QUANZE_SHUTDOWN_MS', 15_000, 100);

  const known = new Set(CONFIG_VARIABLES.map((v) => v.name));
  const warnings = Object.keys(env)
    .filter((k) => k.startsWith('QUANZE_') && !known.has(k))
    .map((k) => ({ variable: k, zh: '没有这个配置项（拼写错误？）：已忽略', en: 'no such setting (a typo?): ignored' }));

  if (problems.length) return { problems, warnings };
  return {
    problems,
    warnings,
    config: {
      port: portN,
      dataDir,
      eventstore,
      tokens: env.QUANZE_TOKENS || undefined,
      demo,
      host,
      logLevel,
      ...(metricsPort !== undefined ? { metricsPort } : {}),
      findings,
      retractOthersDays,
      imports,
      shutdownMs,
    },
  };
}

/** The environment of CONTRACT.md as the shells use it; any problem stops the start with all of them listed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): QuanzeConfig {
  const r = checkConfig(env);
  if (!r.config) throw new ConfigError(r.problems);
  return r.config;
}

/** Why `dir` cannot be the data dir ([zh, en]), or undefined: it is a writable directory or can be made one. */
function writableDir(dir: string): [string, string] | undefined {
  let d = dir;
  while (!existsSync(d)) {
    const up = dirname(d);
    if (up === d) return ['无法创建', 'cannot be created'];
    d = up;
  }
  if (!statSync(d).isDirectory()) return d === dir ? ['不是目录', 'is not a directory'] : [`${d} 不是目录，无法在其下创建`, `${d} is not a directory to create it in`];
  try {
    accessSync(d, constants.W_OK | constants.X_OK);
  } catch {
    return d === dir ? ['不可写', 'is not writable'] : [`无法在 ${d} 下创建（不可写）`, `cannot be created in ${d} (not writable)`];
  }
  return undefined;
}
