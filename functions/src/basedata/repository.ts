/**
 * Base data in the table (CMD-5): one item per record (keys.ts), listed per tenant and kind in GSI2 so the
 * whole set loads in a few queries, and a version item that every import writes. Imports are idempotent:
 * a record whose content hash is unchanged is not written again. The spatial index is cached in process per
 * tenant and rebuilt only when the version item changes.
 *
 * Writes go in batches of 25 through the document client, which the Store does not guard, so this module
 * checks every key against the caller's tenant itself before sending anything.
 */
import { createHash } from 'node:crypto';
import { BatchWriteCommand, type BatchWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import {
  BASE_DATA_SCHEMAS,
  BaseDataKind,
  type BaseDataRecords,
  type ImportMode,
  type ImportReport,
} from '../../../contracts/src/basedata';
import { tenantPrefix } from '../data/keys';
import type { Store } from '../data/store';
import { DomainError } from '../shared/errors';
import { logger } from '../shared/logger';
import { requireRole, useTenant } from '../tenancy/context';
import { tenantManifest } from '../tenants/tenants';
import { validateImport, type ImportContext } from './import';
import { KIND_TAG, basedataKeys } from './keys';
import { SpatialIndex, type BaseDataSet } from './spatial-index';

/** One put or delete of a BatchWrite. */
export type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

const BATCH_SIZE = 25;
const BATCH_ATTEMPTS = 8;

/** Key order must not change a hash: serialise objects with sorted keys. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
export const contentHash = (record: unknown): string => createHash('sha256').update(canonical(record)).digest('hex').slice(0, 32);

const ExistingItem = z.object({ GSI2SK: z.string(), hash: z.string() });
const RecordItem = z.object({ v: z.number().int(), data: z.unknown() });
/** The schema of one kind, typed by kind (the map is too wide for TypeScript to index generically). */
const schemaOf = <K extends BaseDataKind>(kind: K): z.ZodType<BaseDataRecords[K]> => BASE_DATA_SCHEMAS[kind] as unknown as z.ZodType<BaseDataRecords[K]>;

/** The version item: a counter bumped by every import and, per kind, what the last import left behind. */
const VersionItem = z.looseObject({ version: z.number().int().nonnegative().default(0) });
type KindStamp = { count: number; v: number; written: number };
const stampAttrs = (kind: BaseDataKind) => ({ count: `count_${KIND_TAG[kind]}`, v: `v_${KIND_TAG[kind]}`, written: `written_${KIND_TAG[kind]}` });

function kindStamp(item: Record<string, unknown> | undefined, kind: BaseDataKind): KindStamp | undefined {
  if (!item) return undefined;
  const a = stampAttrs(kind);
  const [count, v, written] = [item[a.count], item[a.v], item[a.written]];
  return typeof count === 'number' && typeof v === 'number' && typeof written === 'number' ? { count, v, written } : undefined;
}

/**
 * BatchWrite through the document client, with the tenant guard the Store would apply: every PK (and GSI2PK)
 * must start with the caller's own `T#<tenant>#`. Unprocessed items are retried with backoff.
 */
export async function batchWrite(store: Store, requests: WriteRequest[]): Promise<void> {
  const own = tenantPrefix(useTenant());
  for (const r of requests) {
    const item = r.PutRequest?.Item;
    const pk = item?.PK ?? r.DeleteRequest?.Key?.PK;
    const gsi = item?.GSI2PK;
    if (typeof pk !== 'string' || !pk.startsWith(own) || (gsi !== undefined && (typeof gsi !== 'string' || !gsi.startsWith(own)))) {
      throw new DomainError('NOT_FOUND', undefined, `batch write outside the caller's tenant: ${String(pk).split('#').slice(0, 2).join('#')}`);
    }
    store.assertAllowed(pk, 'write');
  }
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += BATCH_SIZE) batches.push(requests.slice(i, i + BATCH_SIZE));
  const writeBatch = async (batch: WriteRequest[]) => {
    let pending = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= BATCH_ATTEMPTS) throw new Error(`batch write: ${pending.length} items still unprocessed after ${BATCH_ATTEMPTS} attempts`);
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      const r = await store.doc.send(new BatchWriteCommand({ RequestItems: { [store.tableName]: pending } }));
      pending = r.UnprocessedItems?.[store.tableName] ?? [];
    }
  };
  // A few batches in flight: large imports are bound by round trips, not by the table.
  const CONCURRENCY = 4;
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, batches.length) }, async () => {
      while (next < batches.length) await writeBatch(batches[next++]!);
    }),
  );
}

export interface StoreOutcome {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  version: number;
}

/**
 * Store validated records of one kind for the caller's tenant (tenant-admin). Records whose content is
 * unchanged are not written, so re-importing the same data changes no record; changed ones are replaced.
 * With `prune`, records of this kind missing from `records` are deleted. Every call bumps the version item.
 */
export async function importBaseData<K extends BaseDataKind>(
  store: Store,
  kind: K,
  records: readonly BaseDataRecords[K][],
  opts: { prune?: boolean } = {},
): Promise<StoreOutcome> {
  requireRole('tenant-admin');
  const tenant = useTenant();
  // This process sees its own import at once; others within VERSION_CHECK_MS.
  checkedAt.delete(`${store.tableName}#${tenant}`);
  const schema = schemaOf(kind);
  const parsed = records.map((r) => schema.parse(r));
  const ids = new Set<string>();
  for (const r of parsed) {
    if (ids.has(r.id)) throw new DomainError('VALIDATION_FAILED', [{ path: 'id', message: `${r.id} appears twice` }]);
    ids.add(r.id);
  }

  const existing = new Map((await store.query(ExistingItem, { index: 'GSI2', pk: basedataKeys.list(tenant, kind) })).map((e) => [e.GSI2SK, e.hash]));
  // The version is taken first so every item written by this import carries it (see loadIndex's check).
  const bumped = await store.update({
    Key: basedataKeys.version(tenant),
    UpdateExpression: 'ADD #version :one SET #entity = :entity',
    ExpressionAttributeNames: { '#version': 'version', '#entity': 'entity' },
    ExpressionAttributeValues: { ':one': 1, ':entity': 'basedata-version' },
    ReturnValues: 'ALL_NEW',
  });
  const version = VersionItem.parse(bumped ?? {}).version;

  const requests: WriteRequest[] = [];
  let created = 0;
  let updated = 0;
  for (const r of parsed) {
    const hash = contentHash(r);
    const before = existing.get(r.id);
    if (before === hash) continue;
    if (before === undefined) created++;
    else updated++;
    requests.push({
      PutRequest: {
        Item: {
          ...basedataKeys.record(tenant, kind, r.id),
          GSI2PK: basedataKeys.list(tenant, kind),
          GSI2SK: r.id,
          entity: `basedata-${kind}`,
          hash,
          v: version,
          data: r,
        },
      },
    });
  }
  const gone = opts.prune ? [...existing.keys()].filter((id) => !ids.has(id)) : [];
  for (const id of gone) requests.push({ DeleteRequest: { Key: basedataKeys.record(tenant, kind, id) } });
  await batchWrite(store, requests);

  const a = stampAttrs(kind);
  const count = existing.size + created - gone.length;
  await store.update({
    Key: basedataKeys.version(tenant),
    UpdateExpression: 'SET #count = :count, #v = :v, #written = :written',
    ExpressionAttributeNames: { '#count': a.count, '#v': a.v, '#written': a.written },
    ExpressionAttributeValues: { ':count': count, ':v': version, ':written': created + updated },
  });
  checkedAt.delete(`${store.tableName}#${tenant}`);
  return { created, updated, unchanged: parsed.length - created - updated, deleted: gone.length, version };
}

/** Every record of one kind of the caller's tenant. */
export async function loadRecords<K extends BaseDataKind>(store: Store, kind: K): Promise<{ records: BaseDataRecords[K][]; writtenAt: number[] }> {
  const items = await store.query(RecordItem, { index: 'GSI2', pk: basedataKeys.list(useTenant(), kind) });
  const schema = schemaOf(kind);
  return { records: items.map((i) => schema.parse(i.data)), writtenAt: items.map((i) => i.v) };
}

/** The caller's tenant's base-data version item (all zeros before the first import). */
async function versionItem(store: Store): Promise<Record<string, unknown> | undefined> {
  return await store.get(VersionItem, basedataKeys.version(useTenant()));
}

const stampOf = (item: Record<string, unknown> | undefined): string =>
  canonical(Object.fromEntries(Object.entries(item ?? {}).filter(([k, v]) => typeof v === 'number' && (k === 'version' || /^(count|v|written)_/.test(k)))));

interface CacheEntry {
  stamp: string;
  index: Promise<SpatialIndex>;
}
const cache = new Map<string, CacheEntry>();
const LOAD_ATTEMPTS = 3;

/**
 * The caller's tenant's spatial index, from the in-process cache when the version item is unchanged (one
 * consistent GetItem per call), otherwise loaded with one query per kind. GSI2 is eventually consistent in
 * DynamoDB, so a load is cached only if it shows what the last import of each kind wrote (its count and the
 * items stamped with its version); otherwise it is retried, and served uncached if still behind.
 */
/** How long a process trusts its cached index without re-reading the version item (imports are rare). */
const VERSION_CHECK_MS = 5_000;
const checkedAt = new Map<string, number>();

export async function loadIndex(store: Store): Promise<SpatialIndex> {
  const tenant = useTenant();
  const key = `${store.tableName}#${tenant}`;
  const recent = cache.get(key);
  if (recent && Date.now() - (checkedAt.get(key) ?? 0) < VERSION_CHECK_MS) {
    store.assertAllowed(basedataKeys.version(tenant).PK, 'read');
    return await recent.index;
  }
  checkedAt.set(key, Date.now());
  const item = await versionItem(store);
  const stamp = stampOf(item);
  const hit = cache.get(key);
  if (hit && hit.stamp === stamp) return await hit.index;

  const build = (async (): Promise<SpatialIndex> => {
    for (let attempt = 1; ; attempt++) {
      const loaded = await Promise.all(BaseDataKind.options.map(async (kind) => [kind, await loadRecords(store, kind)] as const));
      const behind = loaded.filter(([kind, { records, writtenAt }]) => {
        const s = kindStamp(item, kind);
        return s !== undefined && (records.length !== s.count || writtenAt.filter((v) => v === s.v).length !== s.written);
      });
      const data = Object.fromEntries(loaded.map(([kind, { records }]) => [kind, records])) as BaseDataSet;
      const index = new SpatialIndex(data, VersionItem.parse(item ?? {}).version);
      if (behind.length === 0) return index;
      if (attempt >= LOAD_ATTEMPTS) {
        logger.warn('base data index loaded behind the version item; not cached', { tenant, kinds: behind.map(([k]) => k) });
        cache.delete(key);
        return index;
      }
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  })();
  cache.set(key, { stamp, index: build });
  try {
    return await build;
  } catch (err) {
    cache.delete(key);
    throw err;
  }
}

/** Forget cached indexes (tests, or after a restore). */
export function clearIndexCache(): void {
  checkedAt.clear();
  cache.clear();
}

/**
 * Validate an import body against the caller's tenant (bounds and departments from its manifest, grids from its
 * current index) and store what passed: what an HTTP import route calls.
 */
export async function importBody<K extends BaseDataKind>(
  store: Store,
  kind: K,
  body: unknown,
  opts: { mode?: ImportMode; prune?: boolean; crs?: string } = {},
): Promise<ImportReport> {
  requireRole('tenant-admin');
  const tenant = useTenant();
  const manifest = await tenantManifest(store, tenant);
  const needsGrids = kind === 'components' || kind === 'addresses' || kind === 'evaluation-grids';
  const ctx: ImportContext = {
    tenant,
    bounds: manifest.bounds,
    departments: manifest.departments.map((d) => d.code),
    ...(needsGrids ? { grids: await loadIndex(store) } : {}),
  };
  const mode = opts.mode ?? 'valid-only';
  const result = validateImport(kind, body, ctx, { mode, ...(opts.crs ? { crs: opts.crs } : {}) });
  const nothing = result.records.length === 0 && !(opts.prune && result.issues.length === 0);
  const stored = nothing
    ? { created: 0, updated: 0, unchanged: 0, deleted: 0, version: VersionItem.parse((await versionItem(store)) ?? {}).version }
    : await importBaseData(store, kind, result.records, { prune: (opts.prune ?? false) && result.issues.length === 0 });
  return {
    kind,
    mode,
    total: result.total,
    accepted: result.records.length,
    rejected: result.rejected,
    issues: result.issues,
    ...stored,
  };
}
