/**
 * IotLivePublisher over the real signer and the IoT client's request path, without network: a recording
 * request handler (as in iot-provisioner.test.ts) receives each signed HTTPS request and answers like the IoT
 * data plane. So these tests check what goes on the wire: POST /topics/<encoded topic>?qos=0, SigV4 for
 * `iotdata`, one JSON payload per tenant and kind, split under the size limit.
 */
import { IoTClient } from '@aws-sdk/client-iot';
import { describe, expect, it } from 'vitest';
import { LiveAlarmsMessage, LiveDevicesMessage, parseLiveTopic, type AlarmView, type DeviceLiveState } from '../../../contracts';
import type { Log } from '../shared/logger';
import { IotLivePublisher, signedHttpsPublish } from './iot-live-publisher';

const ENDPOINT = 'a1b2c3d4e5f6g7-ats.iot.cn-north-1.amazonaws.com.cn';
const CHANGSHA = '430100';
const LIUYANG = '430181';

interface Recorded {
  method: string;
  hostname: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
}

/** An IoT client whose HTTP handler records requests and answers with `status(request)` (200 by default). */
function recordingIot(status: (r: Recorded) => number = () => 200, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }) {
  const requests: Recorded[] = [];
  const client = new IoTClient({
    region: 'cn-north-1',
    credentials,
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { method: string; hostname: string; path: string; query?: Record<string, string>; headers: Record<string, string>; body?: Uint8Array }) => {
        const rec: Recorded = {
          method: request.method,
          hostname: request.hostname,
          path: request.path,
          query: { ...request.query },
          headers: request.headers,
          body: request.body ? JSON.parse(new TextDecoder().decode(request.body)) : undefined,
        };
        requests.push(rec);
        const code = status(rec);
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (code >= 300) headers['x-amzn-errortype'] = 'ForbiddenException:http://internal.amazon.com/coral/com.amazonaws.iotdata/';
        return { response: { statusCode: code, headers, body: new TextEncoder().encode(code >= 300 ? '{"message":"denied"}' : '{}') } };
      },
    } as never,
  });
  return { client, requests, topic: (r: Recorded) => decodeURIComponent(r.path.replace(/^\/topics\//, '')) };
}

function recordingLog(): Log & { lines: unknown[][] } {
  const lines: unknown[][] = [];
  const rec = (...args: unknown[]) => void lines.push(args);
  return { lines, debug: rec, info: rec, warn: rec, error: rec } as unknown as Log & { lines: unknown[][] };
}

const live = (levelM: number, at = '2025-11-24T05:58:00.000Z'): DeviceLiveState => ({ online: true, lastTs: at, receivedAt: at, readings: { levelM }, alarmLevel: null });
const alarm = (id: string, status: AlarmView['status'], tenant = CHANGSHA): AlarmView => ({
  id,
  tenant,
  deviceId: 'mh-0001',
  kind: 'manhole-cover',
  domain: 'manhole',
  deviceName: '西园路 12 号井盖',
  location: { lng: 112.9545, lat: 28.1842 },
  ruleId: 'cover-open',
  type: 'state',
  level: 'orange',
  value: true,
  status,
  raisedAt: '2025-11-24T05:00:00.000Z',
  history: [{ at: '2025-11-24T05:00:00.000Z', action: 'raised', actor: 'system', level: 'orange', value: true }],
});
const ALARM_A = '01JD5Z8Q2V7K3M4N5P6Q7R8S9T';

describe('MON-3 live push in AWS: IoT Core publishing (LiveEvents adapter)', () => {
  it('publishes with QoS 0 to the tenant-scoped topic over SigV4-signed HTTPS (service iotdata)', async () => {
    // Prepare
    const iot = recordingIot(undefined, { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session-token' });
    const live$ = new IotLivePublisher(signedHttpsPublish({ endpoint: ENDPOINT, client: iot.client }));

    // Act
    live$.device(CHANGSHA, 'dl-0001', live(0.3));
    await live$.flush();

    // Assess
    expect(iot.requests).toHaveLength(1);
    const [r] = iot.requests;
    expect(r).toMatchObject({ method: 'POST', hostname: ENDPOINT, path: '/topics/cityops%2Flive%2F430100%2Fdevices', query: { qos: '0' } });
    expect(iot.topic(r!)).toBe('cityops/live/430100/devices');
    expect(r!.headers.host).toBe(ENDPOINT);
    expect(r!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE\/\d{8}\/cn-north-1\/iotdata\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/);
    expect(r!.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(r!.headers['x-amz-security-token']).toBe('session-token');
    expect(LiveDevicesMessage.parse(r!.body)).toEqual({ devices: [{ id: 'dl-0001', live: live(0.3) }] });
  });

  it('coalesces a 5,000-reading batch into one message per tenant and kind, the newest state per device', async () => {
    // Prepare
    const iot = recordingIot();
    const live$ = new IotLivePublisher(signedHttpsPublish({ endpoint: ENDPOINT, client: iot.client }));

    // Act: 5,000 updates over 50 devices of two tenants, and an alarm raised then acknowledged
    for (let i = 0; i < 5000; i++) live$.device(i % 2 ? LIUYANG : CHANGSHA, `dl-${String(i % 50).padStart(4, '0')}`, live(i / 1000));
    live$.alarm(CHANGSHA, alarm(ALARM_A, 'raised'));
    live$.alarm(CHANGSHA, alarm(ALARM_A, 'acknowledged'));
    await live$.flush();

    // Assess
    expect(iot.requests.map(iot.topic).sort()).toEqual(['cityops/live/430100/alarms', 'cityops/live/430100/devices', 'cityops/live/430181/devices']);
    const byTopic = new Map(iot.requests.map((r) => [iot.topic(r), r.body]));
    const changsha = LiveDevicesMessage.parse(byTopic.get('cityops/live/430100/devices'));
    expect(changsha.devices).toHaveLength(25);
    expect(changsha.devices.find((d) => d.id === 'dl-0000')?.live.readings.levelM).toBe(4.95); // the last of its 100 updates
    expect(LiveAlarmsMessage.parse(byTopic.get('cityops/live/430100/alarms')).alarms.map((a) => a.status)).toEqual(['acknowledged']);
    expect(iot.requests.every((r) => r.query.qos === '0')).toBe(true);
  });

  it('splits a tenant batch larger than the size limit into several messages, none over it', async () => {
    // Prepare
    const iot = recordingIot();
    const live$ = new IotLivePublisher(signedHttpsPublish({ endpoint: ENDPOINT, client: iot.client }), { maxBytes: 4096 });

    // Act
    for (let i = 0; i < 120; i++) live$.device(CHANGSHA, `dl-${String(i).padStart(4, '0')}`, live(i));
    await live$.flush();

    // Assess
    expect(iot.requests.length).toBeGreaterThan(1);
    for (const r of iot.requests) expect(Number(r.headers['content-length'])).toBeLessThanOrEqual(4096);
    const ids = iot.requests.flatMap((r) => LiveDevicesMessage.parse(r.body).devices.map((d) => d.id));
    expect(new Set(ids).size).toBe(120);
  });

  it('logs a refused publish without payload or personal data, never throws, and keeps publishing the rest', async () => {
    // Prepare
    const iot = recordingIot((r) => (r.path.includes('430181') ? 403 : 200));
    const log = recordingLog();
    const live$ = new IotLivePublisher(signedHttpsPublish({ endpoint: ENDPOINT, client: iot.client }), { log });

    // Act
    live$.alarm(LIUYANG, alarm(ALARM_A, 'raised', LIUYANG));
    live$.device(CHANGSHA, 'dl-0001', live(0.3));
    await expect(live$.flush()).resolves.toBeUndefined();

    // Assess
    expect(iot.requests.map(iot.topic).sort()).toEqual(['cityops/live/430100/devices', 'cityops/live/430181/alarms']);
    expect(log.lines).toEqual([['live publish failed', { tenant: LIUYANG, kind: 'alarms', changes: 1, error: 'LivePublishError', status: 403, errorType: 'ForbiddenException' }]]);
    expect(JSON.stringify(log.lines)).not.toContain('西园路');
  });

  it('survives a transport that throws (network), and a flush with nothing pending sends nothing', async () => {
    // Prepare
    const log = recordingLog();
    const sent: string[] = [];
    const live$ = new IotLivePublisher(
      async (topic) => {
        sent.push(topic);
        throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
      },
      { log },
    );

    // Act
    await live$.flush();
    live$.device(CHANGSHA, 'dl-0001', live(0.3));
    await live$.flush();
    await live$.flush();

    // Assess
    expect(sent).toEqual(['cityops/live/430100/devices']);
    expect(log.lines).toHaveLength(1);
    expect(parseLiveTopic(sent[0]!)).toEqual({ tenant: CHANGSHA, kind: 'devices' });
  });
});
