/**
 * The one module that touches Leaflet (loaded lazily: only routes that show a map pull it in). A map of
 * small circle markers over the tenant's unit grids; the base tile layer comes from VITE_MAP_TILES when set
 * (lib/map-config.ts), otherwise the grids are the base. Grids are either given or loaded for the visible box
 * once zoomed in far enough. A click on the map can pick a point; a click on a marker follows its link.
 *
 * Everything Leaflet-free (markers from cases, boxes, colours) lives in lib/geo.ts and is tested there;
 * component tests replace this module with a stand-in.
 */
import 'leaflet/dist/leaflet.css';
import { useNavigate } from '@solidjs/router';
import L from 'leaflet';
import { createEffect, createSignal, on, onCleanup, onMount, Show } from 'solid-js';
import type { GeoPoint } from '../../../../contracts';
import type { BBox } from '../../api/client';
import type { GridCollection } from '../../api/schemas';
import { t } from '../../i18n';
import type { MapMarker } from '../../lib/geo';
import { GRID_MIN_ZOOM, tileConfig } from '../../lib/map-config';

export interface LeafletMapProps {
  /** Initial view: a centre and zoom, or a box to fit (`fit` wins). */
  center?: GeoPoint;
  zoom?: number;
  fit?: BBox;
  markers?: readonly MapMarker[];
  /** Grids to draw as they are. */
  grids?: GridCollection;
  /** Or: load the grids of the visible box after each move (from GRID_MIN_ZOOM on). */
  loadGrids?: (box: BBox) => Promise<GridCollection>;
  /** A grid drawn emphasised (the case's grid). */
  highlightGrid?: string;
  /** Called with the clicked point: the map is a location picker. */
  onPick?: (point: GeoPoint) => void;
  label: string;
  class?: string;
}

const GRID_STYLE: L.PathOptions = { color: '#1d5fa8', weight: 1, opacity: 0.6, fillColor: '#e8f0fa', fillOpacity: 0.25 };
const GRID_HIGHLIGHT: L.PathOptions = { color: '#d97706', weight: 3, opacity: 0.9, fillColor: '#fff4e0', fillOpacity: 0.45 };

export default function LeafletMap(props: LeafletMapProps) {
  let element!: HTMLDivElement;
  const navigate = useNavigate();
  const [zoom, setZoom] = createSignal(props.zoom ?? 12);

  onMount(() => {
    const tiles = tileConfig();
    const map = L.map(element, { zoomControl: true, attributionControl: tiles !== undefined, preferCanvas: true });
    if (tiles) {
      L.tileLayer(tiles.url, { subdomains: tiles.subdomains, attribution: tiles.attribution, maxZoom: tiles.maxZoom }).addTo(map);
      if (tiles.labels) L.tileLayer(tiles.labels, { subdomains: tiles.subdomains, maxZoom: tiles.maxZoom }).addTo(map);
    }
    const gridLayer = L.geoJSON(undefined, {
      style: (feature) => (feature?.properties?.id === props.highlightGrid ? GRID_HIGHLIGHT : GRID_STYLE),
      onEachFeature: (feature, layer) => {
        const name = feature.properties?.name as string | undefined;
        const id = feature.properties?.id as string | undefined;
        if (name || id) layer.bindTooltip(`${name ?? ''} ${id ?? ''}`.trim(), { sticky: true });
      },
    }).addTo(map);
    const markerLayer = L.layerGroup().addTo(map);
    const drawn = new Set<string>();

    const addGrids = (collection: GridCollection) => {
      for (const feature of collection.features) {
        const id = feature.properties.id;
        if (drawn.has(id) || !feature.geometry) continue;
        drawn.add(id);
        gridLayer.addData(feature as unknown as GeoJSON.Feature);
      }
      gridLayer.bringToBack();
    };

    if (props.fit) {
      const [w, s, e, n] = props.fit;
      map.fitBounds([[s, w], [n, e]], { padding: [24, 24], maxZoom: 17 });
    } else {
      const c = props.center ?? { lng: 112.9388, lat: 28.2282 };
      map.setView([c.lat, c.lng], props.zoom ?? 12);
    }
    setZoom(map.getZoom());

    let timer: ReturnType<typeof setTimeout> | undefined;
    const loadVisible = () => {
      setZoom(map.getZoom());
      const loader = props.loadGrids;
      if (!loader || map.getZoom() < GRID_MIN_ZOOM) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        const b = map.getBounds();
        loader([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]).then(addGrids, () => undefined);
      }, 300);
    };
    map.on('moveend', loadVisible);
    map.on('click', (event: L.LeafletMouseEvent) => props.onPick?.({ lng: round(event.latlng.lng), lat: round(event.latlng.lat) }));
    loadVisible();

    createEffect(() => {
      if (props.grids) addGrids(props.grids);
    });
    createEffect(
      on(
        () => props.highlightGrid,
        () => gridLayer.setStyle((feature) => (feature?.properties?.id === props.highlightGrid ? GRID_HIGHLIGHT : GRID_STYLE)),
        { defer: true },
      ),
    );
    createEffect(() => {
      markerLayer.clearLayers();
      for (const m of props.markers ?? []) {
        const marker = L.circleMarker([m.lat, m.lng], {
          radius: m.emphasis ? 9 : 6,
          color: '#ffffff',
          weight: 2,
          fillColor: m.color,
          fillOpacity: 0.95,
        }).bindTooltip(m.label);
        if (m.href) {
          const href = m.href;
          marker.on('click', () => navigate(href));
        }
        marker.addTo(markerLayer);
      }
    });

    const resize = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(() => map.invalidateSize());
    resize?.observe(element);
    onCleanup(() => {
      clearTimeout(timer);
      resize?.disconnect();
      map.remove();
    });
  });

  return (
    <div class={`leaflet-frame ${props.class ?? ''}`}>
      <div ref={element} class="leaflet-box" role="region" aria-label={props.label} classList={{ picking: props.onPick !== undefined }} />
      <Show when={props.loadGrids && zoom() < GRID_MIN_ZOOM}>
        <p class="map-hint">{t('loc.zoomForGrids')}</p>
      </Show>
    </div>
  );
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
