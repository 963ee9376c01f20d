// Files the API sends (xlsx, csv) saved by the browser under a Chinese name; the request carries the token.
import { ApiError, Query, getToken, qs } from './api';

/** A file the browser saves, with the name given (Chinese names kept). */
export function saveAs(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  setTimeout(() => {
    URL.revokeObjectURL(url);
    a.remove();
  }, 1000);
}

/** GETs `path` with the tab's token and saves the answer as `name`; a refusal throws the API's error. */
export async function download(path: string, query: Query, name: string): Promise<void> {
  const res = await fetch(`${path}${qs(query)}`, { headers: { Authorization: `Bearer ${getToken()}` } });
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => ({ message: `HTTP ${res.status}` })));
  saveAs(name, await res.blob());
}
