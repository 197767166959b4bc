/** Routes without a token: health, client configuration, citizen sign-in through WeChat. */
import { createRoute } from '@hono/zod-openapi';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { CitizenSession, CitizenSessionRequest, ClientConfig, Health } from '../../../../contracts';
import { DomainError } from '../../shared/errors';
import type { AppDeps } from '../deps';
import type { Env } from '../env';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { body, errorResponses, json } from './common';


export function publicRoutes(app: OpenAPIHono<Env>, deps: AppDeps): void {
  app.openapi(
    createRoute({ method: 'get', path: '/healthz', tags: ['system'], summary: 'Health of each part', responses: { 200: json(Health, 'All parts up'), 503: json(Health, 'A part is down') } }),
    async (c) => {
      const parts: Record<string, { ok: boolean; detail?: string }> = { api: { ok: true } };
      try {
        await deps.store.doc.send(new GetCommand({ TableName: deps.store.tableName, Key: { PK: 'HEALTH', SK: 'HEALTH' } }));
        parts.dynamodb = { ok: true };
      } catch (err) {
        parts.dynamodb = { ok: false, detail: (err as Error).name };
      }
      Object.assign(parts, (await deps.health?.().catch((err: Error) => ({ runtime: { ok: false, detail: err.message } }))) ?? {});
      const ok = Object.values(parts).every((p) => p.ok);
      const health = { ok, version: deps.config.CITYOPS_VERSION, runtime: deps.config.CITYOPS_RUNTIME, parts };
      return ok ? c.json(health, 200) : c.json(health, 503);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/config', tags: ['system'], summary: 'How the web app signs people in', responses: { 200: json(ClientConfig, 'Client configuration') } }),
    (c) => {
      const cfg = deps.config;
      const dev = cfg.CITYOPS_RUNTIME === 'local' && !cfg.OIDC_AUTHORIZE_URL;
      return c.json(
        {
          runtime: cfg.CITYOPS_RUNTIME,
          auth: dev
            ? { mode: 'dev-password' as const, issuer: cfg.OIDC_ISSUER }
            : { mode: 'oidc' as const, issuer: cfg.OIDC_ISSUER, clientId: cfg.OIDC_CLIENT_ID, authorizeUrl: cfg.OIDC_AUTHORIZE_URL, tokenUrl: cfg.OIDC_TOKEN_URL },
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/citizen/session',
      tags: ['citizen'],
      summary: 'Sign a citizen in with a WeChat mini-program login code (code2Session)',
      request: { body: body(CitizenSessionRequest) },
      responses: { 200: json(CitizenSession, 'A platform token with the citizen role'), ...errorResponses, 503: errorResponses[409] },
    }),
    async (c) => {
      if (!deps.wechat || !deps.citizenIssuer) throw new DomainError('WECHAT_UNAVAILABLE', undefined, 'WeChat is not configured');
      const { tenant, code } = c.req.valid('json');
      const { openid } = await deps.wechat.code2Session(code);
      const { token, expiresIn } = await deps.citizenIssuer.issue(tenant, openid);
      return c.json({ token, tokenType: 'Bearer' as const, expiresIn }, 200);
    },
  );
}
