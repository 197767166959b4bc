/** Small pieces of the monitoring screens: level chips, status badges, device state, the legend (filters: filters.tsx). */
import { For } from 'solid-js';
import type { AlarmLevel, AlarmStatus, DeviceView } from '../../../../contracts';
import { t } from '../../i18n';
import { ALARM_LEVEL_COLORS, alarmStatusName, DEVICE_STATE_COLORS, deviceColor, deviceState, deviceStateName, LEVELS, levelName } from '../../lib/monitoring';

/** 蓝/黄/橙/红 预警 chip in its colour. */
export function LevelChip(props: { level: AlarmLevel }) {
  return (
    <span class={`badge level-chip level-${props.level}`} data-testid="level-chip" data-level={props.level} style={{ '--level-color': ALARM_LEVEL_COLORS[props.level] }}>
      {levelName(props.level)}
    </span>
  );
}

export function AlarmStatusBadge(props: { status: AlarmStatus }) {
  return (
    <span class={`badge alarm-status alarm-status-${props.status}`} data-testid="alarm-status" data-status={props.status}>
      {alarmStatusName(props.status)}
    </span>
  );
}

/** 在线 / 离线 / 告警级别 / 未上报 / 已停用, with the marker's colour. */
export function DeviceStateBadge(props: { device: Pick<DeviceView, 'status' | 'live'> }) {
  const state = () => deviceState(props.device);
  return (
    <span class="device-state" data-testid="device-state" data-state={state()} data-level={props.device.live?.alarmLevel ?? ''}>
      <span class="dot" aria-hidden="true" style={{ '--status-color': deviceColor(props.device) }} />
      {state() === 'alarm' && props.device.live?.alarmLevel ? levelName(props.device.live.alarmLevel) : deviceStateName(state())}
    </span>
  );
}

/** What the marker colours mean. */
export function MapLegend() {
  const states = ['online', 'offline', 'unknown'] as const;
  return (
    <ul class="legend" aria-label={t('mon.legend')}>
      <For each={states}>
        {(s) => (
          <li>
            <span class="dot" aria-hidden="true" style={{ '--status-color': DEVICE_STATE_COLORS[s] }} />
            {deviceStateName(s)}
          </li>
        )}
      </For>
      <For each={LEVELS}>
        {(l) => (
          <li>
            <span class="dot" aria-hidden="true" style={{ '--status-color': ALARM_LEVEL_COLORS[l] }} />
            {levelName(l)}
          </li>
        )}
      </For>
    </ul>
  );
}
