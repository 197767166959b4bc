/** What the case module needs from the rest of the platform, injected so the domain stays free of I/O choices. */
import type { CaseKind, GeoPoint } from '../../../contracts';
import type { Store } from '../data/store';
import type { WorkflowGateway } from '../flows/gateway';
import type { FileStore } from '../photos/photos';

export interface GeoLookup {
  /** The unit grid (15-character id) containing the point, among the tenant's grids; undefined outside all. */
  gridAt(store: Store, point: GeoPoint): Promise<string | undefined>;
}

export interface CatalogueCheck {
  /** A GB/T 47678.5 type code of that kind, or one of the tenant's extension categories. */
  typeExists(store: Store, kind: CaseKind, typeCode: string): Promise<boolean>;
  /** A 17-digit component id of a division within the tenant, whose type digits are a component type. */
  componentIdValid(tenant: string, componentId: string, typeCode: string, onDay: string): boolean;
}

export interface CaseEnv {
  store: Store;
  gateway: WorkflowGateway;
  files: FileStore;
  geo: GeoLookup;
  catalogue: CatalogueCheck;
  now: () => Date;
}
