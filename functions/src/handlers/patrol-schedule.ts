/**
 * Scheduled (EventBridge, every 5 minutes): the MON-5 patrol schedule for every tenant of the deployment's
 * provinces (PROVINCE_CODES, default 430000) — new tasks of each plan cycle and overdue marks; what the local
 * stack runs on an interval.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Store } from '../data/store';
import { asSystem } from '../flows/task-handlers';
import { runPatrolSchedule } from '../patrol/schedule';
import { logger } from '../shared/logger';
import { listProvinceTenants } from '../tenants/tenants';

type Run = (store: Store, tenant: string, now: Date) => Promise<{ generated: number; overdue: number }>;

/** One run over every tenant; one tenant's failure does not stop the others. */
export async function patrolScheduleAll(store: Store, provinces: string[], now: Date, run: Run = runPatrolSchedule): Promise<Record<string, { generated: number; overdue: number }>> {
  const out: Record<string, { generated: number; overdue: number }> = {};
  for (const province of provinces) {
    const tenants = await asSystem(province, () => listProvinceTenants(store));
    for (const t of tenants) {
      if (t.level === 'province') continue;
      out[t.code] = await asSystem(t.code, () => run(store, t.code, now)).catch((err: Error) => {
        logger.error('patrol schedule failed', { tenant: t.code, error: err.message });
        return { generated: 0, overdue: 0 };
      });
    }
  }
  return out;
}

export const handler = middy(async () => {
  const { store } = await import('./runtime');
  const provinces = (process.env.PROVINCE_CODES ?? '430000').split(',').map((s) => s.trim()).filter(Boolean);
  const result = await patrolScheduleAll(store, provinces, new Date());
  logger.info('patrol schedule', { result });
  return result;
}).use(injectLambdaContext(logger));
