/**
 * Loading tenant manifests into a table: shared by `npm run tenant -- onboard` and by `npm start`, which
 * onboards every folder under tenants/ so a fresh clone has its demo tenants.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { TenantManifest } from '../../contracts';
import type { Store } from '../../functions/src/data/store';
import { asSystem } from '../../functions/src/flows/task-handlers';
import { onboardTenant, type OnboardResult } from '../../functions/src/tenants/tenants';
import { formatErrors, validateManifestFile } from '../../tenants/validate';

export type LoadOutcome = { dir: string; ok: true; manifest: TenantManifest; result: OnboardResult } | { dir: string; ok: false; message: string };

/** Folders under `tenantsDir` that hold a manifest.json. */
export function tenantFolders(tenantsDir: string): string[] {
  return readdirSync(tenantsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(tenantsDir, d.name, 'manifest.json')))
    .map((d) => path.join(tenantsDir, d.name))
    .sort();
}

/** Validate and load one tenant folder; parents are expected to be loaded first (sorted codes do that). */
export async function loadTenantFolder(store: Store, dir: string, now = new Date()): Promise<LoadOutcome> {
  const file = path.join(dir, 'manifest.json');
  const v = validateManifestFile(file);
  if (!v.ok) return { dir, ok: false, message: formatErrors(v.errors) };
  const manifest = v.manifest;
  const result = await asSystem(manifest.code, () => onboardTenant(store, manifest, now));
  return { dir, ok: true, manifest, result };
}
