/** MON-1/MON-3 over HTTP: the device registry, device states and readings, alarms, dead letters, the live push. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import {
  AlarmQuery,
  AlarmView,
  DEVICE_KINDS,
  DeadLetter,
  DeviceCredentialsView,
  DeviceDetail,
  DeviceQuery,
  DeviceState,
  DeviceView,
  ImportDevices,
  ImportDevicesResult,
  RegisterDevice,
  RegisteredDevice,
  TelemetryAggregate,
  AcknowledgeAlarm,
  DisposeAlarm,
  Device,
  LiveChannel,
  MonitoringStats,
} from '../../../../contracts';
import { keys } from '../../data/keys';
import { decommissionDevice, getDevice, importDevices, listDevices, registerDevice, rotateCredentials } from '../../devices/devices';
import { acknowledgeAlarm, alarmCounts, change, comparisonMonths, disposeAlarm, listAlarms } from '../../monitoring/alarms';
import { liveOf, noLiveEvents } from '../../monitoring/ingest';
import { liveClientIdPrefix, liveScope, liveSubscriptions, MONITORING_VIEWER_ROLES } from '../../monitoring/live-access';
import { DomainError } from '../../shared/errors';
import { requireRole, requireStaff, usePrincipal, useTenant } from '../../tenancy/context';
import type { AppDeps, MonitoringDeps } from '../deps';
import type { Env } from '../env';
import { body, errorResponses, Items, json, secured } from './common';


const ManagerRoles = ['tenant-admin', 'monitoring-operator'] as const;
const ViewerRoles = MONITORING_VIEWER_ROLES;
const DeviceIdParam = z.object({ id: z.string().min(1).max(64) });
const AlarmIdParam = z.object({ id: z.string().min(1).max(64) });
const StateItem = z.object({ state: DeviceState });
const AggregateItem = z.object({ aggregate: TelemetryAggregate });
const DeadLetterItem = z.object({ deadLetter: DeadLetter });

export function monitoringRoutes(app: OpenAPIHono<Env>, deps: AppDeps): void {
  const m = (): MonitoringDeps => {
    if (!deps.monitoring) throw new DomainError('INTERNAL', undefined, 'monitoring module not configured');
    return deps.monitoring;
  };
  const states = async (tenant: string): Promise<Map<string, DeviceState>> => {
    const stored = await deps.store.query(StateItem, { index: 'GSI2', pk: keys.deviceStates(tenant) });
    const map = new Map(stored.map((s) => [s.state.deviceId, s.state]));
    for (const id of map.keys()) {
      const newer = m().ingest?.cachedState(tenant, id);
      if (newer) map.set(id, newer);
    }
    return map;
  };
  const viewOf = (d: Device, s: DeviceState | undefined): DeviceView => ({
    ...d,
    domain: DEVICE_KINDS[d.kind].domain,
    live: s ? liveOf(s, Object.values(s.rules).flatMap((r) => (r.level ? [r.level] : []))) : null,
  });

  app.openapi(
    createRoute({ method: 'get', path: '/v1/devices', tags: ['monitoring'], security: secured, request: { query: DeviceQuery }, summary: 'MON-1: devices with their live state', responses: { 200: json(Items(DeviceView), 'Devices'), ...errorResponses } }),
    async (c) => {
      requireRole(...ViewerRoles);
      const q = c.req.valid('query');
      const tenant = useTenant();
      const [devices, live] = await Promise.all([listDevices(deps.store), states(tenant)]);
      const items = devices
        .filter((d) => (q.status === 'all' || d.status === q.status) && (!q.kind || d.kind === q.kind) && (!q.domain || DEVICE_KINDS[d.kind].domain === q.domain))
        .map((d) => viewOf(d, live.get(d.id)));
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'post', path: '/v1/devices', tags: ['monitoring'], security: secured, request: { body: body(RegisterDevice) }, summary: 'MON-1: register a device (credentials are returned once)', responses: { 201: json(RegisteredDevice, 'Registered'), ...errorResponses } }),
    async (c) => {
      requireRole(...ManagerRoles);
      return c.json(await registerDevice(m().devices, c.req.valid('json')), 201);
    },
  );

  app.openapi(
    createRoute({ method: 'post', path: '/v1/devices/import', tags: ['monitoring'], security: secured, request: { body: body(ImportDevices) }, summary: 'MON-1: import devices from CSV or GeoJSON (per-row errors)', responses: { 200: json(ImportDevicesResult, 'Imported'), ...errorResponses } }),
    async (c) => {
      requireRole(...ManagerRoles);
      const b = c.req.valid('json');
      return c.json(await importDevices(m().devices, b.format, b.content), 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/devices/{id}', tags: ['monitoring'], security: secured, request: { params: DeviceIdParam, query: z.object({ hours: z.coerce.number().int().min(1).max(24 * 31).default(24) }) }, summary: 'MON-1: a device, its live state, recent time buckets and alarms', responses: { 200: json(DeviceDetail, 'Device'), ...errorResponses } }),
    async (c) => {
      requireRole(...ViewerRoles);
      const tenant = useTenant();
      const d = await getDevice(deps.store, c.req.valid('param').id);
      const since = new Date(Date.now() - c.req.valid('query').hours * 3600_000).toISOString();
      const [stored, aggs, alarms] = await Promise.all([
        deps.store.get(StateItem, keys.deviceState(tenant, d.id)),
        deps.store.query(AggregateItem, { pk: keys.device(tenant, d.id).PK, skBetween: [`AGG#${since}`, 'AGG#~'] }),
        listAlarms(deps.store, { status: 'all', deviceId: d.id, limit: 100 }),
      ]);
      const state = m().ingest?.cachedState(tenant, d.id) ?? stored?.state;
      return c.json({ device: viewOf(d, state), aggregates: aggs.map((a) => a.aggregate), alarms }, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'post', path: '/v1/devices/{id}/credentials', tags: ['monitoring'], security: secured, request: { params: DeviceIdParam }, summary: 'New credentials for a device (the old ones stop working)', responses: { 200: json(DeviceCredentialsView, 'Credentials'), ...errorResponses } }),
    async (c) => {
      requireRole(...ManagerRoles);
      return c.json(await rotateCredentials(m().devices, c.req.valid('param').id), 200);
    },
  );

  app.openapi(
    createRoute({ method: 'delete', path: '/v1/devices/{id}', tags: ['monitoring'], security: secured, request: { params: DeviceIdParam }, summary: 'Decommission a device: its credentials are revoked at once', responses: { 200: json(z.object({ device: Device }), 'Decommissioned'), ...errorResponses } }),
    async (c) => {
      requireRole('tenant-admin');
      return c.json({ device: await decommissionDevice(m().devices, c.req.valid('param').id) }, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/alarms', tags: ['monitoring'], security: secured, request: { query: AlarmQuery }, summary: 'MON-3: alarms, newest first', responses: { 200: json(Items(AlarmView), 'Alarms'), ...errorResponses } }),
    async (c) => {
      requireRole(...ViewerRoles);
      return c.json({ items: await listAlarms(deps.store, c.req.valid('query')) }, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'post', path: '/v1/alarms/{id}/acknowledge', tags: ['monitoring'], security: secured, request: { params: AlarmIdParam, body: body(AcknowledgeAlarm) }, summary: 'MON-3: acknowledge an alarm', responses: { 200: json(AlarmView, 'Alarm'), ...errorResponses } }),
    async (c) => {
      requireRole(...ManagerRoles);
      return c.json(await acknowledgeAlarm(deps.store, m().feed ?? m().live ?? noLiveEvents, c.req.valid('param').id, c.req.valid('json')), 200);
    },
  );

  app.openapi(
    createRoute({ method: 'post', path: '/v1/alarms/{id}/dispose', tags: ['monitoring'], security: secured, request: { params: AlarmIdParam, body: body(DisposeAlarm) }, summary: 'MON-3: record how an alarm was dealt with', responses: { 200: json(AlarmView, 'Alarm'), ...errorResponses } }),
    async (c) => {
      requireRole(...ManagerRoles);
      return c.json(await disposeAlarm(deps.store, m().feed ?? m().live ?? noLiveEvents, c.req.valid('param').id, c.req.valid('json')), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/monitoring/stats',
      tags: ['monitoring'],
      security: secured,
      request: { query: z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional() }) },
      summary: 'MON-7: alarms of a month with 环比 and 同比, and devices online',
      responses: { 200: json(MonitoringStats, 'Statistics'), ...errorResponses },
    }),
    async (c) => {
      requireRole(...ViewerRoles);
      const month = c.req.valid('query').month ?? new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
      const { previous, lastYear } = comparisonMonths(month);
      const tenant = useTenant();
      const [current, previousMonth, sameMonthLastYear, devices, live] = await Promise.all([
        alarmCounts(deps.store, month),
        alarmCounts(deps.store, previous),
        alarmCounts(deps.store, lastYear),
        listDevices(deps.store),
        states(tenant),
      ]);
      const active = devices.filter((d) => d.status === 'active');
      const byDomain: Record<string, number> = {};
      for (const d of active) byDomain[DEVICE_KINDS[d.kind].domain] = (byDomain[DEVICE_KINDS[d.kind].domain] ?? 0) + 1;
      return c.json(
        {
          month,
          current,
          previousMonth,
          sameMonthLastYear,
          monthOnMonth: change(current.total, previousMonth.total),
          yearOnYear: change(current.total, sameMonthLastYear.total),
          devices: { total: active.length, online: active.filter((d) => live.get(d.id)?.online).length, byDomain },
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/monitoring/dead-letters', tags: ['monitoring'], security: secured, request: { query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }) }, summary: 'Device messages the ingest could not use, newest first', responses: { 200: json(Items(DeadLetter), 'Dead letters'), ...errorResponses } }),
    async (c) => {
      requireRole('tenant-admin', 'monitoring-operator');
      const items = await deps.store.query(DeadLetterItem, { pk: keys.deadLetters(useTenant()), newestFirst: true, limit: c.req.valid('query').limit });
      return c.json({ items: items.map((i) => i.deadLetter) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/monitoring/live-channel',
      tags: ['monitoring'],
      security: secured,
      summary: 'How my screens follow the live push: SSE from this API (local stack), MQTT over WSS to IoT Core (AWS), or none',
      responses: { 200: json(LiveChannel, 'The channel'), ...errorResponses },
    }),
    async (c) => {
      const scope = liveScope(requireStaff());
      if (!scope) throw new DomainError('FORBIDDEN_ROLE');
      const mon = deps.monitoring;
      if (mon?.mqtt) {
        const { endpoint, authorizer } = mon.mqtt;
        return c.json({ kind: 'mqtt' as const, url: `wss://${endpoint}/mqtt`, authorizer, clientIdPrefix: liveClientIdPrefix(usePrincipal()), topics: liveSubscriptions(scope) }, 200);
      }
      // The event stream serves a tenant's own screens only.
      if (mon?.feed && scope.kind === 'tenant') return c.json({ kind: 'sse' as const, url: '/v1/monitoring/events' }, 200);
      return c.json({ kind: 'none' as const }, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/monitoring/events', tags: ['monitoring'], security: secured, summary: 'Live push (text/event-stream): `device` and `alarm` events of my tenant; where there is none (AWS) see /v1/monitoring/live-channel', responses: { 200: { description: 'An event stream' }, ...errorResponses } }),
    async (c) => {
      requireRole(...ViewerRoles);
      requireStaff();
      const feed = m().feed;
      // In AWS the push goes through IoT Core topics; GET /v1/monitoring/live-channel says how to connect.
      if (!feed) throw new DomainError('NOT_FOUND', undefined, 'no event stream in this runtime: see GET /v1/monitoring/live-channel');
      const tenant = useTenant();
      return streamSSE(c, async (stream) => {
        let id = 0;
        const queue: string[] = [];
        let wake: (() => void) | undefined;
        const off = feed.subscribe(tenant, (msg) => {
          // A slow screen gets the newest events, not an unbounded backlog.
          if (queue.length > 5000) queue.splice(0, queue.length - 5000);
          queue.push(JSON.stringify(msg));
          wake?.();
        });
        stream.onAbort(() => {
          off();
          wake?.();
        });
        await stream.writeSSE({ event: 'ready', data: '{}', id: String(id++) });
        while (!stream.aborted && !stream.closed) {
          if (!queue.length) {
            await new Promise<void>((r) => {
              wake = r;
              setTimeout(r, 15_000);
            });
            wake = undefined;
            if (!queue.length) await stream.writeSSE({ event: 'ping', data: '{}' });
          }
          for (const raw of queue.splice(0)) {
            const msg = JSON.parse(raw) as { type: string; data: unknown };
            await stream.writeSSE({ event: msg.type, data: JSON.stringify(msg.data), id: String(id++) });
          }
        }
        off();
      });
    },
  );
}
