import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flowHandlerFile, listFlowFiles, loadFlowFile, partitionNeutral, PARTITION_PLACEHOLDER, pascalCase, substitute } from '../lib/asl';
import { handlerEntry } from '../lib/lambda';
import { FLOWS_DIR } from '../lib/paths';
import { existsSync } from 'node:fs';

type Validator = (definition: unknown, options?: { checkArn?: boolean; checkPaths?: boolean }) => {
  isValid: boolean;
  errorsText: (separator?: string) => string;
};
const validate = createRequire(import.meta.url)('asl-validator') as Validator;

type State = Record<string, unknown> & { Type?: string; States?: Record<string, State> };

/** Every state, including those nested in Parallel branches and Map processors. */
function allStates(definition: State): Array<[string, State]> {
  const out: Array<[string, State]> = [];
  const visit = (states: Record<string, State> | undefined) => {
    for (const [name, state] of Object.entries(states ?? {})) {
      out.push([name, state]);
      for (const branch of (state.Branches as State[] | undefined) ?? []) visit(branch.States);
      visit((state.ItemProcessor as State | undefined)?.States ?? (state.Iterator as State | undefined)?.States);
    }
  };
  visit(definition.States);
  return out;
}

const files = listFlowFiles(FLOWS_DIR);

describe('flow files (functions/flows/*.asl.json)', () => {
  it('exist', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  describe.each(files.map((f) => [basename(f), f]))('%s', (_name, file) => {
    const raw = readFileSync(file, 'utf8');
    const definition = JSON.parse(raw) as State;
    const flow = loadFlowFile(file);

    it('passes asl-validator as written (placeholders allowed as Resource)', () => {
      const r = validate(JSON.parse(raw));
      expect(r.errorsText(), r.errorsText()).toBe('');
      expect(r.isValid).toBe(true);
    });

    it.each(['aws', 'aws-cn'])('passes asl-validator with ARNs checked after substitution for %s', (partition) => {
      const values: Record<string, string> = { [PARTITION_PLACEHOLDER]: partition };
      for (const fn of flow.functions) values[`${fn}FunctionArn`] = `arn:${partition}:lambda:cn-north-1:123456789012:function:cityops-${fn}`;
      const text = substitute(flow.definition, values);
      expect(text).not.toMatch(/\$\{/);
      const r = validate(JSON.parse(text), { checkArn: true, checkPaths: true });
      expect(r.errorsText()).toBe('');
    });

    it('uses JSONPath only: no JSONata, no Assign, no HeartbeatSeconds (the local runner lacks them)', () => {
      expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
      for (const [name, state] of allStates(definition)) {
        expect(state.QueryLanguage ?? 'JSONPath', name).toBe('JSONPath');
        expect(state, name).not.toHaveProperty('Assign');
        expect(state, name).not.toHaveProperty('Arguments');
        expect(state, name).not.toHaveProperty('Output');
        expect(state, name).not.toHaveProperty('HeartbeatSeconds');
        expect(state, name).not.toHaveProperty('HeartbeatSecondsPath');
      }
      expect(raw).not.toMatch(/\{%/);
    });

    it('gives every waitForTaskToken task an explicit timeout', () => {
      const waits = allStates(definition).filter(([, s]) => s.Type === 'Task' && String(s.Resource).endsWith('.waitForTaskToken'));
      for (const [name, state] of waits) {
        expect('TimeoutSeconds' in state || 'TimeoutSecondsPath' in state, `${name} has no TimeoutSeconds/TimeoutSecondsPath`).toBe(true);
      }
    });

    it('references only functions that have a handler file', () => {
      for (const fn of flow.functions) expect(existsSync(handlerEntry(flowHandlerFile(fn))), flowHandlerFile(fn)).toBe(true);
    });
  });
});

describe('ASL loader', () => {
  it('rewrites arn:aws: to the partition placeholder and nothing else', () => {
    expect(partitionNeutral('"arn:aws:states:::lambda:invoke" "arn:aws-cn:x" "${A}"')).toBe('"arn:${Partition}:states:::lambda:invoke" "arn:aws-cn:x" "${A}"');
  });

  it('names handlers and constructs', () => {
    expect(flowHandlerFile('PlanStep')).toBe('flow-plan-step');
    expect(flowHandlerFile('OpenTask')).toBe('flow-open-task');
    expect(flowHandlerFile('Escalate')).toBe('flow-escalate');
    expect(pascalCase('case-flow')).toBe('CaseFlow');
  });
});
