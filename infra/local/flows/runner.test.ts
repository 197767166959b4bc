/**
 * The local Step Functions runner on the real supervision flow (functions/flows/supervision.asl.json) and a real
 * DynamoDB Local table, with fake task functions. Restarts are simulated by stopping one runner and re-driving
 * with a new one on the same table.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testTable } from '../../../test/support/dynamo';
import { isJsonObject, type JsonValue } from './definitions';
import { LocalFlowRunner, type ExecutionDescription, type ExecutionStatus, type FlowLogger } from './runner';

const flowsDir = fileURLToPath(new URL('../../../functions/flows', import.meta.url));
const INPUT = { tenant: '430100', province: '430000', urgency: 'ordinary', itemId: 'sup-1', escalations: 0 };

interface Opened {
  token: string;
  step: string;
  escalations: number;
  dueAt: string;
  executionId: string;
  at: number;
}

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Fake flow functions: PlanStep answers a short test limit, OpenTask records the token, Escalate counts. */
function fakes() {
  const s = {
    /** Limits (ms) for the next PlanStep calls, then `defaultLimitMs`. */
    limits: [] as number[],
    defaultLimitMs: 60_000,
    opened: [] as Opened[],
    escalated: [] as { step: string; at: number }[],
    planCalls: 0,
  };
  const obj = (p: JsonValue) => {
    if (!isJsonObject(p)) throw new Error('payload is not an object');
    return p;
  };
  const functions = {
    PlanStepFunctionArn: async (p: JsonValue): Promise<JsonValue> => {
      obj(p);
      s.planCalls++;
      const ms = s.limits.shift() ?? s.defaultLimitMs;
      return { seconds: Math.max(1, Math.ceil(ms / 1000)), dueAt: new Date(Date.now() + ms).toISOString(), hours: 0, clock: 'continuous' };
    },
    OpenTaskFunctionArn: async (p: JsonValue): Promise<JsonValue> => {
      const o = obj(p);
      s.opened.push({
        token: String(o.taskToken),
        step: String(o.step),
        escalations: Number(o.escalations),
        dueAt: String(o.dueAt),
        executionId: String(o.executionId),
        at: Date.now(),
      });
      return { taskId: `${String(o.itemId)}:${String(o.step)}` };
    },
    EscalateFunctionArn: async (p: JsonValue): Promise<JsonValue> => {
      const o = obj(p);
      s.escalated.push({ step: String(o.step), at: Date.now() });
      return Number(o.escalations) + 1;
    },
  };
  const task = (i: number, timeoutMs = 5000) => until(() => s.opened[i], timeoutMs, `open task #${i}`);
  return { s, functions, task };
}

type Fakes = ReturnType<typeof fakes>;

describe('LocalFlowRunner (supervision flow, DynamoDB Local)', () => {
  let doc: DynamoDBDocumentClient;
  let tableName: string;
  let runners: LocalFlowRunner[];
  let logs: Record<string, unknown>[];

  const logger: FlowLogger = {
    debug: (e) => logs.push({ level: 'debug', ...e }),
    info: (e) => logs.push({ level: 'info', ...e }),
    warn: (e) => logs.push({ level: 'warn', ...e }),
    error: (e) => logs.push({ level: 'error', ...e }),
  };

  const newRunner = (f: Fakes) => {
    const r = new LocalFlowRunner({ doc, tableName, flowsDir, functions: f.functions, logger });
    runners.push(r);
    return r;
  };

  const status = (r: LocalFlowRunner, arn: string, want: ExecutionStatus, timeoutMs = 5000): Promise<ExecutionDescription> =>
    until(
      async () => {
        const d = await r.describeExecution(arn);
        return d.status === want ? d : undefined;
      },
      timeoutMs,
      `status ${want}`,
    );

  beforeEach(async () => {
    const t = await testTable('flows');
    doc = DynamoDBDocumentClient.from(t.client, { marshallOptions: { removeUndefinedValues: true } });
    tableName = t.tableName;
    runners = [];
    logs = [];
  });

  afterEach(async () => {
    await Promise.all(runners.map((r) => r.stop()));
  });

  it('runs feedback → review accept → Succeeded, with a fresh token per human task', async () => {
    const f = fakes();
    const runner = newRunner(f);
    expect(runner.flowNames).toContain('supervision');
    const { executionArn, started } = await runner.startExecution('supervision', 'sup-1', INPUT);
    expect(started).toBe(true);
    expect(executionArn).toBe('arn:aws:states:cn-north-1:000000000000:execution:supervision:sup-1');

    const feedback = await f.task(0);
    expect(feedback.step).toBe('supervision.feedback');
    expect(feedback.executionId).toBe(executionArn); // $$.Execution.Id from the run context
    expect(feedback.token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
    // The task is recorded on the execution (its resume point) right after the open-task function returned.
    const waiting = await until(async () => {
      const d = await runner.describeExecution(executionArn);
      return d.waitingStates.length ? d : undefined;
    });
    expect(waiting).toMatchObject({ status: 'RUNNING', currentState: 'AwaitFeedback', waitingStates: ['AwaitFeedback'] });

    await runner.sendTaskSuccess(feedback.token, { text: '已整改' });
    const review = await f.task(1);
    expect(review.step).toBe('supervision.review');
    expect(review.token).not.toBe(feedback.token);
    await runner.sendTaskSuccess(review.token, { decision: 'accept' });

    const done = await status(runner, executionArn, 'SUCCEEDED');
    expect(done.output).toMatchObject({ ...INPUT, feedback: { text: '已整改' }, review: { decision: 'accept' } });
    expect(done.stopDate).toBeDefined();
    expect((await runner.listExecutions({ status: 'SUCCEEDED' })).map((e) => e.executionArn)).toEqual([executionArn]);
    expect(await runner.listExecutions({ status: 'RUNNING' })).toEqual([]);

    const logText = JSON.stringify(logs);
    expect(logText).not.toContain(feedback.token);
    expect(logText).not.toContain(review.token);
    expect(logs.some((l) => l.message === 'flow state entered' && l.state === 'ReviewDecision')).toBe(true);
  });

  it("loops back to feedback when the review returns it", async () => {
    const f = fakes();
    const runner = newRunner(f);
    const { executionArn } = await runner.startExecution('supervision', 'sup-return', INPUT);
    await runner.sendTaskSuccess((await f.task(0)).token, { text: 'first' });
    await runner.sendTaskSuccess((await f.task(1)).token, { decision: 'return' });
    const again = await f.task(2);
    expect(again.step).toBe('supervision.feedback');
    await runner.sendTaskSuccess(again.token, { text: 'second' });
    const review = await f.task(3);
    expect(review.step).toBe('supervision.review');
    await runner.sendTaskSuccess(review.token, { decision: 'accept' });
    const done = await status(runner, executionArn, 'SUCCEEDED');
    expect(done.output).toMatchObject({ feedback: { text: 'second' }, review: { decision: 'accept' } });
    expect(new Set(f.s.opened.map((o) => o.token)).size).toBe(4);
  });

  it('escalates on timeout and waits again with a new token; the old token is timed out', async () => {
    const f = fakes();
    f.s.limits.push(1200);
    const runner = newRunner(f);
    const { executionArn } = await runner.startExecution('supervision', 'sup-late', INPUT);
    const first = await f.task(0);
    const second = await f.task(1, 8000);
    expect(f.s.escalated).toHaveLength(1);
    // The deadline is the planned dueAt (not the moment the task opened).
    const afterDue = f.s.escalated[0]!.at - Date.parse(first.dueAt);
    expect(afterDue).toBeGreaterThanOrEqual(0);
    expect(afterDue).toBeLessThan(1000);
    expect(second).toMatchObject({ step: 'supervision.feedback', escalations: 1 });
    expect(second.token).not.toBe(first.token);

    await expect(runner.sendTaskSuccess(first.token, { text: 'too late' })).rejects.toMatchObject({ name: 'TaskTimedOut' });
    await runner.sendTaskSuccess(second.token, { text: 'now' });
    await runner.sendTaskSuccess((await f.task(2)).token, { decision: 'accept' });
    const done = await status(runner, executionArn, 'SUCCEEDED');
    expect(done.output).toMatchObject({ escalations: 1, feedback: { text: 'now' }, timeout: { Error: 'States.Timeout' } });
  });

  it('refuses a second completion of a token and unknown tokens', async () => {
    const f = fakes();
    const runner = newRunner(f);
    await runner.startExecution('supervision', 'sup-twice', INPUT);
    const { token } = await f.task(0);
    await runner.sendTaskSuccess(token, { text: 'once' });
    await expect(runner.sendTaskSuccess(token, { text: 'twice' })).rejects.toMatchObject({ name: 'TaskTimedOut' });
    await expect(runner.sendTaskFailure(token, 'Rejected', 'late')).rejects.toMatchObject({ name: 'TaskTimedOut' });
    await expect(runner.sendTaskSuccess('no-such-token-000000000000000000000000000000', {})).rejects.toMatchObject({ name: 'TaskDoesNotExist' });
    const review = await f.task(1);
    expect(review.step).toBe('supervision.review'); // the one success moved the flow on exactly once
    expect(f.s.opened).toHaveLength(2);
  });

  it('closes a step together with the caller’s writes in one transaction, or neither', async () => {
    // Prepare: a flow waiting at feedback, and a work item the caller moves with its claim
    const f = fakes();
    const runner = newRunner(f);
    await runner.startExecution('supervision', 'sup-atomic', INPUT);
    const { token } = await f.task(0);
    const item = { PK: 'T#430100#WORK#1', SK: 'ITEM' };
    await doc.send(new PutCommand({ TableName: tableName, Item: { ...item, status: 'open' } }));
    const move = (from: string, to: string) => ({
      Update: { Key: item, UpdateExpression: 'SET #s = :to', ConditionExpression: '#s = :from', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':from': from, ':to': to } },
    });
    const statusOf = async () => (await doc.send(new GetCommand({ TableName: tableName, Key: item }))).Item?.status;
    // Act & assess: a failed condition of the caller's write leaves the step waiting
    await expect(runner.sendTaskSuccessWith(token, { text: 'x' }, [move('closed', 'done')])).rejects.toMatchObject({ name: 'TransactionCanceledException' });
    expect(f.s.opened).toHaveLength(1);
    // both at once
    await runner.sendTaskSuccessWith(token, { text: '已整改' }, [move('open', 'done')]);
    expect(await statusOf()).toBe('done');
    expect((await f.task(1)).step).toBe('supervision.review');
    // a step no longer waiting: refused, and the caller's write is not made
    await expect(runner.sendTaskSuccessWith(token, { text: 'again' }, [move('done', 'again')])).rejects.toMatchObject({ name: 'TaskTimedOut' });
    expect(await statusOf()).toBe('done');
  });

  it('fails the execution with the error and cause of sendTaskFailure', async () => {
    const f = fakes();
    const runner = newRunner(f);
    const { executionArn } = await runner.startExecution('supervision', 'sup-fail', INPUT);
    await runner.sendTaskFailure((await f.task(0)).token, 'FeedbackWithdrawn', 'the item was withdrawn');
    const failed = await status(runner, executionArn, 'FAILED');
    expect(failed).toMatchObject({ error: 'FeedbackWithdrawn', cause: 'the item was withdrawn' });
    expect(logs.some((l) => l.level === 'error' && l.message === 'flow execution failed')).toBe(true);
  });

  it('starts an execution once per name', async () => {
    const f = fakes();
    const runner = newRunner(f);
    const a = await runner.startExecution('supervision', 'sup-once', INPUT);
    const b = await runner.startExecution('supervision', 'sup-once', { ...INPUT });
    expect(a.started).toBe(true);
    expect(b).toEqual({ executionArn: a.executionArn, started: false });
    await f.task(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(f.s.opened).toHaveLength(1);
    expect(await runner.listExecutions()).toHaveLength(1);

    await expect(runner.startExecution('supervision', 'sup-once', { ...INPUT, itemId: 'other' })).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    await expect(runner.startExecution('nope', 'x', INPUT)).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
    await expect(runner.startExecution('supervision', 'has space', INPUT)).rejects.toMatchObject({ name: 'InvalidName' });
    await expect(runner.describeExecution(`${a.executionArn}-x`)).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
  });

  it('after a restart, finishes the flow with the original token', async () => {
    const f = fakes();
    const first = newRunner(f);
    const { executionArn } = await first.startExecution('supervision', 'sup-restart', INPUT);
    const feedback = await f.task(0);
    await first.stop();
    expect(await first.describeExecution(executionArn)).toMatchObject({ status: 'RUNNING', currentState: 'AwaitFeedback' });
    await expect(first.startExecution('supervision', 'sup-other', INPUT)).rejects.toMatchObject({ name: 'RunnerStopped' });

    const second = newRunner(f);
    expect(await second.redrive()).toEqual([executionArn]);
    await new Promise((r) => setTimeout(r, 150));
    expect(f.s.opened).toHaveLength(1); // the open task was reused, not opened again
    expect(f.s.planCalls).toBe(1); // and the flow did not start over

    await second.sendTaskSuccess(feedback.token, { text: 'after restart' });
    const review = await f.task(1);
    expect(review.step).toBe('supervision.review');
    await second.sendTaskSuccess(review.token, { decision: 'accept' });
    const done = await status(second, executionArn, 'SUCCEEDED');
    expect(done.output).toMatchObject({ feedback: { text: 'after restart' }, review: { decision: 'accept' } });
    expect(await second.redrive()).toEqual([]);
  });

  it('after a restart, continues from a success recorded just before the stop', async () => {
    const f = fakes();
    const first = newRunner(f);
    const { executionArn } = await first.startExecution('supervision', 'sup-acked', INPUT);
    const feedback = await f.task(0);

    // The success is durable but the first runner's waiter never resumes: it goes through another runner
    // (not yet re-driving), then the first one stops.
    const second = newRunner(f);
    await second.sendTaskSuccess(feedback.token, { text: 'acknowledged' });
    await first.stop();
    expect(f.s.opened).toHaveLength(1);

    expect(await second.redrive()).toEqual([executionArn]);
    const review = await f.task(1);
    expect(review.step).toBe('supervision.review');
    await expect(second.sendTaskSuccess(feedback.token, { text: 'again' })).rejects.toMatchObject({ name: 'TaskTimedOut' });
    await second.sendTaskSuccess(review.token, { decision: 'accept' });
    const done = await status(second, executionArn, 'SUCCEEDED');
    expect(done.output).toMatchObject({ feedback: { text: 'acknowledged' } });
  });

  it('after a restart, times a human task out after the remaining time, not the full time', async () => {
    const f = fakes();
    f.s.limits.push(3000);
    const first = newRunner(f);
    await first.startExecution('supervision', 'sup-remaining', INPUT);
    const feedback = await f.task(0);
    await new Promise((r) => setTimeout(r, 1000));
    await first.stop();

    const second = newRunner(f);
    const redriveAt = Date.now();
    await second.redrive();
    const again = await f.task(1, 8000);
    // Due 3 s after planning; the full limit again from the re-drive would be ≥ 1 s later than that.
    const afterDue = f.s.escalated[0]!.at - Date.parse(feedback.dueAt);
    expect(afterDue).toBeGreaterThanOrEqual(0);
    expect(afterDue).toBeLessThan(700);
    expect(f.s.escalated[0]!.at - redriveAt).toBeLessThan(3000);
    expect(again).toMatchObject({ step: 'supervision.feedback', escalations: 1 });
  });

  it('re-drives an execution an older runner left waiting (random pending token, no seed)', async () => {
    const f = fakes();
    const first = newRunner(f);
    const { executionArn } = await first.startExecution('supervision', 'sup-legacy', INPUT);
    const feedback = await f.task(0);
    await until(async () => ((await first.describeExecution(executionArn)).waitingStates.length ? true : undefined));
    await first.stop();
    // Rewrite the items as the previous runner wrote them: a random token with `opened`, no seed or position.
    const legacy = 'L'.repeat(43);
    const tokenItem = (await doc.send(new GetCommand({ TableName: tableName, Key: { PK: `LOCALSFN#TOKEN#${feedback.token}`, SK: 'TOKEN' } }))).Item!;
    await doc.send(new PutCommand({ TableName: tableName, Item: { ...tokenItem, PK: `LOCALSFN#TOKEN#${legacy}`, token: legacy, opened: true } }));
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { PK: 'LOCALSFN#EXEC', SK: executionArn },
        UpdateExpression: 'SET pending = :p REMOVE seed, stateIndex',
        ExpressionAttributeValues: { ':p': { AwaitFeedback: legacy } },
      }),
    );

    const second = newRunner(f);
    expect(await second.redrive()).toEqual([executionArn]);
    await new Promise((r) => setTimeout(r, 150));
    expect(f.s.opened).toHaveLength(1);
    await second.sendTaskSuccess(legacy, { text: 'legacy' });
    const review = await f.task(1);
    expect(review.step).toBe('supervision.review');
    await second.sendTaskSuccess(review.token, { decision: 'accept' });
    expect((await status(second, executionArn, 'SUCCEEDED')).output).toMatchObject({ feedback: { text: 'legacy' } });
  });

  it('after a restart past the deadline, times the task out at once and refuses its token', async () => {
    const f = fakes();
    f.s.limits.push(1000);
    const first = newRunner(f);
    const { executionArn } = await first.startExecution('supervision', 'sup-overdue', INPUT);
    const feedback = await f.task(0);
    await first.stop();
    await new Promise((r) => setTimeout(r, 1300));

    const second = newRunner(f);
    await expect(second.sendTaskSuccess(feedback.token, { text: 'late' })).rejects.toMatchObject({ name: 'TaskTimedOut' });
    const redriveAt = Date.now();
    await second.redrive();
    const again = await f.task(1);
    expect(Date.now() - redriveAt).toBeLessThan(1000);
    expect(again.escalations).toBe(1);
    expect((await second.describeExecution(executionArn)).status).toBe('RUNNING');
  });
});

/** Flows written for these tests only: shapes the supervision flow does not have. */
const TEST_FLOWS: Record<string, unknown> = {
  gates: {
    StartAt: 'Both',
    States: {
      Both: {
        Type: 'Parallel',
        Branches: ['A', 'B'].map((g) => ({
          StartAt: `Gate${g}`,
          States: {
            [`Gate${g}`]: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
              Parameters: { FunctionName: '${OpenFunctionArn}', Payload: { 'token.$': '$$.Task.Token', gate: g } },
              TimeoutSeconds: 60,
              End: true,
            },
          },
        })),
        Next: 'Done',
      },
      Done: { Type: 'Succeed' },
    },
  },
  timeouts: {
    StartAt: 'Human',
    States: {
      Human: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { FunctionName: '${OpenFunctionArn}', Payload: { 'token.$': '$$.Task.Token', gate: 'T' } },
        TimeoutSeconds: 1,
        Catch: [
          { ErrorEquals: ['States.TaskFailed'], ResultPath: '$.err', Next: 'WrongCatcher' },
          { ErrorEquals: ['States.Timeout'], ResultPath: '$.err', Next: 'Slow' },
        ],
        Next: 'Slow',
      },
      WrongCatcher: { Type: 'Fail', Error: 'WrongCatcher' },
      Slow: {
        Type: 'Task',
        Resource: '${SlowFunctionArn}',
        TimeoutSecondsPath: '$.slowSeconds',
        Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.slowErr', Next: 'Done' }],
        Next: 'Done',
      },
      Done: { Type: 'Succeed' },
    },
  },
  openfail: {
    StartAt: 'Human',
    States: {
      Human: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { FunctionName: '${OpenFunctionArn}', Payload: { 'token.$': '$$.Task.Token', gate: 'X' } },
        TimeoutSeconds: 60,
        Catch: [{ ErrorEquals: ['ItemGone'], ResultPath: '$.err', Next: 'Done' }],
        End: true,
      },
      Done: { Type: 'Succeed' },
    },
  },
};

describe('LocalFlowRunner (test flows)', () => {
  let doc: DynamoDBDocumentClient;
  let tableName: string;
  let dir: string;
  let runners: LocalFlowRunner[];
  const opened: { gate: string; token: string }[] = [];
  const slowInputs: JsonValue[] = [];

  const functions = {
    OpenFunctionArn: async (p: JsonValue): Promise<JsonValue> => {
      if (!isJsonObject(p)) throw new Error('payload is not an object');
      opened.push({ gate: String(p.gate), token: String(p.token) });
      if (p.gate === 'X') throw Object.assign(new Error('the work item is gone'), { name: 'ItemGone' });
      return null;
    },
    SlowFunctionArn: async (p: JsonValue): Promise<JsonValue> => {
      slowInputs.push(p);
      await new Promise((r) => setTimeout(r, 1500));
      return 'slow';
    },
  };
  const newRunner = () => {
    const r = new LocalFlowRunner({ doc, tableName, flowsDir: dir, functions });
    runners.push(r);
    return r;
  };

  beforeEach(async () => {
    const t = await testTable('flows');
    doc = DynamoDBDocumentClient.from(t.client, { marshallOptions: { removeUndefinedValues: true } });
    tableName = t.tableName;
    dir = mkdtempSync(join(tmpdir(), 'flows-'));
    for (const [name, def] of Object.entries(TEST_FLOWS)) writeFileSync(join(dir, `${name}.asl.json`), JSON.stringify(def));
    runners = [];
    opened.length = 0;
    slowInputs.length = 0;
  });

  afterEach(async () => {
    await Promise.all(runners.map((r) => r.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps both human tasks of a Parallel state across a restart', async () => {
    const first = newRunner();
    const { executionArn } = await first.startExecution('gates', 'g-1', {});
    await until(() => (opened.length === 2 ? true : undefined));
    // Both tasks are recorded on the execution right after their open-task calls returned.
    const waiting = await until(async () => {
      const d = await first.describeExecution(executionArn);
      return d.waitingStates.length === 2 ? d : undefined;
    });
    expect(waiting).toMatchObject({ currentState: 'Both' });
    expect(waiting.waitingStates.sort()).toEqual(['GateA', 'GateB']);
    await first.stop();

    const second = newRunner();
    expect(await second.redrive()).toEqual([executionArn]);
    await new Promise((r) => setTimeout(r, 150));
    expect(opened).toHaveLength(2);
    const byGate = Object.fromEntries(opened.map((o) => [o.gate, o.token]));
    await second.sendTaskSuccess(byGate.B!, { gate: 'B' });
    await second.sendTaskSuccess(byGate.A!, { gate: 'A' });
    const done = await until(async () => {
      const d = await second.describeExecution(executionArn);
      return d.status === 'SUCCEEDED' ? d : undefined;
    });
    expect(done.output).toEqual([{ gate: 'A' }, { gate: 'B' }]);
  });

  it('times tasks out as States.Timeout (not States.TaskFailed), TimeoutSecondsPath read from the state input', async () => {
    const runner = newRunner();
    const { executionArn } = await runner.startExecution('timeouts', 't-1', { slowSeconds: 1 });
    const done = await until(async () => {
      const d = await runner.describeExecution(executionArn);
      return d.status !== 'RUNNING' ? d : undefined;
    }, 6000);
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: { err: { Error: 'States.Timeout' }, slowErr: { Error: 'States.Timeout' } } });
    // The function got the state input as it is, without what the runner adds to read the timeout.
    expect(slowInputs).toEqual([{ slowSeconds: 1, err: { Error: 'States.Timeout', Cause: 'States.Timeout' } }]);
  });

  it('fails a human task with the open-task function error; its token is closed', async () => {
    const runner = newRunner();
    const { executionArn } = await runner.startExecution('openfail', 'o-1', {});
    const done = await until(async () => {
      const d = await runner.describeExecution(executionArn);
      return d.status !== 'RUNNING' ? d : undefined;
    });
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: { err: { Error: 'ItemGone', Cause: 'the work item is gone' } } });
    await expect(runner.sendTaskSuccess(opened[0]!.token, {})).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });
});
