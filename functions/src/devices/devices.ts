/**
 * The device registry (MON-1, ENV-3; MUN-3 "one cover one number, one well one file"): register one device or
 * import many (CSV / GeoJSON points), each bound to its tenant, a location inside the tenant's unit grids, the
 * grid found from it and, where it has one, a component id; credentials through the DeviceProvisioner port
 * (IoT Core things and certificates in AWS, the local broker's secrets in the embedded stack); decommissioning
 * revokes them. Runs in the caller's tenant context.
 */
import { z } from 'zod';
import { Device, DeviceImportRow, DEVICE_IMPORT_COLUMNS, RegisterDevice, type DeviceCredentialsView, type ImportDevicesResult, type RegisteredDevice } from '../../../contracts';
import { parseCsv } from '../basedata/csv';
import type { CatalogueCheck, GeoLookup } from '../cases/ports';
import { keys } from '../data/keys';
import { isConditionFailure, type Store } from '../data/store';
import { DomainError } from '../shared/errors';
import { useTenant } from '../tenancy/context';
import { tenantManifest } from '../tenants/tenants';
import type { DeviceCredentials, DeviceProvisioner } from './provisioner';

export interface DeviceEnv {
  store: Store;
  provisioner: DeviceProvisioner;
  geo: GeoLookup;
  catalogue: CatalogueCheck;
  now: () => Date;
}

/** The stored device item: the record plus its list index. */
export const deviceItem = (d: Device) => ({ ...keys.device(d.tenant, d.id), ...d, entity: 'device', GSI1PK: keys.deviceList(d.tenant), GSI1SK: `${d.kind}#${d.id}` });

const view = (c: DeviceCredentials): DeviceCredentialsView =>
  c.type === 'password' ? { type: 'password', username: c.username, password: c.password } : { type: 'x509', thingName: c.thingName, certificateArn: c.certificateArn, certificatePem: c.certificatePem, privateKey: c.privateKey, ...(c.endpoint ? { endpoint: c.endpoint } : {}) };

/** Checks a registration against the tenant's grids, catalogue and departments; returns the device to store. */
async function prepare(env: DeviceEnv, body: RegisterDevice): Promise<Device> {
  const tenant = useTenant();
  const now = env.now();
  const gridId = await env.geo.gridAt(env.store, body.location);
  if (!gridId) throw new DomainError('LOCATION_OUTSIDE_TENANT', [{ path: 'location', message: `${body.location.lng},${body.location.lat}` }]);
  if (body.componentId) {
    const check = await env.catalogue.checkComponentId(env.store, body.componentId, body.componentId.slice(6, 11), now.toISOString().slice(0, 10));
    if (!check.ok) throw new DomainError('COMPONENT_ID_INVALID', [{ path: 'componentId', message: `${check.message.zh} / ${check.message.en}` }]);
  }
  if (body.ownerDepartment) {
    const manifest = await tenantManifest(env.store, tenant);
    if (!manifest.departments.some((d) => d.code === body.ownerDepartment)) throw new DomainError('DEPARTMENT_UNKNOWN', [{ path: 'ownerDepartment', message: body.ownerDepartment }]);
  }
  return Device.parse({ ...body, tenant, gridId, status: 'active', registeredAt: now.toISOString() });
}

/** Register one device and hand out its credentials (once). A device id already registered → DEVICE_EXISTS. */
export async function registerDevice(env: DeviceEnv, raw: RegisterDevice): Promise<RegisteredDevice> {
  const device = await prepare(env, RegisterDevice.parse(raw));
  try {
    await env.store.put(deviceItem(device), { ConditionExpression: 'attribute_not_exists(PK)' });
  } catch (err) {
    if (isConditionFailure(err)) throw new DomainError('DEVICE_EXISTS', [{ path: 'id', message: device.id }]);
    throw err;
  }
  try {
    const credentials = await env.provisioner.provision({ tenant: device.tenant, deviceId: device.id, kind: device.kind });
    return { device, credentials: view(credentials) };
  } catch (err) {
    // No device without credentials: a registration that could not be provisioned is undone, so it can be retried.
    await env.store.transact([{ Delete: { Key: keys.device(device.tenant, device.id) } }]).catch(() => undefined);
    throw err;
  }
}

const GeoJsonPoints = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.object({ geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]).rest(z.number()) }), properties: z.record(z.string(), z.unknown()).nullable() })),
});

/** The rows of an import file as RegisterDevice candidates (unparsed), or the reason the file is unreadable. */
function importRows(format: 'csv' | 'geojson', content: string): Array<{ row: number; raw: unknown }> {
  if (format === 'csv') {
    const parsed = parseCsv(content);
    if (!parsed.ok) throw new DomainError('IMPORT_INVALID', [{ path: `line ${parsed.line}`, message: `${parsed.message.zh} / ${parsed.message.en}` }]);
    const [header, ...rows] = parsed.rows;
    const columns = header?.fields.map((f) => f.trim()) ?? [];
    const missing = DEVICE_IMPORT_COLUMNS.filter((c) => !['componentId', 'address', 'ownerDepartment'].includes(c) && !columns.includes(c));
    if (missing.length) throw new DomainError('IMPORT_INVALID', [{ path: 'header', message: `missing columns: ${missing.join(', ')} (expected ${DEVICE_IMPORT_COLUMNS.join(',')})` }]);
    return rows.map((r, i) => ({ row: i + 1, raw: Object.fromEntries(columns.map((c, j) => [c, r.fields[j] ?? ''])) }));
  }
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    throw new DomainError('IMPORT_INVALID', [{ path: '(file)', message: 'not valid JSON' }]);
  }
  const fc = GeoJsonPoints.safeParse(json);
  if (!fc.success) throw new DomainError('IMPORT_INVALID', [{ path: fc.error.issues[0]?.path.join('.') ?? '(file)', message: 'a FeatureCollection of Point features is expected' }]);
  return fc.data.features.map((f, i) => {
    const p = f.properties ?? {};
    const str = (k: string) => (p[k] === undefined || p[k] === null ? '' : String(p[k]));
    return { row: i + 1, raw: { id: str('id'), kind: str('kind'), name: str('name'), lng: String(f.geometry.coordinates[0]), lat: String(f.geometry.coordinates[1]), componentId: str('componentId'), address: str('address'), ownerDepartment: str('ownerDepartment') } };
  });
}

/** Import many devices; every row is checked on its own, and a refused row is reported, not half-written. */
export async function importDevices(env: DeviceEnv, format: 'csv' | 'geojson', content: string): Promise<ImportDevicesResult> {
  const out: ImportDevicesResult = { registered: [], errors: [] };
  const seen = new Set<string>();
  for (const { row, raw } of importRows(format, content)) {
    const parsed = DeviceImportRow.safeParse(raw);
    const id = typeof (raw as { id?: unknown }).id === 'string' ? ((raw as { id: string }).id || undefined) : undefined;
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      out.errors.push({ row, ...(id ? { id } : {}), code: 'VALIDATION_FAILED', message: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` });
      continue;
    }
    if (seen.has(parsed.data.id)) {
      out.errors.push({ row, id: parsed.data.id, code: 'DEVICE_EXISTS', message: 'the same id appears earlier in this file' });
      continue;
    }
    seen.add(parsed.data.id);
    try {
      out.registered.push(await registerDevice(env, parsed.data));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      out.errors.push({ row, id: parsed.data.id, code: err.code, message: err.details?.map((d) => `${d.path}: ${d.message}`).join('; ') || err.message });
    }
  }
  return out;
}

export async function getDevice(store: Store, id: string): Promise<Device> {
  const d = z.string().regex(/^[A-Za-z0-9_-]{3,64}$/).safeParse(id).success ? await store.get(Device, keys.device(useTenant(), id)) : undefined;
  if (!d) throw new DomainError('DEVICE_NOT_FOUND');
  return d;
}

/** The tenant's devices (every kind), in kind then id order. */
export async function listDevices(store: Store): Promise<Device[]> {
  return await store.query(Device, { index: 'GSI1', pk: keys.deviceList(useTenant()) });
}

/** New credentials for a device (the old ones stop working): a lost secret, a replaced SIM, a simulator re-run. */
export async function rotateCredentials(env: DeviceEnv, id: string): Promise<DeviceCredentialsView> {
  const d = await getDevice(env.store, id);
  if (d.status !== 'active') throw new DomainError('DEVICE_DECOMMISSIONED');
  return view(await env.provisioner.provision({ tenant: d.tenant, deviceId: d.id, kind: d.kind }));
}

/** Decommission: credentials revoked and live connections cut first, then the record marked (kept for history). */
export async function decommissionDevice(env: DeviceEnv, id: string): Promise<Device> {
  const d = await getDevice(env.store, id);
  if (d.status === 'decommissioned') return d;
  await env.provisioner.decommission({ tenant: d.tenant, deviceId: d.id });
  const next: Device = { ...d, status: 'decommissioned', decommissionedAt: env.now().toISOString() };
  await env.store.put(deviceItem(next));
  return next;
}

