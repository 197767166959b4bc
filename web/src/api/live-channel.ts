/**
 * The monitoring screens' live push, whichever way the API offers it (GET /v1/monitoring/live-channel, ADR 009):
 * SSE from the API itself (the local stack), or MQTT over WSS to AWS IoT Core, where the platform publishes each
 * tenant's changes to `cityops/live/<tenant>/{devices,alarms}`. Either way the screen gets the same handler calls
 * (one device or alarm at a time) and the same states, so components do not know which one runs.
 *
 * MQTT: the URL names the IoT Core custom authorizer (`?x-amz-customauthorizer-name=`) and the session token goes
 * as the MQTT password (not in the URL, so it stays out of access logs); the client id starts with the prefix
 * the API handed out, which the authorizer's policy requires. Reconnecting is done here, not by the MQTT library,
 * so every attempt carries the session's current token (IoT Core cuts the connection when the token expires).
 * The `mqtt` browser build is loaded only when an MQTT channel is used.
 */
import type { IClientOptions } from 'mqtt';
import {
  LiveAlarmsMessage,
  LiveDevicesMessage,
  parseLiveTopic,
  type AlarmView,
  type DeviceLiveEvent,
  type LiveChannel,
  type MqttLiveChannel,
} from '../../../contracts';
import type { EventStream, MonitoringEventHandlers, StreamState } from './client';

/** What arrived on a live topic, checked against the topic grammar and the payload contracts. */
export type LiveMessage = { kind: 'devices'; tenant: string; devices: DeviceLiveEvent[] } | { kind: 'alarms'; tenant: string; alarms: AlarmView[] };

/** Parse a message of a live topic; undefined (and a console error) when the topic or the payload breaks the contract. */
export function parseLiveMessage(topic: string, payload: Uint8Array | string): LiveMessage | undefined {
  const parsedTopic = parseLiveTopic(topic);
  if (!parsedTopic) {
    console.error(`live message on an unexpected topic: ${topic}`);
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(typeof payload === 'string' ? payload : new TextDecoder().decode(payload));
  } catch {
    json = undefined;
  }
  if (parsedTopic.kind === 'devices') {
    const parsed = LiveDevicesMessage.safeParse(json);
    if (parsed.success) return { kind: 'devices', tenant: parsedTopic.tenant, devices: parsed.data.devices };
    console.error(`live message on ${topic}: does not match the contract`, parsed.error.issues);
    return undefined;
  }
  const parsed = LiveAlarmsMessage.safeParse(json);
  if (parsed.success) return { kind: 'alarms', tenant: parsedTopic.tenant, alarms: parsed.data.alarms };
  console.error(`live message on ${topic}: does not match the contract`, parsed.error.issues);
  return undefined;
}

/** The part of an mqtt.js client used here (a fake in tests). */
export interface MqttClientLike {
  on(event: 'connect', fn: () => void): unknown;
  on(event: 'message', fn: (topic: string, payload: Uint8Array) => void): unknown;
  on(event: 'close' | 'offline', fn: () => void): unknown;
  on(event: 'error', fn: (error: Error) => void): unknown;
  subscribe(topics: string[], options: { qos: 0 }, callback: (error: Error | null, granted?: Array<{ topic: string; qos: number }>) => void): unknown;
  end(force?: boolean): unknown;
}
export type MqttConnect = (url: string, options: IClientOptions) => MqttClientLike;

/** mqtt.js `connect` of a loaded module: the browser ESM build has only a default export (the module object). */
export function mqttConnectOf(mod: unknown): MqttConnect | undefined {
  const m = mod as { default?: { connect?: unknown }; connect?: unknown };
  const connect = m.default?.connect ?? m.connect;
  return typeof connect === 'function' ? (connect as MqttConnect) : undefined;
}

const loadMqtt = async (): Promise<MqttConnect> => {
  const connect = mqttConnectOf(await import('mqtt'));
  if (!connect) throw new Error('mqtt: no connect function');
  return connect;
};

export interface LiveChannelDeps {
  /** GET /v1/monitoring/live-channel. */
  channel: () => Promise<LiveChannel>;
  /** The SSE stream (GET /v1/monitoring/events). */
  sse: (handlers: MonitoringEventHandlers) => EventStream;
  /** The session's current token. */
  token: () => string | undefined;
  /** mqtt.js `connect` (tests pass a fake); default: the browser build, loaded on first use. */
  connect?: () => Promise<MqttConnect>;
  /** A random suffix for the client id (one per connection). */
  randomId?: () => string;
}

/** Answers after which asking again cannot help: the session, the role or the route is wrong. */
const FATAL_STATUS = new Set([400, 401, 403, 405]);
const statusOf = (error: unknown): number | undefined => (typeof (error as { status?: unknown })?.status === 'number' ? (error as { status: number }).status : undefined);

/** The delay before reconnect attempt `attempt` (1-based): doubling up to the ceiling, plus up to 25 % jitter. */
const delay = (attempt: number, backoff: { initialMs: number; maxMs: number }) => {
  const base = Math.min(backoff.maxMs, backoff.initialMs * 2 ** (attempt - 1));
  return base + Math.floor(Math.random() * base * 0.25);
};

/** Follow an MQTT live channel: connect, subscribe, hand messages to the handlers; reconnect with a fresh token. */
export function openMqttChannel(channel: MqttLiveChannel, handlers: MonitoringEventHandlers, deps: Pick<LiveChannelDeps, 'token' | 'connect' | 'randomId'>): EventStream {
  const backoff = handlers.backoff ?? { initialMs: 1_000, maxMs: 30_000 };
  const randomId = deps.randomId ?? (() => crypto.randomUUID().replace(/-/g, '').slice(0, 16));
  let closed = false;
  let everOpened = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let client: MqttClientLike | undefined;
  const setState = (state: StreamState) => handlers.onState?.(state);

  const drop = () => {
    const c = client;
    client = undefined;
    c?.end(true);
  };
  const retry = () => {
    if (closed || timer !== undefined) return;
    drop();
    attempt += 1;
    setState('retrying');
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, delay(attempt, backoff));
  };

  const connect = async () => {
    if (closed) return;
    const token = deps.token();
    if (!token) {
      closed = true;
      return setState('closed');
    }
    let mqttConnect: MqttConnect;
    try {
      mqttConnect = await (deps.connect ?? loadMqtt)();
    } catch {
      return retry();
    }
    if (closed) return;
    const url = `${channel.url}?x-amz-customauthorizer-name=${encodeURIComponent(channel.authorizer)}`;
    const c = mqttConnect(url, {
      protocolVersion: 5,
      clientId: `${channel.clientIdPrefix}${randomId()}`,
      // The token is the password; IoT Core passes it base64-encoded to the authorizer.
      username: '',
      password: token,
      clean: true,
      keepalive: 60,
      connectTimeout: 15_000,
      reconnectPeriod: 0,
    });
    client = c;
    c.on('connect', () => {
      if (client !== c) return;
      c.subscribe(channel.topics, { qos: 0 }, (error, granted) => {
        if (client !== c) return;
        // A refused subscription (0x80 or above) means the policy does not allow it: retrying cannot help.
        if (error || !granted || granted.some((g) => g.qos >= 0x80)) {
          closed = true;
          drop();
          return setState('closed');
        }
        attempt = 0;
        setState('open');
        handlers.onOpen?.(everOpened);
        everOpened = true;
      });
    });
    c.on('message', (topic, payload) => {
      if (client !== c || closed) return;
      const message = parseLiveMessage(topic, payload);
      if (message?.kind === 'devices') for (const d of message.devices) handlers.onDevice?.(d);
      else if (message?.kind === 'alarms') for (const a of message.alarms) handlers.onAlarm?.(a);
    });
    const lost = () => {
      if (client === c) retry();
    };
    c.on('close', lost);
    c.on('offline', lost);
    c.on('error', lost);
  };

  setState('connecting');
  void connect();
  return {
    close: () => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      drop();
      setState('closed');
    },
  };
}

/**
 * Ask the API which channel applies and follow it. An API without the live-channel route (404) is followed by
 * SSE as before; `none` means no push here (the screen keeps its loaded lists); a failed question is asked again.
 */
export function openLiveChannel(handlers: MonitoringEventHandlers, deps: LiveChannelDeps): EventStream {
  const backoff = handlers.backoff ?? { initialMs: 1_000, maxMs: 30_000 };
  let closed = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inner: EventStream | undefined;

  const start = async () => {
    let channel: LiveChannel;
    try {
      channel = await deps.channel();
    } catch (error) {
      if (closed) return;
      const status = statusOf(error);
      if (status === 404) {
        channel = { kind: 'sse', url: '/v1/monitoring/events' };
      } else if (status !== undefined && FATAL_STATUS.has(status)) {
        closed = true;
        return handlers.onState?.('closed');
      } else {
        attempt += 1;
        handlers.onState?.('retrying');
        timer = setTimeout(() => void start(), delay(attempt, backoff));
        return;
      }
    }
    if (closed) return;
    if (channel.kind === 'sse') inner = deps.sse(handlers);
    else if (channel.kind === 'mqtt') inner = openMqttChannel(channel, handlers, deps);
    else handlers.onState?.('closed');
  };

  handlers.onState?.('connecting');
  void start();
  return {
    close: () => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      if (inner) inner.close();
      else handlers.onState?.('closed');
    },
  };
}
