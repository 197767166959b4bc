import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLAIMS } from '../../../contracts';
import { DomainError } from '../shared/errors';
import { createVerifier, type IssuerConfig } from './verify';

let cfg: IssuerConfig;
let sign: (claims: Record<string, unknown>, opts?: { iss?: string; aud?: string; exp?: string }) => Promise<string>;

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' };
  cfg = { issuer: 'https://idp.example.gov.cn', audience: 'cityops', keys: createLocalJWKSet({ keys: [jwk] }), claims: { ...DEFAULT_CLAIMS, tenant: 'custom:tenant', roles: 'custom:roles' }, kind: 'staff' };
  sign = async (claims, o = {}) =>
    await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(o.iss ?? cfg.issuer)
      .setAudience(o.aud ?? 'cityops')
      .setSubject('u1')
      .setIssuedAt()
      .setExpirationTime(o.exp ?? '1h')
      .sign(privateKey);
});

const code = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'OK';
  } catch (err) {
    return (err as DomainError).code;
  }
};

describe('token verification with a pluggable issuer (Cognito-style custom claims)', () => {
  it('maps custom:tenant and a comma-separated custom:roles string to a principal', async () => {
    const verify = createVerifier([cfg]);
    const p = await verify(await sign({ 'custom:tenant': '430181', 'custom:roles': 'dispatcher, shift-leader,unknown-role' }));
    expect(p).toMatchObject({ subject: 'u1', tenant: '430181', roles: ['dispatcher', 'shift-leader'], kind: 'staff' });
  });

  it('refuses other issuers, other audiences, expired tokens and tokens without a tenant', async () => {
    const verify = createVerifier([cfg]);
    expect(await code(verify(await sign({ 'custom:tenant': '430100', 'custom:roles': 'dispatcher' }, { iss: 'https://evil.example' })))).toBe('TOKEN_INVALID');
    expect(await code(verify(await sign({ 'custom:tenant': '430100', 'custom:roles': 'dispatcher' }, { aud: 'other' })))).toBe('TOKEN_INVALID');
    expect(await code(verify(await sign({ 'custom:tenant': '430100', 'custom:roles': 'dispatcher' }, { exp: '-5m' })))).toBe('UNAUTHENTICATED');
    expect(await code(verify(await sign({ 'custom:roles': 'dispatcher' })))).toBe('TENANT_CLAIM_MISSING');
    expect(await code(verify(await sign({ 'custom:tenant': '430100', 'custom:roles': 'nobody' })))).toBe('TOKEN_INVALID');
    expect(await code(verify('not-a-token'))).toBe('TOKEN_INVALID');
  });
});

describe('verified tokens are remembered until they expire', () => {
  it('checks the signature of a token once, and again only after the token has expired', async () => {
    // Prepare
    let clock = Date.now();
    let keyLookups = 0;
    const counting: IssuerConfig = { ...cfg, keys: async (...args) => (keyLookups++, await cfg.keys(...args)) };
    const verify = createVerifier([counting], () => clock);
    const token = await sign({ 'custom:tenant': '430100', 'custom:roles': 'dispatcher' }, { exp: '10m' });
    // Act
    const first = await verify(token);
    const again = await verify(token);
    const lookupsWhileValid = keyLookups;
    clock += 11 * 60_000;
    await verify(token);
    // Assess
    expect(again).toEqual(first);
    expect(lookupsWhileValid).toBe(1);
    expect(keyLookups).toBe(2);
  });

  it('never answers a token with a changed signature from the cache', async () => {
    const verify = createVerifier([cfg]);
    const token = await sign({ 'custom:tenant': '430100', 'custom:roles': 'dispatcher' });
    await verify(token);
    const tampered = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    expect(await code(verify(tampered))).toBe('TOKEN_INVALID');
  });
});
