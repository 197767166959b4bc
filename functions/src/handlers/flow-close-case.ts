/** Lambda entry of the case flow's "close-case" task; the local runner calls the same core. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { closeCase } from '../cases/flow-tasks';
import { logger } from '../shared/logger';
import { store } from './runtime';

export const handler = middy(async (event: unknown) => await closeCase(store, event, new Date())).use(injectLambdaContext(logger));
