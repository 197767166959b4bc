/** MUN-3 就近派单: which inspector confirms a sensor alarm's case. */
import { describe, expect, it } from 'vitest';
import { chooseNearestInspector, type SharedPosition } from './nearest';

const cover = { lng: 112.9388, lat: 28.2282 };
/** A point `metres` north of the cover (one degree of latitude ≈ 111.2 km). */
const north = (metres: number) => ({ lng: cover.lng, lat: cover.lat + metres / 111_195 });
const settings = { positionFreshSeconds: 600, reportEverySeconds: 60, maxDistanceMeters: 3000, maxAccuracyMeters: 200 };
const now = new Date('2026-11-26T02:00:00.000Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();
const pos = (subject: string, metres: number, ageSeconds = 30, accuracyM?: number): SharedPosition => ({ subject, location: north(metres), at: ago(ageSeconds), ...(accuracyM !== undefined ? { accuracyM } : {}) });

describe('MUN-3 nearest inspector', () => {
  it('chooses the nearest fresh position', () => {
    expect(chooseNearestInspector([pos('430100.far', 1200), pos('430100.near', 150), pos('430100.mid', 600)], cover, settings, now)).toBe('430100.near');
  });

  it('ignores a position older than the tenant’s freshness window', () => {
    expect(chooseNearestInspector([pos('430100.stale', 10, 601), pos('430100.fresh', 900, 599)], cover, settings, now)).toBe('430100.fresh');
  });

  it('ignores an inspector beyond the tenant’s range; nobody in range means no assignment', () => {
    expect(chooseNearestInspector([pos('430100.away', 3100)], cover, settings, now)).toBeUndefined();
    expect(chooseNearestInspector([pos('430100.away', 3100), pos('430100.edge', 2990)], cover, settings, now)).toBe('430100.edge');
  });

  it('ignores a fix less precise than the tenant allows', () => {
    expect(chooseNearestInspector([pos('430100.vague', 50, 30, 500), pos('430100.sharp', 800, 30, 20)], cover, settings, now)).toBe('430100.sharp');
  });

  it('equal distances go to the same inspector whatever the order', () => {
    const a = pos('430100.a', 400);
    const b = pos('430100.b', 400);
    expect(chooseNearestInspector([b, a], cover, settings, now)).toBe('430100.a');
    expect(chooseNearestInspector([a, b], cover, settings, now)).toBe('430100.a');
  });

  it('no positions, no assignment', () => {
    expect(chooseNearestInspector([], cover, settings, now)).toBeUndefined();
  });
});
