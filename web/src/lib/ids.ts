/** Idempotency keys: generated once per draft and re-sent on retry, so a repeated submit never doubles a record. */
import { randomToken } from '../auth/oidc';

/**
 * A fresh client id (`^[A-Za-z0-9_-]{8,64}$`). getRandomValues, not randomUUID: the latter needs a secure
 * context, and intranet deployments may be plain http.
 */
export const newClientId = (): string => randomToken(16);
