/**
 * The choice of the inspector who confirms a sensor alarm's case on site (MUN-3: "work order to the nearest
 * inspector"): the nearest shared position that is fresh, precise enough and within the tenant's range. Pure, so
 * the rule is tested without a table; the thresholds come from the tenant's dispatch settings.
 */
import distance from '@turf/distance';
import type { GeoPoint, TenantDispatchSettings } from '../../../contracts';

/** One inspector's latest shared position as stored. */
export interface SharedPosition {
  subject: string;
  location: GeoPoint;
  accuracyM?: number | undefined;
  /** When the phone reported it (ISO instant). */
  at: string;
}

/**
 * The subject of the nearest usable inspector, or undefined when none qualifies (then every inspector gets the
 * task, as before). Equal distances go to the smaller subject, so a repeat of the choice gives the same answer.
 */
export function chooseNearestInspector(
  positions: readonly SharedPosition[],
  target: GeoPoint,
  settings: TenantDispatchSettings['nearestInspector'],
  now: Date,
): string | undefined {
  let best: { subject: string; metres: number } | undefined;
  for (const p of positions) {
    const age = now.getTime() - Date.parse(p.at);
    // A position from the future (a phone's clock ahead) counts as just reported; a stale one not at all.
    if (!(age <= settings.positionFreshSeconds * 1000)) continue;
    if (p.accuracyM !== undefined && p.accuracyM > settings.maxAccuracyMeters) continue;
    const metres = distance([target.lng, target.lat], [p.location.lng, p.location.lat], { units: 'meters' });
    if (metres > settings.maxDistanceMeters) continue;
    if (!best || metres < best.metres || (metres === best.metres && p.subject < best.subject)) best = { subject: p.subject, metres };
  }
  return best?.subject;
}
