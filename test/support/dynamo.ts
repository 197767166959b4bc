/** Test helpers over the shared DynamoDB Local of the run (see global-setup.ts). */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { ensureTable, localClientConfig } from '../../infra/local/dynamo';

export interface TestTable {
  endpoint: string;
  client: DynamoDBClient;
  tableName: string;
  streamArn: string;
}

/** A fresh table (with stream) of the one table definition, unique to the caller. */
export async function testTable(prefix = 't'): Promise<TestTable> {
  const endpoint = inject('dynamoEndpoint');
  const client = new DynamoDBClient(localClientConfig(endpoint));
  const tableName = `${prefix}-${randomUUID().slice(0, 8)}`;
  const streamArn = await ensureTable(client, tableName);
  return { endpoint, client, tableName, streamArn };
}
