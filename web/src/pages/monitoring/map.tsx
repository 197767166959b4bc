/**
 * 监测一张图 (MON-1, `/monitoring`, the home of the monitoring tree): every active device on the map, coloured by state (online, offline, the
 * 蓝/黄/橙/红 level of its worst open alarm), beside the open alarms, newest first. The device list and the
 * alarms are loaded once and then follow the event stream. Filters (domain, level, alarm time window) apply
 * to both; a marker or an alarm opens the device. `data-devices`/`data-alarms` on the map say what is shown.
 */
import { A } from '@solidjs/router';
import { createEffect, createMemo, createResource, createSignal, For, on, Show } from 'solid-js';
import type { AlarmLevel, AlarmView, DeviceDomain, DeviceView } from '../../../../contracts';
import { api } from '../../api/client';
import { MapView } from '../../components/map';
import { AlarmStatusBadge, LevelChip, MapLegend } from '../../components/monitoring/bits';
import { AlarmLevelFilter, DomainFilter, FilterBar, FilterSelect } from '../../components/monitoring/filters';
import { createCoalesced, createLiveList, LiveAsync, LiveIndicator, useMonitoringEvents } from '../../components/monitoring/live';
import { ErrorMessage } from '../../components/error-message';
import { HomeFrame } from '../../components/home-frame';
import { EmptyState, Panel } from '../../components/panel';
import { TaskList } from '../../components/task-list';
import { currentRole } from '../../auth/session';
import { t } from '../../i18n';
import { bboxOf } from '../../lib/geo';
import {
  alarmMatches,
  alarmValueText,
  applyDeviceEvent,
  deviceKindName,
  deviceMarkers,
  deviceState,
  domainName,
  levelName,
  TIME_WINDOWS,
  upsertAlarm,
  windowStart,
  type TimeWindow,
} from '../../lib/monitoring';
import { formatDateTime, useNow } from '../../lib/time';

export default function MonitoringMapPage() {
  const [domain, setDomain] = createSignal<DeviceDomain | ''>('');
  const [level, setLevel] = createSignal<AlarmLevel | ''>('');
  const [timeWindow, setTimeWindow] = createSignal<TimeWindow>('all');
  const now = useNow(60_000);
  const since = () => windowStart(timeWindow(), now());

  const devices = createLiveList((): Promise<readonly DeviceView[]> => api.devices.list().then((r) => r.items), applyDeviceEvent);
  const alarms = createLiveList(
    (): Promise<readonly AlarmView[]> => {
      const from = windowStart(timeWindow(), Date.now());
      return api.alarms.list({ status: 'open', since: from === undefined ? undefined : new Date(from).toISOString() }).then((r) => r.items);
    },
    (list, alarm: AlarmView) => upsertAlarm(list, alarm, (a) => a.status !== 'cleared'),
  );
  // A device the list does not hold (registered since it loaded) shows up after one coalesced reload.
  const reloadDevicesSoon = createCoalesced(() => void devices.reload());
  const known = (id: string) => {
    const items = devices.items();
    return items === undefined || items.some((d) => d.id === id);
  };
  const live = useMonitoringEvents({
    onDevice: (event) => (known(event.id) ? devices.apply(event) : reloadDevicesSoon()),
    onAlarm: (alarm) => {
      alarms.apply(alarm);
      if (!known(alarm.deviceId)) reloadDevicesSoon();
    },
    onReconnect: () => {
      void devices.reload();
      void alarms.reload();
    },
  });
  void devices.reload();
  createEffect(on(timeWindow, () => void alarms.reload()));

  const [tenant] = createResource(async () => {
    try {
      return await api.tenant();
    } catch {
      return undefined;
    }
  });

  const visibleDevices = createMemo(() =>
    (devices.items() ?? []).filter((d) => d.status === 'active' && (!domain() || d.domain === domain()) && (!level() || d.live?.alarmLevel === level())),
  );
  const visibleAlarms = createMemo(() =>
    (alarms.items() ?? []).filter((a) => alarmMatches(a, { status: 'open', domain: domain() || undefined, level: level() || undefined, since: since() })),
  );
  const counts = createMemo(() => {
    const c = { online: 0, offline: 0, alarm: 0 };
    for (const d of visibleDevices()) {
      const s = deviceState(d);
      if (s === 'alarm') c.alarm++;
      else if (s === 'online') c.online++;
      else if (s === 'offline') c.offline++;
    }
    return c;
  });
  const markers = createMemo(() =>
    deviceMarkers(visibleDevices(), (d) => {
      const state = d.live?.alarmLevel ? levelName(d.live.alarmLevel) : d.live?.online ? t('mon.state.online') : d.live ? t('mon.state.offline') : t('mon.state.unknown');
      return `${d.name} · ${deviceKindName(d.kind)} · ${state}`;
    }),
  );
  // Fit the devices once they are first known (not on every pushed change: the view must not jump).
  const [fit, setFit] = createSignal<readonly [number, number, number, number]>();
  createEffect(() => {
    const items = devices.items();
    if (!items || fit()) return;
    const box = bboxOf(items.filter((d) => d.status === 'active').map((d) => d.location));
    if (box) setFit([box[0] - 0.002, box[1] - 0.002, box[2] + 0.002, box[3] + 0.002]);
  });
  const center = () => {
    const b = tenant.state === 'ready' ? tenant()?.bounds : undefined;
    return b ? { lng: (b[0] + b[2]) / 2, lat: (b[1] + b[3]) / 2 } : undefined;
  };
  const loaded = () => devices.items() !== undefined && alarms.items() !== undefined;

  return (
    <HomeFrame
      tree="monitoring"
      class="home-monitoring"
      main={
        <div class="monitoring-page" data-testid="monitoring-page">
          <FilterBar>
            <DomainFilter value={domain()} onChange={setDomain} />
            <AlarmLevelFilter value={level()} onChange={setLevel} />
            <FilterSelect
              label={t('mon.window')}
              testid="filter-window"
              value={timeWindow()}
              choices={TIME_WINDOWS.map((w) => ({ value: w, label: t(`mon.window.${w}`) }))}
              onChange={(w) => setTimeWindow(w || 'all')}
            />
            <div class="filter-status">
              <LiveIndicator state={live()} />
              <span class="muted" data-testid="device-counts">
                {t('mon.counts', { n: visibleDevices().length, online: counts().online, offline: counts().offline, alarm: counts().alarm })}
              </span>
            </div>
          </FilterBar>
          <div class="monitoring-layout">
            <Panel title={t('section.map')} class="monitoring-map-panel" actions={<MapLegend />}>
              <Show when={devices.error()}>{(error) => <ErrorMessage error={error()} onRetry={() => void devices.reload()} />}</Show>
              <div
                class="map map-monitoring"
                data-testid="monitoring-map"
                data-devices={visibleDevices().length}
                data-alarms={visibleAlarms().length}
                data-loaded={loaded() ? 'true' : 'false'}
                data-live={live()}
              >
                <MapView label={t('section.map')} fit={fit()} center={center()} zoom={12} markers={markers()} loadGrids={(box) => api.basedata.grids(box)} />
              </div>
            </Panel>
            <Panel
              title={t('mon.openAlarms')}
              class="monitoring-alarms-panel"
              actions={
                <>
                  <span class="count">{t('common.count', { n: visibleAlarms().length })}</span>
                  <A class="btn btn-small btn-ghost" href="/monitoring/alarms">
                    {t('mon.allAlarms')}
                  </A>
                </>
              }
            >
              <LiveAsync list={alarms}>{() => <AlarmFeed alarms={visibleAlarms()} />}</LiveAsync>
            </Panel>
          </div>
          <Show when={currentRole() === 'monitoring-operator'}>
            <TaskList />
          </Show>
        </div>
      }
    />
  );
}

/** The open alarms as a feed: level chip, device (a link to it), kind, reading, time, status, its case. */
export function AlarmFeed(props: { alarms: readonly AlarmView[] }) {
  return (
    <Show when={props.alarms.length > 0} fallback={<EmptyState title={t('mon.noOpenAlarms')} testid="alarms-empty" />}>
      <ol class="alarm-feed" data-testid="alarm-feed">
        <For each={props.alarms}>
          {(a) => (
            <li class={`alarm-item level-${a.level}`} data-testid={`alarm-row-${a.id}`} data-alarm={a.id} data-level={a.level} data-status={a.status} data-device={a.deviceId}>
              <div class="alarm-item-head">
                <LevelChip level={a.level} />
                <A class="case-link" href={`/monitoring/devices/${encodeURIComponent(a.deviceId)}`}>
                  {a.deviceName}
                </A>
                <AlarmStatusBadge status={a.status} />
              </div>
              <div class="alarm-item-meta">
                <span>{domainName(a.domain)}</span>
                <span>{deviceKindName(a.kind)}</span>
                <span>
                  {t('mon.alarm.value')} {alarmValueText(a)}
                </span>
                <time datetime={a.raisedAt}>{formatDateTime(a.raisedAt)}</time>
                <Show when={a.caseId}>
                  {(caseId) => (
                    <A class="task-link" href={`/case/${caseId()}`} data-testid="alarm-case-link">
                      {t('mon.alarm.case')}
                    </A>
                  )}
                </Show>
              </div>
            </li>
          )}
        </For>
      </ol>
    </Show>
  );
}
