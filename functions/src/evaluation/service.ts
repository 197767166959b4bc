/**
 * CMD-9 evaluation of a tenant for a period: the cases created in it plus those still open (carried over),
 * the tenant's settings and inspector→grid assignment (evaluation.json, loaded at onboarding), the evaluation
 * areas from base data; computed and scored by the pure module.
 */
import { z } from 'zod';
import { Case, DEFAULT_EVALUATION_SETTINGS, TenantEvaluation, type EvaluationResult, type SubjectKind } from '../../../contracts';
import { loadRecords } from '../basedata/repository';
import { OPEN_STATUSES, casesCreatedBetween } from '../cases/cases';
import { keys } from '../data/keys';
import type { Store } from '../data/store';
import { useTenant } from '../tenancy/context';
import { computeIndicators, currentStepDue, score } from './indicators';

export const EvaluationGroup = z.enum(['tenant', 'region', 'grid', 'inspector', 'role', 'department']);
export type EvaluationGroup = z.infer<typeof EvaluationGroup>;

const GROUP_KINDS: Record<EvaluationGroup, readonly SubjectKind[]> = {
  tenant: ['tenant'],
  region: ['region', 'area'],
  grid: ['grid'],
  inspector: ['inspector'],
  role: ['inspector', 'acceptor', 'shift-leader', 'dispatcher'],
  department: ['department'],
};

export async function tenantEvaluation(store: Store): Promise<TenantEvaluation> {
  const item = await store.get(z.object({ evaluation: TenantEvaluation }), keys.tenantEvaluation(useTenant()));
  return item?.evaluation ?? { schemaVersion: 1, settings: DEFAULT_EVALUATION_SETTINGS, inspectorGrids: {} };
}

/** Evaluate [from, to) (ISO days, Asia/Shanghai) as of `now`. */
export async function evaluate(store: Store, from: string, to: string, now: Date): Promise<EvaluationResult> {
  const period = { from: `${from}T00:00:00+08:00`, to: `${to}T00:00:00+08:00` };
  const asOf = new Date(Math.min(now.getTime(), Date.parse(period.to))).toISOString();
  const created = await casesCreatedBetween(store, new Date(Date.parse(period.from)).toISOString(), new Date(Date.parse(period.to)).toISOString());
  // Cases created earlier but still open are evaluated too (their late steps count in this period).
  // The status index projects whole items, so one query per open status gives them with their history.
  const seen = new Set(created.map((c) => c.id));
  const carried: Case[] = [];
  for (const status of OPEN_STATUSES) {
    for (const c of await store.query(Case, { index: 'GSI1', pk: keys.caseStatusIndex(useTenant(), status) })) if (!seen.has(c.id)) carried.push(c);
  }
  const cases = [...created, ...carried];
  const ev = await tenantEvaluation(store);
  const areas = (await loadRecords(store, 'evaluation-grids')).records.map((a) => ({ id: a.id, name: a.name, class: a.class, gridIds: a.gridIds }));
  const result = computeIndicators(cases, period, {
    asOf,
    inspectorGrids: ev.inspectorGrids,
    dueAt: currentStepDue,
    settings: ev.settings,
    tenant: useTenant(),
    evaluationAreas: areas,
  });
  return score(result, ev.settings);
}

export function rowsOf(result: EvaluationResult, group: EvaluationGroup) {
  return result.subjects
    .filter((s) => GROUP_KINDS[group].includes(s.kind))
    .map((s) => ({ subject: { id: s.id, kind: s.kind, ...(s.name ? { name: s.name } : {}) }, indicators: s.indicators, score: s.score ?? null, grade: s.grade ?? null }));
}
