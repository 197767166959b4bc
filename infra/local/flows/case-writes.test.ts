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
import { LocalFlowRunner, type ExecutionDescription, type ExecutionStatus, type FlowLogger } from './runner';

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

interface SentCommand {
  name: string;
  input: Record<string, unknown>;
}

/** Item writes of a command: one for Put/Update/Delete, one per item of a transaction or batch. */
function itemWrites(c: SentCommand): number {
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
function countingClient(doc: DynamoDBDocumentClient, fail?: (c: SentCommand) => Error | undefined) {
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

/** Fake case functions: a step is due in the next of `limits` (ms), else in a minute; smart dispatch always dispatches. */
function caseFakes() {
  const s = { opened: [] as Opened[], calls: {} as Record<string, number>, limits: [] as number[] };
  const count = (name: string) => (s.calls[name] = (s.calls[name] ?? 0) + 1);
  const obj = (p: JsonValue) => {
    if (!isJsonObject(p)) throw new Error('payload is not an object');
    return p;
  };
  const plan = () => {
    const ms = s.limits.shift() ?? 60_000;
    return { seconds: Math.max(1, Math.ceil(ms / 1000)), dueAt: new Date(Date.now() + ms).toISOString(), escalations: 0 };
  };
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

  const newRunner = (client: DynamoDBDocumentClient, functions: ReturnType<typeof caseFakes>['functions'], logger?: FlowLogger) => {
    const r = new LocalFlowRunner({ doc: client, tableName, flowsDir, functions, ...(logger ? { logger } : {}) });
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

  const steps = (f: ReturnType<typeof caseFakes>) => f.s.opened.map((o) => o.step);
  /** The resume-point write of a human task state (the update of the execution item that records it). */
  const isResumePointOf = (state: string) => (c: SentCommand) =>
    c.name === 'UpdateCommand' &&
    (c.input.Key as { PK?: string } | undefined)?.PK === 'LOCALSFN#EXEC' &&
    JSON.stringify(c.input.ExpressionAttributeValues ?? {}).includes(`"${state}"`);

  it('after a restart at a recorded human step, re-runs nothing before it and costs 1 write more (the claim)', async () => {
    const f = caseFakes();
    const first = newRunner(doc, f.functions);
    const { executionArn } = await first.startExecution('case', 'case-restart', INPUT);
    await first.sendTaskSuccess((await f.task(0)).token, OUTPUTS['case.file']!);
    const handle = await f.task(1);
    await until(async () => ((await first.describeExecution(executionArn)).waitingStates.includes('AwaitHandle') ? true : undefined));
    await first.stop();

    const counter = countingClient(doc);
    const second = newRunner(counter.client, f.functions);
    expect(await second.redrive()).toEqual([executionArn]);
    await new Promise((r) => setTimeout(r, 150));
    expect(steps(f)).toEqual(['case.file', 'case.handle']); // not opened again
    expect(f.s.calls).toMatchObject({ plan: 2, dispatch: 1 }); // nothing before AwaitHandle ran again
    await second.sendTaskSuccess(handle.token, OUTPUTS['case.handle']!);
    const check = await f.task(2);
    await second.sendTaskSuccess(check.token, OUTPUTS['case.check']!);
    await status(second, executionArn, 'SUCCEEDED');
    // claim, handle completed, check (token, resume point, completed), end
    expect(counter.writes()).toBe(6);
  });

  it('stopped after a task opened but before its resume point was written: opens it again with the same token', async () => {
    const f = caseFakes();
    let lost = 0;
    const failing = countingClient(doc, (c) => (isResumePointOf('AwaitHandle')(c) ? (lost++, new Error('simulated crash')) : undefined));
    const first = newRunner(failing.client, f.functions);
    const { executionArn } = await first.startExecution('case', 'case-window', INPUT);
    await first.sendTaskSuccess((await f.task(0)).token, OUTPUTS['case.file']!);
    const handle = await f.task(1);
    await until(() => (lost ? true : undefined));
    await first.stop();
    // The execution still waits at its previous human step.
    expect(await first.describeExecution(executionArn)).toMatchObject({ currentState: 'AwaitFile', waitingStates: ['AwaitFile'] });

    const second = newRunner(doc, f.functions);
    await second.redrive();
    // AwaitFile returns at once (its token succeeded); the states after it run again and meet the same token.
    const again = await f.task(2);
    expect(again).toMatchObject({ step: 'case.handle', token: handle.token });
    expect(f.s.calls).toMatchObject({ plan: 3, dispatch: 2 });
    await second.sendTaskSuccess(handle.token, OUTPUTS['case.handle']!);
    await second.sendTaskSuccess((await f.task(3)).token, OUTPUTS['case.check']!);
    const done = await status(second, executionArn, 'SUCCEEDED');
    expect(done.output).toMatchObject({ handle: { action: 'feedback' }, check: { passed: true } });
    expect(steps(f)).toEqual(['case.file', 'case.handle', 'case.handle', 'case.check']);
  });

  it('stopped in that window after the task was completed: the success is not lost and the task not reopened', async () => {
    const f = caseFakes();
    let lost = 0;
    const failing = countingClient(doc, (c) => (isResumePointOf('AwaitHandle')(c) ? (lost++, new Error('simulated crash')) : undefined));
    const first = newRunner(failing.client, f.functions);
    const { executionArn } = await first.startExecution('case', 'case-window-done', INPUT);
    await first.sendTaskSuccess((await f.task(0)).token, OUTPUTS['case.file']!);
    const handle = await f.task(1);
    await until(() => (lost ? true : undefined));
    // Acknowledged through another runner (the first one's waiter never resumes), then the first one stops.
    const second = newRunner(doc, f.functions);
    await second.sendTaskSuccess(handle.token, { action: 'feedback', note: 'before the stop' });
    await first.stop();

    await second.redrive();
    const check = await f.task(2);
    expect(check.step).toBe('case.check');
    expect(steps(f)).toEqual(['case.file', 'case.handle', 'case.check']);
    await expect(second.sendTaskSuccess(handle.token, OUTPUTS['case.handle']!)).rejects.toMatchObject({ name: 'TaskTimedOut' });
    await second.sendTaskSuccess(check.token, OUTPUTS['case.check']!);
    const done = await status(second, executionArn, 'SUCCEEDED');
    expect(done.output).toMatchObject({ handle: { note: 'before the stop' } });
  });

  it('a runner that lost the execution to a re-drive is stopped at its next execution write and moves nothing', async () => {
    const f = caseFakes();
    f.s.limits.push(1500); // AwaitFile: the first runner's waiter wakes at this deadline and finds the success
    const logs: string[] = [];
    const logger: FlowLogger = { debug() {}, info() {}, warn: (e) => logs.push(e.message), error: (e) => logs.push(e.message) };
    const first = newRunner(doc, f.functions, logger);
    const { executionArn } = await first.startExecution('case', 'case-fenced', INPUT);
    const file = await f.task(0);
    await until(async () => ((await first.describeExecution(executionArn)).waitingStates.length ? true : undefined));

    // A second runner re-drives the execution while the first still runs it, and moves it on.
    const second = newRunner(doc, f.functions);
    expect(await second.redrive()).toEqual([executionArn]);
    await second.sendTaskSuccess(file.token, OUTPUTS['case.file']!);
    const handle = await f.task(1);
    expect(handle.step).toBe('case.handle');

    await until(() => (logs.includes('another runner took the execution over; stopping this run') ? true : undefined), 6000);
    // On its way the first runner re-ran the non-human states and met the second runner's token (same position).
    expect(f.s.opened.filter((o) => o.step === 'case.handle').every((o) => o.token === handle.token)).toBe(true);
    expect(await second.describeExecution(executionArn)).toMatchObject({ status: 'RUNNING', currentState: 'AwaitHandle' });

    await second.sendTaskSuccess(handle.token, OUTPUTS['case.handle']!);
    const check = await until(() => f.s.opened.find((o) => o.step === 'case.check'));
    await second.sendTaskSuccess(check.token, OUTPUTS['case.check']!);
    expect((await status(second, executionArn, 'SUCCEEDED')).output).toMatchObject({ check: { passed: true } });
    expect(f.s.opened.filter((o) => o.step === 'case.check')).toHaveLength(1);
  });
});
