/**
 * The people's actions on a case, one per human step of the flow: each checks the case's status and the
 * actor's role (and department), claims the step's task with a conditional write that also moves the case
 * (status, history with actor, role, time and on-time flag), then lets the flow go on. Two people acting at
 * once: one wins, the other gets 409.
 */
import { z } from 'zod';
import {
  Case,
  CheckCase,
  DecideRequest,
  DispatchCase,
  FileCase,
  HandleCase,
  MergeCase,
  ResumeCase,
  VerifyCase,
  type CaseEvent,
  type CaseStatus,
  type Photo,
} from '../../../contracts';
import { keys } from '../data/keys';
import type { TxItem } from '../data/store';
import { completeTask } from '../flows/tasks';
import { ownPhotos } from '../photos/photos';
import { DomainError } from '../shared/errors';
import { usePrincipal, useTenant } from '../tenancy/context';
import { tenantManifest } from '../tenants/tenants';
import { OPEN_STATUSES, eventOf, getCase, monthIndexSort } from './cases';
import { closeTypeOf } from './close';
import type { CaseEnv } from './ports';

interface Transition {
  status: CaseStatus;
  events: CaseEvent[];
  /** Attributes to set on the case. */
  set?: Record<string, unknown>;
  /** Attributes to remove. */
  remove?: string[];
  /** Counters to add to. */
  add?: Record<string, number>;
  photos?: Photo[];
  /** What the flow receives as the step's result. */
  output: Record<string, unknown>;
  /** Conditions on other items that must hold in the same transaction. */
  checks?: TxItem[];
}

/** The update that moves a case, guarded by the status it was read in. */
function moveCase(c: Case, t: Transition, now: Date): TxItem {
  const names: Record<string, string> = { '#s': 'status', '#h': 'history' };
  const values: Record<string, unknown> = {
    ':s': t.status,
    ':expect': c.status,
    ':ev': t.events,
    ':gsi1pk': keys.caseStatusIndex(c.tenant, t.status),
    ':gsi1sk': `${OPEN_STATUSES.includes(t.status) ? '9999' : now.toISOString()}#${c.id}`,
  };
  const sets = ['#s = :s', '#h = list_append(#h, :ev)', 'GSI1PK = :gsi1pk', 'GSI1SK = :gsi1sk'];
  Object.entries(t.set ?? {}).forEach(([k, v], i) => {
    names[`#k${i}`] = k;
    values[`:v${i}`] = v;
    sets.push(`#k${i} = :v${i}`);
  });
  if (t.photos?.length) {
    names['#p'] = 'photos';
    values[':ph'] = t.photos;
    sets.push('#p = list_append(#p, :ph)');
  }
  const adds = Object.entries(t.add ?? {}).map(([k, v], i) => {
    names[`#a${i}`] = k;
    values[`:a${i}`] = v;
    return `#a${i} :a${i}`;
  });
  const removes = (t.remove ?? []).map((k, i) => {
    names[`#r${i}`] = k;
    return `#r${i}`;
  });
  return {
    Update: {
      Key: keys.case(c.tenant, c.id),
      UpdateExpression: `SET ${sets.join(', ')}${adds.length ? ` ADD ${adds.join(', ')}` : ''}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: '#s = :expect',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** The case's pauses with the one that ends now (the request that waited for a decision). */
const pausedUntil = (c: Case, now: Date): { pauses: Case['pauses'] } =>
  c.reviewStartedAt ? { pauses: [...c.pauses, { from: c.reviewStartedAt, to: now.toISOString() }] } : { pauses: c.pauses };

const onTimeFor = (c: Case, step: string, now: Date): boolean | undefined =>
  c.stepDue?.step === step ? now.getTime() <= new Date(c.stepDue.dueAt).getTime() : undefined;

async function act(env: CaseEnv, id: string, step: string, allowed: CaseStatus[], build: (c: Case, now: Date, onTime: boolean | undefined) => Promise<Transition> | Transition): Promise<Case> {
  const c = await getCase(env.store, id);
  if (!allowed.includes(c.status)) throw new DomainError('CASE_ACTION_NOT_ALLOWED', [{ path: 'status', message: c.status }]);
  const now = env.now();
  const t = await build(c, now, onTimeFor(c, step, now));
  await completeTask(env.store, env.gateway, { tenant: c.tenant, subject: 'case', itemId: c.id, step }, t.output, [moveCase(c, t, now), ...(t.checks ?? [])]);
  return afterMove(c, t);
}

/**
 * The case as `moveCase` left it, without reading it back: the update was conditional on the status it was
 * read in, so nothing else changed it in between. (The flow may move it on right after; callers see the
 * state their own action produced.)
 */
function afterMove(c: Case, t: Transition): Case {
  const next: Record<string, unknown> = { ...c, ...(t.set ?? {}), status: t.status, history: [...c.history, ...t.events] };
  if (t.photos?.length) next.photos = [...c.photos, ...t.photos];
  for (const [k, v] of Object.entries(t.add ?? {})) next[k] = ((c as unknown as Record<string, unknown>)[k] as number | undefined ?? 0) + v;
  for (const k of t.remove ?? []) delete next[k];
  return Case.parse(next);
}

/** 核实 (inspector): is the reported problem really there? */
export async function verifyCase(env: CaseEnv, id: string, raw: z.input<typeof VerifyCase>): Promise<Case> {
  const b = VerifyCase.parse(raw);
  const photos = await ownPhotos(env.store, b.photoIds, 'check');
  return await act(env, id, 'case.verify', ['verifying'], (c, now, onTime) => {
    // MUN-3: assigned to the nearest inspector until escalated (督办); the task says the same (completeTask).
    if (c.assignedInspector && c.escalations === 0 && c.assignedInspector !== usePrincipal().subject) throw new DomainError('TASK_NOT_ASSIGNED');
    return {
      status: b.confirmed ? 'filing' : 'cancelled',
      events: [eventOf(b.confirmed ? 'verified' : 'verify-rejected', { step: 'case.verify', onTime, note: b.note }, now)],
      ...(b.confirmed ? {} : { set: { closedAt: now.toISOString() } }),
      photos,
      output: { confirmed: b.confirmed },
    };
  });
}

/** 立案 or 作废 (shift leader); the classification may be corrected when filing. */
export async function fileCase(env: CaseEnv, id: string, raw: z.input<typeof FileCase>): Promise<Case> {
  const b = FileCase.parse(raw);
  if (b.typeCode) {
    const c = await getCase(env.store, id);
    const type = await env.catalogue.checkType(env.store, c.kind, b.typeCode);
    if (!type.ok) throw new DomainError('UNKNOWN_TYPE_CODE', [{ path: 'typeCode', message: `${type.message.zh} / ${type.message.en}` }]);
  }
  return await act(env, id, 'case.file', ['filing'], (c, now, onTime) => ({
    status: b.decision === 'file' ? 'dispatching' : 'cancelled',
    events: [
      eventOf(b.decision === 'file' ? 'filed' : 'cancelled', {
        step: 'case.file',
        onTime,
        note: b.note,
        ...(b.decision === 'cancel' ? { data: { reason: 'invalid' } } : b.typeCode && b.typeCode !== c.typeCode ? { data: { reclassifiedFrom: c.typeCode } } : {}),
      }, now),
    ],
    set: {
      ...(b.typeCode ? { typeCode: b.typeCode, matterCode: `${c.gridId.slice(0, 6)}${b.typeCode}`, GSI2SK: monthIndexSort({ ...c, typeCode: b.typeCode }) } : {}),
      ...(b.urgency ? { urgency: b.urgency } : {}),
      ...(b.decision === 'cancel' ? { closedAt: now.toISOString() } : {}),
    },
    output: { decision: b.decision },
  }));
}

/** Merge a duplicate into an open case at filing (CMD-7 similar-case reminder): this one is cancelled as merged. */
export async function mergeCase(env: CaseEnv, id: string, raw: z.input<typeof MergeCase>): Promise<Case> {
  const b = MergeCase.parse(raw);
  const target = await getCase(env.store, b.into);
  if (target.id === id || !OPEN_STATUSES.includes(target.status)) throw new DomainError('CASE_ACTION_NOT_ALLOWED', [{ path: 'into', message: 'an other open case' }]);
  return await act(env, id, 'case.file', ['filing'], (_c, now, onTime) => ({
    status: 'cancelled',
    events: [eventOf('merged', { step: 'case.file', onTime, note: b.note, data: { into: target.id, reason: 'duplicate' } }, now)],
    set: { mergedInto: target.id, closedAt: now.toISOString() },
    output: { decision: 'cancel' },
    // The case merged into must still be open when this commits.
    checks: [
      {
        ConditionCheck: {
          Key: keys.case(target.tenant, target.id),
          ConditionExpression: `#s IN (${OPEN_STATUSES.map((_, i) => `:o${i}`).join(', ')})`,
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: Object.fromEntries(OPEN_STATUSES.map((st, i) => [`:o${i}`, st])),
        },
      },
    ],
  }));
}

async function knownDepartments(env: CaseEnv, departments: string[]): Promise<void> {
  const known = new Set((await tenantManifest(env.store, useTenant())).departments.map((d) => d.code));
  const unknown = departments.filter((d) => !known.has(d));
  if (unknown.length) throw new DomainError('DEPARTMENT_UNKNOWN', [{ path: 'departments', message: unknown.join(',') }]);
}

/** 派遣 (dispatcher): to one department, or several for joint handling (the first leads). */
export async function dispatchCase(env: CaseEnv, id: string, raw: z.input<typeof DispatchCase>): Promise<Case> {
  const b = DispatchCase.parse(raw);
  const departments = [...new Set(b.departments)];
  await knownDepartments(env, departments);
  return await act(env, id, 'case.dispatch', ['dispatching'], (_c, now, onTime) => ({
    status: 'handling',
    events: [eventOf('dispatched', { step: 'case.dispatch', onTime, note: b.note, data: { departments } }, now)],
    set: { departments, handlingStartedAt: now.toISOString(), extensionHours: 0, pauses: [] },
    remove: ['stepDue'],
    output: { departments },
  }));
}

/** 处置 (department handler of an assigned department): feedback, or ask to extend, return or suspend. */
export async function handleCase(env: CaseEnv, id: string, raw: z.input<typeof HandleCase>): Promise<Case> {
  const b = HandleCase.parse(raw);
  const p = usePrincipal();
  const pre = await getCase(env.store, id);
  // The stage first (a case not yet dispatched has no departments), then whose it is.
  if (pre.status !== 'handling') throw new DomainError('CASE_ACTION_NOT_ALLOWED', [{ path: 'status', message: pre.status }]);
  if (!p.department || !pre.departments.includes(p.department)) throw new DomainError('DEPARTMENT_NOT_ASSIGNED');
  if (b.action === 'extend' && !b.extendHours) throw new DomainError('VALIDATION_FAILED', [{ path: 'extendHours', message: 'required for extend' }]);
  const photos = b.action === 'feedback' ? await ownPhotos(env.store, b.photoIds, 'feedback') : [];
  const next: Record<typeof b.action, { status: CaseStatus; action: CaseEvent['action'] }> = {
    feedback: { status: 'checking', action: 'feedback' },
    extend: { status: 'extension-review', action: 'extension-requested' },
    return: { status: 'dispatching', action: 'return-requested' },
    suspend: { status: 'suspension-review', action: 'suspension-requested' },
  };
  return await act(env, id, 'case.handle', ['handling'], (_c, now, onTime) => ({
    status: next[b.action].status,
    events: [
      eventOf(next[b.action].action, {
        step: 'case.handle',
        // Only the feedback finishes the handling step; requests are judged when the step really ends.
        ...(b.action === 'feedback' ? { onTime } : {}),
        note: b.note,
        ...(b.extendHours ? { data: { hours: b.extendHours } } : {}),
      }, now),
    ],
    set:
      b.action === 'extend'
        ? { requestedExtensionHours: b.extendHours, reviewStartedAt: now.toISOString() }
        : b.action === 'suspend'
          ? { reviewStartedAt: now.toISOString() }
          : b.action === 'return'
            ? { departments: [] }
            : {},
    photos,
    output: { action: b.action },
  }));
}

/** 延期审批 (dispatcher). */
export async function decideExtension(env: CaseEnv, id: string, raw: z.input<typeof DecideRequest>): Promise<Case> {
  const b = DecideRequest.parse(raw);
  return await act(env, id, 'case.extension-approval', ['extension-review'], (c, now, onTime) => {
    const hours = c.requestedExtensionHours ?? 0;
    return {
      status: 'handling',
      events: [eventOf(b.approve ? 'extension-approved' : 'extension-denied', { step: 'case.extension-approval', onTime, note: b.note, data: { hours } }, now)],
      ...(b.approve ? { add: { extensions: 1, extensionHours: hours } } : {}),
      set: pausedUntil(c, now),
      remove: ['requestedExtensionHours', 'reviewStartedAt'],
      output: { approve: b.approve },
    };
  });
}

/** 挂账审批 (shift leader). */
export async function decideSuspension(env: CaseEnv, id: string, raw: z.input<typeof DecideRequest>): Promise<Case> {
  const b = DecideRequest.parse(raw);
  return await act(env, id, 'case.suspension-approval', ['suspension-review'], (c, now, onTime) => ({
    status: b.approve ? 'suspended' : 'handling',
    events: [eventOf(b.approve ? 'suspension-approved' : 'suspension-denied', { step: 'case.suspension-approval', onTime, note: b.note }, now)],
    // Approved: handling stays still until it is resumed (which starts a new round); denied: it goes on.
    ...(b.approve ? {} : { set: pausedUntil(c, now), remove: ['reviewStartedAt'] }),
    output: { approve: b.approve },
  }));
}

/** 挂账恢复 (shift leader): handling starts a new round. */
export async function resumeCase(env: CaseEnv, id: string, raw: z.input<typeof ResumeCase>): Promise<Case> {
  const b = ResumeCase.parse(raw);
  return await act(env, id, 'case.suspended', ['suspended'], (_c, now) => ({
    status: 'handling',
    events: [eventOf('resumed', { step: 'case.suspended', note: b.note }, now)],
    set: { handlingStartedAt: now.toISOString(), extensionHours: 0, pauses: [] },
    remove: ['reviewStartedAt'],
    output: { resumed: true },
  }));
}

/** 核查 (inspector on site): pass closes the case (结案), fail sends it back to the department (返工). */
export async function checkCase(env: CaseEnv, id: string, raw: z.input<typeof CheckCase>): Promise<Case> {
  const b = CheckCase.parse(raw);
  const photos = await ownPhotos(env.store, b.photoIds, 'check');
  return await act(env, id, 'case.check', ['checking'], (c, now, onTime) => {
    if (!b.passed) {
      return {
        status: 'handling',
        events: [eventOf('check-failed', { step: 'case.check', onTime, note: b.note }, now)],
        set: { handlingStartedAt: now.toISOString(), extensionHours: 0, pauses: [] },
        add: { reworks: 1 },
        photos,
        output: { passed: false },
      };
    }
    const passed = eventOf('check-passed', { step: 'case.check', onTime, note: b.note }, now);
    const closeType = closeTypeOf({ ...c, history: [...c.history, passed] });
    return {
      status: 'closed',
      events: [passed, eventOf('closed', { data: { closeType } }, now)],
      set: { closeType, closedAt: now.toISOString(), dueAt: null },
      remove: ['stepDue'],
      photos,
      output: { passed: true },
    };
  });
}

export type CaseActionName = 'verify' | 'file' | 'merge' | 'dispatch' | 'handle' | 'extension' | 'suspension' | 'resume' | 'check';

/** What the viewer may do on the case now (the case detail page shows only these). */
export function allowedActions(c: Case, p: { roles: readonly string[]; department?: string; subject?: string }): CaseActionName[] {
  const has = (r: string) => p.roles.includes(r);
  switch (c.status) {
    case 'verifying':
      // MUN-3: a 核实 assigned to the nearest inspector is theirs until it is escalated (督办).
      return has('inspector') && (!c.assignedInspector || c.escalations > 0 || c.assignedInspector === p.subject) ? ['verify'] : [];
    case 'filing':
      return has('shift-leader') ? ['file', 'merge'] : [];
    case 'dispatching':
      return has('dispatcher') ? ['dispatch'] : [];
    case 'handling':
      return has('department-handler') && p.department !== undefined && c.departments.includes(p.department) ? ['handle'] : [];
    case 'extension-review':
      return has('dispatcher') ? ['extension'] : [];
    case 'suspension-review':
      return has('shift-leader') ? ['suspension'] : [];
    case 'suspended':
      return has('shift-leader') ? ['resume'] : [];
    case 'checking':
      return has('inspector') ? ['check'] : [];
    default:
      return [];
  }
}
