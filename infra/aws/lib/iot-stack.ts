/**
 * Device messages in AWS IoT Core: a thing policy pinning each device to its own topic prefix, and one topic
 * rule per entry of TELEMETRY_RULES (functions/src/devices/telemetry-rules.ts, the table the local stack routes
 * through too). A rule's targets become actions: `ingest-queue` → an encrypted SQS queue (with a DLQ) consumed
 * in batches by the ingest handler (partial-batch failures), `raw-archive` → the files bucket under
 * telemetry/<tenant>/<date>/<device>/<channel>/. Rule failures go to an encrypted log group (errorAction).
 */
import { existsSync } from 'node:fs';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnPolicy, CfnTopicRule } from 'aws-cdk-lib/aws-iot';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { CityOpsConfig } from './config';
import { type DataStack, filesBucketName, filesObjectsArn, grantTableAccess, TELEMETRY_PREFIX } from './data-stack';
import type { IdentityStack } from './identity-stack';
import { type RuleTarget, RULE_SQL_VERSION, type TelemetryRule } from '../../../functions/src/devices/telemetry-rules';
import { devicePolicyDocument, devicePolicyName, TELEMETRY_ARCHIVE_KEY, TELEMETRY_RULES } from './iot-policy';
import { AppFunction, handlerEntry } from './lambda';
import { LivePush } from './live-push';
import { acknowledge, iam5ResourceId } from './nag';

export interface IotStackProps extends StackProps {
  readonly config: CityOpsConfig;
  readonly data: DataStack;
  /** The staff issuer, for the live push's custom authorizer (live-push.ts). */
  readonly identity: IdentityStack;
  readonly logRetention: RetentionDays;
  readonly handlersDir?: string;
}

/** Handler file of the queue consumer; wired only when it exists (it is not written yet). */
export const INGEST_HANDLER = 'ingest';
/** Handler of the scheduled offline sweep. */
export const SWEEP_HANDLER = 'monitoring-sweep';
/** Handler of the MON-5 patrol schedule (task generation, overdue marks) and how often it runs. */
export const PATROL_SCHEDULE_HANDLER = 'patrol-schedule';
export const PATROL_SCHEDULE_RATE = Duration.minutes(5);

/**
 * How Lambda polls the ingest queue: up to 100 messages or 1 s, whichever comes first (SQS allows up to 10,000
 * with a batching window; 100 keeps a batch's retries after a timeout small and stays well under the 6 MB
 * invocation payload for typical readings), with per-message failures reported back (Powertools batch).
 */
export const INGEST_BATCH = { batchSize: 100, maxBatchingWindow: Duration.seconds(1), reportBatchItemFailures: true } as const;
export const INGEST_TIMEOUT = Duration.seconds(60);

/** `status` → `Status`, `raw_data` → `RawData`: construct ids of a rule's resources. */
const pascal = (name: string): string => name.replace(/(^|_)([a-z0-9])/g, (_m, _s, c: string) => c.toUpperCase());

/** IoT rule names allow letters, digits and underscores only. */
export const topicRuleName = (stage: string, rule: Pick<TelemetryRule, 'name'>): string => `cityops_${stage.replace(/-/g, '_')}_${rule.name}`;

export class IotStack extends Stack {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  /** One topic rule per TELEMETRY_RULES entry, by rule name. */
  readonly topicRules: ReadonlyMap<string, CfnTopicRule>;
  readonly devicePolicy: CfnPolicy;
  /** The screens' live push: data endpoint, publish grants, custom authorizer (ADR 009). */
  readonly live: LivePush;
  readonly ingestFunction?: AppFunction;
  readonly sweepFunction?: AppFunction;
  readonly patrolScheduleFunction?: AppFunction;

  constructor(scope: Construct, id: string, props: IotStackProps) {
    super(scope, id, props);
    const { config, data } = props;

    this.deadLetterQueue = new Queue(this, 'TelemetryDlq', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    // cdk-nag SQS3 recognises this as TelemetryQueue's DLQ (same stack); no acknowledgement needed.

    this.queue = new Queue(this, 'TelemetryQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(4),
      // Six times the consumer's timeout plus the batching window, as Lambda's SQS event source recommends.
      visibilityTimeout: Duration.seconds(INGEST_TIMEOUT.toSeconds() * 6 + INGEST_BATCH.maxBatchingWindow.toSeconds()),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
    });

    const ruleErrors = new LogGroup(this, 'TelemetryRuleErrors', {
      retention: props.logRetention,
      encryptionKey: data.logsKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const role = new Role(this, 'TelemetryRuleRole', {
      assumedBy: new ServicePrincipal('iot.amazonaws.com'),
      description: 'CityOps device topic rules: ingest queue, raw archive, error log',
    });
    role.addToPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }));
    const archiveObjects = filesObjectsArn(this, config.stage, TELEMETRY_PREFIX);
    role.addToPolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [archiveObjects] }));
    role.addToPolicy(new PolicyStatement({ actions: ['kms:GenerateDataKey'], resources: [data.dataKey.keyArn] }));
    ruleErrors.grantWrite(role);
    acknowledge(role, [
      iam5ResourceId(this, archiveObjects),
      'Archive object keys are generated per message (tenant/date/device/channel/timestamp-uuid); the grant is s3:PutObject only, under telemetry/.',
    ]);

    const filesBucket = filesBucketName(this, config.stage);
    const actionFor: Record<RuleTarget, CfnTopicRule.ActionProperty> = {
      'ingest-queue': { sqs: { queueUrl: this.queue.queueUrl, roleArn: role.roleArn, useBase64: false } },
      'raw-archive': { s3: { bucketName: filesBucket, key: TELEMETRY_ARCHIVE_KEY, roleArn: role.roleArn } },
    };
    const rules = new Map<string, CfnTopicRule>();
    for (const rule of TELEMETRY_RULES) {
      const topicRule = new CfnTopicRule(this, `${pascal(rule.name)}Rule`, {
        ruleName: topicRuleName(config.stage, rule),
        topicRulePayload: {
          description: rule.description,
          sql: rule.sql,
          awsIotSqlVersion: RULE_SQL_VERSION,
          ruleDisabled: false,
          actions: rule.targets.map((target) => actionFor[target]),
          errorAction: { cloudwatchLogs: { logGroupName: ruleErrors.logGroupName, roleArn: role.roleArn } },
        },
      });
      topicRule.node.addDependency(role);
      rules.set(rule.name, topicRule);
      new CfnOutput(this, `${pascal(rule.name)}RuleName`, { value: topicRule.ref, description: `IoT rule for ${rule.topicFilter}` });
    }
    this.topicRules = rules;

    this.devicePolicy = new CfnPolicy(this, 'DevicePolicy', {
      policyName: devicePolicyName(config.stage),
      policyDocument: devicePolicyDocument({ partition: this.partition, region: this.region, account: this.account }),
    });

    this.live = new LivePush(this, 'LivePush', { config, data, identity: props.identity, logRetention: props.logRetention, handlersDir: props.handlersDir });

    if (existsSync(handlerEntry(INGEST_HANDLER, props.handlersDir))) {
      const ingest = new AppFunction(this, 'IngestFunction', {
        handlerFile: INGEST_HANDLER,
        handlersDir: props.handlersDir,
        description: 'CityOps telemetry ingest (SQS batch)',
        service: 'cityops-ingest',
        logLevel: config.logLevel,
        logRetention: props.logRetention,
        logsKey: data.logsKey,
        timeout: INGEST_TIMEOUT,
        environment: { TABLE_NAME: data.table.tableName, DEVICE_POLICY_NAME: this.devicePolicy.ref },
      });
      grantTableAccess(ingest, data, 'write');
      this.live.grantPublish(ingest);
      ingest.addEventSource(new SqsEventSource(this.queue, { ...INGEST_BATCH }));
      this.ingestFunction = ingest;
    }

    // Offline detection (no message for a rule's minutes) and silent buckets, every minute.
    if (existsSync(handlerEntry(SWEEP_HANDLER, props.handlersDir))) {
      const sweep = new AppFunction(this, 'MonitoringSweepFunction', {
        handlerFile: SWEEP_HANDLER,
        handlersDir: props.handlersDir,
        description: 'CityOps monitoring sweep: offline devices, silent buckets',
        service: 'cityops-monitoring-sweep',
        logLevel: config.logLevel,
        logRetention: props.logRetention,
        logsKey: data.logsKey,
        timeout: Duration.seconds(55),
        environment: { TABLE_NAME: data.table.tableName },
      });
      grantTableAccess(sweep, data, 'write');
      this.live.grantPublish(sweep);
      new Rule(this, 'MonitoringSweepSchedule', { schedule: Schedule.rate(Duration.minutes(1)), targets: [new LambdaFunction(sweep)] });
      this.sweepFunction = sweep;
    }

    // MON-5 patrol: tasks of each plan cycle appear at Beijing midnight (within one rate) and are marked overdue.
    if (existsSync(handlerEntry(PATROL_SCHEDULE_HANDLER, props.handlersDir))) {
      const patrol = new AppFunction(this, 'PatrolScheduleFunction', {
        handlerFile: PATROL_SCHEDULE_HANDLER,
        handlersDir: props.handlersDir,
        description: 'CityOps patrol schedule: patrol tasks per plan cycle, overdue marks',
        service: 'cityops-patrol-schedule',
        logLevel: config.logLevel,
        logRetention: props.logRetention,
        logsKey: data.logsKey,
        timeout: Duration.seconds(120),
        environment: { TABLE_NAME: data.table.tableName },
      });
      grantTableAccess(patrol, data, 'write');
      new Rule(this, 'PatrolScheduleRule', { schedule: Schedule.rate(PATROL_SCHEDULE_RATE), targets: [new LambdaFunction(patrol)] });
      this.patrolScheduleFunction = patrol;
    }

    new CfnOutput(this, 'DevicePolicyName', { value: this.devicePolicy.ref });
    new CfnOutput(this, 'TelemetryQueueUrl', { value: this.queue.queueUrl });
  }
}
