/**
 * CMD-5 base-data import validation: every problem is named per feature, with a stable code and a Chinese and
 * English message, and a bad feature does not block the good ones unless the tenant asks for all-or-nothing.
 */
import fcx from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_BYTES, MAX_IMPORT_FEATURES, type ImportIssue } from '../../../contracts/src/basedata';
import { validateCsv, validateFeatureCollection, validateImport, type ImportContext } from './import';
import { SpatialIndex } from './spatial-index';

const CHANGSHA_BOUNDS = [111.89, 27.85, 114.25, 28.67] as const;
const ctx: ImportContext = { tenant: '430100', bounds: CHANGSHA_BOUNDS, onDay: '2026-06-01', departments: ['CGZF', 'SW', 'SY', 'YL'] };

type Ring = number[][];
const square = (w: number, s: number, size = 0.002): Ring => [[w, s], [w + size, s], [w + size, s + size], [w, s + size], [w, s]];
const gridFeature = (id: string, ring: Ring, extra: Record<string, unknown> = {}) => ({
  type: 'Feature',
  geometry: { type: 'Polygon', coordinates: [ring] },
  properties: { id, name: '西园社区01号网格', streetName: '定王台街道', communityName: '西园社区', ...extra },
});
const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });
const codes = (issues: ImportIssue[]) => issues.map((i) => [i.index, i.code]);

describe('CMD-5 import validation: unit grids', () => {
  it('accepts valid grids and derives the division from the id', () => {
    const r = validateFeatureCollection('grids', fc(gridFeature('430102003001001', square(112.98, 28.19))), ctx);
    expect(r.issues).toEqual([]);
    expect(r.records).toHaveLength(1);
    expect(r.records[0]).toMatchObject({ id: '430102003001001', division: '430102', crs: 'WGS84' });
  });

  it('names an open ring, a ring of three positions and a ring crossing itself', () => {
    // Prepare
    const open = square(112.98, 28.19).slice(0, 4);
    const short = [[112.98, 28.19], [112.99, 28.19], [112.98, 28.19]];
    const bowtie = [[112.98, 28.19], [112.99, 28.2], [112.99, 28.19], [112.98, 28.2], [112.98, 28.19]];
    // Act
    const r = validateFeatureCollection(
      'grids',
      fc(gridFeature('430102003001001', open), gridFeature('430102003001002', short), gridFeature('430102003001003', bowtie)),
      ctx,
    );
    // Assess
    expect(codes(r.issues)).toEqual([
      [0, 'GEOMETRY_RING_NOT_CLOSED'],
      [1, 'GEOMETRY_RING_TOO_SHORT'],
      [2, 'GEOMETRY_SELF_INTERSECTING'],
    ]);
    expect(r.issues[0]).toMatchObject({ id: '430102003001001', field: 'geometry.coordinates[0]' });
    expect(r.issues[0]!.message.zh).toContain('未闭合');
    expect(r.issues[0]!.message.en).toContain('not closed');
    expect(r.records).toEqual([]);
  });

  it('refuses a grid outside the tenant bounds (a 北京 coordinate typed into 长沙)', () => {
    const r = validateFeatureCollection('grids', fc(gridFeature('430102003001001', square(116.39, 39.9))), ctx);
    expect(codes(r.issues)).toEqual([[0, 'GEOMETRY_OUT_OF_BOUNDS']]);
    expect(r.issues[0]!.message).toMatchObject({ zh: expect.stringContaining('辖区范围'), en: expect.stringContaining("tenant's bounds") });
  });

  it('refuses ids of another city, of an unknown code and of a retired division', () => {
    const r = validateFeatureCollection(
      'grids',
      fc(
        gridFeature('430202001001001', square(112.98, 28.19)), // 株洲市荷塘区
        gridFeature('439999001001001', square(112.98, 28.19)),
        gridFeature('430122001001001', square(112.98, 28.19)), // 望城县, 430112 since 2011
        gridFeature('430181001001001', square(112.98, 28.19)), // 浏阳市 is below 长沙市
      ),
      ctx,
    );
    expect(codes(r.issues)).toEqual([
      [0, 'ID_DIVISION_OUTSIDE_TENANT'],
      [1, 'ID_DIVISION_UNKNOWN'],
      [2, 'ID_DIVISION_RETIRED'],
    ]);
    expect(r.records.map((g) => g.id)).toEqual(['430181001001001']);
  });

  it('a county accepts only its own code', () => {
    const liuyang: ImportContext = { tenant: '430181', bounds: [113.17, 27.85, 114.25, 28.57], onDay: '2026-06-01' };
    const r = validateFeatureCollection('grids', fc(gridFeature('430102003001001', square(113.64, 28.15)), gridFeature('430181001001001', square(113.64, 28.15))), liuyang);
    expect(codes(r.issues)).toEqual([[0, 'ID_DIVISION_OUTSIDE_TENANT']]);
  });

  it('refuses a malformed grid id and a division that contradicts it', () => {
    const r = validateFeatureCollection(
      'grids',
      fc(gridFeature('43010200300100', square(112.98, 28.19)), gridFeature('430102003001001', square(112.98, 28.19), { division: '430103' })),
      ctx,
    );
    expect(codes(r.issues)).toEqual([
      [0, 'SCHEMA_INVALID'],
      [1, 'DIVISION_MISMATCH'],
    ]);
    expect(r.issues[0]!.field).toBe('properties.id');
  });

  it('keeps the first of two features with the same id and reports the second', () => {
    const r = validateFeatureCollection('grids', fc(gridFeature('430102003001001', square(112.98, 28.19)), gridFeature('430102003001001', square(112.99, 28.19))), ctx);
    expect(codes(r.issues)).toEqual([[1, 'DUPLICATE_ID']]);
    expect(r.records).toHaveLength(1);
    expect(r.issues[0]!.message.en).toContain('first appears at feature 0');
  });

  it('valid-only imports the good features; all-or-nothing imports none when one is bad', () => {
    const body = fc(gridFeature('430102003001001', square(112.98, 28.19)), gridFeature('430102003001002', square(116.39, 39.9)));
    const some = validateFeatureCollection('grids', body, ctx, { mode: 'valid-only' });
    const none = validateFeatureCollection('grids', body, ctx, { mode: 'all-or-nothing' });
    expect([some.records.length, some.rejected]).toEqual([1, 1]);
    expect([none.records.length, none.rejected, none.issues.length]).toEqual([0, 2, 1]);
  });

  it('refuses an oversized body whole, by bytes or by feature count', () => {
    const tooManyBytes = JSON.stringify(fc(gridFeature('430102003001001', square(112.98, 28.19)))) + ' '.repeat(MAX_IMPORT_BYTES);
    const bytes = validateImport('grids', tooManyBytes, ctx);
    expect(codes(bytes.issues)).toEqual([[null, 'BODY_TOO_LARGE']]);
    const many = validateFeatureCollection('grids', fc(...Array.from({ length: MAX_IMPORT_FEATURES + 1 }, () => ({}))), ctx);
    expect(codes(many.issues)).toEqual([[null, 'TOO_MANY_FEATURES']]);
    expect(many.records).toEqual([]);
    expect(many.issues[0]!.message.zh).toContain('数量过多');
  });

  it('refuses a feature with too many positions (item size)', () => {
    const ring: Ring = Array.from({ length: 5_001 }, (_, i) => [112.98 + 0.001 * Math.cos((2 * Math.PI * i) / 5_000), 28.19 + 0.001 * Math.sin((2 * Math.PI * i) / 5_000)]);
    ring[ring.length - 1] = ring[0]!;
    const r = validateFeatureCollection('grids', fc(gridFeature('430102003001001', ring)), ctx);
    expect(codes(r.issues)).toEqual([[0, 'GEOMETRY_TOO_COMPLEX']]);
  });

  it('reports malformed JSON and a body that is not a FeatureCollection', () => {
    expect(codes(validateImport('grids', '{"type":', ctx).issues)).toEqual([[null, 'BODY_MALFORMED']]);
    expect(codes(validateImport('grids', { type: 'Feature' }, ctx).issues)).toEqual([[null, 'BODY_MALFORMED']]);
    expect(codes(validateImport('grids', fc('not a feature'), ctx).issues)).toEqual([[0, 'SCHEMA_INVALID']]);
  });

  it('accepts WGS84 and CGCS2000, refuses GCJ-02 with the reason', () => {
    const cgcs = validateFeatureCollection('grids', { ...fc(gridFeature('430102003001001', square(112.98, 28.19))), crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4490' } } }, ctx);
    expect(cgcs.records[0]?.crs).toBe('CGCS2000');
    const gcj = validateFeatureCollection('grids', { ...fc(gridFeature('430102003001001', square(112.98, 28.19))), crs: 'GCJ-02' }, ctx);
    expect(codes(gcj.issues)).toEqual([[null, 'CRS_UNSUPPORTED']]);
    expect(gcj.issues[0]!.message.zh).toContain('加偏');
    expect(gcj.records).toEqual([]);
  });

  it('refuses a point geometry for a grid', () => {
    const r = validateFeatureCollection('grids', fc({ type: 'Feature', geometry: { type: 'Point', coordinates: [112.98, 28.19] }, properties: { id: '430102003001001' } }), ctx);
    expect(codes(r.issues)).toEqual([[0, 'GEOMETRY_TYPE_NOT_ALLOWED']]);
  });
});

describe('CMD-5 import validation: components, address points, layers, evaluation grids', () => {
  // Two grids side by side: 430102003001001 west, 430102003001002 east.
  const grids = new SpatialIndex({
    grids: validateFeatureCollection('grids', fc(gridFeature('430102003001001', square(112.98, 28.19)), gridFeature('430102003001002', square(112.982, 28.19))), ctx).records,
  });
  const withGrids: ImportContext = { ...ctx, grids };
  const component = (props: Record<string, unknown>, at = [112.981, 28.191]) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: at },
    properties: {
      id: '43010201001000001',
      name: '五一大道供水井盖',
      competentDeptCode: 'SY',
      competentDeptName: '长沙水业集团',
      gridId: '430102003001001',
      status: '完好',
      initialDate: '2020-05-01',
      ...props,
    },
  });

  it('accepts a component in its grid and derives the type code from the id', () => {
    const r = validateFeatureCollection('components', fc(component({})), withGrids);
    expect(r.issues).toEqual([]);
    expect(r.records[0]).toMatchObject({ typeCode: '01001', location: { lng: 112.981, lat: 28.191 } });
  });

  it('checks type code, department, status, grid and place of a component', () => {
    const r = validateFeatureCollection(
      'components',
      fc(
        component({ id: '43010201001000002', typeCode: '01037' }),
        component({ id: '43010201001000003', competentDeptCode: 'XX' }),
        component({ id: '43010201001000004', status: '良好' }),
        component({ id: '43010201001000005', gridId: '430102003001009' }),
        component({ id: '43010201001000006' }, [112.983, 28.191]), // in the east grid, names the west one
        component({ id: '43010201001000007', gridId: '430102003001002' }, [112.99, 28.191]), // outside both
        component({ id: '43010301001000008' }), // 天心区 id in a 芙蓉区 grid is allowed: the division chain is the tenant's
        component({ id: '43010201001000009', competentDeptCode: '91430100MA4L0XXXXX' }),
      ),
      withGrids,
    );
    expect(codes(r.issues)).toEqual([
      [0, 'ID_TYPE_MISMATCH'],
      [1, 'DEPARTMENT_UNKNOWN'],
      [2, 'SCHEMA_INVALID'],
      [3, 'GRID_UNKNOWN'],
      [4, 'GRID_MISMATCH'],
      [5, 'OUTSIDE_GRIDS'],
    ]);
    expect(r.issues[4]!.message.en).toContain('the location is in 430102003001002');
    expect(r.records.map((c) => c.id)).toEqual(['43010301001000008', '43010201001000009']);
  });

  it('reads the standard abbreviations as properties (GLBJBSM …) and YYYYMMDD dates', () => {
    const r = validateFeatureCollection(
      'components',
      fc({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [112.981, 28.191] },
        properties: { GLBJBSM: '43010203005000001', GLBJMC: '垃圾箱', ZGBMDM: 'CGZF', ZGBMMC: '长沙市城市管理和综合执法局', SZDYWGBSM: '430102003001001', GLBJZT: '破损', CSRQ: '20190312' },
      }),
      withGrids,
    );
    expect(r.issues).toEqual([]);
    expect(r.records[0]).toMatchObject({ id: '43010203005000001', typeCode: '03005', status: '破损', initialDate: '2019-03-12' });
  });

  it('reads a component CSV with Chinese headers, quoted fields and the line of each problem', () => {
    const csv = [
      '管理部件标识码,管理部件名称,主管部门代码,主管部门名称,所在单元网格标识码,管理部件状态,初始日期,经度,纬度,备注',
      '43010201037000001,路灯,CGZF,"长沙市城市管理和综合执法局",430102003001001,完好,20200101,112.981,28.191,"灯杆编号 ""A-1"", 东侧"',
      '43010201037000002,路灯,CGZF,长沙市城市管理和综合执法局,430102003001001,完好,20200101,东经112,28.191,',
    ].join('\r\n');
    const r = validateCsv('components', csv, withGrids);
    expect(r.records).toHaveLength(1);
    expect(r.records[0]).toMatchObject({ note: '灯杆编号 "A-1", 东侧', initialDate: '2020-01-01' });
    expect(codes(r.issues)).toEqual([[1, 'SCHEMA_INVALID']]);
    expect(r.issues[0]).toMatchObject({ field: 'lng', id: '43010201037000002' });
    expect(r.issues[0]!.message.zh).toContain('第 3 行');
  });

  it('names a missing CSV column and a broken quote', () => {
    const missing = validateCsv('components', 'id,name\n43010201037000001,路灯\n', withGrids);
    expect(codes(missing.issues)).toEqual([[null, 'CSV_COLUMN_MISSING']]);
    expect(missing.issues[0]!.message.en).toContain('competentDeptCode');
    const broken = validateCsv('addresses', 'id,address,lng,lat\nA1,"五一大道1号,112.981,28.191\n', withGrids);
    expect(codes(broken.issues)).toEqual([[null, 'CSV_MALFORMED']]);
  });

  it('finds the grid of an address point left without one and normalises its text', () => {
    const r = validateImport('addresses', 'id,address,lng,lat\nA1,芙蓉区五一大道 １８８ 號,112.983,28.191\nA2,五一大道190号,113.5,28.5\n', withGrids);
    expect(r.records).toEqual([expect.objectContaining({ id: 'A1', gridId: '430102003001002', normalized: '五一大道188号' })]);
    expect(codes(r.issues)).toEqual([[1, 'OUTSIDE_GRIDS']]);
  });

  it('checks a layer geometry against its kind', () => {
    const r = validateFeatureCollection(
      'layers',
      fc(
        { type: 'Feature', geometry: { type: 'LineString', coordinates: [[112.97, 28.196], [113.01, 28.195]] }, properties: { id: 'ROAD-1', kind: 'main-road', name: '五一大道' } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [112.97, 28.196] }, properties: { id: 'PARK-1', kind: 'park', name: '烈士公园' } },
        { type: 'Feature', geometry: { type: 'LineString', coordinates: [[112.97, 28.196]] }, properties: { id: 'ROAD-2', kind: 'back-street', name: '化龙池' } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [112.97, 28.196] }, properties: { id: 'X-1', kind: 'crossing', name: '路口' } },
      ),
      ctx,
    );
    expect(codes(r.issues)).toEqual([
      [1, 'GEOMETRY_TYPE_NOT_ALLOWED'],
      [2, 'GEOMETRY_LINE_TOO_SHORT'],
      [3, 'SCHEMA_INVALID'],
    ]);
    expect(r.issues[2]!.field).toBe('properties.kind');
  });

  it('checks that an evaluation grid groups known unit grids', () => {
    const area = (gridIds: string[]) => ({
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: [[[112.98, 28.19], [112.984, 28.19], [112.984, 28.192], [112.98, 28.192], [112.98, 28.19]]] },
      properties: { id: '430102PJ003001', name: '西园评价区域', class: '一类', gridIds },
    });
    const ok = validateFeatureCollection('evaluation-grids', fc(area(['430102003001001', '430102003001002'])), withGrids);
    expect(ok.issues).toEqual([]);
    const bad = validateFeatureCollection('evaluation-grids', fc(area(['430102003001001', '430102003001003'])), withGrids);
    expect(codes(bad.issues)).toEqual([[0, 'GRID_UNKNOWN']]);
  });
});

describe('CMD-5 import validation of untrusted bodies (property)', () => {
  it('never throws, whatever the body; each feature is either accepted or has an issue in both languages', () => {
    const feature = fcx.record({
      type: fcx.constantFrom('Feature', 'feature'),
      geometry: fcx.oneof(
        fcx.jsonValue(),
        fcx.record({ type: fcx.constantFrom('Point', 'Polygon', 'LineString', 'MultiPolygon'), coordinates: fcx.jsonValue() }),
      ),
      properties: fcx.oneof(fcx.jsonValue(), fcx.dictionary(fcx.constantFrom('id', 'name', 'kind', 'gridId', 'GLBJBSM', 'status', 'crs'), fcx.jsonValue())),
    });
    const body = fcx.oneof(fcx.jsonValue(), fcx.record({ type: fcx.constant('FeatureCollection'), crs: fcx.jsonValue(), features: fcx.array(feature, { maxLength: 5 }) }), fcx.string());
    const kinds = ['grids', 'evaluation-grids', 'components', 'addresses', 'layers'] as const;
    fcx.assert(
      fcx.property(fcx.constantFrom(...kinds), body, (kind, b) => {
        const r = validateImport(kind, b, ctx);
        for (const i of r.issues) expect(i.message.zh.length * i.message.en.length).toBeGreaterThan(0);
        expect(r.records.length + r.rejected).toBe(r.total);
      }),
      { numRuns: 500 },
    );
  });
});
