/**
 * The case flow starts from the table's stream, not from the intake request: a case is acknowledged as soon as
 * its item (with the idempotency marker) is written, and the stream, which delivers every new case at least
 * once and is retried until it succeeds, starts its flow. Nothing acknowledged can be left without a flow
 * (a crash between the write and the start used to be possible), and intake costs one transaction.
 * Starting is idempotent: the execution is named after the case.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { z } from 'zod';
import { CaseSource, DivisionCode, UNVERIFIED_SOURCES, Ulid } from '../../../contracts';
import type { WorkflowGateway } from '../flows/gateway';

export const CASE_FLOW = 'case';

const NewCase = z.object({ entity: z.literal('case'), tenant: DivisionCode, id: Ulid, source: CaseSource });

/** The flow input of a case: it depends only on what never changes about the case. */
export const caseFlowStart = (c: { tenant: string; id: string; source: CaseSource }) =>
  ({ name: `case-${c.id}`, input: { tenant: c.tenant, caseId: c.id, needsVerify: UNVERIFIED_SOURCES.includes(c.source) } }) as const;

/** For a stream record: start the flow of a case it created; other records are not this module's business. */
export async function startCaseFlowFromRecord(gateway: WorkflowGateway, record: DynamoDBRecord): Promise<boolean> {
  if (record.eventName !== 'INSERT') return false;
  const img = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
  const str = (name: string) => (img?.[name] && 'S' in img[name] ? img[name].S : undefined);
  if (str('entity') !== 'case') return false;
  const c = NewCase.parse({ entity: 'case', tenant: str('tenant'), id: str('id'), source: str('source') });
  const { name, input } = caseFlowStart(c);
  await gateway.startExecution(CASE_FLOW, name, input);
  return true;
}
