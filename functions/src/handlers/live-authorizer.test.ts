/**
 * The IoT Core custom authorizer of the screens, with real jose-signed tokens checked by the API's verifier:
 * the policy it returns is what IoT Core enforces, so the tests read the policy like IoT Core would (resource
 * ARNs with `*` wildcards, `+` literal in topic filters).
 */
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLAIMS, liveTopic } from '../../../contracts';
import { createVerifier, type IssuerConfig } from '../auth/verify';
import { liveClientIdPrefix } from '../monitoring/live-access';
import { createLiveAuthorizer, type IotAuthorizerResponse } from './live-authorizer';

const FN_ARN = 'arn:aws-cn:lambda:cn-north-1:123456789012:function:cityops-dev-live-authorizer';
const IOT = 'arn:aws-cn:iot:cn-north-1:123456789012';
const CHANGSHA = '430100';
const LIUYANG = '430181';

let cfg: IssuerConfig;
let privateKey: CryptoKey;
let otherKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  privateKey = pair.privateKey;
  otherKey = (await generateKeyPair('ES256')).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' };
  cfg = { issuer: 'https://id.example.gov.cn/oidc', audience: 'cityops', keys: createLocalJWKSet({ keys: [jwk] }), claims: { ...DEFAULT_CLAIMS }, kind: 'staff' };
});

const sign = async (claims: Record<string, unknown>, o: { expSeconds?: number; key?: CryptoKey; sub?: string } = {}) =>
  await new SignJWT({ [DEFAULT_CLAIMS.tenant]: CHANGSHA, [DEFAULT_CLAIMS.roles]: ['monitoring-operator'], ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setIssuer(cfg.issuer)
    .setAudience('cityops')
    .setSubject(o.sub ?? 'user-7f3a')
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + (o.expSeconds ?? 3600))
    .sign(o.key ?? privateKey);

/** The event IoT Core sends for an MQTT-over-WSS CONNECT whose password is the token. */
const connectEvent = (token: string | undefined) => ({
  protocols: ['http', 'mqtt'],
  protocolData: {
    http: { headers: {}, queryString: '?x-amz-customauthorizer-name=cityops-dev-live' },
    mqtt: { username: '', clientId: 'live-x', ...(token === undefined ? {} : { password: Buffer.from(token).toString('base64') }) },
  },
  connectionMetadata: { id: 'c0ffee00-0000-4000-8000-000000000001' },
});

// The verifier judges expiry by the wall clock, so tokens are minted around the real now and the authorizer
// keeps its default clock.
const authorizer = () => createLiveAuthorizer({ verify: createVerifier([cfg]) });

/** Does an IoT policy resource pattern (`*` any characters) match this ARN? */
const matches = (pattern: string, arn: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(arn);
const allowed = (r: IotAuthorizerResponse, action: string, arn: string) =>
  r.policyDocuments.some((d) => d.Statement.some((s) => s.Effect === 'Allow' && s.Action === action && s.Resource.some((p) => matches(p, arn))));

describe('MON-3 screens over MQTT/WSS: IoT Core custom authorizer', () => {
  it("lets a tenant's monitoring operator receive its own tenant's live topics, bound to its client id", async () => {
    // Prepare
    const nowSec = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ [DEFAULT_CLAIMS.tenant]: CHANGSHA, [DEFAULT_CLAIMS.roles]: ['monitoring-operator'] })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(cfg.issuer)
      .setAudience('cityops')
      .setSubject('user-7f3a')
      .setExpirationTime(nowSec + 1800)
      .sign(privateKey);

    // Act
    const r = await authorizer()(connectEvent(token), FN_ARN);

    // Assess
    expect(r.isAuthenticated).toBe(true);
    expect(r.principalId).toMatch(/^[a-zA-Z0-9]{1,128}$/);
    expect(r.disconnectAfterInSeconds).toBeGreaterThan(1790);
    expect(r.disconnectAfterInSeconds).toBeLessThanOrEqual(1800);
    expect(r.refreshAfterInSeconds).toBe(300);
    const prefix = liveClientIdPrefix({ tenant: CHANGSHA, subject: 'user-7f3a' });
    expect(prefix).toMatch(/^live-[0-9a-f]{32}-$/);
    expect(allowed(r, 'iot:Connect', `${IOT}:client/${prefix}tab1`)).toBe(true);
    expect(allowed(r, 'iot:Connect', `${IOT}:client/${liveClientIdPrefix({ tenant: CHANGSHA, subject: 'someone-else' })}tab1`)).toBe(false);
    expect(allowed(r, 'iot:Connect', `${IOT}:client/wl-0001`)).toBe(false);
    for (const kind of ['devices', 'alarms'] as const) {
      expect(allowed(r, 'iot:Subscribe', `${IOT}:topicfilter/${liveTopic(CHANGSHA, kind)}`)).toBe(true);
      expect(allowed(r, 'iot:Receive', `${IOT}:topic/${liveTopic(CHANGSHA, kind)}`)).toBe(true);
    }
    for (const d of r.policyDocuments) expect(JSON.stringify(d).length).toBeLessThanOrEqual(2048);
  });

  it("never allows another tenant's topics, wildcard filters, device topics or any publish", async () => {
    // Prepare
    const r = await authorizer()(connectEvent(await sign({})), FN_ARN);

    // Assess
    expect(r.isAuthenticated).toBe(true);
    for (const kind of ['devices', 'alarms'] as const) {
      expect(allowed(r, 'iot:Subscribe', `${IOT}:topicfilter/${liveTopic(LIUYANG, kind)}`)).toBe(false);
      expect(allowed(r, 'iot:Receive', `${IOT}:topic/${liveTopic(LIUYANG, kind)}`)).toBe(false);
      expect(allowed(r, 'iot:Subscribe', `${IOT}:topicfilter/cityops/live/+/${kind}`)).toBe(false);
    }
    expect(allowed(r, 'iot:Subscribe', `${IOT}:topicfilter/cityops/live/#`)).toBe(false);
    expect(allowed(r, 'iot:Subscribe', `${IOT}:topicfilter/cityops/${CHANGSHA}/devices/+/telemetry`)).toBe(false);
    expect(allowed(r, 'iot:Receive', `${IOT}:topic/cityops/${CHANGSHA}/devices/wl-0001/telemetry`)).toBe(false);
    const actions = r.policyDocuments.flatMap((d) => d.Statement.map((s) => s.Action));
    expect(actions.sort()).toEqual(['iot:Connect', 'iot:Receive', 'iot:Subscribe']);
    for (const arn of [`${IOT}:topic/${liveTopic(CHANGSHA, 'alarms')}`, `${IOT}:topic/cityops/${CHANGSHA}/devices/wl-0001/telemetry`]) {
      expect(allowed(r, 'iot:Publish', arn)).toBe(false);
    }
  });

  it('takes the tenant from the verified token only (the client id or username cannot widen it)', async () => {
    // Prepare
    const event = connectEvent(await sign({}));
    event.protocolData.mqtt.username = `tenant=${LIUYANG}`;
    event.protocolData.mqtt.clientId = `live-${LIUYANG}`;

    // Act
    const r = await authorizer()(event, FN_ARN);

    // Assess
    expect(allowed(r, 'iot:Receive', `${IOT}:topic/${liveTopic(CHANGSHA, 'alarms')}`)).toBe(true);
    expect(allowed(r, 'iot:Receive', `${IOT}:topic/${liveTopic(LIUYANG, 'alarms')}`)).toBe(false);
  });

  it('lets a province user of the province tenant receive every tenant of its province, and no other province', async () => {
    // Prepare
    const token = await sign({ [DEFAULT_CLAIMS.tenant]: '430000', [DEFAULT_CLAIMS.roles]: ['province-supervisor'] });

    // Act
    const r = await authorizer()(connectEvent(token), FN_ARN);

    // Assess
    expect(r.isAuthenticated).toBe(true);
    expect(allowed(r, 'iot:Subscribe', `${IOT}:topicfilter/cityops/live/+/alarms`)).toBe(true);
    expect(allowed(r, 'iot:Subscribe', `${IOT}:topicfilter/${liveTopic(LIUYANG, 'alarms')}`)).toBe(true);
    expect(allowed(r, 'iot:Receive', `${IOT}:topic/${liveTopic(LIUYANG, 'alarms')}`)).toBe(true);
    expect(allowed(r, 'iot:Receive', `${IOT}:topic/${liveTopic(CHANGSHA, 'devices')}`)).toBe(true);
    expect(allowed(r, 'iot:Receive', `${IOT}:topic/${liveTopic('440100', 'alarms')}`)).toBe(false);
    expect(allowed(r, 'iot:Subscribe', `${IOT}:topicfilter/${liveTopic('440100', 'alarms')}`)).toBe(false);
    expect(r.policyDocuments.flatMap((d) => d.Statement.map((s) => s.Action))).not.toContain('iot:Publish');
  });

  it('refuses a province role on a city token, roles without the screens, and citizens', async () => {
    const cases = [
      await sign({ [DEFAULT_CLAIMS.roles]: ['province-supervisor'] }),
      await sign({ [DEFAULT_CLAIMS.roles]: ['inspector'] }),
      await sign({ [DEFAULT_CLAIMS.roles]: ['citizen'] }),
    ];
    for (const token of cases) expect((await authorizer()(connectEvent(token), FN_ARN)).isAuthenticated).toBe(false);
  });

  it('refuses expired, soon-expiring, foreign-signed and garbage tokens, and a connection without one', async () => {
    // Prepare
    const nowSec = Math.floor(Date.now() / 1000);
    const at = (exp: number) =>
      new SignJWT({ [DEFAULT_CLAIMS.tenant]: CHANGSHA, [DEFAULT_CLAIMS.roles]: ['monitoring-operator'] })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer(cfg.issuer)
        .setAudience('cityops')
        .setSubject('user-7f3a')
        .setExpirationTime(exp)
        .sign(privateKey);
    const tokens = [await at(nowSec - 3600), await at(nowSec + 120), await sign({}, { key: otherKey }), 'not-a-token', ''];

    // Act
    const results = await Promise.all([...tokens.map((t) => authorizer()(connectEvent(t), FN_ARN)), authorizer()(connectEvent(undefined), FN_ARN), authorizer()({ garbage: true }, FN_ARN)]);

    // Assess
    for (const r of results) {
      expect(r).toEqual({ isAuthenticated: false, principalId: 'denied', disconnectAfterInSeconds: 300, refreshAfterInSeconds: 300, policyDocuments: [] });
    }
  });

  it('never keeps a connection past IoT Core’s maximum of a day', async () => {
    const r = await authorizer()(connectEvent(await sign({}, { expSeconds: 3 * 86_400 })), FN_ARN);
    expect(r.disconnectAfterInSeconds).toBe(86_400);
  });
});
