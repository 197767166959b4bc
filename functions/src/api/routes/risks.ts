/** MON-2 and MON-6 over HTTP: risk points, hidden hazards, accidents and their statistics, the contingency plan library. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  Accident,
  AccidentStats,
  CreateRiskPoint,
  Hazard,
  HazardQuery,
  HazardTransition,
  HazardView,
  Month,
  PlanView,
  RecordAccident,
  ReportHazard,
  ReviewRiskPoint,
  RiskPoint,
  RiskQuery,
} from '../../../../contracts';
import { DomainError } from '../../shared/errors';
import { ACCIDENT_RECORDER_ROLES, accidentStats, listAccidents, monthRange, recordAccident } from '../../risks/accidents';
import type { RiskEnv } from '../../risks/env';
import { getHazard, HAZARD_SOURCES_BY_ROLE, hazardView, listHazards, reportHazard, transitionHazard } from '../../risks/hazards';
import { getPlan, listPlans, plansForAlarm } from '../../risks/plans';
import { createRiskPoint, getRiskPoint, listRiskPoints, reviewRiskPoint, RISK_MANAGER_ROLES } from '../../risks/risk-points';
import { requireRole, requireStaff } from '../../tenancy/context';
import type { AppDeps } from '../deps';
import type { Env } from '../env';
import { body, errorResponses, Items, json, secured } from './common';

/** Who reads the registries: the monitoring viewers (as /v1/alarms). */
const ViewerRoles = ['tenant-admin', 'monitoring-operator', 'leader', 'shift-leader', 'dispatcher'] as const;
/** Risk points are also read by those who report hazards on them and who carry out measures. */
const RiskReaderRoles = [...ViewerRoles, 'inspector', 'department-handler'] as const;
/** Everyone who may report a hazard (the domain checks the source) or rectify one (the domain checks the department). */
const HazardRoles = [...new Set([...ViewerRoles, ...(Object.keys(HAZARD_SOURCES_BY_ROLE) as (keyof typeof HAZARD_SOURCES_BY_ROLE)[])])];
const PlanReaderRoles = [...ViewerRoles, 'department-handler'] as const;
const IdParam = z.object({ id: z.string().min(1).max(64) });
const created = { 422: errorResponses[409] };

export function riskRoutes(app: OpenAPIHono<Env>, deps: AppDeps): void {
  const env = (): RiskEnv => {
    const ports = deps.cases ?? deps.monitoring?.devices;
    if (!ports) throw new DomainError('INTERNAL', undefined, 'risk module not configured (no geo lookup)');
    return { store: deps.store, geo: ports.geo, catalogue: ports.catalogue, now: deps.now ?? (() => new Date()) };
  };
  const now = () => (deps.now ?? (() => new Date()))();

  // Risk points -------------------------------------------------------------------------------------------

  app.openapi(
    createRoute({ method: 'get', path: '/v1/risks', tags: ['risks'], security: secured, request: { query: RiskQuery }, summary: 'MON-2: risk points, most severe first', responses: { 200: json(Items(RiskPoint), 'Risk points'), ...errorResponses } }),
    async (c) => {
      requireStaff();
      requireRole(...RiskReaderRoles);
      return c.json({ items: await listRiskPoints(deps.store, c.req.valid('query')) }, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'post', path: '/v1/risks', tags: ['risks'], security: secured, request: { body: body(CreateRiskPoint) }, summary: 'MON-2: register a risk point (idempotent on clientId)', responses: { 201: json(RiskPoint, 'Registered'), 200: json(RiskPoint, 'The same request again'), ...errorResponses, ...created } }),
    async (c) => {
      requireRole(...RISK_MANAGER_ROLES);
      const r = await createRiskPoint(env(), c.req.valid('json'));
      return r.created ? c.json(r.record, 201) : c.json(r.record, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/risks/{id}', tags: ['risks'], security: secured, request: { params: IdParam }, summary: 'MON-2: a risk point with its history', responses: { 200: json(RiskPoint, 'Risk point'), ...errorResponses } }),
    async (c) => {
      requireStaff();
      requireRole(...RiskReaderRoles);
      return c.json(await getRiskPoint(deps.store, c.req.valid('param').id), 200);
    },
  );

  app.openapi(
    createRoute({ method: 'post', path: '/v1/risks/{id}/review', tags: ['risks'], security: secured, request: { params: IdParam, body: body(ReviewRiskPoint) }, summary: 'MON-2: 复核 — a new grading and control measures on top of the version read', responses: { 200: json(RiskPoint, 'Reviewed'), ...errorResponses } }),
    async (c) => {
      requireRole(...RISK_MANAGER_ROLES);
      return c.json(await reviewRiskPoint(env(), c.req.valid('param').id, c.req.valid('json')), 200);
    },
  );

  // Hazards -----------------------------------------------------------------------------------------------

  app.openapi(
    createRoute({ method: 'get', path: '/v1/hazards', tags: ['risks'], security: secured, request: { query: HazardQuery }, summary: 'MON-2: hidden hazards the caller may see, newest first', responses: { 200: json(Items(HazardView), 'Hazards'), ...errorResponses } }),
    async (c) => {
      requireStaff();
      requireRole(...HazardRoles);
      return c.json({ items: await listHazards(deps.store, c.req.valid('query'), now()) }, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'post', path: '/v1/hazards', tags: ['risks'], security: secured, request: { body: body(ReportHazard) }, summary: 'MON-2: report a hidden hazard (idempotent on clientId)', responses: { 201: json(HazardView, 'Reported'), 200: json(HazardView, 'The same report again'), ...errorResponses, ...created } }),
    async (c) => {
      requireStaff();
      const r = await reportHazard(env(), c.req.valid('json'));
      return r.created ? c.json(hazardView(r.record, now()), 201) : c.json(hazardView(r.record, now()), 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/hazards/{id}', tags: ['risks'], security: secured, request: { params: IdParam }, summary: 'MON-2: a hazard with its history', responses: { 200: json(HazardView, 'Hazard'), ...errorResponses } }),
    async (c) => {
      requireStaff();
      requireRole(...HazardRoles);
      return c.json(hazardView(await getHazard(deps.store, c.req.valid('param').id), now()), 200);
    },
  );

  app.openapi(
    createRoute({ method: 'post', path: '/v1/hazards/{id}/transitions', tags: ['risks'], security: secured, request: { params: IdParam, body: body(HazardTransition) }, summary: 'MON-2: one step of a hazard’s life cycle (confirm, reject, start, complete, close, reopen)', responses: { 200: json(HazardView, 'Hazard'), ...errorResponses } }),
    async (c) => {
      requireStaff();
      requireRole(...HazardRoles);
      const h: Hazard = await transitionHazard(env(), c.req.valid('param').id, c.req.valid('json'));
      return c.json(hazardView(h, now()), 200);
    },
  );

  // Accidents ---------------------------------------------------------------------------------------------

  app.openapi(
    createRoute({ method: 'get', path: '/v1/accidents', tags: ['risks'], security: secured, request: { query: z.object({ month: Month.optional() }) }, summary: 'MON-2: accident records (of a month), newest first', responses: { 200: json(Items(Accident), 'Accidents'), ...errorResponses } }),
    async (c) => {
      requireRole(...ViewerRoles);
      const month = c.req.valid('query').month;
      const items = month ? await listAccidents(deps.store, ...monthRange(month)) : await listAccidents(deps.store);
      return c.json({ items: items.reverse() }, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'post', path: '/v1/accidents', tags: ['risks'], security: secured, request: { body: body(RecordAccident) }, summary: 'MON-2: record an accident (idempotent on clientId)', responses: { 201: json(Accident, 'Recorded'), 200: json(Accident, 'The same request again'), ...errorResponses, ...created } }),
    async (c) => {
      requireRole(...ACCIDENT_RECORDER_ROLES);
      const r = await recordAccident(env(), c.req.valid('json'));
      return r.created ? c.json(r.record, 201) : c.json(r.record, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/accidents/stats', tags: ['risks'], security: secured, request: { query: z.object({ month: Month.optional() }) }, summary: 'MON-2: accidents of a month by domain, with 环比 and 同比', responses: { 200: json(AccidentStats, 'Statistics'), ...errorResponses } }),
    async (c) => {
      requireRole(...ViewerRoles);
      const month = c.req.valid('query').month ?? new Date(now().getTime() + 8 * 3600_000).toISOString().slice(0, 7);
      return c.json(await accidentStats(deps.store, month), 200);
    },
  );

  // Contingency plans -------------------------------------------------------------------------------------

  app.openapi(
    createRoute({ method: 'get', path: '/v1/plans', tags: ['risks'], security: secured, summary: 'MON-6: the contingency plan library, each plan with the alarm rules that lead to it', responses: { 200: json(Items(PlanView), 'Plans'), ...errorResponses } }),
    async (c) => {
      requireStaff();
      requireRole(...PlanReaderRoles);
      return c.json({ items: await listPlans(deps.store) }, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/plans/{id}', tags: ['risks'], security: secured, request: { params: IdParam }, summary: 'MON-6: one contingency plan', responses: { 200: json(PlanView, 'Plan'), ...errorResponses } }),
    async (c) => {
      requireStaff();
      requireRole(...PlanReaderRoles);
      return c.json(await getPlan(deps.store, c.req.valid('param').id), 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/alarms/{id}/plans', tags: ['risks'], security: secured, request: { params: IdParam }, summary: 'MON-6: the contingency plans that answer an alarm', responses: { 200: json(Items(PlanView), 'Plans'), ...errorResponses } }),
    async (c) => {
      requireStaff();
      requireRole(...ViewerRoles);
      return c.json({ items: await plansForAlarm(deps.store, c.req.valid('param').id) }, 200);
    },
  );
}
