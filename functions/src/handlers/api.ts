/** Lambda entry of the HTTP API: the same Hono app as locally, as middy(handle(app)). */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { handle } from 'hono/aws-lambda';
import { createApp } from '../api/app';
import { logger } from '../shared/logger';
import { awsAppDeps } from './runtime';

const app = createApp(await awsAppDeps());

export const handler = middy(handle(app)).use(injectLambdaContext(logger));
