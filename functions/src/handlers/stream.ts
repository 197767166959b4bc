/** Lambda entry of the table's stream: province rollups, with Powertools partial-batch failures. */
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { applyStreamRecord } from '../rollups/rollups';
import { logger } from '../shared/logger';
import { store } from './runtime';

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

export const handler = middy(async (event: DynamoDBStreamEvent) => await handleStreamBatch(event, (r) => applyStreamRecord(store, r))).use(
  injectLambdaContext(logger),
);
