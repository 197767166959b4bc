/**
 * Human tasks: the "open task" side stores the flow's task token beside the work item; the action side claims
 * the task with a conditional write (so two people acting at once: one wins, the other gets 409) and then
 * completes the flow step through the WorkflowGateway.
 */
import { z } from 'zod';
import { DivisionCode, HumanTask, provinceOf } from '../../../contracts';
import { keys } from '../data/keys';
import { isConditionFailure, type Store, type TxItem } from '../data/store';
import { DomainError } from '../shared/errors';
import { hasRole, usePrincipal } from '../tenancy/context';
import { isTaskGone, type WorkflowGateway } from './gateway';
import { stepDefinition } from './steps';

/** The stored task: what assignees see plus the flow's token and the claimed output. */
export const TaskItem = HumanTask.extend({
  token: z.string(),
  executionId: z.string(),
  /** Set when claimed: the step's output, kept until the flow has it (see redeliverTasks). */
  output: z.string().optional(),
  delivered: z.boolean().optional(),
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
  /**
   * The plan step's output, when the flow passes it: the task's title, departments and assignees without a read.
   * Every field optional: executions started before a field existed pass plans without it.
   */
  planned: z.object({ title: z.string(), departments: z.array(z.string()), assignees: z.array(z.string()) }).partial().optional(),
});
export type OpenTaskInput = z.infer<typeof OpenTaskInput>;

/** How a case's human task is titled in inboxes: its number and the start of its description. */
export const caseTaskTitle = (c: { number: string; description: string }): string => `${c.number} ${c.description.slice(0, 40)}`;

/** Store the token as the current task of (item, step), replacing an earlier one (after an escalation). */
export async function openTask(store: Store, input: OpenTaskInput, title: string, now: Date, departments?: string[], assignees?: string[]): Promise<TaskItem> {
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
    ...(departments?.length ? { departments } : {}),
    ...(assignees?.length ? { assignees } : {}),
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
  // Never replace a task a person has claimed whose output the flow has not had yet (see deliverClaimed).
  await store.put(
    { ...keys.task(input.tenant, input.subject, input.itemId, input.step), ...task, ...index, entity: 'task' },
    {
      ConditionExpression: 'attribute_not_exists(PK) OR #s = :open OR delivered = :true',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':open': 'open', ':true': true },
    },
  );
  return task;
}

/** Open tasks the caller's roles can work on, in its own inbox (tenant or province). */
export async function myOpenTasks(store: Store): Promise<TaskItem[]> {
  const p = usePrincipal();
  const isProvince = p.tenant === provinceOf(p.tenant);
  const all = isProvince
    ? await store.query(TaskItem, { index: 'GSI1', pk: keys.provinceOpenTasks(p.tenant) })
    : await store.query(TaskItem, { index: 'GSI2', pk: keys.tenantOpenTasks(p.tenant) });
  return all.filter(
    (t) =>
      t.status === 'open' &&
      t.roles.some((r) => p.roles.includes(r)) &&
      // A task assigned to named people (the nearest inspector) goes to them alone.
      (!t.assignees || t.assignees.includes(p.subject)) &&
      // Department steps go to the handlers of the case's departments only.
      (!t.departments || (p.department !== undefined && t.departments.includes(p.department)) || !p.roles.includes('department-handler')),
  );
}

/**
 * A task assigned to named people may be completed by them alone. The claim is conditional on the token read
 * here, so a task opened again meanwhile (for everyone, after an escalation) is checked again before it is claimed.
 */
function mayComplete(task: TaskItem): void {
  if (task.assignees && !task.assignees.includes(usePrincipal().subject)) throw new DomainError('TASK_NOT_ASSIGNED');
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
  const claim = async (t: TaskItem) =>
    await store.transact(
      [
        {
          Update: {
            Key: key,
            // Claimed and parked as undelivered until the flow has the output: a crash between this write and
            // the send below is healed by redeliverTasks, so a claimed step never leaves its flow waiting.
            UpdateExpression:
              'SET #s = :done, completedBy = :by, completedAt = :at, #o = :out, delivered = :false, GSI2PK = :undelivered, GSI2SK = :tid REMOVE GSI1PK, GSI1SK',
            ConditionExpression: '#s = :open AND #t = :token',
            ExpressionAttributeNames: { '#s': 'status', '#t': 'token', '#o': 'output' },
            ExpressionAttributeValues: {
              ':done': 'done',
              ':open': 'open',
              ':token': t.token,
              ':by': usePrincipal().subject,
              ':at': new Date().toISOString(),
              ':out': JSON.stringify(output),
              ':false': false,
              ':undelivered': keys.undeliveredTasks(target.tenant),
              ':tid': t.taskId,
            },
          },
        },
        ...alsoWrite,
      ],
      opts,
    );

  let task = await store.get(TaskItem, key);
  if (!task || task.status !== 'open') throw new DomainError('TASK_NOT_OPEN');
  mayComplete(task);

  // Where the gateway keeps its tokens in this table (the local runner), the claim, the item's move and the
  // flow's step close in one transaction: nothing to park as undelivered, nothing to mark delivered after.
  if (gateway.sendTaskSuccessWith) {
    const claimed = (t: TaskItem): TxItem => ({
      Update: {
        Key: key,
        UpdateExpression: 'SET #s = :done, completedBy = :by, completedAt = :at, #o = :out, delivered = :true REMOVE GSI1PK, GSI1SK, GSI2PK, GSI2SK',
        ConditionExpression: '#s = :open AND #t = :token',
        ExpressionAttributeNames: { '#s': 'status', '#t': 'token', '#o': 'output' },
        ExpressionAttributeValues: { ':done': 'done', ':open': 'open', ':token': t.token, ':by': usePrincipal().subject, ':at': new Date().toISOString(), ':out': JSON.stringify(output), ':true': true },
      },
    });
    for (let attempt = 0; attempt < 2; attempt++) {
      const writes = [claimed(task), ...alsoWrite];
      store.assertTransactAllowed(writes, opts);
      try {
        await gateway.sendTaskSuccessWith(task.token, output, writes);
        return task;
      } catch (err) {
        // The step timed out meanwhile (nothing written): claim it the parked way below, which the step's
        // next opening hands over (deliverClaimed).
        if (isTaskGone(err)) break;
        if (!isConditionFailure(err)) throw err;
        // As below: a step escalated meanwhile was opened again with a new token; claim that one once.
        const again = await store.get(TaskItem, key);
        if (!again || again.status !== 'open' || again.token === task.token || attempt > 0) throw new DomainError('TASK_NOT_OPEN');
        mayComplete(again);
        task = again;
      }
    }
  }

  try {
    await claim(task);
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    // A step that timed out is opened again at once with a new token (escalation): if the claim met that new
    // token, claim once more rather than tell the person that someone else acted.
    const again = await store.get(TaskItem, key);
    if (!again || again.status !== 'open' || again.token === task.token) throw new DomainError('TASK_NOT_OPEN');
    mayComplete(again);
    task = again;
    try {
      await claim(task);
    } catch (err2) {
      if (isConditionFailure(err2)) throw new DomainError('TASK_NOT_OPEN');
      throw err2;
    }
  }
  // If the flow stopped waiting meanwhile (the step timed out and was escalated), the claim stands: the flow
  // asks again at once with a new token, and openHumanTask hands it this output (see deliverClaimed).
  await deliver(store, gateway, key, task.token, output, { ...opts, keepIfGone: true });
  return task;
}

/** Send a claimed step's output to its flow and mark it delivered. False when the flow no longer waits. */
async function deliver(
  store: Store,
  gateway: WorkflowGateway,
  key: { PK: string; SK: string },
  token: string,
  output: Record<string, unknown>,
  opts: { supervisionChannel?: boolean; keepIfGone?: boolean } = {},
): Promise<boolean> {
  let waiting = true;
  try {
    await gateway.sendTaskSuccess(token, output);
  } catch (err) {
    if (!isTaskGone(err)) throw err;
    waiting = false;
    // Left undelivered for the step's next opening, which hands the output over.
    if (opts.keepIfGone) return false;
  }
  await store
    .update(
      {
        Key: key,
        UpdateExpression: 'SET delivered = :true REMOVE GSI2PK, GSI2SK',
        ConditionExpression: '#t = :token',
        ExpressionAttributeNames: { '#t': 'token' },
        ExpressionAttributeValues: { ':true': true, ':token': token },
      },
      opts,
    )
    .catch((err: unknown) => {
      // A newer task of the same step replaced this one: nothing left to mark.
      if (!isConditionFailure(err)) throw err;
    });
  return waiting;
}

/**
 * Steps claimed by a person whose output never reached the flow (the process died between the claim and the
 * send): send them again. Runs in a tenant's context; sending twice is harmless (the flow takes the first).
 */
export async function redeliverTasks(store: Store, gateway: WorkflowGateway, now = new Date()): Promise<number> {
  const pending = await store.query(TaskItem.extend({ completedAt: z.string().optional() }), { index: 'GSI2', pk: keys.undeliveredTasks(usePrincipal().tenant) });
  let n = 0;
  for (const t of pending) {
    if (t.status !== 'done' || t.delivered !== false || !t.output) continue;
    // A claim whose token is gone waits for the step to be opened again; only give up on it when that has not
    // happened for a long time (the flow ended some other way).
    const stale = t.completedAt !== undefined && now.getTime() - Date.parse(t.completedAt) > 15 * 60_000;
    await deliver(store, gateway, keys.task(t.tenant, t.subject, t.itemId, t.step), t.token, JSON.parse(t.output) as Record<string, unknown>, { keepIfGone: !stale });
    n++;
  }
  return n;
}

/**
 * When the flow opens a step whose previous task a person already claimed but the flow never heard of (the
 * step timed out between the claim and the send), give the new token that claimed output at once.
 * Returns true when it did, and then no new task is opened.
 */
export async function deliverClaimed(store: Store, gateway: WorkflowGateway, input: OpenTaskInput): Promise<boolean> {
  const key = keys.task(input.tenant, input.subject, input.itemId, input.step);
  const prev = await store.get(TaskItem, key);
  if (!prev || prev.status !== 'done' || prev.delivered !== false || !prev.output) return false;
  await store.update({
    Key: key,
    UpdateExpression: 'SET #t = :new',
    ConditionExpression: '#t = :old',
    ExpressionAttributeNames: { '#t': 'token' },
    ExpressionAttributeValues: { ':new': input.taskToken, ':old': prev.token },
  });
  return await deliver(store, gateway, key, input.taskToken, JSON.parse(prev.output) as Record<string, unknown>);
}
