/**
 * The case flow's machine steps (functions/flows/case.asl.json): plan a human step's deadline from the
 * tenant's 立结案标准 and calendar, escalate (督办) when it runs out, smart-dispatch by the rule table, and
 * close. They run for one tenant as its system principal and are idempotent (the flow may repeat them).
 */
import { z } from 'zod';
import { Case, DivisionCode, type DispatchRule, type Role } from '../../../contracts';
import { addLimit, findTimeLimit, workingMillisBetween } from '../calendar/deadline';
import { keys } from '../data/keys';
import { isConditionFailure, type Store } from '../data/store';
import { asSystem, TimeLimitMissing } from '../flows/task-handlers';
import { caseTaskTitle } from '../flows/tasks';
import { stepDefinition } from '../flows/steps';
import { notify } from '../notifications/outbox';
import { tenantManifest } from '../tenants/tenants';
import { getCase } from './cases';

const StepInput = z.object({ tenant: DivisionCode, caseId: z.string(), step: z.string(), escalations: z.number().int().min(0).optional() });
const CaseInput = z.object({ tenant: DivisionCode, caseId: z.string() });
export const Deadline = z.object({
  seconds: z.number().int().positive(),
  dueAt: z.iso.datetime(),
  escalations: z.number().int().min(0),
  /** What the task shows (number and description) and, for handling, the departments it goes to. */
  title: z.string(),
  departments: z.array(z.string()),
  /** MUN-3: the people the task goes to alone (the nearest inspector, for 核实 until it is escalated). */
  assignees: z.array(z.string()).optional(),
});
export type Deadline = z.infer<typeof Deadline>;

/** A step planned when its deadline has already passed is looked at again after this long, so it never spins. */
const PAST_DUE_WAIT_SECONDS = 60;
const secondsUntil = (due: Date, now: Date) => {
  const s = Math.ceil((due.getTime() - now.getTime()) / 1000);
  return s > 0 ? s : PAST_DUE_WAIT_SECONDS;
};

/** Plan<Step>: the step's deadline; handling counts from when handling began plus any granted extension. */
export async function planCaseStep(store: Store, raw: unknown, now: Date): Promise<Deadline> {
  const input = StepInput.parse(raw);
  return await asSystem(input.tenant, async () => {
    const c = await getCase(store, input.caseId);
    const manifest = await tenantManifest(store, input.tenant);
    const limit = findTimeLimit(manifest.timeLimits, input.step, c.urgency, c.typeCode);
    if (!limit) throw new TimeLimitMissing(`${input.tenant} has no time limit for ${input.step} (${c.urgency}, ${c.typeCode})`);
    // Handling counts from when the round began, plus granted extensions, plus the time it stood still while a
    // request waited for a decision (measured on the limit's own clock).
    const pausedHours = c.pauses.reduce(
      (sum, p) =>
        sum +
        (limit.clock === 'working' ? workingMillisBetween(new Date(p.from), new Date(p.to), manifest.calendar) : Date.parse(p.to) - Date.parse(p.from)) / 3_600_000,
      0,
    );
    const due =
      input.step === 'case.handle' && c.handlingStartedAt
        ? addLimit(new Date(c.handlingStartedAt), { hours: limit.hours + c.extensionHours + pausedHours, clock: limit.clock }, manifest.calendar)
        : addLimit(now, limit, manifest.calendar);
    await store.update({
      Key: keys.case(c.tenant, c.id),
      UpdateExpression: 'SET stepDue = :sd, dueAt = :due, GSI1SK = :sk',
      ExpressionAttributeValues: { ':sd': { step: input.step, dueAt: due.toISOString() }, ':due': due.toISOString(), ':sk': `${due.toISOString()}#${c.id}` },
    });
    return { seconds: secondsUntil(due, now), dueAt: due.toISOString(), escalations: c.escalations, ...taskOf(c, input.step, c.escalations > 0) };
  });
}

/**
 * The task's title and addressees, from the case the step read anyway. A 核实 assigned to the nearest inspector
 * goes to them alone until it has been escalated (督办): then they did not act in time, and every inspector gets it.
 */
export const taskOf = (c: Case, step: string, escalated: boolean): Pick<Deadline, 'title' | 'departments' | 'assignees'> => ({
  title: caseTaskTitle(c),
  departments: step === 'case.handle' ? c.departments : [],
  ...(step === 'case.verify' && c.assignedInspector && !escalated ? { assignees: [c.assignedInspector] } : {}),
});

/** Escalate<Step> (督办): record it, remind the people of the step, and wait again for the tenant's interval. */
export async function escalateCaseStep(store: Store, raw: unknown, now: Date): Promise<Deadline> {
  const input = StepInput.parse(raw);
  return await asSystem(input.tenant, async () => {
    const c = await getCase(store, input.caseId);
    const manifest = await tenantManifest(store, input.tenant);
    const interval = findTimeLimit(manifest.timeLimits, 'case.escalation-interval', c.urgency) ?? findTimeLimit(manifest.timeLimits, input.step, c.urgency, c.typeCode);
    if (!interval) throw new TimeLimitMissing(`${input.tenant} has no case.escalation-interval (${c.urgency})`);
    const next = addLimit(now, interval, manifest.calendar);
    const from = input.escalations ?? c.escalations;
    const level = from + 1;
    try {
      await store.update({
        Key: keys.case(c.tenant, c.id),
        UpdateExpression: 'SET escalations = :n, history = list_append(history, :ev)',
        // Only from the count the flow saw: a repeat of this step finds it moved on and records nothing more.
        ConditionExpression: 'escalations = :from',
        ExpressionAttributeValues: {
          ':n': level,
          ':from': from,
          ':ev': [{ at: now.toISOString(), action: 'escalated', step: input.step, actor: 'system:flow', role: 'system', note: '', data: { level } }],
        },
      });
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      return { seconds: secondsUntil(next, now), dueAt: next.toISOString(), escalations: c.escalations, ...taskOf(c, input.step, true) };
    }
    const def = stepDefinition(input.step);
    const roles: Role[] = [...def.roles];
    await notify(
      store,
      {
        channel: 'inbox',
        to: { roles: [...roles, 'shift-leader'], ...(input.step === 'case.handle' && c.departments[0] ? { department: c.departments[0] } : {}) },
        title: { zh: `案件超时督办（第 ${level} 次）：${def.title.zh}`, en: `Case overdue, escalation #${level}: ${def.title.en}` },
        body: `${c.number} ${c.description.slice(0, 60)}`,
        caseId: c.id,
      },
      now,
    );
    return { seconds: secondsUntil(next, now), dueAt: next.toISOString(), escalations: level, ...taskOf(c, input.step, true) };
  });
}

/** The most specific dispatch rules for a case: type code before 大类, longer grid prefix before shorter. */
export function matchDispatchRules(rules: readonly DispatchRule[], typeCode: string, gridId: string): string[] | undefined {
  const matching = rules.filter((r) => (r.typeCode === typeCode || r.typeCode === typeCode.slice(0, 2)) && (!r.gridPrefix || gridId.startsWith(r.gridPrefix)));
  if (matching.length === 0) return undefined;
  const rank = (r: DispatchRule) => (r.typeCode.length === 5 ? 100 : 0) + (r.gridPrefix?.length ?? 0);
  const best = Math.max(...matching.map(rank));
  const top = matching.filter((r) => rank(r) === best);
  // Unambiguous only when every best rule names the same departments.
  const keysOf = new Set(top.map((r) => r.departments.join(',')));
  return keysOf.size === 1 ? top[0]!.departments : undefined;
}

/** CMD-7 smart dispatch: dispatch automatically when the rule table gives one answer; otherwise a dispatcher decides. */
export async function smartDispatch(store: Store, raw: unknown, now: Date): Promise<{ dispatched: boolean; departments?: string[] }> {
  const input = CaseInput.parse(raw);
  return await asSystem(input.tenant, async () => {
    const c = await getCase(store, input.caseId);
    if (c.status === 'handling' && c.departments.length) return { dispatched: true, departments: c.departments }; // a repeat
    const manifest = await tenantManifest(store, input.tenant);
    // A device's alarm goes to the unit that owns the device (MUN-3: the owner unit handles); other cases by the
    // rule table.
    const owner = c.ownerDepartment && manifest.departments.some((d) => d.code === c.ownerDepartment) ? c.ownerDepartment : undefined;
    const departments = owner ? [owner] : matchDispatchRules(manifest.dispatchRules, c.typeCode, c.gridId);
    if (!departments || c.status !== 'dispatching') return { dispatched: false };
    try {
      await store.update({
        Key: keys.case(c.tenant, c.id),
        UpdateExpression: 'SET #s = :s, departments = :d, handlingStartedAt = :now, extensionHours = :zero, history = list_append(history, :ev), GSI1PK = :pk REMOVE stepDue',
        ConditionExpression: '#s = :expect',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':s': 'handling',
          ':expect': 'dispatching',
          ':d': departments,
          ':now': now.toISOString(),
          ':zero': 0,
          ':pk': keys.caseStatusIndex(c.tenant, 'handling'),
          ':ev': [{ at: now.toISOString(), action: 'auto-dispatched', step: 'case.dispatch', actor: 'system:dispatch-rules', role: 'system', onTime: true, note: '', data: { departments, ...(owner ? { by: 'owner-unit' } : {}) } }],
        },
      });
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      return { dispatched: false };
    }
    return { dispatched: true, departments };
  });
}

/** CloseCase: the case was closed by the passing check; tell a citizen reporter (the outbox's WeChat channel). */
export async function closeCase(store: Store, raw: unknown, now: Date): Promise<{ closeType: string }> {
  const input = CaseInput.parse(raw);
  return await asSystem(input.tenant, async () => {
    const c = await getCase(store, input.caseId);
    if (c.source === 'citizen' && c.status === 'closed') {
      await notify(store, { channel: 'wechat', to: { user: c.reportedBy }, title: { zh: '您反映的问题已处理完毕', en: 'The problem you reported has been resolved' }, body: c.number, caseId: c.id }, now);
    }
    return { closeType: c.closeType ?? 'normal' };
  });
}
