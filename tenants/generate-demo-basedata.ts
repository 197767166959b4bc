/**
 * Generates plausible demo base data (CMD-5) for 430100 长沙市 and 430181 浏阳市 into tenants/<code>/basedata/:
 * unit grids (~200 × 200 m cells), evaluation grids grouping them, components along the roads, address points
 * along real street names, and thematic layers. The output is the same on every run (seeded random numbers,
 * fixed rounding), so its diffs mean something.
 *
 *   node --import tsx tenants/generate-demo-basedata.ts
 *
 * This is NOT survey data. Street and landmark positions are rough GCJ-02 positions from general knowledge of
 * the two cities, converted to WGS84 below; they may be off by a few hundred metres. District, street and
 * community boundaries are blocks of cells, community names and house numbers are invented. See each
 * tenant's basedata/README.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  AddressPoint,
  Component,
  EvaluationGrid,
  ThematicLayer,
  UnitGrid,
  type AnyGeometry,
  type EvaluationClass,
  type LayerKind,
} from '../contracts/src/basedata';
import { findDivision } from '../contracts/src/divisions';

// ---------------------------------------------------------------------------------------------------------
// Deterministic helpers

/** mulberry32: a tiny seeded PRNG, enough for demo data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const r6 = (x: number): number => Math.round(x * 1e6) / 1e6;
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

// GCJ-02 → WGS84: the published forward transform, inverted by fixed-point iteration (sub-metre here).
const A = 6378245.0;
const EE = 0.00669342162296594323;
function transformLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}
function transformLng(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}
function wgsToGcj(lng: number, lat: number): [number, number] {
  const rad = (lat / 180) * Math.PI;
  const magic = 1 - EE * Math.sin(rad) ** 2;
  const dLat = (transformLat(lng - 105, lat - 35) * 180) / (((A * (1 - EE)) / (magic * Math.sqrt(magic))) * Math.PI);
  const dLng = (transformLng(lng - 105, lat - 35) * 180) / ((A / Math.sqrt(magic)) * Math.cos(rad) * Math.PI);
  return [lng + dLng, lat + dLat];
}
type P = [number, number];
function gcjToWgs([lng, lat]: P): P {
  let w: P = [lng, lat];
  for (let i = 0; i < 6; i++) {
    const g = wgsToGcj(w[0], w[1]);
    w = [w[0] - (g[0] - lng), w[1] - (g[1] - lat)];
  }
  return [r6(w[0]), r6(w[1])];
}
const wgs = (line: P[]): P[] => line.map(gcjToWgs);

const M_PER_DEG = 111_320;
const metresBetween = (a: P, b: P): number => {
  const k = Math.cos((((a[1] + b[1]) / 2) * Math.PI) / 180);
  return Math.hypot((b[0] - a[0]) * M_PER_DEG * k, (b[1] - a[1]) * M_PER_DEG);
};
/** Points every `step` metres along a polyline, with the unit normal (left side) at each. */
function along(line: P[], step: number, start = step / 2): { at: P; normal: P }[] {
  const out: { at: P; normal: P }[] = [];
  let carry = start;
  for (let i = 0; i + 1 < line.length; i++) {
    const a = line[i]!;
    const b = line[i + 1]!;
    const len = metresBetween(a, b);
    const k = Math.cos((a[1] * Math.PI) / 180);
    const ux = ((b[0] - a[0]) * M_PER_DEG * k) / len;
    const uy = ((b[1] - a[1]) * M_PER_DEG) / len;
    for (let d = carry; d <= len; d += step) {
      const t = d / len;
      out.push({ at: [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t], normal: [-uy, ux] });
    }
    carry = ((carry - len) % step + step) % step;
  }
  return out;
}
const offset = (p: P, normal: P, metres: number): P => {
  const k = Math.cos((p[1] * Math.PI) / 180);
  return [r6(p[0] + (normal[0] * metres) / (M_PER_DEG * k)), r6(p[1] + (normal[1] * metres) / M_PER_DEG)];
};
const rect = (w: number, s: number, e: number, n: number): AnyGeometry => ({
  type: 'Polygon',
  coordinates: [[[r6(w), r6(s)], [r6(e), r6(s)], [r6(e), r6(n)], [r6(w), r6(n)], [r6(w), r6(s)]]],
});
/** A rectangle of `wm` × `hm` metres around a GCJ-02 centre, in WGS84. */
const boxAt = (gcj: P, wm: number, hm: number): AnyGeometry => {
  const [x, y] = gcjToWgs(gcj);
  const dx = wm / 2 / (M_PER_DEG * Math.cos((y * Math.PI) / 180));
  const dy = hm / 2 / M_PER_DEG;
  return rect(x - dx, y - dy, x + dx, y + dy);
};
const polygonGcj = (ring: P[]): AnyGeometry => {
  const w = wgs(ring);
  return { type: 'Polygon', coordinates: [[...w, w[0]!]] };
};

// ---------------------------------------------------------------------------------------------------------
// Tenant descriptions

interface StreetDef {
  code: string; // 3 digits
  name: string;
  division: string;
}
interface RoadDef {
  name: string;
  gcj: P[];
  layer?: LayerKind;
}
interface TenantDef {
  code: string;
  seed: number;
  /** South-west corner of the cell cover (WGS84), cell size in degrees, columns and rows. */
  lng0: number;
  lat0: number;
  dLng: number;
  dLat: number;
  cols: number;
  rows: number;
  /** Cells per community block (square). */
  block: number;
  /** The street a block belongs to, by block column and row. */
  streetOf: (bc: number, br: number) => StreetDef;
  communityNames: string[];
  /** Where 一类 areas are: GCJ-02 centres and radii in metres. */
  firstClass: { gcj: P; metres: number }[];
  roads: RoadDef[];
  /** Address text in front of road + number (a district name is added per point for a city). */
  addressPrefix: (division: string) => string;
  departments: Record<string, { code: string; name: string }>;
  /** Component type → department key; types left out are not placed. */
  componentTypes: { typeCode: string; name: string; dept: string; every: number; side: number }[];
  toilets: { name: string; gcj: P }[];
  layers: { id: string; kind: LayerKind; name: string; geometry: AnyGeometry }[];
  /** Buildings (栋) to add at some addresses: [road, house number, buildings]. */
  buildings: [string, number, number][];
}

const CS = (code: string, name: string, division: string): StreetDef => ({ code, name, division });

const CHANGSHA: TenantDef = {
  code: '430100',
  seed: 430100,
  lng0: 112.9536,
  lat0: 28.1835,
  dLng: 0.0021,
  dLat: 0.0018,
  cols: 36,
  rows: 22,
  block: 4,
  streetOf: (bc, br) => {
    if (bc === 0) return CS('005', '橘子洲街道', '430104');
    if (bc <= 2) {
      if (br <= 1) return bc === 1 ? CS('002', '坡子街街道', '430103') : CS('004', '城南路街道', '430103');
      return br <= 3 ? CS('003', '望麓园街道', '430105') : CS('001', '湘雅路街道', '430105');
    }
    const col = Math.min(2, Math.floor((bc - 3) / 2));
    const south = br <= 2;
    const table: StreetDef[][] = [
      [CS('003', '定王台街道', '430102'), CS('001', '文艺路街道', '430102')],
      [CS('002', '韭菜园街道', '430102'), CS('004', '朝阳街道', '430102')],
      [CS('006', '荷花园街道', '430102'), CS('005', '马王堆街道', '430102')],
    ];
    return table[col]![south ? 0 : 1]!;
  },
  communityNames: [
    '西园', '白沙井', '南门口', '学宫街', '东牌楼', '化龙池', '都正街', '八角亭', '营盘路', '湘春', '北正街', '望麓园', '浏城桥',
    '韭菜园', '识字岭', '人民新村', '燕山', '乔庄', '蔡锷', '定王台', '朝阳', '车站南', '五里牌', '远大路', '东屯', '火星', '新军路',
    '马王堆', '荷花池', '晚报大道', '鸿铭', '东湖', '文艺新村', '解放新村', '小古道巷', '大古道巷', '太平街', '樊西巷', '藩城堤',
    '清水塘', '开福寺', '三公里', '长岛', '东风', '万家丽', '新河', '芙蓉', '潘家坪', '杨家山', '龙王港', '橘洲', '天心阁', '碧湘',
    '里仁坡', '青山祠', '沙河街', '东瓜山', '侯家塘', '桂花坪', '金盆岭',
  ],
  firstClass: [
    { gcj: [112.977, 28.196], metres: 1300 }, // 五一广场
    { gcj: [113.0135, 28.1945], metres: 600 }, // 长沙火车站
  ],
  roads: [
    { name: '五一大道', layer: 'main-road', gcj: [[112.9686, 28.1962], [112.977, 28.196], [112.987, 28.1958], [113.0, 28.1956], [113.0125, 28.1953]] },
    { name: '芙蓉中路', layer: 'main-road', gcj: [[112.987, 28.181], [112.987, 28.1958], [112.9872, 28.21], [112.9875, 28.219]] },
    { name: '湘江中路', layer: 'main-road', gcj: [[112.9695, 28.181], [112.969, 28.19], [112.9686, 28.1962], [112.969, 28.205], [112.97, 28.218]] },
    { name: '韶山北路', layer: 'main-road', gcj: [[113.0, 28.181], [113.0, 28.1956]] },
    { name: '解放西路', layer: 'main-road', gcj: [[112.969, 28.1918], [112.977, 28.1916]] },
    { name: '解放中路', layer: 'main-road', gcj: [[112.977, 28.1916], [112.987, 28.1912]] },
    { name: '解放东路', layer: 'main-road', gcj: [[112.987, 28.1912], [113.006, 28.1905]] },
    { name: '人民西路', layer: 'secondary-road', gcj: [[112.97, 28.1855], [112.977, 28.1853]] },
    { name: '人民中路', layer: 'secondary-road', gcj: [[112.977, 28.1853], [112.989, 28.185], [113.0, 28.1848]] },
    { name: '黄兴中路', layer: 'secondary-road', gcj: [[112.977, 28.1962], [112.9772, 28.205], [112.9775, 28.21]] },
    { name: '蔡锷中路', layer: 'secondary-road', gcj: [[112.9815, 28.1916], [112.9815, 28.205], [112.9818, 28.215]] },
    { name: '车站北路', layer: 'secondary-road', gcj: [[113.0125, 28.1962], [113.0128, 28.205], [113.013, 28.215]] },
    { name: '八一路', layer: 'secondary-road', gcj: [[112.9872, 28.2075], [113.0, 28.207], [113.0128, 28.2068]] },
    { name: '黄兴南路步行街', layer: 'commercial-pedestrian-street', gcj: [[112.977, 28.1955], [112.977, 28.19], [112.9768, 28.1845]] },
    { name: '坡子街', layer: 'commercial-pedestrian-street', gcj: [[112.9705, 28.1895], [112.9765, 28.1893]] },
    { name: '太平街', layer: 'commercial-pedestrian-street', gcj: [[112.972, 28.1942], [112.9722, 28.1918]] },
    { name: '化龙池', layer: 'back-street', gcj: [[112.979, 28.1862], [112.9832, 28.1861]] },
    { name: '都正街', layer: 'back-street', gcj: [[112.9835, 28.1885], [112.9838, 28.1852]] },
  ],
  addressPrefix: (division) => findDivision(division, '2026-01-01')?.name ?? '',
  departments: {
    CGZF: { code: 'CGZF', name: '长沙市城市管理和综合执法局' },
    SW: { code: 'SW', name: '长沙市水务局' },
    YL: { code: 'YL', name: '长沙市园林局' },
    GW: { code: 'GW', name: '国网长沙供电公司' },
    SY: { code: 'SY', name: '长沙水业集团' },
    RQ: { code: 'RQ', name: '长沙新奥燃气有限公司' },
    DX: { code: 'DX', name: '中国电信长沙分公司' },
  },
  componentTypes: [
    { typeCode: '01037', name: '路灯', dept: 'CGZF', every: 150, side: 12 },
    { typeCode: '04002', name: '行道树', dept: 'YL', every: 200, side: 9 },
    { typeCode: '03005', name: '垃圾箱', dept: 'CGZF', every: 300, side: 10 },
    { typeCode: '01001', name: '供水井盖', dept: 'SY', every: 640, side: 3 },
    { typeCode: '01002', name: '污水井盖', dept: 'SW', every: 640, side: -2 },
    { typeCode: '01003', name: '雨水井盖', dept: 'SW', every: 480, side: 5 },
    { typeCode: '01005', name: '电力井盖', dept: 'GW', every: 800, side: -5 },
    { typeCode: '01007', name: '通信井盖', dept: 'DX', every: 800, side: 6 },
    { typeCode: '01011', name: '燃气井盖', dept: 'RQ', every: 960, side: -4 },
  ],
  toilets: [
    { name: '五一广场公厕', gcj: [112.9762, 28.1968] },
    { name: '坡子街公厕', gcj: [112.9738, 28.1899] },
    { name: '黄兴南路步行街公厕', gcj: [112.9778, 28.1875] },
    { name: '烈士公园西门公厕', gcj: [113.0048, 28.2135] },
    { name: '长沙火车站广场公厕', gcj: [113.0118, 28.1968] },
    { name: '湘江中路沿江风光带公厕', gcj: [112.9678, 28.2005] },
    { name: '芙蓉中路公厕', gcj: [112.9878, 28.2025] },
    { name: '韶山北路公厕', gcj: [113.0008, 28.1885] },
  ],
  layers: [
    { id: 'PARK-LSGY', kind: 'park', name: '烈士公园', geometry: polygonGcj([[113.004, 28.2085], [113.018, 28.2085], [113.018, 28.219], [113.004, 28.219]]) },
    { id: 'PARK-JZZ', kind: 'park', name: '橘子洲景区', geometry: polygonGcj([[112.9618, 28.181], [112.9652, 28.181], [112.9658, 28.2], [112.9632, 28.212], [112.9612, 28.2]]) },
    { id: 'SQ-WYGC', kind: 'square', name: '五一广场', geometry: boxAt([112.9762, 28.1968], 140, 120) },
    { id: 'SQ-HCZGC', kind: 'square', name: '长沙火车站站前广场', geometry: boxAt([113.0118, 28.1962], 220, 110) },
    { id: 'MKT-MWD', kind: 'farmers-market', name: '马王堆农贸市场', geometry: boxAt([113.029, 28.2002], 90, 70) },
    { id: 'MKT-DMJ', kind: 'farmers-market', name: '东茅街农贸市场', geometry: boxAt([112.9812, 28.1985], 60, 50) },
    { id: 'STN-CSZ', kind: 'station', name: '长沙火车站', geometry: boxAt([113.0135, 28.1942], 260, 120) },
    { id: 'RIV-XJ', kind: 'river-lake', name: '湘江（城区段）', geometry: polygonGcj([[112.958, 28.1812], [112.9678, 28.1812], [112.9674, 28.219], [112.9588, 28.219]]) },
    { id: 'LAKE-NJH', kind: 'river-lake', name: '年嘉湖', geometry: polygonGcj([[113.0085, 28.2115], [113.0145, 28.2112], [113.0152, 28.2158], [113.0092, 28.2163]]) },
    { id: 'VZ-HLC', kind: 'vendor-zone', name: '化龙池夜宵摊点疏导区', geometry: boxAt([112.981, 28.1858], 120, 30) },
    { id: 'VZ-DFL', kind: 'vendor-zone', name: '八一路夜市摊点疏导区', geometry: { type: 'Point', coordinates: gcjToWgs([113.0032, 28.2072]) } },
    { id: 'X-WY-FR', kind: 'major-intersection', name: '五一大道与芙蓉中路交叉口', geometry: { type: 'Point', coordinates: gcjToWgs([112.987, 28.1958]) } },
    { id: 'X-WY-HX', kind: 'major-intersection', name: '五一大道与黄兴中路交叉口', geometry: { type: 'Point', coordinates: gcjToWgs([112.977, 28.196]) } },
    { id: 'X-WY-SS', kind: 'major-intersection', name: '五一大道与韶山北路交叉口', geometry: { type: 'Point', coordinates: gcjToWgs([113.0, 28.1956]) } },
    { id: 'X-WY-XJ', kind: 'major-intersection', name: '五一大道与湘江中路交叉口', geometry: { type: 'Point', coordinates: gcjToWgs([112.9686, 28.1962]) } },
    { id: 'X-JF-FR', kind: 'major-intersection', name: '解放中路与芙蓉中路交叉口', geometry: { type: 'Point', coordinates: gcjToWgs([112.987, 28.1912]) } },
  ],
  buildings: [
    ['坡子街', 88, 3],
    ['五一大道', 118, 4],
    ['芙蓉中路', 215, 2],
    ['人民中路', 52, 3],
  ],
};

const LY = (code: string, name: string): StreetDef => ({ code, name, division: '430181' });
const LIUYANG: TenantDef = {
  code: '430181',
  seed: 430181,
  lng0: 113.622,
  lat0: 28.142,
  dLng: 0.0021,
  dLat: 0.0018,
  cols: 16,
  rows: 15,
  block: 4,
  streetOf: (bc, br) => {
    if (bc === 0) return LY('004', '关口街道');
    if (bc === 3) return LY('002', '集里街道');
    return br === 0 ? LY('003', '荷花街道') : LY('001', '淮川街道');
  },
  communityNames: [
    '北正', '新民', '解放', '西湖', '文庙', '白沙', '金沙', '圭斋', '劳动', '沿河', '天马', '集里', '荷花', '关口', '花园', '道吾',
  ],
  firstClass: [{ gcj: [113.6385, 28.156], metres: 700 }],
  roads: [
    { name: '金沙路', layer: 'main-road', gcj: [[113.638, 28.1405], [113.6382, 28.152], [113.6385, 28.164]] },
    { name: '白沙路', layer: 'main-road', gcj: [[113.629, 28.159], [113.6385, 28.1592], [113.659, 28.1596]] },
    { name: '圭斋路', layer: 'secondary-road', gcj: [[113.629, 28.153], [113.6383, 28.1528], [113.659, 28.1525]] },
    { name: '劳动路', layer: 'secondary-road', gcj: [[113.633, 28.1445], [113.6332, 28.154], [113.6335, 28.164]] },
    { name: '北正中路', layer: 'commercial-pedestrian-street', gcj: [[113.6345, 28.1562], [113.6375, 28.1561]] },
    { name: '沿河巷', layer: 'back-street', gcj: [[113.631, 28.1462], [113.6365, 28.1459]] },
  ],
  addressPrefix: () => '浏阳市',
  departments: {
    CGZF: { code: 'CGZF', name: '浏阳市城市管理和综合执法局' },
    ZJ: { code: 'ZJ', name: '浏阳市住房和城乡建设局' },
    GW: { code: 'GW', name: '国网浏阳市供电公司' },
    GS: { code: 'GS', name: '浏阳市城区供水企业' },
    RQ: { code: 'RQ', name: '浏阳市城区管道燃气企业' },
  },
  componentTypes: [
    { typeCode: '01037', name: '路灯', dept: 'CGZF', every: 100, side: 10 },
    { typeCode: '04002', name: '行道树', dept: 'CGZF', every: 150, side: 8 },
    { typeCode: '03005', name: '垃圾箱', dept: 'CGZF', every: 250, side: 9 },
    { typeCode: '01001', name: '供水井盖', dept: 'GS', every: 500, side: 3 },
    { typeCode: '01002', name: '污水井盖', dept: 'ZJ', every: 500, side: -2 },
    { typeCode: '01003', name: '雨水井盖', dept: 'ZJ', every: 400, side: 5 },
    { typeCode: '01005', name: '电力井盖', dept: 'GW', every: 700, side: -5 },
    { typeCode: '01011', name: '燃气井盖', dept: 'RQ', every: 800, side: -4 },
  ],
  toilets: [
    { name: '浏阳河广场公厕', gcj: [113.6392, 28.1465] },
    { name: '白沙路公厕', gcj: [113.6452, 28.1599] },
    { name: '金沙路北段公厕', gcj: [113.6389, 28.1618] },
  ],
  layers: [
    { id: 'PARK-XHS', kind: 'park', name: '西湖山公园', geometry: polygonGcj([[113.6285, 28.1545], [113.6318, 28.1545], [113.6318, 28.1585], [113.6285, 28.1585]]) },
    { id: 'SQ-LYHGC', kind: 'square', name: '浏阳河广场', geometry: boxAt([113.6395, 28.1462], 160, 70) },
    { id: 'MKT-HC', kind: 'farmers-market', name: '淮川农贸市场', geometry: boxAt([113.6358, 28.1575], 70, 50) },
    { id: 'STN-LYQCZ', kind: 'station', name: '浏阳汽车站', geometry: boxAt([113.6525, 28.1585], 150, 90) },
    { id: 'RIV-LYH', kind: 'river-lake', name: '浏阳河（城区段）', geometry: polygonGcj([[113.6285, 28.1428], [113.645, 28.1438], [113.6595, 28.1432], [113.6595, 28.1452], [113.645, 28.1458], [113.6285, 28.1448]]) },
    { id: 'VZ-BSL', kind: 'vendor-zone', name: '白沙路夜市摊点疏导区', geometry: boxAt([113.6475, 28.1603], 150, 25) },
    { id: 'X-JS-BS', kind: 'major-intersection', name: '金沙路与白沙路交叉口', geometry: { type: 'Point', coordinates: gcjToWgs([113.6385, 28.1592]) } },
    { id: 'X-JS-GZ', kind: 'major-intersection', name: '金沙路与圭斋路交叉口', geometry: { type: 'Point', coordinates: gcjToWgs([113.6383, 28.1528]) } },
    { id: 'X-LD-BS', kind: 'major-intersection', name: '劳动路与白沙路交叉口', geometry: { type: 'Point', coordinates: gcjToWgs([113.6333, 28.1591]) } },
  ],
  buildings: [
    ['金沙路', 36, 3],
    ['圭斋路', 21, 2],
  ],
};

// ---------------------------------------------------------------------------------------------------------
// Generation

interface Cell {
  grid: UnitGrid;
  col: number;
  row: number;
}

interface Output {
  grids: UnitGrid[];
  evaluationGrids: EvaluationGrid[];
  components: Component[];
  addresses: AddressPoint[];
  layers: ThematicLayer[];
}

function generate(t: TenantDef): Output {
  const random = rng(t.seed);
  const blockCols = Math.ceil(t.cols / t.block);
  const blockRows = Math.ceil(t.rows / t.block);
  const xs = Array.from({ length: t.cols + 1 }, (_, i) => r6(t.lng0 + i * t.dLng));
  const ys = Array.from({ length: t.rows + 1 }, (_, j) => r6(t.lat0 + j * t.dLat));

  // Communities: one per block, numbered within their street.
  const perStreet = new Map<string, number>();
  const communities = new Map<string, { street: StreetDef; code: string; name: string }>();
  let nameAt = 0;
  for (let br = 0; br < blockRows; br++) {
    for (let bc = 0; bc < blockCols; bc++) {
      const street = t.streetOf(bc, br);
      const key = `${street.division}${street.code}`;
      const n = (perStreet.get(key) ?? 0) + 1;
      perStreet.set(key, n);
      communities.set(`${bc},${br}`, { street, code: pad(n, 3), name: `${t.communityNames[nameAt++ % t.communityNames.length]}社区` });
    }
  }

  const cells: Cell[] = [];
  const cellIndex = new Map<string, number>();
  for (let row = 0; row < t.rows; row++) {
    for (let col = 0; col < t.cols; col++) {
      const bc = Math.floor(col / t.block);
      const br = Math.floor(row / t.block);
      const c = communities.get(`${bc},${br}`)!;
      const n = (row % t.block) * t.block + (col % t.block) + 1;
      const id = `${c.street.division}${c.street.code}${c.code}${pad(n, 3)}`;
      const grid = UnitGrid.parse({
        id,
        name: `${c.name}${pad(n, 2)}号网格`,
        division: c.street.division,
        streetCode: `${c.street.division}${c.street.code}`,
        streetName: c.street.name,
        communityCode: `${c.street.division}${c.street.code}${c.code}`,
        communityName: c.name,
        geometry: rect(xs[col]!, ys[row]!, xs[col + 1]!, ys[row + 1]!),
      });
      cellIndex.set(`${col},${row}`, cells.length);
      cells.push({ grid, col, row });
    }
  }
  const cellAt = ([lng, lat]: P): UnitGrid | undefined => {
    const col = Math.floor((lng - t.lng0) / t.dLng);
    const row = Math.floor((lat - t.lat0) / t.dLat);
    const i = cellIndex.get(`${col},${row}`);
    if (i === undefined) return undefined;
    // Stay clear of cell edges so the grid found here is the one any point-in-polygon test finds.
    const fx = (lng - xs[col]!) / t.dLng;
    const fy = (lat - ys[row]!) / t.dLat;
    return fx > 0.001 && fx < 0.999 && fy > 0.001 && fy < 0.999 ? cells[i]!.grid : undefined;
  };

  // Evaluation grids: one per community block.
  const firstClass = t.firstClass.map((f) => ({ at: gcjToWgs(f.gcj), metres: f.metres }));
  const evaluationGrids: EvaluationGrid[] = [];
  for (let br = 0; br < blockRows; br++) {
    for (let bc = 0; bc < blockCols; bc++) {
      const c = communities.get(`${bc},${br}`)!;
      const c0 = bc * t.block;
      const r0 = br * t.block;
      const c1 = Math.min(t.cols, c0 + t.block);
      const r1 = Math.min(t.rows, r0 + t.block);
      const centre: P = [(xs[c0]! + xs[c1]!) / 2, (ys[r0]! + ys[r1]!) / 2];
      const cls: EvaluationClass = firstClass.some((f) => metresBetween(centre, f.at) <= f.metres) ? '一类' : '二类';
      const gridIds = cells.filter((x) => x.col >= c0 && x.col < c1 && x.row >= r0 && x.row < r1).map((x) => x.grid.id).sort();
      evaluationGrids.push(
        EvaluationGrid.parse({
          id: `${c.street.division}PJ${c.street.code}${c.code}`,
          name: `${c.street.name}${c.name}评价区域`,
          division: c.street.division,
          class: cls,
          gridIds,
          geometry: rect(xs[c0]!, ys[r0]!, xs[c1]!, ys[r1]!),
        }),
      );
    }
  }

  // Components along the roads, plus public toilets.
  const roads = t.roads.map((r) => ({ ...r, line: wgs(r.gcj) }));
  const seq = new Map<string, number>();
  const components: Component[] = [];
  const place = (typeCode: string, typeName: string, deptKey: string, at: P, label: string): void => {
    const grid = cellAt(at);
    if (!grid) return;
    const key = `${grid.division}${typeCode}`;
    const n = (seq.get(key) ?? 0) + 1;
    seq.set(key, n);
    const dept = t.departments[deptKey]!;
    const roll = random();
    const isCover = typeCode.startsWith('010') && Number(typeCode) <= 1023;
    const status = roll < 0.05 ? '破损' : isCover && roll < 0.065 ? '丢失' : '完好';
    const year = 2015 + Math.floor(random() * 10);
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    components.push(
      Component.parse({
        id: `${key}${pad(n, 6)}`,
        typeCode,
        name: `${label}${typeName}`.slice(0, 30),
        competentDeptCode: dept.code,
        competentDeptName: dept.name,
        maintainerDeptCode: dept.code,
        maintainerDeptName: dept.name,
        gridId: grid.id,
        status,
        initialDate: `${year}-${pad(month, 2)}-${pad(day, 2)}`,
        dataSource: '实测',
        streetCode: grid.streetCode,
        streetName: grid.streetName,
        communityCode: grid.communityCode,
        communityName: grid.communityName,
        location: { lng: at[0], lat: at[1] },
      }),
    );
  };
  for (const road of roads) {
    for (const ct of t.componentTypes) {
      const start = ct.every * (0.2 + 0.6 * random());
      along(road.line, ct.every, start).forEach((p, i) => {
        const side = i % 2 === 0 ? ct.side : -ct.side;
        place(ct.typeCode, ct.name, ct.dept, offset(p.at, p.normal, side + (random() - 0.5) * 2), road.name);
      });
    }
  }
  for (const toilet of t.toilets) place('03001', '', 'CGZF', gcjToWgs(toilet.gcj), toilet.name);

  // Address points: odd numbers on the left of the road's drawing direction, even on the right.
  const addresses: AddressPoint[] = [];
  for (const road of roads) {
    for (const [side, first] of [[1, 1], [-1, 2]] as const) {
      let n = first;
      along(road.line, 45, side > 0 ? 20 : 40).forEach((p) => {
        const at = offset(p.at, p.normal, side * (18 + random() * 6));
        const grid = cellAt(at);
        if (grid) {
          const text = `${t.addressPrefix(grid.division)}${road.name}${n}号`;
          addresses.push(AddressPoint.parse({ id: `A${t.code}-${addresses.length + 1}`, text, normalized: text, location: { lng: at[0], lat: at[1] }, gridId: grid.id }));
          const buildings = t.buildings.find(([r, num]) => r === road.name && num === n);
          for (let b = 1; buildings && b <= buildings[2]; b++) {
            const bat = offset(at, p.normal, side * 12 * b);
            const bgrid = cellAt(bat);
            if (!bgrid) continue;
            const btext = `${text}${b}栋`;
            addresses.push(AddressPoint.parse({ id: `A${t.code}-${addresses.length + 1}`, text: btext, normalized: btext, location: { lng: bat[0], lat: bat[1] }, gridId: bgrid.id }));
          }
        }
        n += 2 * (1 + Math.floor(random() * 4));
      });
    }
  }

  // Thematic layers: roads, toilets, the fixed features and two community outlines.
  const layers: ThematicLayer[] = [];
  roads.forEach((r, i) => {
    if (r.layer) layers.push(ThematicLayer.parse({ id: `ROAD-${pad(i + 1, 3)}`, kind: r.layer, name: r.name, geometry: { type: 'LineString', coordinates: r.line } }));
  });
  t.toilets.forEach((toilet, i) =>
    layers.push(ThematicLayer.parse({ id: `WC-${pad(i + 1, 3)}`, kind: 'public-toilet', name: toilet.name, geometry: { type: 'Point', coordinates: gcjToWgs(toilet.gcj) } })),
  );
  for (const l of t.layers) layers.push(ThematicLayer.parse(l));
  for (const e of evaluationGrids.filter((g) => g.class === '一类').slice(0, 2)) {
    const c = cells.find((x) => x.grid.id === e.gridIds[0])!.grid;
    layers.push(ThematicLayer.parse({ id: `COMM-${c.communityCode}`, kind: 'community', name: c.communityName, geometry: e.geometry }));
  }

  return { grids: cells.map((c) => c.grid), evaluationGrids, components, addresses, layers };
}

// ---------------------------------------------------------------------------------------------------------
// Files

const NOTE = 'Plausible demo data, not survey data: see README.md in this folder. Generated by tenants/generate-demo-basedata.ts; do not edit by hand.';

function featureCollection(name: string, features: { id: string; geometry: AnyGeometry; properties: Record<string, unknown> }[]): string {
  const lines = features.map((f) => JSON.stringify({ type: 'Feature', id: f.id, geometry: f.geometry, properties: { id: f.id, ...f.properties } }));
  return `{"type":"FeatureCollection","name":${JSON.stringify(name)},"$comment":${JSON.stringify(NOTE)},"features":[\n${lines.join(',\n')}\n]}\n`;
}

const csvCell = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

function write(code: string, out: Output): Record<string, number> {
  const dir = path.join(import.meta.dirname, code, 'basedata');
  mkdirSync(dir, { recursive: true });
  const strip = <T extends { id: string; crs: string }>(r: T) => {
    const { id: _id, crs: _crs, ...rest } = r;
    return rest;
  };
  const files: Record<string, string> = {
    'grids.geojson': featureCollection(`${code} 单元网格`, out.grids.map((g) => {
      const { geometry, ...p } = strip(g);
      return { id: g.id, geometry, properties: p };
    })),
    'evaluation-grids.geojson': featureCollection(`${code} 评价区域`, out.evaluationGrids.map((g) => {
      const { geometry, ...p } = strip(g);
      return { id: g.id, geometry, properties: p };
    })),
    'components.geojson': featureCollection(`${code} 管理部件`, out.components.map((c) => {
      const { location, ...p } = strip(c);
      return { id: c.id, geometry: { type: 'Point', coordinates: [location.lng, location.lat] }, properties: p };
    })),
    'layers.geojson': featureCollection(`${code} 专题图层`, out.layers.map((l) => {
      const { geometry, ...p } = strip(l);
      return { id: l.id, geometry, properties: p };
    })),
    'addresses.csv': ['id,address,lng,lat,gridId', ...out.addresses.map((a) => [a.id, a.text, String(a.location.lng), String(a.location.lat), a.gridId].map(csvCell).join(','))].join('\n') + '\n',
  };
  const sizes: Record<string, number> = {};
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(path.join(dir, name), text);
    sizes[name] = Buffer.byteLength(text);
    if (sizes[name] > 1.5 * 1024 * 1024) throw new Error(`${code}/basedata/${name} is ${sizes[name]} bytes, over 1.5 MB`);
  }
  return sizes;
}

for (const t of [CHANGSHA, LIUYANG]) {
  const out = generate(t);
  const sizes = write(t.code, out);
  console.log(
    `${t.code}: ${out.grids.length} grids, ${out.evaluationGrids.length} evaluation grids, ${out.components.length} components, ` +
      `${out.addresses.length} addresses, ${out.layers.length} layer features; bytes ${JSON.stringify(sizes)}`,
  );
}
