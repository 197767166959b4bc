/**
 * Patrol tasks and results (巡检任务, 巡检结果, MON-5): the lists (per period, and "my tasks" for a team member),
 * one task with its results, and recording one target's result on site. A result is kept once per task and
 * target: the same body again returns it (a retry after a lost answer), a different one is refused. An abnormal
 * result may report a case through the case intake (`reportCase`, source 'inspector') with a client id derived
 * from the task and target, so a retried result never opens a second case.
 */
import { createHash } from 'node:crypto';
import distance from '@turf/distance';
import { z } from 'zod';
import { PatrolResult, PatrolTask, RecordPatrolResult, type PatrolStats, type PatrolTaskDetail, type PatrolTaskQuery, type RecordedPatrolResult } from '../../../contracts';
import { reportCase } from '../cases/cases';
import type { CaseEnv } from '../cases/ports';
import { keys } from '../data/keys';
import { isConditionFailure, type Store } from '../data/store';
import { DomainError } from '../shared/errors';
import { hasRole, usePrincipal, useTenant } from '../tenancy/context';
import { beijingDay } from './generator';
import { listPlans } from './plans';
import { openTasks, taskItem } from './schedule';
import { patrolSettings } from './settings';
import { patrolStats } from './stats';
import { getTeam, isMember, listTeams, myTeams } from './teams';

/** Roles that see every task of the tenant (managers, and leaders who read); others see their teams' tasks only. */
const OVERSEERS = ['tenant-admin', 'monitoring-operator', 'leader'] as const;

const ResultItem = PatrolResult.extend({ requestHash: z.string() });
type ResultItem = z.infer<typeof ResultItem>;

const resultItem = (r: ResultItem) => ({ ...keys.patrolResult(r.tenant, r.taskId, r.targetId), ...r, entity: 'patrol-result' });
const publicResult = ({ requestHash: _hash, ...r }: ResultItem): PatrolResult => r;

const TaskId = PatrolTask.shape.id;

async function findTask(store: Store, id: string): Promise<PatrolTask> {
  const t = TaskId.safeParse(id).success ? await store.get(PatrolTask, keys.patrolTask(useTenant(), id)) : undefined;
  if (!t) throw new DomainError('PATROL_TASK_NOT_FOUND');
  return t;
}

/** The task, if the caller oversees patrols or belongs to its team (403 otherwise). */
async function visibleTask(store: Store, id: string): Promise<PatrolTask> {
  const task = await findTask(store, id);
  if (hasRole(...OVERSEERS)) return task;
  const team = await getTeam(store, task.teamId).catch(() => undefined);
  if (!team || !isMember(team, usePrincipal())) throw new DomainError('PATROL_TASK_NOT_ASSIGNED');
  return task;
}

/** One task with its results so far. */
export async function taskDetail(store: Store, id: string): Promise<PatrolTaskDetail> {
  const task = await visibleTask(store, id);
  const results = await store.query(ResultItem, { pk: keys.patrolTask(task.tenant, task.id).PK, skBeginsWith: 'RESULT#' });
  return { task, results: results.map(publicResult) };
}

const monthsOf = (from: string, to: string): string[] => {
  const out: string[] = [];
  const d = new Date(`${from.slice(0, 7)}-01T00:00:00Z`);
  while (d.toISOString().slice(0, 7) <= to.slice(0, 7)) {
    out.push(d.toISOString().slice(0, 7).replace('-', ''));
    d.setUTCMonth(d.getUTCMonth() + 1);
  }
  return out;
};

/** Tasks whose cycle day is in [from, to), newest cycle first; default the last 30 days up to today. */
export async function listTasks(store: Store, q: PatrolTaskQuery, now: Date): Promise<PatrolTask[]> {
  const tenant = useTenant();
  const to = q.to ?? beijingDay(new Date(now.getTime() + 86_400_000));
  const from = q.from ?? beijingDay(new Date(now.getTime() - 30 * 86_400_000));
  const out: PatrolTask[] = [];
  for (const month of monthsOf(from, to)) {
    const rows = await store.query(PatrolTask, { index: 'GSI1', pk: keys.patrolTaskMonth(tenant, month), skBetween: [from, `${to}`] });
    out.push(...rows.filter((t) => t.cycleDay >= from && t.cycleDay < to && (!q.planId || t.planId === q.planId)));
  }
  return out.sort((a, b) => b.cycleDay.localeCompare(a.cycleDay) || a.planName.localeCompare(b.planName, 'zh-CN'));
}

/** 我的巡检: the open tasks of the caller's teams (overdue ones too) and their tasks of today, earliest due first. */
export async function myTasks(store: Store, now: Date): Promise<PatrolTask[]> {
  const tenant = useTenant();
  const teams = new Set((await myTeams(store)).map((t) => t.id));
  if (teams.size === 0) return [];
  const today = beijingDay(now);
  const [open, todays] = await Promise.all([
    openTasks(store, tenant),
    store.query(PatrolTask, { index: 'GSI1', pk: keys.patrolTaskMonth(tenant, today.slice(0, 7).replace('-', '')), skBeginsWith: `${today}#` }),
  ]);
  const byId = new Map([...open, ...todays].filter((t) => teams.has(t.teamId)).map((t) => [t.id, t]));
  return [...byId.values()].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}

/** MON-5 statistics of the tasks whose cycle day is in [from, to). */
export async function statsOf(store: Store, period: { from: string; to: string }, now: Date): Promise<PatrolStats> {
  const [tasks, plans, teams] = await Promise.all([listTasks(store, period, now), listPlans(store), listTeams(store)]);
  return patrolStats(tasks, { plans: new Map(plans.map((p) => [p.id, p.name])), teams: new Map(teams.map((t) => [t.id, t.name])) }, period, now);
}

/** The case intake's client id for a task's target: deterministic, within the 8–64 characters it allows. */
export const patrolCaseClientId = (taskId: string, targetId: string): string => `patrol-${createHash('sha256').update(`${taskId}/${targetId}`).digest('hex').slice(0, 32)}`;

/** Record one target's result (see the module comment for retries and cases). */
export async function recordResult(env: CaseEnv, taskId: string, raw: RecordPatrolResult): Promise<RecordedPatrolResult> {
  const input = RecordPatrolResult.parse(raw);
  const p = usePrincipal();
  const tenant = useTenant();
  let task = await findTask(env.store, taskId);
  const team = await getTeam(env.store, task.teamId).catch(() => undefined);
  if (!team || !isMember(team, p)) throw new DomainError('PATROL_TASK_NOT_ASSIGNED');
  const target = task.targets.find((t) => t.id === input.targetId);
  if (!target) throw new DomainError('PATROL_TARGET_UNKNOWN', [{ path: 'targetId', message: input.targetId }]);
  const asked = new Set(target.checklist.map((c) => c.id));
  const answered = new Set(input.answers.map((a) => a.itemId));
  const missing = [...asked].filter((id) => !answered.has(id));
  const extra = [...answered].filter((id) => !asked.has(id));
  if (missing.length || extra.length) {
    throw new DomainError('VALIDATION_FAILED', [
      ...missing.map((id) => ({ path: 'answers', message: `checklist item ${id} is not answered` })),
      ...extra.map((id) => ({ path: 'answers', message: `${id} is not an item of this target's checklist` })),
    ]);
  }

  const requestHash = createHash('sha256').update(JSON.stringify(input)).digest('hex').slice(0, 16);
  const resultKey = keys.patrolResult(tenant, task.id, target.id);
  const replay = (existing: ResultItem, current: PatrolTask): RecordedPatrolResult => {
    if (existing.requestHash !== requestHash) throw new DomainError(current.status === 'open' ? 'PATROL_RESULT_EXISTS' : 'PATROL_TASK_CLOSED');
    return { result: publicResult(existing), task: current, created: false };
  };
  const existing = await env.store.get(ResultItem, resultKey);
  if (existing) return replay(existing, task);
  if (task.status !== 'open') throw new DomainError('PATROL_TASK_CLOSED');

  const settings = await patrolSettings(env.store, tenant);
  const now = env.now();
  const distanceM = Math.round(distance([input.position.lng, input.position.lat], [target.location.lng, target.location.lat], { units: 'meters' }) * 10) / 10;

  // The case first: a refused report (unknown type code, a role that may not report) leaves nothing written, and
  // a result is never stored without the case it asked for. reportCase is idempotent on the client id.
  let kase: { id: string; number: string } | undefined;
  if (input.outcome === 'abnormal' && input.reportCase) {
    const r = input.reportCase;
    const failed = input.answers.filter((a) => !a.ok).map((a) => target.checklist.find((c) => c.id === a.itemId)?.text ?? a.itemId);
    const description = r.description ?? `【巡检】${task.planName}：${target.name}（${target.id}）${failed.length ? `异常：${failed.join('；')}` : '异常'}${input.note ? `。${input.note}` : ''}`.slice(0, 1000);
    const reported = await reportCase(env, {
      clientId: patrolCaseClientId(task.id, target.id),
      source: 'inspector',
      kind: r.kind,
      typeCode: r.typeCode,
      ...(r.kind === 'component' && target.componentId?.slice(6, 11) === r.typeCode ? { componentId: target.componentId } : {}),
      description,
      location: target.location,
      urgency: r.urgency,
      photoIds: r.photoIds,
      externalRef: `patrol:${task.id}/${target.id}`.slice(0, 128),
    });
    kase = { id: reported.case.id, number: reported.case.number };
  }

  const result: ResultItem = {
    tenant,
    taskId: task.id,
    targetId: target.id,
    outcome: input.outcome,
    answers: input.answers,
    note: input.note,
    position: input.position,
    distanceM,
    farFromTarget: distanceM > settings.gpsToleranceMeters,
    recordedBy: p.subject,
    ...(p.name ? { recordedByName: p.name } : {}),
    recordedAt: now.toISOString(),
    ...(kase ? { caseId: kase.id, caseNumber: kase.number } : {}),
    requestHash,
  };

  // The result and the task's progress in one transaction, guarded by the number of results the task had when
  // read: results for other targets of the same task at the same moment make it read again and retry.
  for (let attempt = 0; ; attempt++) {
    const completes = task.recorded.length + 1 === task.targets.length;
    const next: PatrolTask = {
      ...task,
      recorded: [...task.recorded, target.id],
      abnormal: task.abnormal + (input.outcome === 'abnormal' ? 1 : 0),
      casesReported: task.casesReported + (kase ? 1 : 0),
      ...(completes ? { status: 'completed' as const, completedAt: now.toISOString(), onTime: now.getTime() <= Date.parse(task.dueAt) } : {}),
    };
    try {
      await env.store.transact([
        { Put: { Item: resultItem(result), ConditionExpression: 'attribute_not_exists(PK)' } },
        {
          Put: {
            Item: taskItem(next),
            // The overdue mark too: the schedule may have set it since the read, and this put must not undo it.
            ConditionExpression: '#s = :open AND size(recorded) = :n AND overdue = :ov',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':open': 'open', ':n': task.recorded.length, ':ov': task.overdue },
          },
        },
      ]);
      return { result: publicResult(result), task: next, created: true };
    } catch (err) {
      if (!isConditionFailure(err) || attempt >= 5) throw err;
      const raced = await env.store.get(ResultItem, resultKey);
      task = await findTask(env.store, task.id);
      if (raced) return replay(raced, task);
      if (task.status !== 'open') throw new DomainError('PATROL_TASK_CLOSED');
    }
  }
}
