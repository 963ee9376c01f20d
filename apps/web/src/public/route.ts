// The public list's addresses: real URLs under /public/ with the inputs in the query string, so every
// edition has a permalink (/public/?region=650200&edition=2024年版) that a server, a printout or a
// citation can carry. Navigation inside the page uses the History API (no reload).
import { useEffect, useState } from 'react';

export interface PublicRoute {
  region?: string;
  edition?: string;
  item?: string;
  department?: string;
  type?: string;
  q?: string;
}

const KEYS: (keyof PublicRoute)[] = ['region', 'edition', 'item', 'department', 'type', 'q'];

export function readRoute(search = location.search): PublicRoute {
  const p = new URLSearchParams(search);
  const r: PublicRoute = {};
  for (const k of KEYS) {
    const v = p.get(k)?.trim();
    if (v) r[k] = v;
  }
  return r;
}

/** The address of a public page, relative to /public/. */
export function href(r: PublicRoute): string {
  const p = new URLSearchParams();
  for (const k of KEYS) if (r[k]) p.set(k, r[k]!);
  const s = p.toString();
  return s ? `?${s}` : './';
}

/** The absolute address (the permalink shown on the page and in print). */
export const absolute = (r: PublicRoute): string => new URL(href(r), location.href).toString();

const listeners = new Set<() => void>();

export function go(r: PublicRoute, { replace = false } = {}): void {
  if (replace) history.replaceState(null, '', href(r));
  else history.pushState(null, '', href(r));
  for (const fn of listeners) fn();
}

/** The current route, re-rendering on navigation (links, the back button). */
export function useRoute(): PublicRoute {
  const [route, setRoute] = useState(readRoute);
  useEffect(() => {
    const on = () => setRoute(readRoute());
    listeners.add(on);
    window.addEventListener('popstate', on);
    return () => {
      listeners.delete(on);
      window.removeEventListener('popstate', on);
    };
  }, []);
  return route;
}

/** A click on an in-page link: navigate without reloading (modified clicks open a tab as usual). */
export function follow(e: React.MouseEvent<HTMLAnchorElement>, r: PublicRoute): void {
  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  go(r);
}
