/** Lambda entry of the case flow's "escalate-case-step" task; the local runner calls the same core. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { escalateCaseStep } from '../cases/flow-tasks';
import { logger } from '../shared/logger';
import { store } from './runtime';

export const handler = middy(async (event: unknown) => await escalateCaseStep(store, event, new Date())).use(injectLambdaContext(logger));
