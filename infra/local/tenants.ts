/**
 * Loading tenant manifests into a table: shared by `npm run tenant -- onboard` and by `npm start`, which
 * onboards every folder under tenants/ so a fresh clone has its demo tenants.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { TenantAlarmRules, TenantCatalogue, TenantContingencyPlans, TenantEvaluation, TenantRiskSettings, unknownPlanLinks, type BaseDataKind, type TenantManifest } from '../../contracts';
import { importBody } from '../../functions/src/basedata/repository';
import { keys } from '../../functions/src/data/keys';
import { patrolSettingsItem } from '../../functions/src/patrol/settings';
import { TenantDispatchSettings, TenantPatrolSettings } from '../../contracts';
import { dispatchSettingsItem } from '../../functions/src/inspectors/positions';
import type { Store } from '../../functions/src/data/store';
import { asSystem } from '../../functions/src/flows/task-handlers';
import { onboardTenant, type OnboardResult } from '../../functions/src/tenants/tenants';
import { formatErrors, validateManifestFile } from '../../tenants/validate';

export type LoadOutcome = { dir: string; ok: true; manifest: TenantManifest; result: OnboardResult } | { dir: string; ok: false; message: string };

/** An optional JSON file of a tenant folder, checked against its schema; errors name the file and the field. */
function readOptional<S extends z.ZodType>(dir: string, name: string, schema: S): { value?: z.infer<S>; error?: string } {
  const file = path.join(dir, name);
  if (!existsSync(file)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return { error: `${file}: not valid JSON (${(err as Error).message})` };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { error: parsed.error.issues.map((i) => `${file}: ${i.path.join('.') || '(file)'}: ${i.message}`).join('\n') };
  return { value: parsed.data };
}

/** Folders under `tenantsDir` that hold a manifest.json. */
export function tenantFolders(tenantsDir: string): string[] {
  return readdirSync(tenantsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(tenantsDir, d.name, 'manifest.json')))
    .map((d) => path.join(tenantsDir, d.name))
    .sort();
}

/** Validate and load one tenant folder; parents are expected to be loaded first (sorted codes do that). */
export async function loadTenantFolder(store: Store, dir: string, now = new Date(), opts: { baseData?: boolean } = {}): Promise<LoadOutcome> {
  const file = path.join(dir, 'manifest.json');
  const v = validateManifestFile(file);
  if (!v.ok) return { dir, ok: false, message: formatErrors(v.errors) };
  const manifest = v.manifest;
  // Optional files beside the manifest: the catalogue (legacy code mappings, extension categories), the
  // evaluation settings and the alarm rules (MON-3).
  const catalogue = readOptional(dir, 'catalogue.json', TenantCatalogue);
  if (catalogue.error) return { dir, ok: false, message: catalogue.error };
  const evaluation = readOptional(dir, 'evaluation.json', TenantEvaluation);
  if (evaluation.error) return { dir, ok: false, message: evaluation.error };
  const alarmRules = readOptional(dir, 'alarm-rules.json', TenantAlarmRules);
  if (alarmRules.error) return { dir, ok: false, message: alarmRules.error };
  if (alarmRules.value && alarmRules.value.tenant !== manifest.code) {
    return { dir, ok: false, message: `${path.join(dir, 'alarm-rules.json')}: tenant ${alarmRules.value.tenant} is not this folder's tenant ${manifest.code}` };
  }
  // MON-2 risk settings and the MON-6 plan library; every plan an alarm rule links must be in the library.
  const riskSettings = readOptional(dir, 'risk-settings.json', TenantRiskSettings);
  if (riskSettings.error) return { dir, ok: false, message: riskSettings.error };
  const plans = readOptional(dir, 'contingency-plans.json', TenantContingencyPlans);
  if (plans.error) return { dir, ok: false, message: plans.error };
  for (const [file, value] of [['risk-settings.json', riskSettings.value], ['contingency-plans.json', plans.value]] as const) {
    if (value && value.tenant !== manifest.code) return { dir, ok: false, message: `${path.join(dir, file)}: tenant ${value.tenant} is not this folder's tenant ${manifest.code}` };
  }
  const links = alarmRules.value ? unknownPlanLinks(alarmRules.value, plans.value ?? { plans: [] }) : [];
  if (links.length) return { dir, ok: false, message: links.map((l) => `${dir} (alarm-rules.json, contingency-plans.json): ${l.path}: ${l.message}`).join('\n') };
  // MON-5 patrol settings: cycle times, GPS tolerance (no file: the tenant has no patrol plans).
  const patrol = readOptional(dir, 'patrol-settings.json', TenantPatrolSettings);
  if (patrol.error) return { dir, ok: false, message: patrol.error };
  if (patrol.value && patrol.value.tenant !== manifest.code) return { dir, ok: false, message: `${path.join(dir, 'patrol-settings.json')}: tenant ${patrol.value.tenant} is not this folder's tenant ${manifest.code}` };
  // MUN-3 nearest-inspector dispatch: freshness, range, report interval (no file: every inspector gets 核实 tasks).
  const dispatch = readOptional(dir, 'dispatch-settings.json', TenantDispatchSettings);
  if (dispatch.error) return { dir, ok: false, message: dispatch.error };
  if (dispatch.value && dispatch.value.tenant !== manifest.code) return { dir, ok: false, message: `${path.join(dir, 'dispatch-settings.json')}: tenant ${dispatch.value.tenant} is not this folder's tenant ${manifest.code}` };
  const result = await asSystem(manifest.code, async () => {
    const r = await onboardTenant(store, manifest, now);
    if (catalogue.value) await store.put({ ...keys.tenantCatalogue(manifest.code), catalogue: catalogue.value, entity: 'catalogue' });
    if (evaluation.value) await store.put({ ...keys.tenantEvaluation(manifest.code), evaluation: evaluation.value, entity: 'evaluation' });
    if (alarmRules.value) await store.put({ ...keys.tenantAlarmRules(manifest.code), rules: alarmRules.value, entity: 'alarm-rules' });
    if (patrol.value) await store.put(patrolSettingsItem(patrol.value));
    if (dispatch.value) await store.put(dispatchSettingsItem(dispatch.value));
    if (riskSettings.value) await store.put({ ...keys.tenantRiskSettings(manifest.code), settings: riskSettings.value, entity: 'risk-settings' });
    if (plans.value) await store.put({ ...keys.tenantContingencyPlans(manifest.code), plans: plans.value, entity: 'contingency-plans' });
    return r;
  });
  const basedata = opts.baseData === false ? { problems: [] } : await loadBaseDataFolder(store, manifest.code, path.join(dir, 'basedata'));
  if (basedata.problems.length) return { dir, ok: false, message: basedata.problems.join('\n') };
  return { dir, ok: true, manifest, result };
}

/** Base data files of a tenant folder, in dependency order (grids before what is placed in them). */
const BASEDATA_FILES: Array<[BaseDataKind, string]> = [
  ['grids', 'grids.geojson'],
  ['evaluation-grids', 'evaluation-grids.geojson'],
  ['components', 'components.geojson'],
  ['addresses', 'addresses.csv'],
  ['layers', 'layers.geojson'],
];

/** Import the folder's base data (idempotent: unchanged records are not written). Problems name file and feature. */
export async function loadBaseDataFolder(store: Store, tenant: string, dir: string): Promise<{ problems: string[] }> {
  const problems: string[] = [];
  if (!existsSync(dir)) return { problems };
  await asSystem(tenant, async () => {
    for (const [kind, file] of BASEDATA_FILES) {
      const full = path.join(dir, file);
      if (!existsSync(full)) continue;
      const text = readFileSync(full, 'utf8');
      const report = await importBody(store, kind, file.endsWith('.csv') ? text : (JSON.parse(text) as unknown), { mode: 'all-or-nothing' });
      for (const issue of report.issues.slice(0, 20)) problems.push(`${full}: feature ${issue.index}${issue.id ? ` (${issue.id})` : ''} ${issue.field}: ${issue.message.zh} / ${issue.message.en}`);
    }
  });
  return { problems };
}
