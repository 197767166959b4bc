/**
 * Key builders for base data. Each record is its own item under the tenant's prefix, and also listed in a
 * per-tenant, per-kind partition of GSI2 so a tenant's whole set loads with one (paged) query per kind.
 *
 *   PK T#<tenant>#GRID#<id>   SK GRID    GSI2PK T#<tenant>#BASEDATA#GRID   GSI2SK <id>
 *   PK T#<tenant>#EGRID#<id>  SK EGRID   GSI2PK T#<tenant>#BASEDATA#EGRID  GSI2SK <id>
 *   PK T#<tenant>#COMP#<id>   SK COMP    GSI2PK T#<tenant>#BASEDATA#COMP   GSI2SK <id>
 *   PK T#<tenant>#ADDR#<id>   SK ADDR    GSI2PK T#<tenant>#BASEDATA#ADDR   GSI2SK <id>
 *   PK T#<tenant>#LAYER#<id>  SK LAYER   GSI2PK T#<tenant>#BASEDATA#LAYER  GSI2SK <id>
 *   PK T#<tenant>#BASEDATA    SK VERSION (the counter every changing import bumps; caches compare it)
 */
import type { BaseDataKind } from '../../../contracts/src/basedata';
import type { Key } from '../data/store';
import { tenantPrefix } from '../data/keys';

/** The item-type tag of each kind, as it appears in keys. */
export const KIND_TAG: Record<BaseDataKind, string> = {
  grids: 'GRID',
  'evaluation-grids': 'EGRID',
  components: 'COMP',
  addresses: 'ADDR',
  layers: 'LAYER',
};

export const basedataKeys = {
  /** One record: T#<tenant>#GRID#<id> / GRID, and so on per kind. */
  record: (tenant: string, kind: BaseDataKind, id: string): Key => ({ PK: `${tenantPrefix(tenant)}${KIND_TAG[kind]}#${id}`, SK: KIND_TAG[kind] }),
  /** The GSI2 partition listing a tenant's records of one kind. */
  list: (tenant: string, kind: BaseDataKind): string => `${tenantPrefix(tenant)}BASEDATA#${KIND_TAG[kind]}`,
  /** The tenant's base-data version counter. */
  version: (tenant: string): Key => ({ PK: `${tenantPrefix(tenant)}BASEDATA`, SK: 'VERSION' }),
} as const;
