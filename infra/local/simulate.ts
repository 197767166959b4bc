/**
 * Device simulator: `npm run simulate -- --tenant 430100 --devices 2000 --rate 500 [--duration 60]
 *   [--kinds drainage-level,manhole-cover] [--scenario rainstorm --at 30] [--scenario cover-open --at 10]
 *   [--district 430104] [--cover <deviceId>] [--url http://localhost:3000] [--mqtt mqtt://127.0.0.1:1883]`
 *
 * What it does, in order:
 * 1. Plans devices `sim-<tenant>-<kind>-<n>`, spread over the device kinds (weighted like a city's sensor
 *    estate: covers and drainage gauges first) and over the tenant's unit grids (a random point inside a grid,
 *    the same point on every run: positions are seeded by the device id).
 * 2. Registers them through the API (`POST /v1/devices/import`, as the tenant admin); a device that already
 *    exists (a re-run) gets new credentials (`POST /v1/devices/{id}/credentials`).
 * 3. Connects each device with its own credentials (client id = device id, username `<tenant>/<id>`), in waves
 *    of bounded concurrency.
 * 4. Publishes QoS 1 `TelemetryMessage`s at the requested total rate (a token bucket over all devices, round
 *    robin, with bounded messages in flight per device and overall). Readings vary smoothly (slow sums of sines
 *    per device and metric), follow the time of day in Beijing (water demand, traffic, temperature) and carry
 *    a little sensor noise; they stay inside each metric's physical range and, in normal conditions, inside the
 *    tenants' alarm thresholds (rate rules included: no step larger than the noise a real gauge shows).
 *    `seq` starts from the clock (ms) so that a re-run stays above the previous run's numbers.
 * 5. Prints progress every 5 s (sent, acknowledged, refused, rate).
 *
 * Scenarios (`--scenario <name> [--at <seconds>]`, repeatable; `--at` applies to the scenario before it):
 * - `rainstorm`: over one district (a 区, or a 街道 when the tenant has one division; `--district` names it),
 *   drainage levels rise over 3 minutes past the red threshold (1.6–2.4 m against 0.8/1.2/1.5 m), stay up for
 *   2 minutes and recede over 5; flows, pump stations and the water in manholes follow. Each gauge gets its own
 *   share of the rain and a lag of up to 30 s, so the front moves across the district.
 * - `cover-open`: one manhole cover (`--cover`, or the first simulated one) reports `open: true` and a tilt of
 *   ~80°, and keeps doing so: the alarm rule raises an alarm that opens a case.
 *
 * The core is exported (`startSimulation`, `prepareFleet`, `readingsFor`, …) for the telemetry benchmark
 * (infra/local/bench/telemetry.ts) and for tests.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import bbox from '@turf/bbox';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import mqtt, { type MqttClient } from 'mqtt';
import { DEVICE_IMPORT_COLUMNS, DEVICE_KIND_IDS, DEVICE_KINDS, type DeviceKind, type Readings, type TelemetryMessage } from '../../contracts/src/devices';
import { findDivision } from '../../contracts/src/divisions';
import { deviceTopic, type Channel } from '../../contracts/src/mqtt';

const ROOT = path.resolve(import.meta.dirname, '../..');

// ---------------------------------------------------------------------------------------------------------
// Seeded randomness (positions and per-device signal shapes are the same on every run)

function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** mulberry32: a small, good-enough PRNG for simulation (not for anything secret). */
export function seededRandom(seed: string): () => number {
  let a = hash32(seed);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal sample (Box–Muller). */
const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());

// ---------------------------------------------------------------------------------------------------------
// Grids and districts

interface GridFeature {
  type: 'Feature';
  properties: { id: string; name?: string; division: string; streetCode?: string; streetName?: string };
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
}

export interface District {
  /** A division code (区/县) or a street code (街道). */
  code: string;
  name: string;
  gridIds: ReadonlySet<string>;
}

const gridCache = new Map<string, GridFeature[]>();
/** The tenant's unit grids, from tenants/<code>/basedata/grids.geojson. */
export function loadGrids(tenant: string): GridFeature[] {
  let grids = gridCache.get(tenant);
  if (!grids) {
    const file = path.join(ROOT, 'tenants', tenant, 'basedata', 'grids.geojson');
    let parsed: { features?: GridFeature[] };
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8')) as { features?: GridFeature[] };
    } catch (err) {
      throw new Error(`tenant ${tenant}: cannot read its unit grids (${path.relative(ROOT, file)}): ${(err as Error).message}`);
    }
    grids = (parsed.features ?? []).filter((f) => f.geometry?.type === 'Polygon' || f.geometry?.type === 'MultiPolygon');
    if (grids.length === 0) throw new Error(`tenant ${tenant}: ${path.relative(ROOT, file)} has no grid polygons`);
    gridCache.set(tenant, grids);
  }
  return grids;
}

/**
 * The tenant's districts for the rainstorm: its divisions (区), or its streets (街道) when all grids lie in one
 * division (a county-level city such as 430181).
 */
export function districtsOf(tenant: string): District[] {
  const grids = loadGrids(tenant);
  const divisions = new Set(grids.map((g) => g.properties.division));
  const byStreet = divisions.size <= 1;
  const groups = new Map<string, { name: string; ids: Set<string> }>();
  for (const g of grids) {
    const code = byStreet ? (g.properties.streetCode ?? g.properties.division) : g.properties.division;
    const name = byStreet ? (g.properties.streetName ?? code) : (findDivision(code, new Date().toISOString().slice(0, 10))?.name ?? code);
    const group = groups.get(code) ?? { name, ids: new Set<string>() };
    group.ids.add(g.properties.id);
    groups.set(code, group);
  }
  return [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([code, g]) => ({ code, name: g.name, gridIds: g.ids }));
}

function randomPointIn(grid: GridFeature, rnd: () => number): [number, number] {
  const [minX, minY, maxX, maxY] = bbox(grid as Parameters<typeof bbox>[0]);
  // Keep clear of the edges (a point on a shared edge could be placed in the neighbour by the server).
  for (let i = 0; i < 200; i++) {
    const lng = minX + (0.1 + 0.8 * rnd()) * (maxX - minX);
    const lat = minY + (0.1 + 0.8 * rnd()) * (maxY - minY);
    if (booleanPointInPolygon([lng, lat], grid as Parameters<typeof booleanPointInPolygon>[1], { ignoreBoundary: true })) {
      return [Math.round(lng * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6];
    }
  }
  throw new Error(`no point found inside grid ${grid.properties.id}`);
}

// ---------------------------------------------------------------------------------------------------------
// Device plan

/** How a city's sensor estate is made up (relative weights). */
const KIND_WEIGHTS: Readonly<Record<DeviceKind, number>> = {
  'manhole-cover': 30,
  'drainage-level': 15,
  'drainage-flow': 6,
  'pump-station': 1,
  'water-pressure': 10,
  'water-quality': 4,
  'gas-pressure': 7,
  'gas-leak': 8,
  'heat-network': 2,
  'bridge-strain': 4,
  'bridge-displacement': 3,
  'bridge-vibration': 3,
  'public-toilet': 7,
};

export interface PlannedDevice {
  tenant: string;
  id: string;
  kind: DeviceKind;
  /** 1-based number within tenant and kind. */
  n: number;
  name: string;
  lng: number;
  lat: number;
  gridId: string;
  division: string;
  streetCode?: string;
}

/** Splits `total` by weights (largest remainder), giving every weight at least one when total allows. */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const min = total >= weights.length ? 1 : 0;
  const rest = total - min * weights.length;
  const exact = weights.map((w) => (rest * w) / sum);
  const counts = exact.map((x) => min + Math.floor(x));
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) counts[order[k]![1]]!++;
  return counts;
}

export interface PlanOptions {
  tenants: string[];
  /** Total over all tenants (split evenly). */
  devices: number;
  kinds?: DeviceKind[];
}

/** The simulated devices: ids, kinds and positions (deterministic for the same options). */
export function planDevices(opts: PlanOptions): PlannedDevice[] {
  const kinds = opts.kinds?.length ? opts.kinds : [...DEVICE_KIND_IDS];
  const perTenant = apportion(opts.devices, opts.tenants.map(() => 1));
  const out: PlannedDevice[] = [];
  opts.tenants.forEach((tenant, t) => {
    const grids = loadGrids(tenant);
    const counts = apportion(perTenant[t]!, kinds.map((k) => KIND_WEIGHTS[k]));
    kinds.forEach((kind, k) => {
      for (let n = 1; n <= counts[k]!; n++) {
        const id = `sim-${tenant}-${kind}-${n}`;
        const rnd = seededRandom(id);
        const grid = grids[Math.floor(rnd() * grids.length)]!;
        const [lng, lat] = randomPointIn(grid, rnd);
        out.push({
          tenant,
          id,
          kind,
          n,
          name: `模拟${DEVICE_KINDS[kind].name.zh} ${n} (simulated)`,
          lng,
          lat,
          gridId: grid.properties.id,
          division: grid.properties.division,
          ...(grid.properties.streetCode ? { streetCode: grid.properties.streetCode } : {}),
        });
      }
    });
  });
  return out;
}

/** The device import CSV (DEVICE_IMPORT_COLUMNS, header first) of these devices. */
export function importCsv(devices: readonly PlannedDevice[]): string {
  const cell = (v: string | number | undefined) => {
    const s = v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const rows = devices.map((d) => {
    const row: Record<(typeof DEVICE_IMPORT_COLUMNS)[number], string | number | undefined> = {
      id: d.id,
      kind: d.kind,
      name: d.name,
      lng: d.lng,
      lat: d.lat,
      componentId: undefined,
      address: undefined,
      ownerDepartment: undefined,
    };
    return DEVICE_IMPORT_COLUMNS.map((c) => cell(row[c])).join(',');
  });
  return [DEVICE_IMPORT_COLUMNS.join(','), ...rows].join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------------------
// Readings

/** Beijing time of day in hours [0, 24). */
const beijingHour = (ms: number): number => (((ms / 3_600_000 + 8) % 24) + 24) % 24;

/** A bell around `mu` hours (wrapping at midnight) with width `s` hours. */
function bell(h: number, mu: number, s: number): number {
  const d = ((h - mu + 36) % 24) - 12;
  return Math.exp(-((d / s) ** 2) / 2);
}

/** Daily profiles, each in [0, 1] (or [-1, 1] for `thermal`). */
export function dailyProfiles(h: number): { demand: number; traffic: number; thermal: number; night: number; meals: number; usage: number } {
  return {
    // Water demand: morning, lunch and evening peaks, low at night.
    demand: Math.min(1, 0.12 + 0.6 * bell(h, 7.5, 1.3) + 0.35 * bell(h, 12, 1.5) + 0.7 * bell(h, 19.5, 2)),
    traffic: Math.min(1, 0.08 + 0.85 * bell(h, 8, 1.2) + 0.3 * bell(h, 13, 2.5) + 0.85 * bell(h, 18, 1.5)),
    // Air temperature: warmest about 15:00.
    thermal: Math.sin((2 * Math.PI * (h - 9)) / 24),
    night: 0.5 + 0.5 * Math.cos((2 * Math.PI * (h - 3)) / 24),
    meals: Math.min(1, 0.8 * bell(h, 11.5, 1) + 0.9 * bell(h, 18, 1.2)),
    usage: Math.min(1, 0.05 + 0.6 * bell(h, 8, 1.5) + 0.6 * bell(h, 12.5, 2) + 0.7 * bell(h, 17.5, 2)),
  };
}

/** Periods (s) of the slow variation; the shortest bounds how fast a reading may drift. */
const PERIODS = [307, 1103, 3607];

/** Per-device signal shape: phases and a personal offset, fixed by the device id. */
export interface SignalShape {
  phases: Float64Array;
  /** In [-1, 1]: this device's place between its siblings (a deeper well, a higher main). */
  offset: number;
  /** Its share of a storm over its district, in [0.85, 1.1]. */
  rainShare: number;
  /** How late the storm reaches it, ms. */
  rainLagMs: number;
}

export function signalShape(id: string): SignalShape {
  const rnd = seededRandom(`shape:${id}`);
  const phases = new Float64Array(8 * PERIODS.length);
  for (let i = 0; i < phases.length; i++) phases[i] = rnd() * 2 * Math.PI;
  return { phases, offset: rnd() * 2 - 1, rainShare: 0.85 + rnd() * 0.25, rainLagMs: rnd() * 30_000 };
}

/** A slow variation in [-1, 1] of metric `m` (index) at time `ms`; its steepest slope is ≈ 0.0093 per second. */
function slow(shape: SignalShape, m: number, ms: number): number {
  const t = ms / 1000;
  let v = 0;
  for (let k = 0; k < PERIODS.length; k++) v += Math.sin((2 * Math.PI * t) / PERIODS[k]! + shape.phases[m * PERIODS.length + k]!);
  return v / PERIODS.length;
}

const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v));
const round = (v: number, decimals: number) => {
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
};

/** What the environment does to a device at one moment. */
export interface Conditions {
  /** Storm intensity at the device, 0 (dry) … ~1.1 (the peak of a rainstorm). */
  rain: number;
  /** A manhole cover lifted off its frame. */
  coverOpen?: boolean;
}

/**
 * The readings a device of `kind` reports at `ms` (epoch ms). Always within the kind's metric ranges; in dry,
 * closed conditions always within the tenants' alarm thresholds, and varying slowly enough for their rate rules
 * (drainage rise > 0.1 m/min, water pressure fall > 0.05 MPa/min) even at many messages per second. Values that
 * rate rules watch carry no white noise and 5 decimals, so the step between two messages stays far below them.
 */
export function readingsFor(kind: DeviceKind, shape: SignalShape, ms: number, c: Conditions = { rain: 0 }): Readings {
  const p = dailyProfiles(beijingHour(ms));
  const s = (m: number) => slow(shape, m, ms);
  const o = shape.offset;
  const rain = c.rain;
  const jitter = (sd: number) => gaussian() * sd;
  switch (kind) {
    case 'manhole-cover':
      if (c.coverOpen) {
        return { open: true, tiltDeg: round(clamp(80 + 4 * s(0) + jitter(0.5), 0, 180), 1), displacementMm: round(clamp(3 + s(1) + jitter(0.2), 0, 5000), 1), methaneLel: round(clamp(0.8 + 0.5 * s(2) + jitter(0.1), 0, 100), 2), waterLevelM: round(clamp(0.25 + 0.08 * o + 0.05 * s(3) + 0.8 * rain, 0, 20), 4) };
      }
      return {
        open: false,
        tiltDeg: round(clamp(0.8 + 0.3 * o + 0.3 * s(0) + jitter(0.05), 0, 180), 2),
        displacementMm: round(clamp(3 + 1.5 * o + s(1) + jitter(0.2), 0, 5000), 1),
        methaneLel: round(clamp(1.5 + 0.8 * o + 0.6 * s(2) + jitter(0.1), 0, 100), 2),
        waterLevelM: round(clamp(0.25 + 0.08 * o + 0.05 * s(3) + 0.8 * rain, 0, 20), 4),
      };
    case 'drainage-level':
      // Dry weather: 0.2–0.5 m, following the sewage flow of the day; a storm adds 1.45–1.9 m (red above 1.5).
      return { levelM: round(clamp(0.3 + 0.08 * o + 0.1 * p.demand + 0.04 * s(0) + 1.7 * rain, 0, 20), 5) };
    case 'drainage-flow': {
      const flow = 0.5 + 0.2 * o + 0.5 * p.demand + 0.1 * s(0) + 2.6 * rain + jitter(0.01);
      return { flowM3s: round(clamp(flow, -100, 500), 3), velocityMs: round(clamp(0.35 + 0.25 * flow + 0.03 * s(1), -10, 10), 3) };
    }
    case 'pump-station': {
      const pumps = Math.round(1 + 0.8 * p.demand + 4 * rain);
      return {
        running: true,
        fault: false,
        pumpsRunning: clamp(pumps, 0, 50),
        inflowM3h: round(clamp(900 + 300 * o + 900 * p.demand + 80 * s(0) + 7000 * rain + jitter(10), 0, 200_000), 0),
        forebayLevelM: round(clamp(1.3 + 0.2 * o + 0.3 * p.demand + 0.05 * s(1) + 1.2 * rain, 0, 30), 4),
      };
    }
    case 'water-pressure':
      // 0.28–0.40 MPa, dipping when demand peaks (low alarm below 0.14, high above 0.6, falling faster than 0.05/min).
      return { pressureMPa: round(clamp(0.37 + 0.03 * o - 0.07 * p.demand + 0.008 * s(0), 0, 4), 5) };
    case 'water-quality':
      return {
        turbidityNTU: round(clamp(0.25 + 0.08 * o + 0.08 * s(0) + jitter(0.01), 0, 4000), 3),
        residualChlorineMgL: round(clamp(0.45 + 0.1 * o - 0.06 * p.demand + 0.05 * s(1) + jitter(0.005), 0, 20), 3),
        ph: round(clamp(7.3 + 0.15 * o + 0.1 * s(2) + jitter(0.01), 0, 14), 2),
      };
    case 'gas-pressure':
      // Medium-pressure network, 200–300 kPa (low alarm below 100, high above 380), dipping at mealtimes.
      return { pressureKPa: round(clamp(260 + 20 * o - 30 * p.meals + 5 * s(0) + jitter(0.5), 0, 10_000), 1) };
    case 'gas-leak':
      return { methaneLel: round(clamp(0.6 + 0.3 * o + 0.4 * s(0) + jitter(0.1), 0, 100), 2) };
    case 'heat-network': {
      const supply = 88 + 5 * o + 8 * p.night + 2 * s(0) + jitter(0.1);
      return {
        supplyTempC: round(clamp(supply, -20, 200), 1),
        returnTempC: round(clamp(supply - 22 + 2 * s(1) + jitter(0.1), -20, 200), 1),
        pressureMPa: round(clamp(0.8 + 0.08 * o + 0.04 * s(2), 0, 4), 4),
      };
    }
    case 'bridge-strain':
      // Thermal swing and traffic load, well inside ±300 µε.
      return { microstrain: round(clamp(60 * o + 50 * p.thermal + 70 * p.traffic + 15 * s(0) + jitter(4), -5000, 5000), 1) };
    case 'bridge-displacement':
      return { displacementMm: round(clamp(2 * o + 7 * p.thermal + 1 * s(0) + jitter(0.1), -2000, 2000), 2) };
    case 'bridge-vibration':
      return {
        accelMs2: round(clamp(0.03 + 0.15 * p.traffic + 0.02 * s(0) + Math.abs(jitter(0.02)), 0, 100), 4),
        frequencyHz: round(clamp(4.2 + 0.4 * o + 0.05 * s(1) + jitter(0.01), 0, 200), 3),
      };
    case 'public-toilet': {
      return {
        h2sPpm: round(clamp(0.02 + 0.005 * o + 0.03 * p.usage + 0.005 * s(0) + jitter(0.002), 0, 200), 4),
        nh3Ppm: round(clamp(0.25 + 0.05 * o + 0.35 * p.usage + 0.05 * s(1) + jitter(0.01), 0, 500), 3),
        // Visitors since the previous message (a few seconds at most here): now and then one, more at peak hours.
        peopleFlow: Math.random() < 0.02 * p.usage ? 1 : 0,
      };
    }
  }
}

/** ISO time in Beijing time with its offset, milliseconds included (`2026-07-01T08:00:00.123+08:00`). */
export const beijingIso = (ms: number): string => new Date(ms + 8 * 3_600_000).toISOString().replace('Z', '+08:00');

// ---------------------------------------------------------------------------------------------------------
// Scenarios

export interface RainstormOptions {
  tenant: string;
  /** Division or street code; default: the district with the most simulated drainage gauges. */
  district?: string;
  /** Seconds to the peak, at the peak, and back to dry weather. */
  rampS?: number;
  holdS?: number;
  recedeS?: number;
}

interface ActiveStorm {
  tenant: string;
  district: District;
  startMs: number;
  rampS: number;
  holdS: number;
  recedeS: number;
}

const smoothstep = (x: number) => (x <= 0 ? 0 : x >= 1 ? 1 : x * x * (3 - 2 * x));

/** Storm intensity in [0, 1] `relS` seconds after it started. */
export function stormShape(relS: number, rampS: number, holdS: number, recedeS: number): number {
  if (relS <= 0) return 0;
  if (relS < rampS) return smoothstep(relS / rampS);
  if (relS < rampS + holdS) return 1;
  return 1 - smoothstep((relS - rampS - holdS) / recedeS);
}

// ---------------------------------------------------------------------------------------------------------
// Provisioning over the API

export interface DeviceSecret {
  username: string;
  password: string;
}

async function http<T>(url: string, method: string, token: string | undefined, body?: unknown): Promise<{ status: number; json: T | undefined; text: string }> {
  const r = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let json: T | undefined;
  try {
    json = JSON.parse(text) as T;
  } catch {
    json = undefined;
  }
  return { status: r.status, json, text };
}

export async function login(baseUrl: string, username: string, password = 'demo'): Promise<string> {
  const r = await http<{ access_token?: string }>(`${baseUrl}/oidc/login`, 'POST', undefined, { username, password });
  if (r.status !== 200 || !r.json?.access_token) throw new Error(`login as ${username} at ${baseUrl}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
  return r.json.access_token;
}

async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

interface ImportResult {
  registered: Array<{ device: { id: string }; credentials: { type: string; username?: string; password?: string } }>;
  errors: Array<{ row: number; id?: string; code: string; message: string }>;
}

export interface ProvisionReport {
  secrets: Map<string, DeviceSecret>;
  registered: number;
  rotated: number;
  /** Devices that could not be registered or rotated, with why (they are left out of the run). */
  failed: Array<{ id: string; code: string; message: string }>;
  seconds: number;
}

/**
 * Registers the devices (CSV import, 500 rows a request) as `<tenant>.tenant-admin`; rotates the credentials of
 * those that exist already. Returns each device's MQTT username and secret.
 */
export async function provisionDevices(baseUrl: string, devices: readonly PlannedDevice[], log: (line: string) => void = () => {}): Promise<ProvisionReport> {
  const t0 = performance.now();
  const secrets = new Map<string, DeviceSecret>();
  const failed: ProvisionReport['failed'] = [];
  let registered = 0;
  let rotated = 0;
  const tenants = [...new Set(devices.map((d) => d.tenant))];
  for (const tenant of tenants) {
    const token = await login(baseUrl, `${tenant}.tenant-admin`);
    const mine = devices.filter((d) => d.tenant === tenant);
    const existing: string[] = [];
    for (let i = 0; i < mine.length; i += 500) {
      const chunk = mine.slice(i, i + 500);
      const r = await http<ImportResult>(`${baseUrl}/v1/devices/import`, 'POST', token, { format: 'csv', content: importCsv(chunk) });
      if (r.status === 404 || r.status === 405) throw new Error(`POST /v1/devices/import: HTTP ${r.status}: this stack has no device registry (is it older than the monitoring module?)`);
      if (r.status >= 300 || !r.json) throw new Error(`POST /v1/devices/import (tenant ${tenant}): HTTP ${r.status} ${r.text.slice(0, 300)}`);
      for (const reg of r.json.registered) {
        if (reg.credentials.type !== 'password' || !reg.credentials.username || !reg.credentials.password) {
          failed.push({ id: reg.device.id, code: 'NOT_PASSWORD', message: `credentials of type ${reg.credentials.type}: not a local-broker device` });
          continue;
        }
        secrets.set(reg.device.id, { username: reg.credentials.username, password: reg.credentials.password });
        registered++;
      }
      for (const e of r.json.errors) {
        const id = e.id ?? chunk[e.row - 1]?.id;
        if (e.code === 'DEVICE_EXISTS' && id) existing.push(id);
        else failed.push({ id: id ?? `row ${e.row}`, code: e.code, message: e.message });
      }
      log(`  ${tenant}: imported rows ${i + 1}–${i + chunk.length} of ${mine.length}`);
    }
    await pool(existing, 16, async (id) => {
      const r = await http<DeviceSecret & { type?: string }>(`${baseUrl}/v1/devices/${encodeURIComponent(id)}/credentials`, 'POST', token, {});
      if (r.status >= 300 || !r.json?.username || !r.json.password) {
        failed.push({ id, code: `HTTP_${r.status}`, message: `rotating credentials: ${r.text.slice(0, 200)}` });
        return;
      }
      secrets.set(id, { username: r.json.username, password: r.json.password });
      rotated++;
    });
    if (existing.length) log(`  ${tenant}: ${existing.length} devices existed already; new credentials issued`);
  }
  return { secrets, registered, rotated, failed, seconds: (performance.now() - t0) / 1000 };
}

// ---------------------------------------------------------------------------------------------------------
// The fleet: connected devices and the publisher

export interface SimDevice extends PlannedDevice {
  username: string;
  password: string;
  shape: SignalShape;
  client?: MqttClient;
  connected: boolean;
  lastSeq: number;
  inflight: number;
  coverOpen: boolean;
  topics: Record<Channel, string>;
}

export interface FleetStats {
  devices: number;
  connected: number;
  /** CONNACK "not authorized" (or any refused CONNECT), counted per attempt. */
  refused: number;
  /** Connects that failed otherwise (timeout, socket error). */
  connectErrors: number;
  /** Connections that dropped after being established. */
  drops: number;
  sent: number;
  acked: number;
  /** Acknowledged publishes per channel (phases and cover messages alike). */
  ackedByChannel: Record<Channel, number>;
  /** Publishes that ended in an error (connection closed before the PUBACK). */
  failed: number;
  inflight: number;
}

export interface PhaseResult {
  channel: Channel;
  sent: number;
  acked: number;
  failed: number;
  /** From the first publish to the last PUBACK (or failure) after publishing stopped. */
  seconds: number;
  /** acked / seconds */
  ackedPerSec: number;
  /** Token-bucket debt written off because the in-flight bounds were full (publisher or platform too slow). */
  shortfall: number;
}

export interface PhaseOptions {
  channel?: Channel;
  /** Messages per second over all devices; 0 = as fast as the broker acknowledges (bounded in flight). */
  rate: number;
  /** Stop after this many seconds (default: until stop()). */
  seconds?: number;
  /** Stop after this many messages. */
  messages?: number;
  /** Messages in flight over all devices; default 1,000. */
  maxInflight?: number;
  /** Messages in flight per device; default 8. */
  maxInflightPerDevice?: number;
}

export interface Phase {
  readonly channel: Channel;
  /** Counters so far. */
  progress(): { sent: number; acked: number; failed: number; elapsedS: number };
  /** Stop publishing; resolves like `done`. */
  stop(): Promise<PhaseResult>;
  /** Resolves once publishing stopped (seconds/messages reached or stop()) and every message in flight settled. */
  done: Promise<PhaseResult>;
}

export interface ConnectOptions {
  mqttUrl: string;
  /** Connects in flight at once; default 100. */
  concurrency?: number;
  log?: (line: string) => void;
  /** Keep-alive seconds; default 60. */
  keepalive?: number;
}

export interface Fleet {
  devices: SimDevice[];
  byId: Map<string, SimDevice>;
  stats(): FleetStats;
  /** Publishes on a channel at a rate (or flat out) until seconds/messages/stop(). One phase at a time. */
  phase(opts: PhaseOptions): Phase;
  /** The cover reports open (and tilted) now and in every later message; `sentAt` is Date.now() at the publish. */
  openCover(deviceId: string): { sentAt: number; acked: Promise<void> };
  closeCover(deviceId: string): { sentAt: number; acked: Promise<void> };
  startRainstorm(opts: RainstormOptions): ActiveStorm;
  /** Resolves when no message is in flight (phases and cover messages alike). */
  settled(): Promise<void>;
  /** Waits (bounded) for messages in flight, then disconnects every device. */
  close(): Promise<void>;
}

function isRefusal(err: unknown): boolean {
  const e = err as { code?: unknown; message?: string } | undefined;
  return e?.code === 5 || e?.code === 4 || e?.code === 135 || /not authori[sz]ed|bad user ?name or password/i.test(e?.message ?? '');
}

/** Connects every device with its own credentials, `concurrency` connects at a time. */
export async function connectFleet(
  planned: readonly PlannedDevice[],
  secrets: ReadonlyMap<string, DeviceSecret>,
  opts: ConnectOptions,
): Promise<Fleet> {
  const log = opts.log ?? (() => {});
  const counters = { refused: 0, connectErrors: 0, drops: 0, sent: 0, acked: 0, failed: 0 };
  const ackedByChannel: Record<Channel, number> = { telemetry: 0, status: 0, events: 0 };
  let inflight = 0;
  const storms: ActiveStorm[] = [];
  const devices: SimDevice[] = planned
    .filter((p) => secrets.has(p.id))
    .map((p) => ({
      ...p,
      ...secrets.get(p.id)!,
      shape: signalShape(p.id),
      connected: false,
      lastSeq: 0,
      inflight: 0,
      coverOpen: false,
      topics: { telemetry: deviceTopic(p.tenant, p.id, 'telemetry'), events: deviceTopic(p.tenant, p.id, 'events'), status: deviceTopic(p.tenant, p.id, 'status') },
    }));
  const byId = new Map(devices.map((d) => [d.id, d]));
  let waiters: Array<() => void> = [];
  const settled = () => {
    if (inflight === 0) for (const w of waiters.splice(0)) w();
  };
  let onAck: (() => void) | undefined;

  const connectOne = (d: SimDevice): Promise<void> =>
    new Promise((resolve) => {
      const client = mqtt.connect(opts.mqttUrl, {
        clientId: d.id,
        username: d.username,
        password: d.password,
        protocolVersion: 4,
        clean: true,
        keepalive: opts.keepalive ?? 60,
        connectTimeout: 30_000,
        reconnectPeriod: 0, // enabled once the first connect succeeded
        queueQoSZero: false,
        resubscribe: false,
      });
      let first = true;
      client.on('connect', () => {
        d.connected = true;
        if (first) {
          first = false;
          client.options.reconnectPeriod = 2_000;
          resolve();
        }
      });
      client.on('close', () => {
        if (d.connected) counters.drops++;
        d.connected = false;
        if (first) {
          // closed before any CONNACK (socket error, timeout) without an 'error' event
          first = false;
          counters.connectErrors++;
          client.end(true);
          resolve();
        }
      });
      client.on('error', (err) => {
        if (isRefusal(err)) counters.refused++;
        else counters.connectErrors++;
        if (first) {
          first = false;
          client.end(true);
          resolve();
        }
      });
      d.client = client;
    });

  const t0 = performance.now();
  let done = 0;
  let lastLog = t0;
  await pool(devices, opts.concurrency ?? 100, async (d) => {
    await connectOne(d);
    done++;
    if (performance.now() - lastLog > 5_000) {
      lastLog = performance.now();
      log(`  connecting: ${done}/${devices.length} (${devices.filter((x) => x.connected).length} connected, ${counters.refused} refused)`);
    }
  });
  const connected = devices.filter((d) => d.connected).length;
  log(`  ${connected}/${devices.length} devices connected in ${((performance.now() - t0) / 1000).toFixed(1)} s${counters.refused ? ` (${counters.refused} refused)` : ''}${counters.connectErrors ? ` (${counters.connectErrors} errors)` : ''}`);

  function rainAt(d: SimDevice, ms: number): number {
    let rain = 0;
    for (const s of storms) {
      if (s.tenant !== d.tenant || !s.district.gridIds.has(d.gridId)) continue;
      rain += d.shape.rainShare * stormShape((ms - s.startMs - d.shape.rainLagMs) / 1000, s.rampS, s.holdS, s.recedeS);
    }
    return Math.min(rain, 1.1);
  }

  function message(d: SimDevice, ms: number): TelemetryMessage {
    d.lastSeq = Math.max(d.lastSeq + 1, ms);
    return { seq: d.lastSeq, ts: beijingIso(ms), readings: readingsFor(d.kind, d.shape, ms, { rain: rainAt(d, ms), coverOpen: d.coverOpen }) };
  }

  /** One QoS 1 publish; `cb` runs once with the outcome. */
  function publish(d: SimDevice, channel: Channel, cb: (ok: boolean) => void): void {
    const ms = Date.now();
    const payload = JSON.stringify(message(d, ms));
    d.inflight++;
    inflight++;
    counters.sent++;
    d.client!.publish(d.topics[channel], payload, { qos: 1 }, (err) => {
      d.inflight--;
      inflight--;
      if (err) counters.failed++;
      else {
        counters.acked++;
        ackedByChannel[channel]++;
      }
      cb(!err);
      onAck?.();
      settled();
    });
  }

  function coverMessage(deviceId: string, open: boolean): { sentAt: number; acked: Promise<void> } {
    const d = byId.get(deviceId);
    if (!d) throw new Error(`no simulated device ${deviceId}`);
    if (d.kind !== 'manhole-cover') throw new Error(`${deviceId} is a ${d.kind}, not a manhole cover`);
    if (!d.connected) throw new Error(`${deviceId} is not connected`);
    d.coverOpen = open;
    const sentAt = Date.now();
    const acked = new Promise<void>((resolve, reject) => publish(d, 'telemetry', (ok) => (ok ? resolve() : reject(new Error(`${deviceId}: no PUBACK`)))));
    return { sentAt, acked };
  }

  let current: Phase | undefined;

  function phase(popts: PhaseOptions): Phase {
    if (current) throw new Error('one phase at a time: stop the running one first');
    const channel = popts.channel ?? 'telemetry';
    const rate = popts.rate;
    const maxInflight = popts.maxInflight ?? 1_000;
    const perDevice = popts.maxInflightPerDevice ?? 8;
    const p = { sent: 0, acked: 0, failed: 0, inflight: 0, shortfall: 0 };
    const startMs = performance.now();
    let lastSettleMs = startMs;
    let stopped = false;
    let cursor = 0;
    let issued = 0;
    let resolveDone!: (r: PhaseResult) => void;
    const done = new Promise<PhaseResult>((r) => (resolveDone = r));
    let timer: NodeJS.Timeout | undefined;
    let kickScheduled = false;

    const finishIfDone = () => {
      if (!stopped || p.inflight > 0) return;
      if (timer) clearTimeout(timer);
      onAck = undefined;
      current = undefined;
      const seconds = (lastSettleMs - startMs) / 1000;
      resolveDone({ channel, sent: p.sent, acked: p.acked, failed: p.failed, seconds, ackedPerSec: seconds > 0 ? p.acked / seconds : 0, shortfall: Math.round(p.shortfall) });
    };
    const stopNow = () => {
      if (stopped) return;
      stopped = true;
      finishIfDone();
    };

    /** The next device that can take a message, round robin; undefined when none can. */
    const nextDevice = (): SimDevice | undefined => {
      for (let tries = 0; tries < devices.length; tries++) {
        const d = devices[cursor]!;
        cursor = (cursor + 1) % devices.length;
        if (d.connected && d.inflight < perDevice) return d;
      }
      return undefined;
    };

    const tick = () => {
      kickScheduled = false;
      if (stopped) return;
      const now = performance.now();
      if (popts.seconds !== undefined && now - startMs >= popts.seconds * 1000) return stopNow();
      let budget: number;
      if (rate > 0) {
        const due = (rate * (now - startMs)) / 1000 - issued;
        // A token bucket holding at most one second: debt beyond that (the in-flight bounds were full) is written off.
        if (due > rate) {
          p.shortfall += due - rate;
          issued += due - rate;
        }
        budget = Math.floor((rate * (now - startMs)) / 1000 - issued);
      } else budget = Number.POSITIVE_INFINITY;
      if (popts.messages !== undefined) budget = Math.min(budget, popts.messages - p.sent);
      while (budget > 0 && inflight < maxInflight) {
        const d = nextDevice();
        if (!d) break;
        budget--;
        issued++;
        p.sent++;
        p.inflight++;
        publish(d, channel, (ok) => {
          p.inflight--;
          if (ok) p.acked++;
          else p.failed++;
          lastSettleMs = performance.now();
          if (stopped) finishIfDone();
        });
      }
      if (popts.messages !== undefined && p.sent >= popts.messages) return stopNow();
      timer = setTimeout(tick, rate > 0 ? 4 : 10);
    };
    // Flat out: refill as soon as acknowledgements free slots (at a rate, the 4 ms tick is enough).
    onAck = () => {
      if (rate === 0 && !kickScheduled && !stopped && inflight < maxInflight * 0.9) {
        kickScheduled = true;
        if (timer) clearTimeout(timer);
        setImmediate(tick);
      }
    };
    current = {
      channel,
      progress: () => ({ sent: p.sent, acked: p.acked, failed: p.failed, elapsedS: (performance.now() - startMs) / 1000 }),
      stop: () => {
        stopNow();
        return done;
      },
      done,
    };
    tick();
    return current;
  }

  function startRainstorm(o: RainstormOptions): ActiveStorm {
    const districts = districtsOf(o.tenant);
    let district: District | undefined;
    if (o.district) {
      district = districts.find((x) => x.code === o.district || x.name === o.district);
      if (!district) throw new Error(`tenant ${o.tenant} has no district ${o.district}; it has ${districts.map((x) => `${x.code} ${x.name}`).join(', ')}`);
    } else {
      const gauges = (x: District) => devices.filter((d) => d.tenant === o.tenant && d.kind === 'drainage-level' && x.gridIds.has(d.gridId)).length;
      district = [...districts].sort((a, b) => gauges(b) - gauges(a))[0]!;
    }
    const storm: ActiveStorm = { tenant: o.tenant, district, startMs: Date.now(), rampS: o.rampS ?? 180, holdS: o.holdS ?? 120, recedeS: o.recedeS ?? 300 };
    storms.push(storm);
    return storm;
  }

  async function close(): Promise<void> {
    await current?.stop();
    if (inflight > 0) await Promise.race([new Promise<void>((r) => waiters.push(r)), new Promise((r) => setTimeout(r, 10_000))]);
    waiters = [];
    await pool(devices, 200, async (d) => {
      if (!d.client) return;
      await new Promise<void>((resolve) => d.client!.end(true, {}, () => resolve()));
    });
  }

  return {
    devices,
    byId,
    stats: () => ({
      devices: devices.length,
      connected: devices.filter((d) => d.connected).length,
      refused: counters.refused,
      connectErrors: counters.connectErrors,
      drops: counters.drops,
      sent: counters.sent,
      acked: counters.acked,
      ackedByChannel: { ...ackedByChannel },
      failed: counters.failed,
      inflight,
    }),
    settled: () => (inflight === 0 ? Promise.resolve() : new Promise<void>((r) => waiters.push(r))),
    phase,
    openCover: (id) => coverMessage(id, true),
    closeCover: (id) => coverMessage(id, false),
    startRainstorm,
    close,
  };
}

// ---------------------------------------------------------------------------------------------------------
// One call: plan, register, connect, publish

export type ScenarioSpec =
  | { type: 'rainstorm'; at: number; tenant?: string; district?: string; rampS?: number; holdS?: number; recedeS?: number }
  | { type: 'cover-open'; at: number; tenant?: string; deviceId?: string };

export interface SimulationOptions extends PlanOptions {
  /** HTTP base of the platform, e.g. http://localhost:3000. */
  url: string;
  /** e.g. mqtt://127.0.0.1:1883 */
  mqttUrl: string;
  /** Messages per second over all devices; 0 = as fast as acknowledged. */
  rate: number;
  /** Seconds to publish; default until stop(). */
  durationS?: number;
  scenarios?: ScenarioSpec[];
  connectConcurrency?: number;
  maxInflight?: number;
  log?: (line: string) => void;
  /** Progress line interval, ms (default 5,000; 0 = none). */
  progressEveryMs?: number;
}

export interface Simulation {
  fleet: Fleet;
  provision: ProvisionReport;
  stats(): FleetStats & { elapsedS: number; ratePerSec: number };
  openCover(deviceId: string): { sentAt: number; acked: Promise<void> };
  closeCover(deviceId: string): { sentAt: number; acked: Promise<void> };
  /** Stops publishing, waits for what is in flight and disconnects. */
  stop(): Promise<PhaseResult>;
  /** Resolves when the duration is over (or stop() was called) and the devices are disconnected. */
  done: Promise<PhaseResult>;
}

/** Plans, registers and connects the devices (no publishing yet): the part the benchmark shares. */
export async function prepareFleet(opts: Omit<SimulationOptions, 'rate'>): Promise<{ fleet: Fleet; provision: ProvisionReport }> {
  const log = opts.log ?? (() => {});
  const planned = planDevices(opts);
  const kinds = new Map<string, number>();
  for (const d of planned) kinds.set(d.kind, (kinds.get(d.kind) ?? 0) + 1);
  log(`${planned.length} devices over ${opts.tenants.join(', ')}: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  const provision = await provisionDevices(opts.url, planned, log);
  log(`registered ${provision.registered}, new credentials for ${provision.rotated} existing, in ${provision.seconds.toFixed(1)} s`);
  if (provision.failed.length) {
    log(`${provision.failed.length} devices left out: ${provision.failed.slice(0, 5).map((f) => `${f.id} ${f.code} (${f.message})`).join('; ')}${provision.failed.length > 5 ? ' …' : ''}`);
  }
  const fleet = await connectFleet(planned, provision.secrets, { mqttUrl: opts.mqttUrl, concurrency: opts.connectConcurrency, log });
  return { fleet, provision };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export async function startSimulation(opts: SimulationOptions): Promise<Simulation> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const { fleet, provision } = await prepareFleet({ ...opts, log });
  const phase = fleet.phase({ channel: 'telemetry', rate: opts.rate, seconds: opts.durationS, maxInflight: opts.maxInflight });
  const startMs = performance.now();
  const timers: NodeJS.Timeout[] = [];

  for (const s of opts.scenarios ?? []) {
    timers.push(
      setTimeout(() => {
        try {
          const tenant = s.tenant ?? opts.tenants[0]!;
          if (s.type === 'rainstorm') {
            const storm = fleet.startRainstorm({ tenant, district: s.district, rampS: s.rampS, holdS: s.holdS, recedeS: s.recedeS });
            const gauges = fleet.devices.filter((d) => d.tenant === tenant && d.kind === 'drainage-level' && storm.district.gridIds.has(d.gridId)).length;
            log(`⛈  rainstorm over ${tenant} ${storm.district.code} ${storm.district.name}: ${gauges} drainage gauges rise for ${storm.rampS} s, stay up ${storm.holdS} s, recede over ${storm.recedeS} s`);
          } else {
            const cover = s.deviceId ? fleet.byId.get(s.deviceId) : fleet.devices.find((d) => d.tenant === tenant && d.kind === 'manhole-cover' && d.connected && !d.coverOpen);
            if (!cover) throw new Error(s.deviceId ? `no simulated device ${s.deviceId}` : `no connected manhole cover in ${tenant} (add manhole-cover to --kinds)`);
            fleet.openCover(cover.id).acked.catch(() => undefined);
            log(`⚠  cover ${cover.id} (${cover.tenant}, grid ${cover.gridId}, ${cover.lng},${cover.lat}) reports open`);
          }
        } catch (err) {
          log(`scenario ${s.type} failed: ${(err as Error).message}`);
        }
      }, s.at * 1000),
    );
  }

  let last = { acked: 0, at: startMs };
  const every = opts.progressEveryMs ?? 5_000;
  if (every > 0) {
    timers.push(
      setInterval(() => {
        const st = fleet.stats();
        const now = performance.now();
        const rate = ((st.acked - last.acked) * 1000) / (now - last.at);
        last = { acked: st.acked, at: now };
        log(
          `[${String(Math.round((now - startMs) / 1000)).padStart(4)} s] sent ${fmt(st.sent)}  acked ${fmt(st.acked)}  refused ${st.refused}  failed ${st.failed}  in flight ${st.inflight}  ${fmt(rate)} msg/s  (${st.connected}/${st.devices} connected)`,
        );
      }, every),
    );
  }

  const done = phase.done.then(async (r) => {
    for (const t of timers) clearTimeout(t);
    await fleet.close();
    return r;
  });
  return {
    fleet,
    provision,
    stats: () => {
      const st = fleet.stats();
      const elapsedS = (performance.now() - startMs) / 1000;
      return { ...st, elapsedS, ratePerSec: elapsedS > 0 ? st.acked / elapsedS : 0 };
    },
    openCover: (id) => fleet.openCover(id),
    closeCover: (id) => fleet.closeCover(id),
    stop: async () => {
      await phase.stop();
      return await done;
    },
    done,
  };
}

// ---------------------------------------------------------------------------------------------------------
// CLI

export interface CliOptions extends SimulationOptions {}

/** Parses the simulator's command line (exported for tests). */
export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  const tenants: string[] = [];
  const scenarios: ScenarioSpec[] = [];
  let kinds: DeviceKind[] | undefined;
  let devices = 200;
  let rate = 100;
  let durationS: number | undefined;
  let district: string | undefined;
  let cover: string | undefined;
  let url = `http://localhost:${env.CITYOPS_PORT ?? 3000}`;
  let mqttUrl = `mqtt://127.0.0.1:${env.CITYOPS_MQTT_PORT ?? 1883}`;
  const num = (name: string, v: string | undefined, min = 0) => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < min) throw new Error(`--${name} needs a number ≥ ${min}, got ${v ?? 'nothing'}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--tenant':
      case '--tenants':
        tenants.push(...(value() ?? '').split(',').map((t) => t.trim()).filter(Boolean));
        break;
      case '--devices':
        devices = Math.floor(num('devices', value(), 1));
        break;
      case '--rate':
        rate = num('rate', value());
        break;
      case '--duration':
        durationS = num('duration', value());
        break;
      case '--kinds':
        kinds = (value() ?? '').split(',').map((k) => k.trim()).filter(Boolean) as DeviceKind[];
        for (const k of kinds) if (!(DEVICE_KIND_IDS as readonly string[]).includes(k)) throw new Error(`--kinds: unknown kind ${k}; kinds are ${DEVICE_KIND_IDS.join(', ')}`);
        break;
      case '--scenario': {
        const [type, at] = (value() ?? '').split('@');
        if (type !== 'rainstorm' && type !== 'cover-open') throw new Error(`--scenario is rainstorm or cover-open, got ${type}`);
        scenarios.push({ type, at: at ? num('scenario', at) : 0 });
        break;
      }
      case '--at': {
        const last = scenarios.at(-1);
        if (!last) throw new Error('--at goes after a --scenario');
        last.at = num('at', value());
        break;
      }
      case '--district':
        district = value();
        break;
      case '--cover':
        cover = value();
        break;
      case '--url':
        url = (value() ?? '').replace(/\/$/, '');
        break;
      case '--mqtt':
        mqttUrl = value() ?? '';
        break;
      default:
        throw new Error(`unknown option ${a} (see the header of infra/local/simulate.ts)`);
    }
  }
  if (tenants.length === 0) tenants.push('430100');
  for (const s of scenarios) {
    if (s.type === 'rainstorm' && district) s.district = district;
    if (s.type === 'cover-open' && cover) {
      s.deviceId = cover;
      const m = /^sim-(\d{6})-/.exec(cover);
      if (m) s.tenant = m[1];
    }
  }
  return { tenants, devices, kinds, rate, durationS, scenarios, url, mqttUrl };
}

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(readFileSync(new URL(import.meta.url), 'utf8').split('*/')[0]);
    return;
  }
  let opts: CliOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`simulate: ${(err as Error).message}`);
    process.exitCode = 2;
    return;
  }
  const health = await fetch(`${opts.url}/healthz`).then((r) => (r.ok ? r.text() : undefined)).catch(() => undefined);
  if (health === undefined) {
    console.error(`simulate: no platform answers at ${opts.url} — start it with \`npm start\` (or pass --url / set CITYOPS_PORT)`);
    process.exitCode = 1;
    return;
  }
  // Without --mqtt or CITYOPS_MQTT_PORT, the broker port the platform reports ("port 1883, 0 clients").
  const reported = /"mqtt":\{[^}]*"detail":"port (\d+)/.exec(health)?.[1];
  if (reported && !process.argv.some((a) => a.startsWith('--mqtt')) && !process.env.CITYOPS_MQTT_PORT) opts.mqttUrl = `mqtt://127.0.0.1:${reported}`;
  console.log(`CityOps device simulator → ${opts.url}, ${opts.mqttUrl}; ${opts.rate > 0 ? `${fmt(opts.rate)} msg/s` : 'flat out'}${opts.durationS ? ` for ${opts.durationS} s` : ' until Ctrl-C'}`);
  const sim = await startSimulation(opts);
  let stopping = false;
  const onSignal = () => {
    if (stopping) process.exit(130);
    stopping = true;
    console.log('\nstopping (Ctrl-C again to quit at once)…');
    void sim.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const r = await sim.done;
  const st = sim.fleet.stats();
  console.log(`done: ${fmt(r.acked)} acknowledged of ${fmt(r.sent)} sent in ${r.seconds.toFixed(1)} s (${fmt(r.ackedPerSec)} msg/s), ${r.failed} failed, ${st.refused} connects refused${r.shortfall ? `, ${fmt(r.shortfall)} below the rate (in-flight bound full)` : ''}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (err: unknown) => {
      console.error(`simulate: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
