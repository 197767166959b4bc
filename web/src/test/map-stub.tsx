/**
 * Stand-in for components/map/leaflet-map in component tests (happy-dom has no layout for Leaflet): shows
 * what the map was given, and a button that picks a fixed point as a click on the map would.
 * Use: `vi.mock('../components/map/leaflet-map', () => import('../test/map-stub'))`.
 */
import type { LeafletMapProps } from '../components/map/leaflet-map';

export const PICKED_POINT = { lng: 112.9546, lat: 28.1843 };

export default function MapStub(props: LeafletMapProps) {
  return (
    <div data-testid="map-stub" data-markers={props.markers?.length ?? 0} data-marker-ids={(props.markers ?? []).map((m) => m.id).join(',')} data-marker-colors={(props.markers ?? []).map((m) => m.color).join(',')} data-marker-links={(props.markers ?? []).map((m) => m.href ?? '').join(',')} data-highlight={props.highlightGrid ?? ''} data-grids={props.grids?.features.length ?? 0}>
      {props.onPick && (
        <button type="button" data-testid="map-pick" onClick={() => props.onPick?.(PICKED_POINT)}>
          pick
        </button>
      )}
    </div>
  );
}
