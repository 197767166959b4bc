/**
 * HTTP bodies of the monitoring module (MON-1, MON-3): device registry, device state, alarms, dead letters and
 * the live event stream. The routes are in functions/src/api/routes/monitoring.ts.
 */
import { z } from 'zod';
import { Alarm, AlarmLevel, AlarmStatus } from './alarms';
import { DeadLetterReason, Device, DeviceDomain, DeviceKind, Instant, Readings, RegisterDevice, TelemetryAggregate } from './devices';
import { DeviceId } from './mqtt';

/** Credentials handed out once, when a device is registered or its credentials are rotated. */
export const DeviceCredentialsView = z.discriminatedUnion('type', [
  z.object({ type: z.literal('password'), username: z.string(), password: z.string(), mqttUrl: z.string().optional() }),
  z.object({ type: z.literal('x509'), thingName: z.string(), certificateArn: z.string(), certificatePem: z.string(), privateKey: z.string(), endpoint: z.string().optional() }),
]);
export type DeviceCredentialsView = z.infer<typeof DeviceCredentialsView>;

/** POST /v1/devices → 201 */
export const RegisteredDevice = z.object({ device: Device, credentials: DeviceCredentialsView });
export type RegisteredDevice = z.infer<typeof RegisteredDevice>;

/** POST /v1/devices/import: a CSV (columns DEVICE_IMPORT_COLUMNS, header row first) or a GeoJSON FeatureCollection of points. */
export const ImportDevices = z.object({ format: z.enum(['csv', 'geojson']), content: z.string().min(1).max(5_000_000) });
export type ImportDevices = z.infer<typeof ImportDevices>;
export const ImportDevicesResult = z.object({
  registered: z.array(RegisteredDevice),
  /** Rows refused, with the row number (1 = first data row) and why; nothing of a refused row is written. */
  errors: z.array(z.object({ row: z.number().int(), id: z.string().optional(), code: z.string(), message: z.string() })),
});
export type ImportDevicesResult = z.infer<typeof ImportDevicesResult>;

/** The part of a device's latest state screens show. */
export const DeviceLiveState = z.object({
  online: z.boolean(),
  lastTs: Instant.nullable(),
  receivedAt: Instant.nullable(),
  readings: Readings,
  /** Highest level among its open alarms, null when none. */
  alarmLevel: AlarmLevel.nullable(),
});
export type DeviceLiveState = z.infer<typeof DeviceLiveState>;

/** GET /v1/devices?domain=&kind=&status= → items */
export const DeviceView = Device.extend({ domain: DeviceDomain, live: DeviceLiveState.nullable() });
export type DeviceView = z.infer<typeof DeviceView>;
export const DeviceQuery = z.object({ domain: DeviceDomain.optional(), kind: DeviceKind.optional(), status: z.enum(['active', 'decommissioned', 'all']).default('active') });
export type DeviceQuery = z.infer<typeof DeviceQuery>;

/** GET /v1/devices/{id}: the device, its live state, its time buckets of the last `hours` (default 24) and its alarms. */
export const DeviceDetail = z.object({ device: DeviceView, aggregates: z.array(TelemetryAggregate), alarms: z.array(Alarm) });
export type DeviceDetail = z.infer<typeof DeviceDetail>;

/** GET /v1/alarms?status=open|all|<status>&level=&domain=&since= → items, newest first. `open` = not cleared. */
export const AlarmQuery = z.object({
  status: z.union([z.enum(['open', 'all']), AlarmStatus]).default('open'),
  level: AlarmLevel.optional(),
  domain: DeviceDomain.optional(),
  since: Instant.optional(),
  /** One device's alarms only. */
  deviceId: DeviceId.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type AlarmQuery = z.infer<typeof AlarmQuery>;
export const AlarmView = Alarm.extend({ domain: DeviceDomain, deviceName: z.string(), location: z.object({ lng: z.number(), lat: z.number() }) });
export type AlarmView = z.infer<typeof AlarmView>;

/** A device message the ingest could not use, kept with its reason (operators see them; nothing is dropped silently). */
export const DeadLetter = z.object({
  id: z.string(),
  tenant: z.string(),
  deviceId: DeviceId.optional(),
  topic: z.string(),
  reason: DeadLetterReason,
  detail: z.string(),
  receivedAt: Instant,
  /** The first bytes of the payload, base64 (the whole message is in the raw archive). */
  payloadPreview: z.string(),
  size: z.number().int(),
});
export type DeadLetter = z.infer<typeof DeadLetter>;

/**
 * GET /v1/monitoring/events (text/event-stream): pushes, per tenant, `device` events (a device's live state
 * changed: { id, live }) and `alarm` events (an AlarmView). Screens load the lists once and then apply these.
 */
export const DeviceLiveEvent = z.object({ id: DeviceId, live: DeviceLiveState });
export type DeviceLiveEvent = z.infer<typeof DeviceLiveEvent>;


/** GET /v1/monitoring/stats?month=YYYY-MM (MON-7): alarms raised in the month by domain and level, with the previous month (环比) and the same month a year earlier (同比). */
export const AlarmCounts = z.object({ total: z.number().int(), byDomain: z.record(z.string(), z.number().int()), byLevel: z.record(z.string(), z.number().int()) });
export type AlarmCounts = z.infer<typeof AlarmCounts>;
export const MonitoringStats = z.object({
  month: z.string(),
  current: AlarmCounts,
  previousMonth: AlarmCounts,
  sameMonthLastYear: AlarmCounts,
  /** (current − previous) / previous, null when previous is 0. */
  monthOnMonth: z.number().nullable(),
  yearOnYear: z.number().nullable(),
  devices: z.object({ total: z.number().int(), online: z.number().int(), byDomain: z.record(z.string(), z.number().int()) }),
});
export type MonitoringStats = z.infer<typeof MonitoringStats>;
