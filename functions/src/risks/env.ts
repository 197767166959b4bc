/**
 * What the risk module needs (MON-2, MON-6) and what its three registries share: the ports, the tenant's
 * risk settings and plan library as stored at onboarding, the acting role of a record's history, and the
 * idempotent create (a client id marker written in the same transaction as the record, as case intake does).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { TenantContingencyPlans, TenantRiskSettings, type Role, type RiskEvent } from '../../../contracts';
import type { CatalogueCheck, GeoLookup } from '../cases/ports';
import { keys } from '../data/keys';
import { isConditionFailure, type Item, type Store } from '../data/store';
import { DomainError } from '../shared/errors';
import { usePrincipal, useTenant } from '../tenancy/context';

export interface RiskEnv {
  store: Store;
  geo: GeoLookup;
  catalogue: CatalogueCheck;
  now: () => Date;
}

const SettingsItem = z.object({ settings: TenantRiskSettings });
const PlansItem = z.object({ plans: TenantContingencyPlans });

/** The caller's tenant's risk settings; RISK_SETTINGS_MISSING when the tenant was onboarded without them. */
export async function riskSettings(store: Store): Promise<TenantRiskSettings> {
  const item = await store.get(SettingsItem, keys.tenantRiskSettings(useTenant()));
  if (!item) throw new DomainError('RISK_SETTINGS_MISSING');
  return item.settings;
}

/** The caller's tenant's plan library (empty when the tenant has none). */
export async function planLibrary(store: Store): Promise<TenantContingencyPlans> {
  const tenant = useTenant();
  return (await store.get(PlansItem, keys.tenantContingencyPlans(tenant)))?.plans ?? { schemaVersion: 1, tenant, plans: [] };
}

/** A history entry for the caller: the first of their roles the action allows (or their first role). */
export function eventBy(action: string, allowed: readonly Role[], now: Date, note?: string): RiskEvent {
  const p = usePrincipal();
  const role = p.roles.find((r) => allowed.includes(r)) ?? p.roles[0] ?? 'system';
  return { at: now.toISOString(), action, actor: p.subject, role, ...(note ? { note } : {}) };
}

const Marker = z.object({ recordId: z.string(), requestHash: z.string() });

/**
 * Write a new record once per (person, client id): the marker and the record in one transaction. The same
 * request again returns the stored record (`created: false`); the same id with other content is refused.
 */
export async function createOnce<T>(
  store: Store,
  opts: { kind: string; clientId: string; request: unknown; recordId: string; item: Item; now: Date; read: (id: string) => Promise<T>; record: T },
): Promise<{ record: T; created: boolean }> {
  const requestHash = createHash('sha256').update(JSON.stringify(opts.request)).digest('hex').slice(0, 16);
  const markerKey = keys.requestMarker(useTenant(), `${opts.kind}-${usePrincipal().subject}-${opts.clientId}`);
  try {
    await store.transact([
      { Put: { Item: { ...markerKey, recordId: opts.recordId, requestHash, expiresAt: Math.floor(opts.now.getTime() / 1000) + 30 * 86400 }, ConditionExpression: 'attribute_not_exists(PK)' } },
      { Put: { Item: opts.item, ConditionExpression: 'attribute_not_exists(PK)' } },
    ]);
    return { record: opts.record, created: true };
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    const marker = await store.get(Marker, markerKey);
    if (!marker) throw err;
    if (marker.requestHash !== requestHash) throw new DomainError('IDEMPOTENCY_MISMATCH');
    return { record: await opts.read(marker.recordId), created: false };
  }
}

/** The point's unit grid among the tenant's grids, or LOCATION_OUTSIDE_TENANT. */
export async function gridOf(env: RiskEnv, point: { lng: number; lat: number }): Promise<string> {
  const gridId = await env.geo.gridAt(env.store, point);
  if (!gridId) throw new DomainError('LOCATION_OUTSIDE_TENANT', [{ path: 'location', message: `${point.lng},${point.lat}` }]);
  return gridId;
}

/** A conditional write that lost a race becomes CONFLICT (409). */
export async function putIfUnchanged(store: Store, item: Item, condition: { expression: string; names?: Record<string, string>; values: Record<string, unknown> }): Promise<void> {
  try {
    await store.put(item, { ConditionExpression: condition.expression, ExpressionAttributeNames: condition.names, ExpressionAttributeValues: condition.values });
  } catch (err) {
    if (isConditionFailure(err)) throw new DomainError('CONFLICT');
    throw err;
  }
}
