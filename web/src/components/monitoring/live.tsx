/**
 * Live monitoring screens: lists loaded once and then kept current by the event stream (no polling). The
 * stream is one connection per screen; pushed events are applied in small batches (a flood of readings
 * redraws the map a few times a second, not once per message), and after a reconnect the lists reload once,
 * since events may have been missed while it was down.
 */
import { batch, createSignal, onCleanup, Show, type Accessor, type JSX } from 'solid-js';
import type { AlarmView, DeviceLiveEvent } from '../../../../contracts';
import { api, type StreamState } from '../../api/client';
import { t } from '../../i18n';
import { ErrorMessage } from '../error-message';
import { Loading } from '../panel';

/** How long pushed events are gathered before they are applied together. */
export const LIVE_BATCH_MS = 200;

export interface LiveList<T, E> {
  /** The list, once loaded (undefined before, and after a failed first load). */
  items: Accessor<readonly T[] | undefined>;
  error: Accessor<unknown>;
  loading: Accessor<boolean>;
  /** Load again (filters changed, stream reconnected); events arriving meanwhile are applied to the new list. */
  reload: () => Promise<void>;
  /** Apply a pushed event (buffered while a load is under way). */
  apply: (event: E) => void;
  /** Change the loaded list (an action's answer). */
  update: (fn: (items: readonly T[]) => readonly T[]) => void;
}

export function createLiveList<T, E>(load: () => Promise<readonly T[]>, reduce: (items: readonly T[], event: E) => readonly T[]): LiveList<T, E> {
  const [items, setItems] = createSignal<readonly T[]>();
  const [error, setError] = createSignal<unknown>();
  const [loading, setLoading] = createSignal(false);
  let pending: E[] | null = null;
  let token = 0;
  const reload = async () => {
    const mine = ++token;
    pending = [];
    setLoading(true);
    setError(undefined);
    try {
      const loaded = await load();
      if (mine !== token) return;
      const events = pending ?? [];
      pending = null;
      setItems(() => events.reduce(reduce, loaded));
    } catch (caught) {
      if (mine !== token) return;
      pending = null;
      setError(() => caught);
    } finally {
      if (mine === token) setLoading(false);
    }
  };
  return {
    items,
    error,
    loading,
    reload,
    apply: (event) => {
      pending?.push(event);
      const current = items();
      if (current) setItems(() => reduce(current, event));
    },
    update: (fn) => {
      const current = items();
      if (current) setItems(() => fn(current));
    },
  };
}

/**
 * Run `fn` soon, at most once per `minGapMs`, however often it is asked for (e.g. reload the device list when
 * events name devices it does not hold yet: a fleet being registered sends thousands). Cancelled on cleanup.
 */
export function createCoalesced(fn: () => void, delayMs = 1_500, minGapMs = 10_000): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = Number.NEGATIVE_INFINITY;
  onCleanup(() => clearTimeout(timer));
  return () => {
    if (timer !== undefined) return;
    const wait = Math.max(delayMs, last + minGapMs - Date.now());
    timer = setTimeout(() => {
      timer = undefined;
      last = Date.now();
      fn();
    }, wait);
  };
}

/** Follow the live push (SSE or MQTT over WSS, as the API says) while the calling component lives; returns its state. */
export function useMonitoringEvents(handlers: { onDevice?: (event: DeviceLiveEvent) => void; onAlarm?: (alarm: AlarmView) => void; onReconnect?: () => void }): Accessor<StreamState> {
  const [state, setState] = createSignal<StreamState>('connecting');
  let queue: (() => void)[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    timer = undefined;
    const work = queue;
    queue = [];
    batch(() => work.forEach((fn) => fn()));
  };
  const enqueue = (fn: () => void) => {
    queue.push(fn);
    timer ??= setTimeout(flush, LIVE_BATCH_MS);
  };
  const stream = api.monitoring.live({
    onDevice: (event) => enqueue(() => handlers.onDevice?.(event)),
    onAlarm: (alarm) => enqueue(() => handlers.onAlarm?.(alarm)),
    onState: (next) => setState(next),
    onOpen: (reconnected) => {
      if (reconnected) handlers.onReconnect?.();
    },
  });
  onCleanup(() => {
    clearTimeout(timer);
    stream.close();
  });
  return state;
}

/** 实时 / 连接中 / 重连中 / 未连接: whether the screen is being updated. */
export function LiveIndicator(props: { state: StreamState }) {
  return (
    <span class={`live live-${props.state}`} data-testid="live-indicator" data-state={props.state} role="status" title={t('mon.live.hint')}>
      <span class="live-dot" aria-hidden="true" />
      {t(`mon.live.${props.state}`)}
    </span>
  );
}

/** A live list on screen: loading, error with retry, or the items. */
export function LiveAsync<T>(props: { list: Pick<LiveList<T, unknown>, 'items' | 'error' | 'reload'>; children: (items: Accessor<readonly T[]>) => JSX.Element }) {
  return (
    <Show
      when={props.list.items()}
      fallback={
        <Show when={props.list.error()} fallback={<Loading />}>
          {(error) => <ErrorMessage error={error()} onRetry={() => void props.list.reload()} />}
        </Show>
      }
    >
      {(items) => (
        <>
          <Show when={props.list.error()}>{(error) => <ErrorMessage error={error()} onRetry={() => void props.list.reload()} />}</Show>
          {props.children(items)}
        </>
      )}
    </Show>
  );
}
