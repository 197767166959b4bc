import { describe, expect, it } from 'vitest';
import { AlarmRule, effectiveRules, TenantAlarmRules, type AlarmRuleInput } from '../../../contracts/src/alarms';
import type { DeviceState, ReadingValue, TelemetryMessage } from '../../../contracts/src/devices';
import { closeDueBucket, foldTelemetry, offlineCheck, type FoldOptions, type MonitoredDevice } from './engine';

// ---------------------------------------------------------------------------------------------------------
// Fixtures: a drainage level gauge in 长沙 and the rules of its kind

const GAUGE: MonitoredDevice = { tenant: '430100', id: 'CS-DL-000001', kind: 'drainage-level' };
const COVER: MonitoredDevice = { tenant: '430100', id: 'CS-MH-000001', kind: 'manhole-cover' };

/** Beijing time on 2026-07-01 as the device writes it: bj('08:02:00'). */
const bj = (hms: string): string => `2026-07-01T${hms}+08:00`;
/** The same instant in UTC, as the platform stamps receipt. */
const utc = (hms: string): string => new Date(bj(hms)).toISOString();

const msg = (seq: number, hms: string, readings: Record<string, ReadingValue>): TelemetryMessage => ({ seq, ts: bj(hms), readings });
const opts = (receivedHms = '09:00:00', bucketSeconds = 300): FoldOptions => ({ bucketSeconds, receivedAt: utc(receivedHms) });

const rule = (input: AlarmRuleInput): AlarmRule => AlarmRule.parse(input);
const base = { caseTypeCode: '01003', name: { zh: '排水管网液位超限', en: 'High drainage water level' } } as const;

/** Drainage level above 0.8 m for 120 s is yellow, above 1.2 m for 60 s orange, above 1.5 m at once red. */
const LEVEL_HIGH_INPUT = {
  ...base,
  id: 'drainage-level-high',
  kind: 'drainage-level',
  type: 'threshold',
  metric: 'levelM',
  levels: [
    { level: 'yellow', above: 0.8, forSeconds: 120 },
    { level: 'orange', above: 1.2, forSeconds: 60 },
    { level: 'red', above: 1.5, forSeconds: 0 },
  ],
  opensCaseFrom: 'orange',
} satisfies AlarmRuleInput;
const LEVEL_HIGH = rule(LEVEL_HIGH_INPUT);
const RISING = rule({ ...base, id: 'drainage-level-rising', kind: 'drainage-level', type: 'rate', metric: 'levelM', level: 'yellow', rate: { perMinuteAbove: 0.1, direction: 'rise' }, opensCaseFrom: null });
const GAUGE_OFFLINE = rule({ ...base, id: 'drainage-level-offline', kind: 'drainage-level', type: 'offline', level: 'blue', offlineMinutes: 30, opensCaseFrom: null });
const COVER_OPEN = rule({ ...base, id: 'manhole-open', kind: 'manhole-cover', type: 'state', metric: 'open', level: 'orange', opensCaseFrom: 'orange' });

/** Readings of the gauge every `stepSeconds` from 08:00:00, seq from `firstSeq`. */
function series(levels: number[], stepSeconds = 60, firstSeq = 1): TelemetryMessage[] {
  return levels.map((levelM, i) => {
    const t = new Date(Date.parse(bj('08:00:00')) + i * stepSeconds * 1000);
    const hms = new Date(t.getTime() + 8 * 3600_000).toISOString().slice(11, 19);
    return msg(firstSeq + i, hms, { levelM });
  });
}

// ---------------------------------------------------------------------------------------------------------

describe('MON-3 alarms: threshold held for a duration', () => {
  it('raises yellow only once the level has stayed above 0.8 m for 120 s of device time', () => {
    // Prepare: 0.85 m at 08:00, 08:01 and 08:02
    const messages = series([0.85, 0.85, 0.85]);
    // Act
    const r = foldTelemetry(undefined, GAUGE, messages, [LEVEL_HIGH], opts());
    // Assess
    expect(r.events).toEqual([{ type: 'raise', ruleId: 'drainage-level-high', level: 'yellow', value: 0.85, at: bj('08:02:00') }]);
  });

  it('does not raise when the batch arrives late but the condition held only 60 s on the device clock', () => {
    const r = foldTelemetry(undefined, GAUGE, series([0.85, 0.85]), [LEVEL_HIGH], opts('10:00:00'));
    expect(r.events).toEqual([]);
    expect(r.state?.rules['drainage-level-high']).toMatchObject({ level: null, holdingSince: { yellow: bj('08:00:00') } });
  });

  it('starts the duration again after a reading back below the threshold', () => {
    const r = foldTelemetry(undefined, GAUGE, series([0.85, 0.7, 0.85, 0.85]), [LEVEL_HIGH], opts());
    expect(r.events).toEqual([]);
  });

  it('raises red at once when the level jumps above 1.5 m (forSeconds 0)', () => {
    const r = foldTelemetry(undefined, GAUGE, series([1.62]), [LEVEL_HIGH], opts());
    expect(r.events).toEqual([{ type: 'raise', ruleId: 'drainage-level-high', level: 'red', value: 1.62, at: bj('08:00:00') }]);
  });
});

describe('MON-3 alarms: one event per transition', () => {
  it('a herd of 720 readings above the threshold (one hour every 5 s) raises once', () => {
    const r = foldTelemetry(undefined, GAUGE, series(Array.from({ length: 720 }, () => 0.95), 5), [LEVEL_HIGH], opts());
    expect(r.accepted).toBe(720);
    expect(r.events.map((e) => `${e.type} ${e.level}`)).toEqual(['raise yellow']);
  });

  it('escalates a raised yellow alarm to orange once above 1.2 m for 60 s', () => {
    const r = foldTelemetry(undefined, GAUGE, series([0.9, 0.9, 0.9, 1.3, 1.3]), [LEVEL_HIGH], opts());
    expect(r.events.map((e) => [e.type, e.level, e.at])).toEqual([
      ['raise', 'yellow', bj('08:02:00')],
      ['level', 'orange', bj('08:04:00')],
    ]);
  });

  it('keeps the highest level reached while the level falls back between thresholds', () => {
    const r = foldTelemetry(undefined, GAUGE, series([1.6, 1.0, 1.0, 1.0]), [LEVEL_HIGH], opts());
    expect(r.events.map((e) => `${e.type} ${e.level}`)).toEqual(['raise red']);
    expect(r.state?.rules['drainage-level-high']?.level).toBe('red');
  });

  it('clears at the first reading back at or below 0.8 m, naming the level that was active', () => {
    const r = foldTelemetry(undefined, GAUGE, series([1.6, 0.8]), [LEVEL_HIGH], opts());
    expect(r.events[1]).toEqual({ type: 'clear', ruleId: 'drainage-level-high', level: 'red', value: 0.8, at: bj('08:01:00') });
    expect(r.state?.rules['drainage-level-high']).toEqual({ level: null });
  });

  it('with clearForSeconds 300, a reading that dips below the threshold for two minutes does not clear', () => {
    const damped = rule({ ...LEVEL_HIGH_INPUT, clearForSeconds: 300 });
    const r = foldTelemetry(undefined, GAUGE, series([1.6, 0.7, 0.7, 1.0, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7]), [damped], opts());
    expect(r.events.map((e) => [e.type, e.at])).toEqual([
      ['raise', bj('08:00:00')],
      ['clear', bj('08:09:00')],
    ]);
  });
});

describe('MON-3 alarms: retries and redelivery', () => {
  it('a redelivered batch is all duplicates and changes nothing', () => {
    // Prepare
    const batch = series([0.85, 0.9, 0.95]);
    const first = foldTelemetry(undefined, GAUGE, batch, [LEVEL_HIGH], opts());
    // Act
    const again = foldTelemetry(first.state, GAUGE, batch, [LEVEL_HIGH], opts('09:05:00'));
    // Assess
    expect(again).toEqual({ state: first.state, closedBuckets: [], accepted: 0, duplicates: 3, restarts: 0, late: 0, events: [] });
  });

  it('a seq repeated inside one batch is applied once', () => {
    const r = foldTelemetry(undefined, GAUGE, [msg(5, '08:00:00', { levelM: 0.4 }), msg(5, '08:00:00', { levelM: 0.4 }), msg(6, '08:01:00', { levelM: 0.5 })], [], opts());
    expect([r.accepted, r.duplicates]).toEqual([2, 1]);
    expect(r.state?.bucket?.metrics.levelM).toEqual({ type: 'number', count: 2, sum: 0.9, min: 0.4, max: 0.5 });
  });

  it('an out-of-order batch gives the same state and events as the ordered one', () => {
    const ordered = series([0.85, 0.9, 0.95, 1.3, 1.35, 0.6]);
    const shuffled = [ordered[3]!, ordered[0]!, ordered[5]!, ordered[2]!, ordered[1]!, ordered[4]!];
    const a = foldTelemetry(undefined, GAUGE, ordered, [LEVEL_HIGH, RISING], opts());
    const b = foldTelemetry(undefined, GAUGE, shuffled, [LEVEL_HIGH, RISING], opts());
    expect(b).toEqual(a);
    expect(b.state?.lastSeq).toBe(6);
  });

  it('never changes the state it was given', () => {
    const first = foldTelemetry(undefined, GAUGE, series([0.85, 0.9]), [LEVEL_HIGH], opts());
    const snapshot = structuredClone(first.state);
    foldTelemetry(first.state, GAUGE, series([0.95, 1.6], 60, 3), [LEVEL_HIGH], opts());
    expect(first.state).toEqual(snapshot);
  });
});

describe('MON-1 aggregates: time buckets', () => {
  it('closes the 5-minute bucket when a reading of the next bucket arrives', () => {
    // Prepare: 08:00:10 and 08:03:00 fall in [08:00, 08:05); 08:05:01 opens the next bucket
    const messages = [msg(1, '08:00:10', { levelM: 0.42 }), msg(2, '08:03:00', { levelM: 0.46 }), msg(3, '08:05:01', { levelM: 0.5 })];
    // Act
    const r = foldTelemetry(undefined, GAUGE, messages, [], opts());
    // Assess
    expect(r.closedBuckets).toEqual([
      { tenant: '430100', deviceId: 'CS-DL-000001', kind: 'drainage-level', bucketStart: '2026-07-01T00:00:00.000Z', bucketSeconds: 300, metrics: { levelM: { type: 'number', count: 2, sum: 0.88, min: 0.42, max: 0.46 } } },
    ]);
    expect(r.state?.bucket).toEqual({ bucketStart: '2026-07-01T00:05:00.000Z', bucketSeconds: 300, metrics: { levelM: { type: 'number', count: 1, sum: 0.5, min: 0.5, max: 0.5 } } });
  });

  it('counts a boolean state as readings and true readings', () => {
    const r = foldTelemetry(undefined, COVER, [msg(1, '08:00:00', { open: false }), msg(2, '08:01:00', { open: true }), msg(3, '08:02:00', { open: true })], [], opts());
    expect(r.state?.bucket?.metrics.open).toEqual({ type: 'boolean', count: 3, trueCount: 2 });
  });

  it('counts a newer message stamped before the running bucket (device clock set back) as late, not aggregated', () => {
    const r = foldTelemetry(undefined, GAUGE, [msg(1, '08:06:00', { levelM: 0.5 }), msg(2, '08:01:00', { levelM: 0.9 })], [], opts());
    expect(r.late).toBe(1);
    expect(r.state?.bucket?.metrics.levelM).toMatchObject({ count: 1, max: 0.5 });
    expect(r.state?.readings.levelM).toBe(0.9);
  });

  it('closes the bucket of a device that fell silent once its period is over', () => {
    const first = foldTelemetry(undefined, GAUGE, [msg(1, '08:01:00', { levelM: 0.3 })], [], opts());
    expect(closeDueBucket(first.state!, utc('08:04:59')).closed).toBeUndefined();
    const due = closeDueBucket(first.state!, utc('08:05:00'));
    expect(due.closed).toMatchObject({ bucketStart: '2026-07-01T00:00:00.000Z', metrics: { levelM: { count: 1 } } });
    const late = foldTelemetry(due.state, GAUGE, [msg(2, '08:04:30', { levelM: 0.31 })], [], opts());
    expect([late.late, late.closedBuckets.length]).toEqual([1, 0]);
  });

  it('refuses a bucket length that does not divide a day', () => {
    expect(() => foldTelemetry(undefined, GAUGE, [], [], { bucketSeconds: 7, receivedAt: utc('08:00:00') })).toThrow(RangeError);
  });
});

describe('MUN-4 alarms: rate of change', () => {
  it('raises when the level rises faster than 0.1 m per minute and clears when it slows', () => {
    // 0.50 → 0.55 in a minute (0.05/min), → 0.75 (0.2/min), → 0.78 (0.03/min)
    const r = foldTelemetry(undefined, GAUGE, series([0.5, 0.55, 0.75, 0.78]), [RISING], opts());
    expect(r.events).toEqual([
      { type: 'raise', ruleId: 'drainage-level-rising', level: 'yellow', value: 0.2, at: bj('08:02:00') },
      { type: 'clear', ruleId: 'drainage-level-rising', level: 'yellow', value: 0.03, at: bj('08:03:00') },
    ]);
  });

  it('does not raise on a falling level when only rises are watched', () => {
    expect(foldTelemetry(undefined, GAUGE, series([1.5, 1.0]), [RISING], opts()).events).toEqual([]);
  });

  it('measures the rate across batches from the remembered previous reading', () => {
    const first = foldTelemetry(undefined, GAUGE, series([0.5]), [RISING], opts());
    const second = foldTelemetry(first.state, GAUGE, series([0.8], 60, 2).map((m) => ({ ...m, ts: bj('08:02:00') })), [RISING], opts());
    expect(second.events).toMatchObject([{ type: 'raise', value: 0.15 }]);
  });
});

describe('MUN-3 alarms: manhole cover opened (state)', () => {
  it('raises when the cover opens, once while it stays open, and clears when it closes', () => {
    const r = foldTelemetry(undefined, COVER, [msg(1, '02:10:00', { open: true }), msg(2, '02:10:30', { open: true }), msg(3, '02:25:00', { open: false })], [COVER_OPEN], opts());
    expect(r.events.map((e) => [e.type, e.level, e.value])).toEqual([
      ['raise', 'orange', true],
      ['clear', 'orange', false],
    ]);
  });
});

describe('MON-3 alarms: device offline', () => {
  const heard = (): DeviceState => foldTelemetry(undefined, GAUGE, [msg(1, '08:00:00', { levelM: 0.3 })], [GAUGE_OFFLINE], opts('08:00:00')).state!;

  it('raises once after 30 minutes without a message, however often it is checked', () => {
    const early = offlineCheck(heard(), [GAUGE_OFFLINE], utc('08:29:59'));
    expect(early.events).toEqual([]);
    const due = offlineCheck(early.state, [GAUGE_OFFLINE], utc('08:30:00'));
    expect(due.events).toEqual([{ type: 'raise', ruleId: 'drainage-level-offline', level: 'blue', value: 30, at: utc('08:30:00') }]);
    expect(due.state.online).toBe(false);
    const later = offlineCheck(offlineCheck(due.state, [GAUGE_OFFLINE], utc('08:45:00')).state, [GAUGE_OFFLINE], utc('10:00:00'));
    expect(later.events).toEqual([]);
  });

  it('clears when the device is heard again, and can go offline again after that', () => {
    const offline = offlineCheck(heard(), [GAUGE_OFFLINE], utc('08:40:00')).state;
    const back = foldTelemetry(offline, GAUGE, [msg(2, '09:00:00', { levelM: 0.3 })], [GAUGE_OFFLINE], opts('09:00:05'));
    expect(back.events).toEqual([{ type: 'clear', ruleId: 'drainage-level-offline', level: 'blue', value: 60.1, at: utc('09:00:05') }]);
    expect(back.state?.online).toBe(true);
    expect(offlineCheck(back.state!, [GAUGE_OFFLINE], utc('09:30:05')).events).toHaveLength(1);
  });

  it('a redelivered old batch does not count as hearing from the device', () => {
    const offline = offlineCheck(heard(), [GAUGE_OFFLINE], utc('08:40:00')).state;
    const redelivered = foldTelemetry(offline, GAUGE, [msg(1, '08:00:00', { levelM: 0.3 })], [GAUGE_OFFLINE], opts('09:00:00'));
    expect(redelivered.events).toEqual([]);
    expect(redelivered.state?.online).toBe(false);
  });
});

describe('MON-3 alarms: per-device overrides', () => {
  const file = TenantAlarmRules.parse({
    schemaVersion: 1,
    tenant: '430100',
    rules: [LEVEL_HIGH, GAUGE_OFFLINE],
    overrides: [
      // A deep interceptor sewer where 1.6 m is its normal dry-weather level.
      { deviceId: 'CS-DL-000002', ruleId: 'drainage-level-high', levels: [{ level: 'yellow', above: 2.5, forSeconds: 120 }, { level: 'red', above: 3.2 }] },
      { deviceId: 'CS-DL-000003', ruleId: 'drainage-level-offline', disabled: true },
    ],
  });

  it('uses the device’s own thresholds: 1.6 m is red for one gauge and normal for the deep sewer', () => {
    const deep = { ...GAUGE, id: 'CS-DL-000002' };
    const shallow = foldTelemetry(undefined, GAUGE, series([1.6]), effectiveRules(file, GAUGE), opts());
    const overridden = foldTelemetry(undefined, deep, series([1.6]), effectiveRules(file, deep), opts());
    expect(shallow.events.map((e) => e.level)).toEqual(['red']);
    expect(overridden.events).toEqual([]);
  });

  it('leaves a disabled rule out for that device only', () => {
    expect(effectiveRules(file, { id: 'CS-DL-000003', kind: 'drainage-level' }).map((r) => r.id)).toEqual(['drainage-level-high']);
    expect(effectiveRules(file, GAUGE).map((r) => r.id)).toEqual(['drainage-level-high', 'drainage-level-offline']);
  });
});

describe('MON-1 a device that restarts counts from 0 again', () => {
  it('is heard again after a restart: a lower seq with a later device time begins its new count', () => {
    // Prepare: the gauge reached seq 500 at 08:10, then rebooted
    const before = foldTelemetry(undefined, GAUGE, [msg(500, '08:10:00', { levelM: 0.3 })], [], opts());
    // Act
    const after = foldTelemetry(before.state, GAUGE, [msg(0, '08:12:00', { levelM: 0.4 }), msg(1, '08:13:00', { levelM: 0.5 })], [], opts('08:13:01'));
    // Assess
    expect(after).toMatchObject({ accepted: 2, duplicates: 0, restarts: 1 });
    expect(after.state).toMatchObject({ lastSeq: 1, readings: { levelM: 0.5 }, newestTs: bj('08:13:00') });
  });

  it('still ignores a repeat after the restart and a message overtaken by newer ones', () => {
    const before = foldTelemetry(undefined, GAUGE, [msg(500, '08:10:00', { levelM: 0.3 })], [], opts());
    const restarted = foldTelemetry(before.state, GAUGE, [msg(0, '08:12:00', { levelM: 0.4 }), msg(1, '08:13:00', { levelM: 0.5 })], [], opts());
    // The same two again (a redelivery), and the old run's seq 499 of 08:09 delivered late
    const again = foldTelemetry(restarted.state, GAUGE, [msg(0, '08:12:00', { levelM: 0.4 }), msg(1, '08:13:00', { levelM: 0.5 }), msg(499, '08:09:00', { levelM: 0.2 })], [], opts());
    expect(again).toMatchObject({ accepted: 1, duplicates: 2 });
    // seq 499 is above the new count, so it is applied (in its own, older bucket), and the restart rule keeps the
    // device audible: its next message, seq 2 at 08:14, is newer than anything applied.
    const next = foldTelemetry(again.state, GAUGE, [msg(2, '08:14:00', { levelM: 0.6 })], [], opts());
    expect(next).toMatchObject({ accepted: 1, restarts: 1 });
    expect(next.state?.readings.levelM).toBe(0.6);
  });

  it('applies a batch holding the end of the old run and the start of the new one once, and a redelivery changes nothing', () => {
    const before = foldTelemetry(undefined, GAUGE, [msg(997, '08:00:00', { levelM: 0.3 })], [], opts());
    const batch = [msg(998, '08:01:00', { levelM: 0.31 }), msg(999, '08:02:00', { levelM: 0.32 }), msg(0, '08:03:00', { levelM: 0.33 }), msg(1, '08:04:00', { levelM: 0.34 })];
    const first = foldTelemetry(before.state, GAUGE, batch, [], opts());
    const again = foldTelemetry(first.state, GAUGE, batch, [], opts());
    expect(first.accepted).toBe(4);
    expect(again).toMatchObject({ accepted: 0, duplicates: 4, state: first.state });
  });
});
