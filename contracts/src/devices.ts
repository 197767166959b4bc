/**
 * IoT devices of the monitoring domains (MUN-3 manhole covers, MUN-4 drainage, MUN-5 water/gas/heat, MON-1/MON-3
 * monitoring, ENV-3 perception): the device kinds and the metrics each one reports, the telemetry message a device
 * publishes on cityops/<tenant>/devices/<deviceId>/telemetry, the device record and its registration bodies, and the
 * state the ingest keeps per device (latest readings, the running aggregate bucket, alarm-rule memory).
 *
 * Metric ranges are PHYSICAL plausibility limits of the sensor class (a reading outside them is a broken sensor or
 * a unit mistake and is dead-lettered), not alarm thresholds: thresholds are tenant data (`alarm-rules.json`).
 *
 * Telemetry is untrusted input: `parseTelemetry` never throws and says why it refused a payload with a
 * `DeadLetterReason`, so the ingest can park it and count it by reason.
 */
import { z } from 'zod';
import { ComponentId, DepartmentRef, GridId } from './basedata';
import { GeoPoint } from './case';
import { DivisionCode } from './divisions';
import { DeviceId } from './mqtt';

/** A Chinese and English name for labels shown to people. */
const Name = z.strictObject({ zh: z.string().trim().min(1), en: z.string().trim().min(1) });
type Name = z.infer<typeof Name>;

/**
 * A moment with an explicit offset (`2026-07-01T08:00:00+08:00` or `…Z`). Devices in Hunan report Beijing time;
 * durations are computed on the instant, so both spellings compare correctly.
 */
export const Instant = z.iso.datetime({ offset: true });

// ---------------------------------------------------------------------------------------------------------
// Domains, kinds, metrics

/** Monitoring domains (城市生命线 and municipal facilities) a device kind belongs to. */
export const DeviceDomain = z.enum(['manhole', 'drainage', 'water', 'gas', 'heat', 'bridge', 'toilet']);
export type DeviceDomain = z.infer<typeof DeviceDomain>;

/** Labels of the domains. */
export const DEVICE_DOMAIN_NAMES: Readonly<Record<DeviceDomain, Name>> = Object.freeze({
  manhole: { zh: '井盖', en: 'Manhole covers' },
  drainage: { zh: '排水', en: 'Drainage' },
  water: { zh: '供水', en: 'Water supply' },
  gas: { zh: '燃气', en: 'Gas' },
  heat: { zh: '供热', en: 'Heating' },
  bridge: { zh: '桥梁', en: 'Bridges' },
  toilet: { zh: '公厕', en: 'Public toilets' },
});

/** A metric name as it appears in `readings`: lower camelCase, units in the name (levelM, pressureMPa). */
export const MetricName = z.string().regex(/^[a-z][A-Za-z0-9]{0,39}$/, { message: 'a metric name is lower camelCase, 1–40 letters or digits' });

/** What one metric of a kind reports. Numbers carry their unit and physical range; booleans are states. */
export type MetricSpec =
  | { readonly type: 'number'; readonly name: Name; readonly unit: string; readonly min: number; readonly max: number; readonly integer?: boolean }
  | { readonly type: 'boolean'; readonly name: Name };

/** A device kind: its labels, domain and the metrics it may report (any subset per message). */
export interface DeviceKindSpec {
  readonly name: Name;
  readonly domain: DeviceDomain;
  readonly metrics: Readonly<Record<string, MetricSpec>>;
}

const num = (zh: string, en: string, unit: string, min: number, max: number, integer = false): MetricSpec =>
  integer ? { type: 'number', name: { zh, en }, unit, min, max, integer } : { type: 'number', name: { zh, en }, unit, min, max };
const bool = (zh: string, en: string): MetricSpec => ({ type: 'boolean', name: { zh, en } });

/** Device kind ids. Kept as a literal list so `DeviceKind` is an enum the API and the rules files can check. */
export const DEVICE_KIND_IDS = [
  'manhole-cover',
  'drainage-level',
  'drainage-flow',
  'pump-station',
  'water-pressure',
  'water-quality',
  'gas-pressure',
  'gas-leak',
  'heat-network',
  'bridge-strain',
  'bridge-displacement',
  'bridge-vibration',
  'public-toilet',
] as const;
export const DeviceKind = z.enum(DEVICE_KIND_IDS);
export type DeviceKind = z.infer<typeof DeviceKind>;

/**
 * The catalogue of device kinds. Ranges are wide on purpose (the sensor classes sold for these uses), so a
 * real extreme (a flood, a burst main) is never refused as implausible.
 */
export const DEVICE_KINDS: Readonly<Record<DeviceKind, DeviceKindSpec>> = Object.freeze({
  'manhole-cover': {
    name: { zh: '智能井盖', en: 'Smart manhole cover' },
    domain: 'manhole',
    metrics: {
      open: bool('井盖开启', 'Cover open'),
      tiltDeg: num('倾斜角度', 'Tilt', '°', 0, 180),
      displacementMm: num('位移', 'Displacement', 'mm', 0, 5000),
      methaneLel: num('甲烷浓度', 'Methane', '%LEL', 0, 100),
      waterLevelM: num('井内水位', 'Water level in well', 'm', 0, 20),
    },
  },
  'drainage-level': {
    name: { zh: '排水液位计', en: 'Drainage level gauge' },
    domain: 'drainage',
    metrics: { levelM: num('液位', 'Water level', 'm', 0, 20) },
  },
  'drainage-flow': {
    name: { zh: '排水流量计', en: 'Drainage flow meter' },
    domain: 'drainage',
    // Negative flow is backflow (倒灌) from a high river stage, which area-velocity meters do report.
    metrics: { flowM3s: num('流量', 'Flow', 'm³/s', -100, 500), velocityMs: num('流速', 'Velocity', 'm/s', -10, 10) },
  },
  'pump-station': {
    name: { zh: '排水泵站', en: 'Drainage pump station' },
    domain: 'drainage',
    metrics: {
      running: bool('运行', 'Running'),
      fault: bool('故障', 'Fault'),
      pumpsRunning: num('运行泵数', 'Pumps running', '台', 0, 50, true),
      inflowM3h: num('进水流量', 'Inflow', 'm³/h', 0, 200_000),
      forebayLevelM: num('前池水位', 'Forebay level', 'm', 0, 30),
    },
  },
  'water-pressure': {
    name: { zh: '供水管网压力计', en: 'Water network pressure gauge' },
    domain: 'water',
    metrics: { pressureMPa: num('管网压力', 'Pressure', 'MPa', 0, 4) },
  },
  'water-quality': {
    name: { zh: '供水水质监测仪', en: 'Water quality monitor' },
    domain: 'water',
    metrics: {
      turbidityNTU: num('浊度', 'Turbidity', 'NTU', 0, 4000),
      residualChlorineMgL: num('余氯', 'Residual chlorine', 'mg/L', 0, 20),
      ph: num('pH值', 'pH', 'pH', 0, 14),
    },
  },
  'gas-pressure': {
    name: { zh: '燃气管网压力计', en: 'Gas network pressure gauge' },
    domain: 'gas',
    metrics: { pressureKPa: num('管网压力', 'Pressure', 'kPa', 0, 10_000) },
  },
  'gas-leak': {
    name: { zh: '可燃气体探测器', en: 'Gas leak detector' },
    domain: 'gas',
    metrics: { methaneLel: num('甲烷浓度', 'Methane', '%LEL', 0, 100) },
  },
  'heat-network': {
    name: { zh: '供热管网监测仪', en: 'Heat network monitor' },
    domain: 'heat',
    metrics: {
      supplyTempC: num('供水温度', 'Supply temperature', '°C', -20, 200),
      returnTempC: num('回水温度', 'Return temperature', '°C', -20, 200),
      pressureMPa: num('管网压力', 'Pressure', 'MPa', 0, 4),
    },
  },
  'bridge-strain': {
    name: { zh: '桥梁应变计', en: 'Bridge strain gauge' },
    domain: 'bridge',
    // Signed: tension positive, compression negative (vibrating-wire gauges span about ±3000 µε).
    metrics: { microstrain: num('应变', 'Strain', 'µε', -5000, 5000) },
  },
  'bridge-displacement': {
    name: { zh: '桥梁位移计', en: 'Bridge displacement sensor' },
    domain: 'bridge',
    metrics: { displacementMm: num('位移', 'Displacement', 'mm', -2000, 2000) },
  },
  'bridge-vibration': {
    name: { zh: '桥梁振动传感器', en: 'Bridge vibration sensor' },
    domain: 'bridge',
    metrics: { accelMs2: num('振动加速度', 'Acceleration', 'm/s²', 0, 100), frequencyHz: num('自振频率', 'Natural frequency', 'Hz', 0, 200) },
  },
  'public-toilet': {
    name: { zh: '智慧公厕监测', en: 'Public toilet monitor' },
    domain: 'toilet',
    metrics: {
      h2sPpm: num('硫化氢', 'Hydrogen sulphide', 'ppm', 0, 200),
      nh3Ppm: num('氨气', 'Ammonia', 'ppm', 0, 500),
      // Count since the previous message (the device's reporting interval), not a running total.
      peopleFlow: num('人流量', 'Visitors', '人次', 0, 100_000, true),
    },
  },
});

/** The spec of one metric of a kind, or undefined when the kind has no such metric. */
export function metricSpec(kind: DeviceKind, metric: string): MetricSpec | undefined {
  const metrics = DEVICE_KINDS[kind].metrics;
  return Object.hasOwn(metrics, metric) ? metrics[metric] : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Telemetry

/** Largest telemetry payload accepted (bytes of UTF-8 JSON); a real message is a few hundred bytes. */
export const MAX_TELEMETRY_BYTES = 4096;

/** A reading value: numbers for measurements, booleans for states. */
export const ReadingValue = z.union([z.number(), z.boolean()]);
export type ReadingValue = z.infer<typeof ReadingValue>;

/** Metric → value. Which metrics and ranges are allowed depends on the kind (`readingsSchemaFor`). */
export const Readings = z.record(MetricName, ReadingValue);
export type Readings = z.infer<typeof Readings>;

/**
 * What a device publishes on cityops/<tenant>/devices/<id>/telemetry. `seq` increases by device and makes
 * redelivery idempotent; `ts` is the device clock, used for durations and buckets. Empty readings are a heartbeat.
 */
export const TelemetryMessage = z.strictObject({
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  ts: Instant,
  readings: Readings,
});
export type TelemetryMessage = z.infer<typeof TelemetryMessage>;

/** Why a telemetry payload (or a message the ingest could not place) was parked in the dead-letter store. */
export const DeadLetterReason = z.enum([
  'PAYLOAD_TOO_LARGE',
  'MALFORMED_JSON',
  /** Valid JSON, but not a telemetry message (seq, ts or readings missing or wrong, extra fields). */
  'INVALID_MESSAGE',
  'UNKNOWN_METRIC',
  'WRONG_TYPE',
  'OUT_OF_RANGE',
  /** Used by the ingest: the topic names no registered device of that tenant. */
  'UNKNOWN_DEVICE',
  /** Used by the ingest: the device was decommissioned. */
  'DEVICE_DECOMMISSIONED',
]);
export type DeadLetterReason = z.infer<typeof DeadLetterReason>;

/** Labels of the dead-letter reasons for the monitoring console. */
export const DEAD_LETTER_REASON_NAMES: Readonly<Record<DeadLetterReason, Name>> = Object.freeze({
  PAYLOAD_TOO_LARGE: { zh: '报文过大', en: 'Payload too large' },
  MALFORMED_JSON: { zh: '报文不是合法 JSON', en: 'Malformed JSON' },
  INVALID_MESSAGE: { zh: '报文格式错误', en: 'Invalid message' },
  UNKNOWN_METRIC: { zh: '未知监测指标', en: 'Unknown metric' },
  WRONG_TYPE: { zh: '数值类型错误', en: 'Wrong value type' },
  OUT_OF_RANGE: { zh: '数值超出量程', en: 'Value out of range' },
  UNKNOWN_DEVICE: { zh: '未登记设备', en: 'Unknown device' },
  DEVICE_DECOMMISSIONED: { zh: '设备已停用', en: 'Device decommissioned' },
});

/** The outcome of `parseTelemetry`: the message, or the reason it was refused (and the metric, when one is to blame). */
export type TelemetryParseResult =
  | { ok: true; message: TelemetryMessage }
  | { ok: false; reason: DeadLetterReason; detail: string; metric?: string };

const readingsSchemas = new Map<DeviceKind, z.ZodType<Readings>>();

/**
 * The zod schema of the readings of one kind: only its metrics, each of its type and within its physical range
 * (integers where the metric counts things). Built once per kind.
 */
export function readingsSchemaFor(kind: DeviceKind): z.ZodType<Readings> {
  const cached = readingsSchemas.get(kind);
  if (cached) return cached;
  const spec = DEVICE_KINDS[kind];
  if (spec === undefined) throw new RangeError(`unknown device kind ${JSON.stringify(kind)}`);
  const shape: Record<string, z.ZodOptional<z.ZodType<ReadingValue>>> = {};
  for (const [metric, m] of Object.entries(spec.metrics)) {
    const base = m.type === 'boolean' ? z.boolean() : (m.integer ? z.number().int() : z.number()).min(m.min).max(m.max);
    shape[metric] = base.optional();
  }
  const schema = z.strictObject(shape) as unknown as z.ZodType<Readings>;
  readingsSchemas.set(kind, schema);
  return schema;
}

// The envelope is checked before the readings so that a reading of the wrong type is WRONG_TYPE, not INVALID_MESSAGE.
const Envelope = z.strictObject({
  seq: TelemetryMessage.shape.seq,
  ts: TelemetryMessage.shape.ts,
  readings: z.record(z.string(), z.unknown()),
});

const refuse = (reason: DeadLetterReason, detail: string, metric?: string): TelemetryParseResult =>
  metric === undefined ? { ok: false, reason, detail } : { ok: false, reason, detail, metric };

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The payload as JSON text and its size, without ever throwing. */
function payloadText(payload: unknown): { text: string } | TelemetryParseResult {
  if (typeof payload === 'string') {
    // A string longer than the limit in UTF-16 units is longer in UTF-8 bytes too: skip encoding it.
    if (payload.length > MAX_TELEMETRY_BYTES || utf8.encode(payload).length > MAX_TELEMETRY_BYTES) {
      return refuse('PAYLOAD_TOO_LARGE', `more than ${MAX_TELEMETRY_BYTES} bytes`);
    }
    return { text: payload };
  }
  if (payload instanceof Uint8Array) {
    if (payload.byteLength > MAX_TELEMETRY_BYTES) return refuse('PAYLOAD_TOO_LARGE', `${payload.byteLength} bytes, more than ${MAX_TELEMETRY_BYTES}`);
    try {
      return { text: strictUtf8.decode(payload) };
    } catch {
      return refuse('MALFORMED_JSON', 'payload is not UTF-8');
    }
  }
  // Already decoded (an IoT rule or a test hands over an object): measure it as the JSON it came from.
  let text: string | undefined;
  try {
    text = JSON.stringify(payload);
  } catch {
    return refuse('MALFORMED_JSON', 'payload cannot be represented as JSON');
  }
  if (text === undefined) return refuse('MALFORMED_JSON', 'payload is not a JSON value');
  if (text.length > MAX_TELEMETRY_BYTES || utf8.encode(text).length > MAX_TELEMETRY_BYTES) {
    return refuse('PAYLOAD_TOO_LARGE', `more than ${MAX_TELEMETRY_BYTES} bytes`);
  }
  return { text };
}

// When several readings are wrong, the most telling reason wins: a metric that should not be there at all, then
// a value of the wrong type, then a value out of range.
const READING_REASON_ORDER: readonly DeadLetterReason[] = ['UNKNOWN_METRIC', 'WRONG_TYPE', 'OUT_OF_RANGE'];

function readingsReason(issues: readonly z.core.$ZodIssue[]): { reason: DeadLetterReason; metric?: string; detail: string } {
  const classified = issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return { reason: 'UNKNOWN_METRIC' as const, metric: issue.keys[0], detail: `unknown metric(s) ${issue.keys.join(', ')}` };
    const metric = typeof issue.path[0] === 'string' ? issue.path[0] : undefined;
    if (issue.code === 'too_big' || issue.code === 'too_small') return { reason: 'OUT_OF_RANGE' as const, metric, detail: `${metric ?? 'reading'}: ${issue.message}` };
    return { reason: 'WRONG_TYPE' as const, metric, detail: `${metric ?? 'reading'}: ${issue.message}` };
  });
  classified.sort((a, b) => READING_REASON_ORDER.indexOf(a.reason) - READING_REASON_ORDER.indexOf(b.reason));
  return classified[0] ?? { reason: 'INVALID_MESSAGE', detail: 'readings rejected' };
}

/**
 * Parse one telemetry payload of a device of `kind`: a string or bytes of JSON, or an already decoded value.
 * Never throws; a refusal carries the `DeadLetterReason`, an English detail for operators and the metric at fault.
 */
export function parseTelemetry(kind: DeviceKind, payload: unknown): TelemetryParseResult {
  try {
    const got = payloadText(payload);
    if (!('text' in got)) return got;
    let json: unknown;
    try {
      json = JSON.parse(got.text);
    } catch {
      return refuse('MALFORMED_JSON', 'payload is not valid JSON');
    }
    const envelope = Envelope.safeParse(json);
    if (!envelope.success) {
      const first = envelope.error.issues[0];
      return refuse('INVALID_MESSAGE', first ? `${first.path.join('.') || 'message'}: ${first.message}` : 'not a telemetry message');
    }
    const readings = readingsSchemaFor(kind).safeParse(envelope.data.readings);
    if (!readings.success) {
      const r = readingsReason(readings.error.issues);
      return refuse(r.reason, r.detail, r.metric);
    }
    return { ok: true, message: { seq: envelope.data.seq, ts: envelope.data.ts, readings: readings.data } };
  } catch (error) {
    // Defence in depth for untrusted input: nothing above should throw, but a dead letter beats a crashed batch.
    return refuse('INVALID_MESSAGE', `unexpected: ${error instanceof Error ? error.message : String(error)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Device records

export const DeviceStatus = z.enum(['active', 'decommissioned']);
export type DeviceStatus = z.infer<typeof DeviceStatus>;

const DeviceName = z.string().trim().min(1).max(100);
const Address = z.string().trim().max(256);

/** A registered device ("one cover one number, one well one file", MUN-3): where it is and what it watches. */
export const Device = z.object({
  tenant: DivisionCode,
  id: DeviceId,
  kind: DeviceKind,
  name: DeviceName,
  location: GeoPoint,
  /** The unit grid it lies in, found from the location when registered. */
  gridId: GridId.optional(),
  /** The 管理部件 it monitors (17 digits); its type code is a better case type than the rule's default. */
  componentId: ComponentId.optional(),
  address: Address.optional(),
  /** The owner unit (权属单位) that handles its alarms: a department code of the tenant's manifest. */
  ownerDepartment: DepartmentRef.optional(),
  status: DeviceStatus,
  registeredAt: Instant,
  decommissionedAt: Instant.optional(),
});
export type Device = z.infer<typeof Device>;

/** POST body registering one device. */
export const RegisterDevice = z.object({
  id: DeviceId,
  kind: DeviceKind,
  name: DeviceName,
  location: GeoPoint,
  componentId: ComponentId.optional(),
  address: Address.optional(),
  ownerDepartment: DepartmentRef.optional(),
});
export type RegisterDevice = z.infer<typeof RegisterDevice>;

/** Columns of the device import CSV, in order. */
export const DEVICE_IMPORT_COLUMNS = ['id', 'kind', 'name', 'lng', 'lat', 'componentId', 'address', 'ownerDepartment'] as const;

// CSV cells are strings; an empty cell is an absent optional value, never a zero or an empty id.
const blankToUndefined = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const csvOptional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());
const csvNumber = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, { message: 'a decimal number in degrees' })
    .transform(Number)
    .pipe(z.number().min(min).max(max));

/**
 * One row of the device import CSV (flat columns, see DEVICE_IMPORT_COLUMNS). Issues name the column; the parsed
 * value is a `RegisterDevice` body.
 */
export const DeviceImportRow = z
  .object({
    id: z.string().trim().pipe(DeviceId),
    kind: z.string().trim().pipe(DeviceKind),
    name: DeviceName,
    lng: csvNumber(GeoPoint.shape.lng.minValue ?? 73, GeoPoint.shape.lng.maxValue ?? 136),
    lat: csvNumber(GeoPoint.shape.lat.minValue ?? 3, GeoPoint.shape.lat.maxValue ?? 54),
    componentId: csvOptional(z.string().trim().pipe(ComponentId)),
    address: csvOptional(Address),
    ownerDepartment: csvOptional(z.string().trim().pipe(DepartmentRef)),
  })
  .transform((row): RegisterDevice => ({
    id: row.id,
    kind: row.kind,
    name: row.name,
    location: { lng: row.lng, lat: row.lat },
    ...(row.componentId === undefined ? {} : { componentId: row.componentId }),
    ...(row.address === undefined ? {} : { address: row.address }),
    ...(row.ownerDepartment === undefined ? {} : { ownerDepartment: row.ownerDepartment }),
  }));
/** A CSV row as read (all cells strings). */
export type DeviceImportRow = z.input<typeof DeviceImportRow>;

// ---------------------------------------------------------------------------------------------------------
// Aggregates and per-device state

/** Running statistics of one metric in a time bucket. */
export const MetricAggregate = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('number'), count: z.number().int().min(1), sum: z.number(), min: z.number(), max: z.number() }),
  z.strictObject({ type: z.literal('boolean'), count: z.number().int().min(1), trueCount: z.number().int().min(0) }),
]);
export type MetricAggregate = z.infer<typeof MetricAggregate>;

/** The bucket being filled: readings whose device time falls in [bucketStart, bucketStart + bucketSeconds). */
export const RunningBucket = z.strictObject({
  bucketStart: z.iso.datetime(),
  bucketSeconds: z.number().int().positive(),
  metrics: z.record(MetricName, MetricAggregate),
});
export type RunningBucket = z.infer<typeof RunningBucket>;

/** A closed bucket (MON-1 statistics and charts read these instead of raw readings). */
export const TelemetryAggregate = z.strictObject({
  tenant: DivisionCode,
  deviceId: DeviceId,
  kind: DeviceKind,
  /** UTC start of the bucket; buckets are aligned to the Unix epoch (hourly and shorter ones align to Beijing time too). */
  bucketStart: z.iso.datetime(),
  bucketSeconds: z.number().int().positive(),
  metrics: z.record(MetricName, MetricAggregate),
});
export type TelemetryAggregate = z.infer<typeof TelemetryAggregate>;

/**
 * Alarm levels, least severe first. Declared here because the device state remembers the active level;
 * `AlarmLevel` in alarms.ts is built from this list (alarms.ts imports this module, not the other way round).
 */
export const ALARM_LEVEL_IDS = ['blue', 'yellow', 'orange', 'red'] as const;
const Level = z.enum(ALARM_LEVEL_IDS);

/** What the engine remembers per alarm rule between messages. */
export const RuleMemory = z.strictObject({
  /** The level of the alarm currently raised by this rule, or null when normal. */
  level: Level.nullable(),
  /** Threshold rules: since when (device time) each level's condition has held without a break. */
  holdingSince: z.partialRecord(Level, Instant).optional(),
  /** State rules: since when the boolean has been true. */
  trueSince: Instant.optional(),
  /** Since when the reading has been back to normal while the alarm is still raised (for `clearForSeconds`). */
  normalSince: Instant.optional(),
  /** Rate rules: the previous reading and its device time. */
  previous: z.strictObject({ value: z.number(), ts: Instant }).optional(),
});
export type RuleMemory = z.infer<typeof RuleMemory>;

/** The latest state of one device, as the ingest keeps it (one item per device). */
export const DeviceState = z.strictObject({
  tenant: DivisionCode,
  deviceId: DeviceId,
  kind: DeviceKind,
  /**
   * Sequence number of the last message applied: one at or below it is a repeat, unless it is newer (device time)
   * than `newestTs`, when the device restarted its count.
   */
  lastSeq: z.number().int().min(0),
  /** Device time of that message. */
  lastTs: Instant,
  /** The latest device time applied (absent on states written before restarts were recognised: then `lastTs`). */
  newestTs: Instant.optional(),
  /** Platform time the last applied message arrived (offline checks use this clock, not the device's). */
  receivedAt: Instant,
  /** The latest value of every metric reported so far (a message may carry a subset). */
  readings: Readings,
  online: z.boolean(),
  bucket: RunningBucket.nullable(),
  /** Rule id → memory. */
  rules: z.record(z.string(), RuleMemory),
});
export type DeviceState = z.infer<typeof DeviceState>;
