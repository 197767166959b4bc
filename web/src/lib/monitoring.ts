/**
 * How monitoring data reads on screen (MON-1, MON-3, MUN-3/4/5): names of domains, kinds, metrics, alarm levels,
 * statuses and dead-letter reasons (from contracts, in the current language), the colours of device states and
 * alarm levels on maps and chips, and the pure list work of the live screens — applying pushed device and alarm
 * events, filtering, the chart series of a device's aggregates, the credentials CSV. Leaflet/ECharts-free, tested.
 */
import {
  ALARM_LEVEL_IDS,
  ALARM_LEVEL_NAMES,
  ALARM_STATUS_NAMES,
  DEAD_LETTER_REASON_NAMES,
  DEVICE_DOMAIN_NAMES,
  DEVICE_KIND_IDS,
  DEVICE_KINDS,
  DeviceDomain,
  metricSpec,
  type AlarmLevel,
  type AlarmRuleType,
  type AlarmStatus,
  type AlarmView,
  type DeadLetterReason,
  type DeviceCredentialsView,
  type DeviceKind,
  type DeviceLiveEvent,
  type DeviceView,
  type ReadingValue,
  type TelemetryAggregate,
} from '../../../contracts';
import { localized, t } from '../i18n';
import type { MapMarker } from './geo';

export const DOMAINS: readonly DeviceDomain[] = DeviceDomain.options;
export const KINDS: readonly DeviceKind[] = DEVICE_KIND_IDS;
export const LEVELS: readonly AlarmLevel[] = ALARM_LEVEL_IDS;
export const ALARM_STATUSES: readonly AlarmStatus[] = ['raised', 'acknowledged', 'disposed', 'cleared'];

export const domainName = (domain: DeviceDomain): string => localized(DEVICE_DOMAIN_NAMES[domain]);
export const deviceKindName = (kind: DeviceKind): string => localized(DEVICE_KINDS[kind].name);
export const levelName = (level: AlarmLevel): string => localized(ALARM_LEVEL_NAMES[level]);
export const alarmStatusName = (status: AlarmStatus): string => localized(ALARM_STATUS_NAMES[status]);
export const reasonName = (reason: DeadLetterReason): string => localized(DEAD_LETTER_REASON_NAMES[reason]);
export const ruleTypeName = (type: AlarmRuleType): string => t(`mon.ruleType.${type}`);

/** The kinds of each domain, in catalogue order (for a grouped kind picker). */
export const KINDS_BY_DOMAIN: readonly { domain: DeviceDomain; kinds: DeviceKind[] }[] = DOMAINS.map((domain) => ({
  domain,
  kinds: KINDS.filter((k) => DEVICE_KINDS[k].domain === domain),
})).filter((g) => g.kinds.length > 0);

/** 预警 colours: blue, yellow, orange, red (GB/T 29639 style), the same on chips and map markers. */
export const ALARM_LEVEL_COLORS: Readonly<Record<AlarmLevel, string>> = {
  blue: '#1d6fd6',
  yellow: '#e0b000',
  orange: '#ef7d00',
  red: '#d92d20',
};

/** What a device marker shows: its highest open alarm, else whether it reports. */
export type DeviceState = 'alarm' | 'online' | 'offline' | 'unknown' | 'decommissioned';

export const DEVICE_STATE_COLORS: Readonly<Record<Exclude<DeviceState, 'alarm'>, string>> = {
  online: '#1e9e57',
  offline: '#8a96a3',
  unknown: '#c3cad3',
  decommissioned: '#5b6b7c',
};

export function deviceState(device: Pick<DeviceView, 'status' | 'live'>): DeviceState {
  if (device.status === 'decommissioned') return 'decommissioned';
  if (!device.live) return 'unknown';
  if (device.live.alarmLevel) return 'alarm';
  return device.live.online ? 'online' : 'offline';
}

export function deviceColor(device: Pick<DeviceView, 'status' | 'live'>): string {
  const state = deviceState(device);
  return state === 'alarm' && device.live?.alarmLevel ? ALARM_LEVEL_COLORS[device.live.alarmLevel] : DEVICE_STATE_COLORS[state === 'alarm' ? 'online' : state];
}

export const deviceStateName = (state: DeviceState): string => t(`mon.state.${state}`);

// ---------------------------------------------------------------------------------------------------------
// Readings

/** The name of a metric of a kind, or the metric itself when the catalogue does not know it. */
export function metricName(kind: DeviceKind, metric: string): string {
  const spec = metricSpec(kind, metric);
  return spec ? localized(spec.name) : metric;
}

export function metricUnit(kind: DeviceKind, metric: string): string {
  const spec = metricSpec(kind, metric);
  return spec?.type === 'number' ? spec.unit : '';
}

/** A number with at most three decimals, no trailing zeros. */
export const formatNumber = (value: number): string => String(Math.round(value * 1000) / 1000);

/** `1.25 m`, `是`/`否` for states. */
export function formatReading(kind: DeviceKind, metric: string, value: ReadingValue): string {
  if (typeof value === 'boolean') return value ? t('mon.yes') : t('mon.no');
  const unit = metricUnit(kind, metric);
  return unit ? `${formatNumber(value)} ${unit}` : formatNumber(value);
}

/** The readings of a device in the kind's metric order (unknown metrics last, by name). */
export function orderedReadings(kind: DeviceKind, readings: Readonly<Record<string, ReadingValue>>): { metric: string; value: ReadingValue }[] {
  const order = Object.keys(DEVICE_KINDS[kind].metrics);
  const rank = (m: string) => (order.includes(m) ? order.indexOf(m) : order.length);
  return Object.entries(readings)
    .map(([metric, value]) => ({ metric, value }))
    .sort((a, b) => rank(a.metric) - rank(b.metric) || a.metric.localeCompare(b.metric));
}

/** The reading an alarm recorded: minutes without a message for offline rules, else the value. */
export function alarmValueText(alarm: Pick<AlarmView, 'type' | 'value'>): string {
  if (alarm.type === 'offline' && typeof alarm.value === 'number') return t('mon.offlineFor', { n: formatNumber(alarm.value) });
  if (typeof alarm.value === 'boolean') return alarm.value ? t('mon.yes') : t('mon.no');
  return formatNumber(alarm.value);
}

// ---------------------------------------------------------------------------------------------------------
// Live lists

/** A device's new live state applied to the list (devices the list does not hold are ignored). */
export function applyDeviceEvent(devices: readonly DeviceView[], event: DeviceLiveEvent): readonly DeviceView[] {
  const index = devices.findIndex((d) => d.id === event.id);
  if (index === -1) return devices;
  const next = [...devices];
  next[index] = { ...devices[index]!, live: event.live };
  return next;
}

const time = (iso: string): number => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? 0 : ms;
};

/** Newest first (by the time it was raised), then by id. */
export function sortAlarms<A extends Pick<AlarmView, 'id' | 'raisedAt'>>(alarms: readonly A[]): A[] {
  return [...alarms].sort((a, b) => time(b.raisedAt) - time(a.raisedAt) || b.id.localeCompare(a.id));
}

export interface AlarmFilter {
  /** `open` = not cleared. */
  status?: 'open' | 'all' | AlarmStatus;
  level?: AlarmLevel;
  domain?: DeviceDomain;
  /** Raised at or after (epoch ms). */
  since?: number;
}

export function alarmMatches(alarm: Pick<AlarmView, 'status' | 'level' | 'domain' | 'raisedAt'>, filter: AlarmFilter): boolean {
  const status = filter.status ?? 'open';
  if (status === 'open' ? alarm.status === 'cleared' : status !== 'all' && alarm.status !== status) return false;
  if (filter.level && alarm.level !== filter.level) return false;
  if (filter.domain && alarm.domain !== filter.domain) return false;
  if (filter.since !== undefined && time(alarm.raisedAt) < filter.since) return false;
  return true;
}

/**
 * A pushed (or just returned) alarm merged into a list: replaced by id, dropped when it no longer matches
 * `keep` (cleared on an open list), added when new. An older copy (shorter history) never replaces a newer one.
 */
export function upsertAlarm(alarms: readonly AlarmView[], alarm: AlarmView, keep: (a: AlarmView) => boolean = () => true): AlarmView[] {
  const existing = alarms.find((a) => a.id === alarm.id);
  if (existing && existing.history.length > alarm.history.length) return [...alarms];
  const rest = alarms.filter((a) => a.id !== alarm.id);
  return sortAlarms(keep(alarm) ? [...rest, alarm] : rest);
}

/** Alarm time windows of the filter bar. */
export const TIME_WINDOWS = ['1h', '6h', '24h', '7d', 'all'] as const;
export type TimeWindow = (typeof TIME_WINDOWS)[number];
const WINDOW_MS: Readonly<Record<Exclude<TimeWindow, 'all'>, number>> = { '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': 24 * 3_600_000, '7d': 7 * 24 * 3_600_000 };

/** The start of a window (epoch ms), undefined for all. */
export const windowStart = (window: TimeWindow, now: number): number | undefined => (window === 'all' ? undefined : now - WINDOW_MS[window]);

/** Markers of active devices, coloured by state; an orange or red alarm draws larger. Each opens the device. */
export function deviceMarkers(devices: readonly DeviceView[], label: (d: DeviceView) => string): MapMarker[] {
  return devices
    .filter((d) => d.status === 'active')
    .map((d) => ({
      id: d.id,
      lng: d.location.lng,
      lat: d.location.lat,
      color: deviceColor(d),
      label: label(d),
      href: `/monitoring/devices/${encodeURIComponent(d.id)}`,
      emphasis: d.live?.alarmLevel === 'orange' || d.live?.alarmLevel === 'red',
    }));
}

// ---------------------------------------------------------------------------------------------------------
// Charts

export interface MetricPoint {
  /** Bucket start (ISO). */
  t: string;
  avg: number;
  min: number;
  max: number;
}
export interface MetricSeries {
  metric: string;
  name: string;
  unit: string;
  points: MetricPoint[];
}

/** One series per numeric metric of the buckets (the kind's metric order), oldest bucket first: avg with min–max. */
export function metricSeries(kind: DeviceKind, aggregates: readonly TelemetryAggregate[]): MetricSeries[] {
  const sorted = [...aggregates].sort((a, b) => time(a.bucketStart) - time(b.bucketStart));
  const byMetric = new Map<string, MetricPoint[]>();
  for (const bucket of sorted) {
    for (const [metric, agg] of Object.entries(bucket.metrics)) {
      if (agg.type !== 'number') continue;
      const points = byMetric.get(metric) ?? [];
      points.push({ t: bucket.bucketStart, avg: agg.sum / agg.count, min: agg.min, max: agg.max });
      byMetric.set(metric, points);
    }
  }
  const order = Object.keys(DEVICE_KINDS[kind].metrics);
  const rank = (m: string) => (order.includes(m) ? order.indexOf(m) : order.length);
  return [...byMetric.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([metric, points]) => ({ metric, name: metricName(kind, metric), unit: metricUnit(kind, metric), points }));
}

// ---------------------------------------------------------------------------------------------------------
// Credentials, import, dead letters

const CREDENTIAL_COLUMNS = ['deviceId', 'type', 'username', 'password', 'mqttUrl', 'thingName', 'certificateArn', 'endpoint', 'certificatePem', 'privateKey'] as const;

const csvCell = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** The credentials handed out once, as a CSV to keep (one row per device; PEM blocks stay in their quoted cells). */
export function credentialsCsv(items: readonly { deviceId: string; credentials: DeviceCredentialsView }[]): string {
  const rows = items.map(({ deviceId, credentials }) => {
    const cells: Record<(typeof CREDENTIAL_COLUMNS)[number], string> =
      credentials.type === 'password'
        ? { deviceId, type: 'password', username: credentials.username, password: credentials.password, mqttUrl: credentials.mqttUrl ?? '', thingName: '', certificateArn: '', endpoint: '', certificatePem: '', privateKey: '' }
        : {
            deviceId,
            type: 'x509',
            username: '',
            password: '',
            mqttUrl: '',
            thingName: credentials.thingName,
            certificateArn: credentials.certificateArn,
            endpoint: credentials.endpoint ?? '',
            certificatePem: credentials.certificatePem,
            privateKey: credentials.privateKey,
          };
    return CREDENTIAL_COLUMNS.map((c) => csvCell(cells[c])).join(',');
  });
  return `${[CREDENTIAL_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}

/** CSV or GeoJSON, from the file name when there is one, else from the content. */
export function detectImportFormat(name: string | undefined, content: string): 'csv' | 'geojson' {
  const lower = (name ?? '').toLowerCase();
  if (lower.endsWith('.geojson') || lower.endsWith('.json')) return 'geojson';
  if (lower.endsWith('.csv')) return 'csv';
  return content.trimStart().startsWith('{') ? 'geojson' : 'csv';
}

/** A dead letter's payload preview: the text when it is text, else hex bytes. */
export function payloadPreview(base64: string, maxChars = 400): { text: string; binary: boolean } {
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  } catch {
    return { text: base64.slice(0, maxChars), binary: true };
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const binary = text.includes('\uFFFD') || /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text);
  if (binary) return { text: [...bytes.slice(0, Math.floor(maxChars / 3))].map((b) => b.toString(16).padStart(2, '0')).join(' '), binary: true };
  return { text: text.length > maxChars ? `${text.slice(0, maxChars)}…` : text, binary: false };
}

/** `512 B`, `3.2 KB`. */
export const formatBytes = (n: number): string => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${formatNumber(Math.round((n / 1024) * 10) / 10)} KB` : `${formatNumber(Math.round((n / 1024 / 1024) * 10) / 10)} MB`);
