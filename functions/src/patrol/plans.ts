/**
 * Patrol plans (巡检计划, MON-5): what a team patrols (registered devices and points inside the tenant's grids,
 * each with its checklist), how often, and for which period. Creating a plan resolves its targets once (name,
 * location, grid) and generates the task of the current cycle at once, so the team sees it without waiting
 * for the schedule.
 */
import { ulid } from 'ulid';
import { CreatePatrolPlan, Device, PatrolPlan, SetPatrolPlanStatus, Ulid, type PatrolTarget } from '../../../contracts';
import type { CaseEnv } from '../cases/ports';
import { keys } from '../data/keys';
import { isConditionFailure, type Store } from '../data/store';
import { DomainError, type ErrorDetail } from '../shared/errors';
import { usePrincipal, useTenant } from '../tenancy/context';
import { generateTasks } from './schedule';
import { patrolSettings } from './settings';
import { getTeam } from './teams';

/** What plans need: the store, the grid lookup and the catalogue (component ids), the clock. */
export type PatrolEnv = Pick<CaseEnv, 'store' | 'geo' | 'catalogue' | 'now'>;

export const planItem = (p: PatrolPlan) => ({ ...keys.patrolPlan(p.tenant, p.id), ...p, entity: 'patrol-plan', GSI1PK: keys.patrolPlanList(p.tenant), GSI1SK: p.id });

/** Each target checked and resolved; every problem is reported at once, and nothing is written. */
async function resolveTargets(env: PatrolEnv, input: ReturnType<typeof CreatePatrolPlan.parse>, tenant: string): Promise<PatrolTarget[]> {
  const unknown: ErrorDetail[] = [];
  const outside: ErrorDetail[] = [];
  const badComponent: ErrorDetail[] = [];
  const out: PatrolTarget[] = [];
  const day = env.now().toISOString().slice(0, 10);
  for (const [i, t] of input.targets.entries()) {
    if (t.kind === 'device') {
      const d = await env.store.get(Device, keys.device(tenant, t.id));
      if (!d || d.status !== 'active') {
        unknown.push({ path: `targets.${i}.id`, message: t.id });
        continue;
      }
      const gridId = d.gridId ?? (await env.geo.gridAt(env.store, d.location));
      if (!gridId) {
        outside.push({ path: `targets.${i}.id`, message: t.id });
        continue;
      }
      out.push({ kind: 'device', id: d.id, name: d.name, location: d.location, gridId, ...(d.componentId ? { componentId: d.componentId } : {}), checklist: t.checklist });
    } else {
      const gridId = await env.geo.gridAt(env.store, t.location);
      if (!gridId) {
        outside.push({ path: `targets.${i}.location`, message: `${t.location.lng},${t.location.lat}` });
        continue;
      }
      if (t.componentId) {
        const check = await env.catalogue.checkComponentId(env.store, t.componentId, t.componentId.slice(6, 11), day);
        if (!check.ok) badComponent.push({ path: `targets.${i}.componentId`, message: `${check.message.zh} / ${check.message.en}` });
      }
      out.push({ kind: 'point', id: t.id, name: t.name, location: t.location, gridId, ...(t.componentId ? { componentId: t.componentId } : {}), checklist: t.checklist });
    }
  }
  if (unknown.length) throw new DomainError('PATROL_TARGET_UNKNOWN', unknown);
  if (outside.length) throw new DomainError('PATROL_POINT_OUTSIDE_TENANT', outside);
  if (badComponent.length) throw new DomainError('COMPONENT_ID_INVALID', badComponent);
  return out;
}

/** Create a plan for a team of the tenant and generate its current task. */
export async function createPlan(env: PatrolEnv, raw: CreatePatrolPlan): Promise<PatrolPlan> {
  const input = CreatePatrolPlan.parse(raw);
  const tenant = useTenant();
  const now = env.now();
  // Without settings no cycle could be timed: refuse before anything is written.
  await patrolSettings(env.store, tenant);
  await getTeam(env.store, input.teamId);
  const targets = await resolveTargets(env, input, tenant);
  const plan: PatrolPlan = PatrolPlan.parse({
    ...input,
    targets,
    id: ulid(now.getTime()),
    tenant,
    status: 'active',
    createdAt: now.toISOString(),
    createdBy: usePrincipal().subject,
    updatedAt: now.toISOString(),
  });
  await env.store.put(planItem(plan), { ConditionExpression: 'attribute_not_exists(PK)' });
  await generateTasks(env.store, tenant, [plan], now);
  return plan;
}

export async function listPlans(store: Store): Promise<PatrolPlan[]> {
  return await store.query(PatrolPlan, { index: 'GSI1', pk: keys.patrolPlanList(useTenant()), newestFirst: true });
}

export async function getPlan(store: Store, id: string): Promise<PatrolPlan> {
  const p = Ulid.safeParse(id).success ? await store.get(PatrolPlan, keys.patrolPlan(useTenant(), id)) : undefined;
  if (!p) throw new DomainError('PATROL_PLAN_NOT_FOUND');
  return p;
}

/** Pause, resume or end a plan. Ending is final; tasks already generated stay as they are. */
export async function setPlanStatus(store: Store, id: string, raw: SetPatrolPlanStatus, now: Date): Promise<PatrolPlan> {
  const { status } = SetPatrolPlanStatus.parse(raw);
  const plan = await getPlan(store, id);
  if (plan.status === status) return plan;
  if (plan.status === 'ended') throw new DomainError('PATROL_PLAN_ENDED');
  const next: PatrolPlan = { ...plan, status, updatedAt: now.toISOString() };
  try {
    await store.put(planItem(next), { ConditionExpression: '#s = :s AND updatedAt = :u', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': plan.status, ':u': plan.updatedAt } });
  } catch (err) {
    if (isConditionFailure(err)) throw new DomainError('CONFLICT');
    throw err;
  }
  if (status === 'active') await generateTasks(store, plan.tenant, [next], now);
  return next;
}
