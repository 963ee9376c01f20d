// Hash routes: #/owner?region=650200&item=P1&at=2022-01-01 — every page keeps its inputs in the address
// (shareable, survives reload).
import { useSyncExternalStore } from 'react';

export interface Route {
  route: string;
  params: Record<string, string>;
}

function parse(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [route, query = ''] = raw.split('?');
  return { route: route || 'owner', params: Object.fromEntries(new URLSearchParams(query)) };
}

export function hashLink(route: string, params: Record<string, string | number | undefined | null> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return `#/${route}${s ? `?${s}` : ''}`;
}

const subscribe = (fn: () => void) => {
  window.addEventListener('hashchange', fn);
  return () => window.removeEventListener('hashchange', fn);
};

/** The current hash, re-rendering on navigation. */
export function useHash(): string {
  return useSyncExternalStore(subscribe, () => location.hash);
}

export const currentRoute = (hash: string): Route => parse(hash);

/** Records a page's inputs in the address without navigating (no re-mount, no history entry). */
export function setParams(route: string, params: Record<string, string | number | undefined | null>): void {
  history.replaceState(null, '', hashLink(route, params));
}

export function navigate(route: string, params: Record<string, string | number | undefined | null> = {}): void {
  location.hash = hashLink(route, params);
}
