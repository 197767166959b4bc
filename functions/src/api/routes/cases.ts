/** The case loop over HTTP (CMD-1 … CMD-8): report, read, act on each step, queues and the overdue board. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  Case,
  CaseSummary,
  CheckCase,
  DecideRequest,
  DispatchCase,
  FileCase,
  HandleCase,
  MergeCase,
  Photo,
  ReportCase,
  ResumeCase,
  Ulid,
  VerifyCase,
} from '../../../../contracts';
import {
  allowedActions,
  checkCase,
  decideExtension,
  decideSuspension,
  dispatchCase,
  fileCase,
  handleCase,
  mergeCase,
  resumeCase,
  verifyCase,
} from '../../cases/actions';
import { CaseFilter, caseBoard, getCase, listCases, reportCase, similarOpenCases } from '../../cases/cases';
import type { CaseEnv } from '../../cases/ports';
import { myNotifications, Notification } from '../../notifications/outbox';
import { readPhoto, uploadPhoto } from '../../photos/photos';
import { DomainError } from '../../shared/errors';
import { requireStaff, usePrincipal } from '../../tenancy/context';
import { tenantManifest } from '../../tenants/tenants';
import type { AppDeps } from '../deps';
import type { Env } from '../env';
import { Items, body, errorResponses, json, secured } from './common';

const IdParam = z.object({ id: Ulid });
const CaseDetail = Case.extend({ allowedActions: z.array(z.string()) });
const Board = z.object({ queues: z.record(z.string(), z.number()), overdue: z.array(CaseSummary) });

export function caseRoutes(app: OpenAPIHono<Env>, deps: AppDeps): void {
  const env = (): CaseEnv => {
    if (!deps.cases) throw new DomainError('INTERNAL', undefined, 'case module not configured');
    return deps.cases;
  };
  const now = () => (deps.now ?? (() => new Date()))();

  /**
   * A citizen sees only the cases they reported, and of those what a reporter should: the progress, not who on
   * the staff did what or their internal notes.
   */
  const visible = (c: Case): Case => {
    const p = usePrincipal();
    if (p.kind !== 'citizen') return c;
    if (c.reportedBy !== p.subject) throw new DomainError('CASE_NOT_FOUND');
    return {
      ...c,
      departments: [],
      history: c.history.map((e) => ({ at: e.at, action: e.action, actor: e.actor === p.subject ? e.actor : '', role: e.role, note: e.actor === p.subject ? e.note : '' })),
    };
  };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/photos',
      tags: ['cases'],
      security: secured,
      summary: 'Upload a photo (JPEG, PNG or WebP, at most 5 MB) as the raw request body; use its id in a report or action',
      request: {
        query: z.object({ stage: Photo.shape.stage.default('report') }),
        body: { required: true, content: { 'image/jpeg': { schema: z.string() }, 'image/png': { schema: z.string() }, 'image/webp': { schema: z.string() } } },
      },
      responses: { 201: json(Photo, 'Stored'), ...errorResponses, 413: errorResponses[400] },
    }),
    async (c) => {
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      return c.json(await uploadPhoto(env().store, env().files, bytes, c.req.valid('query').stage, now()), 201);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/photos/{id}', tags: ['cases'], security: secured, request: { params: IdParam }, summary: 'A photo of the caller’s tenant', responses: { 200: { description: 'The image' }, ...errorResponses } }),
    async (c) => {
      const { contentType, body: bytes } = await readPhoto(env().store, env().files, c.req.valid('param').id);
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'content-type': contentType, 'cache-control': 'private, max-age=86400' });
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/cases',
      tags: ['cases'],
      security: secured,
      summary: '信息采集: report a problem (idempotent on clientId)',
      request: { body: body(ReportCase) },
      responses: { 201: json(Case, 'Reported'), 200: json(Case, 'The same report again'), ...errorResponses, 422: errorResponses[409] },
    }),
    async (c) => {
      const r = await reportCase(env(), c.req.valid('json'));
      return r.created ? c.json(r.case, 201) : c.json(r.case, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/cases', tags: ['cases'], security: secured, request: { query: CaseFilter }, summary: 'Cases of my tenant (by status, or by creation date)', responses: { 200: json(Items(CaseSummary), 'Cases'), ...errorResponses } }),
    async (c) => {
      const p = usePrincipal();
      const q = c.req.valid('query');
      if (p.kind !== 'citizen') return c.json({ items: await listCases(env().store, q, now()) }, 200);
      // A citizen's own reports among the tenant's recent ones (an index by reporter would scale better).
      const mine = (await listCases(env().store, { ...q, limit: 500 }, now())).filter((i) => i.reportedBy === p.subject);
      return c.json({ items: mine.slice(0, q.limit) }, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/cases/board', tags: ['cases'], security: secured, summary: 'Command centre: queue per stage and overdue cases', responses: { 200: json(Board, 'Board'), ...errorResponses } }),
    async (c) => {
      requireStaff();
      return c.json(await caseBoard(env().store, now()), 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/cases/{id}', tags: ['cases'], security: secured, request: { params: IdParam }, summary: 'A case with its timeline and the actions the viewer may take', responses: { 200: json(CaseDetail, 'Case'), ...errorResponses } }),
    async (c) => {
      const kase = visible(await getCase(env().store, c.req.valid('param').id));
      return c.json({ ...kase, allowedActions: allowedActions(kase, usePrincipal()) }, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/cases/{id}/similar', tags: ['cases'], security: secured, request: { params: IdParam }, summary: 'CMD-7: open cases of the same matter nearby (offered for merging)', responses: { 200: json(Items(CaseSummary), 'Similar open cases'), ...errorResponses } }),
    async (c) => {
      requireStaff();
      const kase = await getCase(env().store, c.req.valid('param').id);
      const settings = (await tenantManifest(env().store, kase.tenant)).cases;
      const items = (await similarOpenCases(env().store, kase.typeCode, kase.location, settings.similarRadiusMeters, settings.similarWindowHours, now())).filter((s) => s.id !== kase.id);
      return c.json({ items }, 200);
    },
  );

  const action = <S extends z.ZodType>(name: string, summary: string, schema: S, run: (env: CaseEnv, id: string, b: z.infer<S>) => Promise<Case>) =>
    app.openapi(
      createRoute({
        method: 'post',
        path: `/v1/cases/{id}/${name}`,
        tags: ['cases'],
        security: secured,
        summary,
        request: { params: IdParam, body: body(schema) },
        responses: { 200: json(Case, 'The case after the action'), ...errorResponses },
      }),
      async (c) => {
        // The route validated both already; the generic route type is too wide for TypeScript to see it.
        const valid = c.req.valid.bind(c.req) as unknown as { (t: 'param'): { id: string }; (t: 'json'): z.infer<S> };
        return c.json(await run(env(), valid('param').id, valid('json')), 200);
      },
    );

  action('verify', '核实 (inspector): confirm or reject a reported problem', VerifyCase, verifyCase);
  action('file', '立案 or 作废 (shift leader)', FileCase, fileCase);
  action('merge', 'Merge a duplicate into another open case (shift leader, at filing)', MergeCase, mergeCase);
  action('dispatch', '派遣 (dispatcher): one department or several for joint handling', DispatchCase, dispatchCase);
  action('handle', '处置 (department): feedback, or request extension / return / suspension', HandleCase, handleCase);
  action('extension', '延期审批 (dispatcher)', DecideRequest, decideExtension);
  action('suspension', '挂账审批 (shift leader)', DecideRequest, decideSuspension);
  action('resume', '挂账恢复 (shift leader)', ResumeCase, resumeCase);
  action('check', '核查 (inspector): pass closes, fail returns for rework', CheckCase, checkCase);

  app.openapi(
    createRoute({ method: 'get', path: '/v1/notifications', tags: ['notifications'], security: secured, summary: 'Latest notifications addressed to me (the outbox)', responses: { 200: json(Items(Notification), 'Notifications'), ...errorResponses } }),
    async (c) => c.json({ items: await myNotifications(env().store) }, 200),
  );
}
