import { afterEach, describe, expect, it } from 'vitest';
import { setLang } from '../i18n';
import { aggregate, ALARM_ID, alarmView, COVER_ID, deviceView, GAUGE_ID, OTHER_ALARM_ID } from '../test/fixtures';
import {
  ALARM_LEVEL_COLORS,
  alarmMatches,
  alarmValueText,
  applyDeviceEvent,
  credentialsCsv,
  DEVICE_STATE_COLORS,
  deviceColor,
  deviceMarkers,
  deviceState,
  detectImportFormat,
  formatBytes,
  formatReading,
  KINDS_BY_DOMAIN,
  metricSeries,
  orderedReadings,
  payloadPreview,
  sortAlarms,
  upsertAlarm,
  windowStart,
} from './monitoring';

describe('monitoring helpers', () => {
  afterEach(() => setLang('zh-CN'));

  it('a device is coloured by its worst open alarm, else by whether it reports', () => {
    const live = deviceView().live!;
    expect(deviceState(deviceView())).toBe('online');
    expect(deviceColor(deviceView())).toBe(DEVICE_STATE_COLORS.online);
    expect(deviceState(deviceView({ live: { ...live, online: false } }))).toBe('offline');
    expect(deviceState(deviceView({ live: null }))).toBe('unknown');
    expect(deviceColor(deviceView({ live: { ...live, alarmLevel: 'red' } }))).toBe(ALARM_LEVEL_COLORS.red);
    expect(deviceState(deviceView({ status: 'decommissioned' }))).toBe('decommissioned');
  });

  it('markers leave decommissioned devices out, link to the device and enlarge orange and red alarms', () => {
    const live = deviceView().live!;
    const markers = deviceMarkers(
      [deviceView({ live: { ...live, alarmLevel: 'orange' } }), deviceView({ id: GAUGE_ID }), deviceView({ id: 'OLD-1', status: 'decommissioned' })],
      (d) => d.name,
    );
    expect(markers.map((m) => [m.id, m.href, m.emphasis])).toEqual([
      [COVER_ID, `/monitoring/devices/${COVER_ID}`, true],
      [GAUGE_ID, `/monitoring/devices/${GAUGE_ID}`, false],
    ]);
  });

  it('a device event replaces the live state of that device only', () => {
    const list = [deviceView(), deviceView({ id: GAUGE_ID })];
    const live = { ...deviceView().live!, online: false };
    const next = applyDeviceEvent(list, { id: GAUGE_ID, live });
    expect(next[1]!.live).toEqual(live);
    expect(next[0]).toBe(list[0]);
    expect(applyDeviceEvent(list, { id: 'NOT-MINE', live })).toBe(list);
  });

  it('alarms: newest first; an update replaces, a cleared one leaves an open list, an older copy never wins', () => {
    const older = alarmView({ id: ALARM_ID, raisedAt: '2025-11-24T05:00:00.000Z' });
    const newer = alarmView({ id: OTHER_ALARM_ID, raisedAt: '2025-11-24T05:30:00+08:00' });
    expect(sortAlarms([older, newer]).map((a) => a.id)).toEqual([ALARM_ID, OTHER_ALARM_ID]); // 05:30+08 is 21:30Z the day before
    const open = (a: typeof older) => alarmMatches(a, { status: 'open' });
    const acknowledged = alarmView({ status: 'acknowledged', history: [...older.history, { at: '2025-11-24T05:01:00.000Z', action: 'acknowledged', actor: 'x' }] });
    expect(upsertAlarm([older], acknowledged, open)).toEqual([acknowledged]);
    expect(upsertAlarm([acknowledged], older, open)).toEqual([acknowledged]);
    expect(upsertAlarm([older], alarmView({ status: 'cleared', history: [...acknowledged.history, { at: '2025-11-24T05:02:00.000Z', action: 'cleared', actor: 'system' }] }), open)).toEqual([]);
  });

  it('alarm filters: status (open = not cleared), level, domain, since', () => {
    const a = alarmView();
    expect(alarmMatches(a, { status: 'open' })).toBe(true);
    expect(alarmMatches({ ...a, status: 'cleared' }, { status: 'open' })).toBe(false);
    expect(alarmMatches({ ...a, status: 'cleared' }, { status: 'all' })).toBe(true);
    expect(alarmMatches(a, { status: 'acknowledged' })).toBe(false);
    expect(alarmMatches(a, { level: 'red' })).toBe(false);
    expect(alarmMatches(a, { domain: 'manhole', level: 'orange' })).toBe(true);
    expect(alarmMatches(a, { since: Date.parse(a.raisedAt) + 1 })).toBe(false);
    expect(windowStart('1h', 10_000_000)).toBe(10_000_000 - 3_600_000);
    expect(windowStart('all', 10_000_000)).toBeUndefined();
  });

  it('readings and alarm values read with names and units in both languages', () => {
    expect(formatReading('manhole-cover', 'waterLevelM', 0.4215)).toBe('0.422 m');
    expect(formatReading('manhole-cover', 'open', true)).toBe('是');
    expect(orderedReadings('manhole-cover', { waterLevelM: 1, zzz: 2, open: false }).map((r) => r.metric)).toEqual(['open', 'waterLevelM', 'zzz']);
    expect(alarmValueText(alarmView({ type: 'offline', value: 30 }))).toBe('离线 30 分钟');
    setLang('en');
    expect(formatReading('manhole-cover', 'open', false)).toBe('No');
    expect(alarmValueText(alarmView({ type: 'offline', value: 30 }))).toBe('Offline for 30 min');
  });

  it('kinds are grouped by domain for the picker', () => {
    expect(KINDS_BY_DOMAIN.find((g) => g.domain === 'drainage')?.kinds).toEqual(['drainage-level', 'drainage-flow', 'pump-station']);
  });

  it('chart series: numeric metrics only, oldest bucket first, average with min and max', () => {
    const series = metricSeries('manhole-cover', [
      aggregate('2025-11-24T05:00:00.000Z', { min: 0.5, max: 0.9, sum: 1.4, count: 2 }),
      aggregate('2025-11-24T04:00:00.000Z', { min: 0.2, max: 0.4, sum: 0.9, count: 3 }),
    ]);
    expect(series).toEqual([
      {
        metric: 'waterLevelM',
        name: '井内水位',
        unit: 'm',
        points: [
          { t: '2025-11-24T04:00:00.000Z', avg: 0.3, min: 0.2, max: 0.4 },
          { t: '2025-11-24T05:00:00.000Z', avg: 0.7, min: 0.5, max: 0.9 },
        ],
      },
    ]);
  });

  it('the credentials CSV has one row per device and quotes multi-line PEM blocks', () => {
    const csv = credentialsCsv([
      { deviceId: COVER_ID, credentials: { type: 'password', username: `430100/${COVER_ID}`, password: 'p,w"1', mqttUrl: 'mqtt://localhost:1883' } },
      { deviceId: GAUGE_ID, credentials: { type: 'x509', thingName: 't', certificateArn: 'arn:x', certificatePem: '-----BEGIN-----\nAAA\n-----END-----', privateKey: 'k' } },
    ]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('deviceId,type,username,password,mqttUrl,thingName,certificateArn,endpoint,certificatePem,privateKey');
    expect(lines[1]).toBe(`${COVER_ID},password,430100/${COVER_ID},"p,w""1",mqtt://localhost:1883,,,,,`);
    expect(lines[2]).toBe(`${GAUGE_ID},x509,,,,t,arn:x,,"-----BEGIN-----\nAAA\n-----END-----",k`);
  });

  it('import format from the file name, else from the content', () => {
    expect(detectImportFormat('devices.geojson', 'id,kind')).toBe('geojson');
    expect(detectImportFormat('devices.CSV', '{')).toBe('csv');
    expect(detectImportFormat(undefined, '  {"type":"FeatureCollection"}')).toBe('geojson');
    expect(detectImportFormat(undefined, 'id,kind,name')).toBe('csv');
  });

  it('dead-letter payloads preview as text, binary as hex', () => {
    expect(payloadPreview(btoa('{"seq":1}'))).toEqual({ text: '{"seq":1}', binary: false });
    expect(payloadPreview(btoa(String.fromCharCode(0, 1, 255)))).toEqual({ text: '00 01 ff', binary: true });
    expect(formatBytes(68)).toBe('68 B');
    expect(formatBytes(4096)).toBe('4 KB');
  });
});
