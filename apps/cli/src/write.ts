import { Command, InvalidArgumentError } from 'commander';
import { userInfo } from 'node:os';
import { CommandContext, ErrorAnswer, errorAnswer } from '../../../libs/application/src';
import { DataDirInUseError } from '../../../libs/runtime/src';

/**
 * The CLI's exit codes, in ONE place (decision 0016): 0 done, 1 failure (a bug, a bad invocation),
 * 2 bad input, 3 the log's integrity, 4 not found, 5 refused by a rule or a version, 6 store unavailable,
 * 7 the data dir is in use by a running server (restore).
 */
export const EXIT_CODES: Record<ErrorAnswer['statusCode'], number> = { 400: 2, 404: 4, 409: 5, 503: 6 };

/** The exit code for an error: the one of its contract answer, else 1. */
export const exitCodeFor = (e: unknown): number => {
  if (e instanceof DataDirInUseError) return 7;
  const a = errorAnswer(e);
  return a ? EXIT_CODES[a.statusCode] : 1;
};

export const int = (v: string) => {
  if (!/^-?\d+$/.test(v)) throw new InvalidArgumentError(`${v} 不是整数`);
  return Number(v);
};

/** The document of `--doc`, `--doc-title`, `--doc-issued-on`. */
export const documentOf = (o: Record<string, any>): { number: string; title?: string; issuedOn?: string } => ({
  number: o.doc,
  ...(o.docTitle ? { title: o.docTitle } : {}),
  ...(o.docIssuedOn ? { issuedOn: o.docIssuedOn } : {}),
});

/** The options every writing verb takes: concurrency, idempotency, correlation, actor, --json. */
export function writeOptions(c: Command): Command {
  return c
    .option('--expected-version <n>', '本命令所在流的预期版本（并发检查）', int)
    .option('--idempotency-key <key>', '重复执行时只记录一次')
    .option('--correlation-id <id>', '关联同一次改革的多个命令')
    .option('--actor <name>', '记入事件的操作人', `cli:${safeUser()}`)
    .option('--json', '输出 JSON（结果或错误，同 HTTP 答复）');
}

/** The command context of a writing verb's options (the fingerprint, when the use case does not make its own). */
export function contextOf(o: Record<string, any>, fingerprint?: string): CommandContext {
  return { actor: o.actor, commandId: o.idempotencyKey, correlationId: o.correlationId, expectedVersion: o.expectedVersion, fingerprint };
}

/**
 * Runs a write and prints its answer (--json: as the API's JSON; else `human`). A refusal of the write
 * side is printed as the API's error body (the same code, message and details) and sets the exit code.
 */
export async function answered<T>(out: (s: string) => void, json: boolean, fn: () => Promise<T>, human: (r: T) => void): Promise<void> {
  let r: T;
  try {
    r = await fn();
  } catch (e) {
    const err = errorAnswer(e);
    if (!err) throw e;
    if (json) out(JSON.stringify(err, null, 2));
    else process.stderr.write(`quanze: ${err.code}：${err.message}\n`);
    process.exitCode = EXIT_CODES[err.statusCode];
    return;
  }
  if (json) out(JSON.stringify(r, null, 2));
  else human(r);
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
