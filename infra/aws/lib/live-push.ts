/**
 * The monitoring screens' live push in AWS (ADR 009), part of the IoT stack:
 * - the IoT data endpoint (DescribeEndpoint iot:Data-ATS, looked up once at deploy by a custom resource) handed
 *   to every function that publishes, as IOT_DATA_ENDPOINT;
 * - `grantPublish`: iot:Publish on cityops/live/* only (the topic grammar of contracts/src/mqtt.ts), nothing else;
 * - the IoT Core custom authorizer the screens connect through over MQTT/WSS, backed by
 *   functions/src/handlers/live-authorizer.ts (the staff issuer's settings, as the API has them), which Lambda
 *   lets IoT Core invoke for this authorizer only.
 *
 * Signing is disabled on the authorizer: the credential is the staff OIDC token, already signed by the issuer
 * and verified in the Lambda; token signing would need a private key in every browser. The cost is that anyone
 * can make IoT Core invoke the Lambda by connecting with a made-up token (ADR 009 says how that is bounded).
 */
import { existsSync } from 'node:fs';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnAuthorizer } from 'aws-cdk-lib/aws-iot';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { LIVE_TOPIC_ROOT } from '../../../contracts/src/mqtt';
import type { CityOpsConfig } from './config';
import type { DataStack } from './data-stack';
import type { IdentityStack } from './identity-stack';
import { AppFunction, handlerEntry } from './lambda';
import { acknowledge, iam5ResourceId } from './nag';

/** Handler of the custom authorizer (functions/src/handlers/live-authorizer.ts). */
export const LIVE_AUTHORIZER_HANDLER = 'live-authorizer';
/** The authorizer's name per stage: screens name it when they connect; the API hands it out (IOT_LIVE_AUTHORIZER). */
export const liveAuthorizerName = (stage: string): string => `cityops-${stage}-live`;
/** The topics platform functions may publish to, as an IoT resource suffix. */
export const LIVE_PUBLISH_TOPICS = `${LIVE_TOPIC_ROOT}/*`;
/** IoT Core gives a custom authorizer at most 5 s. */
export const LIVE_AUTHORIZER_TIMEOUT = Duration.seconds(5);

export interface LivePushProps {
  readonly config: CityOpsConfig;
  readonly data: DataStack;
  readonly identity: IdentityStack;
  readonly logRetention: RetentionDays;
  readonly handlersDir?: string;
}

export class LivePush extends Construct {
  /** The account's ATS data endpoint (host name), resolved at deploy. */
  readonly dataEndpoint: string;
  readonly authorizerName: string;
  readonly authorizer?: CfnAuthorizer;
  readonly authorizerFunction?: AppFunction;

  constructor(scope: Construct, id: string, props: LivePushProps) {
    super(scope, id);
    const { config, data, identity } = props;
    const stack = Stack.of(this);

    // The lookup's Lambda is aws-cdk-lib's; it gets our own role (no managed policy) and an encrypted log group.
    const lookupLogs = new LogGroup(this, 'IotDataEndpointLogs', { retention: props.logRetention, encryptionKey: data.logsKey, removalPolicy: RemovalPolicy.RETAIN });
    const lookupRole = new Role(this, 'IotDataEndpointRole', { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: 'CityOps IoT data endpoint lookup (deploy time)' });
    lookupLogs.grantWrite(lookupRole);
    const lookup = new AwsCustomResource(this, 'IotDataEndpoint', {
      role: lookupRole,
      logGroup: lookupLogs,
      onUpdate: {
        service: 'IoT',
        action: 'describeEndpoint',
        parameters: { endpointType: 'iot:Data-ATS' },
        physicalResourceId: PhysicalResourceId.of(`iot-data-ats-${config.stage}`),
        outputPaths: ['endpointAddress'],
      },
      policy: AwsCustomResourcePolicy.fromSdkCalls({ resources: AwsCustomResourcePolicy.ANY_RESOURCE }),
      // aws-cn deploys cannot fetch packages from npm at run time: use the SDK of the Lambda runtime.
      installLatestAwsSdk: false,
    });
    this.dataEndpoint = lookup.getResponseField('endpointAddress');
    acknowledge(lookup, ['AwsSolutions-IAM5[Resource::*]', 'iot:DescribeEndpoint (deploy-time lookup of the data endpoint) supports no resource-level permissions.']);

    this.authorizerName = liveAuthorizerName(config.stage);
    if (!existsSync(handlerEntry(LIVE_AUTHORIZER_HANDLER, props.handlersDir))) return;

    const staff = identity.staff;
    const fn = new AppFunction(this, 'AuthorizerFunction', {
      handlerFile: LIVE_AUTHORIZER_HANDLER,
      handlersDir: props.handlersDir,
      description: 'CityOps IoT Core custom authorizer: screens over MQTT/WSS (live push)',
      service: 'cityops-live-authorizer',
      logLevel: config.logLevel,
      logRetention: props.logRetention,
      logsKey: data.logsKey,
      memorySize: 256,
      timeout: LIVE_AUTHORIZER_TIMEOUT,
      environment: {
        OIDC_ISSUER: staff.issuer,
        OIDC_AUDIENCE: staff.audience,
        CLAIM_TENANT: staff.claims.tenant,
        CLAIM_ROLES: staff.claims.roles,
        CLAIM_DEPARTMENT: staff.claims.department,
        ...(staff.jwksUri ? { OIDC_JWKS_URI: staff.jwksUri } : {}),
      },
    });
    this.authorizerFunction = fn;

    this.authorizer = new CfnAuthorizer(this, 'Authorizer', {
      authorizerName: this.authorizerName,
      authorizerFunctionArn: fn.functionArn,
      signingDisabled: true,
      status: 'ACTIVE',
      enableCachingForHttp: false,
    });
    fn.addPermission('InvokeByIotAuthorizer', {
      principal: new ServicePrincipal('iot.amazonaws.com'),
      sourceArn: this.authorizer.attrArn,
      sourceAccount: stack.account,
    });
  }

  /**
   * Let a function publish live changes: IOT_DATA_ENDPOINT in its environment and iot:Publish on cityops/live/*
   * only. `channel` also tells it the authorizer's name (the API, which answers GET /v1/monitoring/live-channel).
   */
  grantPublish(fn: AppFunction, opts: { channel?: boolean } = {}): void {
    const stack = Stack.of(fn);
    const topics = `arn:${stack.partition}:iot:${stack.region}:${stack.account}:topic/${LIVE_PUBLISH_TOPICS}`;
    fn.addEnvironment('IOT_DATA_ENDPOINT', this.dataEndpoint);
    if (opts.channel) fn.addEnvironment('IOT_LIVE_AUTHORIZER', this.authorizerName);
    fn.addToRolePolicy(new PolicyStatement({ actions: ['iot:Publish'], resources: [topics] }));
    acknowledge(fn.role!, [iam5ResourceId(fn, topics), 'Live push to the screens: one topic per tenant and kind (cityops/live/<tenant>/<kind>); publish only, under cityops/live/.']);
  }
}
