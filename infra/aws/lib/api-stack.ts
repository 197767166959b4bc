/**
 * The HTTP API (API Gateway v2) in front of one Lambda running the Hono app, and the table's stream handler.
 *
 * Authorization: no API Gateway authorizer. The Lambda verifies every token itself (jose, JWKS) against two
 * issuers: the staff OIDC issuer and the platform's own citizen issuer (tokens minted after WeChat login). An
 * HTTP API JWT authorizer accepts a single issuer per route, and this API has one catch-all route serving
 * staff, citizens and public endpoints (health, WeChat login, the citizen JWKS) through the same app, so a
 * gateway authorizer would either reject citizens or have to be bypassed for half the routes. The app has the
 * same auth code locally and in AWS (one tested path), and it refuses requests without a verified tenant context.
 */
import { devicePolicyName } from './iot-policy';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { ApiMapping, CorsHttpMethod, DomainName, HttpApi, HttpStage, LogGroupLogDestination, PayloadFormatVersion } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { CityOpsConfig } from './config';
import { type DataStack, FILES_PREFIX, filesBucketName, filesObjectsArn, grantTableAccess } from './data-stack';
import type { FlowsStack } from './flows-stack';
import type { IdentityStack } from './identity-stack';
import { AppFunction } from './lambda';
import { acknowledge, iam5ResourceId } from './nag';

export interface ApiStackProps extends StackProps {
  readonly config: CityOpsConfig;
  readonly data: DataStack;
  readonly identity: IdentityStack;
  readonly flows: FlowsStack;
  readonly logRetention: RetentionDays;
  readonly handlersDir?: string;
}

/** HTTP API access log line (HTTP API $context variables). No tokens, no bodies, no query strings. */
export const ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  method: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  userAgent: '$context.identity.userAgent',
};

export class ApiStack extends Stack {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly apiFunction: AppFunction;
  readonly streamFunction: AppFunction;
  readonly streamDlq: Queue;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, data, identity, flows } = props;
    const staff = identity.staff;
    const machines = [...flows.stateMachines.entries()];

    const optional = (entries: Record<string, string | undefined>): Record<string, string> =>
      Object.fromEntries(Object.entries(entries).filter((e): e is [string, string] => e[1] !== undefined));

    this.apiFunction = new AppFunction(this, 'ApiFunction', {
      handlerFile: 'api',
      handlersDir: props.handlersDir,
      description: 'CityOps HTTP API (Hono)',
      service: 'cityops-api',
      logLevel: config.logLevel,
      logRetention: props.logRetention,
      logsKey: data.logsKey,
      memorySize: 1024,
      // Below the HTTP API's 30 s integration timeout, so the app (not the gateway) answers a slow request.
      timeout: Duration.seconds(28),
      environment: {
        TABLE_NAME: data.table.tableName,
        OIDC_ISSUER: staff.issuer,
        OIDC_AUDIENCE: staff.audience,
        CLAIM_TENANT: staff.claims.tenant,
        CLAIM_ROLES: staff.claims.roles,
        CLAIM_DEPARTMENT: staff.claims.department,
        CITIZEN_ISSUER: config.citizenIssuer,
        STATE_MACHINE_ARNS: this.toJsonString(Object.fromEntries(machines.map(([name, m]) => [name, m.stateMachineArn]))),
        FILES_BUCKET: filesBucketName(this, config.stage),
        FILES_PREFIX,
        // Secrets are referenced, never copied into the environment; the app reads them at cold start.
        WECHAT_SECRET_ARN: identity.weChatSecret.secretArn,
        CITIZEN_SIGNING_SECRET_ARN: identity.citizenSigningSecret.secretArn,
        ...optional({
          OIDC_JWKS_URI: staff.jwksUri,
          OIDC_CLIENT_ID: staff.clientId,
          OIDC_AUTHORIZE_URL: staff.authorizeUrl,
          OIDC_TOKEN_URL: staff.tokenUrl,
        }),
      },
    });
    const fn = this.apiFunction;
    grantTableAccess(fn, data, 'write');
    // Flows: start executions and complete human steps (task tokens) of exactly these machines.
    for (const [, machine] of machines) machine.grantStartExecution(fn);
    if (machines.length) {
      fn.addToRolePolicy(
        new PolicyStatement({ actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'], resources: machines.map(([, m]) => m.stateMachineArn) }),
      );
    }
    // Files: presigned PUT/GET under files/ only.
    const fileObjects = filesObjectsArn(this, config.stage, FILES_PREFIX);
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [fileObjects] }));
    acknowledge(fn.role!, [
      iam5ResourceId(this, fileObjects),
      'Presigned uploads/downloads of photos and documents: object keys are per file (files/<tenant>/<id>), so the grant is GetObject/PutObject under files/.',
    ]);
    fn.addToRolePolicy(new PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [data.dataKey.keyArn] }));
    // Device provisioning (MON-1): things, their certificates and the one device policy (functions/src/devices/iot-provisioner.ts).
    const iotArn = (resource: string) => `arn:${this.partition}:iot:${this.region}:${this.account}:${resource}`;
    fn.addEnvironment('DEVICE_POLICY_NAME', devicePolicyName(config.stage));
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['iot:CreateThing', 'iot:DescribeThing', 'iot:DeleteThing', 'iot:ListThingPrincipals', 'iot:AttachThingPrincipal', 'iot:DetachThingPrincipal'],
        resources: [iotArn('thing/*')],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['iot:UpdateCertificate', 'iot:DeleteCertificate', 'iot:AttachPolicy', 'iot:DetachPolicy', 'iot:AttachThingPrincipal', 'iot:DetachThingPrincipal'], resources: [iotArn('cert/*')] }),
    );
    fn.addToRolePolicy(new PolicyStatement({ actions: ['iot:AttachPolicy', 'iot:DetachPolicy'], resources: [iotArn(`policy/${devicePolicyName(config.stage)}`)] }));
    // CreateKeysAndCertificate and DescribeEndpoint have no resource type.
    fn.addToRolePolicy(new PolicyStatement({ actions: ['iot:CreateKeysAndCertificate', 'iot:DescribeEndpoint'], resources: ['*'] }));
    acknowledge(
      fn.role!,
      [iam5ResourceId(this, iotArn('thing/*')), 'Things are created per device at registration (names = device ids); the actions are the provisioning lifecycle only.'],
      [iam5ResourceId(this, iotArn('cert/*')), 'Certificates are created per device at registration; their ids are not known in advance.'],
      ['AwsSolutions-IAM5[Resource::*]', 'iot:CreateKeysAndCertificate and iot:DescribeEndpoint support no resource-level permissions.'],
    );
    identity.weChatSecret.grantRead(fn);
    identity.citizenSigningSecret.grantRead(fn);

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      encryptionKey: data.logsKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `cityops-${config.stage}`,
      description: 'CityOps HTTP API: one catch-all route to the Hono app',
      createDefaultStage: false,
      disableExecuteApiEndpoint: false,
      defaultIntegration: new HttpLambdaIntegration('App', fn, { payloadFormatVersion: PayloadFormatVersion.VERSION_2_0 }),
      corsPreflight: config.corsOrigins.length
        ? {
            allowOrigins: config.corsOrigins,
            allowMethods: [CorsHttpMethod.ANY],
            allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-request-id'],
            maxAge: Duration.hours(1),
          }
        : undefined,
    });
    acknowledge(this.api, [
      'AwsSolutions-APIG4',
      'Tokens are verified in the Lambda against the JWKS of two issuers (staff OIDC and the platform citizen issuer); a JWT authorizer binds one ' +
        'issuer per route and the single catch-all route also serves public endpoints (health, WeChat login, citizen JWKS).',
    ]);
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: config.apiThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FORMAT)),
      },
    });

    if (config.api.domainName && config.api.certificateArn) {
      const domain = new DomainName(this, 'ApiDomain', {
        domainName: config.api.domainName,
        certificate: Certificate.fromCertificateArn(this, 'ApiCertificate', config.api.certificateArn),
      });
      new ApiMapping(this, 'ApiMapping', { api: this.api, domainName: domain, stage: this.stage });
      new CfnOutput(this, 'ApiDomainTarget', { value: domain.regionalDomainName, description: 'CNAME target for the API domain' });
    }
    new CfnOutput(this, 'ApiUrl', { value: this.stage.url });

    // DynamoDB stream -> rollups for the province (partial batch failures; poison batches bisected, then parked).
    this.streamDlq = new Queue(this, 'StreamDlq', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.streamDlq, ['AwsSolutions-SQS3', 'This queue is the on-failure destination (DLQ) of the table stream event source.']);
    this.streamFunction = new AppFunction(this, 'StreamFunction', {
      handlerFile: 'stream',
      handlersDir: props.handlersDir,
      description: 'CityOps table stream handler (province rollups, case-flow starts)',
      service: 'cityops-stream',
      logLevel: config.logLevel,
      logRetention: props.logRetention,
      logsKey: data.logsKey,
      timeout: Duration.seconds(60),
      environment: {
        TABLE_NAME: data.table.tableName,
        STATE_MACHINE_ARNS: this.toJsonString(Object.fromEntries(machines.map(([name, m]) => [name, m.stateMachineArn]))),
      },
    });
    grantTableAccess(this.streamFunction, data, 'write');
    // A new case's flow is started from the stream (functions/src/cases/flow-start.ts).
    for (const [, machine] of machines) machine.grantStartExecution(this.streamFunction);
    this.streamFunction.addEventSource(
      new DynamoEventSource(data.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(2),
        bisectBatchOnError: true,
        retryAttempts: 10,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.streamDlq),
      }),
    );
    acknowledge(this.streamFunction.role!, [
      'AwsSolutions-IAM5[Resource::*]',
      'dynamodb:ListStreams (added by the DynamoDB event source) and X-Ray PutTraceSegments do not support resource-level permissions; ' +
        'stream reads themselves are scoped to the table stream ARN.',
    ]);
  }
}
