/**
 * MON-5 patrol inspection over HTTP: teams and plans (monitoring operators and tenant admins manage them,
 * leaders read), tasks (team members see and complete their own team's; overseers see all), results, statistics.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  CreatePatrolPlan,
  CreatePatrolTeam,
  PatrolDay,
  PatrolPlan,
  PatrolStats,
  PatrolTask,
  PatrolTaskDetail,
  PatrolTaskQuery,
  PatrolTeam,
  RecordPatrolResult,
  RecordedPatrolResult,
  SetPatrolPlanStatus,
} from '../../../../contracts';
import type { CaseEnv } from '../../cases/ports';
import { createPlan, getPlan, listPlans, setPlanStatus } from '../../patrol/plans';
import { beijingDay } from '../../patrol/generator';
import { myTasks, listTasks, recordResult, statsOf, taskDetail } from '../../patrol/tasks';
import { createTeam, listTeams } from '../../patrol/teams';
import { DomainError } from '../../shared/errors';
import { requireRole } from '../../tenancy/context';
import type { AppDeps } from '../deps';
import type { Env } from '../env';
import { body, errorResponses, Items, json, secured } from './common';

const ManagerRoles = ['tenant-admin', 'monitoring-operator'] as const;
const ReaderRoles = ['tenant-admin', 'monitoring-operator', 'leader'] as const;
/** Who may be a team member: inspectors, and department handlers for their department. */
const MemberRoles = ['inspector', 'department-handler'] as const;
const IdParam = z.object({ id: z.string().min(1).max(64) });
const Period = z.object({ from: PatrolDay.optional(), to: PatrolDay.optional() });
/** Lists and statistics read one index partition per month: a period is at most a year and a bit. */
const MAX_PERIOD_DAYS = 400;

function checkPeriod(from: string | undefined, to: string | undefined): void {
  if (from === undefined || to === undefined) return;
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  if (days <= 0) throw new DomainError('VALIDATION_FAILED', [{ path: 'to', message: 'to must be after from' }]);
  if (days > MAX_PERIOD_DAYS) throw new DomainError('VALIDATION_FAILED', [{ path: 'to', message: `a period is at most ${MAX_PERIOD_DAYS} days` }]);
}

export function patrolRoutes(app: OpenAPIHono<Env>, deps: AppDeps): void {
  const cases = (): CaseEnv => {
    if (!deps.cases) throw new DomainError('INTERNAL', undefined, 'the case module (grid lookup, catalogue) is not configured');
    return deps.cases;
  };
  const now = () => (deps.now ?? (() => new Date()))();

  app.openapi(
    createRoute({ method: 'get', path: '/v1/patrol/teams', tags: ['patrol'], security: secured, summary: 'MON-5: patrol teams (巡检力量)', responses: { 200: json(Items(PatrolTeam), 'Teams'), ...errorResponses } }),
    async (c) => {
      requireRole(...ReaderRoles);
      return c.json({ items: await listTeams(deps.store) }, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'post', path: '/v1/patrol/teams', tags: ['patrol'], security: secured, request: { body: body(CreatePatrolTeam) }, summary: 'MON-5: create a patrol team of inspectors and/or departments', responses: { 201: json(PatrolTeam, 'Created'), ...errorResponses } }),
    async (c) => {
      requireRole(...ManagerRoles);
      return c.json(await createTeam(deps.store, c.req.valid('json'), now()), 201);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/patrol/plans', tags: ['patrol'], security: secured, summary: 'MON-5: patrol plans (巡检计划), newest first', responses: { 200: json(Items(PatrolPlan), 'Plans'), ...errorResponses } }),
    async (c) => {
      requireRole(...ReaderRoles);
      return c.json({ items: await listPlans(deps.store) }, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'post', path: '/v1/patrol/plans', tags: ['patrol'], security: secured, request: { body: body(CreatePatrolPlan) }, summary: 'MON-5: create a patrol plan (its current task is generated at once)', responses: { 201: json(PatrolPlan, 'Created'), ...errorResponses } }),
    async (c) => {
      requireRole(...ManagerRoles);
      const env = cases();
      return c.json(await createPlan({ store: deps.store, geo: env.geo, catalogue: env.catalogue, now }, c.req.valid('json')), 201);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/patrol/plans/{id}', tags: ['patrol'], security: secured, request: { params: IdParam }, summary: 'MON-5: one patrol plan', responses: { 200: json(PatrolPlan, 'Plan'), ...errorResponses } }),
    async (c) => {
      requireRole(...ReaderRoles);
      return c.json(await getPlan(deps.store, c.req.valid('param').id), 200);
    },
  );

  app.openapi(
    createRoute({ method: 'post', path: '/v1/patrol/plans/{id}/status', tags: ['patrol'], security: secured, request: { params: IdParam, body: body(SetPatrolPlanStatus) }, summary: 'MON-5: pause, resume or end a plan', responses: { 200: json(PatrolPlan, 'Plan'), ...errorResponses } }),
    async (c) => {
      requireRole(...ManagerRoles);
      return c.json(await setPlanStatus(deps.store, c.req.valid('param').id, c.req.valid('json'), now()), 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/patrol/tasks', tags: ['patrol'], security: secured, request: { query: PatrolTaskQuery }, summary: 'MON-5: tasks by cycle day in [from, to), newest first', responses: { 200: json(Items(PatrolTask), 'Tasks'), ...errorResponses } }),
    async (c) => {
      requireRole(...ReaderRoles);
      const q = c.req.valid('query');
      checkPeriod(q.from, q.to);
      return c.json({ items: await listTasks(deps.store, q, now()) }, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/patrol/my-tasks', tags: ['patrol'], security: secured, summary: '我的巡检: open and today’s tasks of my teams, earliest due first', responses: { 200: json(Items(PatrolTask), 'Tasks'), ...errorResponses } }),
    async (c) => {
      requireRole(...MemberRoles);
      return c.json({ items: await myTasks(deps.store, now()) }, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/patrol/tasks/{id}', tags: ['patrol'], security: secured, request: { params: IdParam }, summary: 'MON-5: a task with its results (members of its team and overseers)', responses: { 200: json(PatrolTaskDetail, 'Task'), ...errorResponses } }),
    async (c) => {
      requireRole(...ReaderRoles, ...MemberRoles);
      return c.json(await taskDetail(deps.store, c.req.valid('param').id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/patrol/tasks/{id}/results',
      tags: ['patrol'],
      security: secured,
      request: { params: IdParam, body: body(RecordPatrolResult) },
      summary: 'MON-5: record one target’s result (the same body again returns it); an abnormal one may report a case',
      responses: { 201: json(RecordedPatrolResult, 'Recorded'), 200: json(RecordedPatrolResult, 'Recorded before'), ...errorResponses },
    }),
    async (c) => {
      requireRole(...MemberRoles);
      const r = await recordResult({ ...cases(), now }, c.req.valid('param').id, c.req.valid('json'));
      return r.created ? c.json(r, 201) : c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/patrol/stats', tags: ['patrol'], security: secured, request: { query: Period }, summary: 'MON-5: per plan and team: due, completed, on time (按时巡检率), overdue, abnormal, cases', responses: { 200: json(PatrolStats, 'Statistics'), ...errorResponses } }),
    async (c) => {
      requireRole(...ReaderRoles);
      const q = c.req.valid('query');
      const today = beijingDay(now());
      const to = q.to ?? beijingDay(new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000));
      const from = q.from ?? `${today.slice(0, 7)}-01`;
      checkPeriod(from, to);
      return c.json(await statsOf(deps.store, { from, to }, now()), 200);
    },
  );
}
