import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isSignedIn, signIn, signOut } from '../auth/session';
import { errorBody, installFakeApi } from '../test/fake-api';
import { CHANGSHA, TOKENS } from '../test/fixtures';
import { api, ApiError } from './client';

describe('API client', () => {
  beforeEach(() => signIn(TOKENS));
  afterEach(() => {
    signOut();
    sessionStorage.clear();
  });

  it('sends the bearer token and parses the answer with the contract schema', async () => {
    const fake = installFakeApi({ 'GET /v1/tenant': { body: { ...CHANGSHA, extra: 'ignored' } } });
    const tenant = await api.tenant();
    expect(tenant.code).toBe('430100');
    expect(fake.called('GET /v1/tenant')[0]?.headers.get('Authorization')).toBe('Bearer id-abc') // the ID token carries the tenant and role claims;
  });

  it('turns the error body into an ApiError with both messages, code and request id', async () => {
    installFakeApi({ 'GET /v1/province/tenants': { status: 403, body: errorBody('PROVINCE_ONLY', '仅省级平台可以执行此操作', 'Only the province platform may do this', 'req-9') } });
    const error = await api.province.tenants().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 403, code: 'PROVINCE_ONLY', requestId: 'req-9', messages: { zh: '仅省级平台可以执行此操作' } });
    expect(isSignedIn()).toBe(true);
  });

  it('ends the session on 401', async () => {
    installFakeApi({ 'GET /v1/me': { status: 401, body: errorBody('TOKEN_INVALID', '身份令牌无效', 'The identity token is not valid') } });
    await expect(api.me()).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    expect(isSignedIn()).toBe(false);
    expect(sessionStorage.getItem('cityops.session')).toBeNull();
  });

  it('reports an answer that breaks the contract as BAD_RESPONSE', async () => {
    installFakeApi({ 'GET /v1/tasks': { body: { items: [{ taskId: 1 }] } } });
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    await expect(api.tasks()).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    expect(log).toHaveBeenCalledOnce();
  });

  it('reports a non-JSON error page as HTTP_ERROR with its status', async () => {
    installFakeApi({ 'GET /v1/tasks': { status: 502 } });
    await expect(api.tasks()).rejects.toMatchObject({ code: 'HTTP_ERROR', status: 502 });
  });

  it('reads the health body even when the status is 503', async () => {
    installFakeApi({ 'GET /healthz': { status: 503, body: { ok: false, version: '0.1.0', runtime: 'local', parts: { dynamodb: { ok: false, detail: 'down' } } } } });
    const health = await api.health();
    expect(health.ok).toBe(false);
    expect(health.parts.dynamodb?.detail).toBe('down');
  });
});
