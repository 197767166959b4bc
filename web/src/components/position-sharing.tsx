/**
 * MUN-3 位置共享: while an inspector's page is open and in front, the phone's position goes to the API at the
 * tenant's interval (the API's answer says how often), so a cover alarm's 核实 can go to the nearest inspector.
 * The indicator always says whether sharing is on; the position itself is neither shown nor kept here.
 */
import { createSignal, onCleanup, onMount } from 'solid-js';
import { ApiError } from '../api/client';
import { inspectorsApi } from '../api/inspectors';
import { t, type MessageKey } from '../i18n';
import { PinIcon } from './icons';

type SharingState = 'starting' | 'sharing' | 'hidden' | 'denied' | 'unsupported' | 'failed' | 'off';

const MESSAGES: Record<SharingState, MessageKey> = {
  starting: 'position.starting',
  sharing: 'position.sharing',
  hidden: 'position.hidden',
  denied: 'position.denied',
  unsupported: 'position.unsupported',
  failed: 'position.failed',
  off: 'position.off',
};
const round = (v: number) => Math.round(v * 1e6) / 1e6;
const visible = () => typeof document === 'undefined' || document.visibilityState !== 'hidden';

export function PositionSharing() {
  const [state, setState] = createSignal<SharingState>('starting');
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Seconds between reports, as the tenant's settings say (known after the first answer). */
  let every: number | undefined;
  let stopped = false;

  const schedule = () => {
    clearTimeout(timer);
    if (every !== undefined && !stopped && visible()) timer = setTimeout(report, every * 1000);
  };

  const report = () => {
    if (stopped) return;
    if (!visible()) return setState('hidden');
    const geo = typeof navigator === 'undefined' ? undefined : navigator.geolocation;
    if (!geo) return setState('unsupported');
    geo.getCurrentPosition(
      (position) => {
        const accuracyM = Number.isFinite(position.coords.accuracy) ? Math.round(position.coords.accuracy) : undefined;
        inspectorsApi
          .sharePosition({ location: { lng: round(position.coords.longitude), lat: round(position.coords.latitude) }, ...(accuracyM !== undefined ? { accuracyM } : {}) })
          .then((answer) => {
            every = answer.reportEverySeconds;
            if (!stopped) setState(visible() ? 'sharing' : 'hidden');
            schedule();
          })
          .catch((err: unknown) => {
            // A coded refusal (no settings for this tenant, a position outside the country) will not change by
            // asking again: stop. A lost connection: try again at the next turn.
            if (err instanceof ApiError && err.status >= 400 && err.status < 500) {
              stopped = true;
              setState('off');
            } else {
              setState('failed');
              schedule();
            }
          });
      },
      (error) => {
        if (error.code === 1) {
          setState('denied');
        } else {
          setState('failed');
          schedule();
        }
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 30_000 },
    );
  };

  const onVisibility = () => {
    if (visible()) report();
    else {
      clearTimeout(timer);
      if (!stopped && state() === 'sharing') setState('hidden');
    }
  };

  onMount(() => {
    document.addEventListener('visibilitychange', onVisibility);
    report();
  });
  onCleanup(() => {
    stopped = true;
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibility);
  });

  return (
    <p class="notice position-sharing" classList={{ 'notice-warn': state() !== 'sharing' }} role="status" data-testid="position-sharing" data-state={state()}>
      <PinIcon /> <strong>{t(MESSAGES[state()])}</strong>
      {state() === 'sharing' ? <span class="muted"> · {t('position.sharingHint')}</span> : null}
    </p>
  );
}
