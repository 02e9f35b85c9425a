import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.js';

export interface Loaded<T> {
  data: T | undefined;
  error: string | null;
  reload: () => void;
}

/**
 * Loads with `fn`, again whenever `deps` change, and every `pollMs` while the
 * page is visible (live state without a reload).
 */
export function useLoad<T>(fn: () => Promise<T>, deps: readonly unknown[], pollMs = 0): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  useEffect(() => {
    let live = true;
    const run = () =>
      fnRef.current().then(
        (d) => live && (setData(d), setError(null)),
        (e: unknown) => live && setError(e instanceof ApiError ? e.message : String(e)),
      );
    void run();
    const timer = pollMs ? setInterval(() => document.visibilityState === 'visible' && void run(), pollMs) : undefined;
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [...deps, tick, pollMs]);
  return { data, error, reload };
}

/** Runs an action, keeping its error and busy state for the form that started it. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      return true;
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}

/** The `#/path` part of the URL, as the dashboard's router. */
export function useHashRoute(): string {
  const [route, setRoute] = useState(location.hash.slice(1) || '/');
  useEffect(() => {
    const on = () => setRoute(location.hash.slice(1) || '/');
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
