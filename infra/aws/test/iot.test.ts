import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { Channel, devicePrefix, deviceTopic, parseTopic, ruleTopicFilter } from '../../../contracts/src/mqtt';
import { topicMatches } from '../../../functions/src/devices/telemetry-rules';
import {
  devicePolicyDocument,
  devicePublishTopicPattern,
  TELEMETRY_ARCHIVE_KEY,
  TELEMETRY_RULES,
  telemetryRuleSql,
  TENANT_POLICY_VARIABLE,
  THING_NAME_POLICY_VARIABLE,
} from '../lib/iot-policy';
import { INGEST_HANDLER, topicRuleName } from '../lib/iot-stack';
import { REPO_ROOT } from '../lib/paths';
import { actionsOf, build, built, logicalId, nagFindings, resourcesOf, roleStatements, template } from './support';

const PINNED = 'cityops/${iot:Connection.Thing.Attributes[tenant]}/devices/${iot:Connection.Thing.ThingName}/*';

describe('IoT policy document (pure builder)', () => {
  const doc = devicePolicyDocument({ partition: 'aws-cn', region: 'cn-north-1', account: '123456789012' });
  const byId = Object.fromEntries(doc.Statement.map((s) => [s.Sid, s]));

  it('pins publish to the thing own prefix, derived from the contracts topic grammar', () => {
    expect(devicePublishTopicPattern()).toBe(PINNED);
    expect(devicePublishTopicPattern()).toBe(`${devicePrefix(TENANT_POLICY_VARIABLE, THING_NAME_POLICY_VARIABLE)}*`);
    expect(byId.PublishUnderOwnPrefix).toMatchObject({ Effect: 'Allow', Action: 'iot:Publish', Resource: `arn:aws-cn:iot:cn-north-1:123456789012:topic/${PINNED}` });
  });

  it('allows connecting only with client id = thing name, and only for an attached thing', () => {
    expect(byId.ConnectAsOwnThing).toEqual({
      Sid: 'ConnectAsOwnThing',
      Effect: 'Allow',
      Action: 'iot:Connect',
      Resource: 'arn:aws-cn:iot:cn-north-1:123456789012:client/${iot:Connection.Thing.ThingName}',
      Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
    });
  });

  it('grants nothing else: no wildcard actions, no subscribe/receive, no foreign prefixes', () => {
    expect(doc.Statement).toHaveLength(2);
    for (const s of doc.Statement) {
      expect(s.Effect).toBe('Allow');
      expect(String(s.Action)).not.toContain('*');
      expect(String(s.Resource)).not.toMatch(/topic\/\*|topic\/cityops\/\*|topic\/cityops\/\+/);
    }
  });
});

/** Logical id of an L1 resource. */
const cfnId = (r: CfnElement): string => Stack.of(r).resolve(Stack.of(r).getLogicalId(r)) as string;

/** The policy's publish resource with the policy variables of a connected thing filled in. */
const allowedPrefix = (tenant: string, thing: string) =>
  devicePublishTopicPattern().replace(TENANT_POLICY_VARIABLE, tenant).replace(THING_NAME_POLICY_VARIABLE, thing).replace(/\*$/, '');

describe('topic restrictions: the policy against the declared rules', () => {
  it("lets a device publish every routed channel under its own prefix, and none of another device's or tenant's", () => {
    for (const rule of TELEMETRY_RULES) {
      const own = deviceTopic('430100', 'wl-0001', rule.channel);
      expect(topicMatches(rule.topicFilter, own), rule.name).toBe(true);
      expect(own.startsWith(allowedPrefix('430100', 'wl-0001'))).toBe(true);
      for (const [tenant, device] of [['430181', 'wl-0001'], ['430100', 'wl-0002'], ['430100', 'wl-00011']] as const) {
        const foreign = deviceTopic(tenant, device, rule.channel);
        expect(topicMatches(rule.topicFilter, foreign)).toBe(true); // the rule sees it…
        expect(foreign.startsWith(allowedPrefix('430100', 'wl-0001')), foreign).toBe(false); // …but wl-0001 may not publish it
      }
    }
  });

  it('uses rule filters with wildcards only at the tenant and device levels, so topic(2)/topic(4) are policy-pinned', () => {
    for (const rule of TELEMETRY_RULES) {
      expect(rule.topicFilter.split('/').map((l, i) => (l === '+' ? i + 1 : 0)).filter(Boolean)).toEqual([2, 4]);
      expect(rule.topicFilter).not.toContain('#');
      expect(rule.sql).toContain('topic(2) AS tenant, topic(4) AS deviceId');
    }
  });
});

describe('telemetry rule (pure)', () => {
  it('selects tenant and device from the topic of the contracts filter', () => {
    expect(ruleTopicFilter('telemetry')).toBe('cityops/+/devices/+/telemetry');
    expect(telemetryRuleSql()).toBe(
      "SELECT encode(*, 'base64') AS payload, topic(2) AS tenant, topic(4) AS deviceId, topic(5) AS channel, timestamp() AS receivedAt FROM 'cityops/+/devices/+/telemetry'",
    );
    // topic(2) / topic(4) are the tenant and device segments of the grammar (1-based).
    const parsed = parseTopic('cityops/430100/devices/dev-001/telemetry');
    const segments = 'cityops/430100/devices/dev-001/telemetry'.split('/');
    expect([segments[1], segments[3]]).toEqual([parsed?.tenant, parsed?.deviceId]);
  });

  it('archives raw messages keyed by tenant and date', () => {
    expect(TELEMETRY_ARCHIVE_KEY).toMatch(/^telemetry\/\$\{topic\(2\)\}\/\$\{parse_time\("yyyy-MM-dd", timestamp\(\), "Asia\/Shanghai"\)\}\/\$\{topic\(4\)\}\//);
  });
});

describe.each(['aws', 'aws-cn'] as const)('synthesized IoT stack (%s)', (partition) => {
  const b = built(partition);
  const t = template(b.iot);

  it('runs the offline sweep every minute', () => {
    t.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' });
  });

  it('runs the MON-5 patrol schedule every 5 minutes with write access to the table', () => {
    const fn = logicalId(b.iot.patrolScheduleFunction!);
    t.hasResourceProperties('AWS::Lambda::Function', { Description: 'CityOps patrol schedule: patrol tasks per plan cycle, overdue marks' });
    t.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)', Targets: Match.arrayWith([Match.objectLike({ Arn: { 'Fn::GetAtt': [fn, 'Arn'] } })]) });
  });

  it('has the device policy with the pinned publish resource', () => {
    t.hasResourceProperties('AWS::IoT::Policy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Action: 'iot:Connect', Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } }),
          Match.objectLike({
            Action: 'iot:Publish',
            Resource: { 'Fn::Join': ['', [`arn:${partition}:iot:${b.config.region}:`, { Ref: 'AWS::AccountId' }, `:topic/${PINNED}`]] },
          }),
        ],
      },
    });
  });

  it('has exactly one topic rule per declared rule, with its name, SQL, target actions and an error action', () => {
    t.resourceCountIs('AWS::IoT::TopicRule', TELEMETRY_RULES.length);
    const queue = logicalId(b.iot.queue);
    for (const rule of TELEMETRY_RULES) {
      const actions = rule.targets.map((target) =>
        target === 'ingest-queue'
          ? { Sqs: { QueueUrl: { Ref: queue }, RoleArn: Match.anyValue(), UseBase64: false } }
          : { S3: { BucketName: Match.anyValue(), Key: TELEMETRY_ARCHIVE_KEY, RoleArn: Match.anyValue() } },
      );
      t.hasResourceProperties('AWS::IoT::TopicRule', {
        RuleName: topicRuleName('dev', rule),
        TopicRulePayload: {
          Description: rule.description,
          Sql: rule.sql,
          AwsIotSqlVersion: '2016-03-23',
          RuleDisabled: false,
          Actions: actions,
          ErrorAction: { CloudwatchLogs: Match.objectLike({ LogGroupName: Match.anyValue() }) },
        },
      });
      expect(b.iot.topicRules.get(rule.name)?.ruleName).toBe(topicRuleName('dev', rule));
      t.hasOutput(`${rule.name[0]!.toUpperCase()}${rule.name.slice(1)}RuleName`, { Value: { Ref: cfnId(b.iot.topicRules.get(rule.name)!) } });
    }
    expect(TELEMETRY_RULES.map((r) => topicRuleName('dev', r))).toEqual(['cityops_dev_telemetry', 'cityops_dev_status']);
    expect(topicRuleName('pre-prod', TELEMETRY_RULES[0]!)).toBe('cityops_pre_prod_telemetry');
  });

  it('routes every channel the rules select, and no rule selects a channel twice', () => {
    const routed = TELEMETRY_RULES.map((r) => r.channel);
    expect(new Set(routed).size).toBe(routed.length);
    for (const c of routed) expect(Channel.options).toContain(c);
  });

  it('sends to an encrypted, SSL-only queue with a DLQ', () => {
    t.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }) });
    t.resourceCountIs('AWS::SQS::Queue', 2);
    for (const q of Object.values(t.findResources('AWS::SQS::Queue'))) expect(q.Properties.SqsManagedSseEnabled).toBe(true);
    t.resourcePropertiesCountIs(
      'AWS::SQS::QueuePolicy',
      { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) } },
      2,
    );
  });

  it('lets the rule role write only under telemetry/ of the files bucket', () => {
    const policies = Object.values(t.findResources('AWS::IAM::Policy'));
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: unknown; Resource: unknown }>);
    const s3 = statements.filter((s) => JSON.stringify(s.Action).includes('s3:'));
    expect(s3).toHaveLength(1);
    expect(s3[0]?.Action).toBe('s3:PutObject');
    expect(JSON.stringify(s3[0]?.Resource)).toMatch(/cityops-dev-files-.*\/telemetry\/\*"\]\]\}$/);
  });
});

/**
 * A handlers folder with stub files for every real handler plus `ingest.ts`, so the queue consumer is wired.
 * NodejsFunction wants entries under the project root, hence a git-ignored folder inside the repository.
 */
function handlersWithIngest(): string {
  const cache = join(REPO_ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'cityops-handlers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const real = join(REPO_ROOT, 'functions', 'src', 'handlers');
  for (const f of readdirSync(real).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
    writeFileSync(join(dir, f), 'export const handler = async () => undefined;\n');
  }
  writeFileSync(join(dir, `${INGEST_HANDLER}.ts`), 'export const handler = async () => ({ batchItemFailures: [] });\n');
  return dir;
}

describe.each(['aws', 'aws-cn'] as const)('ingest consumer wired to the queue (%s, fixture ingest handler)', (partition) => {
  const handlersDir = handlersWithIngest();
  const b = build(partition, { handlersDir });
  b.app.synth();
  const t = template(b.iot);

  it('polls the queue in batches of 100 within 1 s and reports per-message failures', () => {
    expect(b.iot.ingestFunction).toBeDefined();
    t.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalId(b.iot.queue), 'Arn'] },
      FunctionName: { Ref: logicalId(b.iot.ingestFunction!) },
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    // Visibility timeout ≥ 6 × function timeout + batching window.
    const timeout = t.findResources('AWS::Lambda::Function')[logicalId(b.iot.ingestFunction!)]?.Properties.Timeout as number;
    expect(timeout).toBe(60);
    const queue = t.findResources('AWS::SQS::Queue')[logicalId(b.iot.queue)];
    expect(queue?.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout + 1);
  });

  it('gives the ingest function the table, the device policy name and only queue-consumer SQS rights', () => {
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          TABLE_NAME: Match.anyValue(),
          DEVICE_POLICY_NAME: { Ref: cfnId(b.iot.devicePolicy) },
          POWERTOOLS_SERVICE_NAME: 'cityops-ingest',
        }),
      },
    });
    const statements = roleStatements(t, logicalId(b.iot.ingestFunction!.role!));
    const ddb = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    expect(ddb).toHaveLength(1);
    expect(actionsOf(ddb[0]!)).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']));
    const sqs = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('sqs:')));
    expect(sqs.flatMap(actionsOf).sort()).toEqual(['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage']);
    for (const s of sqs) expect(resourcesOf(s)).toEqual([{ 'Fn::GetAtt': [logicalId(b.iot.queue), 'Arn'] }]);
    // IoT: only the live push (ADR 009), publish under cityops/live/ (infra/aws/test/live-push.test.ts has the details).
    const iot = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('iot:')));
    expect(iot.flatMap(actionsOf)).toEqual(['iot:Publish']);
    expect(JSON.stringify(iot[0]?.Resource)).toMatch(/:topic\/cityops\/live\/\*"\]\]\}$/);
  });

  it('synthesizes the whole app with no unacknowledged cdk-nag finding', () => {
    expect(b.app.synth().getStackByName(b.iot.stackName).template).toBeDefined();
    const findings = nagFindings(build(partition, { handlersDir }));
    expect(findings.map((f) => `${f.severity} ${f.rule} at ${f.paths.join(', ')}`)).toEqual([]);
  });
});
