/**
 * A tenant's base data in memory, indexed for the questions a case asks (CMD-4): which unit grid is this point
 * in, which components are near it, what is the nearest address, where is this address. Point → grid is asked
 * on every report, so it goes through an R-tree (rbush) over the grids' bounding boxes and tests only the few
 * polygons whose box holds the point, never every grid.
 *
 * Boundaries: a point on an edge shared by two grids belongs to the grid with the smaller id, so every point
 * inside the tenant's grid cover has exactly one grid. A point outside every grid has none (the caller decides
 * what to do: refuse, or ask the reporter to move the pin).
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { distance } from '@turf/distance';
import RBush from 'rbush';
import type { GeoPoint } from '../../../contracts';
import type {
  AddressPoint,
  BaseDataKind,
  BaseDataRecords,
  Component,
  EvaluationGrid,
  GeocodeMatch,
  ReverseGeocode,
  ThematicLayer,
  UnitGrid,
} from '../../../contracts/src/basedata';
import { Gazetteer } from './geocode';
import { boxAround, geometryBounds, type Bounds } from './geometry';
import type { GridLocator } from './import';

/** All base data of a tenant, by kind. */
export type BaseDataSet = { [K in BaseDataKind]: BaseDataRecords[K][] };

interface Boxed<T> {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  item: T;
}

const boxed = <T>(item: T, [w, s, e, n]: Bounds): Boxed<T> => ({ minX: w, minY: s, maxX: e, maxY: n, item });
const pointBox = <T>(item: T, p: GeoPoint): Boxed<T> => ({ minX: p.lng, minY: p.lat, maxX: p.lng, maxY: p.lat, item });
const search = (b: Bounds) => ({ minX: b[0], minY: b[1], maxX: b[2], maxY: b[3] });
const metres = (a: GeoPoint, b: GeoPoint): number => distance([a.lng, a.lat], [b.lng, b.lat], { units: 'meters' });
const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Default radius of reverse geocoding: farther than this, an address point says little about the place. */
export const REVERSE_GEOCODE_METRES = 100;

export class SpatialIndex implements GridLocator {
  /** Polygon tests done so far (point-in-polygon calls); lets tests and metrics see the tree at work. */
  polygonTests = 0;

  private readonly grids = new RBush<Boxed<UnitGrid>>();
  private readonly gridMap = new Map<string, UnitGrid>();
  private readonly evaluation = new RBush<Boxed<EvaluationGrid>>();
  private readonly components = new RBush<Boxed<Component>>();
  private readonly componentMap = new Map<string, Component>();
  private readonly addresses = new RBush<Boxed<AddressPoint>>();
  private readonly layers = new RBush<Boxed<ThematicLayer>>();
  private readonly gazetteer: Gazetteer;

  /** Build the index of one tenant's base data (bulk-loaded trees). */
  constructor(data: Partial<BaseDataSet>, readonly version = 0) {
    const grids = data.grids ?? [];
    this.grids.load(grids.map((g) => boxed(g, geometryBounds(g.geometry))));
    for (const g of grids) this.gridMap.set(g.id, g);
    this.evaluation.load((data['evaluation-grids'] ?? []).map((g) => boxed(g, geometryBounds(g.geometry))));
    const components = data.components ?? [];
    this.components.load(components.map((c) => pointBox(c, c.location)));
    for (const c of components) this.componentMap.set(c.id, c);
    const addresses = data.addresses ?? [];
    this.addresses.load(addresses.map((a) => pointBox(a, a.location)));
    this.layers.load((data.layers ?? []).map((l) => boxed(l, geometryBounds(l.geometry))));
    this.gazetteer = new Gazetteer(addresses);
  }

  /** How many records of each kind the index holds. */
  get counts(): { grids: number; components: number; addresses: number; layers: number; evaluationGrids: number } {
    return {
      grids: this.gridMap.size,
      components: this.componentMap.size,
      addresses: this.gazetteer.size,
      layers: this.layers.all().length,
      evaluationGrids: this.evaluation.all().length,
    };
  }

  private contains(geometry: UnitGrid['geometry'], p: GeoPoint): boolean {
    this.polygonTests++;
    return booleanPointInPolygon([p.lng, p.lat], geometry);
  }

  /** The unit grid containing the point (on a shared edge: the smaller id), or undefined outside all grids. */
  gridAt(p: GeoPoint): UnitGrid | undefined {
    const candidates = this.grids.search(search([p.lng, p.lat, p.lng, p.lat])).map((b) => b.item).sort(byId);
    return candidates.find((g) => this.contains(g.geometry, p));
  }

  /** The evaluation area containing the point (smaller id on a shared edge). */
  evaluationGridAt(p: GeoPoint): EvaluationGrid | undefined {
    const candidates = this.evaluation.search(search([p.lng, p.lat, p.lng, p.lat])).map((b) => b.item).sort(byId);
    return candidates.find((g) => this.contains(g.geometry, p));
  }

  grid(id: string): UnitGrid | undefined {
    return this.gridMap.get(id);
  }

  hasGrid(id: string): boolean {
    return this.gridMap.has(id);
  }

  gridContains(id: string, p: GeoPoint): boolean {
    const g = this.gridMap.get(id);
    return g !== undefined && this.contains(g.geometry, p);
  }

  /** Grids whose bounding box meets the box [west, south, east, north] (for map views), by id. */
  gridsIn(bbox: Bounds): UnitGrid[] {
    return this.grids.search(search(bbox)).map((b) => b.item).sort(byId);
  }

  /** Thematic-layer features whose bounding box meets the box, by id. */
  layersIn(bbox: Bounds): ThematicLayer[] {
    return this.layers.search(search(bbox)).map((b) => b.item).sort(byId);
  }

  component(id: string): Component | undefined {
    return this.componentMap.get(id);
  }

  /** Components inside the box [west, south, east, north] (for map views), optionally of one type, by id. */
  componentsIn(bbox: Bounds, typeCode?: string): Component[] {
    return this.components
      .search(search(bbox))
      .map((b) => b.item)
      .filter((c) => typeCode === undefined || c.typeCode === typeCode)
      .sort(byId);
  }

  /** Address points inside the box, by id. */
  addressesIn(bbox: Bounds): AddressPoint[] {
    return this.addresses.search(search(bbox)).map((b) => b.item).sort(byId);
  }

  /** Components within `radius` metres, nearest first; optionally only of one type (01037 路灯 …). */
  componentsNear(p: GeoPoint, radius: number, typeCode?: string): { component: Component; distance: number }[] {
    return this.components
      .search(search(boxAround(p.lng, p.lat, radius)))
      .filter((b) => typeCode === undefined || b.item.typeCode === typeCode)
      .map((b) => ({ component: b.item, distance: metres(p, b.item.location) }))
      .filter((r) => r.distance <= radius)
      .sort((a, b) => a.distance - b.distance || byId(a.component, b.component));
  }

  /** The nearest address point within `maxMetres` (searching outward from 25 m), or undefined. */
  nearestAddress(p: GeoPoint, maxMetres = REVERSE_GEOCODE_METRES): { address: AddressPoint; distance: number } | undefined {
    for (let r = Math.min(25, maxMetres); ; r = Math.min(r * 2, maxMetres)) {
      let best: { address: AddressPoint; distance: number } | undefined;
      for (const b of this.addresses.search(search(boxAround(p.lng, p.lat, r)))) {
        const d = metres(p, b.item.location);
        if (d <= r && (!best || d < best.distance || (d === best.distance && b.item.id < best.address.id))) best = { address: b.item, distance: d };
      }
      // Anything outside the box is farther than r, so a hit within r is the nearest overall.
      if (best || r >= maxMetres) return best;
    }
  }

  /** 地址 → 坐标: the tenant's address points best matching the text. */
  geocode(text: string, limit = 5): GeocodeMatch[] {
    return this.gazetteer.geocode(text, limit);
  }

  /** 坐标 → 地址: the grid containing the point and the nearest address point within `maxMetres`. */
  reverseGeocode(p: GeoPoint, maxMetres = REVERSE_GEOCODE_METRES): ReverseGeocode {
    const grid = this.gridAt(p);
    const near = this.nearestAddress(p, maxMetres);
    return { ...(grid ? { grid } : {}), ...(near ? { address: near.address, distance: near.distance } : {}) };
  }
}
