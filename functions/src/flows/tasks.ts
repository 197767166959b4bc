/**
 * Human tasks: the "open task" side stores the flow's task token beside the work item; the action side claims
 * the task with a conditional write (so two people acting at once: one wins, the other gets 409) and then
 * completes the flow step through the WorkflowGateway.
 */
import { z } from 'zod';
import { DivisionCode, Role, provinceOf } from '../../../contracts';
import { keys } from '../data/keys';
import { isConditionFailure, type Store, type TxItem } from '../data/store';
import { DomainError } from '../shared/errors';
import { hasRole, usePrincipal } from '../tenancy/context';
import { isTaskGone, type WorkflowGateway } from './gateway';
import { stepDefinition } from './steps';

export const TaskItem = z.object({
  taskId: z.string(),
  tenant: DivisionCode,
  subject: z.string(),
  itemId: z.string(),
  step: z.string(),
  title: z.string(),
  token: z.string(),
  status: z.enum(['open', 'done']),
  roles: z.array(Role),
  assigneeTenant: DivisionCode,
  dueAt: z.iso.datetime(),
  openedAt: z.iso.datetime(),
  escalations: z.number().int(),
  executionId: z.string(),
});
export type TaskItem = z.infer<typeof TaskItem>;

export const OpenTaskInput = z.object({
  taskToken: z.string().min(8),
  executionId: z.string(),
  tenant: DivisionCode,
  subject: z.string(),
  itemId: z.string(),
  step: z.string(),
  dueAt: z.iso.datetime(),
  escalations: z.number().int().min(0),
});
export type OpenTaskInput = z.infer<typeof OpenTaskInput>;

/** Store the token as the current task of (item, step), replacing an earlier one (after an escalation). */
export async function openTask(store: Store, input: OpenTaskInput, title: string, now: Date): Promise<TaskItem> {
  const def = stepDefinition(input.step);
  const assigneeTenant = def.assignee === 'province' ? provinceOf(input.tenant) : input.tenant;
  const task: TaskItem = {
    taskId: `${input.subject}:${input.itemId}:${input.step}`,
    tenant: input.tenant,
    subject: input.subject,
    itemId: input.itemId,
    step: input.step,
    title,
    token: input.taskToken,
    status: 'open',
    roles: [...def.roles],
    assigneeTenant,
    dueAt: input.dueAt,
    openedAt: now.toISOString(),
    escalations: input.escalations,
    executionId: input.executionId,
  };
  const index =
    def.assignee === 'province'
      ? { GSI1PK: keys.provinceOpenTasks(assigneeTenant), GSI1SK: `${task.dueAt}#${task.taskId}` }
      : { GSI2PK: keys.tenantOpenTasks(assigneeTenant), GSI2SK: `${task.dueAt}#${task.taskId}` };
  await store.put({ ...keys.task(input.tenant, input.subject, input.itemId, input.step), ...task, ...index, entity: 'task' });
  return task;
}

/** Open tasks the caller's roles can work on, in its own inbox (tenant or province). */
export async function myOpenTasks(store: Store): Promise<TaskItem[]> {
  const p = usePrincipal();
  const isProvince = p.tenant === provinceOf(p.tenant);
  const all = isProvince
    ? await store.query(TaskItem, { index: 'GSI1', pk: keys.provinceOpenTasks(p.tenant) })
    : await store.query(TaskItem, { index: 'GSI2', pk: keys.tenantOpenTasks(p.tenant) });
  return all.filter((t) => t.status === 'open' && t.roles.some((r) => p.roles.includes(r)));
}

/**
 * Claim the open task of (item, step) for the caller and complete the flow step. `alsoWrite` are updates that
 * must commit together with the claim (the item's new status and history).
 */
export async function completeTask(
  store: Store,
  gateway: WorkflowGateway,
  target: { tenant: string; subject: string; itemId: string; step: string },
  output: Record<string, unknown>,
  alsoWrite: TxItem[],
  opts: { supervisionChannel?: boolean } = {},
): Promise<TaskItem> {
  const def = stepDefinition(target.step);
  if (!hasRole(...def.roles)) throw new DomainError('FORBIDDEN_ROLE');
  const key = keys.task(target.tenant, target.subject, target.itemId, target.step);
  const task = await store.get(TaskItem, key);
  if (!task || task.status !== 'open') throw new DomainError('TASK_NOT_OPEN');
  try {
    await store.transact(
      [
        {
          Update: {
            Key: key,
            UpdateExpression: 'SET #s = :done, completedBy = :by, completedAt = :at REMOVE GSI1PK, GSI1SK, GSI2PK, GSI2SK',
            ConditionExpression: '#s = :open AND #t = :token',
            ExpressionAttributeNames: { '#s': 'status', '#t': 'token' },
            ExpressionAttributeValues: { ':done': 'done', ':open': 'open', ':token': task.token, ':by': usePrincipal().subject, ':at': new Date().toISOString() },
          },
        },
        ...alsoWrite,
      ],
      opts,
    );
  } catch (err) {
    if (isConditionFailure(err)) throw new DomainError('TASK_NOT_OPEN');
    throw err;
  }
  try {
    await gateway.sendTaskSuccess(task.token, output);
  } catch (err) {
    if (isTaskGone(err)) throw new DomainError('TASK_NOT_OPEN', undefined, 'the flow stopped waiting (timed out and escalated)');
    throw err;
  }
  return task;
}
