/**
 * MON-2 risk management and MON-6 contingency plans on the local stack (DynamoDB Local, the real API): risk
 * points inside the tenant's grids with their control measures and reviews, hidden hazards through their life
 * cycle with the tenant's rectification period, accident statistics, the plan library and the plans of a real
 * alarm; bad input is a coded 4xx, concurrent steps give one 409, retries are idempotent, tenants are isolated.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../../infra/local/platform';
import { apiClient, eventually, startTestPlatform, tokenFor, pointInTenant } from '../support/platform';

const T = '430100';
type Client = ReturnType<typeof apiClient>;
let p: Platform;
let ops: Client;
let inspector: Client;
let gasHandler: Client;
let waterHandler: Client;
let leader: Client;
let other: Client;
let at: { lng: number; lat: number };
const clients: MqttClient[] = [];

const risk = (clientId: string, extra: Record<string, unknown> = {}) => ({
  clientId,
  name: '芙蓉路燃气调压站',
  domain: 'gas',
  location: at,
  level: 'high',
  description: '中压调压站紧邻学校，周边人员密集',
  controlMeasures: [{ text: '每日巡检并记录进出口压力', department: 'RQ', status: 'in-place' }],
  ...extra,
});
const hazard = (clientId: string, extra: Record<string, unknown> = {}) => ({
  clientId,
  title: '调压箱锈蚀',
  source: 'inspection',
  domain: 'gas',
  location: at,
  description: '调压箱箱体锈蚀穿孔，有漏气可能',
  ...extra,
});

beforeAll(async () => {
  p = await startTestPlatform();
  ops = apiClient(p.url, await tokenFor(p, T, ['monitoring-operator'], `${T}.ops`));
  inspector = apiClient(p.url, await tokenFor(p, T, ['inspector'], `${T}.inspector`));
  gasHandler = apiClient(p.url, await tokenFor(p, T, ['department-handler'], `${T}.rq`, 'RQ'));
  waterHandler = apiClient(p.url, await tokenFor(p, T, ['department-handler'], `${T}.sw`, 'SW'));
  leader = apiClient(p.url, await tokenFor(p, T, ['leader'], `${T}.leader`));
  other = apiClient(p.url, await tokenFor(p, '430181', ['tenant-admin', 'monitoring-operator', 'leader'], '430181.ops'));
  at = pointInTenant(T);
}, 90_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync().catch(() => undefined)));
  await p?.stop();
});

describe('MON-2 risk points', () => {
  it('registers a risk point in its grid with its measures; the same clientId again returns it, other content is refused', async () => {
    const first = await ops('POST', '/v1/risks', risk('risk-reg-0001'));
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ tenant: T, level: 'high', version: 1, reviewedBy: `${T}.ops` });
    expect(first.json.gridId).toMatch(/^4301\d{11}$/);
    expect(first.json.history[0]).toMatchObject({ action: 'registered', actor: `${T}.ops`, role: 'monitoring-operator' });
    const again = await ops('POST', '/v1/risks', risk('risk-reg-0001'));
    expect(again.status).toBe(200);
    expect(again.json.id).toBe(first.json.id);
    const changed = await ops('POST', '/v1/risks', risk('risk-reg-0001', { level: 'major' }));
    expect(changed.status).toBe(422);
    expect(changed.json.error.code).toBe('IDEMPOTENCY_MISMATCH');
    expect((await ops('GET', '/v1/risks?level=high')).json.items.filter((r: { id: string }) => r.id === first.json.id)).toHaveLength(1);
  });

  it('bad input is a coded 4xx and writes nothing', async () => {
    const outside = await ops('POST', '/v1/risks', risk('risk-bad-0001', { location: { lng: 116.4, lat: 39.9 } }));
    expect([outside.status, outside.json.error.code]).toEqual([400, 'LOCATION_OUTSIDE_TENANT']);
    const level = await ops('POST', '/v1/risks', risk('risk-bad-0002', { level: 'purple' }));
    expect([level.status, level.json.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const dept = await ops('POST', '/v1/risks', risk('risk-bad-0003', { controlMeasures: [{ text: '巡检', department: 'NOPE', status: 'planned' }] }));
    expect([dept.status, dept.json.error.code]).toEqual([400, 'DEPARTMENT_UNKNOWN']);
    const device = await ops('POST', '/v1/risks', risk('risk-bad-0004', { deviceIds: ['no-such-device'] }));
    expect([device.status, device.json.error.code]).toEqual([400, 'RISK_LINK_UNKNOWN']);
    expect((await ops('GET', '/v1/risks/01JD3A0000000000000000000X')).json.error.code).toBe('RISK_NOT_FOUND');
    expect((await ops('GET', '/v1/risks')).json.items.map((r: { name: string }) => r.name)).not.toContain('purple');
  });

  it('leaders read but do not grade; a review on a stale version is a 409', async () => {
    const r = (await ops('POST', '/v1/risks', risk('risk-rev-0001'))).json;
    expect((await leader('GET', `/v1/risks/${r.id}`)).status).toBe(200);
    expect((await leader('POST', '/v1/risks', risk('risk-rev-0002'))).json.error.code).toBe('FORBIDDEN_ROLE');
    const measures = [...r.controlMeasures, { text: '加装燃气泄漏监测', department: 'RQ', status: 'planned' }];
    const reviewed = await ops('POST', `/v1/risks/${r.id}/review`, { version: 1, level: 'major', controlMeasures: measures, note: '周边新建学校' });
    expect(reviewed.status).toBe(200);
    expect(reviewed.json).toMatchObject({ level: 'major', version: 2 });
    expect(reviewed.json.history.at(-1)).toMatchObject({ action: 'reviewed', role: 'monitoring-operator' });
    const stale = await ops('POST', `/v1/risks/${r.id}/review`, { version: 1, level: 'low', controlMeasures: [] });
    expect([stale.status, stale.json.error.code]).toEqual([409, 'CONFLICT']);
  });
});

describe('MON-2 hidden hazards', () => {
  it('an inspector reports from inspection (not as an alarm); the same clientId is idempotent', async () => {
    const r = await inspector('POST', '/v1/hazards', hazard('hz-insp-0001'));
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ status: 'reported', level: 'general', reportedBy: `${T}.inspector`, overdue: false });
    expect((await inspector('POST', '/v1/hazards', hazard('hz-insp-0001'))).json.id).toBe(r.json.id);
    expect((await inspector('POST', '/v1/hazards', hazard('hz-insp-0002', { source: 'alarm' }))).json.error.code).toBe('SOURCE_NOT_ALLOWED');
    expect((await inspector('POST', '/v1/hazards', hazard('hz-insp-0003', { riskId: '01JD3A0000000000000000000X' }))).json.error.code).toBe('RISK_LINK_UNKNOWN');
    // The inspector sees what they reported, not the whole registry's transitions.
    expect((await inspector('GET', `/v1/hazards/${r.json.id}`)).status).toBe(200);
    expect((await inspector('POST', `/v1/hazards/${r.json.id}/transitions`, { action: 'confirm', department: 'RQ' })).json.error.code).toBe('FORBIDDEN_ROLE');
  });

  it('runs its life cycle with the tenant’s rectification period; the responsible department rectifies, others do not see it', async () => {
    const r = (await ops('POST', '/v1/hazards', hazard('hz-life-0001', { source: 'patrol' }))).json;
    expect((await ops('POST', `/v1/hazards/${r.id}/transitions`, { action: 'confirm' })).json.error.code).toBe('HAZARD_DEPARTMENT_REQUIRED');
    const confirmed = (await ops('POST', `/v1/hazards/${r.id}/transitions`, { action: 'confirm', department: 'RQ' })).json;
    expect(confirmed.status).toBe('confirmed');
    // tenants/430100/risk-settings.json: 7 days for a 一般隐患.
    const confirmedAt = confirmed.history.at(-1).at as string;
    expect(Date.parse(confirmed.deadline) - Date.parse(confirmedAt)).toBe(7 * 86_400_000);
    expect((await ops('POST', `/v1/hazards/${r.id}/transitions`, { action: 'close' })).json.error.code).toBe('HAZARD_ACTION_NOT_ALLOWED');
    expect((await waterHandler('GET', `/v1/hazards/${r.id}`)).status).toBe(404);
    expect((await gasHandler('POST', `/v1/hazards/${r.id}/transitions`, { action: 'start' })).json.status).toBe('rectifying');
    const done = await gasHandler('POST', `/v1/hazards/${r.id}/transitions`, { action: 'complete', note: '已更换调压箱' });
    expect(done.json.history.at(-1)).toMatchObject({ action: 'complete', actor: `${T}.rq`, role: 'department-handler', note: '已更换调压箱' });
    expect((await gasHandler('POST', `/v1/hazards/${r.id}/transitions`, { action: 'close' })).json.error.code).toBe('FORBIDDEN_ROLE');
    expect((await ops('POST', `/v1/hazards/${r.id}/transitions`, { action: 'close' })).json.status).toBe('closed');
    expect((await ops('GET', '/v1/hazards?status=open')).json.items.map((h: { id: string }) => h.id)).not.toContain(r.id);
    expect((await ops('GET', '/v1/hazards?status=closed')).json.items.map((h: { id: string }) => h.id)).toContain(r.id);
  });

  it('two concurrent steps: one wins, the other is a 409', async () => {
    const r = (await ops('POST', '/v1/hazards', hazard('hz-race-0001', { department: 'RQ' }))).json;
    const [a, b] = await Promise.all([
      ops('POST', `/v1/hazards/${r.id}/transitions`, { action: 'confirm' }),
      ops('POST', `/v1/hazards/${r.id}/transitions`, { action: 'confirm', level: 'major' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(['CONFLICT', 'HAZARD_ACTION_NOT_ALLOWED']).toContain(loser.json.error.code);
    expect((await ops('GET', `/v1/hazards/${r.id}`)).json.history).toHaveLength(2);
  });
});

describe('MON-2 accident statistics', () => {
  it('records accidents and counts the month by domain with 环比 and 同比', async () => {
    const now = new Date();
    const month = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 7);
    const record = (clientId: string, domain: string, deaths: number) =>
      ops('POST', '/v1/accidents', { clientId, title: '管道破裂事故', occurredAt: new Date(now.getTime() - 60_000).toISOString(), domain, location: at, deaths, injuries: 1, directLossWanYuan: 12.5, cause: '第三方施工破坏' });
    expect((await record('acc-0001-gas', 'gas', 1)).status).toBe(201);
    expect((await record('acc-0001-gas', 'gas', 1)).status).toBe(200);
    expect((await record('acc-0002-wat', 'water', 0)).status).toBe(201);
    const future = await ops('POST', '/v1/accidents', { clientId: 'acc-0003-fut', title: '未来事故', occurredAt: new Date(now.getTime() + 86_400_000).toISOString(), domain: 'gas', location: at, deaths: 0, injuries: 0, directLossWanYuan: 0, cause: '不存在' });
    expect([future.status, future.json.error.code]).toEqual([400, 'ACCIDENT_IN_FUTURE']);
    const stats = (await leader('GET', `/v1/accidents/stats?month=${month}`)).json;
    expect(stats.current).toMatchObject({ total: 2, deaths: 1, injuries: 2, directLossWanYuan: 25, byDomain: { gas: 1, water: 1 } });
    expect(stats.previousMonth.total).toBe(0);
    expect(stats.monthOnMonth).toBeNull();
    expect((await ops('GET', '/v1/accidents/stats?month=2026-13')).status).toBe(400);
  });
});

describe('MON-6 contingency plans', () => {
  it('lists the library with the rules that lead to each plan; an unknown plan is a 404', async () => {
    const plans = (await leader('GET', '/v1/plans')).json.items as { id: string; ruleIds: string[]; contacts: unknown[] }[];
    expect(plans.map((x) => x.id)).toEqual(expect.arrayContaining(['flood-control', 'gas-emergency', 'water-supply-emergency', 'bridge-emergency']));
    expect(plans.find((x) => x.id === 'flood-control')?.ruleIds).toContain('drainage-level-high');
    expect((await leader('GET', '/v1/plans/gas-emergency')).json.name.zh).toBe('长沙市城镇燃气突发事件应急预案');
    expect((await leader('GET', '/v1/plans/no-such-plan')).json.error.code).toBe('PLAN_NOT_FOUND');
    expect((await other('GET', '/v1/plans/gas-emergency')).json.name.zh).toBe('浏阳市城镇燃气突发事件应急预案');
  });

  it('a real alarm leads to its plans', async () => {
    const reg = await ops('POST', '/v1/devices', { id: 'mh-plan-1', kind: 'manhole-cover', name: '预案测试井盖', location: at });
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${p.mqttPort}`, { clientId: 'mh-plan-1', username: reg.json.credentials.username, password: reg.json.credentials.password, reconnectPeriod: 0 });
    clients.push(c);
    await c.publishAsync(`cityops/${T}/devices/mh-plan-1/telemetry`, JSON.stringify({ seq: 1, ts: new Date().toISOString(), readings: { open: true } }), { qos: 1 });
    const alarm = await eventually(async () => (await ops('GET', '/v1/alarms?status=open')).json.items.find((a: { deviceId: string }) => a.deviceId === 'mh-plan-1'), 20_000);
    const plans = (await leader('GET', `/v1/alarms/${alarm.id}/plans`)).json.items as { id: string }[];
    expect(plans.map((x) => x.id)).toEqual(['manhole-onsite']);
    expect((await other('GET', `/v1/alarms/${alarm.id}/plans`)).json.error.code).toBe('ALARM_NOT_FOUND');
  });
});

describe('MON-2 tenant isolation', () => {
  it('another tenant sees none of the risk points, hazards or accidents and cannot act on them', async () => {
    const r = (await ops('POST', '/v1/risks', risk('risk-iso-0001', { name: '隔离测试风险点' }))).json;
    const h = (await ops('POST', '/v1/hazards', hazard('hz-iso-0001', { title: '隔离测试隐患' }))).json;
    expect((await other('GET', `/v1/risks/${r.id}`)).status).toBe(404);
    expect((await other('GET', `/v1/hazards/${h.id}`)).status).toBe(404);
    expect((await other('POST', `/v1/hazards/${h.id}/transitions`, { action: 'confirm', department: 'RQ' })).status).toBe(404);
    expect((await other('POST', `/v1/risks/${r.id}/review`, { version: 1, level: 'low', controlMeasures: [] })).status).toBe(404);
    for (const list of ['/v1/risks', '/v1/hazards?status=all', '/v1/accidents']) {
      const text = (await other('GET', list)).text;
      expect(text, list).not.toContain(r.id);
      expect(text, list).not.toContain(h.id);
      expect(text, list).not.toContain('隔离测试');
      expect(text, list).not.toContain('管道破裂事故');
    }
    // The other tenant's own point in 长沙's grids is outside its own.
    expect((await other('POST', '/v1/risks', risk('risk-iso-0002'))).json.error.code).toBe('LOCATION_OUTSIDE_TENANT');
    // The same clientId in another tenant is a different request.
    expect((await ops('GET', `/v1/risks/${r.id}`)).json.name).toBe('隔离测试风险点');
  });
});
