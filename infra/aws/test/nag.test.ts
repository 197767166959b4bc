/**
 * cdk-nag AwsSolutions on the whole app, both partitions: zero unacknowledged errors or warnings; every
 * acknowledgement has a specific reason and hides a real finding (no stale or blanket acknowledgements).
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import type { CityOpsApp } from '../lib/app';
import { ACKNOWLEDGEMENTS_CONTEXT } from '../lib/nag';
import { build, fakeWebDist, nagFindings } from './support';

interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

function acknowledgements(b: CityOpsApp): Acknowledgement[] {
  const out: Acknowledgement[] = [];
  const visit = (c: IConstruct) => {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        out.push({ path: c.node.path, id: id.replace(/^[A-Za-z-]+::/, ''), reason });
      }
    }
    c.node.children.forEach(visit);
  };
  visit(b.app);
  return out;
}

const webDist = fakeWebDist();
const variants = [
  ['aws', {}],
  ['aws', { webDomainNames: 'www.example.com', webCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x', cognitoDomainPrefix: 'cityops-test' }],
  ['aws-cn', {}],
  ['aws-cn', { webDomainNames: 'www.cityops.example.cn', webIamCertificateId: 'ASCAEXAMPLE' }],
] as const;

describe.each(variants)('cdk-nag AwsSolutions, %s %j', (partition, context) => {
  it('reports no unacknowledged error or warning', () => {
    const findings = nagFindings(build(partition, { context, webDistDir: webDist }));
    expect(findings.map((f) => `${f.severity} ${f.rule} at ${f.paths.join(', ')}`)).toEqual([]);
  });

  it('acknowledges only real findings, each with a specific reason', () => {
    const acked = build(partition, { context, webDistDir: webDist });
    const acks = acknowledgements(acked);
    expect(acks.length).toBeGreaterThan(0);
    const raw = nagFindings(build(partition, { context: { ...context, [ACKNOWLEDGEMENTS_CONTEXT]: false }, webDistDir: webDist }));
    for (const ack of acks) {
      expect(ack.id, ack.path).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(ack.reason.length, `${ack.path} ${ack.id}`).toBeGreaterThanOrEqual(40);
      const hidden = raw.filter((f) => f.rule === ack.id && f.paths.some((p) => p === ack.path || p.startsWith(`${ack.path}/`)));
      expect(hidden.length, `stale acknowledgement ${ack.id} at ${ack.path}`).toBeGreaterThan(0);
    }
  });
});
