/** The signed-in user's view of itself: who am I, my tenant, my open tasks. */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { HumanTask, Me, TenantProfile } from '../../../../contracts';
import { myOpenTasks } from '../../flows/tasks';
import { usePrincipal } from '../../tenancy/context';
import { ownProfile } from '../../tenants/tenants';
import type { AppDeps } from '../deps';
import type { Env } from '../env';
import { Items, errorResponses, json, secured } from './common';


export function tenantRoutes(app: OpenAPIHono<Env>, deps: AppDeps): void {
  app.openapi(
    createRoute({ method: 'get', path: '/v1/me', tags: ['identity'], security: secured, summary: 'The signed-in principal and its tenant', responses: { 200: json(Me, 'Me'), ...errorResponses } }),
    async (c) => {
      const profile = await ownProfile(deps.store);
      const { code, name, level, parent, platform } = profile;
      return c.json({ ...usePrincipal(), tenantProfile: { code, name, level, parent, platform } }, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/tenant', tags: ['tenant'], security: secured, summary: 'The caller’s own tenant profile', responses: { 200: json(TenantProfile, 'Profile'), ...errorResponses } }),
    async (c) => c.json(await ownProfile(deps.store), 200),
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/tasks', tags: ['tasks'], security: secured, summary: 'Open human tasks for my roles', responses: { 200: json(Items(HumanTask), 'Open tasks, earliest due first'), ...errorResponses } }),
    async (c) => {
      // Parsing with the view schema drops the token and the stored output: tokens stay server-side.
      const items = (await myOpenTasks(deps.store)).map((t) => HumanTask.parse(t));
      return c.json({ items }, 200);
    },
  );
}

