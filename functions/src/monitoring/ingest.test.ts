/**
 * MON-1 ingest against DynamoDB Local: a batch whose writes fail is retried whole — its messages are not
 * mistaken for duplicates of what only memory saw — and its dead letters are written once.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { testTable } from '../../../test/support/dynamo';
import { keys } from '../data/keys';
import { Store, type Item } from '../data/store';
import { deviceItem } from '../devices/devices';
import { asSystem } from '../flows/task-handlers';
import { DEFAULT_INGEST, TelemetryIngest } from './ingest';

const T = '430100';
const envelope = (deviceId: string, payload: string, receivedAt: number) => ({ payload: Buffer.from(payload).toString('base64'), tenant: T, deviceId, channel: 'telemetry' as const, receivedAt });

/** A store whose batch writes fail while `failing` is set (a throttled table, a lost connection). */
class FlakyStore extends Store {
  failing = false;
  override async batchPut(items: Item[]): Promise<void> {
    if (this.failing) throw new Error('ProvisionedThroughputExceededException');
    await super.batchPut(items);
  }
}

describe('MON-1 telemetry ingest retries', () => {
  it('a batch that failed to write counts in full when it comes again, and its dead letter is kept once', async () => {
    // Prepare
    const t = await testTable('ingest');
    const store = new FlakyStore({ client: t.client, tableName: t.tableName });
    await asSystem(T, () => store.put(deviceItem({ tenant: T, id: 'dl-retry-1', kind: 'drainage-level', name: '液位计', location: { lng: 112.98, lat: 28.2 }, status: 'active', registeredAt: '2026-11-25T00:00:00.000Z' })));
    const ingest = new TelemetryIngest(store, undefined, DEFAULT_INGEST);
    const now = Date.now();
    const batch = [
      envelope('dl-retry-1', JSON.stringify({ seq: 1, ts: new Date(now).toISOString(), readings: { levelM: 0.2 } }), now),
      envelope('dl-retry-1', JSON.stringify({ seq: 2, ts: new Date(now + 1000).toISOString(), readings: { levelM: 0.3 } }), now + 1),
      envelope('dl-retry-1', '{broken', now + 2),
    ];
    // Act
    store.failing = true;
    const failed = await ingest.ingest(batch);
    store.failing = false;
    const again = await ingest.ingest(batch);
    // Assess
    expect(failed).toEqual([0, 1, 2]);
    expect(again).toEqual([]);
    expect(ingest.stats).toMatchObject({ received: 3, accepted: 2, duplicates: 0, deadLettered: 1 });
    expect(ingest.cachedState(T, 'dl-retry-1')).toMatchObject({ lastSeq: 2, readings: { levelM: 0.3 } });
    await ingest.ingest(batch); // a redelivery of the same batch: duplicates, and the same dead letter
    const dead = await asSystem(T, () => store.query(z.looseObject({}), { pk: keys.deadLetters(T) }));
    expect(dead).toHaveLength(1);
    expect(ingest.stats).toMatchObject({ accepted: 2, duplicates: 2 });
  });
});
