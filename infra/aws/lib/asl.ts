/**
 * Loading the flow files (functions/flows/*.asl.json) for Step Functions. Pure functions, no CDK: the flows
 * stack and the tests share them.
 *
 * Placeholders are `${Name}`. `${XFunctionArn}` is the Lambda function for handler file
 * functions/src/handlers/flow-<x-in-kebab-case>.ts (e.g. PlanStepFunctionArn -> flow-plan-step.ts);
 * `${Partition}` is the AWS partition. The ASL files spell service integrations as `arn:aws:states:::...`
 * (what the local runner expects); those literals are rewritten to `arn:${Partition}:...` so the same file
 * deploys to aws-cn.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export const PARTITION_PLACEHOLDER = 'Partition';
const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9_]*)\}/g;
const FUNCTION_SUFFIX = 'FunctionArn';

export interface FlowFile {
  /** File name without .asl.json, e.g. "supervision". */
  readonly name: string;
  readonly path: string;
  /** The definition with `arn:aws:` rewritten to `arn:${Partition}:`. */
  readonly definition: string;
  /** Every placeholder name in the definition, sorted. */
  readonly placeholders: string[];
  /** Function names referenced as `${XFunctionArn}` (the X), sorted. */
  readonly functions: string[];
}

export function listFlowFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.asl.json'))
    .sort()
    .map((f) => join(dir, f));
}

export function partitionNeutral(text: string): string {
  return text.replace(/\barn:aws:/g, `arn:\${${PARTITION_PLACEHOLDER}}:`);
}

export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string))].sort();
}

export function loadFlowFile(path: string): FlowFile {
  const raw = readFileSync(path, 'utf8');
  try {
    JSON.parse(raw);
  } catch (err) {
    throw new Error(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  const definition = partitionNeutral(raw);
  const placeholders = placeholdersOf(definition);
  const unknown = placeholders.filter((p) => p !== PARTITION_PLACEHOLDER && !p.endsWith(FUNCTION_SUFFIX));
  if (unknown.length) {
    throw new Error(`${path}: unknown placeholder(s) ${unknown.map((u) => `\${${u}}`).join(', ')}; use \${XFunctionArn} or \${Partition}`);
  }
  return {
    name: basename(path, '.asl.json'),
    path,
    definition,
    placeholders,
    functions: placeholders.filter((p) => p.endsWith(FUNCTION_SUFFIX)).map((p) => p.slice(0, -FUNCTION_SUFFIX.length)),
  };
}

/** PlanStep -> flow-plan-step (the handler file name). */
export function flowHandlerFile(functionName: string): string {
  return `flow-${functionName.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`;
}

/** supervision / case-flow -> Supervision / CaseFlow (construct ids). */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]?.toUpperCase() + p.slice(1))
    .join('');
}

/** Replace placeholders with concrete values (tests, and anything that needs the final text). */
export function substitute(definition: string, values: Record<string, string>): string {
  return definition.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
}
