import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEAD_LETTER_REASON_NAMES,
  DEVICE_KIND_IDS,
  DEVICE_KINDS,
  DeadLetterReason,
  DeviceImportRow,
  DeviceState,
  MAX_TELEMETRY_BYTES,
  parseTelemetry,
  readingsSchemaFor,
  RegisterDevice,
  TelemetryMessage,
  type DeviceKind,
  type TelemetryParseResult,
} from './devices';

const TS = '2026-07-01T08:00:00+08:00';

/** The reason of a refusal (fails the test if the payload was accepted). */
function reasonOf(r: TelemetryParseResult): DeadLetterReason {
  if (r.ok) throw new Error(`expected a refusal, got ${JSON.stringify(r.message)}`);
  return r.reason;
}

describe('ENV-3 device kinds', () => {
  it('cover every monitoring domain, each metric with zh/en names and numbers with a unit and a range', () => {
    const domains = new Set(Object.values(DEVICE_KINDS).map((k) => k.domain));
    expect([...domains].sort()).toEqual(['bridge', 'drainage', 'gas', 'heat', 'manhole', 'toilet', 'water']);
    for (const kind of DEVICE_KIND_IDS) {
      const spec = DEVICE_KINDS[kind];
      expect(spec.name.zh.length, kind).toBeGreaterThan(0);
      for (const [metric, m] of Object.entries(spec.metrics)) {
        expect(m.name.en.length, `${kind}.${metric}`).toBeGreaterThan(0);
        if (m.type === 'number') expect(m.min, `${kind}.${metric}`).toBeLessThan(m.max);
      }
    }
  });

  it('MUN-3 a manhole cover reports opening, tilt, displacement, methane and water level', () => {
    expect(Object.keys(DEVICE_KINDS['manhole-cover'].metrics).sort()).toEqual(['displacementMm', 'methaneLel', 'open', 'tiltDeg', 'waterLevelM']);
  });
});

describe('MON-1 telemetry parsing', () => {
  it('accepts a drainage level reading as JSON text', () => {
    // Prepare
    const payload = JSON.stringify({ seq: 41, ts: TS, readings: { levelM: 0.82 } });
    // Act
    const r = parseTelemetry('drainage-level', payload);
    // Assess
    expect(r).toEqual({ ok: true, message: { seq: 41, ts: TS, readings: { levelM: 0.82 } } });
  });

  it('accepts bytes and already decoded objects alike', () => {
    const msg = { seq: 1, ts: '2026-07-01T00:00:00Z', readings: { open: true, tiltDeg: 2.5 } };
    expect(parseTelemetry('manhole-cover', new TextEncoder().encode(JSON.stringify(msg))).ok).toBe(true);
    expect(parseTelemetry('manhole-cover', msg).ok).toBe(true);
  });

  it('accepts a heartbeat with no readings', () => {
    expect(parseTelemetry('gas-leak', { seq: 7, ts: TS, readings: {} }).ok).toBe(true);
  });

  it('refuses text that is not JSON as MALFORMED_JSON', () => {
    expect(reasonOf(parseTelemetry('drainage-level', '{"seq": 1,'))).toBe('MALFORMED_JSON');
  });

  it('refuses bytes that are not UTF-8 as MALFORMED_JSON', () => {
    expect(reasonOf(parseTelemetry('drainage-level', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])))).toBe('MALFORMED_JSON');
  });

  it(`refuses more than ${MAX_TELEMETRY_BYTES} bytes as PAYLOAD_TOO_LARGE, counting UTF-8 bytes`, () => {
    // 1400 three-byte characters: under the limit in UTF-16 units, over it in bytes.
    const big = JSON.stringify({ seq: 1, ts: TS, readings: {}, pad: '井'.repeat(1400) });
    expect(big.length).toBeLessThan(MAX_TELEMETRY_BYTES);
    expect(reasonOf(parseTelemetry('drainage-level', big))).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a message without seq, with a local time without offset, or with extra fields as INVALID_MESSAGE', () => {
    expect(reasonOf(parseTelemetry('drainage-level', { ts: TS, readings: { levelM: 1 } }))).toBe('INVALID_MESSAGE');
    expect(reasonOf(parseTelemetry('drainage-level', { seq: 1, ts: '2026-07-01T08:00:00', readings: {} }))).toBe('INVALID_MESSAGE');
    expect(reasonOf(parseTelemetry('drainage-level', { seq: 1, ts: TS, readings: {}, battery: 80 }))).toBe('INVALID_MESSAGE');
    expect(reasonOf(parseTelemetry('drainage-level', { seq: -1, ts: TS, readings: {} }))).toBe('INVALID_MESSAGE');
  });

  it('refuses a metric the kind does not have as UNKNOWN_METRIC and names it', () => {
    const r = parseTelemetry('drainage-level', { seq: 1, ts: TS, readings: { levelM: 1, pressureMPa: 0.3 } });
    expect(r).toMatchObject({ ok: false, reason: 'UNKNOWN_METRIC', metric: 'pressureMPa' });
  });

  it('refuses a string for a number, a number for a boolean and a fraction of a pump as WRONG_TYPE', () => {
    expect(reasonOf(parseTelemetry('drainage-level', { seq: 1, ts: TS, readings: { levelM: '0.8' } }))).toBe('WRONG_TYPE');
    expect(reasonOf(parseTelemetry('manhole-cover', { seq: 1, ts: TS, readings: { open: 1 } }))).toBe('WRONG_TYPE');
    expect(reasonOf(parseTelemetry('pump-station', { seq: 1, ts: TS, readings: { pumpsRunning: 2.5 } }))).toBe('WRONG_TYPE');
  });

  it('refuses a pH of 15 and a negative water level as OUT_OF_RANGE', () => {
    expect(parseTelemetry('water-quality', { seq: 1, ts: TS, readings: { ph: 15 } })).toMatchObject({ ok: false, reason: 'OUT_OF_RANGE', metric: 'ph' });
    expect(reasonOf(parseTelemetry('drainage-level', { seq: 1, ts: TS, readings: { levelM: -0.2 } }))).toBe('OUT_OF_RANGE');
  });

  it('prefers UNKNOWN_METRIC over OUT_OF_RANGE when both are wrong', () => {
    expect(reasonOf(parseTelemetry('water-quality', { seq: 1, ts: TS, readings: { ph: 15, colour: 3 } }))).toBe('UNKNOWN_METRIC');
  });

  it('labels every dead-letter reason in Chinese and English', () => {
    for (const reason of DeadLetterReason.options) expect(DEAD_LETTER_REASON_NAMES[reason].zh.length).toBeGreaterThan(0);
  });

  it('never throws, whatever the payload (property)', () => {
    const kind = fc.constantFrom<DeviceKind>(...DEVICE_KIND_IDS);
    const near = fc.record(
      { seq: fc.oneof(fc.nat(), fc.integer(), fc.double(), fc.string()), ts: fc.oneof(fc.constant(TS), fc.string()), readings: fc.dictionary(fc.string(), fc.jsonValue()) },
      { requiredKeys: [] },
    );
    const payload = fc.oneof(fc.anything(), fc.jsonValue(), fc.string(), fc.json(), fc.uint8Array(), near, near.map((v) => JSON.stringify(v)));
    fc.assert(
      fc.property(kind, payload, (k, p) => {
        const r = parseTelemetry(k, p);
        expect(typeof r.ok).toBe('boolean');
        if (r.ok) expect(TelemetryMessage.safeParse(r.message).success).toBe(true);
        else expect(DeadLetterReason.options).toContain(r.reason);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts every in-range reading of every kind (property)', () => {
    for (const kind of DEVICE_KIND_IDS) {
      const arbs = Object.fromEntries(
        Object.entries(DEVICE_KINDS[kind].metrics).map(([metric, m]) => [
          metric,
          m.type === 'boolean' ? fc.boolean() : m.integer ? fc.integer({ min: m.min, max: m.max }) : fc.double({ min: m.min, max: m.max, noNaN: true }),
        ]),
      );
      fc.assert(
        fc.property(fc.record(arbs, { requiredKeys: [] }), fc.nat(), (readings, seq) => {
          expect(parseTelemetry(kind, JSON.stringify({ seq, ts: TS, readings })).ok).toBe(true);
        }),
        { numRuns: 100 },
      );
    }
  });

  it('gives one readings schema per kind', () => {
    expect(readingsSchemaFor('bridge-strain')).toBe(readingsSchemaFor('bridge-strain'));
  });
});

describe('MUN-3 device registration', () => {
  it('turns a CSV row into a registration body, empty cells into absent values', () => {
    const row = { id: 'CS-MH-000001', kind: 'manhole-cover', name: '五一大道雨水井', lng: '112.9823', lat: '28.1942', componentId: '43010201003000001', address: '', ownerDepartment: ' ' };
    const body = DeviceImportRow.parse(row);
    expect(body).toEqual({ id: 'CS-MH-000001', kind: 'manhole-cover', name: '五一大道雨水井', location: { lng: 112.9823, lat: 28.1942 }, componentId: '43010201003000001' });
    expect(RegisterDevice.parse(body)).toEqual(body);
  });

  it('names the CSV column at fault', () => {
    const r = DeviceImportRow.safeParse({ id: 'CS-MH-000002', kind: 'manhole', name: '井', lng: '', lat: '28.19' });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path[0]).sort()).toEqual(['kind', 'lng']);
  });

  it('refuses a device state with a bucket metric that counted nothing', () => {
    const state = {
      tenant: '430100', deviceId: 'CS-DL-000001', kind: 'drainage-level', lastSeq: 3, lastTs: TS, receivedAt: '2026-07-01T00:00:01Z',
      readings: { levelM: 0.5 }, online: true, rules: {},
      bucket: { bucketStart: '2026-07-01T00:00:00Z', bucketSeconds: 300, metrics: { levelM: { type: 'number', count: 0, sum: 0, min: 0, max: 0 } } },
    };
    expect(DeviceState.safeParse(state).success).toBe(false);
    state.bucket.metrics.levelM.count = 1;
    expect(DeviceState.safeParse(state).success).toBe(true);
  });
});
