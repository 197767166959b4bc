/**
 * Hidden hazards (隐患, MON-2): found by inspection (排查), patrol (巡查), a public report or an alarm, placed in
 * the tenant's grids, optionally on a risk point. Life cycle: reported → confirmed (level and responsible
 * department set, the rectification deadline from the tenant's `risk-settings.json`) → rectifying → rectified →
 * closed (验收销号), or back to rectifying (验收不合格), or rejected (不予认定). Every step records actor, role and
 * time, and is one conditional write on the status and history length read: of two concurrent steps one wins,
 * the other is a 409.
 */
import { ulid } from 'ulid';
import { z } from 'zod';
import {
  HAZARD_TRANSITIONS,
  Hazard,
  HazardTransition,
  OPEN_HAZARD_STATUSES,
  ReportHazard,
  Ulid,
  type HazardQuery,
  type HazardSource,
  type HazardView,
  type Role,
  type RiskEvent,
  type TenantRiskSettings,
} from '../../../contracts';
import { keys } from '../data/keys';
import type { Store } from '../data/store';
import { DomainError } from '../shared/errors';
import { hasRole, usePrincipal, useTenant } from '../tenancy/context';
import { createOnce, eventBy, gridOf, putIfUnchanged, riskSettings, type RiskEnv } from './env';
import { checkDepartments, linkedRiskPoint } from './risk-points';

/** Sources each role may report a hazard from: inspectors find them on their rounds, acceptors take public reports. */
export const HAZARD_SOURCES_BY_ROLE: Readonly<Partial<Record<Role, readonly HazardSource[]>>> = {
  'monitoring-operator': ['inspection', 'patrol', 'report', 'alarm'],
  'tenant-admin': ['inspection', 'patrol', 'report', 'alarm'],
  inspector: ['inspection', 'patrol'],
  acceptor: ['report'],
  'department-handler': ['inspection'],
};
/** Who confirms, rejects, closes and reopens hazards. */
export const HAZARD_MANAGER_ROLES: readonly Role[] = ['monitoring-operator', 'tenant-admin'];
/** Who may also start and complete the rectification: the responsible department's handlers. */
const RECTIFYING_ACTIONS = new Set(['start', 'complete']);
/** Who reads every hazard of the tenant. */
export const HAZARD_READER_ROLES: readonly Role[] = ['monitoring-operator', 'tenant-admin', 'leader', 'shift-leader', 'dispatcher'];

const DAY_MS = 86_400_000;

/** The stored item: the record and its open/closed index, newest first. */
export const hazardItem = (h: Hazard) => ({
  ...keys.hazard(h.tenant, h.id),
  ...h,
  entity: 'hazard',
  GSI1PK: keys.hazardIndex(h.tenant, OPEN_HAZARD_STATUSES.includes(h.status)),
  GSI1SK: `${h.reportedAt}#${h.id}`,
});

/** Overdue: still to be rectified (confirmed or rectifying) after its deadline. */
export const isOverdue = (h: Pick<Hazard, 'status' | 'deadline'>, now: Date): boolean =>
  (h.status === 'confirmed' || h.status === 'rectifying') && h.deadline !== undefined && Date.parse(h.deadline) < now.getTime();

export const hazardView = (h: Hazard, now: Date): HazardView => ({ ...h, overdue: isOverdue(h, now) });

/**
 * The hazard after one step, or why not (pure). Confirming needs a responsible department (given now or at
 * the report) and sets the deadline: confirmation time plus the tenant's days for the (possibly corrected) level.
 */
export function nextHazard(h: Hazard, step: z.infer<typeof HazardTransition>, event: RiskEvent, settings: Pick<TenantRiskSettings, 'hazardRectificationDays'> | undefined): Hazard {
  const rule = HAZARD_TRANSITIONS[step.action];
  if (!rule.from.includes(h.status)) throw new DomainError('HAZARD_ACTION_NOT_ALLOWED', [{ path: 'status', message: `${h.status} → ${step.action}` }]);
  const next: Hazard = { ...h, status: rule.to, history: [...h.history, event] };
  if (step.action === 'confirm') {
    const department = step.department ?? h.department;
    if (!department) throw new DomainError('HAZARD_DEPARTMENT_REQUIRED', [{ path: 'department', message: 'required' }]);
    if (!settings) throw new DomainError('RISK_SETTINGS_MISSING');
    const level = step.level ?? h.level;
    next.level = level;
    next.department = department;
    next.deadline = new Date(Date.parse(event.at) + settings.hazardRectificationDays[level] * DAY_MS).toISOString();
  }
  return next;
}

/** May the caller see this hazard: readers all, a department its own, an inspector or acceptor what they reported. */
function visible(h: Hazard): boolean {
  if (hasRole(...HAZARD_READER_ROLES)) return true;
  const p = usePrincipal();
  if (hasRole('department-handler') && p.department && h.department === p.department) return true;
  return h.reportedBy === p.subject;
}

export async function getHazard(store: Store, id: string): Promise<Hazard> {
  const h = Ulid.safeParse(id).success ? await store.get(Hazard, keys.hazard(useTenant(), id)) : undefined;
  if (!h || !visible(h)) throw new DomainError('HAZARD_NOT_FOUND');
  return h;
}

const AlarmRef = z.object({ id: z.string() });

/** 上报隐患: the same clientId again returns the same hazard. */
export async function reportHazard(env: RiskEnv, raw: ReportHazard): Promise<{ record: Hazard; created: boolean }> {
  const input = ReportHazard.parse(raw);
  const p = usePrincipal();
  if (!p.roles.some((r) => HAZARD_SOURCES_BY_ROLE[r]?.includes(input.source))) throw new DomainError('SOURCE_NOT_ALLOWED');
  const tenant = useTenant();
  const now = env.now();
  const gridId = await gridOf(env, input.location);
  await linkedRiskPoint(env.store, input.riskId);
  if (input.alarmId && !(await env.store.get(AlarmRef, keys.alarm(tenant, input.alarmId)))) throw new DomainError('RISK_LINK_UNKNOWN', [{ path: 'alarmId', message: input.alarmId }]);
  if (input.department) await checkDepartments(env.store, [input.department], 'department');
  const id = ulid(now.getTime());
  const allowed = (Object.keys(HAZARD_SOURCES_BY_ROLE) as Role[]).filter((r) => HAZARD_SOURCES_BY_ROLE[r]?.includes(input.source));
  const event = eventBy('reported', allowed, now);
  const { clientId, ...fields } = input;
  const record = Hazard.parse({ ...fields, tenant, id, gridId, status: 'reported', reportedBy: p.subject, reportedAt: event.at, history: [event] });
  return await createOnce(env.store, { kind: 'HAZARD', clientId, request: fields, recordId: id, item: hazardItem(record), now, read: (hid) => getHazard(env.store, hid), record });
}

/** One step of the life cycle (see the module comment for who may take which). */
export async function transitionHazard(env: RiskEnv, id: string, raw: HazardTransition): Promise<Hazard> {
  const step = HazardTransition.parse(raw);
  const h = await getHazard(env.store, id);
  const p = usePrincipal();
  const departmentMay = RECTIFYING_ACTIONS.has(step.action) && hasRole('department-handler') && p.department !== undefined && p.department === h.department;
  if (!hasRole(...HAZARD_MANAGER_ROLES) && !departmentMay) throw new DomainError('FORBIDDEN_ROLE');
  if (step.action === 'confirm' && step.department) await checkDepartments(env.store, [step.department], 'department');
  const settings = step.action === 'confirm' ? await riskSettings(env.store) : undefined;
  const allowed: Role[] = departmentMay && !hasRole(...HAZARD_MANAGER_ROLES) ? ['department-handler'] : [...HAZARD_MANAGER_ROLES];
  const next = nextHazard(h, step, eventBy(step.action, allowed, env.now(), step.note || undefined), settings);
  await putIfUnchanged(env.store, hazardItem(next), { expression: '#s = :s AND size(history) = :n', names: { '#s': 'status' }, values: { ':s': h.status, ':n': h.history.length } });
  return next;
}

/** Hazards the caller may see, newest first, by status (`open`: still being worked on), domain and level. */
export async function listHazards(store: Store, q: HazardQuery, now: Date): Promise<HazardView[]> {
  const tenant = useTenant();
  const parts = q.status === 'all' ? [true, false] : [q.status === 'open' || OPEN_HAZARD_STATUSES.includes(q.status)];
  const out: Hazard[] = [];
  for (const open of parts) out.push(...(await store.query(Hazard, { index: 'GSI1', pk: keys.hazardIndex(tenant, open), newestFirst: true })));
  return out
    .filter((h) => (q.status === 'open' || q.status === 'all' || h.status === q.status) && (!q.domain || h.domain === q.domain) && (!q.level || h.level === q.level) && visible(h))
    .sort((a, b) => b.reportedAt.localeCompare(a.reportedAt))
    .map((h) => hazardView(h, now));
}
