/**
 * Alarms and one dashboard over the other stacks: Lambda errors and throttles, API 5xx, state machine
 * failures / timeouts, DLQ depth, DynamoDB throttles. Alarms notify an encrypted SNS topic (optionally an
 * e-mail subscription: -c alarmEmail=ops@example.com).
 */
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  type Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { CityOpsConfig } from './config';

export interface ObservabilityStackProps extends StackProps {
  readonly config: CityOpsConfig;
  /** Logical name -> function. */
  readonly functions: Record<string, IFunction>;
  readonly api: IHttpApi;
  readonly stateMachines: Record<string, IStateMachine>;
  /** Logical name -> dead-letter queue. */
  readonly deadLetterQueues: Record<string, IQueue>;
  readonly table: ITable;
}

const PERIOD = Duration.minutes(5);

export class ObservabilityStack extends Stack {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, props);
    const { config } = props;

    const key = new Key(this, 'AlarmTopicKey', {
      alias: `alias/cityops-${config.stage}-alarms`,
      description: 'CityOps alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch alarms publish to the encrypted topic.
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    this.topic = new Topic(this, 'AlarmTopic', { displayName: `CityOps ${config.stage} alarms`, masterKey: key, enforceSSL: true });
    if (config.alarmEmail) this.topic.addSubscription(new EmailSubscription(config.alarmEmail));
    const action = new SnsAction(this.topic);

    const alarm = (id: string, metric: Metric | IMetric, threshold: number, description: string): Alarm => {
      const a = new Alarm(this, id, {
        alarmName: `cityops-${config.stage}-${id}`,
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(action);
      a.addOkAction(action);
      this.alarms.push(a);
      return a;
    };

    const widgets: GraphWidget[] = [];
    for (const [name, fn] of Object.entries(props.functions)) {
      const errors = fn.metricErrors({ period: PERIOD, statistic: 'Sum' });
      const throttles = fn.metricThrottles({ period: PERIOD, statistic: 'Sum' });
      alarm(`${name}-errors`, errors, 1, `Lambda ${name} reported errors`);
      alarm(`${name}-throttles`, throttles, 1, `Lambda ${name} was throttled`);
      widgets.push(
        new GraphWidget({
          title: `Lambda ${name}`,
          left: [fn.metricInvocations({ period: PERIOD, statistic: 'Sum' }), errors, throttles],
          right: [fn.metricDuration({ period: PERIOD, statistic: 'p95' })],
          width: 8,
        }),
      );
    }

    const api5xx = props.api.metricServerError({ period: PERIOD, statistic: 'Sum' });
    alarm('api-5xx', api5xx, 5, 'HTTP API returned 5xx responses');
    widgets.unshift(
      new GraphWidget({
        title: 'HTTP API',
        left: [props.api.metricCount({ period: PERIOD, statistic: 'Sum' }), props.api.metricClientError({ period: PERIOD, statistic: 'Sum' }), api5xx],
        right: [props.api.metricLatency({ period: PERIOD, statistic: 'p95' })],
        width: 12,
      }),
    );

    for (const [name, machine] of Object.entries(props.stateMachines)) {
      const failed = machine.metricFailed({ period: PERIOD, statistic: 'Sum' });
      const timedOut = machine.metricTimedOut({ period: PERIOD, statistic: 'Sum' });
      alarm(`flow-${name}-failed`, failed, 1, `State machine ${name}: executions failed`);
      alarm(`flow-${name}-timed-out`, timedOut, 1, `State machine ${name}: executions timed out`);
      widgets.push(
        new GraphWidget({
          title: `Flow ${name}`,
          left: [machine.metricStarted({ period: PERIOD, statistic: 'Sum' }), machine.metricSucceeded({ period: PERIOD, statistic: 'Sum' }), failed, timedOut],
          width: 8,
        }),
      );
    }

    const dlqMetrics: Metric[] = [];
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      const depth = queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' });
      alarm(`${name}-dlq-depth`, depth, 1, `Dead-letter queue ${name} holds messages`);
      dlqMetrics.push(depth);
    }
    if (dlqMetrics.length) widgets.push(new GraphWidget({ title: 'Dead-letter queues', left: dlqMetrics, width: 8 }));

    const readThrottles = props.table.metric('ReadThrottleEvents', { period: PERIOD, statistic: 'Sum' });
    const writeThrottles = props.table.metric('WriteThrottleEvents', { period: PERIOD, statistic: 'Sum' });
    alarm('table-read-throttles', readThrottles, 1, 'DynamoDB table read throttling');
    alarm('table-write-throttles', writeThrottles, 1, 'DynamoDB table write throttling');
    widgets.push(
      new GraphWidget({
        title: 'DynamoDB table',
        left: [
          props.table.metricConsumedReadCapacityUnits({ period: PERIOD, statistic: 'Sum' }),
          props.table.metricConsumedWriteCapacityUnits({ period: PERIOD, statistic: 'Sum' }),
        ],
        right: [readThrottles, writeThrottles],
        width: 12,
      }),
    );

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `cityops-${config.stage}` });
    this.dashboard.addWidgets(new TextWidget({ markdown: `# CityOps ${config.stage} (${config.partition} ${config.region})`, width: 24, height: 1 }));
    this.dashboard.addWidgets(...widgets);
  }
}
