/**
 * Test support: build the real app (same buildApp as bin/app.ts) without esbuild bundling and without the
 * built-in CloudFormation validation, so a full 7-stack synth takes well under a second.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type BuildAppOptions, buildApp, type CityOpsApp } from '../lib/app';
import type { Partition } from '../lib/config';

export const CN_CONTEXT = { oidcIssuer: 'https://id.example.gov.cn/oidc', oidcAudience: 'cityops' };

/** A folder that does not exist: no BucketDeployment unless a test asks for one. */
export const NO_WEB_DIST = join(tmpdir(), 'cityops-no-web-dist');

export function fakeWebDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cityops-web-dist-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>CityOps</title>');
  return dir;
}

export function build(partition: Partition, options: Omit<BuildAppOptions, 'partition'> = {}): CityOpsApp {
  return buildApp({
    skipBundling: true,
    cfnValidation: false,
    webDistDir: NO_WEB_DIST,
    ...options,
    partition,
    context: { ...(partition === 'aws-cn' ? CN_CONTEXT : {}), ...options.context },
  });
}

const cache = new Map<string, CityOpsApp>();
/** One default build per partition per test file. */
export function built(partition: Partition): CityOpsApp {
  let b = cache.get(partition);
  if (!b) {
    b = build(partition);
    b.app.synth();
    cache.set(partition, b);
  }
  return b;
}

/** Logical id of an L2 construct's CloudFormation resource. */
export function logicalId(construct: IConstruct): string {
  const stack = Stack.of(construct);
  return stack.resolve(stack.getLogicalId(construct.node.defaultChild as CfnElement)) as string;
}

export const template = (stack: Stack): Template => Template.fromStack(stack);

export function allStacks(b: CityOpsApp): Stack[] {
  return [b.data, b.identity, b.flows, b.api, b.iot, b.web, b.observability];
}

export interface Finding {
  readonly rule: string;
  readonly severity: string;
  readonly paths: string[];
}

/** Run cdk-nag AwsSolutions directly on the construct tree (what the validation plugin does at synth). */
export function nagFindings(b: CityOpsApp): Finding[] {
  b.app.synth();
  const report = new AwsSolutionsChecks(undefined, { verbose: false }).validateScope(b.app);
  return report.violations.map((v) => ({
    rule: v.ruleName,
    severity: v.severity ?? 'error',
    paths: v.violatingResources.map((r) => r.constructPath ?? ''),
  }));
}

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

/** Every policy statement attached to a role (inline AWS::IAM::Policy resources naming it), resolved. */
export function roleStatements(tpl: Template, roleLogicalId: string): Statement[] {
  const policies = tpl.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((p) => JSON.stringify((p as { Properties: { Roles: unknown } }).Properties.Roles).includes(roleLogicalId))
    .flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement);
}

export const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
export const resourcesOf = (s: Statement): unknown[] => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);
