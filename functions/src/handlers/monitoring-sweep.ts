/**
 * Scheduled (every minute, EventBridge): offline detection and silent buckets for every tenant of the
 * deployment's provinces (PROVINCE_CODES, default 430000) — what the local stack does on an interval.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { asSystem } from '../flows/task-handlers';
import { DEFAULT_INGEST, TelemetryIngest } from '../monitoring/ingest';
import { logger } from '../shared/logger';
import { listProvinceTenants } from '../tenants/tenants';
import { flushLive, liveEvents, store } from './runtime';

// Devices going offline and offline alarms reach the screens through IoT Core topics (ADR 009). States are read
// from the table and written back over the version read, like the ingest's: a device an ingest container wrote
// meanwhile is left to the next sweep (ADR 008).
const ingest = new TelemetryIngest(store, liveEvents, DEFAULT_INGEST);

export async function sweepAll(provinces: string[], target: Pick<TelemetryIngest, 'sweep'> = ingest): Promise<Record<string, number>> {
  const raised: Record<string, number> = {};
  for (const province of provinces) {
    const tenants = await asSystem(province, () => listProvinceTenants(store));
    for (const t of tenants) {
      // One tenant's failure must not stop offline detection for the others.
      raised[t.code] = await target.sweep(t.code).catch((err: Error) => {
        logger.error('offline sweep failed', { tenant: t.code, error: err.message });
        return 0;
      });
    }
  }
  return raised;
}

export const handler = middy(async () => {
  const raised = await sweepAll((process.env.PROVINCE_CODES ?? '430000').split(',').map((s) => s.trim()).filter(Boolean));
  logger.info('offline sweep', { raised });
  return raised;
})
  .use(injectLambdaContext(logger))
  .use(flushLive());
