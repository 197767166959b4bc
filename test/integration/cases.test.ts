/**
 * CMD-1 … CMD-7 through the HTTP API on the local stack: reports from each kind of source go round the
 * seven-stage loop with real tokens for each role; bad input, wrong roles, races and retries behave.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../contracts';
import type { Platform } from '../../infra/local/platform';
import { PNG_1X1, apiClient, eventually, startTestPlatform, tenantsWithLimits, tokenFor, uploadPhoto, pointInTenant } from '../support/platform';

const T = '430100';
let p: Platform;
let at: { lng: number; lat: number };
const clients: Record<string, ReturnType<typeof apiClient>> = {};
const tokens: Record<string, string> = {};

async function as(name: string, roles: Role[], department?: string) {
  tokens[name] = await tokenFor(p, T, roles, `${T}.${name}`, department);
  clients[name] = apiClient(p.url, tokens[name]);
  return clients[name];
}

beforeAll(async () => {
  // 紧急 verification in ~2 s, so an escalation happens inside the test.
  p = await startTestPlatform({ tenantsDir: tenantsWithLimits({ [`${T}:case.verify:urgent`]: 0.0006, [`${T}:case.escalation-interval:urgent`]: 0.01 }) });
  at = pointInTenant(T);
  await as('inspector', ['inspector']);
  await as('acceptor', ['acceptor']);
  await as('leader', ['shift-leader']);
  await as('dispatcher', ['dispatcher']);
  await as('dispatcher2', ['dispatcher']);
  await as('water', ['department-handler'], 'SW');
  await as('city', ['department-handler'], 'CGZF');
}, 90_000);

afterAll(async () => {
  await p?.stop();
});

let seq = 0;
const report = (who: string, extra: Record<string, unknown> = {}) =>
  clients[who]!('POST', '/v1/cases', {
    clientId: `case-test-${Date.now()}-${seq++}`,
    source: 'inspector',
    kind: 'component',
    typeCode: '01002',
    description: '污水井盖破损，存在安全隐患',
    location: at,
    ...extra,
  });

async function waitStatus(id: string, status: string) {
  return await eventually(async () => {
    const r = await clients.leader!('GET', `/v1/cases/${id}`);
    return r.json?.status === status ? r.json : undefined;
  }, 15_000);
}
const waitTask = (who: string, id: string, step: string) =>
  eventually(async () => ((await clients[who]!('GET', '/v1/tasks')).json?.items ?? []).find((t: { itemId: string; step: string }) => t.itemId === id && t.step === step), 15_000);

describe('CMD-1 the seven-stage loop', () => {
  it('an inspector’s report: 立案 → smart dispatch → 处置 with photo → 核查 → 结案 (正常)', async () => {
    const photo = await uploadPhoto(p.url, tokens.inspector!, PNG_1X1);
    expect(photo.status).toBe(201);
    const r = await report('inspector', { photoIds: [photo.json.id] });
    expect(r.status).toBe(201);
    const id = r.json.id as string;
    expect(r.json).toMatchObject({ status: 'filing', source: 'inspector', typeCode: '01002' });
    expect(r.json.gridId).toMatch(/^430\d{3}[0-9A-Z]{9}$/);
    expect(r.json.matterCode).toBe(`${r.json.gridId.slice(0, 6)}01002`);

    await waitTask('leader', id, 'case.file');
    expect((await clients.leader!('POST', `/v1/cases/${id}/file`, { decision: 'file' })).status).toBe(200);
    // 01002 污水井盖 → 长沙市水务局 (SW) by the rule table, without a dispatcher.
    const handling = await waitStatus(id, 'handling');
    expect(handling.departments).toEqual(['SW']);
    expect(handling.history.some((e: { action: string }) => e.action === 'auto-dispatched')).toBe(true);

    await waitTask('water', id, 'case.handle');
    expect((await clients.city!('GET', '/v1/tasks')).json.items.some((t: { itemId: string }) => t.itemId === id)).toBe(false);
    const fb = await uploadPhoto(p.url, tokens.water!, PNG_1X1, 'image/png', 'feedback');
    expect((await clients.water!('POST', `/v1/cases/${id}/handle`, { action: 'feedback', note: '已更换井盖', photoIds: [fb.json.id] })).status).toBe(200);

    await waitTask('inspector', id, 'case.check');
    const closed = await clients.inspector!('POST', `/v1/cases/${id}/check`, { passed: true, note: '现场核查已修复' });
    expect(closed.json).toMatchObject({ status: 'closed', closeType: 'normal' });
    expect(closed.json.photos.map((ph: { stage: string }) => ph.stage)).toEqual(['report', 'feedback']);
    const actions = closed.json.history.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['reported', 'filed', 'auto-dispatched', 'feedback', 'check-passed', 'closed']);
    for (const e of closed.json.history.filter((x: { step?: string }) => x.step)) expect(e.onTime, e.action).toBe(true);
    const filed = closed.json.history.find((e: { action: string }) => e.action === 'filed');
    expect(filed).toMatchObject({ role: 'shift-leader', actor: `${T}.leader` });
  });

  it('a hotline report: 核实 → 立案 → 派遣 → 延期 → 反馈 → 核查不通过 (返工) → 反馈 → 结案 (差错)', async () => {
    const r = await report('acceptor', { source: 'hotline', kind: 'matter', typeCode: '06036', description: '小区门口乱堆杂物', address: '测试地址' });
    expect(r.json.status).toBe('verifying');
    const id = r.json.id as string;
    await waitTask('inspector', id, 'case.verify');
    expect((await clients.inspector!('POST', `/v1/cases/${id}/verify`, { confirmed: true })).json.status).toBe('filing');
    await waitTask('leader', id, 'case.file');
    await clients.leader!('POST', `/v1/cases/${id}/file`, { decision: 'file' });
    // 06 市容环境 goes to the 城管执法局 by rule; return it to the dispatcher to exercise the dispatch step.
    await waitTask('city', id, 'case.handle');
    expect((await clients.city!('POST', `/v1/cases/${id}/handle`, { action: 'return', note: '非本部门职责' })).json.status).toBe('dispatching');
    await waitTask('dispatcher', id, 'case.dispatch');
    expect((await clients.dispatcher!('POST', `/v1/cases/${id}/dispatch`, { departments: ['CGZF', 'ZJ'], note: '联合处置' })).json.departments).toEqual(['CGZF', 'ZJ']);
    await waitTask('city', id, 'case.handle');
    const dueBefore = (await clients.leader!('GET', `/v1/cases/${id}`)).json.stepDue.dueAt as string;
    expect((await clients.city!('POST', `/v1/cases/${id}/handle`, { action: 'extend', extendHours: 8, note: '需协调清运车辆' })).json.status).toBe('extension-review');
    await waitTask('dispatcher', id, 'case.extension-approval');
    const ext = await clients.dispatcher!('POST', `/v1/cases/${id}/extension`, { approve: true });
    expect(ext.json).toMatchObject({ status: 'handling', extensions: 1, extensionHours: 8 });
    // The time the request waited for the dispatcher does not count against the department.
    expect(ext.json.pauses).toHaveLength(1);
    await waitTask('city', id, 'case.handle');
    const dueAfter = (await clients.leader!('GET', `/v1/cases/${id}`)).json.stepDue.dueAt as string;
    expect(dueAfter > dueBefore).toBe(true);
    await clients.city!('POST', `/v1/cases/${id}/handle`, { action: 'feedback', note: '已清理' });
    await waitTask('inspector', id, 'case.check');
    expect((await clients.inspector!('POST', `/v1/cases/${id}/check`, { passed: false, note: '仍有杂物' })).json).toMatchObject({ status: 'handling', reworks: 1 });
    await waitTask('city', id, 'case.handle');
    await clients.city!('POST', `/v1/cases/${id}/handle`, { action: 'feedback', note: '已彻底清理' });
    await waitTask('inspector', id, 'case.check');
    expect((await clients.inspector!('POST', `/v1/cases/${id}/check`, { passed: true })).json).toMatchObject({ status: 'closed', closeType: 'error' });
  }, 60_000);

  it('an urgent unverified report that nobody verifies is escalated (督办) and the people are reminded', async () => {
    const r = await report('acceptor', { source: 'citizen', kind: 'matter', typeCode: '06010', urgency: 'urgent', description: '路口暴露垃圾' });
    const id = r.json.id as string;
    const c = await eventually(async () => {
      const x = await clients.leader!('GET', `/v1/cases/${id}`);
      return x.json.escalations >= 1 ? x.json : undefined;
    }, 20_000);
    expect(c.history.some((e: { action: string; step?: string }) => e.action === 'escalated' && e.step === 'case.verify')).toBe(true);
    const notes = await clients.inspector!('GET', '/v1/notifications');
    expect(notes.json.items.some((n: { caseId?: string }) => n.caseId === id)).toBe(true);
    expect((await clients.inspector!('POST', `/v1/cases/${id}/verify`, { confirmed: false, note: '现场未发现' })).json.status).toBe('cancelled');
  }, 40_000);

  it('suspension (挂账): requested, approved, resumed, then finished', async () => {
    const id = (await report('inspector', { kind: 'matter', typeCode: '09006', description: '占道经营' })).json.id as string;
    await waitTask('leader', id, 'case.file');
    await clients.leader!('POST', `/v1/cases/${id}/file`, { decision: 'file' });
    await waitTask('city', id, 'case.handle');
    await clients.city!('POST', `/v1/cases/${id}/handle`, { action: 'suspend', note: '涉及历史遗留问题' });
    await waitTask('leader', id, 'case.suspension-approval');
    expect((await clients.leader!('POST', `/v1/cases/${id}/suspension`, { approve: true })).json.status).toBe('suspended');
    await waitTask('leader', id, 'case.suspended');
    expect((await clients.leader!('POST', `/v1/cases/${id}/resume`, {})).json.status).toBe('handling');
    await waitTask('city', id, 'case.handle');
    await clients.city!('POST', `/v1/cases/${id}/handle`, { action: 'feedback' });
    await waitTask('inspector', id, 'case.check');
    expect((await clients.inspector!('POST', `/v1/cases/${id}/check`, { passed: true })).json.closeType).toBe('special');
  }, 40_000);
});

describe('CMD-7 similar-case reminder and merge', () => {
  it('a second report of the same matter nearby lists the first, and can be merged into it', async () => {
    const first = (await report('inspector', { kind: 'matter', typeCode: '06012', description: '道路不洁' })).json;
    const second = (await report('inspector', { kind: 'matter', typeCode: '06012', description: '道路不洁（重复）', location: { lng: at.lng + 0.0001, lat: at.lat } })).json;
    expect((await clients.leader!('GET', `/v1/cases/${second.id}/similar`)).json.items.map((c: { id: string }) => c.id)).toContain(first.id);
    await waitTask('leader', second.id, 'case.file');
    const merged = await clients.leader!('POST', `/v1/cases/${second.id}/merge`, { into: first.id });
    expect(merged.json).toMatchObject({ status: 'cancelled', mergedInto: first.id });
  });
});

describe('bad input, roles, races and retries', () => {
  it('unknown codes, a point outside the tenant and wrong shapes are coded 4xx', async () => {
    const unknown = await report('inspector', { typeCode: '01016' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.code).toBe('UNKNOWN_TYPE_CODE');
    const outside = await report('inspector', { location: { lng: 116.39, lat: 39.9 } });
    expect(outside.json.error.code).toBe('LOCATION_OUTSIDE_TENANT');
    const badComponent = await report('inspector', { componentId: '43020201002000001' }); // 株洲 荷塘区: another city
    expect(badComponent.json.error.code).toBe('COMPONENT_ID_INVALID');
    const shape = await report('inspector', { location: { lng: 'x' } });
    expect(shape.json.error.code).toBe('VALIDATION_FAILED');
    expect(shape.json.error.message.zh).toBeTruthy();
  });

  it('photos: a non-image and an oversized file are refused', async () => {
    const text = await uploadPhoto(p.url, tokens.inspector!, Buffer.from('not an image at all'), 'image/png');
    expect(text.status).toBe(400);
    expect(text.json.error.code).toBe('PHOTO_INVALID');
    const big = new Uint8Array(6 * 1024 * 1024);
    big.set(PNG_1X1);
    const tooBig = await uploadPhoto(p.url, tokens.inspector!, big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.json.error.code).toBe('PHOTO_TOO_LARGE');
    expect((await report('inspector', { photoIds: ['01ARZ3NDEKTSV4RRFFQ69G5FAV'] })).json.error.code).toBe('PHOTO_INVALID');
  });

  it('the same clientId returns the same case; other content with it is refused', async () => {
    const body = { clientId: 'retry-case-000001', source: 'inspector', kind: 'component', typeCode: '01002', description: '井盖缺失', location: at };
    const a = await clients.inspector!('POST', '/v1/cases', body);
    const b = await clients.inspector!('POST', '/v1/cases', body);
    expect([a.status, b.status]).toEqual([201, 200]);
    expect(b.json.id).toBe(a.json.id);
    expect((await clients.inspector!('POST', '/v1/cases', { ...body, description: '别的描述' })).status).toBe(422);
  });

  it('actions out of order, by the wrong role, from the wrong department, or twice at once', async () => {
    const id = (await report('inspector', { kind: 'matter', typeCode: '06013', description: '道路破损' })).json.id as string;
    expect((await clients.dispatcher!('POST', `/v1/cases/${id}/dispatch`, { departments: ['CGZF'] })).json.error.code).toBe('CASE_ACTION_NOT_ALLOWED');
    expect((await clients.inspector!('POST', `/v1/cases/${id}/file`, { decision: 'file' })).status).toBe(403);
    expect((await clients.acceptor!('POST', '/v1/cases', { clientId: 'src-check-0001', source: 'inspector', kind: 'matter', typeCode: '06013', description: '道路破损', location: at })).json.error.code).toBe('SOURCE_NOT_ALLOWED');
    await waitTask('leader', id, 'case.file');
    await clients.leader!('POST', `/v1/cases/${id}/file`, { decision: 'file', typeCode: '06050' }); // 路缘石缺损: no unambiguous rule? 06 → CGZF
    const c = await waitStatus(id, 'handling');
    expect(c.typeCode).toBe('06050');
    expect((await clients.water!('POST', `/v1/cases/${id}/handle`, { action: 'feedback' })).json.error.code).toBe('DEPARTMENT_NOT_ASSIGNED');
    await waitTask('city', id, 'case.handle');
    expect((await clients.city!('POST', `/v1/cases/${id}/handle`, { action: 'return' })).status).toBe(200);
    await waitTask('dispatcher', id, 'case.dispatch');
    const [x, y] = await Promise.all([
      clients.dispatcher!('POST', `/v1/cases/${id}/dispatch`, { departments: ['CGZF'] }),
      clients.dispatcher2!('POST', `/v1/cases/${id}/dispatch`, { departments: ['ZJ'] }),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    expect((await clients.dispatcher!('POST', `/v1/cases/${id}/dispatch`, { departments: ['NOPE'] })).status).toBeGreaterThanOrEqual(400);
  });

  it('CMD-9: the evaluation of today grades the departments that handled cases, and exports CSV', async () => {
    const day = (offset: number) => new Date(Date.now() + 8 * 3600_000 + offset * 86400_000).toISOString().slice(0, 10);
    const q = `from=${day(0)}&to=${day(1)}&groupBy=department`;
    const r = await clients.leader!('GET', `/v1/evaluation?${q}`);
    expect(r.status).toBe(200);
    const cgzf = r.json.rows.find((row: { subject: { id: string } }) => row.subject.id === 'CGZF');
    expect(cgzf?.indicators.closeRate?.denominator).toBeGreaterThan(0);
    const csv = await fetch(`${p.url}/v1/evaluation.csv?${q}`, { headers: { authorization: `Bearer ${tokens.leader}` } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    // A UTF-8 byte order mark first, so Excel opens the Chinese headers correctly (fetch's text() would drop it).
    expect([...new Uint8Array(await csv.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect((await clients.inspector!('GET', `/v1/evaluation?${q}`)).status).toBe(403);
  });

  it('the board counts queues and lists overdue cases for the command centre', async () => {
    const board = await clients.leader!('GET', '/v1/cases/board');
    expect(board.status).toBe(200);
    expect(Object.keys(board.json.queues)).toContain('handling');
    expect(Array.isArray(board.json.overdue)).toBe(true);
  });
});
