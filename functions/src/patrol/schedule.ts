/**
 * The patrol schedule (MON-5): creates the tasks `generator.ts` says are due (conditional puts, so a second run
 * or a concurrent one creates nothing new) and marks open tasks past their due time as overdue. Runs per tenant
 * from the local stack's interval loop and from the scheduled handler in AWS; a tenant without
 * patrol-settings.json has no patrol and is skipped.
 */
import { PatrolPlan, PatrolTask } from '../../../contracts';
import { keys } from '../data/keys';
import { isConditionFailure, type Store } from '../data/store';
import { tenantManifest } from '../tenants/tenants';
import { newlyOverdue, tasksDue } from './generator';
import { findPatrolSettings } from './settings';

/** The stored task: the record, its month list (GSI1) and, while open, the open list by due time (GSI2). */
export function taskItem(t: PatrolTask): Record<string, unknown> & { PK: string; SK: string } {
  return {
    ...keys.patrolTask(t.tenant, t.id),
    ...t,
    entity: 'patrol-task',
    GSI1PK: keys.patrolTaskMonth(t.tenant, t.cycleDay.slice(0, 7).replace('-', '')),
    GSI1SK: `${t.cycleDay}#${t.planId}`,
    ...(t.status === 'open' ? { GSI2PK: keys.patrolOpenTasks(t.tenant), GSI2SK: `${t.dueAt}#${t.id}` } : {}),
  };
}

/** Write the due tasks of these plans that do not exist yet; returns how many were created. */
export async function generateTasks(store: Store, tenant: string, plans: readonly PatrolPlan[], now: Date): Promise<number> {
  const settings = await findPatrolSettings(store, tenant);
  if (!settings || plans.length === 0) return 0;
  const { calendar } = await tenantManifest(store, tenant);
  const due = tasksDue(plans, now, settings, calendar);
  if (due.length === 0) return 0;
  const existing = new Set((await store.batchGet(PatrolTask, due.map((t) => keys.patrolTask(tenant, t.id)))).map((t) => t.id));
  let created = 0;
  for (const t of due.filter((x) => !existing.has(x.id))) {
    try {
      await store.put(taskItem(t), { ConditionExpression: 'attribute_not_exists(PK)' });
      created++;
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }
  return created;
}

/** Open tasks due before `before` (all open ones without it), earliest due first. */
export async function openTasks(store: Store, tenant: string, before?: Date): Promise<PatrolTask[]> {
  return await store.query(PatrolTask, { index: 'GSI2', pk: keys.patrolOpenTasks(tenant), ...(before ? { skBetween: ['0', `${before.toISOString()}#`] as [string, string] } : {}) });
}

/** Mark open tasks past their due time; returns how many were marked now. */
export async function markOverdue(store: Store, tenant: string, now: Date): Promise<number> {
  let marked = 0;
  for (const t of newlyOverdue(await openTasks(store, tenant, now), now)) {
    try {
      await store.update({
        Key: keys.patrolTask(tenant, t.id),
        UpdateExpression: 'SET overdue = :t, overdueAt = :now',
        ConditionExpression: '#s = :open AND overdue = :f',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':t': true, ':f': false, ':now': now.toISOString(), ':open': 'open' },
      });
      marked++;
    } catch (err) {
      // Completed or marked meanwhile.
      if (!isConditionFailure(err)) throw err;
    }
  }
  return marked;
}

/** One run of the schedule for a tenant (in its context): new tasks of the active plans, then overdue marks. */
export async function runPatrolSchedule(store: Store, tenant: string, now: Date): Promise<{ generated: number; overdue: number }> {
  if (!(await findPatrolSettings(store, tenant))) return { generated: 0, overdue: 0 };
  const plans = await store.query(PatrolPlan, { index: 'GSI1', pk: keys.patrolPlanList(tenant), filter: { expression: '#st = :active', names: { '#st': 'status' }, values: { ':active': 'active' } } });
  const generated = await generateTasks(store, tenant, plans, now);
  const overdue = await markOverdue(store, tenant, now);
  return { generated, overdue };
}
