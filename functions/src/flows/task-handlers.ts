/**
 * The cores of the flows' Lambda tasks (plan a step's deadline, open a human task, escalate). Each runs for
 * one tenant as a system principal; the Lambda entry points (../handlers/flow-*.ts) and the local runner
 * call these same functions.
 */
import { z } from 'zod';
import { Case, DivisionCode, SupervisionItem } from '../../../contracts';
import { addLimit, findTimeLimit } from '../calendar/deadline';
import { keys } from '../data/keys';
import { isConditionFailure, type Store } from '../data/store';
import { childLogger } from '../shared/logger';
import { withTenant } from '../tenancy/context';
import { tenantManifest } from '../tenants/tenants';
import type { WorkflowGateway } from './gateway';
import { OpenTaskInput, caseTaskTitle, deliverClaimed, openTask } from './tasks';

/** Flow tasks act for one tenant with the rights of its administrator, never across tenants. */
export function asSystem<T>(tenant: string, fn: () => Promise<T>): Promise<T> {
  const role = tenant.endsWith('0000') ? 'province-admin' : 'tenant-admin';
  return withTenant({ principal: { subject: 'system:flow', tenant, roles: [role], kind: 'staff' }, requestId: `flow-${Date.now()}` }, fn);
}

export const PlanStepInput = z.object({ limitTenant: DivisionCode, step: z.string(), urgency: z.enum(['urgent', 'ordinary']) });
export const PlanStepOutput = z.object({ seconds: z.number().int().positive(), dueAt: z.iso.datetime(), hours: z.number(), clock: z.enum(['working', 'continuous']) });
export type PlanStepOutput = z.infer<typeof PlanStepOutput>;

/** Error names the flows see (Catch matches on them). */
export class TimeLimitMissing extends Error {
  override readonly name = 'TimeLimitMissing';
}

export async function planStep(store: Store, raw: unknown, now: Date): Promise<PlanStepOutput> {
  const input = PlanStepInput.parse(raw);
  return await asSystem(input.limitTenant, async () => {
    const manifest = await tenantManifest(store, input.limitTenant);
    const limit = findTimeLimit(manifest.timeLimits, input.step, input.urgency);
    if (!limit) throw new TimeLimitMissing(`${input.limitTenant} has no time limit for ${input.step} (${input.urgency})`);
    const due = addLimit(now, limit, manifest.calendar);
    return { seconds: Math.max(1, Math.ceil((due.getTime() - now.getTime()) / 1000)), dueAt: due.toISOString(), hours: limit.hours, clock: limit.clock };
  });
}

export async function openHumanTask(store: Store, gateway: WorkflowGateway, raw: unknown, now: Date): Promise<{ taskId: string }> {
  const input = OpenTaskInput.parse(raw);
  return await asSystem(input.tenant, async () => {
    // No look at the previous task first: the put below refuses to replace one a person claimed whose output
    // the flow has not had, and only then is that output handed over (deliverClaimed).
    let task;
    if (input.subject === 'case') {
      // The Plan step read the case and passes its title and departments (an execution started before it did
      // reads the case here). Assignees (MUN-3 nearest inspector) only ever come from a plan: a plan without them
      // (an older execution, an escalation) opens the task to every holder of the step's roles.
      let { title, departments } = input.planned ?? {};
      const assignees = input.planned?.assignees;
      if (title === undefined || departments === undefined) {
        const c = await store.get(Case, keys.case(input.tenant, input.itemId));
        if (!c) throw new Error(`case ${input.itemId} not found for ${input.tenant}`);
        title = caseTaskTitle(c);
        departments = input.step === 'case.handle' ? c.departments : [];
      }
      // The deadline was written by the Plan step; department steps go to the case's departments only.
      try {
        task = await openTask(store, input, title, now, departments.length ? departments : undefined, assignees);
      } catch (err) {
        // Someone claimed the previous task between our look and this write: hand the flow that answer.
        if (isConditionFailure(err) && (await deliverClaimed(store, gateway, input))) return { taskId: `${input.subject}:${input.itemId}:${input.step}` };
        throw err;
      }
    } else {
      const item = await store.get(SupervisionItem, keys.supervision(input.tenant, input.itemId));
      if (!item) throw new Error(`${input.subject} ${input.itemId} not found for ${input.tenant}`);
      try {
        task = await openTask(store, input, item.title, now);
      } catch (err) {
        if (isConditionFailure(err) && (await deliverClaimed(store, gateway, input))) return { taskId: `${input.subject}:${input.itemId}:${input.step}` };
        throw err;
      }
      await store.update({
        Key: keys.supervision(input.tenant, input.itemId),
        UpdateExpression: 'SET dueAt = :due',
        ExpressionAttributeValues: { ':due': input.dueAt },
      });
    }
    childLogger({ tenant: input.tenant }).info('task opened', { taskId: task.taskId, dueAt: task.dueAt, escalations: task.escalations });
    return { taskId: task.taskId };
  });
}

export const EscalateInput = z.object({ tenant: DivisionCode, subject: z.string(), itemId: z.string(), step: z.string(), escalations: z.number().int().min(0) });

/** 督办: a step ran past its limit. Count it on the item, record who was late, and wait again. */
export async function escalate(store: Store, raw: unknown, now: Date): Promise<number> {
  const input = EscalateInput.parse(raw);
  return await asSystem(input.tenant, async () => {
    const next = input.escalations + 1;
    await store.update({
      Key: keys.supervision(input.tenant, input.itemId),
      UpdateExpression: 'SET escalations = :n, history = list_append(history, :ev)',
      ExpressionAttributeValues: {
        ':n': next,
        ':ev': [{ at: now.toISOString(), action: 'escalated', actor: 'system:flow', role: 'system', text: `${input.step} overdue (#${next})`, onTime: false }],
      },
    });
    childLogger({ tenant: input.tenant }).warn('step overdue, escalated', { itemId: input.itemId, step: input.step, escalations: next });
    return next;
  });
}
