// The HTTP API of CONTRACT.md, with the access token kept for this browser tab only (sessionStorage).

const KEY = 'quanze.token';
export const getToken = (): string => sessionStorage.getItem(KEY) ?? '';
export const setToken = (t: string): void => sessionStorage.setItem(KEY, t);
export const clearToken = (): void => sessionStorage.removeItem(KEY);

export interface FieldError {
  field: string;
  message: string;
  code?: string;
  /** As the API sends them ({ field, errors: [...] }); `message` joins them. */
  errors?: string[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldError[];
  readonly details: any;
  readonly body: any;
  /** The Retry-After header of the answer (seconds), if any. */
  readonly retryAfter?: string;
  constructor(status: number, body: any, retryAfter?: string) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.code ?? (status === 0 ? 'NETWORK' : `HTTP_${status}`);
    this.fields = Array.isArray(body?.fields) ? body.fields.map((f: FieldError) => ({ ...f, message: f.message ?? (f.errors ?? []).join('；') })) : [];
    this.details = body?.details;
    this.body = body;
    this.retryAfter = retryAfter;
  }
  /** The route itself does not exist on this server: a feature not switched on, not an unknown record. */
  get notEnabled(): boolean {
    return this.status === 404 && (this.code === 'NOT_FOUND' || /^Cannot (GET|POST)/.test(this.message));
  }
}

const listeners = new Set<(e: ApiError) => void>();
/** Called on every 401: the app goes back to the sign-in form. */
export const onUnauthenticated = (fn: (e: ApiError) => void): (() => void) => {
  listeners.add(fn);
  return () => listeners.delete(fn);
};

export type Query = Record<string, string | number | boolean | undefined | null>;

export function qs(params: Query = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export interface ApiOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Query;
  text?: boolean;
  token?: string;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/** A GET answered 503 READ_MODEL_BUSY (a large import being taken in, apps/api/src/http/read-gate.ts) is asked again after Retry-After, this many times. */
export const BUSY_RETRIES = 120;

/** api('/api/ownership', { query: {…} }) · api(path, { method: 'POST', body }) · { text: true } for HTML. */
export async function api<T = any>(path: string, options: ApiOptions = {}): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await apiOnce<T>(path, options);
    } catch (e) {
      if (!(e instanceof ApiError) || e.code !== 'READ_MODEL_BUSY' || (options.method ?? 'GET') !== 'GET' || attempt >= BUSY_RETRIES) throw e;
      const wait = Math.min(5, Math.max(0.2, Number(e.retryAfter) || 1)) * 1000;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, wait);
        options.signal?.addEventListener('abort', () => (clearTimeout(timer), reject(new DOMException('aborted', 'AbortError'))), { once: true });
      });
    }
  }
}

async function apiOnce<T>(path: string, { method = 'GET', body, query, text = false, token = getToken(), signal, headers = {} }: ApiOptions): Promise<T> {
  let res: Response;
  const form = typeof FormData !== 'undefined' && body instanceof FormData;
  try {
    res = await fetch(path + qs(query), {
      method,
      signal,
      headers: {
        Accept: text ? 'text/html' : 'application/json',
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined && !form ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : form ? (body as FormData) : JSON.stringify(body),
    });
  } catch (e: any) {
    if (e?.name === 'AbortError') throw e;
    throw new ApiError(0, { code: 'NETWORK', message: '无法连接服务器，请检查网络后重试' });
  }
  if (!res.ok) {
    let b: any;
    try {
      b = await res.json();
    } catch {
      b = { message: `HTTP ${res.status}` };
    }
    const err = new ApiError(res.status, b, res.headers.get('Retry-After') ?? undefined);
    if (res.status === 401) for (const fn of listeners) fn(err);
    throw err;
  }
  if (text) return (await res.text()) as T;
  if (res.status === 204) return null as T;
  return (await res.json()) as T;
}

/** A message for people, in Chinese, for any error a page may catch. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.notEnabled) return '功能尚未启用：服务器尚未提供此接口';
    if (e.status === 403) return `无权限：${e.message}`;
    if (e.status === 0) return e.message;
    if (e.status === 400 && e.fields.length) return `请求有误：${e.fields.map((f) => f.message).join('；')}`;
    return e.message;
  }
  return e instanceof Error ? e.message : String(e);
}
