import * as http from 'node:http';

export interface RawRequest {
  method: string;
  /** Sent verbatim (no normalisation of `..`, `%2e`, `//`): path tricks reach the server as written. */
  path: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  timeoutMs?: number;
}

export interface RawResponse {
  /** 0 when there was no HTTP answer (connection refused/reset, timeout). */
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  ms: number;
  error?: string;
}

/** Bytes of a response body kept (the rest is read and dropped); a region's whole list can be megabytes. */
const MAX_KEPT = 64 * 1024 * 1024;

const agents = new Map<string, http.Agent>();
function agentFor(base: string): http.Agent {
  let a = agents.get(base);
  if (!a) {
    a = new http.Agent({ keepAlive: true, maxSockets: 64 });
    agents.set(base, a);
  }
  return a;
}

/** Closes the idle kept-alive sockets to a server, leaving requests in flight alone. */
function dropIdleSockets(base: string): void {
  const a = agents.get(base);
  if (!a) return;
  for (const list of Object.values(a.freeSockets)) for (const sock of list ?? []) sock.destroy();
}

/** Drops the kept-alive connections to a server (after it was killed). */
export function forgetAgent(base: string): void {
  agents.get(base)?.destroy();
  agents.delete(base);
}

/**
 * One HTTP request over a kept-alive connection; never throws (status 0 and `error` instead). A
 * request that died on a reused idle socket (the server closed it at keepAliveTimeout as we sent)
 * is retried once on a fresh connection, as any HTTP client does.
 */
export async function send(base: string, r: RawRequest): Promise<RawResponse> {
  const first = await sendOnce(base, r);
  if (first.status === 0 && first.reusedSocket && /ECONNRESET|EPIPE|socket hang up/.test(first.error ?? '')) {
    // Every idle socket of the pool may have been closed meanwhile (the harness blocked longer than the
    // server's keep-alive timeout): retry on a fresh connection, not on the next stale one.
    dropIdleSockets(base);
    return sendOnce(base, r);
  }
  return first;
}

function sendOnce(base: string, r: RawRequest): Promise<RawResponse & { reusedSocket?: boolean }> {
  const u = new URL(base);
  const t0 = Date.now();
  return new Promise((resolve) => {
    let done = false;
    let req: http.ClientRequest | undefined;
    const finish = (x: Omit<RawResponse, 'ms'>) => {
      if (done) return;
      done = true;
      resolve({ ...x, ms: Date.now() - t0, reusedSocket: req?.reusedSocket });
    };
    try {
      const headers: Record<string, string | string[] | number> = { ...(r.headers ?? {}) };
      if (r.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length' || h.toLowerCase() === 'transfer-encoding')) {
        headers['Content-Length'] = Buffer.byteLength(r.body);
      }
      req = http.request({ host: u.hostname, port: u.port, method: r.method, path: r.path, headers, agent: agentFor(base) }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (d: Buffer) => {
          size += d.length;
          if (size <= MAX_KEPT) chunks.push(d);
        });
        res.on('end', () => finish({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (e) => finish({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), error: e.message }));
      });
    } catch (e) {
      // The client itself refused the request (e.g. a character Node will not put in a path or header).
      finish({ status: -1, headers: {}, text: '', error: (e as Error).message });
      return;
    }
    req.setTimeout(r.timeoutMs ?? 30_000, () => {
      req!.destroy(new Error(`timeout after ${r.timeoutMs ?? 30_000} ms`));
    });
    req.on('error', (e) => finish({ status: 0, headers: {}, text: '', error: (e as NodeJS.ErrnoException).code ?? e.message }));
    if (r.body !== undefined) req.end(r.body);
    else req.end();
  });
}

export function json(r: RawResponse): any {
  try {
    return JSON.parse(r.text);
  } catch {
    return undefined;
  }
}

/** A small JSON client for one server and one token. */
export class Api {
  constructor(
    public base: string,
    public token?: string,
  ) {}

  async post(path: string, body: unknown, headers: Record<string, string> = {}, token = this.token) {
    const r = await send(this.base, {
      method: 'POST',
      path,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
      body: JSON.stringify(body),
    });
    return { ...r, body: json(r) };
  }

  async get(path: string, token = this.token, headers: Record<string, string> = {}) {
    const r = await send(this.base, { method: 'GET', path, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers } });
    return { ...r, body: json(r) };
  }
}

/** Runs tasks with at most `n` in flight. */
export async function pool<T>(items: T[], n: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}
