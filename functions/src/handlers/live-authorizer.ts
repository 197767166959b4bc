/**
 * Lambda entry of the IoT Core custom authorizer of the monitoring screens (ADR 009). A screen connects over
 * MQTT/WSS naming this authorizer in the URL query and sending its platform token as the MQTT password
 * (IoT Core hands it over base64-encoded). The token is verified by the API's own verifier; tenant and roles
 * come from it alone. The answer is a policy from `livePolicy`: connect with the user's client id prefix,
 * subscribe to and receive the tenant's live topics (a province user: its province's), never publish.
 *
 * A connection never outlives its token: it is cut when the token expires (disconnectAfterInSeconds), and a
 * token with less than IoT Core's minimum of 300 s left is refused (the screen retries with a fresh one).
 * The policy is re-evaluated every 300 s (refreshAfterInSeconds).
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { decodeJwt } from 'jose';
import { z } from 'zod';
import { createVerifier, type Verifier } from '../auth/verify';
import { staffIssuer } from '../auth/staff-issuer';
import { loadConfig } from '../config';
import { liveClientKey, livePolicy, liveScope, type ArnParts, type IotPolicy } from '../monitoring/live-access';
import { DomainError } from '../shared/errors';
import { logger } from '../shared/logger';

/** IoT Core's bounds for disconnectAfterInSeconds and refreshAfterInSeconds. */
export const MIN_CONNECTION_SECONDS = 300;
export const MAX_CONNECTION_SECONDS = 86_400;

/** The part of the authorizer event used here (https://docs.aws.amazon.com/iot/latest/developerguide/custom-auth-lambda.html). */
export const IotAuthorizerEvent = z.object({
  protocols: z.array(z.string()).optional(),
  protocolData: z
    .object({ mqtt: z.object({ username: z.string().optional(), password: z.string().optional(), clientId: z.string().optional() }).optional() })
    .optional(),
  connectionMetadata: z.object({ id: z.string() }).optional(),
});

export interface IotAuthorizerResponse {
  isAuthenticated: boolean;
  /** 1–128 letters and digits. */
  principalId: string;
  disconnectAfterInSeconds: number;
  refreshAfterInSeconds: number;
  policyDocuments: IotPolicy[];
}

const deny = (): IotAuthorizerResponse => ({
  isAuthenticated: false,
  principalId: 'denied',
  disconnectAfterInSeconds: MIN_CONNECTION_SECONDS,
  refreshAfterInSeconds: MIN_CONNECTION_SECONDS,
  policyDocuments: [],
});

/** Partition, region and account of the authorizer's own ARN: the policy's resources are in the same account. */
export function arnPartsOf(functionArn: string): ArnParts {
  const [, partition, , region, account] = functionArn.split(':');
  if (!partition || !region || !account) throw new Error('not a function ARN');
  return { partition, region, account };
}

export interface LiveAuthorizerOptions {
  verify: Verifier;
  now?: () => Date;
}

/** The authorizer as a plain function of (event, invoked function ARN). */
export function createLiveAuthorizer(opts: LiveAuthorizerOptions) {
  const now = opts.now ?? (() => new Date());
  return async (raw: unknown, functionArn: string): Promise<IotAuthorizerResponse> => {
    const event = IotAuthorizerEvent.safeParse(raw);
    const connection = event.success ? event.data.connectionMetadata?.id : undefined;
    const refuse = (reason: string) => {
      // No token, no subject: only the connection id and why.
      logger.info('live connection refused', { connection, reason });
      return deny();
    };
    const password = event.success ? event.data.protocolData?.mqtt?.password : undefined;
    if (!password) return refuse('NO_TOKEN');
    const token = Buffer.from(password, 'base64').toString('utf8').trim();
    let principal;
    try {
      principal = await opts.verify(token);
    } catch (err) {
      return refuse(err instanceof DomainError ? err.code : 'TOKEN_INVALID');
    }
    const scope = liveScope(principal);
    if (!scope) return refuse('FORBIDDEN_ROLE');
    // The verifier accepted the signature, so the expiry it carries is the issuer's.
    const exp = decodeJwt(token).exp;
    const left = typeof exp === 'number' ? Math.floor(exp - now().getTime() / 1000) : 0;
    if (left < MIN_CONNECTION_SECONDS) return refuse('TOKEN_EXPIRES_SOON');
    logger.info('live connection allowed', { connection, tenant: principal.tenant, scope: scope.kind });
    return {
      isAuthenticated: true,
      principalId: liveClientKey(principal),
      disconnectAfterInSeconds: Math.min(left, MAX_CONNECTION_SECONDS),
      refreshAfterInSeconds: MIN_CONNECTION_SECONDS,
      policyDocuments: [livePolicy(arnPartsOf(functionArn), principal, scope)],
    };
  };
}

// Staff tokens only: citizens have no monitoring screens, so the citizen issuer is not configured here.
const authorize = createLiveAuthorizer({ verify: createVerifier([staffIssuer(loadConfig())]) });

export const handler = middy(async (event: unknown, context: { invokedFunctionArn: string }) => await authorize(event, context.invokedFunctionArn)).use(
  injectLambdaContext(logger),
);
