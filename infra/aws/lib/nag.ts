/**
 * cdk-nag acknowledgements. cdk-nag 3 is a CDK validation plugin: it reads acknowledgements recorded with
 * `Validations.of(construct).acknowledge(...)` on the resource or any of its ancestors. Every call here names
 * the exact finding (granular `[...]` ids where cdk-nag reports them) and a reason specific to that resource.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import type { IConstruct } from 'constructs';

export type Ack = readonly [id: string, reason: string];

/** Context switch for the audit test only: build without acknowledgements to see what each one hides. */
export const ACKNOWLEDGEMENTS_CONTEXT = 'cityops:nagAcknowledgements';

export function acknowledge(scope: IConstruct, ...acks: Ack[]): void {
  if (scope.node.tryGetContext(ACKNOWLEDGEMENTS_CONTEXT) === false) return;
  Validations.of(scope).acknowledge(...acks.map(([id, reason]) => ({ id, reason })));
}

/** The Lambda runtime every function uses, and why it is not the newest one cdk-nag L1 asks for. */
export const RUNTIME_ACK: Ack = [
  'AwsSolutions-L1',
  'nodejs22.x on purpose: the repo toolchain (middy 6, Powertools 2.x, esbuild target node22) is verified on Node 20/22, ' +
    'and nodejs22.x is available in both partitions including cn-north-1/cn-northwest-1; move to the next LTS runtime after it is verified in both.',
];

/**
 * The granular IAM5 id cdk-nag reports for a wildcard resource, e.g. `AwsSolutions-IAM5[Resource::<Files8E69.Arn>/files/*]`.
 * Computed with cdk-nag's own flattening, so acknowledgements follow logical ids instead of hard-coding them.
 * Only for values that resolve the same before and after synthesis (same-stack references, pseudo parameters).
 */
export function iam5ResourceId(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(resource))}]`;
}
