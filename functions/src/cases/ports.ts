/** What the case module needs from the rest of the platform, injected so the domain stays free of I/O choices. */
import type { CaseKind, GeoPoint } from '../../../contracts';
import type { Store } from '../data/store';
import type { WorkflowGateway } from '../flows/gateway';
import type { FileStore } from '../photos/photos';

export interface GeoLookup {
  /** The unit grid (15-character id) containing the point, among the tenant's grids; undefined outside all. */
  gridAt(store: Store, point: GeoPoint): Promise<string | undefined>;
}

export type Check = { ok: true } | { ok: false; message: { zh: string; en: string } };

export interface CatalogueCheck {
  /** A GB/T 47678.5 type code of that kind, or one of the tenant's extension categories. */
  checkType(store: Store, kind: CaseKind, typeCode: string): Promise<Check>;
  /** A 17-digit component id of a division within the tenant, whose type digits are the case's type. */
  checkComponentId(store: Store, componentId: string, typeCode: string, onDay: string): Promise<Check>;
}

export interface CaseEnv {
  store: Store;
  gateway: WorkflowGateway;
  files: FileStore;
  geo: GeoLookup;
  catalogue: CatalogueCheck;
  now: () => Date;
}
