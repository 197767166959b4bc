/**
 * Errors of the local Step Functions runner. Names follow the AWS SDK exceptions (`TaskDoesNotExist`,
 * `TaskTimedOut`, `ExecutionAlreadyExists`, ...) so code mapping gateway errors works the same locally and in AWS;
 * names seen inside a flow (`States.Timeout`, `States.Runtime`) follow the States language.
 */
import { StateMachine } from 'aws-local-stepfunctions';

/** An error with a given `name` (Catch/Retry in a flow match on it). */
export function namedError(name: string, message: string): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}

/** The token is unknown (never issued, or its item is gone). */
export class TaskDoesNotExist extends Error {
  override readonly name = 'TaskDoesNotExist';
}

/** The token's task timed out or was already closed (succeeded or failed) — as Step Functions reports it. */
export class TaskTimedOut extends Error {
  override readonly name = 'TaskTimedOut';
}

export class InvalidOutput extends Error {
  override readonly name = 'InvalidOutput';
}

export class InvalidName extends Error {
  override readonly name = 'InvalidName';
}

export class InvalidExecutionInput extends Error {
  override readonly name = 'InvalidExecutionInput';
}

/** Same execution name, different input (Step Functions answers ExecutionAlreadyExists too). */
export class ExecutionAlreadyExists extends Error {
  override readonly name = 'ExecutionAlreadyExists';
}

export class ExecutionDoesNotExist extends Error {
  override readonly name = 'ExecutionDoesNotExist';
}

export class StateMachineDoesNotExist extends Error {
  override readonly name = 'StateMachineDoesNotExist';
}

/** A flow file the runner cannot run (invalid ASL, an unsupported Resource, duplicate state names). */
export class FlowDefinitionError extends Error {
  override readonly name = 'FlowDefinitionError';
}

/**
 * Errors the interpreter must neither retry nor catch: the library reads `isRetryable` / `isCatchable`
 * (defaulting to true for plain errors).
 */
class UncatchableError extends Error {
  readonly isRetryable = false;
  readonly isCatchable = false;
}

/** States.Runtime: a path in the flow did not resolve to a usable value (fails the execution, as in AWS). */
export class StatesRuntimeError extends UncatchableError {
  override readonly name = 'States.Runtime';
}

/** The runner was stopped (or another runner took the execution over); the execution stays RUNNING. */
export class RunnerStopped extends UncatchableError {
  override readonly name = 'RunnerStopped';
}

/** The execution item moved to a newer generation: another runner re-drove it. */
export class ExecutionSuperseded extends Error {
  override readonly name = 'ExecutionSuperseded';
}

type ErrorCtor = new () => Error;
let timeoutCtor: Promise<ErrorCtor | null> | undefined;

/**
 * The library's own `States.Timeout` error class (not exported). Its Retry/Catch matching treats
 * `States.TaskFailed` as "any task error except a timeout" by `instanceof`, as AWS does, so the runner's
 * timeouts must be instances of that class. Obtained once by letting a 1 ms task time out.
 */
function probeTimeoutCtor(): Promise<ErrorCtor | null> {
  timeoutCtor ??= (async () => {
    const machine = new StateMachine(
      {
        StartAt: 'Probe',
        States: { Probe: { Type: 'Task', Resource: 'arn:aws:lambda:cn-north-1:000000000000:function:probe', TimeoutSeconds: 0.001, End: true } },
      },
      { validationOptions: { noValidate: true } },
    );
    const execution = machine.run(null, {
      overrides: { taskResourceLocalHandlers: { Probe: () => new Promise((resolve) => setTimeout(() => resolve(null), 25)) } },
    });
    try {
      await execution.result;
    } catch (err) {
      const cause = err instanceof Error ? err.cause : undefined;
      if (cause instanceof Error && cause.name === 'States.Timeout') return cause.constructor as ErrorCtor;
    }
    return null;
  })();
  return timeoutCtor;
}

/** Returns a factory of `States.Timeout` errors (the library's class when the probe works, else a named Error). */
export async function timeoutErrorFactory(): Promise<() => Error> {
  const Ctor = await probeTimeoutCtor();
  return Ctor ? () => new Ctor() : () => namedError('States.Timeout', 'States.Timeout');
}
