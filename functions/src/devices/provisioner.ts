/**
 * The device provisioning port: how a device of a tenant gets (and loses) the right to publish under its own
 * topic prefix, `cityops/<tenant>/devices/<deviceId>/` (contracts/src/mqtt.ts).
 *
 * Two adapters implement it because the two runtimes authenticate devices differently:
 * - AWS IoT Core (`IotDeviceProvisioner`): the device is a thing named by its device id with the attribute
 *   `tenant`; it connects over mutual TLS with an X.509 certificate attached to the thing and to the device
 *   policy, whose policy variables pin it to its own prefix (passwords would need a custom authorizer Lambda on
 *   every connect; certificates need nothing but IoT Core).
 * - The local broker (infra/local): the device connects with username `<tenant>/<deviceId>` and a random secret
 *   whose scrypt hash is stored (infra/local/device-credentials.ts). Issuing certificates locally would need a CA
 *   and TLS on the broker for no gain in what the tests can show.
 *
 * Hence `DeviceCredentials` is a discriminated union on `type`: the caller (the devices API) hands the variant
 * to the installer as it is, without knowing which cloud it runs in. Either way the MQTT client id is the
 * device id (= the thing name), device ids are unique across the platform (thing names are global to the
 * account), and the secret part (private key, password) exists only in the value returned by `provision`: it
 * is never stored or logged, so it cannot be fetched again; provisioning again issues a new one.
 */

/**
 * IoT thing attributes. The device policy reads the tenant from `iot:Connection.Thing.Attributes[tenant]`
 * (infra/aws/lib/iot-policy.ts), so the adapter and the policy must agree on this name.
 */
export const THING_TENANT_ATTRIBUTE = 'tenant';
export const THING_KIND_ATTRIBUTE = 'kind';

/** What the installer needs to connect a device to AWS IoT Core (mutual TLS). */
export interface X509DeviceCredentials {
  readonly type: 'x509';
  /** The IoT thing name, equal to the device id; also the MQTT client id the policy requires. */
  readonly thingName: string;
  readonly certificateArn: string;
  /** The device certificate (PEM), signed by AWS IoT. The server side is verified with Amazon Root CA 1. */
  readonly certificatePem: string;
  /** The device's private key (PEM). Returned once; never stored or logged by the platform. */
  readonly privateKey: string;
  /** The account's ATS data endpoint (host name, port 8883), when known. */
  readonly endpoint?: string;
}

/** What a device needs to connect to the local broker (username + secret over plain MQTT on localhost). */
export interface PasswordDeviceCredentials {
  readonly type: 'password';
  /** `<tenant>/<deviceId>`; the MQTT client id is the device id. */
  readonly username: string;
  /** A random secret; the broker keeps only its salted hash. Returned once. */
  readonly password: string;
}

export type DeviceCredentials = X509DeviceCredentials | PasswordDeviceCredentials;

export interface ProvisionInput {
  /** GB/T 2260 code of the tenant the device belongs to. */
  readonly tenant: string;
  /** Device id (contracts `DeviceId`), unique across all tenants. */
  readonly deviceId: string;
  /** Device kind (e.g. a sensor type), kept on the thing as the attribute `kind`. */
  readonly kind: string;
}

export interface DecommissionInput {
  readonly tenant: string;
  readonly deviceId: string;
}

export interface DeviceProvisioner {
  /**
   * Gives the device credentials that let it connect as itself and publish only under its own prefix.
   * Safe to retry: a device that already exists for the same tenant gets new credentials and its earlier ones
   * stop working. Refused (DomainError CONFLICT) when the device id belongs to another tenant.
   */
  provision(input: ProvisionInput): Promise<DeviceCredentials>;
  /**
   * Revokes every credential of the device and removes it; a connected device is cut off. Idempotent (an
   * unknown device is already decommissioned). Refused (DomainError NOT_FOUND) for another tenant's device.
   */
  decommission(input: DecommissionInput): Promise<void>;
}
