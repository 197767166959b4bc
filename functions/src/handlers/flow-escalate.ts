/** Lambda entry of the flows' "escalate" task; the local runner calls the same core. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { escalate } from '../flows/task-handlers';
import { logger } from '../shared/logger';
import { store } from './runtime';

export const handler = middy(async (event: unknown) => await escalate(store, event, new Date())).use(injectLambdaContext(logger));
