/**
 * 异常报文 (dead letters, `/monitoring/dead-letters`, tenant admin and monitoring operator): device messages the ingest could not use —
 * why (the reason's name from contracts), which device and topic, when, how large, and the first bytes of the
 * payload — so a misconfigured sensor is found instead of silently dropped.
 */
import { A } from '@solidjs/router';
import { createResource, For, Show } from 'solid-js';
import { api } from '../../api/client';
import { currentRole } from '../../auth/session';
import { Async, EmptyState, Panel, RefreshButton } from '../../components/panel';
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

function DeadLetterList() {
  const [letters, { refetch }] = createResource(() => api.monitoring.deadLetters());
  return (
    <Panel
      title={t('mon.dead.title')}
      testid="dead-letters"
      actions={
        <>
          <Show when={letters.state === 'ready' ? letters() : undefined}>{(l) => <span class="count">{t('common.count', { n: l().items.length })}</span>}</Show>
          <RefreshButton onClick={() => void refetch()} busy={letters.loading} />
        </>
      }
    >
      <p class="muted small">{t('mon.dead.hint')}</p>
      <Async resource={letters} onRetry={() => void refetch()}>
        {(value) => (
          <Show when={value().items.length > 0} fallback={<EmptyState title={t('mon.dead.empty')} testid="dead-letters-empty" />}>
            <div class="table-scroll">
              <table class="data-table dead-letter-table" data-testid="dead-letter-table">
                <thead>
                  <tr>
                    <th scope="col">{t('mon.dead.receivedAt')}</th>
                    <th scope="col">{t('mon.dead.reason')}</th>
                    <th scope="col">{t('mon.alarm.device')}</th>
                    <th scope="col">{t('mon.dead.size')}</th>
                    <th scope="col">{t('mon.dead.detail')}</th>
                    <th scope="col">{t('mon.dead.payload')}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={value().items}>
                    {(d) => {
                      const preview = payloadPreview(d.payloadPreview);
                      return (
                        <tr data-testid={`dead-letter-${d.id}`} data-reason={d.reason}>
                          <td data-label={t('mon.dead.receivedAt')}>
                            <time datetime={d.receivedAt}>{formatDateTime(d.receivedAt)}</time>
                          </td>
                          <td data-label={t('mon.dead.reason')}>
                            <span data-testid="dead-letter-reason">{reasonName(d.reason)}</span>
                            <div class="mono small muted">{d.reason}</div>
                          </td>
                          <td data-label={t('mon.alarm.device')} class="span">
                            <Show when={d.deviceId} fallback={t('common.dash')}>
                              {(id) => (
                                <A class="case-link mono" href={`/monitoring/devices/${encodeURIComponent(id())}`}>
                                  {id()}
                                </A>
                              )}
                            </Show>
                            <div class="mono small muted wrap">{d.topic}</div>
                          </td>
                          <td data-label={t('mon.dead.size')} class="num">
                            {formatBytes(d.size)}
                          </td>
                          <td data-label={t('mon.dead.detail')} class="wrap span">
                            {d.detail}
                          </td>
                          <td data-label={t('mon.dead.payload')} class="span">
                            <pre class="payload" data-testid="dead-letter-payload" data-binary={preview.binary ? 'true' : 'false'}>
                              {preview.text}
                            </pre>
                          </td>
                        </tr>
                      );
                    }}
                  </For>
                </tbody>
              </table>
            </div>
          </Show>
        )}
      </Async>
    </Panel>
  );
}
