/**
 * Tenant isolation (issue: platform foundation §4): every route of the OpenAPI document is called with tokens
 * of another tenant, holding every role; nothing of the victim tenant leaks and nothing in the table changes.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVINCE_ROLES, TENANT_ROLES, type Role } from '../../contracts';
import type { Platform } from '../../infra/local/platform';
import path from 'node:path';
import { PNG_1X1, apiClient, eventually, startTestPlatform, tokenFor, uploadPhoto, pointInTenant } from '../support/platform';

const VICTIM = '430100';
const ATTACKER = '430181';
const MARKER = 'ISOLATION-MARKER-长沙';

let p: Platform;
let itemId: string;
let victimCaseId: string;
let victimPhotoId: string;
let victimPoint: { lng: number; lat: number };
const victimDeviceId = 'victim-device-1';
let victimPlanId: string;
let victimTaskId: string;
let victimRiskId: string;
let victimHazardId: string;

async function scanTable(): Promise<string[]> {
  const items: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await p.store.doc.send(new ScanCommand({ TableName: p.store.tableName, ExclusiveStartKey: start, ConsistentRead: true }));
    for (const it of r.Items ?? []) {
      // Only the victim's and the province's partitions must stay as they were: the attacker may change its own.
      if (!String(it.PK).startsWith(`T#${VICTIM}#`) && !String(it.PK).startsWith('T#430000#') && !String(it.PK).startsWith('P#')) continue;
      items.push(JSON.stringify(it, Object.keys(it).sort()));
    }
    start = r.LastEvaluatedKey;
  } while (start);
  return items.sort();
}

/** A valid body for each write route, so the attack gets past validation to the tenant checks. */
function sampleBody(method: string, path: string): unknown {
  if (method !== 'post') return undefined;
  if (path === '/v1/photos') return PNG_1X1;
  if (path === '/v1/cases') return { clientId: 'attack-case-0001', source: 'inspector', kind: 'component', typeCode: '01002', description: '攻击者上报', location: victimPoint };
  if (path.startsWith('/v1/basedata/')) return { type: 'FeatureCollection', features: [] };
  if (path.startsWith('/v1/cases/{id}/')) {
    const action = path.split('/').pop();
    const bodies: Record<string, unknown> = {
      verify: { confirmed: true },
      file: { decision: 'file' },
      merge: { into: victimCaseId },
      dispatch: { departments: ['CGZF'] },
      handle: { action: 'feedback' },
      extension: { approve: true },
      suspension: { approve: true },
      resume: {},
      check: { passed: true },
    };
    if (action && action in bodies) return bodies[action];
  }
  if (path.endsWith('/feedback')) return { text: 'attacker feedback' };
  if (path.endsWith('/review')) return { decision: 'accept', comment: 'attacker review' };
  if (path === '/v1/province/supervision') return { clientRequestId: 'attack-0001', tenant: VICTIM, title: 'attack', detail: '', urgency: 'ordinary' };
  if (path === '/v1/citizen/session') return { tenant: ATTACKER, code: 'attack-code' };
  if (path === '/v1/devices') return { id: 'attack-device-1', kind: 'manhole-cover', name: '攻击设备', location: victimPoint };
  if (path === '/v1/devices/import') return { format: 'csv', content: `id,kind,name,lng,lat\nattack-device-2,manhole-cover,x,${victimPoint.lng},${victimPoint.lat}` };
  if (path === '/v1/devices/{id}/credentials') return {};
  if (path === '/v1/alarms/{id}/acknowledge') return { note: '' };
  if (path === '/v1/alarms/{id}/dispose') return { note: 'attacker disposal' };
  if (path === '/v1/risks') return { clientId: 'attack-risk-0001', name: '攻击风险点', domain: 'gas', location: victimPoint, level: 'low', description: '攻击者登记' };
  if (path === '/v1/risks/{id}/review') return { version: 1, level: 'low', controlMeasures: [] };
  if (path === '/v1/hazards') return { clientId: 'attack-hazard-0001', title: '攻击隐患', source: 'inspection', domain: 'gas', location: victimPoint, description: '攻击者上报' };
  if (path === '/v1/hazards/{id}/transitions') return { action: 'confirm', department: 'RQ' };
  if (path === '/v1/accidents') return { clientId: 'attack-accident-0001', title: '攻击事故', occurredAt: '2026-01-01T00:00:00Z', domain: 'gas', location: victimPoint, deaths: 0, injuries: 0, directLossWanYuan: 0, cause: '攻击者记录' };
  if (path === '/v1/patrol/teams') return { name: '攻击队伍', members: [{ kind: 'user', subject: `${ATTACKER}.attacker` }] };
  if (path === '/v1/patrol/plans') return { name: '攻击计划', domain: 'manhole', frequency: { type: 'daily' }, teamId: '01JZ00000000000000000000ZZ', activeFrom: '2026-01-01', targets: [{ kind: 'point', id: 'attack-pt', name: '攻击点位', location: victimPoint, checklist: [{ id: 'cover', text: '井盖完好' }] }] };
  if (path === '/v1/patrol/plans/{id}/status') return { status: 'ended' };
  if (path === '/v1/inspectors/me/position') return { location: victimPoint, accuracyM: 10 };
  if (path === '/v1/patrol/tasks/{id}/results') return { targetId: victimDeviceId, outcome: 'normal', answers: [{ itemId: 'cover', ok: true }], position: victimPoint };
  throw new Error(`no sample body for POST ${path}: add one so the isolation test covers the new route`);
}

/** An event stream never ends: read what arrives in the first half second. */
async function firstChunk(url: string, token: string): Promise<{ status: number; text: string }> {
  const ac = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: ac.signal });
  let text = '';
  const reader = res.body?.getReader();
  const stop = setTimeout(() => ac.abort(), 500);
  try {
    for (;;) {
      const { done, value } = (await reader?.read()) ?? { done: true, value: undefined };
      if (done) break;
      text += new TextDecoder().decode(value);
    }
  } catch {
    // aborted: what arrived is in text
  }
  clearTimeout(stop);
  return { status: res.status, text };
}

beforeAll(async () => {
  p = await startTestPlatform();
  const province = apiClient(p.url, await tokenFor(p, '430000', ['province-supervisor']));
  const created = await province('POST', '/v1/province/supervision', {
    clientRequestId: 'iso-setup-0001',
    tenant: VICTIM,
    title: MARKER,
    detail: 'victim detail',
    urgency: 'ordinary',
  });
  expect(created.status).toBe(201);
  itemId = created.json.id;
  const victim = apiClient(p.url, await tokenFor(p, VICTIM, ['tenant-admin']));
  await eventually(async () => ((await victim('GET', '/v1/tasks')).json?.items?.length ?? 0) > 0);
  // A case and a photo of the victim.
  victimPoint = pointInTenant(VICTIM);
  const inspectorToken = await tokenFor(p, VICTIM, ['inspector']);
  victimPhotoId = (await uploadPhoto(p.url, inspectorToken, PNG_1X1)).json.id;
  const kase = await apiClient(p.url, inspectorToken)('POST', '/v1/cases', {
    clientId: 'victim-case-0001', source: 'inspector', kind: 'matter', typeCode: '06010', description: MARKER, location: victimPoint, photoIds: [victimPhotoId],
  });
  expect(kase.status).toBe(201);
  victimCaseId = kase.json.id;
  const device = await victim('POST', '/v1/devices', { id: victimDeviceId, kind: 'manhole-cover', name: MARKER, location: victimPoint });
  expect(device.status).toBe(201);
  // A risk point and a hazard of the victim (MON-2).
  const riskPoint = await victim('POST', '/v1/risks', { clientId: 'victim-risk-0001', name: MARKER, domain: 'gas', location: victimPoint, level: 'major', description: MARKER });
  expect(riskPoint.status).toBe(201);
  victimRiskId = riskPoint.json.id;
  const hazard = await victim('POST', '/v1/hazards', { clientId: 'victim-hazard-0001', title: MARKER, source: 'inspection', domain: 'gas', location: victimPoint, description: MARKER, riskId: victimRiskId });
  expect(hazard.status).toBe(201);
  victimHazardId = hazard.json.id;
  // A patrol team, plan and today's task of the victim (MON-5).
  const team = await victim('POST', '/v1/patrol/teams', { name: MARKER, members: [{ kind: 'user', subject: `${VICTIM}.test` }] });
  expect(team.status).toBe(201);
  const plan = await victim('POST', '/v1/patrol/plans', { name: MARKER, domain: 'manhole', frequency: { type: 'weekly', weekdays: [1, 2, 3, 4, 5, 6, 7] }, teamId: team.json.id, activeFrom: '2026-01-01', targets: [{ kind: 'device', id: victimDeviceId, checklist: [{ id: 'cover', text: '井盖完好' }] }] });
  expect(plan.status).toBe(201);
  victimPlanId = plan.json.id;
  victimTaskId = (await apiClient(p.url, inspectorToken)('GET', '/v1/patrol/my-tasks')).json.items[0].id;
  // Let the stream handler finish its rollups, so the snapshot below only changes if the attack changes it.
  await eventually(async () => ((await province('GET', '/v1/province/stats')).json?.byTenant?.[VICTIM]?.['supervision#awaiting-feedback'] ?? 0) >= 1);
  await new Promise((r) => setTimeout(r, 500));
}, 60_000);

afterAll(async () => {
  await p?.stop();
});

describe('TEN isolation: another tenant’s token on every route', () => {
  it('leaks nothing of the victim tenant and changes nothing', async () => {
    const doc = (await apiClient(p.url)('GET', '/openapi.json')).json as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method, path })));
    expect(routes.length).toBeGreaterThanOrEqual(30);

    const attackerRoles: Role[][] = [[...TENANT_ROLES], ['citizen'], [...PROVINCE_ROLES]];
    const before = await scanTable();
    for (const roles of attackerRoles) {
      const attacker = apiClient(p.url, await tokenFor(p, ATTACKER, roles, `${ATTACKER}.attacker`));
      for (const { method, path } of routes) {
        const id = path.startsWith('/v1/cases/') ? victimCaseId : path.startsWith('/v1/photos/') ? victimPhotoId : path.startsWith('/v1/devices/') ? victimDeviceId : path.startsWith('/v1/risks/') ? victimRiskId : path.startsWith('/v1/hazards/') ? victimHazardId : itemId;
        const patrolId = path.startsWith('/v1/patrol/plans/') ? victimPlanId : path.startsWith('/v1/patrol/tasks/') ? victimTaskId : undefined;
        const concrete = path.replace('{id}', patrolId ?? id).replace('{code}', VICTIM).replace('{kind}', 'grids');
        const sample = sampleBody(method, path);
        const r =
          path === '/v1/monitoring/events'
            ? await firstChunk(`${p.url}${concrete}`, await tokenFor(p, ATTACKER, roles, `${ATTACKER}.attacker`))
            : sample instanceof Uint8Array
            ? await fetch(`${p.url}${concrete}`, { method: 'POST', headers: { authorization: `Bearer ${await tokenFor(p, ATTACKER, roles, `${ATTACKER}.attacker`)}`, 'content-type': 'image/png' }, body: sample }).then(async (res) => ({ status: res.status, text: await res.text() }))
            : await attacker(method.toUpperCase(), concrete, sample);
        const label = `${method.toUpperCase()} ${concrete} as ${ATTACKER} [${roles.join(',')}]`;
        expect(r.status, label).toBeLessThan(500);
        expect(r.text, label).not.toContain(itemId);
        expect(r.text, label).not.toContain(victimCaseId);
        expect(r.text, label).not.toContain(victimPhotoId);
        expect(r.text, label).not.toContain(MARKER);
        expect(r.text, label).not.toContain('victim detail');
        expect(r.text, label).not.toContain(victimDeviceId);
        expect(r.text, label).not.toContain(victimPlanId);
        if (concrete.includes(victimPlanId)) expect(r.status, label).toBeGreaterThanOrEqual(400);
        expect(r.text, label).not.toContain(victimRiskId);
        expect(r.text, label).not.toContain(victimHazardId);
        if ([VICTIM, itemId, victimCaseId, victimPhotoId, victimRiskId, victimHazardId].some((x) => concrete.includes(x))) expect(r.status, label).toBeGreaterThanOrEqual(400);
      }
    }
    expect(await scanTable()).toEqual(before);
  }, 60_000);

  it('the victim itself sees its item (the test would catch a broken setup)', async () => {
    const victim = apiClient(p.url, await tokenFor(p, VICTIM, ['tenant-admin']));
    const r = await victim('GET', `/v1/supervision/${itemId}`);
    expect(r.status).toBe(200);
    expect(r.json.title).toBe(MARKER);
  });

  it('a city token cannot use the province read paths', async () => {
    const city = apiClient(p.url, await tokenFor(p, VICTIM, [...TENANT_ROLES]));
    for (const path of ['/v1/province/tenants', `/v1/province/tenants/${ATTACKER}`, '/v1/province/supervision']) {
      const r = await city('GET', path);
      expect(r.status, path).toBe(403);
      expect(r.json.error.code).toBe('PROVINCE_ONLY');
    }
  });

  it('a token whose tenant claim names no tenant, or a forged signature, is refused', async () => {
    const good = await tokenFor(p, VICTIM, ['tenant-admin']);
    const [h, b] = good.split('.');
    const forged = `${h}.${b}.${'A'.repeat(342)}`;
    const r = await apiClient(p.url, forged)('GET', '/v1/me');
    expect(r.status).toBe(401);
    expect(r.json.error.code).toBe('TOKEN_INVALID');
    const none = await apiClient(p.url)('GET', '/v1/me');
    expect(none.status).toBe(401);
    expect(none.json.error.message.zh).toBeTruthy();
    expect(none.json.error.message.en).toBeTruthy();
  });
});
