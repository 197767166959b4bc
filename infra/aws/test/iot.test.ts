import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { devicePrefix, parseTopic, ruleTopicFilter } from '../../../contracts/src/mqtt';
import {
  devicePolicyDocument,
  devicePublishTopicPattern,
  TELEMETRY_ARCHIVE_KEY,
  telemetryRuleSql,
  TENANT_POLICY_VARIABLE,
  THING_NAME_POLICY_VARIABLE,
} from '../lib/iot-policy';
import { built, template } from './support';

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

describe('telemetry rule (pure)', () => {
  it('selects tenant and device from the topic of the contracts filter', () => {
    expect(ruleTopicFilter('telemetry')).toBe('cityops/+/devices/+/telemetry');
    expect(telemetryRuleSql()).toBe(
      "SELECT *, topic(2) AS tenant, topic(4) AS deviceId, timestamp() AS receivedAt FROM 'cityops/+/devices/+/telemetry'",
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

  it('has the topic rule with exactly the derived SQL, queue + archive actions and an error action', () => {
    t.hasResourceProperties('AWS::IoT::TopicRule', {
      TopicRulePayload: {
        Sql: telemetryRuleSql(),
        AwsIotSqlVersion: '2016-03-23',
        Actions: [
          { Sqs: Match.objectLike({ UseBase64: false }) },
          { S3: Match.objectLike({ Key: TELEMETRY_ARCHIVE_KEY }) },
        ],
        ErrorAction: { CloudwatchLogs: Match.objectLike({ LogGroupName: Match.anyValue() }) },
      },
    });
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
