import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DomainError, NotFoundError } from '../../../../libs/domain/src';
import { InvalidAppendError, StoreUnavailableError } from '../../../../libs/event-store/src';

interface Res {
  status(code: number): Res;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
  headersSent?: boolean;
}

/**
 * One place that turns every failure into the contract's answer: 400 with field errors, 401/403,
 * 404 unknown, 409 rule or concurrency, 413 body too large, 503 store unavailable. A 5xx is a bug.
 */
@Catch()
export class ErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Res>();
    if (res.headersSent) return;
    const [status, body] = this.map(exception);
    if (status >= 500) this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    if (status === 503) res.setHeader('Retry-After', '5');
    res.status(status).json({ statusCode: status, ...body });
  }

  private map(e: unknown): [number, Record<string, unknown>] {
    if (e instanceof DomainError) return [409, { error: 'Conflict', code: e.code, message: e.message, details: e.details }];
    if (e instanceof NotFoundError) return [404, { error: 'Not Found', code: e.code, message: e.message }];
    if (e instanceof StoreUnavailableError) return [503, { error: 'Service Unavailable', code: e.code, message: `${e.message}（事件库暂不可写，请稍后重试；查询仍可用）` }];
    if (e instanceof InvalidAppendError) return [400, { error: 'Bad Request', code: e.code, message: e.message }];
    if (e instanceof HttpException) {
      const status = e.getStatus();
      const r = e.getResponse();
      const body = typeof r === 'string' ? { message: r } : (r as Record<string, unknown>);
      return [status, { error: body.error ?? e.name, code: body.code ?? codeFor(status), message: body.message ?? e.message, ...(body.fields ? { fields: body.fields } : {}) }];
    }
    // Errors raised before routing (body parser): they carry an HTTP status of their own.
    const s = (e as { status?: unknown; statusCode?: unknown })?.status ?? (e as { statusCode?: unknown })?.statusCode;
    if (typeof s === 'number' && s >= 400 && s < 500) {
      const type = (e as { type?: string }).type;
      const message =
        type === 'entity.parse.failed'
          ? '请求体不是有效的 JSON'
          : type === 'entity.too.large'
            ? '请求体过大'
            : type === 'charset.unsupported' || type === 'encoding.unsupported'
              ? '不支持的字符集或编码'
              : (e as Error).message;
      return [s, { error: 'Bad Request', code: codeFor(s), message }];
    }
    return [500, { error: 'Internal Server Error', code: 'INTERNAL', message: '服务器内部错误（这是一个缺陷，已记录）' }];
  }
}

function codeFor(status: number): string {
  return (
    { 400: 'BAD_REQUEST', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED', 409: 'CONFLICT', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' }[status] ??
    `HTTP_${status}`
  );
}
