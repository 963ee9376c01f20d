/**
 * The command headers the shell reads (`Idempotency-Key`, `X-Correlation-Id`) checked before routing:
 * longer than 128 characters, sent twice or holding a control character is a 400 that names the header
 * (#22 item 11; before, an over-long key was silently ignored and the retry it was meant to protect
 * recorded the command twice). Answers in the contract's error shape.
 */
export const MAX_COMMAND_HEADER = 128;
const CHECKED = [
  ['idempotency-key', 'Idempotency-Key'],
  ['x-correlation-id', 'X-Correlation-Id'],
] as const;

interface Req {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  rawHeaders?: string[];
}
interface Res {
  status(code: number): Res;
  json(body: unknown): void;
}

/** Why a header's value is refused, or undefined. */
export function commandHeaderProblem(name: string, raw: Req['headers'][string], rawHeaders: string[] = []): string | undefined {
  if (raw === undefined) return undefined;
  const times = rawHeaders.filter((h, i) => i % 2 === 0 && h.toLowerCase() === name.toLowerCase()).length;
  if (Array.isArray(raw) || times > 1) return `${name} 只能出现一次 / ${name} must be sent once`;
  if (raw.length > MAX_COMMAND_HEADER) return `${name} 过长（${raw.length} 个字符，上限 ${MAX_COMMAND_HEADER}）/ ${name} is longer than ${MAX_COMMAND_HEADER} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) return `${name} 含有控制字符 / ${name} holds a control character`;
  return undefined;
}

export function commandHeaders() {
  return (req: Req, res: Res, next: () => void) => {
    if (req.path === '/api' || req.path.startsWith('/api/')) {
      for (const [key, name] of CHECKED) {
        const problem = commandHeaderProblem(name, req.headers[key], req.rawHeaders);
        if (problem) return res.status(400).json({ statusCode: 400, error: 'Bad Request', code: 'BAD_HEADER', message: problem, fields: [{ field: name, errors: [problem] }] });
      }
    }
    next();
  };
}
