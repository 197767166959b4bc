/**
 * Geometry checks and small helpers for base data. Import validation needs each problem named on its own
 * (open ring, too few positions, crossing edges, out of the tenant's bounds), which a generic "invalid
 * geometry" from a library would not give; the spatial index needs bounding boxes and metre/degree conversion.
 */
import type { AnyGeometry, ImportIssueCode, Position } from '../../../contracts/src/basedata';

/** [west, south, east, north] in degrees. */
export type Bounds = readonly [number, number, number, number];

export interface GeometryProblem {
  code: ImportIssueCode;
  /** Path inside the geometry, e.g. `geometry.coordinates[0][3]`. */
  field: string;
  detail: string;
}

/** Rings longer than this are not checked for self-intersection (O(n²)); the vertex cap keeps them rare. */
const SELF_INTERSECTION_MAX_EDGES = 1_000;

/** Every position of a geometry with its path. */
function* positions(g: AnyGeometry): Generator<[Position, string]> {
  switch (g.type) {
    case 'Point':
      yield [g.coordinates, 'geometry.coordinates'];
      return;
    case 'LineString':
      for (const [i, p] of g.coordinates.entries()) yield [p, `geometry.coordinates[${i}]`];
      return;
    case 'MultiLineString':
    case 'Polygon':
      for (const [i, line] of g.coordinates.entries()) for (const [j, p] of line.entries()) yield [p, `geometry.coordinates[${i}][${j}]`];
      return;
    case 'MultiPolygon':
      for (const [i, poly] of g.coordinates.entries())
        for (const [j, ring] of poly.entries()) for (const [k, p] of ring.entries()) yield [p, `geometry.coordinates[${i}][${j}][${k}]`];
      return;
  }
}

/** The number of positions in a geometry. */
export function vertexCount(g: AnyGeometry): number {
  let n = 0;
  for (const _ of positions(g)) n++;
  return n;
}

/** The bounding box of a geometry. */
export function geometryBounds(g: AnyGeometry): Bounds {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (const [[x, y]] of positions(g)) {
    if (x! < w) w = x!;
    if (x! > e) e = x!;
    if (y! < s) s = y!;
    if (y! > n) n = y!;
  }
  return [w, s, e, n];
}

const samePosition = (a: Position, b: Position): boolean => a[0] === b[0] && a[1] === b[1];

/** Sign of the turn a→b→c: >0 counter-clockwise, <0 clockwise, 0 collinear. */
const orient = (a: Position, b: Position, c: Position): number => (b[0]! - a[0]!) * (c[1]! - a[1]!) - (b[1]! - a[1]!) * (c[0]! - a[0]!);
const onSegment = (a: Position, b: Position, p: Position): boolean =>
  Math.min(a[0]!, b[0]!) <= p[0]! && p[0]! <= Math.max(a[0]!, b[0]!) && Math.min(a[1]!, b[1]!) <= p[1]! && p[1]! <= Math.max(a[1]!, b[1]!);

/** True when segments p1p2 and q1q2 share any point (crossing, touching or overlapping). */
function segmentsMeet(p1: Position, p2: Position, q1: Position, q2: Position): boolean {
  const d1 = orient(q1, q2, p1);
  const d2 = orient(q1, q2, p2);
  const d3 = orient(p1, p2, q1);
  const d4 = orient(p1, p2, q2);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  return (d1 === 0 && onSegment(q1, q2, p1)) || (d2 === 0 && onSegment(q1, q2, p2)) || (d3 === 0 && onSegment(p1, p2, q1)) || (d4 === 0 && onSegment(p1, p2, q2));
}

/** Index of the first edge that meets a non-adjacent edge of the closed ring, or -1. */
export function selfIntersection(ring: readonly Position[]): number {
  const edges = ring.length - 1;
  if (edges > SELF_INTERSECTION_MAX_EDGES) return -1;
  for (let i = 0; i < edges; i++) {
    for (let j = i + 1; j < edges; j++) {
      if (j === i + 1 || (i === 0 && j === edges - 1)) continue; // neighbours share a vertex
      if (segmentsMeet(ring[i]!, ring[i + 1]!, ring[j]!, ring[j + 1]!)) return i;
    }
  }
  return -1;
}

function checkRing(ring: readonly Position[], field: string, out: GeometryProblem[]): void {
  if (ring.length < 4) {
    out.push({ code: 'GEOMETRY_RING_TOO_SHORT', field, detail: `${ring.length} positions` });
    return;
  }
  if (!samePosition(ring[0]!, ring[ring.length - 1]!)) {
    out.push({ code: 'GEOMETRY_RING_NOT_CLOSED', field, detail: `first ${JSON.stringify(ring[0])}, last ${JSON.stringify(ring[ring.length - 1])}` });
    return;
  }
  const at = selfIntersection(ring);
  if (at >= 0) out.push({ code: 'GEOMETRY_SELF_INTERSECTING', field: `${field}[${at}]`, detail: `edge ${at} meets another edge` });
}

/**
 * Problems of one geometry: structure (rings closed, ≥ 4 positions, not crossing themselves; lines ≥ 2
 * positions), size (MAX_FEATURE_VERTICES) and place (every position inside `bounds`). Empty when valid.
 */
export function geometryProblems(g: AnyGeometry, bounds: Bounds, maxVertices: number): GeometryProblem[] {
  const out: GeometryProblem[] = [];
  const count = vertexCount(g);
  if (count > maxVertices) return [{ code: 'GEOMETRY_TOO_COMPLEX', field: 'geometry', detail: `${count} positions, at most ${maxVertices}` }];
  switch (g.type) {
    case 'LineString':
      if (g.coordinates.length < 2) out.push({ code: 'GEOMETRY_LINE_TOO_SHORT', field: 'geometry.coordinates', detail: `${g.coordinates.length} positions` });
      break;
    case 'MultiLineString':
      g.coordinates.forEach((line, i) => {
        if (line.length < 2) out.push({ code: 'GEOMETRY_LINE_TOO_SHORT', field: `geometry.coordinates[${i}]`, detail: `${line.length} positions` });
      });
      break;
    case 'Polygon':
      g.coordinates.forEach((ring, i) => checkRing(ring, `geometry.coordinates[${i}]`, out));
      break;
    case 'MultiPolygon':
      g.coordinates.forEach((poly, i) => poly.forEach((ring, j) => checkRing(ring, `geometry.coordinates[${i}][${j}]`, out)));
      break;
    case 'Point':
      break;
  }
  const [w, s, e, n] = bounds;
  for (const [[x, y], field] of positions(g)) {
    if (!(x! >= w && x! <= e && y! >= s && y! <= n)) {
      out.push({ code: 'GEOMETRY_OUT_OF_BOUNDS', field, detail: `[${x}, ${y}] is outside [${bounds.join(', ')}]` });
      break; // one is enough to reject the feature
    }
  }
  return out;
}

const METRES_PER_DEGREE_LAT = 111_320;

/** A box of half-size `metres` around a point, in degrees (good enough below a few kilometres). */
export function boxAround(lng: number, lat: number, metres: number): Bounds {
  const dLat = metres / METRES_PER_DEGREE_LAT;
  const dLng = metres / (METRES_PER_DEGREE_LAT * Math.max(Math.cos((lat * Math.PI) / 180), 0.01));
  return [lng - dLng, lat - dLat, lng + dLng, lat + dLat];
}
