/**
 * A tenant's patrol settings (`tenants/<code>/patrol-settings.json`, loaded at onboarding): the time each cycle
 * has, whether daily patrols skip days off, the GPS tolerance and the generator's backfill window.
 */
import { z } from 'zod';
import { TenantPatrolSettings } from '../../../contracts';
import { keys } from '../data/keys';
import type { Store } from '../data/store';
import { DomainError } from '../shared/errors';

const SettingsItem = z.object({ settings: TenantPatrolSettings });

/** The settings item as onboarding writes it. */
export const patrolSettingsItem = (settings: TenantPatrolSettings) => ({ ...keys.tenantPatrolSettings(settings.tenant), settings, entity: 'patrol-settings' });

/** The tenant's settings, or undefined when its folder has no patrol-settings.json. */
export async function findPatrolSettings(store: Store, tenant: string): Promise<TenantPatrolSettings | undefined> {
  return (await store.get(SettingsItem, keys.tenantPatrolSettings(tenant)))?.settings;
}

/** The tenant's settings; without them no plan can be timed (PATROL_SETTINGS_MISSING). */
export async function patrolSettings(store: Store, tenant: string): Promise<TenantPatrolSettings> {
  const s = await findPatrolSettings(store, tenant);
  if (!s) throw new DomainError('PATROL_SETTINGS_MISSING', undefined, `no patrol-settings.json loaded for ${tenant}`);
  return s;
}
