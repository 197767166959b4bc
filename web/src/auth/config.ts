/** GET /v1/config, fetched once per page load (a failed attempt is retried on the next call). */
import { api } from '../api/client';
import type { AppConfig } from '../api/schemas';

let cached: Promise<AppConfig> | undefined;

export function appConfig(): Promise<AppConfig> {
  cached ??= api.config().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

/** Drop the cached answer (tests, or after a deployment switched its sign-in mode). */
export function forgetAppConfig(): void {
  cached = undefined;
}
