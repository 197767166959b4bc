/** The platform's health from /healthz, refreshed every minute: a coloured dot, a word, details on hover. */
import { createResource, onCleanup } from 'solid-js';
import { api } from '../api/client';
import { t } from '../i18n';

const REFRESH_MS = 60_000;

export function HealthIndicator() {
  const [health, { refetch }] = createResource(() => api.health());
  const timer = setInterval(() => void refetch(), REFRESH_MS);
  onCleanup(() => clearInterval(timer));

  const state = (): 'checking' | 'ok' | 'degraded' | 'unreachable' => {
    if (health.state === 'errored') return 'unreachable';
    const value = health.state === 'ready' || health.state === 'refreshing' ? health.latest : undefined;
    if (!value) return 'checking';
    return value.ok ? 'ok' : 'degraded';
  };
  const label = () => t(`health.${state()}` as const);
  const details = () => {
    const value = health.state === 'ready' || health.state === 'refreshing' ? health.latest : undefined;
    if (!value) return label();
    const parts = Object.entries(value.parts).map(([name, part]) =>
      t(part.ok ? 'health.partOk' : 'health.partFailed', { name }) + (part.detail ? ` (${part.detail})` : ''),
    );
    return [t('health.details', { version: value.version, runtime: value.runtime }), ...parts].join('\n');
  };

  return (
    <div class="health" data-testid="health" data-state={state()} title={details()} role="status">
      <span class="health-dot" aria-hidden="true" />
      <span class="health-label">{label()}</span>
    </div>
  );
}
