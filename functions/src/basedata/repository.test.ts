/**
 * CMD-5 base data in the table: imports are idempotent, changes are applied, the index cache follows the
 * version item, and one tenant never sees another's grids.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TenantManifest, type Principal } from '../../../contracts';
import type { UnitGrid } from '../../../contracts/src/basedata';
import { testTable } from '../../../test/support/dynamo';
import { Store } from '../data/store';
import { DomainError } from '../shared/errors';
import { withTenant } from '../tenancy/context';
import { onboardTenant } from '../tenants/tenants';
import { basedataKeys } from './keys';
import { batchWrite, importBaseData, importBody, loadIndex, loadRecords } from './repository';

let store: Store;
const ROOT = path.resolve(import.meta.dirname, '../../..');
const as = <T>(tenant: string, fn: () => Promise<T>, roles: Principal['roles'] = ['tenant-admin']): Promise<T> =>
  withTenant({ principal: { subject: `admin-${tenant}`, tenant, roles, kind: 'staff' }, requestId: 'r' }, fn);
const errorCode = async (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof DomainError ? e.code : String(e)));
const Raw = z.looseObject({ PK: z.string() });

const grid = (id: string, w: number, s: number, name = `${id} 网格`): UnitGrid => ({
  id,
  name,
  division: id.slice(0, 6),
  streetName: '定王台街道',
  communityName: '西园社区',
  crs: 'WGS84',
  geometry: { type: 'Polygon', coordinates: [[[w, s], [w + 0.002, s], [w + 0.002, s + 0.002], [w, s + 0.002], [w, s]]] },
});
const A = grid('430102003001001', 112.98, 28.19);
const B = grid('430102003001002', 112.982, 28.19);

beforeAll(async () => {
  const t = await testTable('basedata');
  store = new Store({ client: t.client, tableName: t.tableName });
  for (const code of ['430100', '430181']) {
    const manifest = TenantManifest.parse(JSON.parse(readFileSync(path.join(ROOT, 'tenants', code, 'manifest.json'), 'utf8')));
    await as(code, () => onboardTenant(store, manifest, new Date('2026-06-01T00:00:00Z')));
  }
});

describe('CMD-5 base data repository', () => {
  it('importing the same grids twice writes nothing the second time', async () => {
    // Prepare
    const first = await as('430100', () => importBaseData(store, 'grids', [A, B]));
    const before = await as('430100', () => loadRecords(store, 'grids'));
    // Act
    const again = await as('430100', () => importBaseData(store, 'grids', [B, A]));
    const after = await as('430100', () => loadRecords(store, 'grids'));
    // Assess
    expect(first).toMatchObject({ created: 2, updated: 0, unchanged: 0, deleted: 0 });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2, deleted: 0 });
    expect(after).toEqual(before); // the records and the version each was written in
    expect(after.writtenAt).toEqual([first.version, first.version]);
  });

  it('a changed grid is updated and the others stay as they were', async () => {
    const r = await as('430100', () => importBaseData(store, 'grids', [{ ...A, name: '西园社区01号网格' }, B]));
    expect(r).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    const { records } = await as('430100', () => loadRecords(store, 'grids'));
    expect(records.find((g) => g.id === A.id)?.name).toBe('西园社区01号网格');
  });

  it('prune deletes the records missing from the import', async () => {
    const r = await as('430100', () => importBaseData(store, 'grids', [A], { prune: true }));
    expect(r).toMatchObject({ deleted: 1 });
    expect((await as('430100', () => loadRecords(store, 'grids'))).records.map((g) => g.id)).toEqual([A.id]);
    await as('430100', () => importBaseData(store, 'grids', [A, B]));
  });

  it('only a tenant administrator imports', async () => {
    expect(await errorCode(as('430100', () => importBaseData(store, 'grids', [A]), ['inspector']))).toBe('FORBIDDEN_ROLE');
  });

  it('tenant B cannot read or list tenant A’s grids, and its own index is empty', async () => {
    const index = await as('430181', () => loadIndex(store));
    expect(index.counts.grids).toBe(0);
    expect(index.gridAt({ lng: 112.981, lat: 28.191 })).toBeUndefined();
    expect(await errorCode(as('430181', () => store.get(Raw, basedataKeys.record('430100', 'grids', A.id))))).toBe('NOT_FOUND');
    expect(await errorCode(as('430181', () => store.query(Raw, { index: 'GSI2', pk: basedataKeys.list('430100', 'grids') })))).toBe('NOT_FOUND');
    expect((await as('430100', () => loadIndex(store))).gridAt({ lng: 112.981, lat: 28.191 })?.id).toBe(A.id);
  });

  it('a batch write naming another tenant’s key is refused before anything is written', async () => {
    const own = { ...basedataKeys.record('430181', 'grids', '430181001001001'), data: 'x' };
    const foreign = { ...basedataKeys.record('430100', 'grids', '430102009009009'), data: 'x' };
    const sneaky = { ...own, GSI2PK: basedataKeys.list('430100', 'grids') };
    expect(await errorCode(as('430181', () => batchWrite(store, [{ PutRequest: { Item: own } }, { PutRequest: { Item: foreign } }])))).toBe('NOT_FOUND');
    expect(await errorCode(as('430181', () => batchWrite(store, [{ PutRequest: { Item: sneaky } }])))).toBe('NOT_FOUND');
    expect(await errorCode(as('430181', () => batchWrite(store, [{ DeleteRequest: { Key: basedataKeys.record('430100', 'grids', A.id) } }])))).toBe('NOT_FOUND');
    expect(await as('430181', () => store.get(Raw, basedataKeys.record('430181', 'grids', '430181001001001')))).toBeUndefined();
    expect(await as('430100', () => store.get(Raw, basedataKeys.record('430100', 'grids', A.id)))).toBeDefined();
  });

  it('loadIndex serves the cached index until an import changes the version item', async () => {
    // Prepare
    const first = await as('430100', () => loadIndex(store));
    // Act
    const cached = await as('430100', () => loadIndex(store));
    await as('430100', () => importBaseData(store, 'grids', [A, B, grid('430102003001003', 112.984, 28.19)]));
    const fresh = await as('430100', () => loadIndex(store));
    // Assess
    expect(cached).toBe(first);
    expect(fresh).not.toBe(first);
    expect(fresh.version).toBeGreaterThan(first.version);
    expect(fresh.gridAt({ lng: 112.985, lat: 28.191 })?.id).toBe('430102003001003');
  });

  it('importBody validates against the manifest and stores what passed', async () => {
    // Prepare: a component in grid A, one outside 长沙's bounds, one naming an unknown department.
    const feature = (id: string, lng: number, dept = 'SY') => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [lng, 28.191] },
      properties: { id, name: '供水井盖', competentDeptCode: dept, competentDeptName: '长沙水业集团', gridId: A.id, status: '完好', initialDate: '2021-03-01' },
    });
    const body = JSON.stringify({ type: 'FeatureCollection', features: [feature('43010201001000001', 112.981), feature('43010201001000002', 116.4), feature('43010201001000003', 112.981, 'ZZ')] });
    // Act
    const report = await as('430100', () => importBody(store, 'components', body));
    const all = await as('430100', () => importBody(store, 'components', body, { mode: 'all-or-nothing' }));
    // Assess
    expect(report).toMatchObject({ total: 3, accepted: 1, rejected: 2, created: 1 });
    expect(report.issues.map((i) => i.code)).toEqual(['GEOMETRY_OUT_OF_BOUNDS', 'DEPARTMENT_UNKNOWN']);
    expect(all).toMatchObject({ accepted: 0, rejected: 3, created: 0, updated: 0 });
    const index = await as('430100', () => loadIndex(store));
    expect(index.componentsNear({ lng: 112.981, lat: 28.191 }, 5).map((c) => c.component.id)).toEqual(['43010201001000001']);
  });
});
