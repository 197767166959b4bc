/**
 * Feeds DynamoDB Local's stream to the same stream handler Lambda runs in AWS: reads each shard in order,
 * hands batches shaped like a DynamoDBStreamEvent to the handler, retries from the first reported failure
 * (like Lambda's ReportBatchItemFailures) and checkpoints per shard (a file under .data/), so a restart resumes.
 */
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ExpiredIteratorException,
  TrimmedDataAccessException,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent, DynamoDBBatchResponse } from 'aws-lambda';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Log } from '../../functions/src/shared/logger';
import { localClientConfig } from './dynamo';

export interface StreamPoller {
  stop(): Promise<void>;
  stats(): { delivered: number; failures: number; skipped: number; lagMs: number; ok: boolean };
}

/**
 * Where each shard was read up to. Kept outside the table on purpose: a checkpoint written into the table
 * would itself appear on the stream and keep the poller busy forever.
 */
export interface CheckpointStore {
  get(shardId: string): string | undefined;
  set(shardId: string, sequenceNumber: string): void;
}

/** Checkpoints in a JSON file (under .data/), or only in memory when `file` is null (tests). */
export function fileCheckpoints(file: string | null): CheckpointStore {
  let state: Record<string, string> = {};
  if (file && existsSync(file)) {
    try {
      state = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    } catch {
      state = {}; // a damaged checkpoint file only means records are delivered again; handlers are idempotent
    }
  }
  return {
    get: (shardId) => state[shardId],
    set(shardId, seq) {
      state[shardId] = seq;
      if (!file) return;
      writeFileSync(`${file}.tmp`, JSON.stringify(state));
      renameSync(`${file}.tmp`, file);
    },
  };
}

export function startStreamPoller(opts: {
  endpoint: string;
  streamArn: string;
  checkpoints: CheckpointStore;
  handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;
  logger: Log;
  idleMs?: number;
}): StreamPoller {
  const streams = new DynamoDBStreamsClient(localClientConfig(opts.endpoint));
  const idleMs = opts.idleMs ?? 200;
  let running = true;
  let delivered = 0;
  let failures = 0;
  let lastRecordAt = Date.now();
  let lastError: string | undefined;
  let skipped = 0;
  /** Failed attempts per sequence number; a record is skipped after MAX_ATTEMPTS. */
  const attempts = new Map<string, number>();
  const MAX_ATTEMPTS = 3;
  const active = new Map<string, Promise<void>>();
  /** Closed shards read to their end. */
  const finished = new Set<string>();


  const toEvent = (records: _Record[]): DynamoDBStreamEvent => ({
    Records: records.map((r) => ({
      eventID: r.eventID,
      eventName: r.eventName as 'INSERT' | 'MODIFY' | 'REMOVE',
      eventSource: 'aws:dynamodb',
      eventVersion: '1.1',
      awsRegion: 'local',
      eventSourceARN: opts.streamArn,
      dynamodb: r.dynamodb as DynamoDBStreamEvent['Records'][number]['dynamodb'],
    })),
  });

  async function pollShard(shardId: string): Promise<void> {
    const after = opts.checkpoints.get(shardId);
    let iterator = (
      await streams.send(
        new GetShardIteratorCommand({
          StreamArn: opts.streamArn,
          ShardId: shardId,
          ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      )
    ).ShardIterator;
    while (running && iterator) {
      const r = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
      const records = r.Records ?? [];
      if (records.length > 0) {
        const result = await opts.handler(toEvent(records)).catch((err: Error) => {
          opts.logger.error('stream handler threw', { error: { name: err.name, message: err.message.slice(0, 300) } });
          return { batchItemFailures: [{ itemIdentifier: records[0]?.dynamodb?.SequenceNumber ?? '' }] };
        });
        const failed = result?.batchItemFailures?.[0]?.itemIdentifier;
        const okRecords = failed ? records.slice(0, Math.max(0, records.findIndex((x) => x.dynamodb?.SequenceNumber === failed))) : records;
        delivered += okRecords.length;
        lastRecordAt = Date.now();
        const lastOk = okRecords.at(-1)?.dynamodb?.SequenceNumber;
        if (lastOk) opts.checkpoints.set(shardId, lastOk);
        if (failed) {
          failures++;
          const tries = (attempts.get(failed) ?? 0) + 1;
          attempts.set(failed, tries);
          const poisoned = records.find((x) => x.dynamodb?.SequenceNumber === failed);
          if (tries >= MAX_ATTEMPTS && poisoned) {
            // Like Lambda's MaximumRetryAttempts with an on-failure destination: give up on this record, say so, go on.
            opts.logger.error('stream record failed repeatedly; skipped', { sequenceNumber: failed, keys: poisoned.dynamodb?.Keys, attempts: tries });
            skipped++;
            attempts.delete(failed);
            opts.checkpoints.set(shardId, failed);
          } else {
            // Re-read from the first failure after a pause, like Lambda retrying the rest of the batch.
            await new Promise((res) => setTimeout(res, 1000));
          }
          return await pollShard(shardId);
        }
      } else {
        await new Promise((res) => setTimeout(res, idleMs));
      }
      iterator = r.NextShardIterator;
    }
    if (running && !iterator) finished.add(shardId);
  }

  async function loop(): Promise<void> {
    while (running) {
      try {
        const d = await streams.send(new DescribeStreamCommand({ StreamArn: opts.streamArn }));
        for (const shard of d.StreamDescription?.Shards ?? []) {
          const id = shard.ShardId;
          if (!id || active.has(id) || finished.has(id)) continue;
          // Shards are read parent first: a child waits until its parent is drained.
          if (shard.ParentShardId && active.has(shard.ParentShardId)) continue;
          const p = pollShard(id)
            .catch((err: Error) => {
              if (!(err instanceof ExpiredIteratorException || err instanceof TrimmedDataAccessException)) {
                lastError = err.message;
                if (running) opts.logger.error('stream shard failed', { shardId: id, error: err.message });
              }
            })
            .finally(() => {
              if (running) active.delete(id);
            });
          active.set(id, p);
        }
        lastError = undefined;
      } catch (err) {
        lastError = (err as Error).message;
        if (running) opts.logger.warn('stream describe failed', { error: lastError });
      }
      await new Promise((res) => setTimeout(res, 2000));
    }
  }
  const main = loop();

  return {
    async stop() {
      running = false;
      await Promise.race([Promise.allSettled([main, ...active.values()]), new Promise((r) => setTimeout(r, 3000))]);
      streams.destroy();
    },
    stats: () => ({ delivered, failures, skipped, lagMs: Date.now() - lastRecordAt, ok: lastError === undefined && skipped === 0 }),
  };
}
