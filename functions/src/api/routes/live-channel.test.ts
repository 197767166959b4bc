/**
 * GET /v1/monitoring/live-channel through app.request() with real tokens: the local stack answers SSE, AWS
 * answers the MQTT/WSS parameters the IoT Core authorizer will accept (same client id prefix, same topics).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLAIMS, LiveChannel, type Role } from '../../../../contracts';
import { createVerifier, type IssuerConfig } from '../../auth/verify';
import { loadConfig } from '../../config';
import { Store } from '../../data/store';
import type { WorkflowGateway } from '../../flows/gateway';
import { inProcessLiveFeed } from '../../monitoring/live';
import { liveClientIdPrefix } from '../../monitoring/live-access';
import { createApp } from '../app';
import type { AppDeps, MonitoringDeps } from '../deps';

const ISSUER = 'https://id.example.gov.cn/oidc';
let key: CryptoKey;
let issuer: IssuerConfig;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  key = pair.privateKey;
  issuer = { issuer: ISSUER, audience: 'cityops', keys: createLocalJWKSet({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' }] }), claims: { ...DEFAULT_CLAIMS }, kind: 'staff' };
});

const token = async (tenant: string, roles: Role[], sub = 'user-1') =>
  await new SignJWT({ [DEFAULT_CLAIMS.tenant]: tenant, [DEFAULT_CLAIMS.roles]: roles })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setIssuer(ISSUER)
    .setAudience('cityops')
    .setSubject(sub)
    .setExpirationTime('1h')
    .sign(key);

/** The app with only what this route reads: no table access happens (the store points nowhere). */
const app = (monitoring: Partial<MonitoringDeps> | undefined) =>
  createApp({
    config: loadConfig({}),
    store: new Store({ client: new DynamoDBClient({ region: 'cn-north-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }), tableName: 'none' }),
    gateway: {} as WorkflowGateway,
    verify: createVerifier([issuer]),
    ...(monitoring ? { monitoring: { devices: {} as MonitoringDeps['devices'], ...monitoring } } : {}),
  } as AppDeps);

const channel = async (a: ReturnType<typeof app>, bearer: string) => {
  const res = await a.request('/v1/monitoring/live-channel', { headers: { authorization: `Bearer ${bearer}` } });
  return { status: res.status, body: (await res.json()) as unknown };
};

const MQTT = { endpoint: 'a1b2c3d4e5f6g7-ats.iot.cn-north-1.amazonaws.com.cn', authorizer: 'cityops-dev-live' };

describe('MON-3 live channel: SSE locally, MQTT over WSS in AWS', () => {
  it('local stack (in-process feed): SSE at /v1/monitoring/events', async () => {
    const r = await channel(app({ feed: inProcessLiveFeed() }), await token('430100', ['monitoring-operator']));
    expect(r).toEqual({ status: 200, body: { kind: 'sse', url: '/v1/monitoring/events' } });
  });

  it('AWS: the IoT endpoint, the authorizer, the user’s client id prefix and only the own tenant’s topics', async () => {
    const r = await channel(app({ mqtt: MQTT }), await token('430181', ['leader'], 'user-42'));
    expect(r.status).toBe(200);
    expect(LiveChannel.parse(r.body)).toEqual({
      kind: 'mqtt',
      url: `wss://${MQTT.endpoint}/mqtt`,
      authorizer: 'cityops-dev-live',
      clientIdPrefix: liveClientIdPrefix({ tenant: '430181', subject: 'user-42' }),
      topics: ['cityops/live/430181/devices', 'cityops/live/430181/alarms'],
    });
  });

  it('AWS: a province user follows its tenants through the + filters; locally it has no stream', async () => {
    const province = await token('430000', ['province-analyst']);
    const aws = await channel(app({ mqtt: MQTT }), province);
    expect(aws.body).toMatchObject({ kind: 'mqtt', topics: ['cityops/live/+/devices', 'cityops/live/+/alarms'] });
    expect((await channel(app({ feed: inProcessLiveFeed() }), province)).body).toEqual({ kind: 'none' });
  });

  it('no push configured: none (screens load their lists); roles without the screens: 403', async () => {
    expect((await channel(app(undefined), await token('430100', ['dispatcher']))).body).toEqual({ kind: 'none' });
    const inspector = await channel(app({ mqtt: MQTT }), await token('430100', ['inspector']));
    expect(inspector.status).toBe(403);
    expect(inspector.body).toMatchObject({ error: { code: 'FORBIDDEN_ROLE' } });
  });

  it('AWS: the SSE route answers 404 (no in-process stream there) instead of failing', async () => {
    const res = await app({ mqtt: MQTT }).request('/v1/monitoring/events', { headers: { authorization: `Bearer ${await token('430100', ['monitoring-operator'])}` } });
    expect(res.status).toBe(404);
  });
});
