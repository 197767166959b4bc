/**
 * Tenant context, set once per request from the verified token (AsyncLocalStorage, as SST console's actor).
 * The data layer reads it; code that runs without it fails with TENANT_CONTEXT_MISSING instead of guessing.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { isProvinceRole, provinceOf, type Principal, type Role } from '../../../contracts';
import { DomainError } from '../shared/errors';

export interface RequestContext {
  principal: Principal;
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function withTenant<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

export function useContext(): RequestContext {
  const ctx = storage.getStore();
  if (!ctx) throw new DomainError('TENANT_CONTEXT_MISSING', undefined, 'data access outside a tenant context');
  return ctx;
}

export const usePrincipal = (): Principal => useContext().principal;

/** The caller's own tenant code. */
export const useTenant = (): string => useContext().principal.tenant;

export function hasRole(...roles: Role[]): boolean {
  const mine = usePrincipal().roles;
  return roles.some((r) => mine.includes(r));
}

export function requireRole(...roles: Role[]): Principal {
  if (!hasRole(...roles)) throw new DomainError('FORBIDDEN_ROLE');
  return usePrincipal();
}

/** Staff only: citizens' tokens may not use staff read paths (queues, base data, similar cases). */
export function requireStaff(): Principal {
  const p = usePrincipal();
  if (p.kind !== 'staff') throw new DomainError('FORBIDDEN_ROLE');
  return p;
}

/**
 * The province the caller supervises. Only a province-level user of a province tenant gets one; everyone else
 * is refused, so province read paths cannot be reached from a city or county token.
 */
export function useProvince(): string {
  const p = usePrincipal();
  if (!p.roles.some(isProvinceRole) || provinceOf(p.tenant) !== p.tenant) throw new DomainError('PROVINCE_ONLY');
  return p.tenant;
}
