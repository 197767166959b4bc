/**
 * DomainError: an expected failure with a stable code from contracts. The API maps it to the code's HTTP
 * status and its Chinese and English messages; anything else is a 500 with a request id.
 */
import { ERRORS, type ErrorCode } from '../../../contracts';

export interface ErrorDetail {
  path: string;
  message: string;
}

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: ErrorCode,
    readonly details?: ErrorDetail[],
    /** Log-only context (never sent to the client). */
    readonly internal?: string,
  ) {
    super(`${code}: ${ERRORS[code].en}${internal ? ` (${internal})` : ''}`);
  }

  get status(): number {
    return ERRORS[this.code].status;
  }
}
