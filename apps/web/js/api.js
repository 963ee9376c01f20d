// The HTTP API of CONTRACT.md, with the access token kept for this browser tab only (sessionStorage).

const KEY = 'quanze.token';
export const getToken = () => sessionStorage.getItem(KEY) ?? '';
export const setToken = (t) => sessionStorage.setItem(KEY, t);
export const clearToken = () => sessionStorage.removeItem(KEY);

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.code ?? (status === 0 ? 'NETWORK' : `HTTP_${status}`);
    this.fields = Array.isArray(body?.fields) ? body.fields : [];
    this.details = body?.details;
    this.body = body;
  }
  /** The route itself does not exist (yet): a feature not switched on, not an unknown record. */
  get notEnabled() {
    return this.status === 404 && (this.code === 'NOT_FOUND' || /^Cannot (GET|POST)/.test(this.message));
  }
}

const listeners = new Set();
/** Called on every 401: the app goes back to the sign-in form. */
export const onUnauthenticated = (fn) => listeners.add(fn);

export function qs(params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** api('/api/ownership', { query: {…} }) · api(path, { method: 'POST', body }) · { text: true } for HTML. */
export async function api(path, { method = 'GET', body, query, text = false, token = getToken(), signal } = {}) {
  let res;
  try {
    res = await fetch(path + qs(query), {
      method,
      signal,
      headers: {
        Accept: text ? 'text/html' : 'application/json',
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined && !(body instanceof FormData) ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
    });
  } catch (e) {
    if (e?.name === 'AbortError') throw e;
    throw new ApiError(0, { code: 'NETWORK', message: '无法连接服务器，请检查网络后重试' });
  }
  if (!res.ok) {
    let b;
    try {
      b = await res.json();
    } catch {
      b = { message: `HTTP ${res.status}` };
    }
    const err = new ApiError(res.status, b);
    if (res.status === 401) for (const fn of listeners) fn(err);
    throw err;
  }
  if (text) return res.text();
  if (res.status === 204) return null;
  return res.json();
}
