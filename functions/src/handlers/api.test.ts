/**
 * The Lambda entry point as AWS calls it: an API Gateway HTTP API (v2) event through middy(handle(app)),
 * against DynamoDB Local. Proves the same app answers in Lambda, with coded errors and request ids.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { testTable } from '../../../test/support/dynamo';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<{ statusCode: number; body: string; headers?: Record<string, string> }>;
let handler: Handler;

const context = { functionName: 'cityops-api', awsRequestId: 'req-1', invokedFunctionArn: 'arn:aws-cn:lambda:cn-north-1:000000000000:function:cityops-api', memoryLimitInMB: '512', functionVersion: '$LATEST', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

function event(method: string, path: string, headers: Record<string, string> = {}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'api.example.gov.cn', ...headers },
    requestContext: {
      accountId: '000000000000',
      apiId: 'api',
      domainName: 'api.example.gov.cn',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: 'gw-req-1',
      routeKey: '$default',
      stage: '$default',
      time: '24/Nov/2026:10:00:00 +0000',
      timeEpoch: Date.now(),
    },
    isBase64Encoded: false,
  };
}

beforeAll(async () => {
  const t = await testTable('lambda');
  process.env.TABLE_NAME = t.tableName;
  process.env.DYNAMODB_ENDPOINT = t.endpoint;
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
  process.env.OIDC_ISSUER = 'https://idp.example.gov.cn';
  handler = (await import('./api')).handler as unknown as Handler;
});

describe('API Lambda entry (middy(handle(app)))', () => {
  it('answers /healthz from the table', async () => {
    const r = await handler(event('GET', '/healthz'), context);
    expect(r.statusCode).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, runtime: 'aws', parts: { dynamodb: { ok: true } } });
  });

  it('refuses a request without a token with a coded, bilingual 401', async () => {
    const r = await handler(event('GET', '/v1/me', { 'x-request-id': 'trace-123456' }), context);
    expect(r.statusCode).toBe(401);
    const body = JSON.parse(r.body);
    expect(body.error).toMatchObject({ code: 'UNAUTHENTICATED', requestId: 'trace-123456' });
    expect(body.error.message.zh).toContain('登录');
  });

  it('serves the OpenAPI document', async () => {
    const r = await handler(event('GET', '/openapi.json'), context);
    expect(JSON.parse(r.body).paths['/v1/province/supervision']).toBeDefined();
  });
});
