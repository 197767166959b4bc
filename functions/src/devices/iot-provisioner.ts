/**
 * DeviceProvisioner for AWS IoT Core (@aws-sdk/client-iot).
 *
 * provision: CreateThing (name = device id, attributes tenant + kind) → CreateKeysAndCertificate (active) →
 * AttachPolicy (the device policy of the IoT stack) → AttachThingPrincipal (exclusive: the certificate can
 * belong to this thing only). The device policy's variables then pin the connection to client id = thing name
 * and to publishing under cityops/<thing's tenant>/devices/<thing name>/ (infra/aws/lib/iot-policy.ts), so the
 * tenant attribute is what makes the tenant id in the topic trustworthy.
 *
 * Thing names are global to the account, while tenants share it: a thing that already exists is reused only if
 * its tenant attribute is the caller's tenant, and never changed to another one. Provisioning an existing
 * device is how a lost response is retried: a private key is only ever returned by the call that created it,
 * so the retry issues a new certificate and revokes the earlier ones (at most one live credential per device).
 * If a step fails after the certificate was created, that certificate is deactivated and deleted before the
 * error is rethrown, so no active certificate is left behind that nobody holds the key of.
 *
 * decommission: ListThingPrincipals → for each certificate UpdateCertificate INACTIVE (cuts it off at the next
 * TLS handshake), DetachPolicy, DetachThingPrincipal, DeleteCertificate → DeleteThing. Every step tolerates
 * "already gone", so a half-finished decommission can be run again. DetachThingPrincipal is asynchronous in IoT
 * Core; the deletes that depend on it are retried for a few seconds.
 *
 * Private keys and certificate PEMs are never logged; logs carry tenant, device and certificate ids only.
 */
import {
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreateThingCommand,
  DeleteCertificateCommand,
  DeleteThingCommand,
  DescribeEndpointCommand,
  DescribeThingCommand,
  DetachPolicyCommand,
  DetachThingPrincipalCommand,
  IoTClient,
  ListThingPrincipalsCommand,
  UpdateCertificateCommand,
} from '@aws-sdk/client-iot';
import { z } from 'zod';
import { DeviceId } from '../../../contracts/src/mqtt';
import { DivisionCode } from '../../../contracts/src/divisions';
import { DomainError } from '../shared/errors';
import { type Log, logger as defaultLogger } from '../shared/logger';
import {
  type DecommissionInput,
  type DeviceProvisioner,
  type ProvisionInput,
  THING_KIND_ATTRIBUTE,
  THING_TENANT_ATTRIBUTE,
  type X509DeviceCredentials,
} from './provisioner';

/** IoT thing attribute values: [a-zA-Z0-9_.,@/:#=\[\]-]*, up to 800 characters; kinds are short words. */
export const DeviceKind = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'a device kind is 1–64 letters, digits, _ . : or -' });

const ProvisionRequest = z.object({ tenant: DivisionCode, deviceId: DeviceId, kind: DeviceKind });
const DecommissionRequest = z.object({ tenant: DivisionCode, deviceId: DeviceId });

export interface IotDeviceProvisionerOptions {
  /** The device policy attached to every certificate (the IoT stack's `DevicePolicyName`, env DEVICE_POLICY_NAME). */
  readonly policyName: string;
  /** The ATS data endpoint to hand to devices; looked up once with DescribeEndpoint(iot:Data-ATS) when absent. */
  readonly endpoint?: string;
  readonly client?: IoTClient;
  readonly log?: Log;
  /**
   * Waits between attempts of a delete that waits for DetachThingPrincipal to take effect (ms, one entry per
   * retry). Default 0.5 s, 1 s, 2 s, 4 s.
   */
  readonly detachRetryDelaysMs?: readonly number[];
  readonly sleep?: (ms: number) => Promise<void>;
}

const errorName = (err: unknown): string | undefined => (err instanceof Error ? err.name : undefined);
const isNotFound = (err: unknown): boolean => errorName(err) === 'ResourceNotFoundException';

/** `arn:<partition>:iot:<region>:<account>:cert/<id>` → `<id>`; undefined for other principals (e.g. Cognito ids). */
export function certificateIdOf(principal: string): string | undefined {
  const m = /^arn:[a-z-]+:iot:[a-z0-9-]+:\d{12}:cert\/([0-9a-f]{64})$/.exec(principal);
  return m?.[1];
}

function validate<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new DomainError(
    'VALIDATION_FAILED',
    r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  );
}

export class IotDeviceProvisioner implements DeviceProvisioner {
  private readonly client: IoTClient;
  private readonly log: Log;
  private readonly delays: readonly number[];
  private readonly sleep: (ms: number) => Promise<void>;
  private endpoint: Promise<string | undefined> | undefined;

  constructor(private readonly options: IotDeviceProvisionerOptions) {
    if (!options.policyName) throw new Error('IotDeviceProvisioner: policyName (DEVICE_POLICY_NAME) is required');
    this.client = options.client ?? new IoTClient({});
    this.log = options.log ?? defaultLogger;
    this.delays = options.detachRetryDelaysMs ?? [500, 1000, 2000, 4000];
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    if (options.endpoint) this.endpoint = Promise.resolve(options.endpoint);
  }

  async provision(input: ProvisionInput): Promise<X509DeviceCredentials> {
    const { tenant, deviceId, kind } = validate(ProvisionRequest, input);
    const thingName = deviceId;
    // Before anything is created: a failure here leaves nothing to clean up.
    const endpoint = await this.dataEndpoint();
    await this.ensureThing(tenant, thingName, kind);

    const cert = await this.client.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    const { certificateArn, certificateId, certificatePem, keyPair } = cert;
    if (!certificateArn || !certificateId || !certificatePem || !keyPair?.PrivateKey) {
      throw new Error(`CreateKeysAndCertificate for ${thingName} returned no certificate or key`);
    }
    try {
      await this.client.send(new AttachPolicyCommand({ policyName: this.options.policyName, target: certificateArn }));
      await this.client.send(new AttachThingPrincipalCommand({ thingName, principal: certificateArn, thingPrincipalType: 'EXCLUSIVE_THING' }));
    } catch (err) {
      this.log.warn('device provisioning failed after the certificate was created; removing it', {
        tenant,
        deviceId,
        certificateId,
        error: errorName(err),
      });
      await this.revokeCertificate(thingName, certificateArn, certificateId).catch((cleanupError: unknown) =>
        this.log.error('could not remove the certificate of a failed provisioning', { tenant, deviceId, certificateId, error: errorName(cleanupError) }),
      );
      throw err;
    }

    // Earlier certificates of this thing (a retried or repeated provisioning): their keys were handed out
    // before or lost, so they stop working now. Best effort: the new credentials are valid either way and must
    // reach the caller; a leftover is revoked by the next provisioning or the decommissioning.
    try {
      for (const principal of await this.principals(thingName)) {
        if (principal === certificateArn) continue;
        await this.revokePrincipal(thingName, principal);
        this.log.info('earlier device certificate revoked', { tenant, deviceId, certificateId: certificateIdOf(principal) });
      }
    } catch (err) {
      this.log.warn('could not revoke an earlier device certificate', { tenant, deviceId, error: errorName(err) });
    }

    this.log.info('device provisioned', { tenant, deviceId, kind, certificateId });
    return {
      type: 'x509',
      thingName,
      certificateArn,
      certificatePem,
      privateKey: keyPair.PrivateKey,
      ...(endpoint ? { endpoint } : {}),
    };
  }

  async decommission(input: DecommissionInput): Promise<void> {
    const { tenant, deviceId } = validate(DecommissionRequest, input);
    const thingName = deviceId;
    const owner = await this.thingTenant(thingName);
    if (owner === null) return; // no such thing: already decommissioned
    if (owner !== tenant) {
      throw new DomainError('NOT_FOUND', undefined, `thing ${thingName} does not belong to tenant ${tenant}`);
    }
    for (const principal of await this.principals(thingName)) {
      await this.revokePrincipal(thingName, principal);
    }
    await this.retryWhileDetaching(['InvalidRequestException'], async () => {
      try {
        await this.client.send(new DeleteThingCommand({ thingName }));
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    });
    this.log.info('device decommissioned', { tenant, deviceId });
  }

  /** The tenant attribute of a thing; null when there is no such thing (undefined when it has no tenant). */
  private async thingTenant(thingName: string): Promise<string | undefined | null> {
    try {
      const thing = await this.client.send(new DescribeThingCommand({ thingName }));
      return thing.attributes?.[THING_TENANT_ATTRIBUTE];
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  /** Creates the thing, or accepts an existing one of the same tenant. */
  private async ensureThing(tenant: string, thingName: string, kind: string): Promise<void> {
    try {
      // Same name and same attributes: IoT Core answers 200 with the existing thing.
      await this.client.send(
        new CreateThingCommand({
          thingName,
          attributePayload: { attributes: { [THING_TENANT_ATTRIBUTE]: tenant, [THING_KIND_ATTRIBUTE]: kind } },
        }),
      );
      return;
    } catch (err) {
      if (errorName(err) !== 'ResourceAlreadyExistsException') throw err;
    }
    // Exists with other attributes: fine if it is the caller's tenant (kind left as it is), refused otherwise.
    const owner = await this.thingTenant(thingName);
    if (owner !== tenant) {
      throw new DomainError('CONFLICT', [{ path: 'deviceId', message: 'this device id is already in use' }], `thing ${thingName} exists for another tenant`);
    }
  }

  private async principals(thingName: string): Promise<string[]> {
    const out: string[] = [];
    let nextToken: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(new ListThingPrincipalsCommand({ thingName, nextToken }));
      } catch (err) {
        if (isNotFound(err)) return out;
        throw err;
      }
      out.push(...(page.principals ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return out;
  }

  private async revokePrincipal(thingName: string, principal: string): Promise<void> {
    const certificateId = certificateIdOf(principal);
    if (certificateId) await this.revokeCertificate(thingName, principal, certificateId);
    else await this.ignoreNotFound(() => this.client.send(new DetachThingPrincipalCommand({ thingName, principal })));
  }

  /** INACTIVE first (the device is refused from then on), then detach policy and thing, then delete. */
  private async revokeCertificate(thingName: string, certificateArn: string, certificateId: string): Promise<void> {
    await this.ignoreNotFound(() => this.client.send(new UpdateCertificateCommand({ certificateId, newStatus: 'INACTIVE' })));
    await this.ignoreNotFound(() => this.client.send(new DetachPolicyCommand({ policyName: this.options.policyName, target: certificateArn })));
    await this.ignoreNotFound(() => this.client.send(new DetachThingPrincipalCommand({ thingName, principal: certificateArn })));
    // forceDelete also removes policies attached by hand; it still refuses while a thing is attached.
    await this.retryWhileDetaching(['DeleteConflictException', 'CertificateStateException'], () =>
      this.ignoreNotFound(() => this.client.send(new DeleteCertificateCommand({ certificateId, forceDelete: true }))),
    );
  }

  private async ignoreNotFound(step: () => Promise<unknown>): Promise<void> {
    try {
      await step();
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async retryWhileDetaching(retryOn: readonly string[], step: () => Promise<void>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await step();
      } catch (err) {
        const delay = this.delays[attempt];
        if (delay === undefined || !retryOn.includes(errorName(err) ?? '')) throw err;
        await this.sleep(delay);
      }
    }
  }

  private dataEndpoint(): Promise<string | undefined> {
    this.endpoint ??= this.client.send(new DescribeEndpointCommand({ endpointType: 'iot:Data-ATS' })).then(
      (r) => r.endpointAddress,
      (err: unknown) => {
        this.endpoint = undefined; // look it up again next time
        throw err;
      },
    );
    return this.endpoint;
  }
}
