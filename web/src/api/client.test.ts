import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isSignedIn, signIn, signOut } from '../auth/session';
import { errorBody, installFakeApi } from '../test/fake-api';
import { CASE_ID, caseDetail, CHANGSHA, photo, PHOTO_ID, TOKENS } from '../test/fixtures';
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

  it('uploads a photo as the raw body with its content type and the stage in the query', async () => {
    const fake = installFakeApi({ 'POST /v1/photos': { status: 201, body: photo({ stage: 'feedback' }) } });
    const file = new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' });
    const stored = await api.photos.upload(file, 'feedback');
    expect(stored.id).toBe(PHOTO_ID);
    const call = fake.called('POST /v1/photos')[0]!;
    expect(call.query.get('stage')).toBe('feedback');
    expect(call.headers.get('Content-Type')).toBe('image/jpeg');
    expect(call.headers.get('Authorization')).toBe('Bearer id-abc');
    expect(call.body).toBe(file);
  });

  it('fetches a photo as a Blob with the token; an error body still becomes an ApiError', async () => {
    const fake = installFakeApi({
      [`GET /v1/photos/${PHOTO_ID}`]: { raw: new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' }), contentType: 'image/png' },
      'GET /v1/photos/01JD2Z9A0B1C2D3E4F5G6H7J8M': { status: 404, body: errorBody('NOT_FOUND', '请求的资源不存在', 'Not found') },
    });
    const image = await api.photos.image(PHOTO_ID);
    expect(image.size).toBe(3);
    expect(fake.called(`GET /v1/photos/${PHOTO_ID}`)[0]?.headers.get('Authorization')).toBe('Bearer id-abc');
    await expect(api.photos.image('01JD2Z9A0B1C2D3E4F5G6H7J8M')).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('keeps the API’s field details of a validation error', async () => {
    installFakeApi({
      'POST /v1/cases': { status: 400, body: { error: { code: 'VALIDATION_FAILED', message: { zh: '请求内容不符合要求', en: 'The request is not valid' }, requestId: 'r', details: [{ path: 'typeCode', message: 'a type code has five digits' }] } } },
    });
    const error = await api.cases
      .report({ clientId: 'abcdefgh', source: 'inspector', kind: 'matter', typeCode: '1', description: 'xx', location: { lng: 113, lat: 28 } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'typeCode', message: 'a type code has five digits' }] });
  });

  it('writes list filters into the query, and drops action names this web does not know', async () => {
    const fake = installFakeApi({
      'GET /v1/cases': { body: { items: [] } },
      [`GET /v1/cases/${CASE_ID}`]: { body: { ...caseDetail(), allowedActions: ['dispatch', 'teleport'] } },
    });
    await api.cases.list({ status: 'handling', limit: 50 });
    expect(fake.called('GET /v1/cases')[0]?.query.toString()).toBe('status=handling&limit=50');
    expect((await api.cases.get(CASE_ID)).allowedActions).toEqual(['dispatch']);
  });
});
