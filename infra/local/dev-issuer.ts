/**
 * Development OIDC issuer of the embedded stack: an RS256 key (kept under .data/oidc so tokens survive a
 * restart), a JWKS, a password login for demo users of every role of every onboarded tenant, and the
 * discovery document. The API verifies its tokens exactly as it verifies Cognito's or the province's.
 * Demo users exist only here; the password `demo` is a local-only convenience.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { z } from 'zod';
import { DEFAULT_CLAIMS, PROVINCE_ROLES, ROLE_NAMES, TENANT_ROLES, type DemoUser, type Role, type TenantManifest } from '../../contracts';
import type { CitizenIssuer } from '../../functions/src/auth/citizen-issuer';
import type { IssuerConfig } from '../../functions/src/auth/verify';

export const DEMO_PASSWORD = 'demo';
export const DEV_AUDIENCE = 'cityops';

export interface DevIssuer {
  issuer: string;
  routes: Hono;
  verifierConfig(): IssuerConfig;
  setTenants(manifests: TenantManifest[]): void;
  users(): DemoUser[];
  tokenFor(p: { subject: string; tenant: string; roles: Role[]; department?: string; name?: string }, ttlSeconds?: number): Promise<string>;
  tokenForUser(username: string): Promise<string>;
}

async function loadOrCreateKey(dir: string | null, file: string, alg: 'RS256' | 'ES256'): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const full = dir ? path.join(dir, file) : null;
  if (full && existsSync(full)) return JSON.parse(readFileSync(full, 'utf8')) as { privateJwk: JWK; publicJwk: JWK };
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `${file.replace(/\.json$/, '')}-${Date.now().toString(36)}`;
  const pair = { privateJwk: { ...(await exportJWK(privateKey)), kid, alg }, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
  if (dir && full) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(full, JSON.stringify(pair), { mode: 0o600 });
  }
  return pair;
}

/** The citizen signing key of the local stack (AWS reads it from CITIZEN_SIGNING_JWK). */
export const loadCitizenKey = (dir: string | null) => loadOrCreateKey(dir, 'citizen.json', 'ES256');

export function demoUsers(manifests: TenantManifest[]): DemoUser[] {
  const users: DemoUser[] = [];
  for (const m of [...manifests].sort((a, b) => a.code.localeCompare(b.code))) {
    const roles: readonly Role[] = m.level === 'province' ? PROVINCE_ROLES : [...TENANT_ROLES, 'citizen'];
    for (const role of roles) {
      users.push({
        username: `${m.code}.${role}`,
        password: DEMO_PASSWORD,
        tenant: m.code,
        tenantName: m.name.zh,
        roles: [role],
        ...(role === 'department-handler' && m.departments[0] ? { department: m.departments[0].code } : {}),
        name: `${m.name.zh}${ROLE_NAMES[role].zh}`,
      });
    }
  }
  return users;
}

const Login = z.object({ username: z.string().min(1), password: z.string().min(1) });

export async function createDevIssuer(opts: { issuer: string; dataDir: string | null; citizenIssuer?: CitizenIssuer; ttlSeconds?: number }): Promise<DevIssuer> {
  const { privateJwk, publicJwk } = await loadOrCreateKey(opts.dataDir, 'issuer.json', 'RS256');
  const key = await importJWK(privateJwk, 'RS256');
  const ttl = opts.ttlSeconds ?? 8 * 3600;
  let users: DemoUser[] = [];

  const tokenFor: DevIssuer['tokenFor'] = async (p, ttlSeconds = ttl) =>
    await new SignJWT({
      [DEFAULT_CLAIMS.tenant]: p.tenant,
      [DEFAULT_CLAIMS.roles]: p.roles,
      ...(p.department ? { [DEFAULT_CLAIMS.department]: p.department } : {}),
      ...(p.name ? { name: p.name } : {}),
    })
      .setProtectedHeader({ alg: 'RS256', kid: publicJwk.kid ?? 'dev' })
      .setIssuer(opts.issuer)
      .setAudience(DEV_AUDIENCE)
      .setSubject(p.subject)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(key);

  const tokenForUser = async (username: string): Promise<string> => {
    const u = users.find((x) => x.username === username);
    if (!u) throw new Error(`no demo user ${username}`);
    if (u.roles.includes('citizen')) {
      if (!opts.citizenIssuer) throw new Error('citizen issuer not configured');
      return (await opts.citizenIssuer.issue(u.tenant, `demo-openid-${u.tenant}`)).token;
    }
    return await tokenFor({ subject: u.username, tenant: u.tenant, roles: u.roles, department: u.department, name: u.name });
  };

  const routes = new Hono();
  routes.get('/.well-known/openid-configuration', (c) =>
    c.json({ issuer: opts.issuer, jwks_uri: `${opts.issuer}/.well-known/jwks.json`, token_endpoint: `${opts.issuer}/login`, id_token_signing_alg_values_supported: ['RS256'] }),
  );
  routes.get('/.well-known/jwks.json', (c) => c.json({ keys: [publicJwk] }));
  routes.get('/demo-users', (c) => c.json({ users: users.map(({ password: _p, ...u }) => ({ ...u, password: DEMO_PASSWORD })) }));
  routes.post('/login', async (c) => {
    const parsed = Login.safeParse(await c.req.json().catch(() => ({})));
    const bad = { error: { code: 'UNAUTHENTICATED', message: { zh: '用户名或密码错误', en: 'Wrong user name or password' }, requestId: 'dev-issuer' } };
    if (!parsed.success) return c.json(bad, 401);
    const u = users.find((x) => x.username === parsed.data.username);
    if (!u || parsed.data.password !== u.password) return c.json(bad, 401);
    const token = await tokenForUser(u.username);
    return c.json({ access_token: token, id_token: token, token_type: 'Bearer', expires_in: ttl });
  });

  return {
    issuer: opts.issuer,
    routes,
    verifierConfig: () => ({
      issuer: opts.issuer,
      audience: DEV_AUDIENCE,
      keys: createLocalJWKSet({ keys: [publicJwk] }),
      claims: { ...DEFAULT_CLAIMS },
      kind: 'staff',
    }),
    setTenants: (manifests) => {
      users = demoUsers(manifests);
    },
    users: () => users,
    tokenFor,
    tokenForUser,
  };
}
