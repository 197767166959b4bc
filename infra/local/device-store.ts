/**
 * The broker's device credentials, read from the device items in the table (the same items the monitoring
 * module's local provisioner writes). The broker is a system component: it reads one credential item by its key.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { keys } from '../../functions/src/data/keys';
import { parseDeviceUsername, type DeviceCredential, type DeviceCredentialStore } from './device-credentials';

const DeviceItem = z.object({ tenant: z.string(), deviceId: z.string(), secretHash: z.string(), status: z.enum(['active', 'revoked']) });

export class TableDeviceCredentialStore implements DeviceCredentialStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async lookup(username: string): Promise<DeviceCredential | undefined> {
    const id = parseDeviceUsername(username);
    if (!id) return undefined;
    const r = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.deviceCredential(id.tenant, id.deviceId), ConsistentRead: true }));
    const parsed = DeviceItem.safeParse(r.Item);
    return parsed.success ? parsed.data : undefined;
  }
}
