/** The scheduled MON-5 patrol run: every city and county of the province, each on its own, failures contained. */
import { beforeAll, describe, expect, it } from 'vitest';
import { TenantManifest } from '../../../contracts';
import { testTable } from '../../../test/support/dynamo';
import { Store } from '../data/store';
import { asSystem } from '../flows/task-handlers';
import { useTenant } from '../tenancy/context';
import { onboardTenant } from '../tenants/tenants';
import { patrolScheduleAll } from './patrol-schedule';
import { tenantJson } from '../../../test/support/tenant-files';
const provinceManifest = tenantJson('430000', 'manifest.json');
const changshaManifest = tenantJson('430100', 'manifest.json');
const liuyangManifest = tenantJson('430181', 'manifest.json');

let store: Store;
const NOW = new Date('2026-10-08T09:00:00+08:00');

beforeAll(async () => {
  const t = await testTable('patrol-schedule');
  store = new Store({ client: t.client, tableName: t.tableName });
  for (const m of [provinceManifest, changshaManifest, liuyangManifest]) {
    const manifest = TenantManifest.parse(m);
    await asSystem(manifest.code, () => onboardTenant(store, manifest, NOW));
  }
});

describe('MON-5 patrol schedule (scheduled function)', () => {
  it('runs for every tenant of the province but the province itself, in that tenant’s own context', async () => {
    const seen: Array<[string, string]> = [];
    const out = await patrolScheduleAll(store, ['430000'], NOW, async (_s, tenant) => {
      seen.push([tenant, useTenant()]);
      return { generated: 1, overdue: 0 };
    });
    expect(seen.sort()).toEqual([['430100', '430100'], ['430181', '430181']]);
    expect(out).toEqual({ '430100': { generated: 1, overdue: 0 }, '430181': { generated: 1, overdue: 0 } });
  });

  it('one tenant failing does not stop the others', async () => {
    const out = await patrolScheduleAll(store, ['430000'], NOW, async (_s, tenant) => {
      if (tenant === '430100') throw new Error('boom');
      return { generated: 2, overdue: 1 };
    });
    expect(out).toEqual({ '430100': { generated: 0, overdue: 0 }, '430181': { generated: 2, overdue: 1 } });
  });
});
