/**
 * `/monitoring/devices/:id` (MON-1, MUN-3/4/5): one device — what and where it is, its latest readings, a chart
 * per metric of the recent time buckets (average over the min–max band), its alarms with their actions, new
 * credentials (shown once; operator and tenant admin) and decommissioning (tenant admin), each after a
 * confirmation. Live state and alarms follow the event stream.
 */
import { A, useParams } from '@solidjs/router';
import { createEffect, createResource, createSignal, For, lazy, on, Show, Suspense } from 'solid-js';
import type { Alarm, AlarmView, DeviceCredentialsView, DeviceDetail, DeviceView } from '../../../../contracts';
import { api } from '../../api/client';
import { currentRole } from '../../auth/session';
import { departmentNamer } from '../../components/case-timeline';
import { ErrorMessage } from '../../components/error-message';
import { MapView } from '../../components/map';
import { AlarmActions } from '../../components/monitoring/alarm-actions';
import { AlarmStatusBadge, DeviceStateBadge, LevelChip } from '../../components/monitoring/bits';
import { CredentialsPanel } from '../../components/monitoring/credentials';
import { LiveIndicator, useMonitoringEvents } from '../../components/monitoring/live';
import { EmptyState, Loading, Panel, RefreshButton } from '../../components/panel';
import { t } from '../../i18n';
import { createAction } from '../../lib/action';
import { alarmValueText, deviceKindName, domainName, formatReading, metricName, metricSeries, orderedReadings, ruleTypeName, sortAlarms } from '../../lib/monitoring';
import { formatDateTime } from '../../lib/time';
import { ALARM_HANDLING_ROLES, DECOMMISSION_ROLES, DEVICE_MANAGER_ROLES } from '../../roles/trees';

const MetricChart = lazy(() => import('../../components/monitoring/metric-chart'));

export const CHART_HOURS = [6, 24, 72, 168] as const;

export default function DeviceDetailPage() {
  const params = useParams<{ id: string }>();
  const [hours, setHours] = createSignal<number>(24);
  const [detail, { refetch, mutate }] = createResource(
    () => ({ id: params.id, hours: hours() }),
    (q) => api.devices.get(q.id, q.hours),
  );
  const current = (): DeviceDetail | undefined => (detail.state === 'ready' || detail.state === 'refreshing' ? detail.latest : undefined);
  const live = useMonitoringEvents({
    onDevice: (event) => {
      const d = current();
      if (d && event.id === d.device.id) mutate({ ...d, device: { ...d.device, live: event.live } });
    },
    onAlarm: (alarm) => {
      const d = current();
      if (d && alarm.deviceId === d.device.id) mutate({ ...d, alarms: mergeAlarm(d.alarms, alarm) });
    },
    onReconnect: () => void refetch(),
  });

  return (
    <section class="home device-page" data-testid="device-page">
      <header class="home-head">
        <A href="/monitoring" class="btn btn-ghost btn-small" onClick={(e) => goBack(e)}>
          ← {t('common.back')}
        </A>
        <h1>{current()?.device.name ?? t('mon.device.title')}</h1>
        <LiveIndicator state={live()} />
        <RefreshButton onClick={() => void refetch()} busy={detail.loading} />
      </header>
      <Show when={detail.state === 'errored'}>
        <ErrorMessage error={detail.error} onRetry={() => void refetch()} />
      </Show>
      <Show when={current()} fallback={<Show when={detail.state !== 'errored'}>{<Loading />}</Show>}>
        {(d) => (
          <DeviceBody
            detail={d()}
            hours={hours()}
            onHours={setHours}
            onAlarm={(alarm) => mutate({ ...d(), alarms: mergeAlarm(d().alarms, alarm) })}
            onDevice={(device) => mutate({ ...d(), device })}
            reload={() => void refetch()}
          />
        )}
      </Show>
    </section>
  );
}

/** An alarm pushed or returned by an action, merged into the device's list (newest first). */
function mergeAlarm(alarms: readonly Alarm[], alarm: AlarmView | Alarm): Alarm[] {
  const existing = alarms.find((a) => a.id === alarm.id);
  if (existing && existing.history.length > alarm.history.length) return [...alarms];
  return sortAlarms([...alarms.filter((a) => a.id !== alarm.id), alarm]);
}

function goBack(event: MouseEvent) {
  if (history.length > 1) {
    event.preventDefault();
    history.back();
  }
}

function DeviceBody(props: {
  detail: DeviceDetail;
  hours: number;
  onHours: (hours: number) => void;
  onAlarm: (alarm: AlarmView) => void;
  onDevice: (device: DeviceView) => void;
  reload: () => void;
}) {
  const device = () => props.detail.device;
  const [tenant] = createResource(async () => {
    try {
      return await api.tenant();
    } catch {
      return undefined;
    }
  });
  const departmentName = (code: string) => departmentNamer(tenant.state === 'ready' ? tenant()?.departments : undefined)(code);
  const series = () => metricSeries(device().kind, props.detail.aggregates);
  const readings = () => orderedReadings(device().kind, device().live?.readings ?? {});
  const manages = () => {
    const role = currentRole();
    return role !== null && DEVICE_MANAGER_ROLES.includes(role);
  };
  const decommissions = () => {
    const role = currentRole();
    return role !== null && DECOMMISSION_ROLES.includes(role);
  };
  const handles = () => {
    const role = currentRole();
    return role !== null && ALARM_HANDLING_ROLES.includes(role);
  };

  return (
    <div class="device-layout" data-testid="device-detail" data-device={device().id} data-status={device().status}>
      <div class="device-main">
        <Panel title={t('mon.device.facts')} class="device-facts" testid="device-facts">
          <div class="case-badges">
            <DeviceStateBadge device={device()} />
            <Show when={device().status === 'decommissioned'}>
              <span class="badge badge-muted">{t('mon.device.decommissioned')}</span>
            </Show>
          </div>
          <dl class="facts">
            <dt>{t('mon.device.id')}</dt>
            <dd class="mono" data-testid="device-id">
              {device().id}
            </dd>
            <dt>{t('mon.device.kind')}</dt>
            <dd data-testid="device-kind">
              {deviceKindName(device().kind)} · {domainName(device().domain)}
            </dd>
            <dt>{t('case.grid')}</dt>
            <dd class="mono" data-testid="device-grid">
              {device().gridId ?? t('common.dash')}
            </dd>
            <dt>{t('mon.device.component')}</dt>
            <dd class="mono" data-testid="device-component">
              {device().componentId ?? t('common.dash')}
            </dd>
            <dt>{t('mon.device.owner')}</dt>
            <dd data-testid="device-owner">{device().ownerDepartment ? departmentName(device().ownerDepartment!) : t('common.dash')}</dd>
            <Show when={device().address}>
              <dt>{t('case.address')}</dt>
              <dd>{device().address}</dd>
            </Show>
            <dt>{t('loc.point')}</dt>
            <dd class="mono">
              {device().location.lng.toFixed(6)}, {device().location.lat.toFixed(6)}
            </dd>
            <dt>{t('mon.device.status')}</dt>
            <dd data-testid="device-status">{t(`mon.device.status.${device().status}`)}</dd>
            <dt>{t('mon.device.registeredAt')}</dt>
            <dd>{formatDateTime(device().registeredAt)}</dd>
            <Show when={device().decommissionedAt}>
              {(at) => (
                <>
                  <dt>{t('mon.device.decommissionedAt')}</dt>
                  <dd>{formatDateTime(at())}</dd>
                </>
              )}
            </Show>
            <dt>{t('mon.device.lastReport')}</dt>
            <dd data-testid="device-last-report">{device().live?.lastTs ? formatDateTime(device().live!.lastTs!) : t('mon.device.never')}</dd>
          </dl>
        </Panel>

        <Panel
          title={t('mon.chart.title')}
          class="device-charts"
          testid="device-charts"
          actions={
            <label class="inline-field">
              <span class="sr-only">{t('mon.chart.hours')}</span>
              <select data-testid="chart-hours" value={String(props.hours)} onChange={(e) => props.onHours(Number(e.currentTarget.value))}>
                <For each={CHART_HOURS}>
                  {(h) => (
                    <option value={String(h)} selected={h === props.hours}>
                      {t('mon.chart.lastHours', { n: h })}
                    </option>
                  )}
                </For>
              </select>
            </label>
          }
        >
          <Show when={series().length > 0} fallback={<EmptyState title={t('mon.chart.empty')} testid="chart-empty" />}>
            <div class="chart-grid">
              <For each={series()}>
                {(s) => (
                  <figure class="metric-figure" data-testid="metric-chart" data-metric={s.metric}>
                    <figcaption>
                      {s.name}
                      <Show when={s.unit}> ({s.unit})</Show>
                    </figcaption>
                    <Suspense fallback={<Loading />}>
                      <MetricChart series={s} label={t('mon.chart.label', { metric: s.name })} />
                    </Suspense>
                  </figure>
                )}
              </For>
            </div>
            <p class="muted small">{t('mon.chart.legend')}</p>
          </Show>
        </Panel>

        <Panel title={t('mon.device.location')} class="device-map">
          <div class="map map-case" data-testid="device-map">
            <MapView
              label={t('mon.device.location')}
              center={device().location}
              zoom={16}
              markers={[{ id: device().id, lng: device().location.lng, lat: device().location.lat, color: '#1d5fa8', label: device().name, emphasis: true }]}
              loadGrids={(box) => api.basedata.grids(box)}
              highlightGrid={device().gridId}
            />
          </div>
        </Panel>
      </div>
      <div class="device-side">
        <Panel title={t('mon.device.readings')} class="device-readings" testid="device-readings">
          <Show when={readings().length > 0} fallback={<EmptyState title={t('mon.device.noReadings')} />}>
            <ul class="readings">
              <For each={readings()}>
                {(r) => (
                  <li class="reading" data-testid={`reading-${r.metric}`} data-value={String(r.value)}>
                    <span class="reading-name">{metricName(device().kind, r.metric)}</span>
                    <strong class="reading-value">{formatReading(device().kind, r.metric, r.value)}</strong>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </Panel>

        <Panel title={t('mon.device.alarms')} class="device-alarms" testid="device-alarms" actions={<span class="count">{t('common.count', { n: props.detail.alarms.length })}</span>}>
          <Show when={props.detail.alarms.length > 0} fallback={<EmptyState title={t('mon.device.noAlarms')} />}>
            <ol class="alarm-feed">
              <For each={props.detail.alarms}>
                {(a) => (
                  <li class={`alarm-item level-${a.level}`} data-testid={`alarm-row-${a.id}`} data-level={a.level} data-status={a.status}>
                    <div class="alarm-item-head">
                      <LevelChip level={a.level} />
                      <span>{ruleTypeName(a.type)}</span>
                      <span class="mono small">{a.ruleId}</span>
                      <AlarmStatusBadge status={a.status} />
                    </div>
                    <div class="alarm-item-meta">
                      <span>
                        {t('mon.alarm.value')} {alarmValueText(a)}
                      </span>
                      <time datetime={a.raisedAt}>{formatDateTime(a.raisedAt)}</time>
                      <Show when={a.clearedAt}>{(at) => <span>{t('mon.alarm.clearedAt', { time: formatDateTime(at()) })}</span>}</Show>
                      <Show when={a.caseId}>
                        {(caseId) => (
                          <A class="task-link" href={`/case/${caseId()}`} data-testid="alarm-case-link">
                            {t('mon.alarm.case')}
                          </A>
                        )}
                      </Show>
                    </div>
                    <Show when={handles() && a.status !== 'cleared' && a.status !== 'disposed'}>
                      <AlarmActions alarm={a} onDone={props.onAlarm} />
                    </Show>
                  </li>
                )}
              </For>
            </ol>
          </Show>
        </Panel>

        <Show when={manages() && device().status === 'active'}>
          <DeviceAdmin device={device()} onDevice={props.onDevice} decommission={decommissions()} />
        </Show>
      </div>
    </div>
  );
}

/** Rotate the credentials (shown once) and, for the tenant admin, decommission; each after a confirmation. */
function DeviceAdmin(props: { device: DeviceView; onDevice: (device: DeviceView) => void; decommission: boolean }) {
  const [confirming, setConfirming] = createSignal<'rotate' | 'decommission' | null>(null);
  const [issued, setIssued] = createSignal<DeviceCredentialsView>();
  const rotate = createAction(() => api.devices.rotateCredentials(props.device.id));
  const decommission = createAction(() => api.devices.decommission(props.device.id));
  createEffect(on(() => props.device.id, () => setIssued(undefined), { defer: true }));

  const confirm = async () => {
    const what = confirming();
    if (what === 'rotate') {
      const credentials = await rotate.run();
      if (credentials) {
        setIssued(credentials);
        setConfirming(null);
      }
    } else if (what === 'decommission') {
      const result = await decommission.run();
      if (result) {
        setConfirming(null);
        props.onDevice({ ...props.device, ...result.device, domain: props.device.domain, live: props.device.live });
      }
    }
  };
  const busy = () => rotate.pending() || decommission.pending();

  return (
    <Panel title={t('mon.device.admin')} class="device-admin" testid="device-admin">
      <Show when={confirming() === null}>
        <div class="action-buttons">
          <button type="button" class="btn btn-small" data-testid="device-rotate" onClick={() => setConfirming('rotate')}>
            {t('mon.device.rotate')}
          </button>
          <Show when={props.decommission}>
            <button type="button" class="btn btn-small btn-danger-outline" data-testid="device-decommission" onClick={() => setConfirming('decommission')}>
              {t('mon.device.decommission')}
            </button>
          </Show>
        </div>
      </Show>
      <Show when={confirming()}>
        {(what) => (
          <div class="confirm" role="alertdialog" aria-labelledby="device-confirm-text" data-testid="device-confirm" data-action={what()}>
            <p id="device-confirm-text">
              {what() === 'rotate' ? t('mon.device.rotateConfirm', { name: props.device.name }) : t('mon.device.decommissionConfirm', { name: props.device.name })}
            </p>
            <div class="form-actions form-actions-start">
              <button type="button" class={`btn btn-small ${what() === 'decommission' ? 'btn-danger' : 'btn-primary'}`} data-testid="device-confirm-yes" disabled={busy()} onClick={() => void confirm()}>
                {busy() ? t('common.submitting') : what() === 'rotate' ? t('mon.device.rotate') : t('mon.device.decommission')}
              </button>
              <button type="button" class="btn btn-small btn-ghost" data-testid="device-confirm-no" disabled={busy()} onClick={() => setConfirming(null)}>
                {t('common.cancel')}
              </button>
            </div>
          </div>
        )}
      </Show>
      <Show when={rotate.error()}>{(error) => <ErrorMessage error={error()} />}</Show>
      <Show when={decommission.error()}>{(error) => <ErrorMessage error={error()} />}</Show>
      <Show when={issued()}>
        {(credentials) => <CredentialsPanel items={[{ deviceId: props.device.id, name: props.device.name, credentials: credentials() }]} onDismiss={() => setIssued(undefined)} filename={`device-credentials-${props.device.id}.csv`} />}
      </Show>
    </Panel>
  );
}
