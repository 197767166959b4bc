/**
 * CMD-5 demo base data (tenants/<code>/basedata/): every file validates against its tenant's manifest without a
 * single issue, stays under 1.5 MB, loads through the import path, and the loaded index places each address
 * point in the grid the file names.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TenantManifest, type Principal } from '../../../contracts';
import type { BaseDataKind } from '../../../contracts/src/basedata';
import { testTable } from '../../../test/support/dynamo';
import { Store } from '../data/store';
import { withTenant } from '../tenancy/context';
import { onboardTenant } from '../tenants/tenants';
import { validateImport, type ImportContext } from './import';
import { importBody, loadIndex } from './repository';
import { SpatialIndex } from './spatial-index';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const FILES: [BaseDataKind, string][] = [
  ['grids', 'grids.geojson'],
  ['evaluation-grids', 'evaluation-grids.geojson'],
  ['components', 'components.geojson'],
  ['addresses', 'addresses.csv'],
  ['layers', 'layers.geojson'],
];
const file = (code: string, name: string) => path.join(ROOT, 'tenants', code, 'basedata', name);
const manifest = (code: string) => TenantManifest.parse(JSON.parse(readFileSync(path.join(ROOT, 'tenants', code, 'manifest.json'), 'utf8')));
const as = <T>(tenant: string, fn: () => Promise<T>): Promise<T> =>
  withTenant({ principal: { subject: `admin-${tenant}`, tenant, roles: ['tenant-admin'] satisfies Principal['roles'], kind: 'staff' }, requestId: 'r' }, fn);

let store: Store;
beforeAll(async () => {
  const t = await testTable('demo');
  store = new Store({ client: t.client, tableName: t.tableName });
});

describe.each(['430100', '430181'])('CMD-5 demo base data of %s', (code) => {
  it('validates without issues against the manifest', () => {
    const m = manifest(code);
    const ctx: ImportContext = { tenant: code, bounds: m.bounds, departments: m.departments.map((d) => d.code) };
    const grids = validateImport('grids', readFileSync(file(code, 'grids.geojson'), 'utf8'), ctx, { mode: 'all-or-nothing' });
    expect(grids.issues).toEqual([]);
    const withGrids = { ...ctx, grids: new SpatialIndex({ grids: grids.records }) };
    for (const [kind, name] of FILES.slice(1)) {
      const r = validateImport(kind, readFileSync(file(code, name), 'utf8'), withGrids, { mode: 'all-or-nothing' });
      expect(r.issues, name).toEqual([]);
      expect(r.records.length, name).toBeGreaterThan(0);
    }
    expect(grids.records.length).toBeGreaterThan(code === '430100' ? 300 : 100);
  });

  it('keeps every file under 1.5 MB', () => {
    for (const [, name] of FILES) expect(statSync(file(code, name)).size, name).toBeLessThan(1.5 * 1024 * 1024);
  });

  it('loads through importBody and answers grid and address questions', async () => {
    // Prepare
    await as(code, () => onboardTenant(store, manifest(code), new Date('2026-06-01T00:00:00Z')));
    // Act
    for (const [kind, name] of FILES) {
      const report = await as(code, () => importBody(store, kind, readFileSync(file(code, name), 'utf8'), { mode: 'all-or-nothing' }));
      expect(report.issues, name).toEqual([]);
      expect(report.created, name).toBe(report.total);
    }
    const index = await as(code, () => loadIndex(store));
    // Assess: every address point lies in the grid the file names, and its own text finds it.
    const rows = readFileSync(file(code, 'addresses.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    for (const [id, text, lng, lat, gridId] of rows.filter((_, i) => i % 7 === 0)) {
      expect(index.gridAt({ lng: Number(lng), lat: Number(lat) })?.id, id).toBe(gridId);
      expect(index.geocode(text!)[0]?.address.id, text).toBe(id);
    }
    expect(index.counts.grids).toBeGreaterThan(0);
    expect(index.counts.layers).toBeGreaterThan(0);
  }, 120_000);
});
