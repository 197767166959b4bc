/**
 * Lambda entry of the telemetry queue (IoT rule → SQS, batched): each body is a `RuleEnvelope`; the batch goes to
 * the same TelemetryIngest the local stack runs, and the messages of a part that failed (a tenant's part, or one
 * device whose state another container wrote meanwhile) are reported back (partial batch response), so SQS
 * redelivers only those. A body that is not an envelope at all (a rule misconfigured) is reported failed too and
 * ends in the queue's DLQ after its retries, never dropped.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { RuleEnvelope } from '../devices/telemetry-rules';
import { DEFAULT_INGEST, TelemetryIngest } from '../monitoring/ingest';
import { logger } from '../shared/logger';
import { flushLive, liveEvents, store } from './runtime';

// Per container: device and rule caches, and states as a cache only (written after every batch, each over the
// version it was folded from: other containers consume the same standard queue, ADR 008). Live changes
// go to IoT Core topics (ADR 009), coalesced per batch and sent before the invocation ends.
const ingest = new TelemetryIngest(store, liveEvents, DEFAULT_INGEST);

export async function handleTelemetryBatch(event: SQSEvent, target: Pick<TelemetryIngest, 'ingest'> = ingest): Promise<SQSBatchResponse> {
  const failures: string[] = [];
  const envelopes: RuleEnvelope[] = [];
  const ids: string[] = [];
  for (const r of event.Records) {
    let parsed: ReturnType<typeof RuleEnvelope.safeParse> | undefined;
    try {
      parsed = RuleEnvelope.safeParse(JSON.parse(r.body));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) {
      logger.error('not a rule envelope', { messageId: r.messageId });
      failures.push(r.messageId);
      continue;
    }
    envelopes.push(parsed.data);
    ids.push(r.messageId);
  }
  const failed = await target.ingest(envelopes);
  failures.push(...failed.map((i) => ids[i]!));
  return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
}

export const handler = middy(async (event: SQSEvent) => await handleTelemetryBatch(event))
  .use(injectLambdaContext(logger))
  .use(flushLive());
