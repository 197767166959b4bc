/** Small geometry for the maps: boxes around points, the box of many points, and case markers. */
import type { CaseStatus, CaseSummary, GeoPoint } from '../../../contracts';
import type { BBox } from '../api/client';
import { STATUS_COLORS } from './case-format';

const METRES_PER_DEGREE = 111_320;

/** A [west, south, east, north] box of `metres` around a point. */
export function bboxAround(point: GeoPoint, metres: number): BBox {
  const dLat = metres / METRES_PER_DEGREE;
  const dLng = metres / (METRES_PER_DEGREE * Math.cos((point.lat * Math.PI) / 180));
  return [point.lng - dLng, point.lat - dLat, point.lng + dLng, point.lat + dLat];
}

/** The box holding every point, or undefined for none. */
export function bboxOf(points: readonly GeoPoint[]): BBox | undefined {
  if (points.length === 0) return undefined;
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of points) {
    w = Math.min(w, p.lng);
    e = Math.max(e, p.lng);
    s = Math.min(s, p.lat);
    n = Math.max(n, p.lat);
  }
  return [w, s, e, n];
}

/** A point drawn on a map: a small coloured circle with a tooltip, optionally a link. */
export interface MapMarker {
  id: string;
  lng: number;
  lat: number;
  color: string;
  label: string;
  /** Where a click leads (a case detail). */
  href?: string;
  /** Drawn larger (the case of a detail page, a picked point). */
  emphasis?: boolean;
}

/** Case markers for a map, coloured by status; `statuses` keeps only those. */
export function caseMarkers(cases: readonly CaseSummary[], label: (c: CaseSummary) => string, statuses?: ReadonlySet<CaseStatus>): MapMarker[] {
  return cases
    .filter((c) => !statuses || statuses.size === 0 || statuses.has(c.status))
    .map((c) => ({ id: c.id, lng: c.location.lng, lat: c.location.lat, color: STATUS_COLORS[c.status], label: label(c), href: `/case/${c.id}`, emphasis: c.urgency === 'urgent' }));
}
