/** A user action that calls the API: pending flag, last error, and a runner that never throws. */
import { createSignal, type Accessor } from 'solid-js';

export interface Action<A extends unknown[], R> {
  pending: Accessor<boolean>;
  error: Accessor<unknown>;
  run: (...args: A) => Promise<R | undefined>;
  clearError: () => void;
}

export function createAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>): Action<A, R> {
  const [pending, setPending] = createSignal(false);
  const [error, setError] = createSignal<unknown>(undefined);
  return {
    pending,
    error,
    clearError: () => setError(undefined),
    run: async (...args: A) => {
      setPending(true);
      setError(undefined);
      try {
        return await fn(...args);
      } catch (caught) {
        setError(() => caught);
        return undefined;
      } finally {
        setPending(false);
      }
    },
  };
}
