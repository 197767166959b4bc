import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IClientOptions } from 'mqtt';
import type { AlarmView, DeviceLiveEvent, MqttLiveChannel } from '../../../contracts';
import { signIn, signOut } from '../auth/session';
import { fakeEventStream } from '../test/event-stream';
import { installFakeApi } from '../test/fake-api';
import { alarmView, COVER_ID, deviceView, TOKENS } from '../test/fixtures';
import { api, type EventStream, type StreamState } from './client';
import { mqttConnectOf, openLiveChannel, parseLiveMessage, type MqttClientLike, type MqttConnect } from './live-channel';

const FAST = { initialMs: 10, maxMs: 40 };
const CHANNEL: MqttLiveChannel = {
  kind: 'mqtt',
  url: 'wss://a1b2c3d4e5f6g7-ats.iot.cn-north-1.amazonaws.com.cn/mqtt',
  authorizer: 'cityops-dev-live',
  clientIdPrefix: 'live-0123456789abcdef0123456789abcdef-',
  topics: ['cityops/live/430100/devices', 'cityops/live/430100/alarms'],
};
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** A stand-in for an mqtt.js client: records how it was opened and what it subscribed to; the test drives its events. */
class FakeMqtt implements MqttClientLike {
  readonly subscriptions: string[][] = [];
  ended = false;
  grant = 0;
  private readonly listeners = new Map<string, Array<(...args: never[]) => void>>();
  constructor(
    readonly url: string,
    readonly options: IClientOptions,
  ) {}
  on(event: string, fn: (...args: never[]) => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const fn of this.listeners.get(event) ?? []) (fn as (...a: unknown[]) => void)(...args);
  }
  subscribe(topics: string[], _options: { qos: 0 }, callback: (error: Error | null, granted?: Array<{ topic: string; qos: number }>) => void): this {
    this.subscriptions.push(topics);
    queueMicrotask(() => callback(null, topics.map((topic) => ({ topic, qos: this.grant }))));
    return this;
  }
  end(): this {
    this.ended = true;
    return this;
  }
}

function fakeBroker() {
  const clients: FakeMqtt[] = [];
  const connect: MqttConnect = (url, options) => {
    const c = new FakeMqtt(url, options);
    clients.push(c);
    return c;
  };
  return { clients, connect: async () => connect, last: () => clients.at(-1)! };
}

describe('live messages from IoT Core topics (contracts)', () => {
  it('parses a devices message and an alarms message by topic and payload contract', () => {
    const device: DeviceLiveEvent = { id: COVER_ID, live: deviceView().live! };
    expect(parseLiveMessage('cityops/live/430100/devices', bytes({ devices: [device] }))).toEqual({ kind: 'devices', tenant: '430100', devices: [device] });
    expect(parseLiveMessage('cityops/live/430181/alarms', JSON.stringify({ alarms: [alarmView()] }))).toEqual({ kind: 'alarms', tenant: '430181', alarms: [alarmView()] });
  });

  it('skips (and reports) off-grammar topics, payloads that are not JSON, and payloads that break the contract', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(parseLiveMessage('cityops/430100/devices/mh-1/telemetry', bytes({ devices: [] }))).toBeUndefined();
    expect(parseLiveMessage('cityops/live/xx/alarms', bytes({ alarms: [alarmView()] }))).toBeUndefined();
    expect(parseLiveMessage('cityops/live/430100/alarms', new TextEncoder().encode('{not json'))).toBeUndefined();
    expect(parseLiveMessage('cityops/live/430100/alarms', bytes({ alarms: [{ id: 'not an alarm' }] }))).toBeUndefined();
    expect(parseLiveMessage('cityops/live/430100/devices', bytes({ devices: [] }))).toBeUndefined();
    expect(log).toHaveBeenCalledTimes(5);
  });
});

describe('the mqtt package as the browser loads it', () => {
  it('finds connect in the browser ESM build, which has only a default export', async () => {
    const browserBuild = 'mqtt/dist/mqtt.esm';
    const mod: unknown = await import(/* @vite-ignore */ browserBuild);
    expect(Object.keys(mod as object)).toEqual(['default']);
    expect(mqttConnectOf(mod)).toBeTypeOf('function');
  });
});

describe('live channel choice (GET /v1/monitoring/live-channel)', () => {
  let stream: EventStream | undefined;
  beforeEach(() => signIn(TOKENS));
  afterEach(() => {
    stream?.close();
    signOut();
    sessionStorage.clear();
  });

  it('follows SSE when the API says sse (the local stack)', async () => {
    const events = fakeEventStream();
    const fake = installFakeApi({ 'GET /v1/monitoring/live-channel': { body: { kind: 'sse', url: '/v1/monitoring/events' } }, 'GET /v1/monitoring/events': events.route });
    const devices: DeviceLiveEvent[] = [];
    const states: StreamState[] = [];
    stream = api.monitoring.live({ onDevice: (e) => devices.push(e), onState: (s) => states.push(s) });
    await vi.waitFor(() => expect(states).toContain('open'));
    events.send('device', { id: COVER_ID, live: deviceView().live });
    await vi.waitFor(() => expect(devices).toHaveLength(1));
    expect(fake.called('GET /v1/monitoring/live-channel')[0]?.headers.get('Authorization')).toBe('Bearer id-abc');
  });

  it('falls back to SSE when the API has no live-channel route (404)', async () => {
    const events = fakeEventStream();
    const fake = installFakeApi({ 'GET /v1/monitoring/events': events.route });
    const states: StreamState[] = [];
    stream = api.monitoring.live({ onState: (s) => states.push(s) });
    await vi.waitFor(() => expect(states).toContain('open'));
    expect(fake.called('GET /v1/monitoring/events')).toHaveLength(1);
  });

  it('shows "not connected" when the deployment pushes nothing (none), and opens no stream', async () => {
    const fake = installFakeApi({ 'GET /v1/monitoring/live-channel': { body: { kind: 'none' } } });
    const states: StreamState[] = [];
    stream = api.monitoring.live({ onState: (s) => states.push(s) });
    await vi.waitFor(() => expect(states.at(-1)).toBe('closed'));
    expect(fake.called('GET /v1/monitoring/events')).toHaveLength(0);
  });

  it('connects over MQTT/WSS when the API says mqtt: authorizer in the URL, token as password, own client id, the given topics', async () => {
    installFakeApi({ 'GET /v1/monitoring/live-channel': { body: CHANNEL } });
    const broker = fakeBroker();
    const devices: DeviceLiveEvent[] = [];
    const alarms: AlarmView[] = [];
    const states: StreamState[] = [];
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    stream = openLiveChannel(
      { onDevice: (e) => devices.push(e), onAlarm: (a) => alarms.push(a), onState: (s) => states.push(s) },
      { channel: () => api.monitoring.liveChannel(), sse: () => { throw new Error('SSE must not be used'); }, token: () => 'id-abc', connect: broker.connect, randomId: () => 'tab1' },
    );
    await vi.waitFor(() => expect(broker.clients).toHaveLength(1));
    const client = broker.last();
    expect(client.url).toBe(`${CHANNEL.url}?x-amz-customauthorizer-name=cityops-dev-live`);
    expect(client.url).not.toContain('id-abc');
    expect(client.options).toMatchObject({ clientId: `${CHANNEL.clientIdPrefix}tab1`, username: '', password: 'id-abc', reconnectPeriod: 0 });

    client.emit('connect');
    await vi.waitFor(() => expect(states.at(-1)).toBe('open'));
    expect(client.subscriptions).toEqual([CHANNEL.topics]);

    const device: DeviceLiveEvent = { id: COVER_ID, live: deviceView().live! };
    client.emit('message', 'cityops/live/430100/devices', bytes({ devices: [device, { ...device, id: 'MH-YL-0002' }] }));
    client.emit('message', 'cityops/live/430100/alarms', bytes({ alarms: [alarmView()] }));
    client.emit('message', 'cityops/live/430100/alarms', bytes({ alarms: [{ id: 'not an alarm' }] }));
    expect(devices.map((d) => d.id)).toEqual([COVER_ID, 'MH-YL-0002']);
    expect(alarms.map((a) => a.deviceName)).toEqual(['西园路 12 号井盖']);
    expect(log).toHaveBeenCalledOnce();
  });

  it('reconnects after a drop with the session’s current token and says it reconnected; close() ends it', async () => {
    const broker = fakeBroker();
    let token = 'id-abc';
    const opened: boolean[] = [];
    const states: StreamState[] = [];
    stream = openLiveChannel(
      { onOpen: (again) => opened.push(again), onState: (s) => states.push(s), backoff: FAST },
      { channel: async () => CHANNEL, sse: () => { throw new Error('SSE must not be used'); }, token: () => token, connect: broker.connect },
    );
    await vi.waitFor(() => expect(broker.clients).toHaveLength(1));
    broker.last().emit('connect');
    await vi.waitFor(() => expect(opened).toEqual([false]));

    token = 'id-renewed';
    broker.last().emit('close');
    expect(states.at(-1)).toBe('retrying');
    expect(broker.clients[0]?.ended).toBe(true);
    await vi.waitFor(() => expect(broker.clients).toHaveLength(2));
    expect(broker.last().options.password).toBe('id-renewed');
    expect(broker.last().options.clientId).not.toBe(broker.clients[0]?.options.clientId);
    broker.last().emit('connect');
    await vi.waitFor(() => expect(opened).toEqual([false, true]));

    stream.close();
    expect(broker.last().ended).toBe(true);
    expect(states.at(-1)).toBe('closed');
    await new Promise((r) => setTimeout(r, 60));
    expect(broker.clients).toHaveLength(2);
  });

  it('stops for good when IoT Core refuses the subscription (the policy does not allow it)', async () => {
    const broker = fakeBroker();
    const states: StreamState[] = [];
    stream = openLiveChannel({ onState: (s) => states.push(s), backoff: FAST }, { channel: async () => CHANNEL, sse: () => ({ close: () => {} }), token: () => 'id-abc', connect: broker.connect });
    await vi.waitFor(() => expect(broker.clients).toHaveLength(1));
    broker.last().grant = 0x87;
    broker.last().emit('connect');
    await vi.waitFor(() => expect(states.at(-1)).toBe('closed'));
    await new Promise((r) => setTimeout(r, 60));
    expect(broker.clients).toHaveLength(1);
  });
});
