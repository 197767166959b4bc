/**
 * Token verification: a bearer token is accepted only when one configured issuer's keys verify it (RS256/ES256),
 * with that issuer's audience; its claims are mapped to a Principal. Issuers are pluggable: the local
 * development issuer, Cognito, the province's unified identity service, and the platform's citizen issuer.
 */
import { errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { Principal, ROLES, type Role } from '../../../contracts';
import { DomainError } from '../shared/errors';

export interface ClaimNames {
  tenant: string;
  roles: string;
  department: string;
  name: string;
}

export interface IssuerConfig {
  issuer: string;
  audience?: string;
  keys: JWTVerifyGetKey;
  claims: ClaimNames;
  kind: Principal['kind'];
}

export type Verifier = (token: string) => Promise<Principal>;

/** Roles arrive as a JSON array or, from Cognito custom attributes, as a comma/space separated string. */
function readRoles(value: unknown): Role[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/) : [];
  return list.filter((r): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r));
}

function toPrincipal(payload: JWTPayload, cfg: IssuerConfig): Principal {
  const tenant = payload[cfg.claims.tenant];
  if (typeof tenant !== 'string') throw new DomainError('TENANT_CLAIM_MISSING');
  const parsed = Principal.safeParse({
    subject: payload.sub,
    tenant,
    roles: readRoles(payload[cfg.claims.roles]),
    department: typeof payload[cfg.claims.department] === 'string' ? payload[cfg.claims.department] : undefined,
    name: typeof payload[cfg.claims.name] === 'string' ? payload[cfg.claims.name] : undefined,
    kind: cfg.kind,
  });
  if (!parsed.success) throw new DomainError('TOKEN_INVALID', undefined, parsed.error.issues.map((i) => i.path.join('.')).join(','));
  if (cfg.kind === 'citizen' && parsed.data.roles.some((r) => r !== 'citizen')) throw new DomainError('TOKEN_INVALID', undefined, 'citizen token with staff roles');
  return parsed.data;
}

export function createVerifier(issuers: IssuerConfig[]): Verifier {
  return async (token: string) => {
    let iss: unknown;
    try {
      const [, body] = token.split('.');
      iss = JSON.parse(Buffer.from(body ?? '', 'base64url').toString('utf8')).iss;
    } catch {
      throw new DomainError('TOKEN_INVALID', undefined, 'not a JWT');
    }
    const cfg = issuers.find((i) => i.issuer === iss);
    if (!cfg) throw new DomainError('TOKEN_INVALID', undefined, 'unknown issuer');
    try {
      const { payload } = await jwtVerify(token, cfg.keys, {
        issuer: cfg.issuer,
        audience: cfg.audience,
        algorithms: ['RS256', 'ES256'],
        clockTolerance: 30,
      });
      return toPrincipal(payload, cfg);
    } catch (err) {
      if (err instanceof DomainError) throw err;
      if (err instanceof joseErrors.JWTExpired) throw new DomainError('UNAUTHENTICATED', undefined, 'token expired');
      throw new DomainError('TOKEN_INVALID', undefined, (err as Error).name);
    }
  };
}
