/**
 * What the runner costs DynamoDB on the case flow (functions/flows/case.asl.json, the flow the case benchmark
 * drives): every command it sends is counted by wrapping the document client's `send`. DynamoDB Local manages
 * a few hundred writes a second on a small machine, so the writes per execution bound the case throughput.
 *
 * The path counted: Intake → PlanFile → AwaitFile → FileRoute → SmartDispatch → DispatchRoute → PlanHandle →
 * AwaitHandle → HandleRoute → PlanCheck → AwaitCheck → CheckRoute → CloseCase → Closed (3 human steps).
 */
import { fileURLToPath } from 'node:url';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testTable } from '../../../test/support/dynamo';
import { isJsonObject, type JsonValue } from './definitions';
import { LocalFlowRunner, type ExecutionDescription, type ExecutionStatus } from './runner';

const flowsDir = fileURLToPath(new URL('../../../functions/flows', import.meta.url));

/** Writes per case-flow execution on the path above (commands; a transaction counts once per item it writes). */
const MAX_WRITES_PER_CASE = 11;

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const WRITE_COMMANDS = new Set(['PutCommand', 'UpdateCommand', 'DeleteCommand', 'BatchWriteCommand', 'TransactWriteCommand']);

export interface SentCommand {
  name: string;
  input: Record<string, unknown>;
}

/** Item writes of a command: one for Put/Update/Delete, one per item of a transaction or batch. */
export function itemWrites(c: SentCommand): number {
  if (c.name === 'TransactWriteCommand') return ((c.input.TransactItems as unknown[]) ?? []).length;
  if (c.name === 'BatchWriteCommand') {
    return Object.values((c.input.RequestItems as Record<string, unknown[]>) ?? {}).reduce((n, reqs) => n + reqs.length, 0);
  }
  return WRITE_COMMANDS.has(c.name) ? 1 : 0;
}

/**
 * The document client with every command it sends recorded (in order). `fail` may throw to make one command
 * fail as a lost write would (the command is not sent).
 */
export function countingClient(doc: DynamoDBDocumentClient, fail?: (c: SentCommand) => Error | undefined) {
  const sent: SentCommand[] = [];
  const client = new Proxy(doc, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver) as unknown;
      return (command: { constructor: { name: string }; input: Record<string, unknown> }, ...rest: unknown[]) => {
        const c = { name: command.constructor.name, input: command.input };
        const err = fail?.(c);
        if (err) return Promise.reject(err);
        sent.push(c);
        return (target.send as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
      };
    },
  });
  return {
    client,
    sent,
    writes: () => sent.reduce((n, c) => n + itemWrites(c), 0),
    reads: () => sent.filter((c) => c.name === 'GetCommand' || c.name === 'QueryCommand').length,
    reset: () => void sent.splice(0),
  };
}

interface Opened {
  token: string;
  step: string;
  dueAt: string;
}

/** Fake case functions: every step is due in `limitMs`; smart dispatch always dispatches. */
function caseFakes(limitMs = 60_000) {
  const s = { opened: [] as Opened[], calls: {} as Record<string, number> };
  const count = (name: string) => (s.calls[name] = (s.calls[name] ?? 0) + 1);
  const obj = (p: JsonValue) => {
    if (!isJsonObject(p)) throw new Error('payload is not an object');
    return p;
  };
  const plan = () => ({ seconds: Math.max(1, Math.ceil(limitMs / 1000)), dueAt: new Date(Date.now() + limitMs).toISOString(), escalations: 0 });
  const functions = {
    PlanCaseStepFunctionArn: async (p: JsonValue): Promise<JsonValue> => (obj(p), count('plan'), plan()),
    EscalateCaseStepFunctionArn: async (p: JsonValue): Promise<JsonValue> => (obj(p), count('escalate'), { ...plan(), escalations: 1 }),
    OpenTaskFunctionArn: async (p: JsonValue): Promise<JsonValue> => {
      const o = obj(p);
      count('open');
      s.opened.push({ token: String(o.taskToken), step: String(o.step), dueAt: String(o.dueAt) });
      return { taskId: `${String(o.itemId)}:${String(o.step)}` };
    },
    SmartDispatchFunctionArn: async (p: JsonValue): Promise<JsonValue> => (obj(p), count('dispatch'), { dispatched: true, departments: ['CGZF'] }),
    CloseCaseFunctionArn: async (p: JsonValue): Promise<JsonValue> => (obj(p), count('close'), { closeType: 'normal' }),
  };
  const task = (i: number, timeoutMs = 5000) => until(() => s.opened[i], timeoutMs, `open task #${i}`);
  return { s, functions, task };
}

const INPUT = { tenant: '430100', caseId: 'case-1', needsVerify: false };
const OUTPUTS: Record<string, object> = { 'case.file': { decision: 'file' }, 'case.handle': { action: 'feedback' }, 'case.check': { passed: true } };

describe('LocalFlowRunner writes on the case flow (DynamoDB Local)', () => {
  let doc: DynamoDBDocumentClient;
  let tableName: string;
  let runners: LocalFlowRunner[];

  const newRunner = (client: DynamoDBDocumentClient, functions: ReturnType<typeof caseFakes>['functions']) => {
    const r = new LocalFlowRunner({ doc: client, tableName, flowsDir, functions });
    runners.push(r);
    return r;
  };
  const status = (r: LocalFlowRunner, arn: string, want: ExecutionStatus): Promise<ExecutionDescription> =>
    until(
      async () => {
        const d = await r.describeExecution(arn);
        return d.status === want ? d : undefined;
      },
      5000,
      `status ${want}`,
    );

  beforeEach(async () => {
    const t = await testTable('flows');
    doc = DynamoDBDocumentClient.from(t.client, { marshallOptions: { removeUndefinedValues: true } });
    tableName = t.tableName;
    runners = [];
  });

  afterEach(async () => {
    await Promise.all(runners.map((r) => r.stop()));
  });

  it(`file → dispatch → handle → check → close costs at most ${MAX_WRITES_PER_CASE} writes`, async () => {
    const f = caseFakes();
    const counter = countingClient(doc);
    const runner = newRunner(counter.client, f.functions);
    const { executionArn } = await runner.startExecution('case', 'case-1', INPUT);
    for (const [i, step] of ['case.file', 'case.handle', 'case.check'].entries()) {
      const t = await f.task(i);
      expect(t.step).toBe(step);
      await runner.sendTaskSuccess(t.token, OUTPUTS[step]!);
    }
    // Read through the raw client: describing is not part of the run.
    const done = await until(async () => {
      const d = await newRunner(doc, f.functions).describeExecution(executionArn);
      return d.status === 'SUCCEEDED' ? d : undefined;
    });
    expect(done.output).toMatchObject({ file: { decision: 'file' }, auto: { dispatched: true }, handle: { action: 'feedback' }, check: { passed: true }, closed: { closeType: 'normal' } });
    expect(f.s.calls).toEqual({ plan: 3, open: 3, dispatch: 1, close: 1 });
    await runner.stop();

    const byCommand: Record<string, number> = {};
    for (const c of counter.sent) byCommand[c.name] = (byCommand[c.name] ?? 0) + itemWrites(c);
    console.info(`case flow: ${counter.writes()} item writes, ${counter.sent.length} commands, ${counter.reads()} reads`, byCommand);
    expect(counter.writes()).toBeLessThanOrEqual(MAX_WRITES_PER_CASE);
    expect(counter.reads()).toBe(0);
  });
});
