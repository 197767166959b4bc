/**
 * MON-1 ingest against DynamoDB Local: a batch whose writes fail is retried whole — its messages are not
 * mistaken for duplicates of what only memory saw — and its dead letters are written once. In AWS two Lambda
 * containers consume one standard queue: a container folding on a stale state writes nothing (not the state, not a
 * bucket, not an alarm) and fails only that device's messages, which succeed when delivered again.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DeviceState, TelemetryAggregate, TenantAlarmRules } from '../../../contracts';
import { testTable } from '../../../test/support/dynamo';
import { keys } from '../data/keys';
import { Store, type Item } from '../data/store';
import { deviceItem } from '../devices/devices';
import { asSystem } from '../flows/task-handlers';
import { AlarmItem, DEFAULT_INGEST, TelemetryIngest } from './ingest';

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

// ---------------------------------------------------------------------------------------------------------
// Two containers, one device

/** 2026-07-01 00:00 UTC: seq 1–15 fall in its first minute, seq 16–30 in the next (one reading every 4 s). */
const BASE = Date.parse('2026-07-01T00:00:00.000Z');
const tsOf = (seq: number) => new Date(BASE + (seq - 1) * 4000).toISOString();
const level = (deviceId: string, seq: number, levelM = seq / 100) => envelope(deviceId, JSON.stringify({ seq, ts: tsOf(seq), readings: { levelM } }), BASE + seq * 4000);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const StoredState = z.object({ state: DeviceState, version: z.number() });
const StoredAggregate = z.object({ aggregate: TelemetryAggregate });

async function gauge(prefix: string, id: string, store?: (t: Awaited<ReturnType<typeof testTable>>) => Store) {
  const t = await testTable(prefix);
  const s = store?.(t) ?? new Store({ client: t.client, tableName: t.tableName });
  await asSystem(T, () => s.put(deviceItem({ tenant: T, id, kind: 'drainage-level', name: '液位计', location: { lng: 112.98, lat: 28.2 }, status: 'active', registeredAt: '2026-06-01T00:00:00.000Z' })));
  const read = {
    state: () => asSystem(T, () => s.get(StoredState, keys.deviceState(T, id))),
    aggregate: (bucketStart: string) => asSystem(T, () => s.get(StoredAggregate, keys.telemetryAggregate(T, id, bucketStart))),
    alarms: () => asSystem(T, () => s.query(AlarmItem, { index: 'GSI1', pk: keys.alarmIndex(T, true) })),
  };
  return { store: s, read };
}

/** What the AWS handler runs in each container: states written after every batch, no background writes. */
const container = (store: Store, now = () => new Date(BASE + 3_600_000)) => new TelemetryIngest(store, undefined, DEFAULT_INGEST, now);

describe('MON-1 two ingest containers on one standard queue (ADR 008)', () => {
  it('a container folding on a stale state fails that device\'s messages; delivered again, every message counts once', async () => {
    // Prepare: B heard the device first (seq 1–3), then A took seq 1–10 over the table's state.
    const { store, read } = await gauge('race', 'dl-race-1');
    const [a, b] = [container(store), container(store)];
    const seqs = (from: number, to: number) => range(from, to).map((n) => level('dl-race-1', n));
    expect(await b.ingest(seqs(1, 3))).toEqual([]);
    expect(await a.ingest(seqs(1, 10))).toEqual([]);
    // Act: B's cache still says seq 3; A's will say seq 10 once B wrote seq 20.
    const staleB = await b.ingest(seqs(11, 20));
    const afterStaleB = await read.state();
    const firstMinute = await read.aggregate(tsOf(1));
    const againB = await b.ingest(seqs(11, 20));
    const staleA = await a.ingest(seqs(21, 30));
    const afterStaleA = await read.state();
    const againA = await a.ingest(seqs(21, 30));
    // Assess
    expect(staleB).toEqual(range(0, 9));
    expect(afterStaleB).toMatchObject({ version: 2, state: { lastSeq: 10 } });
    expect(firstMinute).toBeUndefined(); // B's stale fold closed the first minute with seq 1–3 and 11–15: not written
    expect(againB).toEqual([]);
    expect(staleA).toEqual(range(0, 9));
    expect(afterStaleA).toMatchObject({ version: 3, state: { lastSeq: 20 } });
    expect(againA).toEqual([]);
    const final = await read.state();
    expect(final).toMatchObject({ version: 4, state: { lastSeq: 30, lastTs: tsOf(30), readings: { levelM: 0.3 } } });
    const closed = (await read.aggregate(tsOf(1)))?.aggregate.metrics.levelM;
    const running = final?.state.bucket?.metrics.levelM;
    expect(closed).toMatchObject({ type: 'number', count: 15, min: 0.01, max: 0.15 });
    expect(running).toMatchObject({ type: 'number', count: 15, min: 0.16, max: 0.3 });
    expect(a.stats.accepted + b.stats.accepted).toBe(30);
    expect(a.stats).toMatchObject({ received: 20, accepted: 17, duplicates: 3 });
    expect(b.stats).toMatchObject({ received: 13, accepted: 13, duplicates: 0 });
  });

  it('an alarm raised and escalated by messages that are retried opens one alarm with one raise and one escalation', async () => {
    // Prepare: yellow above 0.8 m, red above 1.5 m, both at once.
    const { store, read } = await gauge('race-alarm', 'dl-race-2');
    const rules = TenantAlarmRules.parse({
      schemaVersion: 1,
      tenant: T,
      rules: [{ id: 'drainage-level-high', kind: 'drainage-level', type: 'threshold', metric: 'levelM', caseTypeCode: '01003', name: { zh: '排水管网液位超限', en: 'High drainage water level' }, levels: [{ level: 'yellow', above: 0.8, forSeconds: 0 }, { level: 'red', above: 1.5, forSeconds: 0 }], opensCaseFrom: null }],
    });
    await asSystem(T, () => store.put({ ...keys.tenantAlarmRules(T), rules }));
    const [a, b] = [container(store), container(store)];
    expect(await b.ingest([level('dl-race-2', 1, 0.2)])).toEqual([]);
    expect(await a.ingest([level('dl-race-2', 2, 0.3)])).toEqual([]);
    const raise = level('dl-race-2', 3, 1.0);
    const escalate = level('dl-race-2', 5, 1.8);
    // Act: B raises on a stale state (nothing may be written), then again on the table's; SQS also hands the raise
    // to A (at least once), whose stale fold raises too. A takes seq 4 (still yellow); B escalates on a stale state,
    // then again on the table's; A gets both again on its stale state, then once more.
    const staleRaise = await b.ingest([raise]);
    const alarmsAfterStale = await read.alarms();
    const raised = await b.ingest([raise]);
    const staleDuplicate = await a.ingest([raise]);
    const duplicate = await a.ingest([raise]);
    const yellow = await a.ingest([level('dl-race-2', 4, 1.1)]);
    const staleEscalate = await b.ingest([escalate]);
    const historyAfterStale = (await read.alarms())[0]?.history.length;
    const escalated = await b.ingest([escalate]);
    const staleRedelivered = await a.ingest([raise, escalate]);
    const redelivered = await a.ingest([raise, escalate]);
    // Assess
    expect([staleRaise, raised, staleDuplicate, duplicate, yellow, staleEscalate, escalated, staleRedelivered, redelivered]).toEqual([[0], [], [0], [], [], [0], [], [0, 1], []]);
    expect(alarmsAfterStale).toEqual([]);
    expect(historyAfterStale).toBe(1);
    const alarms = await read.alarms();
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ level: 'red', status: 'raised', value: 1.8 });
    expect(alarms[0]!.history.map((h) => [h.action, h.level])).toEqual([['raised', 'yellow'], ['escalated', 'red']]);
    expect(a.stats.alarmsRaised + b.stats.alarmsRaised).toBe(1);
    expect(await read.state()).toMatchObject({ state: { lastSeq: 5, rules: { 'drainage-level-high': { level: 'red' } } } });
  });

  it('the sweep does not write over a state an ingest container wrote after the sweep read it', async () => {
    // Prepare: the sweep reads the states; before it writes, a container ingests the device's next message.
    let between: (() => Promise<unknown>) | undefined;
    class RacingStore extends Store {
      override async query<S extends z.ZodType>(schema: S, input: Parameters<Store['query']>[1]): Promise<z.infer<S>[]> {
        const out = await super.query(schema, input);
        if (input.pk !== keys.deviceStates(T)) return out;
        const hook = between;
        between = undefined;
        await hook?.();
        return out;
      }
    }
    const { store, read } = await gauge('race-sweep', 'dl-race-3', (t) => new RacingStore({ client: t.client, tableName: t.tableName }));
    const ingest = container(store);
    const sweeper = container(store, () => new Date(BASE + 10 * 60_000));
    expect(await ingest.ingest(range(1, 5).map((n) => level('dl-race-3', n)))).toEqual([]);
    let wrote: number[] | undefined;
    between = async () => (wrote = await ingest.ingest([level('dl-race-3', 20)])); // seq 20 falls in the second minute: closes the first
    // Act: the sweep would close the silent first minute over seq 5 (and put the state back to seq 5).
    const raised = await sweeper.sweep(T);
    // Assess
    expect(wrote).toEqual([]);
    expect(raised).toBe(0);
    expect(await read.state()).toMatchObject({ version: 2, state: { lastSeq: 20 } });
    expect((await read.aggregate(tsOf(1)))?.aggregate.metrics.levelM).toMatchObject({ count: 5 });
    // The next sweep starts from the table and closes the second minute.
    await sweeper.sweep(T);
    expect(await read.state()).toMatchObject({ version: 3, state: { lastSeq: 20, bucket: { metrics: {} } } });
    expect((await read.aggregate(tsOf(16)))?.aggregate.metrics.levelM).toMatchObject({ count: 1, max: 0.2 });
  });
});
