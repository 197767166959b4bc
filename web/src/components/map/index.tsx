/**
 * The map as the screens use it: a lazily loaded Leaflet wrapper, so Leaflet (and its CSS) arrives only with
 * the first map shown. Tests replace './leaflet-map' with a stand-in (happy-dom has no layout for Leaflet).
 */
import { lazy, Suspense } from 'solid-js';
import { Loading } from '../panel';
import type { LeafletMapProps } from './leaflet-map';

const LeafletMap = lazy(() => import('./leaflet-map'));

export type { LeafletMapProps } from './leaflet-map';

export function MapView(props: LeafletMapProps) {
  return (
    <Suspense fallback={<Loading />}>
      <LeafletMap {...props} />
    </Suspense>
  );
}
