/**
 * The one Powertools logger. Per request or task a child logger carries the request id and the tenant, so
 * concurrent requests on the local server never mix their keys. No personal data goes into logs.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'cityops',
  logLevel: (process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' || process.env.VITEST ? 'ERROR' : 'INFO')) as 'INFO',
});

export type Log = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

export function childLogger(keys: Record<string, string | undefined>): Logger {
  const child = logger.createChild();
  child.appendPersistentKeys(Object.fromEntries(Object.entries(keys).filter(([, v]) => v !== undefined)));
  return child;
}
