import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localClientConfig } from '../../dynamo';
import { LocalFlowRunner, type JsonValue } from '../runner';
const [endpoint, table, phase, token] = process.argv.slice(2) as [string, string, string, string | undefined];
const doc = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(endpoint)));
const obj = (p: JsonValue) => p as Record<string, JsonValue>;
const runner = new LocalFlowRunner({
  doc, tableName: table, flowsDir: 'functions/flows',
  functions: {
    PlanStepFunctionArn: async () => ({ seconds: 60, dueAt: new Date(Date.now() + 60000).toISOString() }),
    OpenTaskFunctionArn: async (p) => { console.log(`OPENED ${String(obj(p).step)} ${String(obj(p).taskToken)}`); return null; },
    EscalateFunctionArn: async (p) => Number(obj(p).escalations) + 1,
  },
});
if (phase === 'start') {
  await runner.startExecution('supervision', 'kill-1', { tenant: '430100', province: '430000', urgency: 'ordinary', itemId: 'k', escalations: 0 });
} else {
  console.log('REDRIVEN', JSON.stringify(await runner.redrive()));
  await runner.sendTaskSuccess(token!, { text: 'after kill -9' });
  const arn = 'arn:aws:states:cn-north-1:000000000000:execution:supervision:kill-1';
  for (;;) { await new Promise((r) => setTimeout(r, 50)); const d = await runner.describeExecution(arn); if (d.currentState === 'AwaitReview' && d.waitingStates.length) break; }
}
