/**
 * The risk point registry (风险点, MON-2): a place or facility in one monitoring domain, inside the tenant's
 * unit grids, graded 重大/较大/一般/低 (红/橙/黄/蓝) with its control measures (管控措施, each with the
 * department that answers for it) and, optionally, the devices that watch it and the component it is. A review
 * (复核) regrades it on top of the version the reviewer read, so two reviewers cannot overwrite each other.
 */
import { ulid } from 'ulid';
import { CreateRiskPoint, Device, ReviewRiskPoint, RiskPoint, Ulid, type ControlMeasure, type Role, type RiskQuery } from '../../../contracts';
import { keys } from '../data/keys';
import type { Store } from '../data/store';
import { DomainError } from '../shared/errors';
import { useTenant } from '../tenancy/context';
import { tenantManifest } from '../tenants/tenants';
import { createOnce, eventBy, gridOf, putIfUnchanged, type RiskEnv } from './env';

/** Who grades risk points and records their measures. */
export const RISK_MANAGER_ROLES: readonly Role[] = ['monitoring-operator', 'tenant-admin'];

/** The stored item: the record and its list index (by level, then id). */
export const riskItem = (r: RiskPoint) => ({ ...keys.risk(r.tenant, r.id), ...r, entity: 'risk', GSI1PK: keys.riskList(r.tenant), GSI1SK: `${r.level}#${r.id}` });

/** Every measure's department is one of the manifest's. */
export async function checkDepartments(store: Store, codes: readonly string[], path: string): Promise<void> {
  if (!codes.length) return;
  const known = new Set((await tenantManifest(store, useTenant())).departments.map((d) => d.code));
  codes.forEach((code, i) => {
    if (!known.has(code)) throw new DomainError('DEPARTMENT_UNKNOWN', [{ path: `${path}[${i}]`, message: code }]);
  });
}

const measureDepartments = (measures: readonly ControlMeasure[]) => measures.map((m) => m.department);

export async function getRiskPoint(store: Store, id: string): Promise<RiskPoint> {
  const r = Ulid.safeParse(id).success ? await store.get(RiskPoint, keys.risk(useTenant(), id)) : undefined;
  if (!r) throw new DomainError('RISK_NOT_FOUND');
  return r;
}

/** A risk point another record links to; RISK_LINK_UNKNOWN when the tenant has none with that id. */
export async function linkedRiskPoint(store: Store, id: string | undefined): Promise<RiskPoint | undefined> {
  if (id === undefined) return undefined;
  const r = await store.get(RiskPoint, keys.risk(useTenant(), id));
  if (!r) throw new DomainError('RISK_LINK_UNKNOWN', [{ path: 'riskId', message: id }]);
  return r;
}

/** Register a risk point; the same clientId again returns it. */
export async function createRiskPoint(env: RiskEnv, raw: CreateRiskPoint): Promise<{ record: RiskPoint; created: boolean }> {
  const input = CreateRiskPoint.parse(raw);
  const tenant = useTenant();
  const now = env.now();
  const gridId = await gridOf(env, input.location);
  await checkDepartments(env.store, measureDepartments(input.controlMeasures), 'controlMeasures.department');
  if (input.componentId) {
    const check = await env.catalogue.checkComponentId(env.store, input.componentId, input.componentId.slice(6, 11), now.toISOString().slice(0, 10));
    if (!check.ok) throw new DomainError('COMPONENT_ID_INVALID', [{ path: 'componentId', message: `${check.message.zh} / ${check.message.en}` }]);
  }
  if (input.deviceIds.length) {
    const found = new Set((await env.store.batchGet(Device, input.deviceIds.map((d) => keys.device(tenant, d)))).map((d) => d.id));
    const missing = input.deviceIds.find((d) => !found.has(d));
    if (missing) throw new DomainError('RISK_LINK_UNKNOWN', [{ path: 'deviceIds', message: missing }]);
  }
  const id = ulid(now.getTime());
  const event = eventBy('registered', RISK_MANAGER_ROLES, now);
  const { clientId, ...fields } = input;
  const record = RiskPoint.parse({ ...fields, tenant, id, gridId, reviewedBy: event.actor, reviewedAt: event.at, createdAt: event.at, version: 1, history: [event] });
  return await createOnce(env.store, { kind: 'RISK', clientId, request: fields, recordId: id, item: riskItem(record), now, read: (rid) => getRiskPoint(env.store, rid), record });
}

/** The tenant's risk points, most severe first, filtered by domain and level. */
export async function listRiskPoints(store: Store, q: Partial<RiskQuery> = {}): Promise<RiskPoint[]> {
  const all = await store.query(RiskPoint, { index: 'GSI1', pk: keys.riskList(useTenant()) });
  const rank = (r: RiskPoint) => ['major', 'high', 'general', 'low'].indexOf(r.level);
  return all.filter((r) => (!q.domain || r.domain === q.domain) && (!q.level || r.level === q.level)).sort((a, b) => rank(a) - rank(b) || b.id.localeCompare(a.id));
}

/** 复核: a new level and measures on top of `version`; a stale version is a CONFLICT (409). */
export async function reviewRiskPoint(env: RiskEnv, id: string, raw: ReviewRiskPoint): Promise<RiskPoint> {
  const input = ReviewRiskPoint.parse(raw);
  const current = await getRiskPoint(env.store, id);
  if (current.version !== input.version) throw new DomainError('CONFLICT', [{ path: 'version', message: `current version is ${current.version}` }]);
  await checkDepartments(env.store, measureDepartments(input.controlMeasures), 'controlMeasures.department');
  const now = env.now();
  const change = current.level === input.level ? '' : `${current.level} → ${input.level}`;
  const event = eventBy('reviewed', RISK_MANAGER_ROLES, now, [change, input.note].filter(Boolean).join('；'));
  const next: RiskPoint = { ...current, level: input.level, controlMeasures: input.controlMeasures, reviewedBy: event.actor, reviewedAt: event.at, version: current.version + 1, history: [...current.history, event] };
  await putIfUnchanged(env.store, riskItem(next), { expression: '#v = :v', names: { '#v': 'version' }, values: { ':v': current.version } });
  return next;
}
