import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalJson, functionNameOf, LIBRARY_BACKSTOP_SECONDS, loadFlow, loadFlows, substitute, TIMEOUT_KEY } from './definitions';

const flowsDir = fileURLToPath(new URL('../../../functions/flows', import.meta.url));
const dirs: string[] = [];
const flowFile = (name: string, def: unknown): string => {
  const dir = mkdtempSync(join(tmpdir(), 'asl-'));
  dirs.push(dir);
  const file = join(dir, `${name}.asl.json`);
  writeFileSync(file, JSON.stringify(def));
  return file;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('flow definitions', () => {
  it('substitutes ${Name} with a fake Lambda ARN unless a value is given', () => {
    expect(substitute('"${PlanStepFunctionArn}" "${Queue}"', { Queue: 'q' })).toBe(
      '"arn:aws:lambda:cn-north-1:000000000000:function:PlanStepFunctionArn" "q"',
    );
    expect(functionNameOf('arn:aws:lambda:cn-north-1:000000000000:function:Open:live')).toBe('Open');
    expect(functionNameOf('Open')).toBe('Open');
    expect(canonicalJson({ b: [1, { d: 1, c: 2 }], a: null })).toBe(canonicalJson({ a: null, b: [1, { c: 2, d: 1 }] }));
  });

  it('plans the supervision flow and moves TimeoutSecondsPath into Parameters', () => {
    const flows = loadFlows(flowsDir);
    const flow = flows.get('supervision')!;
    expect(flow.topLevelStates.has('AwaitFeedback')).toBe(true);
    expect([...flow.functionNames].sort()).toEqual(['EscalateFunctionArn', 'OpenTaskFunctionArn', 'PlanStepFunctionArn']);
    expect(flow.tasks.get('AwaitFeedback')).toMatchObject({ task: { kind: 'callback' }, timeout: { type: 'path' }, resumable: true, wrapsInput: false });
    expect(flow.tasks.get('PlanFeedback')).toMatchObject({ task: { kind: 'function', functionName: 'PlanStepFunctionArn' }, timeout: { type: 'none' } });
    const state = flow.definition.States.AwaitFeedback as unknown as Record<string, unknown>;
    expect(state.TimeoutSecondsPath).toBeUndefined();
    expect(state.TimeoutSeconds).toBe(LIBRARY_BACKSTOP_SECONDS);
    expect(state.Parameters).toMatchObject({ [`${TIMEOUT_KEY}.$`]: '$.deadline.seconds', FunctionName: expect.stringContaining(':function:OpenTaskFunctionArn') });
  });

  it('rejects what the local runner cannot run', () => {
    const task = (resource: string) => ({ StartAt: 'T', States: { T: { Type: 'Task', Resource: resource, End: true } } });
    expect(() => loadFlow(flowFile('sns', task('arn:aws:states:::sns:publish')))).toThrow(/not supported locally/);
    expect(() => loadFlow(flowFile('broken', { StartAt: 'T', States: { T: { Type: 'Pass', Next: 'Missing' } } }))).toThrow(/broken/);
    const dup = {
      StartAt: 'P',
      States: {
        P: { Type: 'Parallel', Branches: [{ StartAt: 'X', States: { X: { Type: 'Pass', End: true } } }], Next: 'X' },
        X: { Type: 'Pass', End: true },
      },
    };
    expect(() => loadFlow(flowFile('dup', dup))).toThrow(/flow dup/) // asl-validator or the runner's own check;
  });
});
