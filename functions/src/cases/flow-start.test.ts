import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { WorkflowGateway } from '../flows/gateway';
import { startCaseFlowFromRecord } from './flow-start';

const ID = '01JDQ7ZK3M8T4V6X9Y2B5C7D8E';
const record = (eventName: 'INSERT' | 'MODIFY', image: Record<string, string>): DynamoDBRecord => ({
  eventID: 'e1',
  eventName,
  dynamodb: { NewImage: Object.fromEntries(Object.entries(image).map(([k, v]) => [k, { S: v }])) },
});
const recorder = () => {
  const starts: Array<[string, string, Record<string, unknown>]> = [];
  const gateway: WorkflowGateway = {
    startExecution: async (flow, name, input) => {
      starts.push([flow, name, input]);
      return { executionArn: `arn:${name}`, started: true };
    },
    sendTaskSuccess: async () => undefined,
    sendTaskFailure: async () => undefined,
  };
  return { starts, gateway };
};

describe('CMD-1 a new case starts its flow from the stream', () => {
  it('a case insert starts the case flow named after the case, verifying unverified sources', async () => {
    // Prepare
    const { starts, gateway } = recorder();
    // Act
    await startCaseFlowFromRecord(gateway, record('INSERT', { entity: 'case', tenant: '430100', id: ID, source: 'citizen', PK: `T#430100#CASE#${ID}` }));
    await startCaseFlowFromRecord(gateway, record('INSERT', { entity: 'case', tenant: '430100', id: ID, source: 'inspector' }));
    // Assess
    expect(starts).toEqual([
      ['case', `case-${ID}`, { tenant: '430100', caseId: ID, needsVerify: true }],
      ['case', `case-${ID}`, { tenant: '430100', caseId: ID, needsVerify: false }],
    ]);
  });

  it('updates of a case and other entities start nothing', async () => {
    const { starts, gateway } = recorder();
    expect(await startCaseFlowFromRecord(gateway, record('MODIFY', { entity: 'case', tenant: '430100', id: ID, source: 'citizen' }))).toBe(false);
    expect(await startCaseFlowFromRecord(gateway, record('INSERT', { entity: 'task', tenant: '430100', id: ID }))).toBe(false);
    expect(starts).toEqual([]);
  });

  it('a case image that does not parse fails the record (so the batch retries it) instead of being skipped', async () => {
    const { gateway } = recorder();
    await expect(startCaseFlowFromRecord(gateway, record('INSERT', { entity: 'case', tenant: '4301', id: ID, source: 'inspector' }))).rejects.toThrow();
  });
});
