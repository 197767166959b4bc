/**
 * MON-1 / MON-3 / MUN-3 on the local stack, end to end with real parts: devices registered over the API publish
 * over MQTT with their own credentials; the broker's rule router feeds the ingest; states, aggregates, dead
 * letters and alarms land in DynamoDB Local; a manhole cover opened becomes one alarm and one case (source
 * 'sensor', waiting for an inspector's 核实) however many readings repeat it.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../../infra/local/platform';
import { apiClient, eventually, startTestPlatform, tokenFor, pointInTenant } from '../support/platform';

const T = '430100';
let p: Platform;
let admin: ReturnType<typeof apiClient>;
let other: ReturnType<typeof apiClient>;
let at: { lng: number; lat: number };
const clients: MqttClient[] = [];

const connect = async (creds: { username: string; password: string }, clientId: string): Promise<MqttClient> => {
  const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${p.mqttPort}`, { clientId, username: creds.username, password: creds.password, reconnectPeriod: 0 });
  clients.push(c);
  return c;
};
const reading = (seq: number, readings: Record<string, number | boolean>) => JSON.stringify({ seq, ts: new Date().toISOString(), readings });

beforeAll(async () => {
  p = await startTestPlatform();
  admin = apiClient(p.url, await tokenFor(p, T, ['tenant-admin', 'monitoring-operator'], `${T}.ops`));
  other = apiClient(p.url, await tokenFor(p, '430181', ['tenant-admin', 'monitoring-operator'], '430181.ops'));
  at = pointInTenant(T);
}, 90_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync().catch(() => undefined)));
  await p?.stop();
});

describe('MON-1 device registry', () => {
  it('registers a device in its grid and hands out credentials once; bad input is a coded 4xx and writes nothing', async () => {
    const r = await admin('POST', '/v1/devices', { id: 'mh-reg-1', kind: 'manhole-cover', name: '井盖 1', location: at });
    expect(r.status).toBe(201);
    expect(r.json.device).toMatchObject({ tenant: T, id: 'mh-reg-1', status: 'active' });
    expect(r.json.device.gridId).toMatch(/^4301\d{11}$/);
    expect(r.json.credentials).toMatchObject({ type: 'password', username: `${T}/mh-reg-1` });
    expect((await admin('POST', '/v1/devices', { id: 'mh-reg-1', kind: 'manhole-cover', name: 'again', location: at })).json.error.code).toBe('DEVICE_EXISTS');
    expect((await admin('POST', '/v1/devices', { id: 'mh-out', kind: 'manhole-cover', name: 'x', location: { lng: 116.4, lat: 39.9 } })).json.error.code).toBe('LOCATION_OUTSIDE_TENANT');
    expect((await admin('POST', '/v1/devices', { id: 'mh-bad', kind: 'toaster', name: 'x', location: at })).status).toBe(400);
    expect((await admin('GET', '/v1/devices/mh-out')).json.error.code).toBe('DEVICE_NOT_FOUND');
  });

  it('imports a CSV with per-row errors; the good rows are registered', async () => {
    const csv = ['id,kind,name,lng,lat,componentId,address,ownerDepartment', `dl-imp-1,drainage-level,雨水井液位 1,${at.lng},${at.lat},,,`, `dl-imp-2,drainage-level,雨水井液位 2,116.4,39.9,,,`, `dl-imp-3,nope,坏行,${at.lng},${at.lat},,,`].join('\n');
    const r = await admin('POST', '/v1/devices/import', { format: 'csv', content: csv });
    expect(r.status).toBe(200);
    expect(r.json.registered.map((x: { device: { id: string } }) => x.device.id)).toEqual(['dl-imp-1']);
    expect(r.json.errors.map((e: { row: number; code: string }) => [e.row, e.code])).toEqual([[2, 'LOCATION_OUTSIDE_TENANT'], [3, 'VALIDATION_FAILED']]);
  });

  it('another tenant sees none of it and cannot claim the same device id', async () => {
    expect((await other('GET', '/v1/devices')).json.items.map((d: { id: string }) => d.id)).not.toContain('mh-reg-1');
    expect((await other('GET', '/v1/devices/mh-reg-1')).status).toBe(404);
  });
});

describe('MON-3 telemetry, alarms and the MUN-3 cover chain', () => {
  it('readings update the live state; a malformed or out-of-range one is dead-lettered with its reason, the others still count', async () => {
    const reg = await admin('POST', '/v1/devices', { id: 'dl-live-1', kind: 'drainage-level', name: '液位计 1', location: at });
    const c = await connect(reg.json.credentials, 'dl-live-1');
    const topic = `cityops/${T}/devices/dl-live-1/telemetry`;
    await c.publishAsync(topic, reading(1, { levelM: 0.2 }), { qos: 1 });
    await c.publishAsync(topic, '{not json', { qos: 1 });
    await c.publishAsync(topic, reading(2, { levelM: 999 }), { qos: 1 });
    await c.publishAsync(topic, reading(3, { levelM: 0.3 }), { qos: 1 });
    await c.publishAsync(topic, reading(3, { levelM: 0.3 }), { qos: 1 }); // a duplicate
    const dev = await eventually(async () => {
      const d = (await admin('GET', '/v1/devices/dl-live-1')).json;
      return d.device.live?.readings.levelM === 0.3 ? d : undefined;
    });
    expect(dev.device.live.online).toBe(true);
    const dead = await eventually(async () => {
      const items = (await admin('GET', '/v1/monitoring/dead-letters')).json.items.filter((x: { deviceId: string }) => x.deviceId === 'dl-live-1');
      return items.length === 2 ? items : undefined;
    });
    expect(dead.map((x: { reason: string }) => x.reason).sort()).toEqual(['MALFORMED_JSON', 'OUT_OF_RANGE']);
  });

  it('a cover opened (over and over) raises one alarm and opens one case for an inspector to confirm', async () => {
    const reg = await admin('POST', '/v1/devices', { id: 'mh-open-1', kind: 'manhole-cover', name: '芙蓉路井盖', location: at });
    const c = await connect(reg.json.credentials, 'mh-open-1');
    const topic = `cityops/${T}/devices/mh-open-1/telemetry`;
    await c.publishAsync(topic, reading(1, { open: false }), { qos: 1 });
    for (let i = 2; i < 30; i++) await c.publishAsync(topic, reading(i, { open: true, tiltDeg: 30 }), { qos: 1 });
    const alarm = await eventually(async () => {
      const items = (await admin('GET', '/v1/alarms?status=open')).json.items.filter((a: { deviceId: string; ruleId: string }) => a.deviceId === 'mh-open-1' && a.ruleId === 'manhole-open');
      return items.length && items[0].caseId ? items : undefined;
    }, 20_000);
    expect(alarm).toHaveLength(1);
    expect(alarm[0]).toMatchObject({ level: 'orange', status: 'raised', domain: 'manhole' });
    const kase = (await admin('GET', `/v1/cases/${alarm[0].caseId}`)).json;
    expect(kase).toMatchObject({ source: 'sensor', status: 'verifying', kind: 'component', typeCode: '01003' });
    expect(kase.description).toContain('芙蓉路井盖');

    // MON-8: the warning reached the monitoring operators' notifications, with the level.
    const notes = await eventually(async () => {
      const items = (await admin('GET', '/v1/notifications')).json.items.filter((n: { title: { zh: string } }) => n.title.zh.includes('井盖开启'));
      return items.length ? items : undefined;
    });
    expect(notes).toHaveLength(1);
    expect(notes[0].title.zh).toBe('橙色预警：井盖开启');

    // MON-7: this month's statistics count it, beside last month and the same month last year.
    const stats = (await admin('GET', '/v1/monitoring/stats')).json;
    expect(stats.current.byDomain.manhole).toBeGreaterThanOrEqual(1);
    expect(stats.previousMonth.total).toBe(0);
    expect(stats.monthOnMonth).toBeNull();
    expect(stats.devices.online).toBeGreaterThanOrEqual(1);

    // Acknowledge, then dispose; out of order is a coded 409.
    expect((await admin('POST', `/v1/alarms/${alarm[0].id}/dispose`, { note: 'x' })).status).toBe(400);
    expect((await admin('POST', `/v1/alarms/${alarm[0].id}/acknowledge`, { note: '已派人' })).json.status).toBe('acknowledged');
    expect((await admin('POST', `/v1/alarms/${alarm[0].id}/acknowledge`, {})).json.error.code).toBe('ALARM_ACTION_NOT_ALLOWED');
    expect((await other('POST', `/v1/alarms/${alarm[0].id}/acknowledge`, {})).status).toBe(404);

    // Closed again: the alarm clears (and a new opening would raise a new one).
    await c.publishAsync(topic, reading(40, { open: false, tiltDeg: 0 }), { qos: 1 });
    await eventually(async () => ((await admin('GET', '/v1/alarms?status=cleared')).json.items.some((a: { id: string }) => a.id === alarm[0].id) ? true : undefined));
  });

  it('MUN-3: the case of a cover with an owner unit is dispatched to that unit once filed, not by the rule table', async () => {
    // Prepare: a cover owned by the gas company (RQ); the rule table would send 01003 to SW
    const reg = await admin('POST', '/v1/devices', { id: 'mh-owned-1', kind: 'manhole-cover', name: '燃气井盖', location: at, ownerDepartment: 'RQ' });
    expect(reg.status).toBe(201);
    const inspector = apiClient(p.url, await tokenFor(p, T, ['inspector'], `${T}.insp-owned`));
    const leader = apiClient(p.url, await tokenFor(p, T, ['shift-leader'], `${T}.lead-owned`));
    const c = await connect(reg.json.credentials, 'mh-owned-1');
    const topic = `cityops/${T}/devices/mh-owned-1/telemetry`;
    // Act: the cover opens; an inspector confirms it on site; the shift leader files it
    await c.publishAsync(topic, reading(1, { open: false }), { qos: 1 });
    await c.publishAsync(topic, reading(2, { open: true }), { qos: 1 });
    const caseId = await eventually(async () => {
      const items = (await admin('GET', '/v1/alarms?status=open')).json.items.filter((a: { deviceId: string }) => a.deviceId === 'mh-owned-1');
      return items[0]?.caseId as string | undefined;
    }, 20_000);
    expect((await admin('GET', `/v1/cases/${caseId}`)).json.ownerDepartment).toBe('RQ');
    await eventually(async () => ((await inspector('POST', `/v1/cases/${caseId}/verify`, { confirmed: true })).status === 200 ? true : undefined));
    await eventually(async () => ((await leader('POST', `/v1/cases/${caseId}/file`, { decision: 'file' })).status === 200 ? true : undefined));
    // Assess: smart dispatch sent it to the owner unit
    const handling = await eventually(async () => {
      const k = (await admin('GET', `/v1/cases/${caseId}`)).json;
      return k.status === 'handling' ? k : undefined;
    });
    expect(handling.departments).toEqual(['RQ']);
    expect(handling.history.at(-1)).toMatchObject({ action: 'auto-dispatched', data: { departments: ['RQ'], by: 'owner-unit' } });
  });

  it('lists a device’s own alarms from its own index, and pages the board by its filters', async () => {
    // After the tests above: mh-open-1's alarm was cleared, mh-owned-1's is open.
    const owned = (await admin('GET', '/v1/alarms?status=all&deviceId=mh-owned-1')).json.items as Array<{ deviceId: string; status: string }>;
    expect(owned.length).toBeGreaterThan(0);
    expect(owned.every((a) => a.deviceId === 'mh-owned-1')).toBe(true);
    expect((await admin('GET', '/v1/devices/mh-owned-1')).json.alarms.map((a: { deviceId: string }) => a.deviceId)).toEqual(owned.map((a) => a.deviceId));
    expect((await admin('GET', '/v1/alarms?status=open&deviceId=mh-open-1')).json.items).toEqual([]);
    expect((await admin('GET', '/v1/alarms?status=cleared&deviceId=mh-open-1')).json.items.length).toBeGreaterThan(0);
    const newest = (await admin('GET', '/v1/alarms?status=all&limit=1')).json.items;
    expect(newest).toHaveLength(1);
    const manhole = (await admin('GET', '/v1/alarms?status=all&domain=manhole&level=orange')).json.items as Array<{ domain: string; level: string }>;
    expect(manhole.length).toBeGreaterThan(0);
    expect(manhole.every((a) => a.domain === 'manhole' && a.level === 'orange')).toBe(true);
    expect((await other('GET', '/v1/alarms?status=all&deviceId=mh-owned-1')).json.items).toEqual([]);
  });

  it('a device cannot publish for another device or tenant; a decommissioned device is cut off', async () => {
    const reg = await admin('POST', '/v1/devices', { id: 'mh-dec-1', kind: 'manhole-cover', name: '待注销井盖', location: at });
    const c = await connect(reg.json.credentials, 'mh-dec-1');
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    expect((await admin('DELETE', '/v1/devices/mh-dec-1')).json.device.status).toBe('decommissioned');
    await closed;
    await expect(mqtt.connectAsync(`mqtt://127.0.0.1:${p.mqttPort}`, { clientId: 'mh-dec-1', username: reg.json.credentials.username, password: reg.json.credentials.password, reconnectPeriod: 0 })).rejects.toThrow();
  });
});

describe('MUN-3 the nearest inspector confirms a cover alarm (就近派单)', () => {
  /** A point `metres` north of the covers (one degree of latitude ≈ 111.2 km). */
  const north = (metres: number) => ({ lng: at.lng, lat: Number((at.lat + metres / 111_195).toFixed(6)) });
  const openCover = async (id: string): Promise<string> => {
    const reg = await admin('POST', '/v1/devices', { id, kind: 'manhole-cover', name: `井盖 ${id}`, location: at });
    expect(reg.status).toBe(201);
    const c = await connect(reg.json.credentials, id);
    const topic = `cityops/${T}/devices/${id}/telemetry`;
    await c.publishAsync(topic, reading(1, { open: false }), { qos: 1 });
    await c.publishAsync(topic, reading(2, { open: true }), { qos: 1 });
    return await eventually(async () => {
      const items = (await admin('GET', '/v1/alarms?status=open')).json.items.filter((a: { deviceId: string }) => a.deviceId === id);
      return items[0]?.caseId as string | undefined;
    }, 20_000);
  };
  const verifyTaskOf = async (client: ReturnType<typeof apiClient>, caseId: string) =>
    ((await client('GET', '/v1/tasks')).json.items as Array<{ itemId: string; step: string; assignees?: string[] }>).find((t) => t.itemId === caseId && t.step === 'case.verify');

  it('with no shared position, the case is assigned to nobody and any inspector sees and verifies it', async () => {
    const anyone = apiClient(p.url, await tokenFor(p, T, ['inspector'], `${T}.insp-anyone`));
    const caseId = await openCover('mh-free-1');
    expect((await admin('GET', `/v1/cases/${caseId}`)).json.assignedInspector).toBeUndefined();
    const task = await eventually(async () => await verifyTaskOf(anyone, caseId));
    expect(task.assignees).toBeUndefined();
    expect((await anyone('POST', `/v1/cases/${caseId}/verify`, { confirmed: true })).json.status).toBe('filing');
  });

  it('two inspectors share positions; the nearer one alone gets the 核实 task and a notification, the other is refused', async () => {
    // Prepare: inspectors 150 m and 1.2 km from the covers share their phones' positions
    const near = apiClient(p.url, await tokenFor(p, T, ['inspector'], `${T}.insp-near`));
    const far = apiClient(p.url, await tokenFor(p, T, ['inspector'], `${T}.insp-far`));
    const shared = await near('POST', '/v1/inspectors/me/position', { location: north(150), accuracyM: 12 });
    expect(shared.status).toBe(200);
    expect(shared.json.reportEverySeconds).toBe(60);
    expect(shared.text).not.toContain(String(north(150).lat));
    expect((await far('POST', '/v1/inspectors/me/position', { location: north(1200), accuracyM: 12 })).status).toBe(200);
    // Bad input and other roles get coded 4xx
    expect((await near('POST', '/v1/inspectors/me/position', { location: { lng: 500, lat: 28 } })).json.error.code).toBe('VALIDATION_FAILED');
    expect((await admin('POST', '/v1/inspectors/me/position', { location: north(10) })).json.error.code).toBe('FORBIDDEN_ROLE');

    // Act: a cover opens
    const caseId = await openCover('mh-near-1');

    // Assess: the case names the nearer inspector, whose inbox alone holds the task
    expect((await admin('GET', `/v1/cases/${caseId}`)).json.assignedInspector).toBe(`${T}.insp-near`);
    const task = await eventually(async () => await verifyTaskOf(near, caseId));
    expect(task.assignees).toEqual([`${T}.insp-near`]);
    expect(await verifyTaskOf(far, caseId)).toBeUndefined();
    expect((await far('GET', `/v1/cases/${caseId}`)).json.allowedActions).toEqual([]);
    expect((await near('GET', `/v1/cases/${caseId}`)).json.allowedActions).toEqual(['verify']);
    const note = await eventually(async () => ((await near('GET', '/v1/notifications')).json.items as Array<{ caseId?: string }>).find((n) => n.caseId === caseId));
    expect(note).toMatchObject({ to: { user: `${T}.insp-near` } });
    expect(((await far('GET', '/v1/notifications')).json.items as Array<{ caseId?: string }>).some((n) => n.caseId === caseId)).toBe(false);

    const refused = await far('POST', `/v1/cases/${caseId}/verify`, { confirmed: true });
    expect([refused.status, refused.json.error.code]).toEqual([403, 'TASK_NOT_ASSIGNED']);
    expect(refused.json.error.message.zh).toBeTruthy();
    expect((await near('POST', `/v1/cases/${caseId}/verify`, { confirmed: true })).json.status).toBe('filing');
  });
});
