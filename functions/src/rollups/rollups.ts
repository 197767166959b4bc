/**
 * Province rollups from the table's stream: per-tenant counters (e.g. supervision items by status) that the
 * province sums on read, instead of one hot province item or copies of tenant records. Each stream record is
 * applied once: a marker item keyed by the record's event id commits in the same transaction as the counters
 * (streams deliver at least once).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { z } from 'zod';
import { provinceOf } from '../../../contracts';
import { keys, tenantOfKey } from '../data/keys';
import { isConditionFailure, type Store, type TxItem } from '../data/store';
import { asSystem } from '../flows/task-handlers';
import { useProvince } from '../tenancy/context';

const Image = z.object({ PK: z.string(), entity: z.string().optional(), status: z.string().optional() }).passthrough();
type Image = z.infer<typeof Image>;

/** Which counters an item change moves: +1 for the new state, -1 for the old. */
export function counterDeltas(oldImage: Image | undefined, newImage: Image | undefined): Map<string, number> {
  const deltas = new Map<string, number>();
  const metric = (img: Image | undefined) => (img?.entity === 'supervision' && img.status ? `supervision#${img.status}` : undefined);
  const before = metric(oldImage);
  const after = metric(newImage);
  if (before === after) return deltas;
  if (before) deltas.set(before, -1);
  if (after) deltas.set(after, (deltas.get(after) ?? 0) + 1);
  return deltas;
}

/**
 * Only the attributes the counters need are read from a stream image (not the whole item: images of other
 * entities may hold values the unmarshaller cannot read, and the rollup has no business with them).
 */
const parseImage = (img: Record<string, AttributeValue> | undefined): Image | undefined => {
  if (!img) return undefined;
  const str = (name: string) => (img[name] && 'S' in img[name] ? img[name].S : undefined);
  return Image.parse({ PK: str('PK'), entity: str('entity'), status: str('status') });
};

/** Apply one stream record; returns false when it was already applied (a redelivery). */
export async function applyStreamRecord(store: Store, record: DynamoDBRecord): Promise<boolean> {
  const oldImage = parseImage(record.dynamodb?.OldImage as Record<string, AttributeValue> | undefined);
  const newImage = parseImage(record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined);
  const pk = newImage?.PK ?? oldImage?.PK;
  const tenant = pk ? tenantOfKey(pk) : undefined;
  if (!tenant || !record.eventID) return true;
  const deltas = counterDeltas(oldImage, newImage);
  if (deltas.size === 0) return true;
  return await asSystem(tenant, async () => {
    const items: TxItem[] = [
      {
        Put: {
          Item: { ...keys.streamMarker(tenant, record.eventID!), expiresAt: Math.floor(Date.now() / 1000) + 2 * 86400 },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      ...[...deltas].map(([metric, n]): TxItem => ({
        Update: {
          Key: keys.rollup(tenant, metric),
          UpdateExpression: 'ADD #v :n SET GSI1PK = :p, GSI1SK = :sk, tenant = :t, metric = :m',
          ExpressionAttributeNames: { '#v': 'value' },
          ExpressionAttributeValues: { ':n': n, ':p': keys.provinceRollups(provinceOf(tenant)), ':sk': `${metric}#${tenant}`, ':t': tenant, ':m': metric },
        },
      })),
    ];
    try {
      await store.transact(items);
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  });
}

const Rollup = z.object({ tenant: z.string(), metric: z.string(), value: z.number() });

/** Province: counters summed over its tenants, and per tenant. */
export async function provinceRollups(store: Store): Promise<{ totals: Record<string, number>; byTenant: Record<string, Record<string, number>> }> {
  const rows = await store.query(Rollup, { index: 'GSI1', pk: keys.provinceRollups(useProvince()) });
  const totals: Record<string, number> = {};
  const byTenant: Record<string, Record<string, number>> = {};
  for (const r of rows) {
    totals[r.metric] = (totals[r.metric] ?? 0) + r.value;
    (byTenant[r.tenant] ??= {})[r.metric] = r.value;
  }
  return { totals, byTenant };
}
