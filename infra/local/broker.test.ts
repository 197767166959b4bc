/**
 * The local MQTT broker against real MQTT.js clients on a real port: who may connect, publish and subscribe,
 * what reaches the platform's server-side consumer, revocation, handler failures and shutdown.
 */
import net from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { deviceTopic } from '../../contracts/src/mqtt';
import { commandTopicFilter, DEFAULT_MAX_PAYLOAD_BYTES, startBroker, type BrokerLogger, type LocalBroker } from './broker';
import {
  deviceUsername,
  generateDeviceSecret,
  hashDeviceSecret,
  InMemoryDeviceCredentialStore,
  parseDeviceUsername,
  verifyDeviceSecret,
} from './device-credentials';
import { LocalStackError } from './errors';
import { assertPortFree, freePort } from './ports';

const FURONG = '430102';
const TIANXIN = '430103';

interface Device {
  tenant: string;
  deviceId: string;
  secret: string;
}
const dev = (tenant: string, deviceId: string): Device => ({ tenant, deviceId, secret: generateDeviceSecret() });
const A = dev(FURONG, 'sensor-a');
const B = dev(FURONG, 'sensor-b');
const C = dev(TIANXIN, 'sensor-c');
const REVOKED = dev(FURONG, 'sensor-old');
const LIVE_REVOKE = dev(FURONG, 'sensor-rev');
const SHARED_1 = dev(FURONG, 'shared-id');
const SHARED_2 = dev(TIANXIN, 'shared-id');
const ALL = [A, B, C, REVOKED, LIVE_REVOKE, SHARED_1, SHARED_2];

interface LogEntry {
  level: 'info' | 'warn' | 'error';
  entry: Record<string, unknown>;
}
function collectingLogger(): BrokerLogger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  return {
    entries,
    info: (entry) => entries.push({ level: 'info', entry }),
    warn: (entry) => entries.push({ level: 'warn', entry }),
    error: (entry) => entries.push({ level: 'error', entry }),
  };
}

const store = new InMemoryDeviceCredentialStore();
const logger = collectingLogger();
let local: LocalBroker;
let url: string;
const clients: MqttClient[] = [];

beforeAll(async () => {
  for (const d of ALL) await store.register(d.tenant, d.deviceId, d.secret);
  store.revoke(REVOKED.tenant, REVOKED.deviceId);
  local = await startBroker({ port: 0, credentials: store, logger });
  url = `mqtt://127.0.0.1:${local.port}`;
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true).catch(() => undefined)));
});

afterAll(async () => {
  await local?.close();
});

function connect(d: Device, overrides: Partial<mqtt.IClientOptions> = {}): Promise<MqttClient> {
  return track(
    mqtt.connectAsync(
      url,
      {
        clientId: d.deviceId,
        username: deviceUsername(d.tenant, d.deviceId),
        password: d.secret,
        protocolVersion: 4,
        reconnectPeriod: 0,
        connectTimeout: 5_000,
        ...overrides,
      },
      false,
    ),
  );
}
async function track(p: Promise<MqttClient>): Promise<MqttClient> {
  const c = await p;
  clients.push(c);
  return c;
}
const closed = (c: MqttClient) => new Promise<void>((resolve) => (c.connected ? c.once('close', () => resolve()) : resolve()));

/** A server-side subscription that records what it receives. */
function record(filter = '#') {
  const got: Array<{ topic: string; payload: string }> = [];
  const unsubscribe = local.subscribe(filter, (topic, payload) => {
    got.push({ topic, payload: payload.toString() });
  });
  return { got, unsubscribe };
}

/** Sentinel from a valid device: once it arrives, anything published earlier and accepted would have too. */
async function flush(got: Array<{ payload: string }>): Promise<void> {
  const sentinel = `sentinel-${Math.random()}`;
  const b = await connect(B);
  await b.publishAsync(deviceTopic(B.tenant, B.deviceId, 'status'), sentinel, { qos: 1 });
  await vi.waitFor(() => expect(got.some((m) => m.payload === sentinel)).toBe(true));
}

describe('device credentials', () => {
  it.each(['auto', 'scrypt'] as const)('hashes with a salt (%s) and verifies in constant time; anything malformed is false', async (kind) => {
    const secret = generateDeviceSecret();
    const [h1, h2] = await Promise.all([hashDeviceSecret(secret, kind), hashDeviceSecret(secret, kind)]);
    expect(h1).not.toBe(h2);
    expect(h1).not.toContain(secret);
    expect(await verifyDeviceSecret(secret, h1)).toBe(true);
    expect(await verifyDeviceSecret(Buffer.from(secret), h2)).toBe(true);
    expect(await verifyDeviceSecret(`${secret}x`, h1)).toBe(false);
    expect(await verifyDeviceSecret(secret.slice(1), h1)).toBe(false);
    expect(await verifyDeviceSecret(secret, 'plain')).toBe(false);
    expect(await verifyDeviceSecret(secret, `${h1.slice(0, -2)}AA`)).toBe(false);
    expect(await verifyDeviceSecret('', h1)).toBe(false);
  });

  it('caps the scrypt cost a stored hash may ask for', async () => {
    const secret = generateDeviceSecret();
    const h = await hashDeviceSecret(secret, 'scrypt');
    expect(await verifyDeviceSecret(secret, h.replace('$16384$', '$1048576$'))).toBe(false); // cost capped
  });

  it('gives generated (256-bit) secrets the fast salted HMAC-SHA-256 and short, typed-in ones scrypt', async () => {
    const generated = generateDeviceSecret();
    expect(await hashDeviceSecret(generated)).toMatch(/^hs256\$/);
    expect(await hashDeviceSecret('short-typed-secret')).toMatch(/^scrypt\$16384\$/);
    await expect(hashDeviceSecret('short-typed-secret', 'hs256')).rejects.toThrow(RangeError);
    expect(await verifyDeviceSecret('short-typed-secret', await hashDeviceSecret('short-typed-secret'))).toBe(true);
    // What the choice is for: 2,000 devices (re)connecting cost the broker milliseconds, not minutes of scrypt.
    const hash = await hashDeviceSecret(generated);
    const t0 = performance.now();
    for (let i = 0; i < 2_000; i++) expect(await verifyDeviceSecret(generated, hash)).toBe(true);
    expect(performance.now() - t0).toBeLessThan(1_000);
  });

  it('usernames are <tenant>/<deviceId> with a division code and a contracts device id', () => {
    expect(parseDeviceUsername('430102/sensor-a')).toEqual({ tenant: '430102', deviceId: 'sensor-a' });
    for (const bad of ['sensor-a', '4301/sensor-a', '430102/a', '430102/sensor-a/x', '430102/sen#sor', '']) {
      expect(parseDeviceUsername(bad)).toBeUndefined();
    }
  });
});

describe('connect', () => {
  it('accepts a registered, active device whose client id is its device id', async () => {
    const a = await connect(A);
    expect(a.connected).toBe(true);
  });

  it.each([
    ['wrong secret', () => connect(A, { password: generateDeviceSecret() }), 'bad-secret'],
    ['unknown device', () => connect(dev(FURONG, 'sensor-ghost')), 'unknown-device'],
    ['revoked device', () => connect(REVOKED), 'revoked'],
    ['client id ≠ device id', () => connect(A, { clientId: 'sensor-b' }), 'client-id-mismatch'],
    ['username of another tenant', () => connect(A, { username: deviceUsername(TIANXIN, A.deviceId) }), 'unknown-device'],
    ['malformed username', () => connect(A, { username: A.deviceId }), 'malformed-username'],
    ['no credentials', () => connect(A, { username: undefined, password: undefined }), 'missing-credentials'],
  ] as const)('refuses %s with CONNACK 5 (not authorized)', async (_, attempt, reason) => {
    const before = local.stats().connectsRefused[reason] ?? 0;
    await expect(attempt()).rejects.toMatchObject({ code: 5 });
    expect(local.stats().connectsRefused[reason]).toBe(before + 1);
  });

  it("refuses a client id already held by another tenant's device and keeps the first connection", async () => {
    const first = await connect(SHARED_1);
    await expect(connect(SHARED_2)).rejects.toMatchObject({ code: 5 });
    expect(first.connected).toBe(true);
    expect(local.stats().connectsRefused['client-id-held-by-other-tenant']).toBeGreaterThanOrEqual(1);
  });
});

describe('publish', () => {
  it("delivers a device's telemetry under its own prefix to the server-side subscriber, QoS 1 acknowledged", async () => {
    const { got, unsubscribe } = record('cityops/+/devices/+/telemetry');
    try {
      const a = await connect(A);
      const topic = deviceTopic(A.tenant, A.deviceId, 'telemetry');
      const pubacks: Array<number | undefined> = [];
      a.on('packetreceive', (packet) => packet.cmd === 'puback' && pubacks.push(packet.messageId));
      // publishAsync with QoS 1 resolves only once the PUBACK for its message id has arrived
      const sent = await a.publishAsync(topic, JSON.stringify({ t: 21.5 }), { qos: 1 });
      expect(sent?.messageId).toBeDefined();
      expect(pubacks).toEqual([sent?.messageId]);
      await a.publishAsync(topic, JSON.stringify({ t: 21.6 }), { qos: 0 });
      await vi.waitFor(() => expect(got).toHaveLength(2));
      expect(got).toEqual([
        { topic, payload: '{"t":21.5}' },
        { topic, payload: '{"t":21.6}' },
      ]);
    } finally {
      await unsubscribe();
    }
  });

  it.each([
    ["device B's prefix (same tenant)", deviceTopic(B.tenant, B.deviceId, 'telemetry')],
    ['another tenant', deviceTopic(TIANXIN, A.deviceId, 'telemetry')],
    ["another tenant's device", deviceTopic(C.tenant, C.deviceId, 'telemetry')],
    ['its own prefix but an unknown channel', `cityops/${A.tenant}/devices/${A.deviceId}/cmd/reboot`],
    ['a topic outside the grammar', 'city/anything'],
    ['$SYS', '$SYS/fake/heartbeat'],
  ])('drops a publish to %s and disconnects the device (MQTT 3.1.1: no PUBACK)', async (_, topic) => {
    const { got, unsubscribe } = record('#');
    const before = local.stats().publishesRefused['foreign-topic'] ?? 0;
    try {
      const a = await connect(A);
      const gone = closed(a);
      let acked = false;
      a.publish(topic, 'forged-reading', { qos: 1 }, (err) => (acked = !err));
      await gone;
      await flush(got);
      expect(acked).toBe(false);
      expect(got.filter((m) => m.payload === 'forged-reading')).toEqual([]);
      expect(local.stats().publishesRefused['foreign-topic']).toBe(before + 1);
    } finally {
      await unsubscribe();
    }
  });

  it(`refuses a payload over ${DEFAULT_MAX_PAYLOAD_BYTES} bytes; exactly the limit passes`, async () => {
    const { got, unsubscribe } = record();
    try {
      const a = await connect(A);
      const topic = deviceTopic(A.tenant, A.deviceId, 'events');
      await a.publishAsync(topic, Buffer.alloc(DEFAULT_MAX_PAYLOAD_BYTES, 0x61), { qos: 1 });
      await vi.waitFor(() => expect(got.some((m) => m.payload.length === DEFAULT_MAX_PAYLOAD_BYTES)).toBe(true));
      const gone = closed(a);
      a.publish(topic, Buffer.alloc(DEFAULT_MAX_PAYLOAD_BYTES + 1, 0x62), { qos: 1 });
      await gone;
      await flush(got);
      expect(got.some((m) => m.payload.length > DEFAULT_MAX_PAYLOAD_BYTES)).toBe(false);
      expect(local.stats().publishesRefused['payload-too-large']).toBe(1);
    } finally {
      await unsubscribe();
    }
  });

  it('refuses QoS 2 (IoT Core supports QoS 0 and 1 only)', async () => {
    const { got, unsubscribe } = record();
    try {
      const a = await connect(A);
      const gone = closed(a);
      a.publish(deviceTopic(A.tenant, A.deviceId, 'telemetry'), 'qos2-reading', { qos: 2 });
      await gone;
      await flush(got);
      expect(got.some((m) => m.payload === 'qos2-reading')).toBe(false);
    } finally {
      await unsubscribe();
    }
  });
});

describe('subscribe', () => {
  it.each([
    ['#', '#'],
    ['all of cityops', 'cityops/#'],
    ['its own tenant', `cityops/${FURONG}/#`],
    ['another tenant', `cityops/${TIANXIN}/devices/+/cmd/#`],
    ["another device's commands", commandTopicFilter(B.tenant, B.deviceId)],
    ['its own telemetry', deviceTopic(A.tenant, A.deviceId, 'telemetry')],
    ['$SYS', '$SYS/#'],
  ])('refuses %s with SUBACK 0x80 and keeps the connection', async (_, filter) => {
    const a = await connect(A);
    await expect(a.subscribeAsync(filter, { qos: 1 })).rejects.toMatchObject({ packet: { cmd: 'suback', granted: [128] } });
    expect(a.connected).toBe(true);
  });

  it('grants its own command subtree; commands for other devices do not reach it', async () => {
    const a = await connect(A);
    const granted = await a.subscribeAsync(commandTopicFilter(A.tenant, A.deviceId), { qos: 1 });
    expect(granted.map((g) => g.qos)).toEqual([1]);
    const seen: string[] = [];
    a.on('message', (topic, payload) => seen.push(`${topic} ${payload.toString()}`));
    await local.publish(`cityops/${B.tenant}/devices/${B.deviceId}/cmd/reboot`, 'not-for-a');
    await local.publish(`cityops/${A.tenant}/devices/${A.deviceId}/cmd/reboot`, 'for-a');
    await vi.waitFor(() => expect(seen).toEqual([`cityops/${A.tenant}/devices/${A.deviceId}/cmd/reboot for-a`]));
  });
});

describe('revocation', () => {
  it('disconnectDevice closes a live connection, and the revoked device cannot come back', async () => {
    const d = await connect(LIVE_REVOKE);
    await d.subscribeAsync(commandTopicFilter(LIVE_REVOKE.tenant, LIVE_REVOKE.deviceId));
    const gone = closed(d);
    store.revoke(LIVE_REVOKE.tenant, LIVE_REVOKE.deviceId);
    expect(await local.disconnectDevice(LIVE_REVOKE.tenant, LIVE_REVOKE.deviceId)).toBe(1);
    await gone;
    await expect(connect(LIVE_REVOKE)).rejects.toMatchObject({ code: 5 });
    expect(await local.disconnectDevice(LIVE_REVOKE.tenant, LIVE_REVOKE.deviceId)).toBe(0);
  });
});

describe('rotation', () => {
  it('a rotated secret works at once and the old one stops; revoking right after a good connect refuses the next', async () => {
    const d = dev(FURONG, 'sensor-rot');
    await store.register(d.tenant, d.deviceId, d.secret);
    (await connect(d)).end(true);
    const rotated = { ...d, secret: generateDeviceSecret() };
    await store.register(d.tenant, d.deviceId, rotated.secret); // what POST /v1/devices/{id}/credentials does
    const badBefore = local.stats().connectsRefused['bad-secret'] ?? 0;
    await expect(connect(d)).rejects.toMatchObject({ code: 5 });
    expect(local.stats().connectsRefused['bad-secret']).toBe(badBefore + 1);
    const live = await connect(rotated);
    const gone = closed(live);
    store.revoke(d.tenant, d.deviceId);
    expect(await local.disconnectDevice(d.tenant, d.deviceId)).toBe(1);
    await gone;
    const revokedBefore = local.stats().connectsRefused.revoked ?? 0;
    await expect(connect(rotated)).rejects.toMatchObject({ code: 5 });
    expect(local.stats().connectsRefused.revoked).toBe(revokedBefore + 1);
  });
});

describe('server-side subscriber', () => {
  it('keeps going after a handler error and handles each topic in order', async () => {
    const seen: string[] = [];
    const unsubscribe = local.subscribe('cityops/+/devices/+/+', async (topic, payload) => {
      const text = payload.toString();
      await new Promise((r) => setTimeout(r, Math.random() * 3));
      if (text === 'boom') throw new Error('handler failed');
      seen.push(`${topic.split('/').pop()}:${text}`);
    });
    try {
      const errorsBefore = local.stats().handlerErrors;
      const a = await connect(A);
      const n = 50;
      const sends: Array<Promise<unknown>> = [a.publishAsync(deviceTopic(A.tenant, A.deviceId, 'telemetry'), 'boom', { qos: 1 })];
      for (let i = 0; i < n; i++) {
        sends.push(a.publishAsync(deviceTopic(A.tenant, A.deviceId, 'telemetry'), String(i), { qos: 1 }));
        sends.push(a.publishAsync(deviceTopic(A.tenant, A.deviceId, 'status'), String(i), { qos: 1 }));
      }
      await Promise.all(sends);
      await vi.waitFor(() => expect(seen).toHaveLength(2 * n));
      const range = Array.from({ length: n }, (_, i) => String(i));
      expect(seen.filter((s) => s.startsWith('telemetry:')).map((s) => s.slice(10))).toEqual(range);
      expect(seen.filter((s) => s.startsWith('status:')).map((s) => s.slice(7))).toEqual(range);
      expect(local.stats().handlerErrors).toBe(errorsBefore + 1);
      expect(logger.entries.some((e) => e.level === 'error' && e.entry.event === 'mqtt.handler.failed')).toBe(true);
      expect(a.connected).toBe(true);
    } finally {
      await unsubscribe();
    }
  });
});

describe('logs', () => {
  it('are structured and never carry secrets or payloads', () => {
    expect(logger.entries.length).toBeGreaterThan(0);
    expect(logger.entries.every((e) => e.entry.component === 'mqtt' && typeof e.entry.event === 'string')).toBe(true);
    const text = JSON.stringify(logger.entries);
    for (const d of ALL) expect(text).not.toContain(d.secret);
    for (const payload of ['forged-reading', 'qos2-reading', '21.5', 'for-a', 'aaaaaaaa']) expect(text).not.toContain(payload);
    const events = new Set(logger.entries.map((e) => e.entry.event));
    for (const e of ['mqtt.connect.refused', 'mqtt.publish.refused', 'mqtt.subscribe.refused', 'mqtt.device.disconnected']) {
      expect(events).toContain(e);
    }
  });
});

describe('start and stop', () => {
  it('refuses a port in use with a LocalStackError naming the variable', async () => {
    await expect(startBroker({ port: local.port, credentials: store, logger: collectingLogger() })).rejects.toSatisfy(
      (e: unknown) => e instanceof LocalStackError && /CITYOPS_MQTT_PORT/.test(e.fix),
    );
  });

  it('close() disconnects clients (also half-open ones), frees the port and is idempotent', async () => {
    const port = await freePort();
    const own = await startBroker({ port, credentials: store, logger: collectingLogger() });
    expect(own.port).toBe(port);
    const a = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
      clientId: A.deviceId,
      username: deviceUsername(A.tenant, A.deviceId),
      password: A.secret,
      reconnectPeriod: 0,
    });
    const gone = closed(a);
    const silent = net.connect(port, '127.0.0.1'); // never sends CONNECT
    await new Promise((r) => silent.once('connect', r));
    const silentClosed = new Promise((r) => silent.once('close', r));
    const t0 = Date.now();
    await Promise.all([own.close(), own.close()]);
    await gone;
    await silentClosed;
    expect(Date.now() - t0).toBeLessThan(2_000);
    await assertPortFree(port, 'MQTT broker', 'CITYOPS_MQTT_PORT');
    a.end(true);
  });
});
