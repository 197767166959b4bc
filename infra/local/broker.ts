/**
 * The local MQTT broker: an in-process `aedes` standing in for IoT Core, with the same rules a device meets in AWS.
 *
 * Connect (authenticate): client id = device id (thing name), username = `<tenant>/<deviceId>`, password = the
 * device secret (see device-credentials.ts). Unknown device, wrong secret, revoked device, client id ≠ device id,
 * a client id held by another tenant's device → CONNACK return code 5 (not authorized); the reason is only logged.
 *
 * Publish (authorizePublish): only to topics that `parseTopic` accepts whose tenant and device id are the
 * device's own, QoS 0 or 1 (IoT Core has no QoS 2), payload ≤ `maxPayloadBytes` (default 16 KiB). MQTT 3.1.1
 * has no negative PUBACK, so aedes answers a refused PUBLISH by closing the connection without a PUBACK
 * (MQTT-3.3.5-2; `clientError` is emitted) and the message reaches no subscriber — as IoT Core does.
 *
 * Subscribe (authorizeSubscribe): only filters under the device's own `cmd` subtree,
 * `cityops/<tenant>/devices/<deviceId>/cmd[/…]` (commands down). Anything else is granted 0x80 (failure) in the
 * SUBACK and the connection stays up. QoS 2 subscriptions are granted QoS 1. Forwarding (authorizeForward)
 * re-checks the same rule, so a device never receives anything outside its own command subtree.
 *
 * Server side: `subscribe(filter, handler)` is the platform's own consumer (no credentials; bypasses the ACL)
 * and is how the local stack routes telemetry to the ingest handler. Messages are handed to the handler one at a
 * time per topic, in arrival order; topics run concurrently. A handler error is logged and counted, and the
 * next message is handled. Note that aedes sends a device's PUBACK before it delivers to subscribers, so a PUBACK
 * means "accepted by the broker", not "processed by the handler" (in AWS: accepted by IoT Core, before the rule).
 *
 * Revocation: mark the device revoked in the store, then call `disconnectDevice(tenant, deviceId)`; live
 * connections are closed (their will message is not published) and connects already past the lookup are refused.
 *
 * Logs are structured objects (`component: 'mqtt'`, `event: …`); payloads and secrets are never logged.
 */
import net from 'node:net';
import { Aedes, type AedesPublishPacket, type Client, type PublishPacket, type Subscription } from 'aedes';
import { Channel, devicePrefix, deviceTopic } from '../../contracts/src/mqtt';
import {
  MAX_SECRET_BYTES,
  parseDeviceUsername,
  unknownDeviceHash,
  verifyDeviceSecret,
  type DeviceCredentialStore,
  type DeviceIdentity,
} from './device-credentials';
import { LocalStackError } from './errors';
import { assertPortFree } from './ports';

export interface BrokerLogger {
  info(entry: Record<string, unknown>): void;
  warn(entry: Record<string, unknown>): void;
  error(entry: Record<string, unknown>): void;
}

export interface StartBrokerOptions {
  /** 0 = any free port (tests). */
  port: number;
  host?: string;
  credentials: DeviceCredentialStore;
  logger?: BrokerLogger;
  /** Largest PUBLISH payload a device may send; default 16 KiB. */
  maxPayloadBytes?: number;
  /**
   * Messages a server-side subscription may hold (queued + being handled) before it stops acknowledging
   * deliveries to aedes, which then slows the whole broker down instead of growing memory; default 10,000.
   */
  maxPendingPerSubscription?: number;
  /** How long `close()` waits for server-side handlers to finish queued messages; default 5 s. */
  closeDrainMs?: number;
}

export type MessageHandler = (topic: string, payload: Buffer) => Promise<void> | void;

export type AuthRefusal =
  | 'missing-credentials'
  | 'malformed-username'
  | 'client-id-mismatch'
  | 'unknown-device'
  | 'record-mismatch'
  | 'bad-secret'
  | 'revoked'
  | 'revoked-during-connect'
  | 'client-id-held-by-other-tenant'
  | 'store-error';

export type PublishRefusal = 'unauthenticated' | 'revoked' | 'foreign-topic' | 'payload-too-large' | 'qos2';

export interface BrokerStats {
  port: number;
  connectedClients: number;
  connectsAccepted: number;
  connectsRefused: Partial<Record<AuthRefusal, number>>;
  publishesAccepted: number;
  publishesRefused: Partial<Record<PublishRefusal, number>>;
  subscriptionsRefused: number;
  forwardsBlocked: number;
  devicesDisconnected: number;
  serverSubscriptions: number;
  handled: number;
  handlerErrors: number;
  pending: number;
}

export interface LocalBroker {
  port: number;
  host: string;
  broker: Aedes;
  /** Server-side subscription (no ACL); returns a function that removes it. */
  subscribe(filter: string, handler: MessageHandler): () => Promise<void>;
  /** Server-side publish (no ACL), e.g. a command to `cityops/<tenant>/devices/<id>/cmd/<name>`. */
  publish(topic: string, payload: Buffer | string, qos?: 0 | 1): Promise<void>;
  /** Closes every live connection of this device and refuses connects already in flight; returns how many were closed. */
  disconnectDevice(tenant: string, deviceId: string): Promise<number>;
  stats(): BrokerStats;
  /** Disconnects all clients, closes the listener, waits (bounded) for server-side handlers. Idempotent. */
  close(): Promise<void>;
}

export const DEFAULT_MAX_PAYLOAD_BYTES = 16 * 1024;
export const MQTT_PORT_ENV = 'CITYOPS_MQTT_PORT';

/** The filter a device subscribes to for its commands. */
export const commandTopicFilter = (tenant: string, deviceId: string): string => `${devicePrefix(tenant, deviceId)}cmd/#`;

/** True when `topicOrFilter` lies in the device's own `cmd` subtree (the prefix itself has no wildcards). */
export function isOwnCommandTopic(identity: DeviceIdentity, topicOrFilter: string): boolean {
  const cmd = `${devicePrefix(identity.tenant, identity.deviceId)}cmd`;
  return topicOrFilter === cmd || topicOrFilter.startsWith(`${cmd}/`);
}

/** Well-formed MQTT topic filter: `+` fills a whole level, `#` only as the whole last level. */
export function isValidTopicFilter(filter: string): boolean {
  if (filter.length === 0 || filter.includes('\u0000')) return false;
  const levels = filter.split('/');
  return levels.every((level, i) => {
    if (level.includes('#')) return level === '#' && i === levels.length - 1;
    if (level.includes('+')) return level === '+';
    return true;
  });
}

const consoleLogger: BrokerLogger = {
  info: (e) => console.log(JSON.stringify({ level: 'info', ...e })),
  warn: (e) => console.warn(JSON.stringify({ level: 'warn', ...e })),
  error: (e) => console.error(JSON.stringify({ level: 'error', ...e })),
};

/** Attacker-controlled strings (client ids, usernames, topics) are logged truncated. */
const clip = (s: string | null | undefined, max = 160): string | undefined =>
  s == null ? undefined : s.length > max ? `${s.slice(0, max)}…` : s;

/** Errors the broker raised on purpose (refusals); `clientError` does not log them a second time. */
class Refusal extends Error {
  override readonly name = 'Refusal';
}

interface Connection extends DeviceIdentity {
  /** Set by disconnectDevice: no more publishes, no will message. */
  revoked: boolean;
  /**
   * The topics it may publish to: `deviceTopic(tenant, deviceId, channel)` for each channel, i.e. exactly the
   * topics `parseTopic` accepts with this tenant and device id (both were validated at connect). A set lookup
   * per PUBLISH instead of a zod parse: this runs for every message (thousands a second).
   */
  topics: ReadonlySet<string>;
}

const ownTopics = (identity: DeviceIdentity): ReadonlySet<string> =>
  new Set(Channel.options.map((channel) => deviceTopic(identity.tenant, identity.deviceId, channel)));

interface QueuedMessage {
  topic: string;
  payload: Buffer;
}

export async function startBroker(opts: StartBrokerOptions): Promise<LocalBroker> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.logger ?? consoleLogger;
  const maxPayloadBytes = opts.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const maxPending = Math.max(1, opts.maxPendingPerSubscription ?? 10_000);
  const closeDrainMs = opts.closeDrainMs ?? 5_000;
  const store = opts.credentials;
  const base = { component: 'mqtt' };

  await assertPortFree(opts.port, 'MQTT broker', MQTT_PORT_ENV);

  const connections = new WeakMap<Client, Connection>();
  /** Live (authenticated, socket open) clients by client id = device id. */
  const live = new Map<string, Set<Client>>();
  /** Bumped by disconnectDevice; a connect whose lookup started under an older generation is refused. */
  const generation = new Map<string, number>();
  const genKey = (tenant: string, deviceId: string) => `${tenant}/${deviceId}`;

  const counters = {
    connectsAccepted: 0,
    connectsRefused: {} as Partial<Record<AuthRefusal, number>>,
    publishesAccepted: 0,
    publishesRefused: {} as Partial<Record<PublishRefusal, number>>,
    subscriptionsRefused: 0,
    forwardsBlocked: 0,
    devicesDisconnected: 0,
    handled: 0,
    handlerErrors: 0,
  };

  function addLive(client: Client): void {
    let set = live.get(client.id);
    if (!set) live.set(client.id, (set = new Set()));
    set.add(client);
    client.conn.once('close', () => {
      set.delete(client);
      if (set.size === 0 && live.get(client.id) === set) live.delete(client.id);
    });
  }

  async function checkConnect(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
  ): Promise<{ ok: true; identity: DeviceIdentity } | { ok: false; reason: AuthRefusal; identity?: DeviceIdentity }> {
    if (!username || !password || password.length === 0 || password.length > MAX_SECRET_BYTES) {
      return { ok: false, reason: 'missing-credentials' };
    }
    const identity = parseDeviceUsername(username);
    if (!identity) return { ok: false, reason: 'malformed-username' };
    if (client.id !== identity.deviceId) return { ok: false, reason: 'client-id-mismatch', identity };
    const gen = generation.get(genKey(identity.tenant, identity.deviceId)) ?? 0;
    const record = await store.lookup(username);
    if (!record) {
      await verifyDeviceSecret(password, await unknownDeviceHash()); // same cost as a wrong secret
      return { ok: false, reason: 'unknown-device', identity };
    }
    if (record.tenant !== identity.tenant || record.deviceId !== identity.deviceId) {
      return { ok: false, reason: 'record-mismatch', identity };
    }
    if (!(await verifyDeviceSecret(password, record.secretHash))) return { ok: false, reason: 'bad-secret', identity };
    if (record.status !== 'active') return { ok: false, reason: 'revoked', identity };
    if ((generation.get(genKey(identity.tenant, identity.deviceId)) ?? 0) !== gen) {
      return { ok: false, reason: 'revoked-during-connect', identity };
    }
    for (const other of live.get(client.id) ?? []) {
      if (connections.get(other)?.tenant !== identity.tenant) return { ok: false, reason: 'client-id-held-by-other-tenant', identity };
    }
    return { ok: true, identity };
  }

  const broker = await Aedes.createBroker({
    // Client ids are device ids (up to 64 characters), longer than MQTT 3.1's 23.
    maxClientsIdLength: 64,
    maxTopicLevels: 16,
    drainTimeout: 30_000,

    authenticate(client, username, password, done) {
      checkConnect(client, username, password).then(
        (result) => {
          if (client.closed) return; // the socket went away during the lookup; aedes drops this connect
          if (result.ok) {
            connections.set(client, { ...result.identity, revoked: false, topics: ownTopics(result.identity) });
            addLive(client);
            counters.connectsAccepted++;
            done(null, true);
            return;
          }
          counters.connectsRefused[result.reason] = (counters.connectsRefused[result.reason] ?? 0) + 1;
          log.warn({
            ...base,
            event: 'mqtt.connect.refused',
            reason: result.reason,
            clientId: clip(client.id),
            tenant: result.identity?.tenant,
            deviceId: result.identity?.deviceId,
            username: result.identity ? undefined : clip(username),
            remoteAddress: remoteAddress(client),
          });
          done(Object.assign(new Refusal('not authorized'), { returnCode: 5 }), false);
        },
        (err: unknown) => {
          counters.connectsRefused['store-error'] = (counters.connectsRefused['store-error'] ?? 0) + 1;
          log.error({ ...base, event: 'mqtt.connect.store-error', clientId: clip(client.id), error: describe(err) });
          done(Object.assign(new Refusal('server unavailable'), { returnCode: 3 }), false);
        },
      );
    },

    authorizePublish(client, packet, done) {
      const refuse = (reason: PublishRefusal, extra: Record<string, unknown> = {}) => {
        counters.publishesRefused[reason] = (counters.publishesRefused[reason] ?? 0) + 1;
        log.warn({ ...base, event: 'mqtt.publish.refused', reason, clientId: clip(client?.id), topic: clip(packet.topic), ...extra });
        done(new Refusal(`publish refused: ${reason}`));
      };
      // client is null only for the stored will of a client that is gone; nothing vouches for it.
      const conn = client ? connections.get(client) : undefined;
      if (!conn) return refuse('unauthenticated');
      if (conn.revoked) return refuse('revoked');
      if (!conn.topics.has(packet.topic)) {
        return refuse('foreign-topic', { tenant: conn.tenant, deviceId: conn.deviceId });
      }
      if (packet.qos === 2) return refuse('qos2', { tenant: conn.tenant, deviceId: conn.deviceId });
      const size = payloadBytes(packet.payload);
      if (size > maxPayloadBytes) {
        return refuse('payload-too-large', { tenant: conn.tenant, deviceId: conn.deviceId, bytes: size, limit: maxPayloadBytes });
      }
      counters.publishesAccepted++;
      done(null);
    },

    authorizeSubscribe(client, sub: Subscription, done) {
      const conn = connections.get(client);
      if (!conn || conn.revoked || !isOwnCommandTopic(conn, sub.topic)) {
        counters.subscriptionsRefused++;
        log.warn({
          ...base,
          event: 'mqtt.subscribe.refused',
          clientId: clip(client.id),
          tenant: conn?.tenant,
          deviceId: conn?.deviceId,
          filter: clip(sub.topic),
        });
        done(null, null); // SUBACK 0x80 for this filter; the connection stays up
        return;
      }
      done(null, sub.qos > 1 ? { ...sub, qos: 1 } : sub);
    },

    authorizeForward(client, packet) {
      const conn = connections.get(client);
      if (conn && !conn.revoked && isOwnCommandTopic(conn, packet.topic)) return packet;
      counters.forwardsBlocked++;
      return null;
    },
  });

  broker.on('clientReady', (client) => {
    const conn = connections.get(client);
    log.info({ ...base, event: 'mqtt.client.connected', clientId: clip(client.id), tenant: conn?.tenant, deviceId: conn?.deviceId });
  });
  broker.on('clientDisconnect', (client) => {
    const conn = connections.get(client);
    log.info({ ...base, event: 'mqtt.client.disconnected', clientId: clip(client.id), tenant: conn?.tenant, deviceId: conn?.deviceId });
  });
  broker.on('clientError', (client, err) => {
    if (err instanceof Refusal) return; // logged where it was decided
    log.warn({ ...base, event: 'mqtt.client.error', clientId: clip(client.id), error: describe(err) });
  });
  broker.on('connectionError', (client, err) => {
    if (err instanceof Refusal) return;
    log.warn({ ...base, event: 'mqtt.connection.error', remoteAddress: remoteAddress(client), error: describe(err) });
  });

  // ---- server-side subscriptions -------------------------------------------------------------------------

  interface ServerSubscription {
    filter: string;
    handler: MessageHandler;
    deliver: (packet: AedesPublishPacket, cb: () => void) => void;
    queues: Map<string, QueuedMessage[]>;
    pending: number;
    /** aedes delivery callbacks held back while `pending` ≥ maxPending. */
    held: Array<() => void>;
    idle: Array<() => void>;
  }
  const subscriptions = new Set<ServerSubscription>();

  async function drainTopic(sub: ServerSubscription, topic: string, queue: QueuedMessage[]): Promise<void> {
    for (let next = queue[0]; next; next = queue[0]) {
      try {
        await sub.handler(next.topic, next.payload);
        counters.handled++;
      } catch (err) {
        counters.handlerErrors++;
        log.error({ ...base, event: 'mqtt.handler.failed', filter: sub.filter, topic: clip(topic), bytes: next.payload.length, error: describe(err) });
      }
      queue.shift();
      sub.pending--;
      while (sub.held.length > 0 && sub.pending < maxPending) sub.held.shift()!();
    }
    sub.queues.delete(topic);
    if (sub.pending === 0) for (const resolve of sub.idle.splice(0)) resolve();
  }

  function subscribe(filter: string, handler: MessageHandler): () => Promise<void> {
    if (!isValidTopicFilter(filter)) throw new RangeError(`not a valid MQTT topic filter: ${filter}`);
    const sub: ServerSubscription = {
      filter,
      handler,
      queues: new Map(),
      pending: 0,
      held: [],
      idle: [],
      deliver(packet, cb) {
        // `#`/`+` at the first level must not match `$SYS/…` (MQTT-4.7.2-1); aedes checks this only for clients.
        if (packet.topic.startsWith('$') && !filter.startsWith('$')) return cb();
        const message = { topic: packet.topic, payload: Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload) };
        sub.pending++;
        const queue = sub.queues.get(message.topic);
        if (queue) queue.push(message);
        else {
          const fresh = [message];
          sub.queues.set(message.topic, fresh);
          void drainTopic(sub, message.topic, fresh);
        }
        if (sub.pending < maxPending) cb();
        else sub.held.push(cb);
      },
    };
    subscriptions.add(sub);
    broker.subscribe(filter, sub.deliver, () => {});
    return () =>
      new Promise<void>((resolve) => {
        if (!subscriptions.delete(sub)) return resolve();
        broker.unsubscribe(filter, sub.deliver, () => {
          for (const cb of sub.held.splice(0)) cb();
          resolve();
        });
      });
  }

  function publish(topic: string, payload: Buffer | string, qos: 0 | 1 = 1): Promise<void> {
    const packet: PublishPacket = {
      cmd: 'publish',
      topic,
      payload: Buffer.isBuffer(payload) ? payload : Buffer.from(payload),
      qos,
      retain: false,
      dup: false,
    };
    return new Promise((resolve, reject) => broker.publish(packet, (err) => (err ? reject(err) : resolve())));
  }

  async function disconnectDevice(tenant: string, deviceId: string): Promise<number> {
    const key = genKey(tenant, deviceId);
    generation.set(key, (generation.get(key) ?? 0) + 1);
    const targets = [...(live.get(deviceId) ?? [])].filter((c) => connections.get(c)?.tenant === tenant);
    for (const client of targets) connections.get(client)!.revoked = true;
    await Promise.all(targets.map((client) => new Promise<void>((resolve) => client.close(() => resolve()))));
    counters.devicesDisconnected += targets.length;
    log.info({ ...base, event: 'mqtt.device.disconnected', tenant, deviceId, connections: targets.length });
    return targets.length;
  }

  // ---- listener ------------------------------------------------------------------------------------------

  const sockets = new Set<net.Socket>();
  let closing: Promise<void> | undefined;
  const server = net.createServer({ noDelay: true }, (socket) => {
    if (closing) return void socket.destroy();
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    broker.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new LocalStackError(
              `端口 ${opts.port} 已被占用 (MQTT broker) / port ${opts.port} is already in use (MQTT broker)`,
              `stop the other program or choose another port: ${MQTT_PORT_ENV}=<port> npm start`,
            )
          : err,
      );
    });
    server.listen(opts.port, host, () => resolve());
  }).catch(async (err: unknown) => {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    throw err;
  });
  server.on('error', (err) => log.error({ ...base, event: 'mqtt.server.error', error: describe(err) }));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  log.info({ ...base, event: 'mqtt.started', host, port, maxPayloadBytes });

  function close(): Promise<void> {
    closing ??= (async () => {
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      // broker.close() only knows registered clients; sockets still before or inside CONNECT go too.
      for (const socket of sockets) socket.destroy();
      await serverClosed;
      const busy = [...subscriptions].filter((s) => s.pending > 0);
      if (busy.length > 0) {
        let timer: NodeJS.Timeout | undefined;
        const drained = Promise.all(busy.map((s) => new Promise<void>((resolve) => s.idle.push(resolve))));
        const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), closeDrainMs)));
        if ((await Promise.race([drained, timedOut])) === 'timeout') {
          log.warn({ ...base, event: 'mqtt.close.handlers-busy', pending: busy.reduce((n, s) => n + s.pending, 0) });
        }
        clearTimeout(timer);
      }
      for (const s of subscriptions) for (const cb of s.held.splice(0)) cb();
      subscriptions.clear();
      log.info({ ...base, event: 'mqtt.stopped', port });
    })();
    return closing;
  }

  function stats(): BrokerStats {
    let pending = 0;
    for (const s of subscriptions) pending += s.pending;
    return {
      port,
      connectedClients: broker.connectedClients,
      connectsAccepted: counters.connectsAccepted,
      connectsRefused: { ...counters.connectsRefused },
      publishesAccepted: counters.publishesAccepted,
      publishesRefused: { ...counters.publishesRefused },
      subscriptionsRefused: counters.subscriptionsRefused,
      forwardsBlocked: counters.forwardsBlocked,
      devicesDisconnected: counters.devicesDisconnected,
      serverSubscriptions: subscriptions.size,
      handled: counters.handled,
      handlerErrors: counters.handlerErrors,
      pending,
    };
  }

  return { port, host, broker, subscribe, publish, disconnectDevice, stats, close };
}

function payloadBytes(payload: PublishPacket['payload']): number {
  return typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
}

function remoteAddress(client: Client): string | undefined {
  const conn = client.conn as Partial<net.Socket>;
  return conn.remoteAddress;
}

/** Name and (clipped) message only: no stack, no cause chains that could carry payload content. */
function describe(err: unknown): { name: string; message: string | undefined } {
  if (err instanceof Error) return { name: err.name, message: clip(err.message, 300) };
  return { name: typeof err, message: undefined };
}
