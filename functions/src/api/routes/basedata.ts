/** CMD-4/5 base data over HTTP: grids and components for maps, geocoding, and the tenant admin's imports. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { BaseDataKind, GeoPoint } from '../../../../contracts';
import { importBody, loadIndex } from '../../basedata/repository';
import { DomainError } from '../../shared/errors';
import { requireStaff } from '../../tenancy/context';
import type { AppDeps } from '../deps';
import type { Env } from '../env';
import { errorResponses, json, secured } from './common';

const BBox = z
  .string()
  .transform((s) => s.split(',').map(Number))
  .pipe(z.tuple([z.number().min(73).max(136), z.number().min(3).max(54), z.number().min(73).max(136), z.number().min(3).max(54)]))
  .refine(([w, s, e, n]) => w < e && s < n && e - w <= 0.5 && n - s <= 0.5, { message: 'bbox is w,s,e,n and at most 0.5° wide' });
const FeatureCollection = z.object({ type: z.literal('FeatureCollection'), features: z.array(z.record(z.string(), z.unknown())) });
const GeocodeItems = z.object({ items: z.array(z.object({ address: z.string(), location: GeoPoint, gridId: z.string().optional(), score: z.number().optional() })) });
const Reverse = z.object({ gridId: z.string().optional(), address: z.string().optional(), distance: z.number().optional() });
const ImportReportBody = z.object({ created: z.number(), updated: z.number(), unchanged: z.number(), deleted: z.number(), version: z.number(), issues: z.array(z.record(z.string(), z.unknown())) }).passthrough();

export function basedataRoutes(app: OpenAPIHono<Env>, deps: AppDeps): void {
  app.openapi(
    createRoute({ method: 'get', path: '/v1/basedata/grids', tags: ['basedata'], security: secured, request: { query: z.object({ bbox: BBox }) }, summary: 'Unit grids in a box (GeoJSON)', responses: { 200: json(FeatureCollection, 'Grids'), ...errorResponses } }),
    async (c) => {
      requireStaff();
      const [w, s, e, n] = c.req.valid('query').bbox;
      const grids = (await loadIndex(deps.store)).gridsIn([w, s, e, n]);
      return c.json({ type: 'FeatureCollection' as const, features: grids.map((g) => ({ type: 'Feature', id: g.id, properties: { id: g.id, name: g.name }, geometry: g.geometry })) }, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/basedata/components', tags: ['basedata'], security: secured, request: { query: z.object({ bbox: BBox }) }, summary: 'Components (部件) in a box (GeoJSON points)', responses: { 200: json(FeatureCollection, 'Components'), ...errorResponses } }),
    async (c) => {
      requireStaff();
      const [w, s, e, n] = c.req.valid('query').bbox;
      const index = await loadIndex(deps.store);
      const center = { lng: (w + e) / 2, lat: (s + n) / 2 };
      const radius = Math.max((e - w) * 111_000 * Math.cos((center.lat * Math.PI) / 180), (n - s) * 111_000) / 2 * Math.SQRT2;
      const items = index.componentsNear(center, radius).filter(({ component: x }) => x.location.lng >= w && x.location.lng <= e && x.location.lat >= s && x.location.lat <= n);
      return c.json(
        {
          type: 'FeatureCollection' as const,
          features: items.slice(0, 2000).map(({ component: x }) => ({
            type: 'Feature',
            id: x.id,
            properties: { id: x.id, typeCode: x.typeCode, name: x.name, status: x.status },
            geometry: { type: 'Point', coordinates: [x.location.lng, x.location.lat] },
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/geocode', tags: ['basedata'], security: secured, request: { query: z.object({ q: z.string().trim().min(1).max(100) }) }, summary: 'Address → coordinates among the tenant’s address points', responses: { 200: json(GeocodeItems, 'Matches'), ...errorResponses } }),
    async (c) => {
      const index = await loadIndex(deps.store);
      const items = index.geocode(c.req.valid('query').q).map((m) => ({ address: m.address.text, location: m.address.location, gridId: m.address.gridId, score: m.score }));
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/geocode/reverse', tags: ['basedata'], security: secured, request: { query: z.object({ lng: z.coerce.number(), lat: z.coerce.number() }) }, summary: 'Coordinates → unit grid and nearest address', responses: { 200: json(Reverse, 'Grid and address'), ...errorResponses } }),
    async (c) => {
      const q = c.req.valid('query');
      const r = (await loadIndex(deps.store)).reverseGeocode({ lng: q.lng, lat: q.lat });
      return c.json({ ...(r.grid ? { gridId: r.grid.id } : {}), ...(r.address ? { address: r.address.text } : {}), ...(r.distance !== undefined ? { distance: r.distance } : {}) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/basedata/{kind}',
      tags: ['basedata'],
      security: secured,
      summary: 'Tenant admin: import grids, evaluation grids, components, addresses or layers (GeoJSON; CSV for components and addresses)',
      request: { params: z.object({ kind: BaseDataKind }), query: z.object({ mode: z.enum(['valid-only', 'all-or-nothing']).default('valid-only') }) },
      responses: { 200: json(ImportReportBody, 'What was stored, and the features refused with reasons'), ...errorResponses },
    }),
    async (c) => {
      const text = await c.req.text();
      const type = c.req.header('content-type') ?? '';
      let parsed: unknown = text;
      if (!type.includes('csv')) {
        try {
          parsed = JSON.parse(text);
        } catch {
          throw new DomainError('VALIDATION_FAILED', [{ path: '(body)', message: 'not JSON; send GeoJSON, or text/csv for components and addresses' }]);
        }
      }
      return c.json(await importBody(deps.store, c.req.valid('param').kind, parsed, { mode: c.req.valid('query').mode }), 200);
    },
  );
}
