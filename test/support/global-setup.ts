/**
 * One in-memory DynamoDB Local for the whole test run (a JVM takes ~3 s to start); each test file makes its
 * own table through `testTable()` so files never see each other's data.
 */
import type { TestProject } from 'vitest/node';
import { startDynamo, type LocalDynamo } from '../../infra/local/dynamo';

let dynamo: LocalDynamo | undefined;

export async function setup(project: TestProject): Promise<void> {
  dynamo = await startDynamo({ dataDir: null, heapMb: 1024 });
  project.provide('dynamoEndpoint', dynamo.endpoint);
}

export async function teardown(): Promise<void> {
  await dynamo?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}
