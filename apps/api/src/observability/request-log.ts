import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { Observable, tap } from 'rxjs';
import type { Metrics } from './metrics';

/** What the shell learns about a request as it goes (never a header value, never the body). */
export interface ObservedRequest {
  id?: string;
  method: string;
  path: string;
  originalUrl?: string;
  route?: { path?: string };
  baseUrl?: string;
  headers: Record<string, string | string[] | undefined>;
  principal?: { name: string; role: string };
  /** Set by CommandLogInterceptor when the handler answered with a command's result. */
  command?: { commandId: string; events: number; streamVersion?: number; position?: number };
}
interface ObservedResponse {
  statusCode: number;
  setHeader(name: string, value: string): void;
  once(event: 'finish' | 'close', fn: () => void): void;
  writableFinished?: boolean;
}

/** A client's own X-Request-Id is kept when it is short and plain; otherwise a UUID is made. */
const CLIENT_ID_RE = /^[A-Za-z0-9._:-]{1,64}$/;

/** The route pattern Express matched (`/api/regions/:code/items/:item/assign`), or undefined. */
export function routePattern(req: ObservedRequest): string | undefined {
  const p = req.route?.path;
  return typeof p === 'string' ? (req.baseUrl ?? '') + p : undefined;
}

/**
 * One JSON line per request when its answer is finished (or the client went away): time, reqId (also
 * sent back as X-Request-Id), actor and role, method, the route pattern (the path only when no route
 * matched, without its query), status, durationMs, and for commands the command id, the events
 * appended and the stream version. The request's latency goes to the metrics under the same route.
 */
export function requestLog(logger: Logger, metrics?: Metrics) {
  return (req: ObservedRequest, res: ObservedResponse, next: () => void) => {
    const started = process.hrtime.bigint();
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && CLIENT_ID_RE.test(given) ? given : randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    let done = false;
    const finish = (aborted: boolean) => {
      if (done) return;
      done = true;
      const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
      const route = routePattern(req);
      const status = aborted ? 499 : res.statusCode;
      metrics?.observeRequest(req.method, route ?? 'unmatched', status, durationMs / 1000);
      const line: Record<string, unknown> = {
        reqId: id,
        actor: req.principal?.name ?? 'anonymous',
        role: req.principal?.role ?? null,
        method: req.method,
        ...(route ? { route } : { path: req.path.slice(0, 200) }),
        status,
        durationMs,
        events: req.command?.events ?? 0,
      };
      if (req.command) Object.assign(line, { commandId: req.command.commandId, streamVersion: req.command.streamVersion, position: req.command.position });
      if (aborted) line.aborted = true;
      if (status >= 500) logger.error(line, 'request');
      else logger.info(line, 'request');
    };
    res.once('finish', () => finish(false));
    res.once('close', () => finish(!res.writableFinished));
    next();
  };
}

/** Notes a command's id, events appended and stream version on the request, for its log line. */
@Injectable()
export class CommandLogInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<ObservedRequest>();
    return next.handle().pipe(
      tap((r) => {
        const c = r as { commandId?: unknown; eventIds?: unknown; streamVersion?: unknown; position?: unknown } | undefined;
        if (c && typeof c === 'object' && typeof c.commandId === 'string' && Array.isArray(c.eventIds)) {
          req.command = {
            commandId: c.commandId,
            events: c.eventIds.length,
            ...(typeof c.streamVersion === 'number' ? { streamVersion: c.streamVersion } : {}),
            ...(typeof c.position === 'number' ? { position: c.position } : {}),
          };
        }
      }),
    );
  }
}
