/**
 * The staff OIDC issuer as configured by the environment (issuer, audience, JWKS, claim names): the API and the
 * IoT Core live authorizer verify staff tokens with the same settings and the same verifier (verify.ts).
 */
import { createRemoteJWKSet } from 'jose';
import type { Config } from '../config';
import type { IssuerConfig } from './verify';

export function staffIssuer(config: Config, env: NodeJS.ProcessEnv = process.env): IssuerConfig {
  return {
    issuer: config.OIDC_ISSUER,
    audience: config.OIDC_AUDIENCE,
    keys: createRemoteJWKSet(new URL(env.OIDC_JWKS_URI ?? `${config.OIDC_ISSUER}/.well-known/jwks.json`)),
    claims: { tenant: config.CLAIM_TENANT, roles: config.CLAIM_ROLES, department: config.CLAIM_DEPARTMENT, name: 'name' },
    kind: 'staff',
  };
}
