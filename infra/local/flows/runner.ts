/**
 * LocalFlowRunner: runs the flows' ASL files (functions/flows/*.asl.json, the files CDK deploys) with
 * aws-local-stepfunctions, durably enough that `npm start` can be killed mid-flow and finish the flow after a
 * restart.
 *
 * - Task states call local functions by substitution name (`${PlanStepFunctionArn}` → functions.PlanStepFunctionArn).
 * - `lambda:invoke.waitForTaskToken` tasks go through a callback adapter: it issues a token per task (the library's
 *   `$$.Task.Token` is one constant per run), puts it WAITING, calls the "open task" function with it and waits
 *   for sendTaskSuccess/sendTaskFailure or its deadline. Every move of a token is a conditional write, made
 *   durable before the waiting flow resumes.
 * - Only human tasks move the execution's resume point: once the task is open, one write records the top-level
 *   state it belongs to, that state's input and the token. Other states are not written. `redrive()` restarts
 *   RUNNING executions at their resume point: the human step re-entered there reuses its token, so a task the API
 *   knows stays valid and a success recorded before the stop lets it return at once; the states after it run
 *   again (at least once, like Lambda retries: the functions are idempotent).
 * - The token of a task outside a Map is derived from the execution's secret seed and the task's position in
 *   the run (see `deriveToken`), so a re-run of the same steps meets the same token even when the stop came
 *   before the resume point was written: a token put (and perhaps completed) in that window is found again.
 *
 * DynamoDB writes per execution: 1 start, 3 per human task (token put, resume point, token completion), 1 end;
 * a re-drive adds 1 (the claim). See docs/adr/002-local-flow-redrive.md. `sendTaskSuccessWith` puts the token's
 * completion into the caller's own transaction (the person's claim of the task and the case's move).
 */
import { createHmac, randomBytes } from 'node:crypto';
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
import type { TxItem } from '../../../functions/src/data/store';
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
  /**
   * Runs the machine work of the flows (a task's function; the opening of a human task) with bounded
   * concurrency, as Lambda's reserved concurrency bounds it in AWS; default: unbounded. Waiting for a person
   * holds no place in it.
   */
  lane?: <T>(work: () => Promise<T>) => Promise<T>;
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
  /**
   * Where a re-drive would start: the top-level state of the last human task opened (a Parallel state for a
   * task in one of its branches), or the start. Not updated on other states.
   */
  currentState: string;
  /** The human tasks (state names) opened at `currentState`; the tokens themselves are not shown. */
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
const randomToken = () => randomBytes(32).toString('base64url');

/**
 * The token of the `n`-th entry of a (resumable) human task `state` while the run is in its `index`-th top-level
 * state: an HMAC under the execution's secret seed, as unguessable as a random one (43 base64url characters).
 * A re-drive re-runs the same top-level states at the same positions, so it meets the tokens issued before the
 * stop, whether or not the resume point recorded them.
 */
export function deriveToken(seed: string, index: number, state: string, n: number): string {
  return createHmac('sha256', seed).update(`${index}\u0000${state}\u0000${n}`).digest('base64url');
}

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

/** A top-level state the run is in: its position among the execution's top-level states entered, name and input. */
interface Entry {
  index: number;
  state: string;
  inputJson: string;
}

/** One in-memory run of an execution (a start or a re-drive). */
class Run {
  stopped = false;
  chain: Promise<void> = Promise.resolve();
  abort: () => void = () => {};
  readonly waiters = new Set<Waiter>();
  /** The top-level state being run (set from StateEntered events). */
  entry: Entry;
  /** Entries of each human task within `entry` (a Retry or a loop in a Parallel branch enters one again). */
  readonly entered = new Map<string, number>();
  /** What the execution item says: the resume point's position and the tokens opened there, by state. */
  recorded: { index: number; pending: Map<string, string> };
  private readonly stopSignal: Promise<never>;
  private rejectStop!: (err: Error) => void;

  constructor(
    readonly flow: LoadedFlow,
    readonly executionArn: string,
    readonly name: string,
    readonly gen: number,
    readonly seed: string,
    start: Entry,
    pending: Map<string, string>,
    /** An older runner's random pending tokens, by state name; each is used once. */
    readonly legacyHints: Map<string, string>,
  ) {
    // The first StateEntered event (the start state itself) brings the position to `start.index`.
    this.entry = { ...start, index: start.index - 1 };
    this.recorded = { index: start.index, pending };
    this.stopSignal = new Promise<never>((_resolve, reject) => (this.rejectStop = reject));
    this.stopSignal.catch(() => {});
  }

  /** The execution item lists `token` as opened (so a re-drive must not open its task again). */
  recordedOpen(token: string): boolean {
    for (const t of this.recorded.pending.values()) if (t === token) return true;
    return false;
  }

  /** `p`, or RunnerStopped as soon as the run is stopped (nothing of a stopped run outlives it). */
  guard<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.stopSignal]);
  }

  assertActive(): void {
    if (this.stopped) throw new RunnerStopped(`runner stopped (${this.name})`);
  }

  /**
   * Execution writes of one run happen in order: resume points move forward, the end is written last. A write
   * queued before a stop still runs when `evenIfStopped` (what it records has happened: stop() flushes it).
   */
  enqueue<T>(fn: () => Promise<T>, evenIfStopped = false): Promise<T> {
    const p = this.chain.then(() => {
      if (!evenIfStopped) this.assertActive();
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
  private readonly lane: <T>(work: () => Promise<T>) => Promise<T>;
  private stopped = false;

  constructor(opts: LocalFlowRunnerOptions) {
    this.store = new FlowStore(opts.doc, opts.tableName);
    this.log = opts.logger ?? silent;
    this.functions = opts.functions;
    this.lane = opts.lane ?? ((work) => work());
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
    const seed = randomToken();
    const rec: Omit<ExecutionRecord, 'SK'> = {
      flow: flow.name,
      name,
      status: 'RUNNING',
      inputJson,
      currentState: flow.definition.StartAt,
      currentInputJson: inputJson,
      pending: {},
      stateIndex: 0,
      seed,
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
    this.launch(flow, { ...rec, SK: executionArn, seed }, new Map());
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

  /**
   * sendTaskSuccess together with the caller's writes, in one transaction: the runner's tokens live in the same
   * table, so a person's claim and the flow's step close at once (no window in which one is written and the
   * other not). Throws like sendTaskSuccess when the step no longer waits (nothing written).
   */
  async sendTaskSuccessWith(token: string, output: object, writes: TxItem[]): Promise<void> {
    const json = toJson(output);
    const outputJson = JSON.stringify(json);
    if (byteLength(outputJson) > MAX_PAYLOAD_BYTES) throw new InvalidOutput(`task output exceeds ${MAX_PAYLOAD_BYTES} bytes`);
    if ((await this.store.completeTokenWith(token, outputJson, Date.now(), writes)) === 'gone') throw await this.goneError(token);
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
      const seed = rec.seed ?? randomToken();
      const gen = await this.store.claimExecution(executionArn, rec.gen, seed, Date.now());
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
      // An older runner's pending tokens were random: they are found by state name instead of derived.
      this.launch(flow, { ...rec, gen, seed }, rec.seed ? new Map() : new Map(Object.entries(rec.pending)));
      redriven.push(executionArn);
    }
    return redriven;
  }

  /**
   * Stop all in-memory runs without closing their executions: they stay RUNNING for the next `redrive()`.
   * Resolves once no write of theirs is in flight; human tasks already opened are recorded first. Task tokens
   * still accept sendTask* (durably) afterwards.
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

  private launch(flow: LoadedFlow, rec: ExecutionRecord & { seed: string }, legacyHints: Map<string, string>): void {
    const run = new Run(
      flow,
      rec.SK,
      rec.name,
      rec.gen,
      rec.seed,
      { index: rec.stateIndex ?? 0, state: rec.currentState, inputJson: rec.currentInputJson },
      new Map(Object.entries(rec.pending)),
      legacyHints,
    );
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

  /**
   * Follow the top-level state the run is in (position, name, raw input: what a human task records as the resume
   * point) and log the transitions. Writes nothing.
   */
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
        run.entry = { index: run.entry.index + 1, state, inputJson: JSON.stringify(ev.state.input) };
        run.entered.clear();
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
    // Let the event consumer see the last states first (it runs on microtasks): a resume point queued by a
    // task that just returned is written before the end.
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
    const call = this.lane(() => Promise.resolve().then(() => fn(payload)));
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

  /**
   * The callback adapter for a `lambda:invoke.waitForTaskToken` task: put the token WAITING, call the open-task
   * function with it, record it (with the resume point) on the execution, wait. Re-entered after a restart, the
   * task meets its token again: closed → it returns at once; WAITING → it waits for the rest of the time, after
   * calling the open-task function again with the same token if the execution had not recorded it as opened.
   */
  private async callback(run: Run, plan: TaskPlan, params: JsonValue, timeoutSeconds: number | undefined): Promise<JsonValue> {
    const { waiting } = await this.lane(() => this.enterCallback(run, plan, params, timeoutSeconds));
    return run.guard(waiting);
  }

  /** The callback task up to its wait: issue or find the token, open the task, record it. */
  private async enterCallback(run: Run, plan: TaskPlan, params: JsonValue, timeoutSeconds: number | undefined): Promise<{ waiting: Promise<JsonValue> }> {
    const fnName = functionNameOf(isJsonObject(params) ? params.FunctionName : undefined);
    const fn = fnName ? this.functions[fnName] : undefined;
    if (!fn) throw namedError('Lambda.ResourceNotFoundException', `no local function ${fnName ?? '(none)'} for state ${plan.stateName}`);
    const payload: JsonValue = isJsonObject(params) ? (params.Payload ?? {}) : {};
    const startedMs = Date.now();

    // The StateEntered event of this task's top-level state has been seen by now (events arrive on microtasks).
    await nextMacrotask();
    run.assertActive();
    const entry = run.entry;

    let token: string;
    if (plan.resumable) {
      const n = (run.entered.get(plan.stateName) ?? 0) + 1;
      run.entered.set(plan.stateName, n);
      const hint = run.legacyHints.get(plan.stateName);
      run.legacyHints.delete(plan.stateName);
      token = hint ?? deriveToken(run.seed, entry.index, plan.stateName, n);
    } else {
      // Map iterations run concurrently: no stable position, so a random token the execution does not record.
      token = randomToken();
    }
    const dueAt = isJsonObject(payload) && typeof payload.dueAt === 'string' && !Number.isNaN(Date.parse(payload.dueAt)) ? payload.dueAt : undefined;
    const candidates = [dueAt ? Date.parse(dueAt) : undefined, timeoutSeconds !== undefined ? startedMs + timeoutSeconds * 1000 : undefined].filter(
      (n): n is number => n !== undefined,
    );
    const deadlineMs = candidates.length ? Math.min(...candidates) : undefined;
    const issue = (t: string) =>
      this.store.putToken({
        token: t,
        executionArn: run.executionArn,
        stateName: plan.stateName,
        createdAt: new Date(startedMs).toISOString(),
        ...(deadlineMs !== undefined ? { deadlineMs, deadlineAt: new Date(deadlineMs).toISOString() } : {}),
        ...(dueAt ? { dueAt } : {}),
      });

    let waiter = this.addWaiter(run, token);
    const known = plan.resumable && run.recordedOpen(token);
    let existing: TokenRecord | undefined;
    try {
      // A token the execution recorded exists (read it); any other is new unless this is a re-run (put, read on conflict).
      if (known) existing = await run.guard(this.store.getToken(token));
      if (!existing && !(await run.guard(issue(token)))) existing = await run.guard(this.store.getToken(token));
      if (existing && (existing.executionArn !== run.executionArn || existing.stateName !== plan.stateName)) {
        this.log.warn({ message: 'pending task token belongs to another task; opening the task again', flow: run.flow.name, execution: run.name, state: plan.stateName });
        this.dropWaiter(waiter);
        token = randomToken();
        waiter = this.addWaiter(run, token);
        existing = undefined;
        await run.guard(issue(token));
      }
    } catch (err) {
      this.dropWaiter(waiter);
      throw err;
    }

    if (!existing) {
      this.log.info({ message: 'human task opened', flow: run.flow.name, execution: run.name, state: plan.stateName, token: tokenHint(token), deadlineAt: deadlineMs && new Date(deadlineMs).toISOString() });
      await this.open(run, plan, token, fn, payload, deadlineMs, entry);
    } else {
      this.log.info({ message: 'human task resumed', flow: run.flow.name, execution: run.name, state: plan.stateName, token: tokenHint(token), status: existing.status });
      if (existing.status !== 'WAITING') this.settleFrom(existing, await this.timeoutError);
      else if (known && existing.opened !== false) this.armDeadline(waiter, existing.deadlineMs);
      // Stopped before the execution recorded the open task: call the open-task function again with the same
      // token (it is idempotent) and record it now.
      else await this.open(run, plan, token, fn, payload, existing.deadlineMs, entry);
    }
    return { waiting: waiter.promise };
  }

  /**
   * Call the open-task function with the token (a failure of it fails the task with its error, as in AWS), then
   * arm the deadline and record the task and its resume point on the execution.
   */
  private async open(run: Run, plan: TaskPlan, token: string, fn: FlowFunction, payload: JsonValue, deadlineMs: number | undefined, entry: Entry): Promise<void> {
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
    if (waiter && !waiter.settled) this.armDeadline(waiter, deadlineMs);
    if (plan.resumable) await this.recordWaiting(run, plan.stateName, token, entry);
  }

  /**
   * Move the execution's resume point to `entry` with `token` among the tasks opened there (one write). Queued
   * before the task can return, so resume points are written in the order the run reaches them.
   */
  private async recordWaiting(run: Run, stateName: string, token: string, entry: Entry): Promise<void> {
    try {
      await run.enqueue(async () => {
        const pending = run.recorded.index === entry.index ? new Map(run.recorded.pending) : new Map<string, string>();
        pending.set(stateName, token);
        await this.store.recordWaiting(
          run.executionArn,
          run.gen,
          { state: entry.state, inputJson: entry.inputJson, index: entry.index, pending: Object.fromEntries(pending) },
          Date.now(),
        );
        run.recorded = { index: entry.index, pending };
      }, true);
    } catch (err) {
      if (err instanceof RunnerStopped) throw err;
      // Not recorded: the task still waits (its token is durable); a restart re-runs from the previous resume
      // point and meets the token again, but calls the open-task function once more.
      this.writeFailed(run, err);
      if (err instanceof ExecutionSuperseded) throw new RunnerStopped('execution taken over by another runner');
    }
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
