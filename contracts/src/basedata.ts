/**
 * City base data (CMD-4 geocoding, CMD-5 base data, DAT-1): unit grids (单元网格, GB/T 47678.3), evaluation grids
 * (评价区域), components (管理部件, GB/T 47678.5 Table 2), thematic layers (专题图层: the field-inspection sample kinds)
 * and address points (地址点). Everything a case is located against is one of these.
 *
 * Coordinates are GeoJSON `[lng, lat]` in WGS84 degrees. Chinese sources often come in other systems:
 * - CGCS2000 (EPSG:4490) differs from WGS84 by centimetres; at a 200 m grid that is noise, so it is accepted and
 *   stored as declared without conversion.
 * - GCJ-02 (国测局, used by 高德/腾讯 web maps) and BD-09 (百度) are deliberately shifted by hundreds of metres;
 *   they are refused. Convert them to WGS84/CGCS2000 before importing.
 * A GeoJSON body without a `crs` member is WGS84 (RFC 7946 §4).
 */
import { z } from 'zod';
import { GeoPoint } from './case';
import { DivisionCode } from './divisions';

// ---------------------------------------------------------------------------------------------------------
// Identifiers and codes

/** 单元网格标识码 (GB/T 47678.3): 15 characters, digits and capital letters; the first 6 are a division code. */
export const GridId = z.string().regex(/^\d{6}[0-9A-Z]{9}$/, { message: 'a grid id has 15 characters: a 6-digit division code, then 9 digits or capital letters' });
export type GridId = z.infer<typeof GridId>;

/** 管理部件标识码 (GB/T 47678.5): division (6) + 大类 (2) + 小类 (3) + sequence (6). */
export const ComponentId = z.string().regex(/^\d{17}$/, { message: 'a component id has 17 digits (GB/T 47678.5)' });
export type ComponentId = z.infer<typeof ComponentId>;

/** 5-digit component type code: 2-digit 大类 + 3-digit 小类 (01001 供水井盖, 01037 路灯, 03005 垃圾箱 …). */
export const ComponentTypeCode = z.string().regex(/^\d{5}$/, { message: 'a type code has five digits (GB/T 47678.5)' });

/** An evaluation area's id: its division code and up to 24 digits or capital letters (tenant-assigned). */
export const EvaluationGridId = z.string().regex(/^\d{6}[0-9A-Z]{1,24}$/, { message: 'an evaluation grid id is a 6-digit division code and 1–24 digits or capital letters' });

/** Ids of layers and address points are the tenant's own. */
export const LocalId = z.string().regex(/^[0-9A-Za-z_-]{1,40}$/, { message: 'an id is 1–40 letters, digits, _ or -' });

/** 所在街道（镇、乡）代码: 9 digits (division + 3). 所在社区（村）代码: 12 digits (street + 3). */
export const StreetCode = z.string().regex(/^\d{9}$/, { message: 'a street (街道/乡镇) code has nine digits' });
export const CommunityCode = z.string().regex(/^\d{12}$/, { message: 'a community (社区/村) code has twelve digits' });

/** 统一社会信用代码 (18 characters) or a department code of the tenant's manifest. */
export const DepartmentRef = z.string().regex(/^[A-Za-z0-9-]{2,32}$/, { message: 'a department code is 2–32 letters, digits or dashes' });
/** The 18-character unified social credit code the standard names for ZGBMDM/QSDWDM/YHDWDM. */
export const USCC_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

// ---------------------------------------------------------------------------------------------------------
// Coordinate reference systems

export const Crs = z.enum(['WGS84', 'CGCS2000']);
export type Crs = z.infer<typeof Crs>;

/** Spellings of the accepted systems seen in GeoJSON `crs` members and GIS exports, upper-cased. */
export const CRS_ALIASES: Readonly<Record<string, Crs>> = {
  WGS84: 'WGS84',
  'WGS-84': 'WGS84',
  'EPSG:4326': 'WGS84',
  'URN:OGC:DEF:CRS:EPSG::4326': 'WGS84',
  'URN:OGC:DEF:CRS:OGC:1.3:CRS84': 'WGS84',
  CRS84: 'WGS84',
  CGCS2000: 'CGCS2000',
  'EPSG:4490': 'CGCS2000',
  'URN:OGC:DEF:CRS:EPSG::4490': 'CGCS2000',
};

/** Systems that are recognised but refused (shifted on purpose); the message tells the user to convert. */
export const REFUSED_CRS: Readonly<Record<string, string>> = {
  GCJ02: 'GCJ-02',
  'GCJ-02': 'GCJ-02',
  BD09: 'BD-09',
  'BD-09': 'BD-09',
  BD09LL: 'BD-09',
};

/** A declared crs: a plain name (`"CGCS2000"`) or a GeoJSON 2008 named crs (`{type:"name",properties:{name}}`). */
export const DeclaredCrs = z.union([z.string(), z.object({ type: z.literal('name'), properties: z.object({ name: z.string() }) })]);
export type DeclaredCrs = z.infer<typeof DeclaredCrs>;

/** The name inside a declared crs, upper-cased for lookup in CRS_ALIASES / REFUSED_CRS. */
export const crsName = (declared: DeclaredCrs): string => (typeof declared === 'string' ? declared : declared.properties.name).trim().toUpperCase();

// ---------------------------------------------------------------------------------------------------------
// Geometry (GeoJSON, RFC 7946). Shape only; validity (closed rings, bounds, self-intersection) is checked by the
// importer so that each problem gets its own code.

/** `[lng, lat]` or `[lng, lat, altitude]`, finite numbers. */
export const Position = z.array(z.number().finite()).min(2).max(3);
export type Position = z.infer<typeof Position>;

export const PointGeometry = z.object({ type: z.literal('Point'), coordinates: Position });
export const LineStringGeometry = z.object({ type: z.literal('LineString'), coordinates: z.array(Position) });
export const MultiLineStringGeometry = z.object({ type: z.literal('MultiLineString'), coordinates: z.array(z.array(Position)) });
export const PolygonGeometry = z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(Position)).min(1) });
export const MultiPolygonGeometry = z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(Position)).min(1)).min(1) });

export const AreaGeometry = z.discriminatedUnion('type', [PolygonGeometry, MultiPolygonGeometry]);
export type AreaGeometry = z.infer<typeof AreaGeometry>;
export const AnyGeometry = z.discriminatedUnion('type', [PointGeometry, LineStringGeometry, MultiLineStringGeometry, PolygonGeometry, MultiPolygonGeometry]);
export type AnyGeometry = z.infer<typeof AnyGeometry>;

// ---------------------------------------------------------------------------------------------------------
// Records

/** 单元网格 (GB/T 47678.3): the smallest management area; every case is located in exactly one. */
export const UnitGrid = z.object({
  id: GridId,
  name: z.string().trim().min(1).max(50),
  /** The division the grid belongs to; equals the id's first six digits. */
  division: DivisionCode,
  streetCode: StreetCode.optional(),
  streetName: z.string().trim().min(1).max(50),
  communityCode: CommunityCode.optional(),
  communityName: z.string().trim().min(1).max(50),
  crs: Crs.default('WGS84'),
  geometry: AreaGeometry,
});
export type UnitGrid = z.infer<typeof UnitGrid>;

/** 评价区域 class: 一类区域 (core and showcase areas) and 二类区域 (the rest), scored on different bands. */
export const EvaluationClass = z.enum(['一类', '二类']);
export type EvaluationClass = z.infer<typeof EvaluationClass>;

/** 评价网格: an evaluation area grouping unit grids, with the class the regional evaluation bands use (CMD-9). */
export const EvaluationGrid = z.object({
  id: EvaluationGridId,
  name: z.string().trim().min(1).max(50),
  division: DivisionCode,
  class: EvaluationClass,
  /** The unit grids this area groups (may be empty when the tenant only draws the outline). */
  gridIds: z.array(GridId).max(2000).default([]),
  crs: Crs.default('WGS84'),
  geometry: AreaGeometry,
});
export type EvaluationGrid = z.infer<typeof EvaluationGrid>;

/** 管理部件状态 (GLBJZT). */
export const ComponentStatus = z.enum(['完好', '破损', '丢失', '废弃', '移除']);
export type ComponentStatus = z.infer<typeof ComponentStatus>;
/** 数据来源 (SJLY). */
export const ComponentDataSource = z.enum(['实测', '地形图', '基础地理数据', '其他']);

const IsoDay = z.iso.date({ message: 'write dates as YYYY-MM-DD (or YYYYMMDD in CSV)' });

/**
 * 管理部件 with the 18 standard attributes of GB/T 47678.5 Table 2 (camelCase; the standard's abbreviations are
 * in COMPONENT_ATTRIBUTES), plus its type code and point location.
 */
export const Component = z.object({
  id: ComponentId, // GLBJBSM
  typeCode: ComponentTypeCode,
  name: z.string().trim().min(1).max(30), // GLBJMC
  competentDeptCode: DepartmentRef, // ZGBMDM 主管部门
  competentDeptName: z.string().trim().min(1).max(100), // ZGBMMC
  ownerDeptCode: DepartmentRef.optional(), // QSDWDM 权属单位
  ownerDeptName: z.string().trim().max(100).optional(), // QSDWMC
  maintainerDeptCode: DepartmentRef.optional(), // YHDWDM 养护单位
  maintainerDeptName: z.string().trim().max(100).optional(), // YHDWMC
  gridId: GridId, // SZDYWGBSM
  status: ComponentStatus, // GLBJZT
  initialDate: IsoDay, // CSRQ
  changeDate: IsoDay.optional(), // BGRQ
  dataSource: ComponentDataSource.optional(), // SJLY
  note: z.string().max(1000).optional(), // BZ
  streetCode: StreetCode.optional(), // SZJDDM
  streetName: z.string().trim().max(50).optional(), // SZJDMC
  communityCode: CommunityCode.optional(), // SZSQDM
  communityName: z.string().trim().max(50).optional(), // SZSQMC
  crs: Crs.default('WGS84'),
  location: GeoPoint,
});
export type Component = z.infer<typeof Component>;

/**
 * Table 2 of GB/T 47678.5: our attribute name → the standard's abbreviation and Chinese name. CSV headers may use
 * any of the three spellings.
 */
export const COMPONENT_ATTRIBUTES = {
  id: { abbr: 'GLBJBSM', zh: '管理部件标识码' },
  name: { abbr: 'GLBJMC', zh: '管理部件名称' },
  competentDeptCode: { abbr: 'ZGBMDM', zh: '主管部门代码' },
  competentDeptName: { abbr: 'ZGBMMC', zh: '主管部门名称' },
  ownerDeptCode: { abbr: 'QSDWDM', zh: '权属单位代码' },
  ownerDeptName: { abbr: 'QSDWMC', zh: '权属单位名称' },
  maintainerDeptCode: { abbr: 'YHDWDM', zh: '养护单位代码' },
  maintainerDeptName: { abbr: 'YHDWMC', zh: '养护单位名称' },
  gridId: { abbr: 'SZDYWGBSM', zh: '所在单元网格标识码' },
  status: { abbr: 'GLBJZT', zh: '管理部件状态' },
  initialDate: { abbr: 'CSRQ', zh: '初始日期' },
  changeDate: { abbr: 'BGRQ', zh: '变更日期' },
  dataSource: { abbr: 'SJLY', zh: '数据来源' },
  note: { abbr: 'BZ', zh: '备注' },
  streetCode: { abbr: 'SZJDDM', zh: '所在街道代码' },
  streetName: { abbr: 'SZJDMC', zh: '所在街道名称' },
  communityCode: { abbr: 'SZSQDM', zh: '所在社区代码' },
  communityName: { abbr: 'SZSQMC', zh: '所在社区名称' },
  // Not in Table 2 but needed to place the component:
  typeCode: { abbr: 'LXDM', zh: '部件类型代码' },
  lng: { abbr: 'X', zh: '经度' },
  lat: { abbr: 'Y', zh: '纬度' },
} as const;
export type ComponentCsvColumn = keyof typeof COMPONENT_ATTRIBUTES;

/**
 * Component CSV (UTF-8, optional BOM, RFC 4180 quoting, first row a header):
 * required columns `id, name, competentDeptCode, competentDeptName, gridId, status, initialDate, lng, lat`;
 * optional `typeCode` (defaults to digits 7–11 of the id), the other Table-2 attributes. Headers may be the
 * camelCase names, the standard's abbreviations (GLBJBSM …) or the Chinese names (管理部件标识码 …). Dates are
 * `YYYY-MM-DD` or the standard's `YYYYMMDD`. Coordinates in the body's declared crs (default WGS84).
 */
export const COMPONENT_CSV_REQUIRED: readonly ComponentCsvColumn[] = ['id', 'name', 'competentDeptCode', 'competentDeptName', 'gridId', 'status', 'initialDate', 'lng', 'lat'];

/** 专题图层 kinds: the CMD-5 field-inspection sample kinds. */
export const LayerKind = z.enum([
  'main-road', // 主干道
  'secondary-road', // 次干道
  'back-street', // 背街小巷
  'commercial-pedestrian-street', // 商业步行街
  'park', // 公园
  'square', // 广场
  'farmers-market', // 农贸市场
  'public-toilet', // 公共厕所
  'station', // 火车站、长途汽车站
  'river-lake', // 河湖
  'vendor-zone', // 摊点疏导区
  'community', // 社区
  'major-intersection', // 主要交叉路口
]);
export type LayerKind = z.infer<typeof LayerKind>;

export const LAYER_KIND_NAMES: Record<LayerKind, { zh: string; en: string }> = {
  'main-road': { zh: '主干道', en: 'Main road' },
  'secondary-road': { zh: '次干道', en: 'Secondary road' },
  'back-street': { zh: '背街小巷', en: 'Back street' },
  'commercial-pedestrian-street': { zh: '商业步行街', en: 'Commercial pedestrian street' },
  park: { zh: '公园', en: 'Park' },
  square: { zh: '广场', en: 'Square' },
  'farmers-market': { zh: '农贸市场', en: "Farmers' market" },
  'public-toilet': { zh: '公共厕所', en: 'Public toilet' },
  station: { zh: '火车站、长途汽车站', en: 'Railway or long-distance bus station' },
  'river-lake': { zh: '河湖', en: 'River or lake' },
  'vendor-zone': { zh: '摊点疏导区', en: 'Vendor zone' },
  community: { zh: '社区', en: 'Community' },
  'major-intersection': { zh: '主要交叉路口', en: 'Major intersection' },
};

type GeometryType = AnyGeometry['type'];
const LINEAR: readonly GeometryType[] = ['LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'];
const AREAL: readonly GeometryType[] = ['Polygon', 'MultiPolygon'];
const PLACE: readonly GeometryType[] = ['Point', 'Polygon', 'MultiPolygon'];
/** Geometry types that make sense for each kind (a road is a line or its carriageway area, a toilet a point …). */
export const LAYER_GEOMETRY_TYPES: Record<LayerKind, readonly GeometryType[]> = {
  'main-road': LINEAR,
  'secondary-road': LINEAR,
  'back-street': LINEAR,
  'commercial-pedestrian-street': LINEAR,
  park: AREAL,
  square: AREAL,
  'farmers-market': PLACE,
  'public-toilet': PLACE,
  station: PLACE,
  'river-lake': [...LINEAR],
  'vendor-zone': PLACE,
  community: AREAL,
  'major-intersection': PLACE,
};

/** A feature of a thematic layer, used as a field-inspection sample (实地考察样本). */
export const ThematicLayer = z.object({
  id: LocalId,
  kind: LayerKind,
  name: z.string().trim().min(1).max(100),
  crs: Crs.default('WGS84'),
  geometry: AnyGeometry,
});
export type ThematicLayer = z.infer<typeof ThematicLayer>;

/** 地址点: an address and where it is; geocoding matches the tenant's own address points. */
export const AddressPoint = z.object({
  id: LocalId,
  text: z.string().trim().min(2).max(256),
  /** `text` normalised for matching (full-width → half-width, no spaces, 号/栋 variants unified). */
  normalized: z.string().min(1).max(256),
  location: GeoPoint,
  gridId: GridId,
  crs: Crs.default('WGS84'),
});
export type AddressPoint = z.infer<typeof AddressPoint>;

/**
 * Address CSV (UTF-8, optional BOM, RFC 4180 quoting, header row): `id, address, lng, lat` and optional
 * `gridId` (found from the coordinates when left out). Chinese headers 编号, 地址, 经度, 纬度, 单元网格 also work.
 */
export const ADDRESS_CSV_COLUMNS = { id: ['id', '编号'], address: ['address', 'text', '地址'], lng: ['lng', 'x', '经度'], lat: ['lat', 'y', '纬度'], gridId: ['gridId', 'SZDYWGBSM', '单元网格', '所在单元网格标识码'] } as const;

// ---------------------------------------------------------------------------------------------------------
// Imports

export const BaseDataKind = z.enum(['grids', 'evaluation-grids', 'components', 'addresses', 'layers']);
export type BaseDataKind = z.infer<typeof BaseDataKind>;

/** The record type stored for each kind. */
export interface BaseDataRecords {
  grids: UnitGrid;
  'evaluation-grids': EvaluationGrid;
  components: Component;
  addresses: AddressPoint;
  layers: ThematicLayer;
}
export const BASE_DATA_SCHEMAS = {
  grids: UnitGrid,
  'evaluation-grids': EvaluationGrid,
  components: Component,
  addresses: AddressPoint,
  layers: ThematicLayer,
} as const satisfies { [K in BaseDataKind]: z.ZodType<BaseDataRecords[K], unknown> };

/** An import body larger than this is refused whole (API Gateway caps bodies at 10 MB, Lambda at 6 MB). */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/** At most this many features or CSV rows per import; bigger sets are split by the client. */
export const MAX_IMPORT_FEATURES = 20_000;
/** At most this many vertices per feature, keeping each stored item far below DynamoDB's 400 KB. */
export const MAX_FEATURE_VERTICES = 5_000;

/** A GeoJSON FeatureCollection import body; features are checked one by one so a bad one spoils nothing else. */
export const FeatureCollectionBody = z.object({
  type: z.literal('FeatureCollection'),
  crs: DeclaredCrs.optional(),
  features: z.array(z.unknown()),
});
export type FeatureCollectionBody = z.infer<typeof FeatureCollectionBody>;

/** `all-or-nothing`: any problem rejects the whole import. `valid-only`: good features go in, bad ones are listed. */
export const ImportMode = z.enum(['all-or-nothing', 'valid-only']);
export type ImportMode = z.infer<typeof ImportMode>;

/** Problems an import can report, each with a stable code and a Chinese and English message. */
export const IMPORT_ISSUES = {
  BODY_TOO_LARGE: { zh: '导入内容过大', en: 'The import is too large' },
  TOO_MANY_FEATURES: { zh: '导入要素数量过多', en: 'The import has too many features' },
  BODY_MALFORMED: { zh: '导入内容格式错误', en: 'The import body is malformed' },
  CSV_MALFORMED: { zh: 'CSV 格式错误', en: 'The CSV text is malformed' },
  CSV_COLUMN_MISSING: { zh: 'CSV 缺少必需的列', en: 'A required CSV column is missing' },
  CRS_UNSUPPORTED: { zh: '坐标系不受支持，仅接受 WGS84 或 CGCS2000', en: 'Coordinate system not supported; only WGS84 or CGCS2000 are accepted' },
  SCHEMA_INVALID: { zh: '字段不符合要求', en: 'A field is not valid' },
  GEOMETRY_TYPE_NOT_ALLOWED: { zh: '几何类型不允许', en: 'This geometry type is not allowed here' },
  GEOMETRY_RING_TOO_SHORT: { zh: '面的边界环至少需要 4 个点', en: 'A polygon ring needs at least 4 positions' },
  GEOMETRY_RING_NOT_CLOSED: { zh: '面的边界环未闭合（首尾点须相同）', en: 'A polygon ring is not closed (first and last positions must be equal)' },
  GEOMETRY_SELF_INTERSECTING: { zh: '面的边界自相交', en: 'A polygon ring crosses itself' },
  GEOMETRY_LINE_TOO_SHORT: { zh: '线至少需要 2 个点', en: 'A line needs at least 2 positions' },
  GEOMETRY_TOO_COMPLEX: { zh: '几何点数过多', en: 'The geometry has too many positions' },
  GEOMETRY_OUT_OF_BOUNDS: { zh: '坐标超出本平台辖区范围', en: "A position lies outside the tenant's bounds" },
  ID_DIVISION_UNKNOWN: { zh: '编码前 6 位不是已知的行政区划代码', en: 'The first six digits are not a known division code' },
  ID_DIVISION_RETIRED: { zh: '编码前 6 位是已撤销的行政区划代码', en: 'The first six digits are a retired division code' },
  ID_DIVISION_OUTSIDE_TENANT: { zh: '编码前 6 位不属于本平台辖区', en: "The first six digits are not the tenant's division or one below it" },
  ID_TYPE_MISMATCH: { zh: '部件标识码第 7–11 位与部件类型代码不一致', en: 'Digits 7–11 of the component id differ from its type code' },
  DIVISION_MISMATCH: { zh: '行政区划与编码前 6 位不一致', en: 'The division differs from the first six digits of the id' },
  DUPLICATE_ID: { zh: '编码重复', en: 'The id is used twice' },
  DEPARTMENT_UNKNOWN: { zh: '部门代码不在本平台部门清单中', en: "The department code is not in the tenant's department list" },
  GRID_UNKNOWN: { zh: '所在单元网格不存在', en: 'No such unit grid' },
  OUTSIDE_GRIDS: { zh: '位置不在本平台任何单元网格内', en: "The location is not inside any of the tenant's unit grids" },
  GRID_MISMATCH: { zh: '位置不在所填单元网格内', en: 'The location is not inside the unit grid given' },
} as const satisfies Record<string, { zh: string; en: string }>;
export type ImportIssueCode = keyof typeof IMPORT_ISSUES;
export const ImportIssueCode = z.enum(Object.keys(IMPORT_ISSUES) as [ImportIssueCode, ...ImportIssueCode[]]);

/** One problem: which feature (`index` in the body, null for the whole body), which field, what is wrong. */
export const ImportIssue = z.object({
  index: z.number().int().nonnegative().nullable(),
  id: z.string().optional(),
  field: z.string(),
  code: ImportIssueCode,
  message: z.object({ zh: z.string(), en: z.string() }),
});
export type ImportIssue = z.infer<typeof ImportIssue>;

/** What an import reports back (the records themselves are not echoed). */
export const ImportReport = z.object({
  kind: BaseDataKind,
  mode: ImportMode,
  total: z.number().int().nonnegative(),
  accepted: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  issues: z.array(ImportIssue),
  created: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
  deleted: z.number().int().nonnegative(),
  /** The tenant's base-data version after the import. */
  version: z.number().int().nonnegative(),
});
export type ImportReport = z.infer<typeof ImportReport>;

/** Geocoding answers (CMD-4). */
export const GeocodeMatch = z.object({
  address: AddressPoint,
  /** 1 for an exact match, lower for prefix, contains and nearby-number matches. */
  score: z.number().min(0).max(1),
  match: z.enum(['exact', 'prefix', 'contains', 'nearby-number', 'similar']),
});
export type GeocodeMatch = z.infer<typeof GeocodeMatch>;

export const ReverseGeocode = z.object({
  grid: UnitGrid.optional(),
  address: AddressPoint.optional(),
  /** Metres from the point to the address point. */
  distance: z.number().nonnegative().optional(),
});
export type ReverseGeocode = z.infer<typeof ReverseGeocode>;

