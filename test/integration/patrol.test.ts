/**
 * MON-5 patrol inspection on the local stack (DynamoDB Local, the real API): a monitoring operator builds a team
 * and a plan over a registered device and a point; the plan's task of today appears for the team's inspector,
 * who records results on site; an abnormal one opens exactly one case however often it is retried; bad input,
 * strangers, closed tasks and other tenants are refused with their codes and change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../../infra/local/platform';
import { apiClient, startTestPlatform, tokenFor, pointInTenant } from '../support/platform';

const T = '430100';
const OTHER = '430181';
const PLAN_NAME = '燃气阀井巡检（集成测试）';
let p: Platform;
let ops: ReturnType<typeof apiClient>;
let inspector: ReturnType<typeof apiClient>;
let stranger: ReturnType<typeof apiClient>;
let leader: ReturnType<typeof apiClient>;
let otherOps: ReturnType<typeof apiClient>;
let otherInspector: ReturnType<typeof apiClient>;
let at: { lng: number; lat: number };
let teamId: string;
let planId: string;
let taskId: string;

const checklist = [
  { id: 'cover', text: '井盖完好、无破损' },
  { id: 'smell', text: '无燃气异味' },
];
const ok = (targetId: string, over: Record<string, unknown> = {}) => ({
  targetId,
  outcome: 'normal',
  answers: [{ itemId: 'cover', ok: true }, { itemId: 'smell', ok: true }],
  position: { ...at, accuracyM: 8 },
  ...over,
});
const abnormal = () => ok('gas-patrol-1', {
  outcome: 'abnormal',
  answers: [{ itemId: 'cover', ok: true }, { itemId: 'smell', ok: false, note: '阀井周边有燃气味' }],
  note: '已拉警戒线',
  reportCase: { kind: 'component', typeCode: '01011', urgency: 'urgent' },
});

beforeAll(async () => {
  p = await startTestPlatform();
  ops = apiClient(p.url, await tokenFor(p, T, ['monitoring-operator'], `${T}.ops`));
  inspector = apiClient(p.url, await tokenFor(p, T, ['inspector'], `${T}.inspector`));
  stranger = apiClient(p.url, await tokenFor(p, T, ['inspector'], `${T}.inspector-2`));
  leader = apiClient(p.url, await tokenFor(p, T, ['leader'], `${T}.leader`));
  otherOps = apiClient(p.url, await tokenFor(p, OTHER, ['tenant-admin', 'monitoring-operator'], `${OTHER}.ops`));
  otherInspector = apiClient(p.url, await tokenFor(p, OTHER, ['inspector'], `${T}.inspector`));
  at = pointInTenant(T);
  expect((await ops('POST', '/v1/devices', { id: 'gas-patrol-1', kind: 'gas-pressure', name: '燃气阀井压力计', location: at })).status).toBe(201);
}, 90_000);

afterAll(async () => {
  await p?.stop();
});

describe('MON-5 plans: bad input is refused with its code and writes nothing', () => {
  it('refuses a malformed plan, an unknown device, a point outside the tenant and a team that does not exist', async () => {
    const team = await ops('POST', '/v1/patrol/teams', { name: '燃气巡检一中队', members: [{ kind: 'user', subject: `${T}.inspector`, name: '监督员' }] });
    expect(team.status).toBe(201);
    teamId = team.json.id;
    const base = { name: PLAN_NAME, domain: 'gas', frequency: { type: 'weekly', weekdays: [1, 2, 3, 4, 5, 6, 7] }, teamId, activeFrom: '2026-01-01' };

    const malformed = await ops('POST', '/v1/patrol/plans', { ...base, targets: [] });
    expect([malformed.status, malformed.json.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const unknown = await ops('POST', '/v1/patrol/plans', { ...base, targets: [{ kind: 'device', id: 'no-such-device', checklist }] });
    expect([unknown.status, unknown.json.error.code]).toEqual([400, 'PATROL_TARGET_UNKNOWN']);
    expect(unknown.json.error.message.zh).toContain('巡检对象不存在');
    const outside = await ops('POST', '/v1/patrol/plans', { ...base, targets: [{ kind: 'point', id: 'pt-beijing', name: '北京某处', location: { lng: 116.4, lat: 39.9 }, checklist }] });
    expect([outside.status, outside.json.error.code]).toEqual([400, 'PATROL_POINT_OUTSIDE_TENANT']);
    const noTeam = await ops('POST', '/v1/patrol/plans', { ...base, teamId: '01JZ00000000000000000000ZZ', targets: [{ kind: 'device', id: 'gas-patrol-1', checklist }] });
    expect(noTeam.json.error.code).toBe('PATROL_TEAM_NOT_FOUND');
    expect((await inspector('POST', '/v1/patrol/plans', { ...base, targets: [{ kind: 'device', id: 'gas-patrol-1', checklist }] })).status).toBe(403);
    expect((await ops('GET', '/v1/patrol/plans')).json.items).toEqual([]);
  });

  it('creates a plan over a device and a point; today’s task appears in the team inspector’s 我的巡检 only', async () => {
    const r = await ops('POST', '/v1/patrol/plans', {
      name: PLAN_NAME,
      domain: 'gas',
      frequency: { type: 'weekly', weekdays: [1, 2, 3, 4, 5, 6, 7] },
      teamId,
      activeFrom: '2026-01-01',
      targets: [
        { kind: 'device', id: 'gas-patrol-1', checklist },
        { kind: 'point', id: 'pt-regulator-1', name: '燃气调压箱', location: { lng: at.lng + 0.0005, lat: at.lat }, checklist },
      ],
    });
    expect(r.status).toBe(201);
    planId = r.json.id;
    expect(r.json.targets.map((t: { id: string; gridId: string }) => t.gridId)).toEqual([expect.stringMatching(/^4301/), expect.stringMatching(/^4301/)]);
    const mine = (await inspector('GET', '/v1/patrol/my-tasks')).json.items;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ planId, status: 'open', teamId });
    taskId = mine[0].id;
    expect(taskId).toMatch(new RegExp(`^${planId}-\\d{8}$`));
    expect((await stranger('GET', '/v1/patrol/my-tasks')).json.items).toEqual([]);
    expect((await ops('GET', `/v1/patrol/tasks?planId=${planId}`)).json.items.map((t: { id: string }) => t.id)).toEqual([taskId]);
  });
});

describe('MON-5 results', () => {
  it('a result for a task not assigned to you is 403; a bad body is 400; neither changes the task', async () => {
    const notMine = await stranger('POST', `/v1/patrol/tasks/${taskId}/results`, ok('gas-patrol-1'));
    expect([notMine.status, notMine.json.error.code]).toEqual([403, 'PATROL_TASK_NOT_ASSIGNED']);
    expect((await stranger('GET', `/v1/patrol/tasks/${taskId}`)).status).toBe(403);
    const noPosition = await inspector('POST', `/v1/patrol/tasks/${taskId}/results`, { ...ok('gas-patrol-1'), position: undefined });
    expect([noPosition.status, noPosition.json.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const halfAnswered = await inspector('POST', `/v1/patrol/tasks/${taskId}/results`, ok('gas-patrol-1', { answers: [{ itemId: 'cover', ok: true }] }));
    expect([halfAnswered.status, halfAnswered.json.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const normalButFailed = await inspector('POST', `/v1/patrol/tasks/${taskId}/results`, ok('gas-patrol-1', { answers: [{ itemId: 'cover', ok: false }, { itemId: 'smell', ok: true }] }));
    expect(normalButFailed.status).toBe(400);
    const wrongTarget = await inspector('POST', `/v1/patrol/tasks/${taskId}/results`, ok('pt-elsewhere'));
    expect([wrongTarget.status, wrongTarget.json.error.code]).toEqual([400, 'PATROL_TARGET_UNKNOWN']);
    const detail = (await inspector('GET', `/v1/patrol/tasks/${taskId}`)).json;
    expect(detail.results).toEqual([]);
    expect(detail.task).toMatchObject({ status: 'open', recorded: [] });
  });

  it('an abnormal result opens exactly one case; retrying it returns the same result and case', async () => {
    const first = await inspector('POST', `/v1/patrol/tasks/${taskId}/results`, abnormal());
    expect(first.status).toBe(201);
    expect(first.json.result).toMatchObject({ outcome: 'abnormal', recordedBy: `${T}.inspector`, farFromTarget: false, caseNumber: expect.stringMatching(/^430100-/) });
    const caseId = first.json.result.caseId;
    const again = await inspector('POST', `/v1/patrol/tasks/${taskId}/results`, abnormal());
    expect(again.status).toBe(200);
    expect(again.json.result.caseId).toBe(caseId);
    expect(again.json.task).toMatchObject({ abnormal: 1, casesReported: 1 });

    const kase = (await inspector('GET', `/v1/cases/${caseId}`)).json;
    expect(kase).toMatchObject({ source: 'inspector', typeCode: '01011', urgency: 'urgent', reportedBy: `${T}.inspector` });
    expect(kase.description).toContain(PLAN_NAME);
    const cases = (await leader('GET', '/v1/cases?limit=500')).json.items.filter((c: { description: string }) => c.description.includes(PLAN_NAME));
    expect(cases).toHaveLength(1);
    const changed = await inspector('POST', `/v1/patrol/tasks/${taskId}/results`, ok('gas-patrol-1'));
    expect([changed.status, changed.json.error.code]).toEqual([409, 'PATROL_RESULT_EXISTS']);
  });

  it('the last target completes the task; a result for the closed task is 409', async () => {
    const last = await inspector('POST', `/v1/patrol/tasks/${taskId}/results`, ok('pt-regulator-1', { position: { lng: at.lng + 0.05, lat: at.lat } }));
    expect(last.status).toBe(201);
    expect(last.json.result.farFromTarget).toBe(true);
    expect(last.json.task).toMatchObject({ status: 'completed', recorded: ['gas-patrol-1', 'pt-regulator-1'] });
    const closed = await inspector('POST', `/v1/patrol/tasks/${taskId}/results`, ok('pt-regulator-1', { note: '再补一条' }));
    expect([closed.status, closed.json.error.code]).toEqual([409, 'PATROL_TASK_CLOSED']);
    expect(closed.json.error.message.en).toBeTruthy();
    expect((await inspector('GET', `/v1/patrol/tasks/${taskId}`)).json.results).toHaveLength(2);
  });

  it('leaders read the statistics of the plan and the team; inspectors do not', async () => {
    // Default period: this month up to today.
    const stats = (await leader('GET', '/v1/patrol/stats')).json;
    expect(stats.byPlan).toEqual([expect.objectContaining({ id: planId, name: PLAN_NAME, due: 1, completed: 1, abnormal: 1, casesReported: 1 })]);
    expect(stats.byTeam).toEqual([expect.objectContaining({ id: teamId, name: '燃气巡检一中队', due: 1, completed: 1 })]);
    expect((await inspector('GET', '/v1/patrol/stats')).status).toBe(403);
    expect((await leader('GET', '/v1/patrol/stats?from=2026-01-01&to=2099-01-01')).json.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('MON-5 tenant isolation', () => {
  it('another tenant sees none of the plans, teams or tasks and cannot record a result', async () => {
    expect((await otherOps('GET', '/v1/patrol/plans')).json.items).toEqual([]);
    expect((await otherOps('GET', '/v1/patrol/teams')).json.items).toEqual([]);
    expect((await otherOps('GET', `/v1/patrol/plans/${planId}`)).status).toBe(404);
    const task = await otherOps('GET', `/v1/patrol/tasks/${taskId}`);
    expect([task.status, task.json.error.code]).toEqual([404, 'PATROL_TASK_NOT_FOUND']);
    // Even with the same subject as the victim's inspector, the token's tenant decides.
    const write = await otherInspector('POST', `/v1/patrol/tasks/${taskId}/results`, ok('gas-patrol-1'));
    expect([write.status, write.json.error.code]).toEqual([404, 'PATROL_TASK_NOT_FOUND']);
    expect((await otherInspector('GET', '/v1/patrol/my-tasks')).json.items).toEqual([]);
    const stats = (await otherOps('GET', '/v1/patrol/stats')).json;
    expect(stats.total.due).toBe(0);
    expect(JSON.stringify(stats)).not.toContain(planId);
  });
});
