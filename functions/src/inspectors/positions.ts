/**
 * Inspector presence (位置共享, MUN-3): an open inspector page reports the phone's position; the latest one is
 * kept per inspector with an expiry of the tenant's freshness window, and read only to choose the nearest
 * inspector for an alarm's case. Never logged, never listed by any API.
 */
import { z } from 'zod';
import { GeoPoint, ReportInspectorPosition, TenantDispatchSettings, type GeoPoint as Point, type InspectorPositionReceived } from '../../../contracts';
import { keys } from '../data/keys';
import type { Store } from '../data/store';
import { DomainError } from '../shared/errors';
import { requireRole, useTenant } from '../tenancy/context';
import { chooseNearestInspector, type SharedPosition } from './nearest';

const SettingsItem = z.object({ settings: TenantDispatchSettings });
const PositionItem = z.object({ subject: z.string(), location: GeoPoint, accuracyM: z.number().optional(), at: z.iso.datetime() });

/** The settings item as onboarding writes it. */
export const dispatchSettingsItem = (settings: TenantDispatchSettings) => ({ ...keys.tenantDispatchSettings(settings.tenant), settings, entity: 'dispatch-settings' });

/** The tenant's settings, or undefined when its folder has no dispatch-settings.json (no nearest-inspector dispatch). */
export async function findDispatchSettings(store: Store, tenant: string): Promise<TenantDispatchSettings | undefined> {
  return (await store.get(SettingsItem, keys.tenantDispatchSettings(tenant)))?.settings;
}

/** Keep the caller's (an inspector's) latest position until it stops being fresh. */
export async function recordPosition(store: Store, raw: unknown, now: Date): Promise<InspectorPositionReceived> {
  const p = requireRole('inspector');
  const input = ReportInspectorPosition.parse(raw);
  const tenant = useTenant();
  const settings = (await findDispatchSettings(store, tenant))?.nearestInspector;
  if (!settings) throw new DomainError('DISPATCH_SETTINGS_MISSING', undefined, `no dispatch-settings.json loaded for ${tenant}`);
  const freshUntil = new Date(now.getTime() + settings.positionFreshSeconds * 1000);
  await store.put({
    ...keys.inspectorPosition(tenant, p.subject),
    GSI1PK: keys.inspectorPositions(tenant),
    GSI1SK: p.subject,
    entity: 'inspector-position',
    tenant,
    subject: p.subject,
    location: input.location,
    ...(input.accuracyM !== undefined ? { accuracyM: input.accuracyM } : {}),
    at: now.toISOString(),
    expiresAt: Math.ceil(freshUntil.getTime() / 1000),
  });
  return { receivedAt: now.toISOString(), freshUntil: freshUntil.toISOString(), reportEverySeconds: settings.reportEverySeconds };
}

/**
 * The inspector who should confirm a case at `target`: the nearest fresh position of the caller's tenant within
 * its range, or undefined (no settings, nobody near). TTL deletion is lazy, so freshness is judged here too.
 */
export async function nearestInspector(store: Store, target: Point, now: Date): Promise<string | undefined> {
  const tenant = useTenant();
  const settings = (await findDispatchSettings(store, tenant))?.nearestInspector;
  if (!settings) return undefined;
  const positions: SharedPosition[] = await store.query(PositionItem, { index: 'GSI1', pk: keys.inspectorPositions(tenant) });
  return chooseNearestInspector(positions, target, settings, now);
}
