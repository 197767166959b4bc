/**
 * Tenants: onboarding from a validated manifest (idempotent: the same manifest twice changes nothing), the
 * caller's own profile, and the province's read path over the tenants of its province.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { TenantManifest, TenantProfile, provinceOf } from '../../../contracts';
import { keys } from '../data/keys';
import { isConditionFailure, type Store } from '../data/store';
import { DomainError } from '../shared/errors';
import { useProvince, useTenant } from '../tenancy/context';

/** Canonical JSON (sorted keys) so that formatting changes do not count as a new manifest. */
export function manifestHash(manifest: TenantManifest): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, canonical(x)]))
        : v;
  return createHash('sha256').update(JSON.stringify(canonical(manifest))).digest('hex').slice(0, 16);
}

const ProfileItem = TenantProfile;
const ManifestItem = z.object({ manifest: TenantManifest });

export type OnboardResult = { code: string; status: 'created' | 'updated' | 'unchanged'; manifestHash: string };

/** Load a manifest; must run in the context of the tenant being onboarded (the operator's CLI sets it). */
export async function onboardTenant(store: Store, manifest: TenantManifest, now: Date): Promise<OnboardResult> {
  if (useTenant() !== manifest.code) throw new DomainError('FORBIDDEN_ROLE', undefined, 'onboarding runs in the tenant’s own context');
  const hash = manifestHash(manifest);
  const existing = await store.get(ProfileItem, keys.tenantProfile(manifest.code));
  if (existing?.manifestHash === hash) return { code: manifest.code, status: 'unchanged', manifestHash: hash };
  const profile: TenantProfile = {
    code: manifest.code,
    name: manifest.name,
    level: manifest.level,
    parent: manifest.parent,
    platform: manifest.platform,
    bounds: manifest.bounds,
    departments: manifest.departments,
    onboardedAt: existing?.onboardedAt ?? now.toISOString(),
    manifestHash: hash,
  };
  const province = provinceOf(manifest.code);
  try {
    await store.transact([
      {
        Put: {
          Item: { ...keys.tenantProfile(manifest.code), ...profile, GSI1PK: keys.provinceTenants(province), GSI1SK: manifest.code, entity: 'tenant' },
          // Two concurrent onboardings of different manifests: the later one must not silently overwrite.
          ConditionExpression: existing ? 'manifestHash = :old' : 'attribute_not_exists(PK)',
          ExpressionAttributeValues: existing ? { ':old': existing.manifestHash } : undefined,
        },
      },
      { Put: { Item: { ...keys.tenantManifest(manifest.code), manifest, entity: 'manifest' } } },
    ]);
  } catch (err) {
    if (isConditionFailure(err)) throw new DomainError('CONFLICT', undefined, 'tenant changed during onboarding');
    throw err;
  }
  manifestCache.delete(`${store.tableName}/${manifest.code}`);
  return { code: manifest.code, status: existing ? 'updated' : 'created', manifestHash: hash };
}

export async function ownProfile(store: Store): Promise<TenantProfile> {
  const code = useTenant();
  const p = await store.get(ProfileItem, keys.tenantProfile(code));
  if (!p) throw new DomainError('TENANT_NOT_FOUND', undefined, `tenant ${code} has not been onboarded`);
  return p;
}

/**
 * A tenant's manifest (calendar, time limits, dispatch rules); for the caller's tenant or, for the province,
 * one of its tenants. Read on every report and every flow step, so kept in process for a minute: a re-onboarded
 * manifest takes effect within that time (the access check still runs on every call).
 */
const MANIFEST_TTL_MS = 60_000;
const manifestCache = new Map<string, { at: number; manifest: TenantManifest }>();

export async function tenantManifest(store: Store, code: string): Promise<TenantManifest> {
  store.assertAllowed(keys.tenantManifest(code).PK, 'read');
  const cacheKey = `${store.tableName}/${code}`;
  const hit = manifestCache.get(cacheKey);
  if (hit && Date.now() - hit.at < MANIFEST_TTL_MS) return hit.manifest;
  const m = await store.get(ManifestItem, keys.tenantManifest(code));
  if (!m) throw new DomainError('TENANT_NOT_FOUND');
  manifestCache.set(cacheKey, { at: Date.now(), manifest: m.manifest });
  return m.manifest;
}

/** Forget cached manifests (after onboarding in the same process). */
export const clearManifestCache = (): void => manifestCache.clear();

export async function listProvinceTenants(store: Store): Promise<TenantProfile[]> {
  const province = useProvince();
  return await store.query(ProfileItem, { index: 'GSI1', pk: keys.provinceTenants(province) });
}

export async function provinceTenant(store: Store, code: string): Promise<TenantProfile> {
  useProvince();
  const p = await store.get(ProfileItem, keys.tenantProfile(code)).catch((err: unknown) => {
    if (err instanceof DomainError && err.code === 'NOT_FOUND') return undefined;
    throw err;
  });
  if (!p) throw new DomainError('TENANT_NOT_FOUND');
  return p;
}
