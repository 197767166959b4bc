/** Province read paths over its tenants (TEN-3): the only way one tenant's data is seen by another. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { DivisionCode, TenantProfile } from '../../../../contracts';
import { provinceRollups } from '../../rollups/rollups';
import { listProvinceTenants, provinceTenant } from '../../tenants/tenants';
import type { AppDeps } from '../deps';
import type { Env } from '../env';
import { Items, errorResponses, json, secured } from './common';

const Rollups = z.object({ totals: z.record(z.string(), z.number()), byTenant: z.record(z.string(), z.record(z.string(), z.number())) });

export function provinceRoutes(app: OpenAPIHono<Env>, deps: AppDeps): void {
  app.openapi(
    createRoute({ method: 'get', path: '/v1/province/stats', tags: ['province'], security: secured, summary: 'Province: counters summed over its tenants (from stream rollups)', responses: { 200: json(Rollups, 'Totals and per-tenant values'), ...errorResponses } }),
    async (c) => c.json(await provinceRollups(deps.store), 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/v1/province/tenants', tags: ['province'], security: secured, summary: 'Province: every tenant of the province', responses: { 200: json(Items(TenantProfile), 'Tenants'), ...errorResponses } }),
    async (c) => c.json({ items: await listProvinceTenants(deps.store) }, 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/v1/province/tenants/{code}', tags: ['province'], security: secured, request: { params: z.object({ code: DivisionCode }) }, summary: 'Province: one tenant', responses: { 200: json(TenantProfile, 'Tenant'), ...errorResponses } }),
    async (c) => c.json(await provinceTenant(deps.store, c.req.valid('param').code), 200),
  );
}
