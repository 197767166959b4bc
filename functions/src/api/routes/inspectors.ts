/**
 * MUN-3 inspector presence over HTTP: an open inspector page reports the phone's position (位置共享), so a sensor
 * alarm's case can go to the nearest inspector. Write-only: no route lists or returns a position.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { InspectorPositionReceived, ReportInspectorPosition } from '../../../../contracts';
import { recordPosition } from '../../inspectors/positions';
import type { AppDeps } from '../deps';
import type { Env } from '../env';
import { body, errorResponses, json, secured } from './common';

export function inspectorRoutes(app: OpenAPIHono<Env>, deps: AppDeps): void {
  const now = () => (deps.now ?? (() => new Date()))();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/inspectors/me/position',
      tags: ['inspectors'],
      security: secured,
      summary: 'MUN-3 位置共享: my current position (inspectors only), kept for the tenant’s freshness window to choose the nearest inspector',
      request: { body: body(ReportInspectorPosition) },
      responses: { 200: json(InspectorPositionReceived, 'Until when it counts and when to report again'), ...errorResponses },
    }),
    async (c) => c.json(await recordPosition(deps.store, c.req.valid('json'), now()), 200),
  );
}
