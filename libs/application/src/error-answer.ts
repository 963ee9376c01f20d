import { DomainError, NotFoundError } from '../../domain/src';
import { InvalidAppendError, StoreUnavailableError } from '../../event-store/src';

/** The contract's answer to a refusal of the write side: what HTTP sends and what `--json` prints. */
export interface ErrorAnswer {
  statusCode: 400 | 404 | 409 | 503;
  error: string;
  code: string;
  message: string;
  details?: unknown;
}

/**
 * The ONE mapping of the write side's errors to the contract's answers (decision 0016): a rule or a
 * version 409, unknown 404, an invalid append 400, the store unavailable 503. The HTTP errors filter and
 * the CLI both call it; undefined: not one of these (a bug, or the shell's own error).
 */
export function errorAnswer(e: unknown): ErrorAnswer | undefined {
  if (e instanceof DomainError) return { statusCode: 409, error: 'Conflict', code: e.code, message: e.message, details: e.details };
  if (e instanceof NotFoundError) return { statusCode: 404, error: 'Not Found', code: e.code, message: e.message };
  if (e instanceof StoreUnavailableError) return { statusCode: 503, error: 'Service Unavailable', code: e.code, message: `${e.message}（事件库暂不可写，请稍后重试；查询仍可用）` };
  if (e instanceof InvalidAppendError) return { statusCode: 400, error: 'Bad Request', code: e.code, message: e.message };
  return undefined;
}
