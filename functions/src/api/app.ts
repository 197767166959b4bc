/**
 * The one Hono app: request id → structured logger → auth (verified token → tenant context) → zod-validated
 * routes → domain modules. Served by @hono/node-server locally and by Lambda as middy(handle(app)).
 */
import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { DomainError } from '../shared/errors';
import { childLogger } from '../shared/logger';
import { withTenant } from '../tenancy/context';
import type { AppDeps } from './deps';
import type { Env } from './env';
import { errorResponse, onError } from './errors';
import { publicRoutes } from './routes/public';
import { provinceRoutes } from './routes/province';
import { supervisionRoutes } from './routes/supervision';
import { caseRoutes } from './routes/cases';
import { basedataRoutes } from './routes/basedata';
import { evaluationRoutes } from './routes/evaluation';
import { inspectorRoutes } from './routes/inspectors';
import { monitoringRoutes } from './routes/monitoring';
import { patrolRoutes } from './routes/patrol';
import { riskRoutes } from './routes/risks';
import { tenantRoutes } from './routes/tenant';

/** Paths under /v1 that need no token. */
const PUBLIC_V1 = new Set(['/v1/config', '/v1/citizen/session']);

export function createOpenApiApp(): OpenAPIHono<Env> {
  return new OpenAPIHono<Env>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const details = result.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
        return errorResponse(c, 'VALIDATION_FAILED', details);
      }
    },
  });
}

export function createApp(deps: AppDeps): OpenAPIHono<Env> {
  const app = createOpenApiApp();

  app.use('*', async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && /^[A-Za-z0-9._-]{6,80}$/.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    c.set('log', childLogger({ requestId }));
    const started = Date.now();
    await next();
    c.header('x-request-id', requestId);
    c.var.log.debug('request', { method: c.req.method, path: c.req.routePath, status: c.res.status, ms: Date.now() - started });
  });

  // Photos and device import files are up to 5 MB; everything else is small JSON.
  const photoLimit = bodyLimit({ maxSize: 5 * 1024 * 1024, onError: (c) => errorResponse(c, 'PHOTO_TOO_LARGE') });
  const importLimit = bodyLimit({ maxSize: 5 * 1024 * 1024 + 1024, onError: (c) => errorResponse(c, 'PAYLOAD_TOO_LARGE') });
  const jsonLimit = bodyLimit({ maxSize: 256 * 1024, onError: (c) => errorResponse(c, 'PAYLOAD_TOO_LARGE') });
  app.use('/v1/*', async (c, next) =>
    c.req.path === '/v1/photos' ? photoLimit(c, next) : c.req.path === '/v1/devices/import' ? importLimit(c, next) : jsonLimit(c, next),
  );

  app.use('/v1/*', async (c, next) => {
    if (PUBLIC_V1.has(c.req.path)) return await next();
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new DomainError('UNAUTHENTICATED');
    const principal = await deps.verify(match[1]);
    c.set('principal', principal);
    c.set('log', childLogger({ requestId: c.var.requestId, tenant: principal.tenant }));
    await withTenant({ principal, requestId: c.var.requestId }, next);
  });

  publicRoutes(app, deps);
  tenantRoutes(app, deps);
  supervisionRoutes(app, deps);
  provinceRoutes(app, deps);
  caseRoutes(app, deps);
  basedataRoutes(app, deps);
  evaluationRoutes(app, deps);
  monitoringRoutes(app, deps);
  patrolRoutes(app, deps);
  riskRoutes(app, deps);
  inspectorRoutes(app, deps);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'CityOps API — 城市运行管理服务平台',
      version: deps.config.CITYOPS_VERSION,
      description: 'Multi-tenant city operation management service platform (Hunan). Errors carry a stable code and zh-CN/en messages.',
    },
  });

  app.notFound((c) => errorResponse(c, 'NOT_FOUND'));
  app.onError(onError);
  return app;
}
