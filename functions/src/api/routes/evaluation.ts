/** CMD-9 performance evaluation over HTTP: indicators, scores and grades for a period, and a CSV export. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { EvaluationResult } from '../../../../contracts';
import { toCsv } from '../../evaluation/indicators';
import { EvaluationGroup, evaluate, rowsOf } from '../../evaluation/service';
import { DomainError } from '../../shared/errors';
import { requireRole } from '../../tenancy/context';
import type { AppDeps } from '../deps';
import type { Env } from '../env';
import { errorResponses, json, secured } from './common';

const Query = z
  .object({ from: z.iso.date(), to: z.iso.date(), groupBy: EvaluationGroup.default('department'), lang: z.enum(['zh', 'en', 'bilingual']).default('zh') })
  .refine((q) => q.from < q.to, { message: 'from is before to' });
const Rows = z.object({ period: EvaluationResult.shape.period, asOf: z.string(), groupBy: EvaluationGroup, rows: z.array(z.record(z.string(), z.unknown())) });
const EVALUATORS = ['leader', 'tenant-admin', 'shift-leader', 'dispatcher', 'acceptor'] as const;

export function evaluationRoutes(app: OpenAPIHono<Env>, deps: AppDeps): void {
  const now = () => (deps.now ?? (() => new Date()))();
  app.openapi(
    createRoute({ method: 'get', path: '/v1/evaluation', tags: ['evaluation'], security: secured, request: { query: Query }, summary: 'Indicators, scores and grades per subject for [from, to)', responses: { 200: json(Rows, 'Evaluation'), ...errorResponses } }),
    async (c) => {
      requireRole(...EVALUATORS);
      const q = c.req.valid('query');
      const result = await evaluate(deps.store, q.from, q.to, now());
      return c.json({ period: result.period, asOf: result.asOf, groupBy: q.groupBy, rows: rowsOf(result, q.groupBy) }, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/v1/evaluation.csv', tags: ['evaluation'], security: secured, request: { query: Query }, summary: 'The same as CSV (UTF-8 with BOM, Chinese headers first)', responses: { 200: { description: 'CSV' }, ...errorResponses } }),
    async (c) => {
      requireRole(...EVALUATORS);
      const q = c.req.valid('query');
      const result = await evaluate(deps.store, q.from, q.to, now());
      const kinds = new Set(rowsOf(result, q.groupBy).map((r) => r.subject.id));
      const csv = toCsv({ ...result, subjects: result.subjects.filter((s) => kinds.has(s.id)) }, q.lang);
      if (!csv) throw new DomainError('INTERNAL');
      return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="evaluation-${q.from}-${q.to}-${q.groupBy}.csv"` });
    },
  );
}
