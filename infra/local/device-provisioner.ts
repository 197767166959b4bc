/**
 * The local stack's DeviceProvisioner: what IoT Core things and certificates are in AWS, a random secret per
 * device whose salted hash the broker checks (device-credentials.ts). Device ids are unique across tenants here
 * too (thing names are): a platform-level claim item refuses another tenant's registration of the same id.
 * Decommissioning revokes the credential and cuts the device's live connections.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { keys } from '../../functions/src/data/keys';
import type { Store } from '../../functions/src/data/store';
import type { DecommissionInput, DeviceCredentials, DeviceProvisioner, ProvisionInput } from '../../functions/src/devices/provisioner';
import { DomainError } from '../../functions/src/shared/errors';
import type { LocalBroker } from './broker';
import { deviceUsername, generateDeviceSecret, hashDeviceSecret } from './device-credentials';

/** Platform-level (not tenant-owned) claim of a device id, like IoT Core's global thing names. */
const claimKey = (deviceId: string) => ({ PK: `DEVICEID#${deviceId}`, SK: 'CLAIM' });

export function localDeviceProvisioner(store: Store, broker: () => LocalBroker | undefined): DeviceProvisioner {
  return {
    async provision(input: ProvisionInput): Promise<DeviceCredentials> {
      const claim = await store.doc.send(new GetCommand({ TableName: store.tableName, Key: claimKey(input.deviceId), ConsistentRead: true }));
      const owner = z.object({ tenant: z.string() }).safeParse(claim.Item);
      if (owner.success && owner.data.tenant !== input.tenant) throw new DomainError('DEVICE_EXISTS', [{ path: 'id', message: 'this device id belongs to another tenant' }]);
      if (!owner.success) {
        await store.doc
          .send(new PutCommand({ TableName: store.tableName, Item: { ...claimKey(input.deviceId), tenant: input.tenant }, ConditionExpression: 'attribute_not_exists(PK) OR tenant = :t', ExpressionAttributeValues: { ':t': input.tenant } }))
          .catch((err: Error) => {
            if (err.name === 'ConditionalCheckFailedException') throw new DomainError('DEVICE_EXISTS', [{ path: 'id', message: 'this device id belongs to another tenant' }]);
            throw err;
          });
      }
      const password = generateDeviceSecret();
      await store.put({ ...keys.deviceCredential(input.tenant, input.deviceId), tenant: input.tenant, deviceId: input.deviceId, secretHash: await hashDeviceSecret(password), status: 'active', entity: 'device-credential' });
      // A rotation: connections made with the old secret end now.
      await broker()?.disconnectDevice(input.tenant, input.deviceId);
      return { type: 'password', username: deviceUsername(input.tenant, input.deviceId), password };
    },
    async decommission(input: DecommissionInput): Promise<void> {
      await store.update({ Key: keys.deviceCredential(input.tenant, input.deviceId), UpdateExpression: 'SET #s = :r', ConditionExpression: 'attribute_exists(PK)', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':r': 'revoked' } }).catch((err: Error) => {
        if (err.name !== 'ConditionalCheckFailedException') throw err;
      });
      await broker()?.disconnectDevice(input.tenant, input.deviceId);
    },
  };
}
