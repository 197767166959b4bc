/**
 * MUN-3 就近派单 when the nearest inspector does not act: the cover's 核实 goes to the nearest inspector alone
 * until its time limit runs out; after the escalation (督办) every inspector sees it and may verify. The
 * tenant's urgent 核实 limit is shortened to ~2 s so the escalation happens inside the test.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../../infra/local/platform';
import { apiClient, eventually, startTestPlatform, tenantsWithLimits, tokenFor, pointInTenant } from '../support/platform';

const T = '430100';
let p: Platform;
let at: { lng: number; lat: number };
let client: MqttClient | undefined;

beforeAll(async () => {
  p = await startTestPlatform({ tenantsDir: tenantsWithLimits({ [`${T}:case.verify:urgent`]: 0.0006, [`${T}:case.escalation-interval:urgent`]: 0.01 }) });
  at = pointInTenant(T);
}, 90_000);

afterAll(async () => {
  await client?.endAsync().catch(() => undefined);
  await p?.stop();
});

describe('MUN-3 nearest inspector, escalated', () => {
  it('the assigned inspector does not act in time: after the 督办 any inspector sees the 核实 and may verify', async () => {
    // Prepare: one inspector shares a position next to the cover
    const admin = apiClient(p.url, await tokenFor(p, T, ['tenant-admin', 'monitoring-operator'], `${T}.ops`));
    const near = apiClient(p.url, await tokenFor(p, T, ['inspector'], `${T}.insp-near`));
    const other = apiClient(p.url, await tokenFor(p, T, ['inspector'], `${T}.insp-other`));
    expect((await near('POST', '/v1/inspectors/me/position', { location: { lng: at.lng, lat: at.lat + 0.001 }, accuracyM: 15 })).status).toBe(200);
    const reg = await admin('POST', '/v1/devices', { id: 'mh-esc-1', kind: 'manhole-cover', name: '五一路井盖', location: at });
    expect(reg.status).toBe(201);
    client = await mqtt.connectAsync(`mqtt://127.0.0.1:${p.mqttPort}`, { clientId: 'mh-esc-1', username: reg.json.credentials.username, password: reg.json.credentials.password, reconnectPeriod: 0 });
    const topic = `cityops/${T}/devices/mh-esc-1/telemetry`;

    // Act: the cover opens (an orange alarm: an urgent case); nobody verifies
    await client.publishAsync(topic, JSON.stringify({ seq: 1, ts: new Date().toISOString(), readings: { open: false } }), { qos: 1 });
    await client.publishAsync(topic, JSON.stringify({ seq: 2, ts: new Date().toISOString(), readings: { open: true } }), { qos: 1 });
    const caseId = await eventually(async () => ((await admin('GET', '/v1/alarms?status=open')).json.items.find((a: { deviceId: string }) => a.deviceId === 'mh-esc-1')?.caseId as string | undefined), 20_000);
    expect((await admin('GET', `/v1/cases/${caseId}`)).json).toMatchObject({ assignedInspector: `${T}.insp-near`, urgency: 'urgent' });
    const verifyTask = async (c: typeof near) => ((await c('GET', '/v1/tasks')).json.items as Array<{ itemId: string; step: string; assignees?: string[]; escalations: number }>).find((t) => t.itemId === caseId && t.step === 'case.verify');
    await eventually(async () => await verifyTask(near));
    expect(await verifyTask(other)).toBeUndefined();

    // Assess: after the escalation the task is everyone's, and the other inspector's verify is accepted
    const reopened = await eventually(async () => await verifyTask(other), 15_000);
    expect(reopened.assignees).toBeUndefined();
    expect(reopened.escalations).toBeGreaterThanOrEqual(1);
    expect((await other('GET', `/v1/cases/${caseId}`)).json.allowedActions).toEqual(['verify']);
    const verified = await eventually(async () => {
      const r = await other('POST', `/v1/cases/${caseId}/verify`, { confirmed: true });
      return r.status === 200 ? r : undefined;
    });
    expect(verified.json.status).toBe('filing');
  }, 40_000);
});
