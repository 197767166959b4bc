/**
 * Loading the flows' ASL files for the local runner: the same `${Name}` substitutions CDK applies
 * (`definitionSubstitutions`), validation with the library's asl-validator, a plan for every Task state, and
 * one rewrite the local interpreter needs (see `rewriteTimeouts`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { FlowDefinitionError } from './errors';

export type JsonPrimitive = null | boolean | number | string;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export const isJsonObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON with sorted keys: equal values give equal strings (used to compare execution inputs). */
export function canonicalJson(v: JsonValue): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isJsonObject(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k] as JsonValue)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export const LOCAL_PARTITION = 'aws';
export const LOCAL_REGION = 'cn-north-1';
export const LOCAL_ACCOUNT = '000000000000';

/** The fake Lambda ARN a `${Name}` substitution becomes locally. */
export const localFunctionArn = (name: string): string => `arn:${LOCAL_PARTITION}:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;
export const stateMachineArn = (flow: string): string => `arn:${LOCAL_PARTITION}:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${flow}`;
export const executionArnOf = (flow: string, name: string): string =>
  `arn:${LOCAL_PARTITION}:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${flow}:${name}`;

const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]*:\d{12}:function:([A-Za-z0-9_-]+)(?::[A-Za-z0-9$_-]+)?$/;
const LAMBDA_INVOKE = /^arn:aws[a-z-]*:states:::lambda:invoke$/;
const LAMBDA_CALLBACK = /^arn:aws[a-z-]*:states:::lambda:invoke\.waitForTaskToken$/;

/** `FunctionName` of a lambda:invoke task: a name, a (fake) function ARN, or a partial ARN. */
export function functionNameOf(functionName: unknown): string | undefined {
  if (typeof functionName !== 'string' || functionName === '') return undefined;
  const m = FUNCTION_ARN.exec(functionName);
  if (m) return m[1];
  const parts = functionName.split(':');
  const i = parts.indexOf('function');
  return i >= 0 ? parts[i + 1] : parts[0];
}

/**
 * Keys the runner adds to a Task's `Parameters` so that it, not the library, evaluates `TimeoutSecondsPath`:
 * the library 3.0.0 resolves that path against the input *after* `Parameters` (measured: the supervision flow's
 * `$.deadline.seconds` fails with States.Runtime), while Step Functions resolves it against the state input.
 */
export const TIMEOUT_KEY = '__localsfnTimeoutSeconds';
export const INPUT_KEY = '__localsfnInput';
/**
 * The library's own per-task timer for rewritten tasks: the largest delay a Node timer takes (a larger one fires
 * after 1 ms), so it never cuts a human step short; the runner enforces the real timeouts itself.
 */
export const LIBRARY_BACKSTOP_SECONDS = 2_147_483;

export type TaskKind = { kind: 'function'; functionName: string } | { kind: 'invoke' } | { kind: 'callback' };

export interface TaskPlan {
  stateName: string;
  task: TaskKind;
  timeout: { type: 'none' } | { type: 'static'; seconds: number } | { type: 'path' };
  /** Parameters were absent: the runner wrapped the state input under INPUT_KEY to add TIMEOUT_KEY beside it. */
  wrapsInput: boolean;
  /** Not inside a Map iteration: a pending token can be found again by state name after a restart. */
  resumable: boolean;
}

export interface LoadedFlow {
  name: string;
  file: string;
  stateMachineArn: string;
  /** The rewritten definition the runner executes. */
  definition: StateMachineDefinition;
  topLevelStates: ReadonlySet<string>;
  tasks: ReadonlyMap<string, TaskPlan>;
  /** Function names the flow calls (to warn about missing local implementations). */
  functionNames: ReadonlySet<string>;
}

/** Replace `${Name}` like CDK's definitionSubstitutions: explicit values first, otherwise a fake Lambda ARN. */
export function substitute(text: string, substitutions: Readonly<Record<string, string>> = {}): string {
  return text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_m, name: string) => substitutions[name] ?? localFunctionArn(name));
}

type AslState = Record<string, unknown>;
type AslStates = Record<string, AslState>;

function statesOf(container: unknown, where: string): AslStates {
  const states = (container as { States?: unknown } | null)?.States;
  if (!isJsonObject(states)) throw new FlowDefinitionError(`${where}: missing States`);
  return states as unknown as AslStates;
}

/** Visit every state, nested Parallel branches and Map processors included. */
function walk(states: AslStates, inMap: boolean, where: string, visit: (name: string, state: AslState, inMap: boolean) => void): void {
  for (const [name, state] of Object.entries(states)) {
    visit(name, state, inMap);
    if (state.Type === 'Parallel' && Array.isArray(state.Branches)) {
      state.Branches.forEach((b, i) => walk(statesOf(b, `${where}/${name}[${i}]`), inMap, where, visit));
    }
    if (state.Type === 'Map') {
      const processor = state.ItemProcessor ?? state.Iterator;
      walk(statesOf(processor, `${where}/${name}`), true, where, visit);
    }
  }
}

function classify(flow: string, name: string, state: AslState): TaskKind {
  const resource = typeof state.Resource === 'string' ? state.Resource : '';
  if (LAMBDA_CALLBACK.test(resource)) return { kind: 'callback' };
  if (LAMBDA_INVOKE.test(resource)) return { kind: 'invoke' };
  const m = FUNCTION_ARN.exec(resource);
  if (m?.[1]) return { kind: 'function', functionName: m[1] };
  throw new FlowDefinitionError(
    `flow ${flow}, state ${name}: Resource ${resource} is not supported locally (a function ARN substitution, lambda:invoke or lambda:invoke.waitForTaskToken)`,
  );
}

/**
 * Rewrite one Task state in place so the runner gets the timeout: TimeoutSecondsPath becomes a Parameters key
 * the handler strips again; the library's own timer becomes a backstop that never fires first.
 */
function rewriteTimeouts(flow: string, name: string, state: AslState): Pick<TaskPlan, 'timeout' | 'wrapsInput'> {
  let timeout: TaskPlan['timeout'] = { type: 'none' };
  let wrapsInput = false;
  if (typeof state.TimeoutSecondsPath === 'string') {
    const path = state.TimeoutSecondsPath;
    if (state.Parameters === undefined) {
      state.Parameters = { [`${INPUT_KEY}.$`]: '$', [`${TIMEOUT_KEY}.$`]: path };
      wrapsInput = true;
    } else if (isJsonObject(state.Parameters)) {
      state.Parameters = { ...state.Parameters, [`${TIMEOUT_KEY}.$`]: path };
    } else {
      throw new FlowDefinitionError(`flow ${flow}, state ${name}: TimeoutSecondsPath with non-object Parameters is not supported locally`);
    }
    delete state.TimeoutSecondsPath;
    timeout = { type: 'path' };
  } else if (typeof state.TimeoutSeconds === 'number') {
    timeout = { type: 'static', seconds: state.TimeoutSeconds };
  }
  state.TimeoutSeconds = LIBRARY_BACKSTOP_SECONDS;
  return { timeout, wrapsInput };
}

export interface LoadWarnings {
  warn(message: string, details: Record<string, unknown>): void;
}

/** Parse, substitute, validate and plan one flow file. Throws FlowDefinitionError with the file name. */
export function loadFlow(file: string, substitutions: Readonly<Record<string, string>> = {}, warnings?: LoadWarnings): LoadedFlow {
  const name = basename(file).replace(/\.asl\.json$/, '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(substitute(readFileSync(file, 'utf8'), substitutions));
  } catch (err) {
    throw new FlowDefinitionError(`flow ${name} (${file}): ${(err as Error).message}`);
  }
  if (!isJsonObject(parsed)) throw new FlowDefinitionError(`flow ${name} (${file}): not a JSON object`);
  if ('QueryLanguage' in parsed && parsed.QueryLanguage !== 'JSONPath') {
    throw new FlowDefinitionError(`flow ${name}: only JSONPath flows run locally`);
  }
  try {
    // Validates the authored definition (ARNs and paths too); the rewritten copy below is not re-validated.
    new StateMachine(parsed as unknown as StateMachineDefinition, { validationOptions: { checkArn: true, checkPaths: true } });
  } catch (err) {
    throw new FlowDefinitionError(`flow ${name} (${file}): ${(err as Error).message}`);
  }

  const definition = structuredClone(parsed);
  const top = statesOf(definition, name);
  const seen = new Set<string>();
  const tasks = new Map<string, TaskPlan>();
  const functionNames = new Set<string>();
  walk(top, false, name, (stateName, state, inMap) => {
    if (seen.has(stateName)) {
      throw new FlowDefinitionError(`flow ${name}: state name ${stateName} is used twice (names must be unique in the whole flow)`);
    }
    seen.add(stateName);
    if (state.Type !== 'Task') return;
    const task = classify(name, stateName, state);
    if (task.kind === 'function') functionNames.add(task.functionName);
    else {
      const params = state.Parameters;
      const fn = isJsonObject(params) ? functionNameOf(params.FunctionName) : undefined;
      if (fn) functionNames.add(fn);
      if (task.kind === 'callback' && !JSON.stringify(params ?? null).includes('$$.Task.Token')) {
        warnings?.warn('callback task passes no $$.Task.Token: nobody can complete it', { flow: name, state: stateName });
      }
    }
    if ('HeartbeatSeconds' in state || 'HeartbeatSecondsPath' in state) {
      warnings?.warn('HeartbeatSeconds is ignored by the local runner', { flow: name, state: stateName });
    }
    tasks.set(stateName, { stateName, task, ...rewriteTimeouts(name, stateName, state), resumable: !inMap });
  });

  return {
    name,
    file,
    stateMachineArn: stateMachineArn(name),
    definition: definition as unknown as StateMachineDefinition,
    topLevelStates: new Set(Object.keys(top)),
    tasks,
    functionNames,
  };
}

/** Every `*.asl.json` of a directory, keyed by flow name (the file name without `.asl.json`). */
export function loadFlows(dir: string, substitutions: Readonly<Record<string, string>> = {}, warnings?: LoadWarnings): Map<string, LoadedFlow> {
  const flows = new Map<string, LoadedFlow>();
  for (const entry of readdirSync(dir).sort()) {
    if (!entry.endsWith('.asl.json')) continue;
    const flow = loadFlow(join(dir, entry), substitutions, warnings);
    flows.set(flow.name, flow);
  }
  return flows;
}

/** A copy of the flow starting at `startAt` (re-drive), not re-validated. */
export function machineFrom(flow: LoadedFlow, startAt: string): StateMachine {
  const definition = startAt === flow.definition.StartAt ? flow.definition : { ...flow.definition, StartAt: startAt };
  return new StateMachine(definition, { validationOptions: { noValidate: true } });
}
