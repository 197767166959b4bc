/**
 * Device credentials for the local MQTT broker (the stand-in for IoT Core's X.509 things).
 *
 * Identity mapping, mirroring IoT Core (thing name = MQTT client id, tenant = a thing attribute):
 * - MQTT client id  = the device id (the thing name). Like thing names, device ids must therefore be unique
 *   across the platform; the broker refuses a connection whose client id is held by another tenant's device.
 * - MQTT username   = `<tenant>/<deviceId>` (see `deviceUsername`); it names the credential record and carries
 *   the tenant the way the thing attribute does in AWS.
 * - MQTT password   = the device secret, stored only as a salted hash (`hashDeviceSecret`; which one and why: below).
 *
 * The `DeviceCredentialStore` port is all the broker needs; `InMemoryDeviceCredentialStore` serves tests, a
 * DynamoDB-backed store serves `npm start`.
 */
import { createHmac, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { DeviceId } from '../../contracts/src/mqtt';
import { DivisionCode } from '../../contracts/src/divisions';

export type DeviceStatus = 'active' | 'revoked';

export interface DeviceCredential {
  tenant: string;
  deviceId: string;
  /** `hashDeviceSecret(secret)`; never the secret itself. */
  secretHash: string;
  status: DeviceStatus;
}

/** The broker's port to wherever device credentials live. `username` is always a well-formed `deviceUsername`. */
export interface DeviceCredentialStore {
  lookup(username: string): Promise<DeviceCredential | undefined>;
}

export interface DeviceIdentity {
  tenant: string;
  deviceId: string;
}

/** The MQTT username a device connects with. */
export const deviceUsername = (tenant: string, deviceId: string): string => `${tenant}/${deviceId}`;

/** `<tenant>/<deviceId>` with a GB/T 2260 tenant code and a contracts device id; undefined otherwise. */
export function parseDeviceUsername(username: string): DeviceIdentity | undefined {
  const parts = username.split('/');
  if (parts.length !== 2) return undefined;
  const [tenant, deviceId] = parts as [string, string];
  if (!DivisionCode.safeParse(tenant).success || !DeviceId.safeParse(deviceId).success) return undefined;
  return { tenant, deviceId };
}

// Which hash a device secret gets (written once, in this comment, because it is a security decision):
//
// Device secrets are not passwords. The platform draws them (`generateDeviceSecret`: 256 random bits) and hands
// them to the device once; no person chooses or remembers them. A slow KDF (scrypt, bcrypt, Argon2) exists to
// make guessing a LOW-ENTROPY secret from a leaked hash expensive; against a uniformly random 256-bit secret
// the guess costs 2^255 evaluations whatever the per-evaluation cost, so scrypt's ~2^14 work factor buys
// nothing. It does cost: 16 MiB and ~30–60 ms of CPU per connect, i.e. 1–2 min of broker CPU to (re)connect
// 2,000 devices after a restart and as much again to register them; and every connect attempt with a wrong
// secret costs the broker the same, so garbage CONNECTs could pin its CPU. Hence:
//
// - secrets of at least 32 bytes (every generated one) are stored as a salted HMAC-SHA-256:
//   `hs256$<salt base64url>$<HMAC-SHA-256(key = salt, message = secret) base64url>` — microseconds per check;
// - shorter secrets (someone typed one in) keep the salted scrypt hash, where the work factor does matter:
//   `scrypt$N$r$p$<salt base64url>$<key base64url>`;
// - verification accepts both formats, so records written before this change still work.
//
// The other option considered, a cache of successful scrypt verifications, was rejected: it does not help the
// first connect of each device (after every restart or credential rotation, which is exactly when thousands
// connect at once), nor registration, nor wrong-secret connects, and it keeps secret-derived values in memory.
// In AWS none of this applies: devices use X.509 certificates verified by IoT Core (functions/src/devices).
const SCRYPT = { N: 16_384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
/** Secrets at least this long get the fast hash (the generated ones have 43 characters = 32 bytes of entropy). */
export const FAST_HASH_MIN_SECRET_BYTES = 32;
/** Longest secret accepted for verification; anything longer is refused without hashing. */
export const MAX_SECRET_BYTES = 1024;

/** `auto` (default): hs256 for secrets of ≥ FAST_HASH_MIN_SECRET_BYTES bytes, scrypt for shorter ones. */
export type SecretHashKind = 'auto' | 'hs256' | 'scrypt';

function scryptAsync(secret: Buffer, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, keyLength, { ...options, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

const hs256 = (secret: Buffer, salt: Buffer): Buffer => createHmac('sha256', salt).update(secret).digest();

const toBuffer = (secret: string | Buffer): Buffer => (typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret);

/** A new random device secret (256 bits, base64url), to hand to the device once at provisioning. */
export const generateDeviceSecret = (): string => randomBytes(32).toString('base64url');

/** A salted hash of the secret in one of the two formats above (see the comment on the choice). */
export async function hashDeviceSecret(secret: string | Buffer, kind: SecretHashKind = 'auto'): Promise<string> {
  const bytes = toBuffer(secret);
  if (bytes.length === 0 || bytes.length > MAX_SECRET_BYTES) throw new RangeError(`a device secret has 1–${MAX_SECRET_BYTES} bytes`);
  const salt = randomBytes(SALT_LENGTH);
  const fast = kind === 'hs256' || (kind === 'auto' && bytes.length >= FAST_HASH_MIN_SECRET_BYTES);
  if (fast) {
    if (bytes.length < FAST_HASH_MIN_SECRET_BYTES) throw new RangeError(`the fast hash needs a random secret of at least ${FAST_HASH_MIN_SECRET_BYTES} bytes`);
    return ['hs256', salt.toString('base64url'), hs256(bytes, salt).toString('base64url')].join('$');
  }
  const key = await scryptAsync(bytes, salt, KEY_LENGTH, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

const SCRYPT_FORMAT = /^scrypt\$(\d{1,7})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9_-]{16,})\$([A-Za-z0-9_-]{32,})$/;
const HS256_FORMAT = /^hs256\$([A-Za-z0-9_-]{16,})\$([A-Za-z0-9_-]{43})$/;

/** True when `secret` matches `hash` (constant-time comparison); false for any malformed hash or secret. */
export async function verifyDeviceSecret(secret: string | Buffer, hash: string): Promise<boolean> {
  const bytes = toBuffer(secret);
  if (bytes.length === 0 || bytes.length > MAX_SECRET_BYTES) return false;
  const fast = HS256_FORMAT.exec(hash);
  if (fast) {
    const expected = Buffer.from(fast[2]!, 'base64url');
    const actual = hs256(bytes, Buffer.from(fast[1]!, 'base64url'));
    return expected.length === actual.length && timingSafeEqual(actual, expected);
  }
  const m = SCRYPT_FORMAT.exec(hash);
  if (!m) return false;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Only parameters this module writes (bounded cost); a tampered record cannot make the broker burn CPU/memory.
  if (N < 1024 || N > 65_536 || (N & (N - 1)) !== 0 || r < 1 || r > 16 || p < 1 || p > 4) return false;
  const salt = Buffer.from(m[4]!, 'base64url');
  const expected = Buffer.from(m[5]!, 'base64url');
  let actual: Buffer;
  try {
    actual = await scryptAsync(bytes, salt, expected.length, { N, r, p });
  } catch {
    return false;
  }
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

let dummyHash: Promise<string> | undefined;
/**
 * A hash no secret matches in practice, verified against for unknown devices so that "no such device" costs
 * the same time as "wrong secret".
 */
export const unknownDeviceHash = (): Promise<string> => (dummyHash ??= hashDeviceSecret(randomBytes(32)));

/** In-memory store for tests and throwaway local runs. */
export class InMemoryDeviceCredentialStore implements DeviceCredentialStore {
  private readonly records = new Map<string, DeviceCredential>();

  /** Adds (or replaces) an active device with this secret; returns its username. */
  async register(tenant: string, deviceId: string, secret: string): Promise<string> {
    const username = deviceUsername(tenant, deviceId);
    if (!parseDeviceUsername(username)) throw new RangeError(`not a valid tenant/device pair: ${username}`);
    this.records.set(username, { tenant, deviceId, secretHash: await hashDeviceSecret(secret), status: 'active' });
    return username;
  }

  put(record: DeviceCredential): void {
    this.records.set(deviceUsername(record.tenant, record.deviceId), { ...record });
  }

  /** Marks the device revoked; existing connections stay up until `broker.disconnectDevice` is called. */
  revoke(tenant: string, deviceId: string): void {
    const record = this.records.get(deviceUsername(tenant, deviceId));
    if (record) record.status = 'revoked';
  }

  async lookup(username: string): Promise<DeviceCredential | undefined> {
    const record = this.records.get(username);
    return record ? { ...record } : undefined;
  }
}
