/** Lambda entry of the table's stream: province rollups and case-flow starts, with Powertools partial-batch failures. */
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { startCaseFlowFromRecord } from '../cases/flow-start';
import type { WorkflowGateway } from '../flows/gateway';
import { applyStreamRecord } from '../rollups/rollups';
import type { Store } from '../data/store';
import { logger } from '../shared/logger';
import { gateway, store } from './runtime';

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
export const streamReactions = (store: Store, gateway: WorkflowGateway) => async (record: DynamoDBRecord) => {
  await applyStreamRecord(store, record);
  await startCaseFlowFromRecord(gateway, record);
};

export const handler = middy(async (event: DynamoDBStreamEvent) => await handleStreamBatch(event, streamReactions(store, gateway))).use(
  injectLambdaContext(logger),
);
