import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { errorAnswer } from '../../../../libs/application/src';
import { AcceptedIntoChangeSet } from '../change-sets/accepted';

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
    // Not a failure: a command added to a change set (?changeSet=) is answered 202 with what was added.
    if (exception instanceof AcceptedIntoChangeSet) return void res.status(202).json(exception.body);
    const [status, body] = this.map(exception);
    if (status >= 500) this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    if (status === 503) res.setHeader('Retry-After', '5');
    res.status(status).json({ statusCode: status, ...body });
  }

  private map(e: unknown): [number, Record<string, unknown>] {
    const known = errorAnswer(e);
    if (known) {
      const { statusCode, ...body } = known;
      return [statusCode, body];
    }
    if (e instanceof HttpException) {
      const status = e.getStatus();
      // Errors raised before routing (body parser, URL decoding) arrive wrapped by Nest, the original as cause.
      const early = parserMessage(e.cause);
      if (early) return [status, { error: STATUS_CODES[status] ?? 'Error', code: codeFor(status), message: early }];
      const r = e.getResponse();
      const body = typeof r === 'string' ? { message: r } : (r as Record<string, unknown>);
      return [
        status,
        { error: body.error ?? STATUS_CODES[status] ?? e.name, code: body.code ?? codeFor(status), message: body.message ?? e.message, ...(body.fields ? { fields: body.fields } : {}) },
      ];
    }
    // The same errors when they reach the filter unwrapped: they carry an HTTP status of their own.
    const s = (e as { status?: unknown; statusCode?: unknown })?.status ?? (e as { statusCode?: unknown })?.statusCode;
    if (typeof s === 'number' && s >= 400 && s < 500) {
      return [s, { error: STATUS_CODES[s] ?? 'Bad Request', code: codeFor(s), message: parserMessage(e) ?? (e as Error).message }];
    }
    return [500, { error: 'Internal Server Error', code: 'INTERNAL', message: '服务器内部错误（这是一个缺陷，已记录）' }];
  }
}

/** The contract's words for what body-parser and Express say in English (undefined: not one of theirs). */
function parserMessage(cause: unknown): string | undefined {
  if (!cause || typeof cause !== 'object') return undefined;
  const type = (cause as { type?: unknown }).type;
  switch (type) {
    case 'entity.parse.failed':
      return '请求体不是有效的 JSON';
    case 'entity.too.large':
      return '请求体过大（上限 1 MB）';
    case 'entity.verify.failed':
      return '请求体未通过校验';
    case 'request.aborted':
      return '请求在传输中被中断';
    case 'request.size.invalid':
      return '请求体长度与 Content-Length 不符';
    case 'charset.unsupported':
      return '不支持的字符集：请求体应为 UTF-8 编码的 JSON';
    case 'encoding.unsupported':
      return '不支持的 Content-Encoding（可用 gzip、deflate 或不压缩）';
    case 'stream.encoding.set':
    case 'stream.not.readable':
      return '请求体无法读取';
  }
  if (cause instanceof URIError) return '请求路径中含有无效的百分号编码';
  // Inflating a corrupt gzip/deflate/br body (zlib errors carry a Z_* or ERR__ERROR_* code).
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string' && /^(Z_|ERR__ERROR_)/.test(code)) return '请求体的压缩数据无效';
  return undefined;
}

function codeFor(status: number): string {
  return (
    { 400: 'BAD_REQUEST', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED', 409: 'CONFLICT', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' }[status] ??
    `HTTP_${status}`
  );
}
