/** The data layer refuses to run without a tenant context and keeps every caller inside its own keys. */
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Principal } from '../../../contracts';
import { testTable } from '../../../test/support/dynamo';
import { DomainError } from '../shared/errors';
import { withTenant } from '../tenancy/context';
import { keys } from './keys';
import { Store } from './store';

let store: Store;
const Any = z.object({ PK: z.string(), note: z.string().optional() });
const as = (tenant: string, roles: Principal['roles']) => (fn: () => Promise<unknown>) =>
  withTenant({ principal: { subject: 'u', tenant, roles, kind: 'staff' }, requestId: 'r' }, fn);
const errorCode = async (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof DomainError ? e.code : String(e)));

beforeAll(async () => {
  const t = await testTable('store');
  store = new Store({ client: t.client, tableName: t.tableName });
  await as('430100', ['tenant-admin'])(() => store.put({ ...keys.tenantProfile('430100'), note: 'changsha' }));
});

describe('tenant-guarded store', () => {
  it('refuses to run without a tenant context', async () => {
    expect(await errorCode(store.get(Any, keys.tenantProfile('430100')))).toBe('TENANT_CONTEXT_MISSING');
  });

  it('lets a tenant read its own keys and nothing of another tenant', async () => {
    expect(await as('430100', ['dispatcher'])(() => store.get(Any, keys.tenantProfile('430100')))).toMatchObject({ note: 'changsha' });
    expect(await errorCode(as('430181', ['tenant-admin'])(() => store.get(Any, keys.tenantProfile('430100'))))).toBe('NOT_FOUND');
    expect(await errorCode(as('430181', ['tenant-admin'])(() => store.put({ ...keys.tenantProfile('430100'), note: 'overwritten' })))).toBe('NOT_FOUND');
    expect(await errorCode(as('430181', ['tenant-admin'])(() => store.query(Any, { index: 'GSI1', pk: keys.provinceTenants('430000') })))).toBe('NOT_FOUND');
  });

  it('a province user reads its tenants but writes them only through the supervision channel', async () => {
    const province = as('430000', ['province-admin']);
    expect(await province(() => store.get(Any, keys.tenantProfile('430100')))).toMatchObject({ note: 'changsha' });
    expect(await errorCode(province(() => store.put({ ...keys.tenantProfile('430100'), note: 'by province' })))).toBe('NOT_FOUND');
    expect(await errorCode(province(() => store.put({ ...keys.supervision('430100', 'X1'), note: 'assigned' }, {}, { supervisionChannel: true })))).toBe('OK');
  });

  it('a province-role claim on a city tenant is not a province', async () => {
    expect(await errorCode(as('430181', ['province-admin'])(() => store.get(Any, keys.tenantProfile('430100'))))).toBe('NOT_FOUND');
  });
});
