/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Base map tile URL template (Leaflet syntax); unset: the unit grids are the base. See lib/map-config.ts. */
  readonly VITE_MAP_TILES?: string;
  readonly VITE_MAP_TILES_LABELS?: string;
  readonly VITE_MAP_SUBDOMAINS?: string;
  readonly VITE_MAP_ATTRIBUTION?: string;
  readonly VITE_MAP_MAX_ZOOM?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
