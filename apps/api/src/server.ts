import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Server } from 'node:http';
import { DemoResult } from '../../../libs/demo/src';
import { QuanzeConfig, claimServerLock, openRuntime } from '../../../libs/runtime/src';
import { AppModule, Core } from './app.module';
import { TokenSource, TokenVerifier, loadTokens } from './auth/tokens';
import { validationPipe } from './http/validation';
import { jsonGuard } from './http/json-guard';
import { apiHeaders } from './http/api-headers';
import { readGate } from './http/read-gate';
import { commandHeaders } from './http/command-headers';
import { serveWeb } from './browse/web-static';
import { QuanzeExpressAdapter } from './http/express-adapter';
import { ConnectionLimits, DEFAULT_CONNECTION_LIMITS, applyConnectionLimits } from './http/connection-limits';
import { createServer as createHttpServer } from 'node:http';
import type { DestinationStream, Logger } from 'pino';
import { createLogger } from './observability/logger';
import { requestLog } from './observability/request-log';
import { Metrics } from './observability/metrics';
import { serveOpenApi } from './openapi/openapi';

export interface RunningServer {
  app: NestExpressApplication;
  core: Core;
  url: string;
  tokens: TokenSource;
  demoLoaded: boolean;
  demo?: DemoResult;
  logger: Logger;
  metrics: Metrics;
  /** The unauthenticated metrics listener (QUANZE_METRICS_PORT), when configured. */
  metricsUrl?: string;
  close(): Promise<void>;
}

/** Opens the store, catches the read models up, loads the demo on an empty store, and builds the HTTP app. */
export async function createServer(
  config: QuanzeConfig,
  options: { listen?: boolean; log?: boolean; logDestination?: DestinationStream; connections?: Partial<ConnectionLimits> } = {},
): Promise<RunningServer> {
  const limits: ConnectionLimits = { ...DEFAULT_CONNECTION_LIMITS, ...options.connections };
  const tokens = loadTokens(config.tokens, config.dataDir);
  // request lines (observability/request-log.ts); `log: false` silences them unless a destination is given
  const logger = createLogger(options.log === false && !options.logDestination ? 'silent' : config.logLevel, options.logDestination);
  const metrics = new Metrics();
  const runtime = await openRuntime(config, { instrument: (s) => metrics.instrument(s) });
  const { store, registry, view, staffing, editions, changeSets, runner, demo } = runtime;
  metrics.watch(runner, config.dataDir);
  const demoLoaded = demo !== undefined;
  const core: Core = { config, store, registry, view, staffing, editions, changeSets, runner, tokens: new TokenVerifier(tokens.entries), metrics };
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(core), new QuanzeExpressAdapter(limits), {
    logger: options.log === false ? false : ['warn', 'error'],
    bodyParser: false,
  });
  app.use(requestLog(logger, metrics)); // first: every request gets its id and its line, whatever answers it
  app.use(apiHeaders()); // CSP, nosniff, no-store on /api/* (http/api-headers.ts), also on 4xx answers
  app.use(commandHeaders()); // Idempotency-Key / X-Correlation-Id: over 128 characters, twice, controls: 400
  app.use(readGate(runner)); // readers of the read models never see part of a large append (http/read-gate.ts)
  app.useBodyParser('json', { limit: '1mb', strict: true });
  // Too deep, __proto__/constructor keys, lone surrogates: 400 before class-transformer recurses into it.
  app.use(jsonGuard());
  app.useGlobalPipes(validationPipe());
  app.disable('x-powered-by');
  serveOpenApi(app); // /api/openapi.json and the page /api/docs, no token (openapi/openapi.ts)
  serveWeb(app); // the web app (apps/web) at /, static files, no token; /api stays behind the guard
  // No app.enableShutdownHooks(): its signal handler re-raises SIGTERM once Nest has closed, killing
  // the process before close() below saves the read-model snapshot. stopOnSignals() owns the signals.
  let url = '';
  if (options.listen !== false) {
    await app.listen(config.port, config.host);
    const server = app.getHttpServer() as Server;
    // headers, body, idle keep-alive, silent sockets, connections per client (http/connection-limits.ts)
    applyConnectionLimits(server, limits);
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  } else {
    await app.init();
  }
  let metricsServer: ReturnType<typeof createHttpServer> | undefined;
  let metricsUrl: string | undefined;
  if (config.metricsPort !== undefined && options.listen !== false) {
    // a scraper on the operator's network, no token: only the metrics answer on this port
    metricsServer = createHttpServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      if (req.method === 'GET' && (path === '/metrics' || path === '/api/metrics')) {
        metrics.text().then(
          (body) => res.writeHead(200, { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' }).end(body),
          () => res.writeHead(500).end(),
        );
      } else res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('only /metrics here\n');
    });
    await new Promise<void>((ok, fail) => metricsServer!.once('error', fail).listen(config.metricsPort, config.host, ok));
    const a = metricsServer.address();
    metricsUrl = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${typeof a === 'object' && a ? a.port : config.metricsPort}/metrics`;
  }
  // `<data dir>/server.pid`: `quanze restore` refuses to replace the store under a running server
  const releaseLock = options.listen !== false ? claimServerLock(config.dataDir, url) : () => undefined;
  let closing: Promise<void> | undefined;
  return {
    app,
    core,
    url,
    tokens,
    demoLoaded,
    demo,
    logger,
    metrics,
    metricsUrl,
    close() {
      // Idempotent: a second signal or a second caller waits for the same shutdown.
      closing ??= (async () => {
        if (metricsServer) await new Promise<void>((ok) => metricsServer!.close(() => ok()));
        await app.close();
        await runtime.close();
        releaseLock();
      })();
      return closing;
    },
  };
}

/**
 * SIGINT/SIGTERM: stop taking requests, let the ones in flight finish, save the read-model snapshot,
 * close the store, exit 0. A shutdown that hangs is ended after `graceMs` with exit code 1.
 */
export function stopOnSignals(server: RunningServer, graceMs = 15_000): void {
  const stop = (signal: NodeJS.Signals) => {
    const timer = setTimeout(() => {
      console.error(`quanze 未能在 ${graceMs} ms 内正常停止（${signal}），强制退出 / quanze did not stop within ${graceMs} ms (${signal}): exiting with code 1`);
      process.exit(1);
    }, graceMs);
    timer.unref();
    server.close().then(
      () => process.exit(0),
      (e) => {
        console.error(`quanze 停止时出错：${e instanceof Error ? e.message : String(e)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export function printBanner(s: RunningServer): void {
  const log = { log: (s: string) => console.log(s) };
  log.log(`quanze 权责清单登记簿已启动：${s.url}`);
  log.log(`事件库：${s.core.config.eventstore}，数据目录：${s.core.config.dataDir}${s.demoLoaded ? '（已载入演示数据）' : ''}`);
  if (s.metricsUrl) log.log(`指标（Prometheus，无需令牌）：${s.metricsUrl}`);
  if (s.tokens.file) log.log(`访问令牌保存在 ${s.tokens.file}${s.tokens.generated ? '（首次启动已生成，权限 0600）' : ''}`);
  else log.log('访问令牌来自环境变量 QUANZE_TOKENS');
  const h = s.demo?.highlights[0];
  const example = h ? `region=${h.region}&item=${h.item}&at=${h.at[1]}` : 'region=<区划代码>&item=<事项编码>&at=2024-06-01';
  if (h) log.log(`演示数据中的变更：${s.demo!.highlights.map((x) => `${x.what}（${x.item}，${x.at[1]} 起）`).join('；')}`);
  log.log(`试一试：curl -H "Authorization: Bearer <reader 令牌>" "${s.url}/api/ownership?${example}"`);
}
