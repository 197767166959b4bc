/**
 * CMD-4 geocoding: every case point finds its one unit grid through the R-tree (not a scan), components and
 * address points near it, and addresses typed in the ways people type them.
 */
import { describe, expect, it } from 'vitest';
import type { AddressPoint, Component, UnitGrid } from '../../../contracts/src/basedata';
import { normalizeAddress } from './normalize';
import { SpatialIndex } from './spatial-index';

const SIZE = 0.002;
const cellGrid = (id: string, w: number, s: number, size = SIZE): UnitGrid => ({
  id,
  name: `${id} 网格`,
  division: id.slice(0, 6),
  streetName: '定王台街道',
  communityName: '西园社区',
  crs: 'WGS84',
  geometry: { type: 'Polygon', coordinates: [[[w, s], [w + size, s], [w + size, s + size], [w, s + size], [w, s]]] },
});
/** cols × rows cells from (112.9, 28.1), ids 430102 + 9-digit sequence. */
const cells = (cols: number, rows: number): UnitGrid[] =>
  Array.from({ length: cols * rows }, (_, i) => cellGrid(`430102${String(i).padStart(9, '0')}`, 112.9 + (i % cols) * SIZE, 28.1 + Math.floor(i / cols) * SIZE));

const address = (id: string, text: string, lng: number, lat: number, gridId = '430102000000000'): AddressPoint => ({
  id,
  text,
  normalized: normalizeAddress(text),
  location: { lng, lat },
  gridId,
  crs: 'WGS84',
});
const component = (id: string, lng: number, lat: number): Component => ({
  id,
  typeCode: id.slice(6, 11),
  name: '路灯',
  competentDeptCode: 'CGZF',
  competentDeptName: '长沙市城市管理和综合执法局',
  gridId: '430102000000000',
  status: '完好',
  initialDate: '2020-01-01',
  crs: 'WGS84',
  location: { lng, lat },
});

describe('CMD-4 point → unit grid', () => {
  const index = new SpatialIndex({ grids: cells(2, 1) }); // 430102000000000 west, 430102000000001 east

  it('finds the grid containing a point', () => {
    expect(index.gridAt({ lng: 112.9005, lat: 28.101 })?.id).toBe('430102000000000');
    expect(index.gridAt({ lng: 112.9035, lat: 28.101 })?.id).toBe('430102000000001');
  });

  it('gives a point on the shared edge to the grid with the smaller id, whatever the order of loading', () => {
    const reversed = new SpatialIndex({ grids: cells(2, 1).reverse() });
    const onEdge = { lng: 112.902, lat: 28.101 };
    expect(index.gridAt(onEdge)?.id).toBe('430102000000000');
    expect(reversed.gridAt(onEdge)?.id).toBe('430102000000000');
  });

  it('finds no grid for a point outside all grids, even inside their combined bounding box', () => {
    const lShape = new SpatialIndex({ grids: [cellGrid('430102000000000', 112.9, 28.1), cellGrid('430102000000001', 112.902, 28.102)] });
    expect(lShape.gridAt({ lng: 112.903, lat: 28.101 })).toBeUndefined();
    expect(index.gridAt({ lng: 113.5, lat: 28.5 })).toBeUndefined();
  });

  it('handles MultiPolygon grids and holes', () => {
    const donut: UnitGrid = {
      ...cellGrid('430102000000009', 112.9, 28.1, 0.01),
      geometry: {
        type: 'MultiPolygon',
        coordinates: [
          [
            [[112.9, 28.1], [112.91, 28.1], [112.91, 28.11], [112.9, 28.11], [112.9, 28.1]],
            [[112.904, 28.104], [112.906, 28.104], [112.906, 28.106], [112.904, 28.106], [112.904, 28.104]],
          ],
          [[[112.92, 28.1], [112.93, 28.1], [112.93, 28.11], [112.92, 28.1]]],
        ],
      },
    };
    const i = new SpatialIndex({ grids: [donut] });
    expect(i.gridAt({ lng: 112.901, lat: 28.101 })?.id).toBe('430102000000009');
    expect(i.gridAt({ lng: 112.905, lat: 28.105 })).toBeUndefined(); // in the hole
    expect(i.gridAt({ lng: 112.929, lat: 28.1005 })?.id).toBe('430102000000009');
  });

  it('uses the tree: with 10 000 grids a lookup tests at most a few polygons', () => {
    // Prepare
    const many = new SpatialIndex({ grids: cells(100, 100) });
    const points = Array.from({ length: 500 }, (_, k) => ({ lng: 112.9 + ((k * 37) % 100) * SIZE + SIZE * 0.3, lat: 28.1 + ((k * 53) % 100) * SIZE + SIZE * 0.6 }));
    // Act
    const found = points.map((p) => many.gridAt(p));
    // Assess
    expect(found.every((g) => g !== undefined)).toBe(true);
    expect(many.polygonTests / points.length).toBeLessThanOrEqual(4);
    const before = many.polygonTests;
    expect(many.gridAt({ lng: 112.9 + 50 * SIZE, lat: 28.1 + 50 * SIZE })?.id).toBe(`430102${String(50 * 100 + 49).padStart(9, '0')}`); // a corner shared by four
    expect(many.polygonTests - before).toBeLessThanOrEqual(4);
  });

  it('lists the grids meeting a box', () => {
    const many = new SpatialIndex({ grids: cells(10, 10) });
    const ids = many.gridsIn([112.9001, 28.1001, 112.9039, 28.1019]).map((g) => g.id);
    expect(ids).toEqual(['430102000000000', '430102000000001']);
  });
});

describe('CMD-4 components and addresses near a point', () => {
  const index = new SpatialIndex({
    grids: cells(2, 1),
    components: [component('43010201037000001', 112.9001, 28.1001), component('43010201037000002', 112.9005, 28.1001), component('43010203005000001', 112.9002, 28.1001)],
    addresses: [
      address('A1', '芙蓉区五一大道186号', 112.9001, 28.1002),
      address('A2', '芙蓉区五一大道188号', 112.9011, 28.1002),
      address('A3', '芙蓉区五一大道190号', 112.9021, 28.1002, '430102000000001'),
      address('A4', '芙蓉区五一大道191号', 112.9021, 28.1008, '430102000000001'),
      address('A5', '天心区坡子街88号3栋', 112.903, 28.101, '430102000000001'),
      address('A6', '天心区坡子街88号', 112.9031, 28.1011, '430102000000001'),
    ],
  });

  it('lists components within a radius, nearest first, optionally of one type', () => {
    const near = index.componentsNear({ lng: 112.9001, lat: 28.1001 }, 30);
    expect(near.map((n) => n.component.id)).toEqual(['43010201037000001', '43010203005000001']);
    expect(near[1]!.distance).toBeCloseTo(9.8, 0);
    expect(index.componentsNear({ lng: 112.9001, lat: 28.1001 }, 50, '01037').map((n) => n.component.id)).toEqual(['43010201037000001', '43010201037000002']);
  });

  it('lists components and address points inside a box', () => {
    expect(index.componentsIn([112.9, 28.1, 112.9003, 28.1002]).map((c) => c.id)).toEqual(['43010201037000001', '43010203005000001']);
    expect(index.componentsIn([112.9, 28.1, 112.901, 28.1002], '03005').map((c) => c.id)).toEqual(['43010203005000001']);
    expect(index.addressesIn([112.9025, 28.1005, 112.904, 28.102]).map((a) => a.id)).toEqual(['A5', 'A6']);
  });

  it('finds the nearest address point within the limit only', () => {
    expect(index.nearestAddress({ lng: 112.9012, lat: 28.1002 })?.address.id).toBe('A2');
    expect(index.nearestAddress({ lng: 112.95, lat: 28.1002 }, 100)).toBeUndefined();
  });

  it('reverse geocodes a point to its grid and nearest address', () => {
    const r = index.reverseGeocode({ lng: 112.9022, lat: 28.1003 });
    expect(r.grid?.id).toBe('430102000000001');
    expect(r.address?.text).toBe('芙蓉区五一大道190号');
    expect(r.distance).toBeLessThan(15);
    expect(index.reverseGeocode({ lng: 113.5, lat: 28.5 })).toEqual({});
  });

  it('geocodes an exact address typed with full-width digits, spaces, 號 or without the district', () => {
    for (const text of ['芙蓉区五一大道188号', '五一大道１８８号', '五一大道 188 號', '湖南省长沙市芙蓉区五一大道188', ' 五一大道188号 ']) {
      const [best] = index.geocode(text);
      expect(best, text).toMatchObject({ match: 'exact', score: 1, address: { id: 'A2' } });
    }
  });

  it('reads 3号楼, 3#, 3幢 and 3栋 as the same building', () => {
    for (const text of ['坡子街88号3号楼', '坡子街88号3#', '坡子街88号3幢', '坡子街88號3棟']) {
      expect(index.geocode(text)[0]?.address.id, text).toBe('A5');
    }
  });

  it('ranks prefix matches, then the nearest house number on the same side', () => {
    expect(index.geocode('坡子街')[0]).toMatchObject({ match: 'prefix', address: { id: 'A6' } });
    expect(index.geocode('五一大道188号门口')[0]).toMatchObject({ match: 'prefix', address: { id: 'A2' } });
    const near = index.geocode('五一大道189号');
    expect(near[0]).toMatchObject({ match: 'nearby-number', address: { id: 'A4' } });
    expect(near[0]!.score).toBeLessThan(0.8);
  });

  it('finds near misses by similarity and nothing for unrelated text', () => {
    expect(index.geocode('五一大路188号')[0]).toMatchObject({ match: 'similar', address: { id: 'A2' } });
    expect(index.geocode('解放西路1号')).toEqual([]);
    expect(index.geocode('')).toEqual([]);
  });
});
