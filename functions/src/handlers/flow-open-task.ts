/** Lambda entry of the flows' "open-task" task; the local runner calls the same core. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { openHumanTask } from '../flows/task-handlers';
import { logger } from '../shared/logger';
import { gateway, store } from './runtime';

export const handler = middy(async (event: unknown) => await openHumanTask(store, gateway, event, new Date())).use(injectLambdaContext(logger));
