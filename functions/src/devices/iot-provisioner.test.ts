/**
 * IotDeviceProvisioner against the real @aws-sdk/client-iot, without network: the client's `requestHandler`
 * receives each serialized, signed HTTP request (method, path, query, headers, JSON body), records it and
 * answers from a small in-memory model of IoT Core's things and certificates. So these tests check the wire
 * requests the SDK really sends (REST paths of the IoT control plane), not just which commands were called.
 */
import { IoTClient } from '@aws-sdk/client-iot';
import { beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../shared/errors';
import type { Log } from '../shared/logger';
import { certificateIdOf, IotDeviceProvisioner } from './iot-provisioner';

const REGION = 'cn-north-1';
const ACCOUNT = '123456789012';
const POLICY = 'cityops-dev-device';
const ENDPOINT = 'a1b2c3d4e5f6g7-ats.iot.cn-north-1.amazonaws.com.cn';
const CHANGSHA = '430100';
const LIUYANG = '430181';

interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  principal?: string;
  body?: Record<string, unknown>;
}

interface Reply {
  status: number;
  body?: unknown;
  error?: string;
}

type Fault = (req: Recorded) => Reply | undefined;

/** The part of IoT Core the provisioner touches, keyed by the REST routes of the IoT API. */
class FakeIot {
  readonly requests: Recorded[] = [];
  readonly things = new Map<string, { attributes: Record<string, string>; principals: Set<string> }>();
  readonly certs = new Map<string, { status: string; policies: Set<string>; privateKey: string }>();
  /** Checked before the model: return a reply to inject a failure. */
  faults: Fault[] = [];
  private serial = 0;

  readonly client = new IoTClient({
    region: REGION,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { method: string; path: string; query?: Record<string, unknown>; headers: Record<string, string>; body?: unknown }) => {
        const raw = request.body;
        const text = raw === undefined ? undefined : typeof raw === 'string' ? raw : new TextDecoder().decode(raw as Uint8Array);
        const rec: Recorded = {
          method: request.method,
          path: decodeURIComponent(request.path),
          query: Object.fromEntries(Object.entries(request.query ?? {}).map(([k, v]) => [k, String(v)])),
          ...(request.headers['x-amzn-principal'] ? { principal: request.headers['x-amzn-principal'] } : {}),
          ...(text ? { body: JSON.parse(text) as Record<string, unknown> } : {}),
        };
        this.requests.push(rec);
        const reply = this.faults.map((f) => f(rec)).find((r) => r !== undefined) ?? this.route(rec);
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (reply.error) headers['x-amzn-errortype'] = `${reply.error}:http://internal.amazon.com/coral/com.amazonaws.iot/`;
        const body = JSON.stringify(reply.error ? { message: `${reply.error} (fake)` } : (reply.body ?? {}));
        return { response: { statusCode: reply.status, headers, body: new TextEncoder().encode(body) } };
      },
    } as never,
  });

  /** Requests as `METHOD /path`, for order checks. */
  get calls(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path}`);
  }

  certArn(id: string): string {
    return `arn:aws-cn:iot:${REGION}:${ACCOUNT}:cert/${id}`;
  }

  addThing(name: string, attributes: Record<string, string>, certIds: string[] = []): void {
    this.things.set(name, { attributes, principals: new Set(certIds.map((id) => this.certArn(id))) });
    for (const id of certIds) this.certs.set(id, { status: 'ACTIVE', policies: new Set([POLICY]), privateKey: 'old' });
  }

  private route(r: Recorded): Reply {
    const notFound: Reply = { status: 404, error: 'ResourceNotFoundException' };
    let m: RegExpExecArray | null;
    if (r.method === 'GET' && r.path === '/endpoint') return { status: 200, body: { endpointAddress: ENDPOINT } };
    if ((m = /^\/things\/([^/]+)$/.exec(r.path))) {
      const name = m[1]!;
      const thing = this.things.get(name);
      if (r.method === 'POST') {
        const attributes = ((r.body?.attributePayload as { attributes?: Record<string, string> })?.attributes ?? {}) as Record<string, string>;
        if (thing && JSON.stringify(thing.attributes) !== JSON.stringify(attributes)) return { status: 409, error: 'ResourceAlreadyExistsException' };
        if (!thing) this.things.set(name, { attributes, principals: new Set() });
        return { status: 200, body: { thingName: name, thingArn: `arn:aws-cn:iot:${REGION}:${ACCOUNT}:thing/${name}`, thingId: 'id' } };
      }
      if (r.method === 'GET') return thing ? { status: 200, body: { thingName: name, attributes: thing.attributes, version: 1 } } : notFound;
      if (r.method === 'DELETE') {
        if (thing && thing.principals.size > 0) return { status: 400, error: 'InvalidRequestException' };
        this.things.delete(name);
        return { status: 200 };
      }
    }
    if ((m = /^\/things\/([^/]+)\/principals$/.exec(r.path))) {
      const thing = this.things.get(m[1]!);
      if (!thing) return notFound;
      if (r.method === 'GET') return { status: 200, body: { principals: [...thing.principals] } };
      if (r.method === 'PUT') thing.principals.add(r.principal!);
      if (r.method === 'DELETE') thing.principals.delete(r.principal!);
      return { status: 200 };
    }
    if (r.method === 'POST' && r.path === '/keys-and-certificate') {
      const id = (++this.serial).toString(16).padStart(64, 'c');
      const privateKey = `-----BEGIN RSA PRIVATE KEY-----\nSECRET-${id.slice(-4)}\n-----END RSA PRIVATE KEY-----\n`;
      this.certs.set(id, { status: r.query.setAsActive === 'true' ? 'ACTIVE' : 'INACTIVE', policies: new Set(), privateKey });
      return {
        status: 200,
        body: {
          certificateArn: this.certArn(id),
          certificateId: id,
          certificatePem: `-----BEGIN CERTIFICATE-----\n${id}\n-----END CERTIFICATE-----\n`,
          keyPair: { PublicKey: '-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n', PrivateKey: privateKey },
        },
      };
    }
    if ((m = /^\/target-policies\/([^/]+)$/.exec(r.path))) {
      const cert = this.certs.get(certificateIdOf(String(r.body?.target)) ?? '');
      if (!cert) return notFound;
      if (r.method === 'PUT') cert.policies.add(m[1]!);
      if (r.method === 'POST') cert.policies.delete(m[1]!);
      return { status: 200 };
    }
    if ((m = /^\/certificates\/([0-9a-f]{64})$/.exec(r.path))) {
      const cert = this.certs.get(m[1]!);
      if (!cert) return notFound;
      if (r.method === 'PUT') cert.status = r.query.newStatus!;
      if (r.method === 'DELETE') {
        if (cert.status === 'ACTIVE') return { status: 409, error: 'CertificateStateException' };
        if ([...this.things.values()].some((t) => t.principals.has(this.certArn(m![1]!)))) return { status: 409, error: 'DeleteConflictException' };
        this.certs.delete(m[1]!);
      }
      return { status: 200 };
    }
    return { status: 400, error: 'InvalidRequestException' };
  }
}

function recordingLog(): Log & { lines: unknown[][] } {
  const lines: unknown[][] = [];
  const rec = (...args: unknown[]) => void lines.push(args);
  return { lines, debug: rec, info: rec, warn: rec, error: rec } as unknown as Log & { lines: unknown[][] };
}

let iot: FakeIot;
let log: ReturnType<typeof recordingLog>;
let slept: number[];
const provisioner = (endpoint?: string) =>
  new IotDeviceProvisioner({
    policyName: POLICY,
    client: iot.client,
    log,
    ...(endpoint ? { endpoint } : {}),
    sleep: async (ms) => void slept.push(ms),
  });

beforeEach(() => {
  iot = new FakeIot();
  log = recordingLog();
  slept = [];
});

describe('IotDeviceProvisioner.provision', () => {
  it('creates the thing with its tenant, an active certificate, attaches the device policy and the thing', async () => {
    const creds = await provisioner().provision({ tenant: CHANGSHA, deviceId: 'wl-0001', kind: 'water-level' });

    expect(iot.calls).toEqual([
      'GET /endpoint',
      'POST /things/wl-0001',
      'POST /keys-and-certificate',
      `PUT /target-policies/${POLICY}`,
      'PUT /things/wl-0001/principals',
      'GET /things/wl-0001/principals',
    ]);
    const [endpoint, thing, keys, policy, attach] = iot.requests;
    expect(endpoint?.query).toEqual({ endpointType: 'iot:Data-ATS' });
    expect(thing?.body).toEqual({ attributePayload: { attributes: { tenant: CHANGSHA, kind: 'water-level' } } });
    expect(keys?.query).toEqual({ setAsActive: 'true' });
    expect(policy?.body).toEqual({ target: creds.certificateArn });
    expect(attach).toMatchObject({ principal: creds.certificateArn, query: { thingPrincipalType: 'EXCLUSIVE_THING' } });

    expect(creds).toMatchObject({ type: 'x509', thingName: 'wl-0001', endpoint: ENDPOINT });
    expect(creds.certificateArn).toMatch(/^arn:aws-cn:iot:cn-north-1:123456789012:cert\/[0-9a-f]{64}$/);
    expect(creds.certificatePem).toContain('BEGIN CERTIFICATE');
    expect(creds.privateKey).toContain('BEGIN RSA PRIVATE KEY');
    const cert = iot.certs.get(certificateIdOf(creds.certificateArn)!);
    expect(cert).toMatchObject({ status: 'ACTIVE', policies: new Set([POLICY]) });
    expect(iot.things.get('wl-0001')?.principals).toEqual(new Set([creds.certificateArn]));
  });

  it('never logs the private key or the certificate', async () => {
    const creds = await provisioner().provision({ tenant: CHANGSHA, deviceId: 'wl-0001', kind: 'water-level' });
    const logged = JSON.stringify(log.lines);
    expect(logged).toContain('wl-0001');
    expect(logged).not.toContain('PRIVATE KEY');
    expect(logged).not.toContain(creds.privateKey.split('\n')[1]);
    expect(logged).not.toContain('BEGIN CERTIFICATE');
  });

  it('uses a configured endpoint without DescribeEndpoint, and looks it up only once otherwise', async () => {
    await provisioner('iot.example.cn').provision({ tenant: CHANGSHA, deviceId: 'wl-0001', kind: 'water-level' });
    expect(iot.calls).not.toContain('GET /endpoint');
    const p = provisioner();
    await p.provision({ tenant: CHANGSHA, deviceId: 'wl-0002', kind: 'water-level' });
    await p.provision({ tenant: CHANGSHA, deviceId: 'wl-0003', kind: 'water-level' });
    expect(iot.calls.filter((c) => c === 'GET /endpoint')).toHaveLength(1);
  });

  it('is safe to retry: the thing is reused and the earlier certificate, whose key was lost, is revoked', async () => {
    const p = provisioner(ENDPOINT);
    const first = await p.provision({ tenant: CHANGSHA, deviceId: 'wl-0001', kind: 'water-level' });
    iot.requests.length = 0;
    const second = await p.provision({ tenant: CHANGSHA, deviceId: 'wl-0001', kind: 'water-level' });

    expect(second.certificateArn).not.toBe(first.certificateArn);
    const oldId = certificateIdOf(first.certificateArn)!;
    expect(iot.calls).toEqual([
      'POST /things/wl-0001', // same attributes: IoT answers 200
      'POST /keys-and-certificate',
      `PUT /target-policies/${POLICY}`,
      'PUT /things/wl-0001/principals',
      'GET /things/wl-0001/principals',
      `PUT /certificates/${oldId}`,
      `POST /target-policies/${POLICY}`,
      'DELETE /things/wl-0001/principals',
      `DELETE /certificates/${oldId}`,
    ]);
    expect(iot.requests[5]?.query).toEqual({ newStatus: 'INACTIVE' });
    expect(iot.requests[6]?.body).toEqual({ target: first.certificateArn });
    expect(iot.requests[7]?.principal).toBe(first.certificateArn);
    expect(iot.certs.has(oldId)).toBe(false);
    expect(iot.things.get('wl-0001')?.principals).toEqual(new Set([second.certificateArn]));
  });

  it('accepts an existing thing of the same tenant with other attributes (CreateThing 409 → DescribeThing)', async () => {
    iot.addThing('wl-0001', { tenant: CHANGSHA, kind: 'old-kind' });
    const creds = await provisioner(ENDPOINT).provision({ tenant: CHANGSHA, deviceId: 'wl-0001', kind: 'water-level' });
    expect(iot.calls.slice(0, 3)).toEqual(['POST /things/wl-0001', 'GET /things/wl-0001', 'POST /keys-and-certificate']);
    expect(creds.thingName).toBe('wl-0001');
    expect(iot.things.get('wl-0001')?.attributes).toEqual({ tenant: CHANGSHA, kind: 'old-kind' });
  });

  it("refuses a device id that is another tenant's thing, before creating any certificate", async () => {
    iot.addThing('wl-0001', { tenant: LIUYANG, kind: 'water-level' }, ['e'.repeat(64)]);
    const err = await provisioner(ENDPOINT)
      .provision({ tenant: CHANGSHA, deviceId: 'wl-0001', kind: 'water-level' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('CONFLICT');
    expect(iot.calls).toEqual(['POST /things/wl-0001', 'GET /things/wl-0001']);
    expect(iot.things.get('wl-0001')?.attributes.tenant).toBe(LIUYANG);
    expect(iot.certs.get('e'.repeat(64))?.status).toBe('ACTIVE');
  });

  it('deactivates and deletes the new certificate when attaching it fails, then rethrows', async () => {
    iot.faults.push((r) => (r.method === 'PUT' && r.path.endsWith('/principals') ? { status: 503, error: 'ServiceUnavailableException' } : undefined));
    const err = await provisioner(ENDPOINT)
      .provision({ tenant: CHANGSHA, deviceId: 'wl-0001', kind: 'water-level' })
      .catch((e: unknown) => e);
    expect((err as Error).name).toBe('ServiceUnavailableException');

    const certPath = iot.calls.find((c) => c.startsWith('PUT /certificates/'))!.slice(4);
    expect(iot.calls).toEqual([
      'POST /things/wl-0001',
      'POST /keys-and-certificate',
      `PUT /target-policies/${POLICY}`,
      'PUT /things/wl-0001/principals', // fails
      `PUT ${certPath}`,
      `POST /target-policies/${POLICY}`,
      'DELETE /things/wl-0001/principals',
      `DELETE ${certPath}`,
    ]);
    expect(iot.requests[4]?.query).toEqual({ newStatus: 'INACTIVE' });
    expect(iot.requests[7]?.query).toEqual({ forceDelete: 'true' });
    expect(iot.certs.size).toBe(0);
    expect(JSON.stringify(log.lines)).not.toContain('PRIVATE KEY');
  });

  it('validates the input before calling IoT', async () => {
    for (const input of [
      { tenant: '4301', deviceId: 'wl-0001', kind: 'water-level' },
      { tenant: CHANGSHA, deviceId: 'a/b', kind: 'water-level' },
      { tenant: CHANGSHA, deviceId: 'wl-0001', kind: 'water level' },
    ]) {
      await expect(provisioner(ENDPOINT).provision(input)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    expect(iot.requests).toEqual([]);
  });
});

describe('IotDeviceProvisioner.decommission', () => {
  const c1 = '1'.repeat(64);
  const c2 = '2'.repeat(64);

  it('deactivates, detaches and deletes every certificate, then deletes the thing, in that order', async () => {
    iot.addThing('wl-0001', { tenant: CHANGSHA, kind: 'water-level' }, [c1, c2]);
    await provisioner(ENDPOINT).decommission({ tenant: CHANGSHA, deviceId: 'wl-0001' });

    const perCert = (id: string) => [`PUT /certificates/${id}`, `POST /target-policies/${POLICY}`, 'DELETE /things/wl-0001/principals', `DELETE /certificates/${id}`];
    expect(iot.calls).toEqual(['GET /things/wl-0001', 'GET /things/wl-0001/principals', ...perCert(c1), ...perCert(c2), 'DELETE /things/wl-0001']);
    expect(iot.requests[2]?.query).toEqual({ newStatus: 'INACTIVE' });
    expect(iot.requests[3]?.body).toEqual({ target: iot.certArn(c1) });
    expect(iot.requests[4]?.principal).toBe(iot.certArn(c1));
    expect(iot.things.size).toBe(0);
    expect(iot.certs.size).toBe(0);
  });

  it("refuses another tenant's device and changes nothing", async () => {
    iot.addThing('wl-0001', { tenant: LIUYANG, kind: 'water-level' }, [c1]);
    await expect(provisioner(ENDPOINT).decommission({ tenant: CHANGSHA, deviceId: 'wl-0001' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(iot.calls).toEqual(['GET /things/wl-0001']);
    expect(iot.certs.get(c1)?.status).toBe('ACTIVE');
  });

  it('is idempotent: an unknown device is already decommissioned, a half-done one is finished', async () => {
    await provisioner(ENDPOINT).decommission({ tenant: CHANGSHA, deviceId: 'wl-0404' });
    expect(iot.calls).toEqual(['GET /things/wl-0404']);

    // The certificate was already deleted, but the thing still lists it.
    iot.addThing('wl-0001', { tenant: CHANGSHA, kind: 'water-level' }, [c1]);
    iot.certs.delete(c1);
    await provisioner(ENDPOINT).decommission({ tenant: CHANGSHA, deviceId: 'wl-0001' });
    expect(iot.things.size).toBe(0);
  });

  it('retries the deletes while IoT Core still propagates the detachment', async () => {
    iot.addThing('wl-0001', { tenant: CHANGSHA, kind: 'water-level' }, [c1]);
    let certConflicts = 1;
    let thingConflicts = 2;
    iot.faults.push((r) => (r.method === 'DELETE' && r.path.startsWith('/certificates/') && certConflicts-- > 0 ? { status: 409, error: 'DeleteConflictException' } : undefined));
    iot.faults.push((r) => (r.method === 'DELETE' && r.path === '/things/wl-0001' && thingConflicts-- > 0 ? { status: 400, error: 'InvalidRequestException' } : undefined));
    await provisioner(ENDPOINT).decommission({ tenant: CHANGSHA, deviceId: 'wl-0001' });
    expect(slept).toEqual([500, 500, 1000]);
    expect(iot.things.size).toBe(0);
    expect(iot.certs.size).toBe(0);
  });

  it('gives up after the last retry with the service error', async () => {
    iot.addThing('wl-0001', { tenant: CHANGSHA, kind: 'water-level' }, [c1]);
    iot.faults.push((r) => (r.method === 'DELETE' && r.path === '/things/wl-0001' ? { status: 400, error: 'InvalidRequestException' } : undefined));
    await expect(provisioner(ENDPOINT).decommission({ tenant: CHANGSHA, deviceId: 'wl-0001' })).rejects.toMatchObject({ name: 'InvalidRequestException' });
    expect(slept).toEqual([500, 1000, 2000, 4000]);
  });
});
