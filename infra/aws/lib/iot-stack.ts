/**
 * Device telemetry in AWS IoT Core: a thing policy pinning each device to its own topic prefix, and one topic
 * rule that sends every telemetry message to an encrypted SQS queue (with a DLQ) for the ingest handler and
 * archives the raw message to the files bucket under telemetry/<tenant>/<date>/. Rule failures go to an
 * encrypted log group (errorAction).
 */
import { existsSync } from 'node:fs';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnPolicy, CfnTopicRule } from 'aws-cdk-lib/aws-iot';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { CityOpsConfig } from './config';
import { type DataStack, filesBucketName, filesObjectsArn, grantTableAccess, TELEMETRY_PREFIX } from './data-stack';
import { devicePolicyDocument, TELEMETRY_ARCHIVE_KEY, telemetryRuleSql } from './iot-policy';
import { AppFunction, handlerEntry } from './lambda';
import { acknowledge, iam5ResourceId } from './nag';

export interface IotStackProps extends StackProps {
  readonly config: CityOpsConfig;
  readonly data: DataStack;
  readonly logRetention: RetentionDays;
  readonly handlersDir?: string;
}

/** Handler file of the queue consumer; wired only when it exists (it is not written yet). */
export const INGEST_HANDLER = 'ingest';

export class IotStack extends Stack {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly topicRule: CfnTopicRule;
  readonly devicePolicy: CfnPolicy;
  readonly ingestFunction?: AppFunction;

  constructor(scope: Construct, id: string, props: IotStackProps) {
    super(scope, id, props);
    const { config, data } = props;

    this.deadLetterQueue = new Queue(this, 'TelemetryDlq', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    // cdk-nag SQS3 recognises this as TelemetryQueue's DLQ (same stack); no acknowledgement needed.

    const ingestTimeout = Duration.seconds(60);
    this.queue = new Queue(this, 'TelemetryQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(4),
      // Six times the consumer's timeout, as Lambda's SQS event source recommends.
      visibilityTimeout: Duration.seconds(ingestTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
    });

    const ruleErrors = new LogGroup(this, 'TelemetryRuleErrors', {
      retention: props.logRetention,
      encryptionKey: data.logsKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const role = new Role(this, 'TelemetryRuleRole', {
      assumedBy: new ServicePrincipal('iot.amazonaws.com'),
      description: 'CityOps telemetry topic rule: queue, raw archive, error log',
    });
    role.addToPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }));
    const archiveObjects = filesObjectsArn(this, config.stage, TELEMETRY_PREFIX);
    role.addToPolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [archiveObjects] }));
    role.addToPolicy(new PolicyStatement({ actions: ['kms:GenerateDataKey'], resources: [data.dataKey.keyArn] }));
    ruleErrors.grantWrite(role);
    acknowledge(role, [
      iam5ResourceId(this, archiveObjects),
      'Archive object keys are generated per message (tenant/date/device/timestamp-uuid); the grant is s3:PutObject only, under telemetry/.',
    ]);

    this.topicRule = new CfnTopicRule(this, 'TelemetryRule', {
      ruleName: `cityops_${config.stage.replace(/-/g, '_')}_telemetry`,
      topicRulePayload: {
        description: 'Device telemetry -> ingest queue + raw archive in S3',
        sql: telemetryRuleSql(),
        awsIotSqlVersion: '2016-03-23',
        ruleDisabled: false,
        actions: [
          { sqs: { queueUrl: this.queue.queueUrl, roleArn: role.roleArn, useBase64: false } },
          { s3: { bucketName: filesBucketName(this, config.stage), key: TELEMETRY_ARCHIVE_KEY, roleArn: role.roleArn } },
        ],
        errorAction: { cloudwatchLogs: { logGroupName: ruleErrors.logGroupName, roleArn: role.roleArn } },
      },
    });
    this.topicRule.node.addDependency(role);

    this.devicePolicy = new CfnPolicy(this, 'DevicePolicy', {
      policyName: `cityops-${config.stage}-device`,
      policyDocument: devicePolicyDocument({ partition: this.partition, region: this.region, account: this.account }),
    });

    if (existsSync(handlerEntry(INGEST_HANDLER, props.handlersDir))) {
      const ingest = new AppFunction(this, 'IngestFunction', {
        handlerFile: INGEST_HANDLER,
        handlersDir: props.handlersDir,
        description: 'CityOps telemetry ingest (SQS batch)',
        service: 'cityops-ingest',
        logLevel: config.logLevel,
        logRetention: props.logRetention,
        logsKey: data.logsKey,
        timeout: ingestTimeout,
        environment: { TABLE_NAME: data.table.tableName },
      });
      grantTableAccess(ingest, data, 'write');
      ingest.addEventSource(new SqsEventSource(this.queue, { batchSize: 25, maxBatchingWindow: Duration.seconds(5), reportBatchItemFailures: true }));
      this.ingestFunction = ingest;
    }

    new CfnOutput(this, 'DevicePolicyName', { value: this.devicePolicy.ref });
    new CfnOutput(this, 'TelemetryQueueUrl', { value: this.queue.queueUrl });
  }
}
