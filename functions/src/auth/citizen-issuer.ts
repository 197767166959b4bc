/**
 * The platform's own issuer for citizens: after WeChat's code2Session names the user (openid), the platform
 * signs a short-lived token with the `citizen` role for the tenant whose mini-program they use. The openid is
 * never put in the token in clear: the subject is a keyed hash of it.
 */
import { createHmac } from 'node:crypto';
import { SignJWT, createLocalJWKSet, importJWK, type JWK } from 'jose';
import { DEFAULT_CLAIMS } from '../../../contracts';
import type { IssuerConfig } from './verify';

export interface CitizenIssuer {
  issue(tenant: string, openid: string): Promise<{ token: string; expiresIn: number }>;
  verifierConfig(): IssuerConfig;
}

export async function createCitizenIssuer(opts: { issuer: string; privateJwk: JWK; publicJwk: JWK; ttlSeconds?: number }): Promise<CitizenIssuer> {
  const key = await importJWK(opts.privateJwk, 'ES256');
  const ttl = opts.ttlSeconds ?? 2 * 3600;
  const kid = opts.publicJwk.kid ?? 'citizen';
  const subjectOf = (openid: string) => `wx:${createHmac('sha256', JSON.stringify(opts.privateJwk.d)).update(openid).digest('hex').slice(0, 24)}`;
  return {
    async issue(tenant, openid) {
      const token = await new SignJWT({ [DEFAULT_CLAIMS.tenant]: tenant, [DEFAULT_CLAIMS.roles]: ['citizen'] })
        .setProtectedHeader({ alg: 'ES256', kid })
        .setIssuer(opts.issuer)
        .setAudience('cityops-citizen')
        .setSubject(subjectOf(openid))
        .setIssuedAt()
        .setExpirationTime(`${ttl}s`)
        .sign(key);
      return { token, expiresIn: ttl };
    },
    verifierConfig: () => ({
      issuer: opts.issuer,
      audience: 'cityops-citizen',
      keys: createLocalJWKSet({ keys: [{ ...opts.publicJwk, kid, alg: 'ES256' }] }),
      claims: { ...DEFAULT_CLAIMS },
      kind: 'citizen',
    }),
  };
}
