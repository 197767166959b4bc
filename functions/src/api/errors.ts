/** The one error mapper: DomainError → its status and bilingual message; anything else → 500 with a request id. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ERRORS, type ErrorBody, type ErrorCode } from '../../../contracts';
import { DomainError, type ErrorDetail } from '../shared/errors';
import { logger as rootLogger } from '../shared/logger';
import type { Env } from './env';

export function errorBody(code: ErrorCode, requestId: string, details?: ErrorDetail[]): ErrorBody {
  const e = ERRORS[code];
  return { error: { code, message: { zh: e.zh, en: e.en }, requestId, ...(details?.length ? { details } : {}) } };
}

export function errorResponse(c: Context<Env>, code: ErrorCode, details?: ErrorDetail[]): Response {
  return c.json(errorBody(code, c.var.requestId ?? 'unknown', details), ERRORS[code].status as ContentfulStatusCode);
}

export function onError(err: Error, c: Context<Env>): Response {
  const log = c.var.log ?? rootLogger;
  if (err instanceof DomainError) {
    if (err.status >= 500) log.error('request failed', { code: err.code, reason: err.internal });
    else log.info('request refused', { code: err.code, reason: err.internal });
    return errorResponse(c, err.code, err.details);
  }
  // Name, message and where: error objects can carry request data, which must not reach the logs.
  log.error('unhandled error', { error: { name: err.name, message: err.message.slice(0, 300), stack: err.stack?.split('\n').slice(0, 6).join('\n') } });
  return errorResponse(c, 'INTERNAL');
}
