/**
 * The device simulator's readings against the real contracts and the real alarm engine: every message is valid
 * telemetry, normal weather raises no alarm in either tenant (rate rules included, at many messages a second),
 * a rainstorm drives drainage gauges to red and back, an opened cover raises the alarm that opens a case. Also
 * the device plan (ids, kinds, positions inside the tenant's grids) and the command line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { describe, expect, it } from 'vitest';
import { effectiveRules, TenantAlarmRules, type AlarmEvent } from '../../contracts/src/alarms';
import { DEVICE_KIND_IDS, DeviceImportRow, parseTelemetry, type DeviceKind, type DeviceState, type TelemetryMessage } from '../../contracts/src/devices';
import { foldTelemetry } from '../../functions/src/monitoring/engine';
import { beijingIso, districtsOf, importCsv, loadGrids, parseArgs, planDevices, readingsFor, signalShape, stormShape, type Conditions } from './simulate';

const ROOT = path.resolve(import.meta.dirname, '../..');
const rulesOf = (tenant: string) => TenantAlarmRules.parse(JSON.parse(readFileSync(path.join(ROOT, `tenants/${tenant}/alarm-rules.json`), 'utf8')));

/** Beijing wall-clock time on a summer day, as epoch ms. */
const beijing = (hour: number) => Date.UTC(2026, 6, 1, hour - 8, 0, 0);

/** Runs a device's readings through parseTelemetry and the alarm engine; returns the alarm events. */
function simulate(tenant: string, kind: DeviceKind, id: string, fromMs: number, seconds: number, stepMs: number, conditions: (ms: number) => Conditions = () => ({ rain: 0 })) {
  const rules = effectiveRules(rulesOf(tenant), { id, kind });
  const shape = signalShape(id);
  let state: DeviceState | undefined;
  const events: AlarmEvent[] = [];
  let batch: TelemetryMessage[] = [];
  let seq = fromMs;
  const flush = (at: number) => {
    const r = foldTelemetry(state, { tenant, id, kind }, batch, rules, { bucketSeconds: 300, receivedAt: new Date(at).toISOString() });
    state = r.state;
    events.push(...r.events);
    batch = [];
  };
  for (let ms = fromMs; ms < fromMs + seconds * 1000; ms += stepMs) {
    const payload = JSON.stringify({ seq: seq++, ts: beijingIso(ms), readings: readingsFor(kind, shape, ms, conditions(ms)) });
    const parsed = parseTelemetry(kind, payload);
    if (!parsed.ok) throw new Error(`${kind} at ${beijingIso(ms)}: ${parsed.reason} ${parsed.detail} in ${payload}`);
    batch.push(parsed.message);
    if (batch.length >= 200) flush(ms);
  }
  if (batch.length) flush(fromMs + seconds * 1000);
  return events;
}

describe('readings', () => {
  it.each(['430100', '430181'])('are valid telemetry and raise no alarm in normal weather, at any time of day (%s)', (tenant) => {
    for (const kind of DEVICE_KIND_IDS) {
      for (let n = 0; n < 3; n++) {
        for (const hour of [3, 7, 12, 18.5]) {
          // 2.5 messages a second per device: what 2,000 devices at 5,000 msg/s send.
          const events = simulate(tenant, kind, `sim-${tenant}-${kind}-${n + 1}`, beijing(hour), 600, 400);
          expect(events, `${kind} #${n + 1} at ${hour}:00`).toEqual([]);
        }
      }
    }
  });

  it('stay below the rate rules even at 20 messages a second from one device', () => {
    for (const kind of ['drainage-level', 'water-pressure'] as const) {
      expect(simulate('430100', kind, `sim-430100-${kind}-7`, beijing(7), 240, 50)).toEqual([]);
    }
  });

  it('a rainstorm takes the drainage gauges of its district to red and back to normal', () => {
    const start = beijing(15);
    const rain = (ms: number) => ({ rain: stormShape((ms - start) / 1000, 180, 120, 300) * 0.85 }); // the smallest share a gauge gets
    const events = simulate('430100', 'drainage-level', 'sim-430100-drainage-level-3', start - 60_000, 60 + 180 + 120 + 300 + 600, 1000, rain);
    const high = events.filter((e) => e.ruleId === 'drainage-level-high');
    expect(high.some((e) => e.level === 'red')).toBe(true);
    expect(high.at(-1)?.type).toBe('clear');
    expect(events.some((e) => e.ruleId === 'drainage-level-rising' && e.type === 'raise')).toBe(true);
  });

  it('an opened cover raises the manhole-open alarm (which opens a case) at its first message', () => {
    const from = beijing(10);
    const events = simulate('430181', 'manhole-cover', 'sim-430181-manhole-cover-2', from, 30, 400, (ms) => ({ rain: 0, coverOpen: ms >= from + 10_000 }));
    const open = events.find((e) => e.ruleId === 'manhole-open');
    expect(open).toMatchObject({ type: 'raise', level: 'orange', at: beijingIso(from + 10_000) });
  });
});

describe('device plan', () => {
  it('spreads devices over tenants and kinds, inside the tenant grids, the same on every run', () => {
    const plan = planDevices({ tenants: ['430100', '430181'], devices: 300 });
    expect(plan).toHaveLength(300);
    expect(new Set(plan.map((d) => d.id)).size).toBe(300);
    expect(plan.filter((d) => d.tenant === '430100')).toHaveLength(150);
    expect(new Set(plan.map((d) => d.kind))).toEqual(new Set(DEVICE_KIND_IDS));
    expect(plan.filter((d) => d.kind === 'manhole-cover').length).toBeGreaterThan(plan.filter((d) => d.kind === 'pump-station').length);
    for (const d of plan) {
      const grid = loadGrids(d.tenant).find((g) => g.properties.id === d.gridId)!;
      expect(booleanPointInPolygon([d.lng, d.lat], grid as never)).toBe(true);
      expect(d.id).toBe(`sim-${d.tenant}-${d.kind}-${d.n}`);
    }
    expect(planDevices({ tenants: ['430100', '430181'], devices: 300 })).toEqual(plan);
  });

  it('writes an import CSV the API schema accepts, row by row', () => {
    const plan = planDevices({ tenants: ['430100'], devices: 20, kinds: ['manhole-cover', 'drainage-level'] });
    const [header, ...rows] = importCsv(plan).trim().split('\n');
    const columns = header!.split(',');
    expect(rows).toHaveLength(20);
    for (const row of rows) {
      const cells = Object.fromEntries(columns.map((c, i) => [c, row.split(',')[i] ?? '']));
      expect(DeviceImportRow.safeParse(cells).success).toBe(true);
    }
  });

  it('has districts: the divisions of a city, the streets of a county-level city', () => {
    expect(districtsOf('430100').map((d) => d.code)).toEqual(expect.arrayContaining(['430102', '430104']));
    expect(districtsOf('430181').every((d) => /^430181\d{3}$/.test(d.code))).toBe(true);
  });
});

describe('command line', () => {
  it('reads tenants, rates, kinds and scenarios with their start times', () => {
    const o = parseArgs(
      ['--tenant', '430100,430181', '--devices', '2000', '--rate', '500', '--duration=30', '--kinds', 'manhole-cover', '--scenario', 'rainstorm', '--at', '20', '--scenario', 'cover-open@5', '--district', '430104'],
      { CITYOPS_PORT: '3100', CITYOPS_MQTT_PORT: '1999' },
    );
    expect(o).toMatchObject({ tenants: ['430100', '430181'], devices: 2000, rate: 500, durationS: 30, kinds: ['manhole-cover'], url: 'http://localhost:3100', mqttUrl: 'mqtt://127.0.0.1:1999' });
    expect(o.scenarios).toEqual([
      { type: 'rainstorm', at: 20, district: '430104' },
      { type: 'cover-open', at: 5 },
    ]);
    expect(() => parseArgs(['--kinds', 'toaster'])).toThrow(/unknown kind/);
    expect(() => parseArgs(['--scenario', 'flood'])).toThrow(/rainstorm or cover-open/);
  });
});
