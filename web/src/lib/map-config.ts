/**
 * The map's base layer, configured at build time. Without `VITE_MAP_TILES` the maps draw the tenant's unit
 * grids as their base (works offline and on intranets). With it, tiles come from the template, e.g. Tianditu
 * (天地图, CGCS2000 ≈ WGS84, so the platform's coordinates line up):
 *
 *   VITE_MAP_TILES=https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=<key>
 *   VITE_MAP_TILES_LABELS=https://t{s}.tianditu.gov.cn/cva_w/wmts?…&LAYER=cva…&tk=<key>   (optional annotation layer)
 *   VITE_MAP_SUBDOMAINS=01234567
 *   VITE_MAP_ATTRIBUTION=天地图
 *
 * GCJ-02 tile services (高德, 腾讯) are shifted by hundreds of metres against WGS84 data: do not use them.
 */
export interface TileConfig {
  url: string;
  labels?: string;
  subdomains: string;
  attribution: string;
  maxZoom: number;
}

const env = import.meta.env;
const str = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

export function tileConfig(): TileConfig | undefined {
  const url = str(env.VITE_MAP_TILES);
  if (!url) return undefined;
  return {
    url,
    labels: str(env.VITE_MAP_TILES_LABELS),
    subdomains: str(env.VITE_MAP_SUBDOMAINS) ?? 'abc',
    attribution: str(env.VITE_MAP_ATTRIBUTION) ?? '',
    maxZoom: Number(str(env.VITE_MAP_MAX_ZOOM) ?? 18),
  };
}

/** Below this zoom the maps do not load unit grids (too many to draw). */
export const GRID_MIN_ZOOM = 14;
