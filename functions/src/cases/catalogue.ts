/**
 * The catalogue port over contracts' GB/T 47678.5 tables and the tenant's own catalogue (legacy mappings,
 * extension categories), which onboarding stores beside the manifest. Cached per tenant for a minute.
 */
import { z } from 'zod';
import { checkComponentId, checkTypeCode, TenantCatalogue } from '../../../contracts';
import { keys } from '../data/keys';
import type { Store } from '../data/store';
import { useTenant } from '../tenancy/context';
import type { CatalogueCheck } from './ports';

const TTL_MS = 60_000;
const cache = new Map<string, { at: number; catalogue: TenantCatalogue | undefined }>();

export async function tenantCatalogue(store: Store): Promise<TenantCatalogue | undefined> {
  const tenant = useTenant();
  const hit = cache.get(`${store.tableName}/${tenant}`);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.catalogue;
  const item = await store.get(z.object({ catalogue: TenantCatalogue }), keys.tenantCatalogue(tenant));
  cache.set(`${store.tableName}/${tenant}`, { at: Date.now(), catalogue: item?.catalogue });
  return item?.catalogue;
}

export const catalogueCheck: CatalogueCheck = {
  async checkType(store, kind, typeCode) {
    const r = checkTypeCode(kind, typeCode, await tenantCatalogue(store));
    return r.ok ? { ok: true } : { ok: false, message: r.message };
  },
  async checkComponentId(store, componentId, typeCode, onDay) {
    const r = checkComponentId(componentId, useTenant(), onDay, { typeCode, catalogue: await tenantCatalogue(store) });
    return r.ok ? { ok: true } : { ok: false, message: r.message };
  },
};
