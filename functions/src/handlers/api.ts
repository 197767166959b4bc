/** Lambda entry of the HTTP API: the same Hono app as locally, as middy(handle(app)). */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { handle } from 'hono/aws-lambda';
import { createApp } from '../api/app';
import { logger } from '../shared/logger';
import { awsAppDeps, flushLive } from './runtime';

const app = createApp(await awsAppDeps());

// Alarm changes made by a request (acknowledge, dispose) are published before the response leaves (ADR 009).
export const handler = middy(handle(app)).use(injectLambdaContext(logger)).use(flushLive());
