import { DependencyList, useEffect, useState } from 'react';

export interface Loaded<T> {
  data?: T;
  error?: unknown;
  loading: boolean;
  reload(): void;
}

/**
 * Runs `load` when `deps` change (and on reload()), keeping only the answer of the latest call.
 * `load` returning undefined (e.g. inputs not complete) leaves the state empty.
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T> | undefined, deps: DependencyList): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: false });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const ctl = new AbortController();
    const p = load(ctl.signal);
    if (!p) {
      setState({ loading: false });
      return;
    }
    setState((s) => ({ ...s, loading: true }));
    p.then(
      (data) => !ctl.signal.aborted && setState({ data, loading: false }),
      (error) => !ctl.signal.aborted && error?.name !== 'AbortError' && setState({ error, loading: false }),
    );
    return () => ctl.abort();
  }, [...deps, tick]); // eslint-disable-line react-hooks/exhaustive-deps
  return { ...state, reload: () => setTick((t) => t + 1) };
}
