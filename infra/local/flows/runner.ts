/**
 * LocalFlowRunner: runs the flows' ASL files (functions/flows/*.asl.json, the files CDK deploys) with
 * aws-local-stepfunctions, durably enough that `npm start` can be killed mid-flow and finish the flow after a
 * restart.
 *
 * - Task states call local functions by substitution name (`${PlanStepFunctionArn}` → functions.PlanStepFunctionArn).
 * - `lambda:invoke.waitForTaskToken` tasks go through a callback adapter: it mints a token per task (the library's
 *   `$$.Task.Token` is one constant per run), stores it WAITING, calls the "open task" function with it and waits
 *   for sendTaskSuccess/sendTaskFailure or its deadline. Every move of a token is a conditional write, made
 *   durable before the waiting flow resumes.
 * - Each top-level state entered is written to the execution item; `redrive()` restarts RUNNING executions at
 *   that state with that input. A human step re-entered this way reuses its token, so a task the API knows stays
 *   valid and a success recorded before the stop is not lost. Other states run again (at least once, like
 *   Lambda retries: the functions are idempotent).
 */
import { randomBytes } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ExecutionAbortedError, ExecutionError, ExecutionTimeoutError, type RunOptions } from 'aws-local-stepfunctions';
import {
  canonicalJson,
  executionArnOf,
  functionNameOf,
  INPUT_KEY,
  isJsonObject,
  loadFlows,
  machineFrom,
  TIMEOUT_KEY,
  type JsonObject,
  type JsonValue,
  type LoadedFlow,
  type TaskPlan,
} from './definitions';
import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ExecutionSuperseded,
  InvalidExecutionInput,
  InvalidName,
  InvalidOutput,
  namedError,
  RunnerStopped,
  StateMachineDoesNotExist,
  StatesRuntimeError,
  TaskDoesNotExist,
  TaskTimedOut,
  timeoutErrorFactory,
} from './errors';
import type { WorkflowGateway } from './gateway';
import { FlowStore, type ExecutionRecord, type ExecutionStatus, type TokenRecord } from './store';

export type { JsonObject, JsonValue } from './definitions';
export type { ExecutionStatus } from './store';

/** A flow task's implementation: gets the resolved Parameters (for lambda:invoke tasks: the Payload). */
export type FlowFunction = (payload: JsonValue) => Promise<JsonValue>;

/** Structured logging; a Powertools Logger fits. */
export interface FlowLogger {
  debug(entry: { message: string; [key: string]: unknown }): void;
  info(entry: { message: string; [key: string]: unknown }): void;
  warn(entry: { message: string; [key: string]: unknown }): void;
  error(entry: { message: string; [key: string]: unknown }): void;
}

export interface LocalFlowRunnerOptions {
  doc: DynamoDBDocumentClient;
  tableName: string;
  /** Directory of the `*.asl.json` files (functions/flows). */
  flowsDir: string;
  /** Keyed by substitution name, e.g. `PlanStepFunctionArn`. */
  functions: Readonly<Record<string, FlowFunction>>;
  logger?: FlowLogger;
  /** Substitutions that are not functions (default for any `${Name}`: a fake Lambda ARN of that name). */
  substitutions?: Readonly<Record<string, string>>;
}

export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  flow: string;
  name: string;
  status: ExecutionStatus;
  input: JsonValue;
  output?: JsonValue;
  error?: string;
  cause?: string;
  /** The last top-level state entered (where a re-drive would start). */
  currentState: string;
  /** States waiting for a task token (the tokens themselves are not shown). */
  waitingStates: string[];
  startDate: string;
  stopDate?: string;
  updatedAt: string;
}

/** The library's `$$.Task.Token` for every task; the adapter swaps in the token it minted. */
export const TOKEN_PLACEHOLDER = 'local-placeholder';
/** Step Functions' limit on execution input and task output (UTF-8 bytes). */
const MAX_PAYLOAD_BYTES = 262_144;
const MAX_TIMER_MS = 2_147_483_647;
const FORBIDDEN_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u;

const silent: FlowLogger = { debug() {}, info() {}, warn() {}, error() {} };
/** Enough of a token to tell tokens apart in logs, never enough to use one. */
const tokenHint = (token: string) => `${token.slice(0, 6)}…`;
const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));
const toJson = (value: unknown): JsonValue => JSON.parse(JSON.stringify(value ?? null)) as JsonValue;
const byteLength = (s: string) => Buffer.byteLength(s, 'utf8');
const errorName = (err: unknown) => (err instanceof Error ? err.name : 'Error');
const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Replace the placeholder token wherever the Payload carries `$$.Task.Token`. */
function withToken(value: JsonValue, token: string): JsonValue {
  if (value === TOKEN_PLACEHOLDER) return token;
  if (Array.isArray(value)) return value.map((v) => withToken(v, token));
  if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withToken(v, token)]));
  return value;
}

interface Waiter {
  token: string;
  run: Run;
  promise: Promise<JsonValue>;
  resolve(output: JsonValue): void;
  reject(err: Error): void;
  settled: boolean;
  timer?: NodeJS.Timeout;
}

/** One in-memory run of an execution (a start or a re-drive). */
class Run {
  stopped = false;
  chain: Promise<void> = Promise.resolve();
  abort: () => void = () => {};
  readonly waiters = new Set<Waiter>();
  private readonly stopSignal: Promise<never>;
  private rejectStop!: (err: Error) => void;

  constructor(
    readonly flow: LoadedFlow,
    readonly executionArn: string,
    readonly name: string,
    readonly gen: number,
    /** Tokens the execution waited for when it was stopped, by state name; each is used once. */
    readonly hints: Map<string, string>,
    /** The stored (state, input) the run starts from: its first StateEntered needs no write. */
    public skipEntry: { state: string; inputJson: string } | undefined,
  ) {
    this.stopSignal = new Promise<never>((_resolve, reject) => (this.rejectStop = reject));
    this.stopSignal.catch(() => {});
  }

  /** `p`, or RunnerStopped as soon as the run is stopped (nothing of a stopped run outlives it). */
  guard<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.stopSignal]);
  }

  assertActive(): void {
    if (this.stopped) throw new RunnerStopped(`runner stopped (${this.name})`);
  }

  /** Writes of one run happen in order: a token is registered after the state it belongs to was recorded. */
  enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(() => {
      this.assertActive();
      return fn();
    });
    this.chain = p.then(
      () => undefined,
      () => undefined,
    );
    return p;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.rejectStop(new RunnerStopped(`runner stopped (${this.name})`));
    this.abort();
  }
}

export class LocalFlowRunner implements WorkflowGateway {
  private readonly store: FlowStore;
  private readonly log: FlowLogger;
  private readonly functions: Readonly<Record<string, FlowFunction>>;
  private readonly flows: Map<string, LoadedFlow>;
  private readonly runs = new Map<string, Run>();
  private readonly waiters = new Map<string, Waiter>();
  private readonly timeoutError: Promise<() => Error>;
  private stopped = false;

  constructor(opts: LocalFlowRunnerOptions) {
    this.store = new FlowStore(opts.doc, opts.tableName);
    this.log = opts.logger ?? silent;
    this.functions = opts.functions;
    this.flows = loadFlows(opts.flowsDir, opts.substitutions, { warn: (message, details) => this.log.warn({ message, ...details }) });
    for (const flow of this.flows.values()) {
      for (const fn of flow.functionNames) {
        if (!this.functions[fn]) this.log.warn({ message: 'flow calls a function the local runner does not have', flow: flow.name, function: fn });
      }
    }
    this.timeoutError = timeoutErrorFactory();
    this.timeoutError.catch(() => {});
  }

  /** Names of the loaded flows. */
  get flowNames(): string[] {
    return [...this.flows.keys()];
  }

  // ---- WorkflowGateway ----------------------------------------------------------------------------------------

  async startExecution(flowName: string, name: string, input: object): Promise<{ executionArn: string; started: boolean }> {
    this.assertRunning();
    const flow = this.flows.get(flowName);
    if (!flow) throw new StateMachineDoesNotExist(`no flow ${flowName} (have: ${this.flowNames.join(', ')})`);
    if (name.length < 1 || name.length > 80 || FORBIDDEN_NAME.test(name)) {
      throw new InvalidName(`invalid execution name ${JSON.stringify(name)}: 1-80 characters, no whitespace or < > { } [ ] ? * " # % \\ ^ | ~ \` $ & , ; : /`);
    }
    const json = toJson(input);
    if (!isJsonObject(json)) throw new InvalidExecutionInput('execution input must be a JSON object');
    const inputJson = JSON.stringify(json);
    if (byteLength(inputJson) > MAX_PAYLOAD_BYTES) throw new InvalidExecutionInput(`execution input exceeds ${MAX_PAYLOAD_BYTES} bytes`);

    const executionArn = executionArnOf(flow.name, name);
    const now = new Date().toISOString();
    const rec: Omit<ExecutionRecord, 'SK'> = {
      flow: flow.name,
      name,
      status: 'RUNNING',
      inputJson,
      currentState: flow.definition.StartAt,
      currentInputJson: inputJson,
      pending: {},
      gen: 1,
      startedAt: now,
      updatedAt: now,
    };
    await this.timeoutError;
    if (!(await this.store.createExecution(executionArn, rec))) {
      const existing = await this.store.getExecution(executionArn);
      if (existing && canonicalJson(JSON.parse(existing.inputJson) as JsonValue) !== canonicalJson(json)) {
        throw new ExecutionAlreadyExists(`execution ${name} of ${flow.name} exists with a different input`);
      }
      this.log.debug({ message: 'flow execution exists already', flow: flow.name, execution: name });
      return { executionArn, started: false };
    }
    this.log.info({ message: 'flow execution started', flow: flow.name, execution: name });
    this.launch(flow, { ...rec, SK: executionArn }, new Map());
    return { executionArn, started: true };
  }

  async sendTaskSuccess(token: string, output: object): Promise<void> {
    const json = toJson(output);
    const outputJson = JSON.stringify(json);
    if (byteLength(outputJson) > MAX_PAYLOAD_BYTES) throw new InvalidOutput(`task output exceeds ${MAX_PAYLOAD_BYTES} bytes`);
    if (!(await this.store.completeToken(token, { status: 'SUCCEEDED', outputJson }, Date.now(), true))) {
      throw await this.goneError(token);
    }
    this.log.info({ message: 'human task succeeded', token: tokenHint(token) });
    this.settle(token, { ok: true, output: json });
  }

  async sendTaskFailure(token: string, error: string, cause: string): Promise<void> {
    if (!(await this.store.completeToken(token, { status: 'FAILED', error, cause }, Date.now(), true))) {
      throw await this.goneError(token);
    }
    this.log.info({ message: 'human task failed', token: tokenHint(token), error });
    this.settle(token, { ok: false, error: namedError(error, cause) });
  }

  // ---- lifecycle --------------------------------------------------------------------------------------------

  /** Restart every RUNNING execution at its last state (call once at start-up). Returns their ARNs. */
  async redrive(): Promise<string[]> {
    this.assertRunning();
    await this.timeoutError;
    const redriven: string[] = [];
    for (const rec of await this.store.listExecutions('RUNNING')) {
      const executionArn = rec.SK;
      if (this.runs.has(executionArn)) continue;
      const flow = this.flows.get(rec.flow);
      if (!flow) {
        this.log.error({ message: 'cannot re-drive: its flow file is gone', flow: rec.flow, execution: rec.name });
        continue;
      }
      const gen = await this.store.claimExecution(executionArn, rec.gen, Date.now());
      if (gen === undefined) continue;
      if (!(rec.currentState in flow.definition.States)) {
        await this.store.finishExecution(
          executionArn,
          gen,
          { status: 'FAILED', error: 'States.Runtime', cause: `state ${rec.currentState} is no longer in flow ${flow.name}` },
          Date.now(),
        );
        this.log.error({ message: 'cannot re-drive: its state left the flow', flow: flow.name, execution: rec.name, state: rec.currentState });
        continue;
      }
      this.log.info({
        message: 'flow execution re-driven',
        flow: flow.name,
        execution: rec.name,
        state: rec.currentState,
        waiting: Object.keys(rec.pending),
      });
      this.launch(flow, { ...rec, gen }, new Map(Object.entries(rec.pending)));
      redriven.push(executionArn);
    }
    return redriven;
  }

  /**
   * Stop all in-memory runs without closing their executions: they stay RUNNING for the next `redrive()`.
   * Resolves once no write of theirs is in flight. Task tokens still accept sendTask* (durably) afterwards.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    const runs = [...this.runs.values()];
    for (const run of runs) this.stopRun(run);
    await Promise.all(runs.map((r) => r.chain));
    this.runs.clear();
  }

  async describeExecution(executionArn: string): Promise<ExecutionDescription> {
    const rec = await this.store.getExecution(executionArn);
    if (!rec) throw new ExecutionDoesNotExist(`no execution ${executionArn}`);
    return describe(rec);
  }

  async listExecutions(filter: { status?: ExecutionStatus; flow?: string } = {}): Promise<ExecutionDescription[]> {
    const recs = await this.store.listExecutions(filter.status);
    return recs.filter((r) => !filter.flow || r.flow === filter.flow).map(describe);
  }

  // ---- running ----------------------------------------------------------------------------------------------

  private assertRunning(): void {
    if (this.stopped) throw new RunnerStopped('the local flow runner was stopped');
  }

  private launch(flow: LoadedFlow, rec: ExecutionRecord, hints: Map<string, string>): void {
    const run = new Run(flow, rec.SK, rec.name, rec.gen, hints, { state: rec.currentState, inputJson: rec.currentInputJson });
    this.runs.set(run.executionArn, run);
    const handlers: Record<string, (input: JsonValue) => Promise<JsonValue>> = {};
    for (const plan of flow.tasks.values()) handlers[plan.stateName] = (input) => this.runTask(run, plan, input);

    const options: RunOptions = {
      overrides: { taskResourceLocalHandlers: handlers as NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']> },
      context: {
        // The library overwrites Execution.Input and StartTime with the run's own (on a re-drive: the state's input, now).
        Execution: { Id: run.executionArn, Name: rec.name, StartTime: rec.startedAt, Input: JSON.parse(rec.inputJson) as JsonValue },
        StateMachine: { Id: flow.stateMachineArn, Name: flow.name },
        Task: { Token: TOKEN_PLACEHOLDER },
      },
    };
    const execution = machineFrom(flow, rec.currentState).run(JSON.parse(rec.currentInputJson) as JsonValue, options);
    run.abort = execution.abort;
    void this.follow(run, execution.eventLogs);
    execution.result.then(
      (output) => this.finish(run, { status: 'SUCCEEDED', outputJson: JSON.stringify(output ?? null) }),
      (err: unknown) => {
        if (err instanceof ExecutionAbortedError || run.stopped) return;
        if (err instanceof ExecutionTimeoutError) {
          return this.finish(run, { status: 'TIMED_OUT', error: 'States.Timeout', cause: 'the execution ran past the flow TimeoutSeconds' });
        }
        const cause = err instanceof ExecutionError && err.cause !== undefined ? err.cause : err;
        return this.finish(run, { status: 'FAILED', error: errorName(cause), cause: errorMessage(cause) });
      },
    );
  }

  /** Persist each top-level state entered (state name and raw input) and log the transitions. */
  private async follow(run: Run, events: AsyncGenerator<unknown>): Promise<void> {
    for await (const raw of events) {
      if (run.stopped) break;
      const ev = raw as { type: string; index?: number; state?: { name: string; input: JsonValue }; Error?: string };
      if (!ev.state) continue;
      const state = ev.state.name;
      const topLevel = run.flow.topLevelStates.has(state) && ev.index === undefined;
      if (ev.type === 'StateEntered') {
        this.log.debug({ message: 'flow state entered', flow: run.flow.name, execution: run.name, state, nested: !topLevel });
        if (!topLevel) continue;
        const inputJson = JSON.stringify(ev.state.input);
        const skip = run.skipEntry;
        run.skipEntry = undefined;
        if (skip && skip.state === state && skip.inputJson === inputJson) continue;
        run.enqueue(() => this.store.enterState(run.executionArn, run.gen, state, inputJson, Date.now())).catch((err: unknown) => this.writeFailed(run, err));
      } else if (ev.type === 'StateCaught') {
        this.log.info({ message: 'flow error caught', flow: run.flow.name, execution: run.name, state });
      } else if (ev.type === 'StateRetried') {
        this.log.warn({ message: 'flow state retried', flow: run.flow.name, execution: run.name, state });
      } else if (ev.type === 'StateFailed') {
        this.log.debug({ message: 'flow state failed', flow: run.flow.name, execution: run.name, state, error: ev.Error });
      }
    }
  }

  private finish(
    run: Run,
    result: { status: 'SUCCEEDED'; outputJson: string } | { status: 'FAILED' | 'TIMED_OUT'; error: string; cause: string },
  ): Promise<void> {
    // Let the event consumer record the last states first (it runs on microtasks).
    return nextMacrotask()
      .then(() => run.enqueue(() => this.store.finishExecution(run.executionArn, run.gen, result, Date.now())))
      .then(
        () => {
          if (result.status === 'SUCCEEDED') this.log.info({ message: 'flow execution succeeded', flow: run.flow.name, execution: run.name });
          else this.log.error({ message: 'flow execution failed', flow: run.flow.name, execution: run.name, status: result.status, error: result.error, cause: result.cause });
        },
        (err: unknown) => this.writeFailed(run, err),
      )
      .finally(() => {
        if (this.runs.get(run.executionArn) === run) this.runs.delete(run.executionArn);
      });
  }

  private writeFailed(run: Run, err: unknown): void {
    if (err instanceof RunnerStopped) return;
    if (err instanceof ExecutionSuperseded) {
      this.log.warn({ message: 'another runner took the execution over; stopping this run', flow: run.flow.name, execution: run.name });
      this.stopRun(run);
      return;
    }
    this.log.error({ message: 'flow state not recorded (a restart may repeat states)', flow: run.flow.name, execution: run.name, error: errorName(err), cause: errorMessage(err) });
  }

  private stopRun(run: Run): void {
    run.stop();
    for (const w of run.waiters) this.dropWaiter(w);
    if (this.runs.get(run.executionArn) === run) this.runs.delete(run.executionArn);
  }

  // ---- tasks ------------------------------------------------------------------------------------------------

  private async runTask(run: Run, plan: TaskPlan, rawInput: JsonValue): Promise<JsonValue> {
    run.assertActive();
    const { input, timeoutSeconds } = unwrap(plan, rawInput);
    if (plan.task.kind === 'callback') return this.callback(run, plan, input, timeoutSeconds);

    const fnName = plan.task.kind === 'function' ? plan.task.functionName : functionNameOf(isJsonObject(input) ? input.FunctionName : undefined);
    const payload = plan.task.kind === 'function' ? input : isJsonObject(input) ? (input.Payload ?? {}) : {};
    const fn = fnName ? this.functions[fnName] : undefined;
    if (!fn) throw namedError('Lambda.ResourceNotFoundException', `no local function ${fnName ?? '(none)'} for state ${plan.stateName}`);

    let timer: NodeJS.Timeout | undefined;
    const makeTimeout = await this.timeoutError;
    const call = Promise.resolve().then(() => fn(payload));
    const timed =
      timeoutSeconds === undefined
        ? call
        : Promise.race([call, new Promise<never>((_r, reject) => (timer = setTimeout(() => reject(makeTimeout()), Math.min(timeoutSeconds * 1000, MAX_TIMER_MS))))]);
    try {
      const result = toJson(await run.guard(timed));
      return plan.task.kind === 'invoke' ? { ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 } : result;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The callback adapter for a `lambda:invoke.waitForTaskToken` task. */
  private async callback(run: Run, plan: TaskPlan, params: JsonValue, timeoutSeconds: number | undefined): Promise<JsonValue> {
    const fnName = functionNameOf(isJsonObject(params) ? params.FunctionName : undefined);
    const fn = fnName ? this.functions[fnName] : undefined;
    if (!fn) throw namedError('Lambda.ResourceNotFoundException', `no local function ${fnName ?? '(none)'} for state ${plan.stateName}`);
    const payload: JsonValue = isJsonObject(params) ? (params.Payload ?? {}) : {};
    const startedMs = Date.now();

    // The StateEntered write of this state is queued by now (events arrive on microtasks); queue after it.
    await nextMacrotask();
    run.assertActive();

    const hint = plan.resumable ? run.hints.get(plan.stateName) : undefined;
    if (hint) {
      run.hints.delete(plan.stateName);
      const resumed = await this.resume(run, plan, hint, fn, payload);
      if (resumed) return resumed;
    }

    const token = randomBytes(32).toString('base64url');
    const dueAt = isJsonObject(payload) && typeof payload.dueAt === 'string' && !Number.isNaN(Date.parse(payload.dueAt)) ? payload.dueAt : undefined;
    const candidates = [dueAt ? Date.parse(dueAt) : undefined, timeoutSeconds !== undefined ? startedMs + timeoutSeconds * 1000 : undefined].filter(
      (n): n is number => n !== undefined,
    );
    const deadlineMs = candidates.length ? Math.min(...candidates) : undefined;
    const waiter = this.addWaiter(run, token);
    try {
      await run.enqueue(() =>
        this.store.openToken(
          {
            token,
            executionArn: run.executionArn,
            stateName: plan.stateName,
            createdAt: new Date(startedMs).toISOString(),
            ...(deadlineMs !== undefined ? { deadlineMs, deadlineAt: new Date(deadlineMs).toISOString() } : {}),
            ...(dueAt ? { dueAt } : {}),
          },
          run.gen,
          plan.resumable,
        ),
      );
    } catch (err) {
      this.dropWaiter(waiter);
      if (err instanceof ExecutionSuperseded) {
        this.writeFailed(run, err);
        throw new RunnerStopped('execution taken over by another runner');
      }
      throw err;
    }
    this.log.info({ message: 'human task opened', flow: run.flow.name, execution: run.name, state: plan.stateName, token: tokenHint(token), deadlineAt: deadlineMs && new Date(deadlineMs).toISOString() });
    await this.open(run, plan, token, fn, payload, deadlineMs);
    return run.guard(waiter.promise);
  }

  /** Re-enter a human step after a restart with the token it had. Undefined: the token is unusable, open anew. */
  private async resume(run: Run, plan: TaskPlan, token: string, fn: FlowFunction, payload: JsonValue): Promise<JsonValue | undefined> {
    const waiter = this.addWaiter(run, token);
    let rec: TokenRecord | undefined;
    try {
      rec = await run.guard(this.store.getToken(token));
    } catch (err) {
      this.dropWaiter(waiter);
      throw err;
    }
    if (!rec || rec.executionArn !== run.executionArn || rec.stateName !== plan.stateName) {
      this.dropWaiter(waiter);
      this.log.warn({ message: 'pending task token not found; opening the task again', flow: run.flow.name, execution: run.name, state: plan.stateName });
      return undefined;
    }
    this.log.info({ message: 'human task resumed', flow: run.flow.name, execution: run.name, state: plan.stateName, token: tokenHint(token), status: rec.status });
    if (rec.status !== 'WAITING') {
      this.settleFrom(rec, await this.timeoutError);
    } else if (!rec.opened) {
      // Stopped before the open-task function returned: call it again with the same token (it is idempotent).
      await this.open(run, plan, token, fn, payload, rec.deadlineMs);
    } else {
      this.armDeadline(waiter, rec.deadlineMs);
    }
    return run.guard(waiter.promise);
  }

  /** Call the open-task function with the token; a failure of it fails the task with its error (as in AWS). */
  private async open(run: Run, plan: TaskPlan, token: string, fn: FlowFunction, payload: JsonValue, deadlineMs: number | undefined): Promise<void> {
    const waiter = this.waiters.get(token);
    try {
      await run.guard(Promise.resolve().then(() => fn(withToken(payload, token))));
    } catch (err) {
      if (err instanceof RunnerStopped) throw err;
      this.log.error({ message: 'open-task function failed', flow: run.flow.name, execution: run.name, state: plan.stateName, error: errorName(err), cause: errorMessage(err) });
      const failed = await this.store.completeToken(token, { status: 'FAILED', error: errorName(err), cause: errorMessage(err) }, Date.now(), false);
      if (failed) this.settle(token, { ok: false, error: err instanceof Error ? err : namedError('Error', String(err)) });
      else await this.settleFromStore(token);
      return;
    }
    await this.store.markOpened(token).catch((err: unknown) => this.log.warn({ message: 'could not mark the task opened', error: errorName(err) }));
    if (waiter && !waiter.settled) this.armDeadline(waiter, deadlineMs);
  }

  // ---- waiters ----------------------------------------------------------------------------------------------

  private addWaiter(run: Run, token: string): Waiter {
    let resolve!: (v: JsonValue) => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<JsonValue>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => {});
    const waiter: Waiter = { token, run, promise, resolve, reject, settled: false };
    this.waiters.set(token, waiter);
    run.waiters.add(waiter);
    return waiter;
  }

  private dropWaiter(w: Waiter): void {
    w.settled = true;
    clearTimeout(w.timer);
    if (this.waiters.get(w.token) === w) this.waiters.delete(w.token);
    w.run.waiters.delete(w);
  }

  private settle(token: string, outcome: { ok: true; output: JsonValue } | { ok: false; error: Error }): void {
    const w = this.waiters.get(token);
    if (!w || w.settled) return;
    this.dropWaiter(w);
    if (outcome.ok) w.resolve(outcome.output);
    else w.reject(outcome.error);
  }

  private settleFrom(rec: TokenRecord, makeTimeout: () => Error): void {
    if (rec.status === 'SUCCEEDED') this.settle(rec.token, { ok: true, output: JSON.parse(rec.outputJson ?? 'null') as JsonValue });
    else if (rec.status === 'FAILED') this.settle(rec.token, { ok: false, error: namedError(rec.error ?? 'Error', rec.cause ?? '') });
    else if (rec.status === 'TIMED_OUT') this.settle(rec.token, { ok: false, error: makeTimeout() });
  }

  private async settleFromStore(token: string): Promise<void> {
    const rec = await this.store.getToken(token);
    if (rec) this.settleFrom(rec, await this.timeoutError);
  }

  /** Time the task out at its stored deadline (the remaining time after a restart). */
  private armDeadline(w: Waiter, deadlineMs: number | undefined): void {
    if (deadlineMs === undefined || w.settled) return;
    const fire = () => {
      const left = deadlineMs - Date.now();
      if (left > 0) {
        w.timer = setTimeout(fire, Math.min(left, MAX_TIMER_MS));
        return;
      }
      void this.expire(w);
    };
    fire();
  }

  private async expire(w: Waiter): Promise<void> {
    if (w.settled || w.run.stopped) return;
    try {
      const makeTimeout = await this.timeoutError;
      if (await this.store.timeOutToken(w.token, Date.now())) {
        this.log.info({ message: 'human task timed out', flow: w.run.flow.name, execution: w.run.name, token: tokenHint(w.token) });
        this.settle(w.token, { ok: false, error: makeTimeout() });
      } else {
        await this.settleFromStore(w.token);
      }
    } catch (err) {
      this.log.error({ message: 'could not time a task out; retrying in 1 s', token: tokenHint(w.token), error: errorName(err), cause: errorMessage(err) });
      if (!w.settled) w.timer = setTimeout(() => void this.expire(w), 1000);
    }
  }

  /** TaskDoesNotExist for an unknown token; TaskTimedOut for one that timed out or was already closed. */
  private async goneError(token: string): Promise<Error> {
    const rec = await this.store.getToken(token);
    if (!rec) return new TaskDoesNotExist('Task does not exist');
    if (rec.status === 'WAITING') return new TaskTimedOut('Task Timed Out: the task is past its deadline');
    return new TaskTimedOut(rec.status === 'TIMED_OUT' ? 'Task Timed Out' : 'Task Timed Out: provided task does not exist anymore');
  }
}

/** Strip what the runner added to the Parameters (see definitions.ts) and read the task's timeout. */
function unwrap(plan: TaskPlan, raw: JsonValue): { input: JsonValue; timeoutSeconds: number | undefined } {
  if (plan.timeout.type === 'none') return { input: raw, timeoutSeconds: undefined };
  if (plan.timeout.type === 'static') return { input: raw, timeoutSeconds: plan.timeout.seconds };
  if (!isJsonObject(raw)) throw new StatesRuntimeError(`state ${plan.stateName}: TimeoutSecondsPath did not resolve`);
  const { [TIMEOUT_KEY]: seconds, ...rest } = raw;
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1) {
    throw new StatesRuntimeError(`state ${plan.stateName}: TimeoutSecondsPath must select a positive integer, got ${JSON.stringify(seconds)}`);
  }
  const input = plan.wrapsInput ? ((rest as JsonObject)[INPUT_KEY] ?? null) : rest;
  return { input, timeoutSeconds: seconds };
}

function describe(rec: ExecutionRecord): ExecutionDescription {
  return {
    executionArn: rec.SK,
    stateMachineArn: rec.SK.replace(':execution:', ':stateMachine:').replace(/:[^:]+$/, ''),
    flow: rec.flow,
    name: rec.name,
    status: rec.status,
    input: JSON.parse(rec.inputJson) as JsonValue,
    ...(rec.outputJson !== undefined ? { output: JSON.parse(rec.outputJson) as JsonValue } : {}),
    ...(rec.error !== undefined ? { error: rec.error } : {}),
    ...(rec.cause !== undefined ? { cause: rec.cause } : {}),
    currentState: rec.currentState,
    waitingStates: Object.keys(rec.pending),
    startDate: rec.startedAt,
    ...(rec.stopDate !== undefined ? { stopDate: rec.stopDate } : {}),
    updatedAt: rec.updatedAt,
  };
}
