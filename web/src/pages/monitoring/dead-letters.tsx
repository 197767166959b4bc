/**
 * 异常报文 (dead letters, `/monitoring/dead-letters`, tenant admin and monitoring operator): device messages the ingest could not use —
 * why (the reason's name from contracts), which device and topic, when, how large, and the first bytes of the
 * payload — so a misconfigured sensor is found instead of silently dropped.
 */
import { A } from '@solidjs/router';
import { createResource, Show } from 'solid-js';
import type { DeadLetter } from '../../../../contracts';
import { api } from '../../api/client';
import { currentRole } from '../../auth/session';
import { DataTable, ListActions, type Column } from '../../components/data-table';
import { EmptyState, Panel, settled } from '../../components/panel';
import { t } from '../../i18n';
import { formatBytes, payloadPreview, reasonName } from '../../lib/monitoring';
import { formatDateTime } from '../../lib/time';
import { DEVICE_MANAGER_ROLES } from '../../roles/trees';

export default function DeadLettersPage() {
  const allowed = () => {
    const role = currentRole();
    return role !== null && DEVICE_MANAGER_ROLES.includes(role);
  };
  return (
    <section class="home dead-letters-page" data-testid="dead-letters-page">
      <header class="home-head">
        <h1>{t('section.deadLetters')}</h1>
      </header>
      <Show when={allowed()} fallback={<EmptyState title={t('mon.dead.adminOnly')} testid="dead-letters-forbidden" />}>
        <DeadLetterList />
      </Show>
    </section>
  );
}

const COLUMNS: readonly Column<DeadLetter>[] = [
  { header: 'mon.dead.receivedAt', cell: (d) => <time datetime={d.receivedAt}>{formatDateTime(d.receivedAt)}</time> },
  {
    header: 'mon.dead.reason',
    cell: (d) => (
      <>
        <span data-testid="dead-letter-reason">{reasonName(d.reason)}</span>
        <div class="mono small muted">{d.reason}</div>
      </>
    ),
  },
  {
    header: 'mon.alarm.device',
    class: 'span',
    cell: (d) => (
      <>
        <Show when={d.deviceId} fallback={t('common.dash')}>
          {(id) => (
            <A class="case-link mono" href={`/monitoring/devices/${encodeURIComponent(id())}`}>
              {id()}
            </A>
          )}
        </Show>
        <div class="mono small muted wrap">{d.topic}</div>
      </>
    ),
  },
  { header: 'mon.dead.size', class: 'num', cell: (d) => formatBytes(d.size) },
  { header: 'mon.dead.detail', class: 'wrap span', cell: (d) => d.detail },
  {
    header: 'mon.dead.payload',
    class: 'span',
    cell: (d) => {
      const preview = payloadPreview(d.payloadPreview);
      return (
        <pre class="payload" data-testid="dead-letter-payload" data-binary={preview.binary ? 'true' : 'false'}>
          {preview.text}
        </pre>
      );
    },
  },
];

function DeadLetterList() {
  const [letters, { refetch }] = createResource(() => api.monitoring.deadLetters());
  return (
    <Panel title={t('mon.dead.title')} testid="dead-letters" actions={<ListActions count={settled(letters)?.items.length} onRefresh={() => void refetch()} busy={letters.loading} />}>
      <p class="muted small">{t('mon.dead.hint')}</p>
      <DataTable
        testid="dead-letter-table"
        class="dead-letter-table"
        rows={settled(letters)?.items}
        error={letters.error}
        onRetry={() => void refetch()}
        columns={COLUMNS}
        row={(d) => ({ 'data-testid': `dead-letter-${d.id}`, 'data-reason': d.reason })}
        empty={{ title: t('mon.dead.empty'), testid: 'dead-letters-empty' }}
      />
    </Panel>
  );
}
