/** Lambda entry of the table's stream: province rollups, case-flow starts and cases for alarms, with Powertools partial-batch failures. */
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { startCaseFlowFromRecord } from '../cases/flow-start';
import type { CaseEnv } from '../cases/ports';
import { announceAlarm, openCaseForAlarm } from '../monitoring/alarms';
import type { LiveEvents } from '../monitoring/ingest';
import { applyStreamRecord } from '../rollups/rollups';
import { logger } from '../shared/logger';
import { caseEnv, flushLive, liveEvents } from './runtime';

const processor = new BatchProcessor(EventType.DynamoDBStreams);

export const handleStreamBatch = async (event: DynamoDBStreamEvent, apply: (r: DynamoDBRecord) => Promise<unknown>) =>
  await processPartialResponse(
    event,
    async (record: DynamoDBRecord) => {
      try {
        return await apply(record);
      } catch (err) {
        // Keys only: images may hold personal data.
        logger.error('stream record failed', { keys: record.dynamodb?.Keys, error: (err as Error).message });
        throw err;
      }
    },
    processor,
  );

/** Everything one stream record sets off; each reaction is idempotent (records arrive at least once). */
export const streamReactions = (env: CaseEnv, live: LiveEvents) => async (record: DynamoDBRecord) => {
  await applyStreamRecord(env.store, record);
  await startCaseFlowFromRecord(env.gateway, record);
  await openCaseForAlarm(env, live, record);
  await announceAlarm(env.store, record);
};

// Alarms that got their case reach the screens through IoT Core topics (ADR 009), sent before the invocation ends.
export const handler = middy(async (event: DynamoDBStreamEvent) => await handleStreamBatch(event, streamReactions(caseEnv, liveEvents)))
  .use(injectLambdaContext(logger))
  .use(flushLive());
