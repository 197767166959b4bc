/**
 * Patrol resources (巡检力量, MON-5): teams whose members are tenant users with the inspector role (by the
 * token's subject) or the staff of a department (its department handlers). Users live in the identity
 * provider, so membership is checked against the caller's verified token each time.
 */
import { ulid } from 'ulid';
import { CreatePatrolTeam, PatrolTeam, Ulid, type Principal } from '../../../contracts';
import { keys } from '../data/keys';
import type { Store } from '../data/store';
import { DomainError } from '../shared/errors';
import { usePrincipal, useTenant } from '../tenancy/context';
import { tenantManifest } from '../tenants/tenants';

export const teamItem = (t: PatrolTeam) => ({ ...keys.patrolTeam(t.tenant, t.id), ...t, entity: 'patrol-team', GSI1PK: keys.patrolTeamList(t.tenant), GSI1SK: t.id });

/** True when the person is in the team: named as an inspector, or a handler of a member department. */
export function isMember(team: Pick<PatrolTeam, 'members'>, p: Pick<Principal, 'subject' | 'roles' | 'department'>): boolean {
  return team.members.some((m) =>
    m.kind === 'user' ? m.subject === p.subject && p.roles.includes('inspector') : p.department === m.department && p.roles.includes('department-handler'),
  );
}

/** Create a team; department members must be departments of the tenant's manifest. */
export async function createTeam(store: Store, raw: CreatePatrolTeam, now: Date): Promise<PatrolTeam> {
  const input = CreatePatrolTeam.parse(raw);
  const tenant = useTenant();
  const wanted = input.members.flatMap((m, i) => (m.kind === 'department' ? [[m.department, i] as const] : []));
  if (wanted.length) {
    const known = new Set((await tenantManifest(store, tenant)).departments.map((d) => d.code));
    const unknown = wanted.filter(([code]) => !known.has(code));
    if (unknown.length) throw new DomainError('DEPARTMENT_UNKNOWN', unknown.map(([code, i]) => ({ path: `members.${i}.department`, message: code })));
  }
  const team: PatrolTeam = PatrolTeam.parse({ ...input, id: ulid(now.getTime()), tenant, createdAt: now.toISOString(), createdBy: usePrincipal().subject });
  await store.put(teamItem(team), { ConditionExpression: 'attribute_not_exists(PK)' });
  return team;
}

export async function listTeams(store: Store): Promise<PatrolTeam[]> {
  return await store.query(PatrolTeam, { index: 'GSI1', pk: keys.patrolTeamList(useTenant()) });
}

export async function getTeam(store: Store, id: string): Promise<PatrolTeam> {
  const t = Ulid.safeParse(id).success ? await store.get(PatrolTeam, keys.patrolTeam(useTenant(), id)) : undefined;
  if (!t) throw new DomainError('PATROL_TEAM_NOT_FOUND');
  return t;
}

/** The teams the caller belongs to. */
export async function myTeams(store: Store): Promise<PatrolTeam[]> {
  const p = usePrincipal();
  return (await listTeams(store)).filter((t) => isMember(t, p));
}
