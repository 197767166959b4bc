/**
 * MON-5 patrol domain module over the Store port (DynamoDB Local): teams, plans with resolved targets, the
 * schedule's idempotent generation and overdue marks, results with their membership, checklist and retry rules,
 * and an abnormal result reporting exactly one case.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TenantManifest, TenantPatrolSettings, type Device, type PatrolPlan, type PatrolTeam, type Principal } from '../../../contracts';
import { testTable } from '../../../test/support/dynamo';
import { getCase } from '../cases/cases';
import type { CaseEnv } from '../cases/ports';
import { Store } from '../data/store';
import { deviceItem } from '../devices/devices';
import { asSystem } from '../flows/task-handlers';
import { DomainError } from '../shared/errors';
import { withTenant } from '../tenancy/context';
import { onboardTenant } from '../tenants/tenants';
import { createPlan, listPlans } from './plans';
import { runPatrolSchedule } from './schedule';
import { patrolSettingsItem } from './settings';
import { myTasks, recordResult, statsOf, taskDetail } from './tasks';
import { createTeam } from './teams';
import { tenantJson } from '../../../test/support/tenant-files';
const changshaManifest = tenantJson('430100', 'manifest.json');
const changshaPatrol = tenantJson('430100', 'patrol-settings.json');

const T = '430100';
// Thursday 2026-10-08, 09:00 Beijing: the first working day after 国庆.
const NOW = new Date('2026-10-08T09:00:00+08:00');
const GRID = '430102001001001';
const INSIDE = { lng: 112.98, lat: 28.19 };
const OUTSIDE = { lng: 116.4, lat: 39.9 };

let store: Store;
let env: CaseEnv;
let team: PatrolTeam;
let plan: PatrolPlan;

const as = (subject: string, roles: Principal['roles'], department?: string) => <R>(fn: () => Promise<R>) =>
  withTenant({ principal: { subject, tenant: T, roles, kind: 'staff', ...(department ? { department } : {}) }, requestId: 'test' }, fn);
const operator = as(`${T}.monitoring-operator`, ['monitoring-operator']);
const inspector = as(`${T}.inspector`, ['inspector']);
const stranger = as(`${T}.inspector-2`, ['inspector']);
const handler = as(`${T}.department-handler`, ['department-handler'], 'CGZF');
const codeOf = async (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof DomainError ? e.code : String(e)));

const device: Device = { tenant: T, id: 'gas-valve-01', kind: 'gas-pressure', name: '五一大道燃气阀井压力计', location: INSIDE, gridId: GRID, status: 'active', registeredAt: '2026-09-01T00:00:00.000Z' };
const result = (targetId: string, over: Record<string, unknown> = {}) => ({
  targetId,
  outcome: 'normal' as const,
  answers: [{ itemId: 'cover', ok: true }, { itemId: 'smell', ok: true }],
  position: { lng: INSIDE.lng + 0.0003, lat: INSIDE.lat },
  ...over,
});

beforeAll(async () => {
  const t = await testTable('patrol');
  store = new Store({ client: t.client, tableName: t.tableName });
  env = {
    store,
    gateway: {} as CaseEnv['gateway'],
    files: {} as CaseEnv['files'],
    geo: { gridAt: async (_s, p) => (p.lng > 112.5 && p.lng < 113.5 && p.lat > 27.8 && p.lat < 28.7 ? GRID : undefined) },
    catalogue: { checkType: async () => ({ ok: true }), checkComponentId: async () => ({ ok: true }) },
    now: () => NOW,
  };
  await asSystem(T, async () => {
    await onboardTenant(store, TenantManifest.parse(changshaManifest), NOW);
    await store.put(patrolSettingsItem(TenantPatrolSettings.parse(changshaPatrol)));
    await store.put(deviceItem(device));
  });
  team = await operator(() => createTeam(store, { name: '燃气巡检一中队', members: [{ kind: 'user', subject: `${T}.inspector`, name: '张三' }, { kind: 'department', department: 'CGZF' }] }, NOW));
});

const checklist = [{ id: 'cover', text: '井盖完好、无破损' }, { id: 'smell', text: '无燃气异味' }];

describe('MON-5 teams and plans', () => {
  it('a team of an unknown department is refused', async () => {
    expect(await codeOf(operator(() => createTeam(store, { name: '坏队伍', members: [{ kind: 'department', department: 'NOPE' }] }, NOW)))).toBe('DEPARTMENT_UNKNOWN');
  });

  it('refuses an unknown device or a point outside the grids, and writes nothing', async () => {
    const base = { name: '燃气阀井巡检', domain: 'gas' as const, frequency: { type: 'daily' as const }, teamId: team.id, activeFrom: '2026-10-01' };
    expect(await codeOf(operator(() => createPlan(env, { ...base, targets: [{ kind: 'device', id: 'no-such-device', checklist }] })))).toBe('PATROL_TARGET_UNKNOWN');
    expect(await codeOf(operator(() => createPlan(env, { ...base, targets: [{ kind: 'point', id: 'pt-far', name: '北京某处', location: OUTSIDE, checklist }] })))).toBe('PATROL_POINT_OUTSIDE_TENANT');
    expect(await codeOf(operator(() => createPlan(env, { ...base, teamId: '01JZ00000000000000000000ZZ', targets: [{ kind: 'device', id: device.id, checklist }] })))).toBe('PATROL_TEAM_NOT_FOUND');
    expect(await operator(() => listPlans(store))).toEqual([]);
  });

  it('creates a plan with a device and a point, resolved, and generates today’s task at once (due 18:00 by the calendar)', async () => {
    plan = await operator(() =>
      createPlan(env, {
        name: '燃气阀井日常巡检',
        domain: 'gas',
        frequency: { type: 'daily' },
        teamId: team.id,
        activeFrom: '2026-10-08',
        targets: [
          { kind: 'device', id: device.id, checklist },
          { kind: 'point', id: 'pt-001', name: '蔡锷路燃气调压箱', location: { lng: 112.99, lat: 28.2 }, checklist },
        ],
      }),
    );
    expect(plan.targets.map((t) => [t.kind, t.id, t.name, t.gridId])).toEqual([
      ['device', device.id, device.name, GRID],
      ['point', 'pt-001', '蔡锷路燃气调压箱', GRID],
    ]);
    const mine = await inspector(() => myTasks(store, NOW));
    expect(mine.map((t) => [t.id, t.dueAt])).toEqual([[`${plan.id}-20261008`, '2026-10-08T10:00:00.000Z']]);
  });

  it('the schedule running again creates nothing new', async () => {
    expect(await asSystem(T, () => runPatrolSchedule(store, T, NOW))).toEqual({ generated: 0, overdue: 0 });
  });
});

describe('MON-5 results', () => {
  const taskId = () => `${plan.id}-20261008`;

  it('only a member of the task’s team records a result (an inspector named in it, or its department’s staff)', async () => {
    expect(await codeOf(stranger(() => recordResult(env, taskId(), result(device.id))))).toBe('PATROL_TASK_NOT_ASSIGNED');
    expect(await codeOf(stranger(() => taskDetail(store, taskId())))).toBe('PATROL_TASK_NOT_ASSIGNED');
    expect(await stranger(() => myTasks(store, NOW))).toEqual([]);
    expect((await handler(() => myTasks(store, NOW))).map((t) => t.id)).toEqual([taskId()]);
  });

  it('refuses a target outside the task and a checklist not fully answered, writing nothing', async () => {
    expect(await codeOf(inspector(() => recordResult(env, taskId(), result('pt-999'))))).toBe('PATROL_TARGET_UNKNOWN');
    expect(await codeOf(inspector(() => recordResult(env, taskId(), result(device.id, { answers: [{ itemId: 'cover', ok: true }] }))))).toBe('VALIDATION_FAILED');
    expect((await inspector(() => taskDetail(store, taskId()))).results).toEqual([]);
  });

  it('an abnormal result reports one case (source inspector, at the target); the same result again returns it, no second case', async () => {
    const body = result(device.id, { outcome: 'abnormal', answers: [{ itemId: 'cover', ok: true }, { itemId: 'smell', ok: false, note: '阀井处有明显燃气味' }], note: '已设警戒', reportCase: { kind: 'component', typeCode: '01011', urgency: 'urgent' } });
    const first = await inspector(() => recordResult(env, taskId(), body));
    expect(first.created).toBe(true);
    expect(first.result).toMatchObject({ outcome: 'abnormal', recordedBy: `${T}.inspector`, farFromTarget: false });
    expect(first.result.distanceM).toBeGreaterThan(20);
    expect(first.task).toMatchObject({ status: 'open', recorded: [device.id], abnormal: 1, casesReported: 1 });
    const kase = await inspector(() => getCase(store, first.result.caseId!));
    expect(kase).toMatchObject({ source: 'inspector', status: 'filing', typeCode: '01011', urgency: 'urgent', location: INSIDE, reportedBy: `${T}.inspector` });
    expect(kase.description).toContain('无燃气异味');

    const again = await inspector(() => recordResult(env, taskId(), body));
    expect(again.created).toBe(false);
    expect(again.result.caseId).toBe(first.result.caseId);
    expect((await inspector(() => taskDetail(store, taskId()))).task.casesReported).toBe(1);
    expect(await codeOf(inspector(() => recordResult(env, taskId(), result(device.id))))).toBe('PATROL_RESULT_EXISTS');
  });

  it('the last target completes the task on time; a GPS fix far away is flagged; afterwards the task is closed', async () => {
    const far = await handler(() => recordResult(env, taskId(), result('pt-001', { position: { lng: 112.95, lat: 28.2 } })));
    expect(far.result.farFromTarget).toBe(true);
    expect(far.task).toMatchObject({ status: 'completed', onTime: true, recorded: [device.id, 'pt-001'] });
    expect(await codeOf(inspector(() => recordResult(env, taskId(), result('pt-001', { note: '补充说明' }))))).toBe('PATROL_TASK_CLOSED');
    expect((await handler(() => recordResult(env, taskId(), result('pt-001', { position: { lng: 112.95, lat: 28.2 } })))).created).toBe(false);
  });
});

describe('MON-5 schedule and statistics', () => {
  it('a later run creates the next working day’s task, marks the missed one overdue, and the statistics count it', async () => {
    // Friday 10-09 passes with nothing done; the run on the 调休 Saturday morning sees it.
    const saturday = new Date('2026-10-10T08:30:00+08:00');
    expect(await asSystem(T, () => runPatrolSchedule(store, T, saturday))).toEqual({ generated: 2, overdue: 1 });
    expect(await asSystem(T, () => runPatrolSchedule(store, T, saturday))).toEqual({ generated: 0, overdue: 0 });
    const stats = await operator(() => statsOf(store, { from: '2026-10-01', to: '2026-10-11' }, saturday));
    expect(stats.byPlan).toEqual([expect.objectContaining({ id: plan.id, due: 3, completed: 1, completedOnTime: 1, overdue: 1, onTimeRate: 0.5, abnormal: 1, casesReported: 1 })]);
    expect(stats.byTeam[0]).toMatchObject({ id: team.id, name: '燃气巡检一中队', due: 3 });
  });
});
