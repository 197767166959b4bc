/**
 * The AWS side of the screens' live push (ADR 009): an adapter of the `LiveEvents` port that publishes each
 * tenant's changes to IoT Core topics (`liveTopic`, contracts/src/mqtt.ts) with QoS 0. The ingest Lambda, the
 * sweep, the stream handler and the API run in other containers than the screens, so an in-process emitter
 * (live.ts) cannot reach them; IoT Core fans the messages out to the subscribed screens.
 *
 * Changes are gathered per invocation and coalesced: the newest live state per device and the newest version
 * per alarm, one message per tenant and kind (split below LIVE_MESSAGE_MAX_BYTES). `flush()` sends them; the
 * handlers call it before they return (Lambda freezes the container afterwards). A 5,000-reading batch over
 * 300 devices of two tenants therefore makes two or three HTTPS calls, not 5,000. Publishing is best effort: a
 * failure is logged (tenant, topic kind, status; never payloads) and never fails the caller; screens reload
 * their lists when they reconnect.
 *
 * The transport is the IoT data plane's HTTPS Publish (`POST /topics/{topic}?qos=0`), SigV4-signed for the
 * `iotdata` service with the Lambda's credentials. @aws-sdk/client-iot-data-plane is not installed in this
 * repository, so the request is signed with @smithy/signature-v4 (the SDK's own signer) and sent with the
 * IoT control-plane client's HTTP handler, credentials and hash; `PublishFn` is the seam where
 * `new PublishCommand({ topic, qos: 0, payload })` can replace it once that client is a dependency.
 */
import type { IoTClient } from '@aws-sdk/client-iot';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';
import { LIVE_MESSAGE_MAX_BYTES, liveTopic, type AlarmView, type DeviceLiveState, type LiveKind } from '../../../contracts';
import { logger, type Log } from '../shared/logger';
import type { LiveEvents } from './ingest';

/** Publish one message (QoS 0); rejects when IoT Core did not accept it. */
export type PublishFn = (topic: string, payload: Uint8Array) => Promise<void>;

/** The publishing side of the live push that needs a flush before the invocation ends. */
export interface LivePublisher extends LiveEvents {
  /** Send everything gathered so far; never rejects. */
  flush(): Promise<void>;
}

/** A publish the data plane refused (status and error type only: the body may echo the topic). */
export class LivePublishError extends Error {
  public constructor(
    public readonly status: number,
    public readonly errorType: string | undefined,
  ) {
    super(`IoT publish answered ${status}${errorType ? ` ${errorType}` : ''}`);
    this.name = 'LivePublishError';
  }
}

async function drain(body: unknown): Promise<string> {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  if (typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
    const chunks: Uint8Array[] = [];
    for await (const c of body as AsyncIterable<Uint8Array | string>) chunks.push(typeof c === 'string' ? new TextEncoder().encode(c) : c);
    return Buffer.concat(chunks).toString('utf8');
  }
  return '';
}

/**
 * HTTPS Publish to the IoT data endpoint (`<prefix>-ats.iot.<region>.amazonaws.com[.cn]`), signed with SigV4
 * (service `iotdata`). Region, credentials, hash and HTTP handler are the given IoT client's, so tests can
 * record the exact requests with a request handler, as for the provisioner.
 */
export function signedHttpsPublish(opts: { endpoint: string; client: IoTClient; timeoutMs?: number }): PublishFn {
  const cfg = opts.client.config;
  let signer: Promise<SignatureV4> | undefined;
  const signerOf = () =>
    (signer ??= (async () => new SignatureV4({ service: 'iotdata', region: await cfg.region(), credentials: cfg.credentials, sha256: cfg.sha256, uriEscapePath: true }))());
  return async (topic, payload) => {
    const request: HttpRequest = {
      method: 'POST',
      protocol: 'https:',
      hostname: opts.endpoint,
      path: `/topics/${encodeURIComponent(topic)}`,
      query: { qos: '0' },
      headers: { host: opts.endpoint, 'content-type': 'application/json', 'content-length': String(payload.byteLength) },
      body: payload,
    };
    const signed = await (await signerOf()).sign(request);
    const handler = cfg.requestHandler as unknown as {
      handle(r: HttpRequest, o?: { requestTimeout?: number }): Promise<{ response: { statusCode: number; headers: Record<string, string>; body?: unknown } }>;
    };
    const { response } = await handler.handle(signed, { requestTimeout: opts.timeoutMs ?? 3_000 });
    await drain(response.body); // frees the socket for the next publish
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw new LivePublishError(response.statusCode, response.headers['x-amzn-errortype']?.split(':')[0]);
    }
  };
}

export interface IotLivePublisherOptions {
  /** Largest payload per message (default LIVE_MESSAGE_MAX_BYTES). */
  maxBytes?: number;
  /** Publishes in flight at once during a flush. */
  concurrency?: number;
  log?: Log;
}

type Pending = { devices: Map<string, DeviceLiveState>; alarms: Map<string, AlarmView> };

/** The `LiveEvents` adapter for AWS: gathers and coalesces per tenant, publishes on `flush()`. */
export class IotLivePublisher implements LivePublisher {
  private pending = new Map<string, Pending>();
  private readonly inflight = new Set<Promise<void>>();
  private readonly maxBytes: number;
  private readonly concurrency: number;
  private readonly log: Log;

  public constructor(
    private readonly publish: PublishFn,
    opts: IotLivePublisherOptions = {},
  ) {
    this.maxBytes = opts.maxBytes ?? LIVE_MESSAGE_MAX_BYTES;
    this.concurrency = opts.concurrency ?? 8;
    this.log = opts.log ?? logger;
  }

  private of(tenant: string): Pending {
    let p = this.pending.get(tenant);
    if (!p) this.pending.set(tenant, (p = { devices: new Map(), alarms: new Map() }));
    return p;
  }

  public device(tenant: string, id: string, live: DeviceLiveState): void {
    this.of(tenant).devices.set(id, live);
  }

  public alarm(tenant: string, alarm: AlarmView): void {
    this.of(tenant).alarms.set(alarm.id, alarm);
  }

  /** The messages of what is pending, alarms first (they matter most), each under `maxBytes` when possible. */
  private messages(pending: Map<string, Pending>): Array<{ tenant: string; kind: LiveKind; payload: Uint8Array; count: number }> {
    const out: Array<{ tenant: string; kind: LiveKind; payload: Uint8Array; count: number }> = [];
    const pack = (tenant: string, kind: LiveKind, entries: string[]) => {
      const open = `{"${kind}":[`;
      let part: string[] = [];
      let size = open.length + 2;
      const emit = () => {
        if (part.length) out.push({ tenant, kind, payload: new TextEncoder().encode(`${open}${part.join(',')}]}`), count: part.length });
        part = [];
        size = open.length + 2;
      };
      for (const e of entries) {
        const bytes = Buffer.byteLength(e) + 1;
        if (part.length && size + bytes > this.maxBytes) emit();
        part.push(e);
        size += bytes;
      }
      emit();
    };
    for (const [tenant, p] of pending) pack(tenant, 'alarms', [...p.alarms.values()].map((a) => JSON.stringify(a)));
    for (const [tenant, p] of pending) pack(tenant, 'devices', [...p.devices].map(([id, live]) => JSON.stringify({ id, live })));
    return out;
  }

  public async flush(): Promise<void> {
    const pending = this.pending;
    this.pending = new Map();
    const queue = this.messages(pending);
    if (queue.length) {
      const work = (async () => {
        const worker = async () => {
          for (let m = queue.shift(); m; m = queue.shift()) {
            try {
              await this.publish(liveTopic(m.tenant, m.kind), m.payload);
            } catch (err) {
              const e = err as Error & { status?: number; errorType?: string };
              this.log.warn('live publish failed', { tenant: m.tenant, kind: m.kind, changes: m.count, error: e.name, status: e.status, errorType: e.errorType });
            }
          }
        };
        await Promise.all(Array.from({ length: Math.min(this.concurrency, queue.length) }, worker));
      })();
      this.inflight.add(work);
      void work.finally(() => this.inflight.delete(work));
    }
    await Promise.all([...this.inflight]);
  }
}
