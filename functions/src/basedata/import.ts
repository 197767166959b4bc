/**
 * Validation of base-data imports (CMD-5, DAT-1), pure: no I/O. A tenant's survey contractor delivers thousands
 * of grids, components and address points; one bad feature must not block the rest (unless the tenant asks for
 * all-or-nothing), and every problem must say which feature, which field and what is wrong, in Chinese and
 * English, with a stable code (IMPORT_ISSUES in contracts).
 *
 * Checks per feature: schema; geometry (closed rings of ≥ 4 positions, no crossing edges, inside the tenant's
 * bounds, not too many positions); ids (the first six digits are the tenant's division or one below it in the
 * division table, valid today; a component id's digits 7–11 are its type code); duplicate ids; departments in the
 * tenant's list; components and address points inside a unit grid of the tenant (the one they name, if any).
 */
import { DIVISIONS, findDivision, type GeoPoint } from '../../../contracts';
import {
  ADDRESS_CSV_COLUMNS,
  BASE_DATA_SCHEMAS,
  COMPONENT_ATTRIBUTES,
  COMPONENT_CSV_REQUIRED,
  CRS_ALIASES,
  DeclaredCrs,
  FeatureCollectionBody,
  IMPORT_ISSUES,
  LAYER_GEOMETRY_TYPES,
  MAX_FEATURE_VERTICES,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_FEATURES,
  REFUSED_CRS,
  USCC_PATTERN,
  crsName,
  type AnyGeometry,
  type BaseDataKind,
  type BaseDataRecords,
  type Crs,
  type ImportIssue,
  type ImportIssueCode,
  type ImportMode,
} from '../../../contracts/src/basedata';
import { parseCsv, type CsvRow } from './csv';
import { geometryProblems, type Bounds } from './geometry';
import { normalizeAddress } from './normalize';

/** What validation needs to know about the tenant's unit grids (the spatial index provides it). */
export interface GridLocator {
  hasGrid(id: string): boolean;
  /** The grid containing the point, if any. */
  gridAt(point: GeoPoint): { id: string } | undefined;
  /** True when the grid exists and contains the point (its boundary included). */
  gridContains(id: string, point: GeoPoint): boolean;
}

export interface ImportContext {
  /** The importing tenant's division code. */
  tenant: string;
  /** The tenant's bounds from its manifest, [west, south, east, north]. */
  bounds: Bounds;
  /** Division codes must be valid on this day (YYYY-MM-DD); default today. */
  onDay?: string;
  /** The tenant's department codes; when given, component department codes must be among them (or be a 统一社会信用代码). */
  departments?: readonly string[];
  /** The tenant's unit grids, for components, address points and evaluation grids. */
  grids?: GridLocator;
}

export interface ImportOptions {
  mode?: ImportMode;
  /** The crs of a CSV body (GeoJSON bodies declare theirs in `crs`). */
  crs?: DeclaredCrs;
}

export interface ImportResult<T> {
  kind: BaseDataKind;
  mode: ImportMode;
  /** Features (or CSV data rows) in the body. */
  total: number;
  /** The records that passed (none in all-or-nothing mode when anything failed). */
  records: T[];
  /** Features that were refused. */
  rejected: number;
  issues: ImportIssue[];
}

type Detail = string | { zh: string; en: string };

function issue(index: number | null, id: string | undefined, field: string, code: ImportIssueCode, detail?: Detail): ImportIssue {
  const base = IMPORT_ISSUES[code];
  const zh = detail === undefined ? '' : typeof detail === 'string' ? detail : detail.zh;
  const en = detail === undefined ? '' : typeof detail === 'string' ? detail : detail.en;
  return {
    index,
    ...(id === undefined ? {} : { id }),
    field,
    code,
    message: { zh: zh ? `${base.zh}：${zh}` : base.zh, en: en ? `${base.en}: ${en}` : base.en },
  };
}

/** Why a 6-digit division code may not be used by `tenant` on `onDay`, or undefined when it may. */
export function divisionProblem(code: string, tenant: string, onDay: string): ImportIssueCode | undefined {
  if (!DIVISIONS.some((d) => d.code === code)) return 'ID_DIVISION_UNKNOWN';
  let d = findDivision(code, onDay);
  if (!d) return 'ID_DIVISION_RETIRED';
  for (let hops = 0; d && hops < 10; hops++) {
    if (d.code === tenant) return undefined;
    d = d.parent ? findDivision(d.parent, onDay) : undefined;
  }
  return 'ID_DIVISION_OUTSIDE_TENANT';
}

/** Resolve a declared crs; undefined means WGS84 (RFC 7946). */
export function resolveCrs(declared: DeclaredCrs | undefined): { ok: true; crs: Crs } | { ok: false; name: string; refused?: string } {
  if (declared === undefined) return { ok: true, crs: 'WGS84' };
  const name = crsName(declared);
  const crs = CRS_ALIASES[name];
  if (crs) return { ok: true, crs };
  return { ok: false, name, refused: REFUSED_CRS[name] };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const today = (): string => new Date().toISOString().slice(0, 10);
const pathOf = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)), '');

/** Component attribute aliases: camelCase, the standard's abbreviation, the Chinese name → camelCase. */
const COMPONENT_ALIASES: ReadonlyMap<string, string> = new Map(
  Object.entries(COMPONENT_ATTRIBUTES).flatMap(([k, v]) => [
    [k.toLowerCase(), k],
    [v.abbr.toLowerCase(), k],
    [v.zh, k],
  ]),
);
const ADDRESS_ALIASES: ReadonlyMap<string, string> = new Map(
  Object.entries(ADDRESS_CSV_COLUMNS).flatMap(([k, names]) => names.map((n): [string, string] => [n.toLowerCase(), k])),
);
const canonicalKeys = (props: Record<string, unknown>, aliases: ReadonlyMap<string, string>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) out[aliases.get(k.trim().toLowerCase()) ?? aliases.get(k.trim()) ?? k] = v;
  return out;
};

/** Empty strings (blank CSV cells, blank GIS attributes) mean "not given". */
const withoutBlanks = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== '' && v !== null && v !== undefined));
/** The standard writes dates as YYYYMMDD; the records use ISO days. */
const isoDay = (v: unknown): unknown => (typeof v === 'string' && /^\d{8}$/.test(v) ? `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6)}` : v);
const num = (v: unknown): unknown => (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v);

/** One feature, before schema: the record candidate, its geometry and id (for messages). */
interface Candidate {
  index: number;
  /** Field-name prefix for messages: `properties.` for GeoJSON, `` for CSV columns. */
  prefix: string;
  /** Message suffix naming the CSV line. */
  where?: { zh: string; en: string };
  /** Problems found before the schema (CSV cells that are not numbers). */
  pre?: ImportIssue[];
  id?: string;
  geometry: unknown;
  raw: Record<string, unknown>;
}

const pointOf = (g: unknown): GeoPoint | undefined => {
  if (!isRecord(g) || g.type !== 'Point' || !Array.isArray(g.coordinates)) return undefined;
  const [lng, lat] = g.coordinates as unknown[];
  return typeof lng === 'number' && typeof lat === 'number' ? { lng, lat } : undefined;
};

/** Build the record candidate of each kind from a feature's properties and geometry. */
function candidateRecord(kind: BaseDataKind, c: Candidate, crs: Crs): Record<string, unknown> {
  const p = withoutBlanks(c.raw);
  switch (kind) {
    case 'grids':
    case 'evaluation-grids': {
      const id = typeof p.id === 'string' ? p.id : undefined;
      return { ...p, division: p.division ?? id?.slice(0, 6), crs, geometry: c.geometry };
    }
    case 'components': {
      const q = canonicalKeys(p, COMPONENT_ALIASES);
      const id = typeof q.id === 'string' ? q.id : undefined;
      const { lng: _lng, lat: _lat, ...rest } = q;
      return { ...rest, typeCode: q.typeCode ?? id?.slice(6, 11), initialDate: isoDay(q.initialDate), changeDate: isoDay(q.changeDate), crs, location: pointOf(c.geometry) };
    }
    case 'addresses': {
      const q = canonicalKeys(p, ADDRESS_ALIASES);
      const text = typeof q.address === 'string' ? q.address : typeof q.text === 'string' ? q.text : undefined;
      return { id: q.id, text, normalized: text === undefined ? undefined : normalizeAddress(text), gridId: q.gridId, crs, location: pointOf(c.geometry) };
    }
    case 'layers':
      return { ...p, crs, geometry: c.geometry };
  }
}

function allowedGeometry(kind: BaseDataKind, record: Record<string, unknown>): readonly AnyGeometry['type'][] {
  switch (kind) {
    case 'grids':
    case 'evaluation-grids':
      return ['Polygon', 'MultiPolygon'];
    case 'components':
    case 'addresses':
      return ['Point'];
    case 'layers': {
      const k = record.kind;
      return typeof k === 'string' && k in LAYER_GEOMETRY_TYPES ? LAYER_GEOMETRY_TYPES[k as keyof typeof LAYER_GEOMETRY_TYPES] : [];
    }
  }
}

/** The checks of one feature. Returns the parsed record or the problems. */
function checkFeature<K extends BaseDataKind>(kind: K, c: Candidate, crs: Crs, ctx: ImportContext, onDay: string): { record?: BaseDataRecords[K]; issues: ImportIssue[] } {
  const issues: ImportIssue[] = [];
  const add = (field: string, code: ImportIssueCode, detail?: Detail, id = c.id): void => {
    let d = detail;
    if (c.where) {
      const zh = detail === undefined ? '' : typeof detail === 'string' ? detail : detail.zh;
      const en = detail === undefined ? '' : typeof detail === 'string' ? detail : detail.en;
      d = { zh: zh ? `${zh}（${c.where.zh}）` : c.where.zh, en: en ? `${en} (${c.where.en})` : c.where.en };
    }
    issues.push(issue(c.index, id, field, code, d));
  };
  const candidate = candidateRecord(kind, c, crs);

  // Geometry type first: the schema's message for a wrong union member is unhelpful.
  const gtype = isRecord(c.geometry) ? c.geometry.type : undefined;
  const allowed = allowedGeometry(kind, candidate);
  if (typeof gtype !== 'string' || (allowed.length > 0 && !allowed.includes(gtype as AnyGeometry['type']))) {
    add('geometry', 'GEOMETRY_TYPE_NOT_ALLOWED', `${String(gtype)}; expected ${allowed.join(' | ') || 'a geometry'}`);
    return { issues };
  }

  const parsed = BASE_DATA_SCHEMAS[kind].safeParse(candidate);
  if (!parsed.success) {
    for (const zi of parsed.error.issues) {
      const field = pathOf(zi.path);
      const isGeo = field.startsWith('geometry') || field.startsWith('location');
      add(isGeo ? field : `${c.prefix}${field}`, 'SCHEMA_INVALID', { zh: `${field}（${zi.message}）`, en: `${field}: ${zi.message}` });
    }
    return { issues };
  }
  const record = parsed.data as BaseDataRecords[K];
  const id = record.id;

  // Geometry: structure, size, inside the tenant's bounds.
  const geometry: AnyGeometry = 'geometry' in record ? record.geometry : { type: 'Point', coordinates: [record.location.lng, record.location.lat] };
  for (const g of geometryProblems(geometry, ctx.bounds, MAX_FEATURE_VERTICES)) add(g.field, g.code, g.detail, id);

  // Ids and divisions.
  if (kind === 'grids' || kind === 'evaluation-grids' || kind === 'components') {
    const division = id.slice(0, 6);
    const problem = divisionProblem(division, ctx.tenant, onDay);
    if (problem) add(`${c.prefix}id`, problem, `${division} (${ctx.tenant})`, id);
  }
  if ('division' in record && record.division !== id.slice(0, 6)) add(`${c.prefix}division`, 'DIVISION_MISMATCH', `${record.division} ≠ ${id.slice(0, 6)}`, id);
  if ('typeCode' in record && id.slice(6, 11) !== record.typeCode) add(`${c.prefix}typeCode`, 'ID_TYPE_MISMATCH', `${id.slice(6, 11)} ≠ ${record.typeCode}`, id);

  // Departments of a component.
  if (kind === 'components' && ctx.departments && 'competentDeptCode' in record) {
    const known = new Set(ctx.departments);
    for (const field of ['competentDeptCode', 'ownerDeptCode', 'maintainerDeptCode'] as const) {
      const code = record[field];
      if (code !== undefined && !known.has(code) && !USCC_PATTERN.test(code)) add(`${c.prefix}${field}`, 'DEPARTMENT_UNKNOWN', code, id);
    }
  }

  // Place in the tenant's unit grids.
  if (ctx.grids && issues.length === 0) {
    const grids = ctx.grids;
    if ('location' in record && 'gridId' in record) {
      const at = record.location;
      const named = (record as { gridId?: string }).gridId;
      if (named !== undefined && !grids.hasGrid(named)) add(`${c.prefix}gridId`, 'GRID_UNKNOWN', named, id);
      else if (named !== undefined && !grids.gridContains(named, at)) {
        const actual = grids.gridAt(at);
        add(`${c.prefix}gridId`, actual ? 'GRID_MISMATCH' : 'OUTSIDE_GRIDS', actual ? `${named}; the location is in ${actual.id}` : `[${at.lng}, ${at.lat}]`, id);
      }
    }
    if (kind === 'evaluation-grids' && 'gridIds' in record) {
      const missing = record.gridIds.filter((g) => !grids.hasGrid(g));
      if (missing.length > 0) add(`${c.prefix}gridIds`, 'GRID_UNKNOWN', missing.slice(0, 5).join(', ') + (missing.length > 5 ? ' …' : ''), id);
    }
  }
  return issues.length === 0 ? { record, issues } : { issues };
}

/** Address points may leave out the grid: it is found from the coordinates (before the schema requires it). */
function fillAddressGrid(c: Candidate, ctx: ImportContext): ImportIssue | undefined {
  const raw = canonicalKeys(withoutBlanks(c.raw), ADDRESS_ALIASES);
  if (raw.gridId !== undefined) return undefined;
  const at = pointOf(c.geometry);
  if (!at) return undefined; // the schema reports it
  if (!ctx.grids) return undefined; // the schema reports the missing gridId
  const grid = ctx.grids.gridAt(at);
  if (!grid) return issue(c.index, typeof raw.id === 'string' ? raw.id : undefined, `${c.prefix}gridId`, 'OUTSIDE_GRIDS', `[${at.lng}, ${at.lat}]`);
  c.raw = { ...c.raw, gridId: grid.id };
  return undefined;
}

function finish<K extends BaseDataKind>(kind: K, mode: ImportMode, total: number, records: BaseDataRecords[K][], issues: ImportIssue[]): ImportResult<BaseDataRecords[K]> {
  const bodyLevel = issues.some((i) => i.index === null);
  const badFeatures = new Set(issues.map((i) => i.index)).size;
  if (bodyLevel || (mode === 'all-or-nothing' && issues.length > 0)) return { kind, mode, total, records: [], rejected: total, issues };
  return { kind, mode, total, records, rejected: badFeatures, issues };
}

function runCandidates<K extends BaseDataKind>(kind: K, candidates: Candidate[], crs: Crs, ctx: ImportContext, mode: ImportMode): ImportResult<BaseDataRecords[K]> {
  const onDay = ctx.onDay ?? today();
  const issues: ImportIssue[] = [];
  const records: BaseDataRecords[K][] = [];
  const firstIndex = new Map<string, number>();
  for (const c of candidates) {
    if (c.pre && c.pre.length > 0) {
      issues.push(...c.pre);
      continue;
    }
    if (kind === 'addresses') {
      const problem = fillAddressGrid(c, ctx);
      if (problem) {
        issues.push(problem);
        continue;
      }
    }
    const r = checkFeature(kind, c, crs, ctx, onDay);
    issues.push(...r.issues);
    if (!r.record) continue;
    const id = r.record.id;
    const first = firstIndex.get(id);
    if (first !== undefined) {
      issues.push(issue(c.index, id, `${c.prefix}id`, 'DUPLICATE_ID', { zh: `${id} 已在第 ${first} 个要素中出现，以首次出现者为准`, en: `${id} first appears at feature ${first}, which is kept` }));
      continue;
    }
    firstIndex.set(id, c.index);
    records.push(r.record);
  }
  return finish(kind, mode, candidates.length, records, issues);
}

const bodyIssue = (kind: BaseDataKind, mode: ImportMode, code: ImportIssueCode, detail?: Detail, total = 0, field = '(body)'): ImportResult<never> =>
  ({ kind, mode, total, records: [], rejected: total, issues: [issue(null, undefined, field, code, detail)] });

/** Validate a GeoJSON FeatureCollection body (already parsed, or as text). */
export function validateFeatureCollection<K extends BaseDataKind>(kind: K, body: unknown, ctx: ImportContext, opts: ImportOptions = {}): ImportResult<BaseDataRecords[K]> {
  const mode = opts.mode ?? 'valid-only';
  let value = body;
  if (typeof body === 'string') {
    const bytes = Buffer.byteLength(body, 'utf8');
    if (bytes > MAX_IMPORT_BYTES) return bodyIssue(kind, mode, 'BODY_TOO_LARGE', `${bytes} bytes > ${MAX_IMPORT_BYTES}`);
    try {
      value = JSON.parse(body);
    } catch (err) {
      return bodyIssue(kind, mode, 'BODY_MALFORMED', (err as Error).message);
    }
  }
  const fc = FeatureCollectionBody.safeParse(value);
  if (!fc.success) return bodyIssue(kind, mode, 'BODY_MALFORMED', { zh: '应为 GeoJSON FeatureCollection', en: 'expected a GeoJSON FeatureCollection' });
  const total = fc.data.features.length;
  if (total > MAX_IMPORT_FEATURES) return bodyIssue(kind, mode, 'TOO_MANY_FEATURES', `${total} > ${MAX_IMPORT_FEATURES}`, total);
  if (typeof body !== 'string') {
    const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
    if (bytes > MAX_IMPORT_BYTES) return bodyIssue(kind, mode, 'BODY_TOO_LARGE', `${bytes} bytes > ${MAX_IMPORT_BYTES}`, total);
  }
  const crs = resolveCrs(fc.data.crs);
  if (!crs.ok) return bodyIssue(kind, mode, 'CRS_UNSUPPORTED', crs.refused ? { zh: `${crs.refused} 为加偏坐标，请先转换为 WGS84 或 CGCS2000`, en: `${crs.refused} is deliberately shifted; convert to WGS84 or CGCS2000 first` } : crs.name, total, 'crs');

  const candidates: Candidate[] = [];
  const early: ImportIssue[] = [];
  fc.data.features.forEach((f, index) => {
    if (!isRecord(f) || f.type !== 'Feature' || !('geometry' in f)) {
      early.push(issue(index, undefined, 'feature', 'SCHEMA_INVALID', { zh: '应为 GeoJSON Feature', en: 'expected a GeoJSON Feature' }));
      return;
    }
    const props = isRecord(f.properties) ? f.properties : {};
    // A feature-level id stands in for a missing properties.id.
    const raw = props.id === undefined && (typeof f.id === 'string' || typeof f.id === 'number') ? { ...props, id: String(f.id) } : props;
    candidates.push({ index, prefix: 'properties.', id: typeof raw.id === 'string' ? raw.id : undefined, geometry: f.geometry, raw });
  });
  const r = runCandidates(kind, candidates, crs.crs, ctx, mode);
  const issues = [...early, ...r.issues].sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
  return finish(kind, mode, total, r.records, issues);
}

/** Validate a CSV body of components or address points (columns in COMPONENT_CSV_REQUIRED / ADDRESS_CSV_COLUMNS). */
export function validateCsv<K extends 'components' | 'addresses'>(kind: K, text: string, ctx: ImportContext, opts: ImportOptions = {}): ImportResult<BaseDataRecords[K]> {
  const mode = opts.mode ?? 'valid-only';
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_IMPORT_BYTES) return bodyIssue(kind, mode, 'BODY_TOO_LARGE', `${bytes} bytes > ${MAX_IMPORT_BYTES}`);
  const crs = resolveCrs(opts.crs);
  if (!crs.ok) return bodyIssue(kind, mode, 'CRS_UNSUPPORTED', crs.refused ?? crs.name, 0, 'crs');
  const parsed = parseCsv(text);
  if (!parsed.ok) return bodyIssue(kind, mode, 'CSV_MALFORMED', parsed.message);
  const [header, ...rows] = parsed.rows;
  if (!header) return bodyIssue(kind, mode, 'CSV_MALFORMED', { zh: '缺少表头', en: 'no header row' });
  if (rows.length > MAX_IMPORT_FEATURES) return bodyIssue(kind, mode, 'TOO_MANY_FEATURES', `${rows.length} > ${MAX_IMPORT_FEATURES}`, rows.length);

  const aliases = kind === 'components' ? COMPONENT_ALIASES : ADDRESS_ALIASES;
  const columns = header.fields.map((h) => aliases.get(h.trim().toLowerCase()) ?? aliases.get(h.trim()) ?? h.trim());
  const required: readonly string[] = kind === 'components' ? COMPONENT_CSV_REQUIRED : ['id', 'address', 'lng', 'lat'];
  const missing = required.filter((r) => !columns.includes(r));
  if (missing.length > 0) return bodyIssue(kind, mode, 'CSV_COLUMN_MISSING', missing.join(', '), rows.length, missing[0]);

  const candidates = rows.map((row: CsvRow, index): Candidate => {
    const raw: Record<string, unknown> = {};
    columns.forEach((col, i) => {
      raw[col] = (row.fields[i] ?? '').trim();
    });
    const lng = num(raw.lng);
    const lat = num(raw.lat);
    delete raw.lng;
    delete raw.lat;
    const id = typeof raw.id === 'string' && raw.id !== '' ? raw.id : undefined;
    const where = { zh: `第 ${row.line} 行`, en: `line ${row.line}` };
    const pre = (['lng', 'lat'] as const)
      .filter((f) => typeof (f === 'lng' ? lng : lat) !== 'number')
      .map((f) => issue(index, id, f, 'SCHEMA_INVALID', { zh: `${f} 应为数字（${where.zh}）`, en: `${f} must be a number (${where.en})` }));
    return { index, prefix: '', where, id, geometry: { type: 'Point', coordinates: [lng, lat] }, raw, pre };
  });
  return runCandidates(kind, candidates, crs.crs, ctx, mode);
}

/**
 * Validate an import body of any kind: a GeoJSON FeatureCollection (object or text), or CSV text for components
 * and address points (text whose first non-blank character is not `{`).
 */
export function validateImport<K extends BaseDataKind>(kind: K, body: unknown, ctx: ImportContext, opts: ImportOptions = {}): ImportResult<BaseDataRecords[K]> {
  if (typeof body === 'string' && (kind === 'components' || kind === 'addresses') && !/^\s*\{/.test(body.replace(/^\uFEFF/, ''))) {
    return validateCsv(kind as 'components' | 'addresses', body, ctx, opts) as ImportResult<BaseDataRecords[K]>;
  }
  return validateFeatureCollection(kind, body, ctx, opts);
}
