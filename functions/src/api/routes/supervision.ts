/** PRV-SUP supervision items: the tenant side (inbox, feedback) and the province side (assign, review). */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { CreateSupervision, SupervisionFeedback, SupervisionItem, SupervisionReview, Ulid } from '../../../../contracts';
import {
  createSupervision,
  getSupervision,
  listOwnSupervision,
  listProvinceSupervision,
  reviewSupervision,
  submitFeedback,
  supervisionTenant,
} from '../../supervision/supervision';
import { requireRole, useProvince, useTenant } from '../../tenancy/context';
import type { AppDeps } from '../deps';
import type { Env } from '../env';
import { Items, body, errorResponses, json, secured } from './common';

const IdParam = z.object({ id: Ulid });
const TenantQuery = z.object({ tenant: z.string().regex(/^\d{6}$/).optional() });
const FEEDBACK_ROLES = ['tenant-admin', 'shift-leader', 'leader'] as const;

export function supervisionRoutes(app: OpenAPIHono<Env>, deps: AppDeps): void {
  const now = deps.now ?? (() => new Date());

  app.openapi(
    createRoute({ method: 'get', path: '/v1/supervision', tags: ['supervision'], security: secured, summary: 'Supervision items assigned to my tenant', responses: { 200: json(Items(SupervisionItem), 'Items, newest first'), ...errorResponses } }),
    async (c) => c.json({ items: await listOwnSupervision(deps.store) }, 200),
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/supervision/{id}', tags: ['supervision'], security: secured, request: { params: IdParam }, summary: 'One item assigned to my tenant', responses: { 200: json(SupervisionItem, 'Item'), ...errorResponses } }),
    async (c) => c.json(await getSupervision(deps.store, useTenant(), c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/supervision/{id}/feedback',
      tags: ['supervision'],
      security: secured,
      summary: 'Feed back on an item (tenant admin, shift leader or leader)',
      request: { params: IdParam, body: body(SupervisionFeedback) },
      responses: { 200: json(SupervisionItem, 'Item now awaiting review'), ...errorResponses },
    }),
    async (c) => {
      requireRole(...FEEDBACK_ROLES);
      return c.json(await submitFeedback(deps.store, deps.gateway, c.req.valid('param').id, c.req.valid('json').text), 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/province/supervision', tags: ['province'], security: secured, request: { query: TenantQuery }, summary: 'Province: items it assigned', responses: { 200: json(Items(SupervisionItem), 'Items'), ...errorResponses } }),
    async (c) => c.json({ items: await listProvinceSupervision(deps.store, c.req.valid('query').tenant) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/province/supervision',
      tags: ['province'],
      security: secured,
      summary: 'Province: assign a supervision item to a city or county (idempotent on clientRequestId)',
      request: { body: body(CreateSupervision) },
      responses: { 201: json(SupervisionItem, 'Assigned (or the same item again)'), ...errorResponses, 422: errorResponses[409] },
    }),
    async (c) => c.json(await createSupervision(deps.store, deps.gateway, c.req.valid('json'), now()), 201),
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/province/supervision/{id}', tags: ['province'], security: secured, request: { params: IdParam }, summary: 'Province: one item it assigned', responses: { 200: json(SupervisionItem, 'Item'), ...errorResponses } }),
    async (c) => {
      useProvince();
      const id = c.req.valid('param').id;
      return c.json(await getSupervision(deps.store, await supervisionTenant(deps.store, id), id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/province/supervision/{id}/review',
      tags: ['province'],
      security: secured,
      summary: 'Province: accept the feedback (closes) or return it',
      request: { params: IdParam, body: body(SupervisionReview) },
      responses: { 200: json(SupervisionItem, 'Reviewed'), ...errorResponses },
    }),
    async (c) => {
      useProvince();
      const id = c.req.valid('param').id;
      const { decision, comment } = c.req.valid('json');
      return c.json(await reviewSupervision(deps.store, deps.gateway, await supervisionTenant(deps.store, id), id, decision, comment), 200);
    },
  );
}
