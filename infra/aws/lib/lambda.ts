/**
 * The one way this app builds a Lambda function: NodejsFunction from a handler file in functions/src/handlers,
 * bundled locally by esbuild (no Docker) as ESM for Node 22 on arm64, AWS SDK v3 left to the runtime,
 * Powertools structured logging, X-Ray active tracing, an explicit log group with retention.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { acknowledge, RUNTIME_ACK } from './nag';
import { REPO_ROOT } from './paths';

/**
 * nodejs22.x: Node 22 is the active LTS the handlers are written and tested for (the dev machines run Node 20,
 * whose Lambda runtime is deprecated in 2026, and AWS SDK v3 requires Node >= 22 from 2027). Not nodejs24.x yet.
 */
export const LAMBDA_RUNTIME = Runtime.NODEJS_22_X;
export const ESBUILD_TARGET = 'node22';

/** ESM bundles have no `require`; some CommonJS dependencies still call it, so give them one. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __cityopsCreateRequire } from 'node:module'; const require = __cityopsCreateRequire(import.meta.url);";

export interface AppFunctionProps {
  /** Handler file name under functions/src/handlers, without .ts (e.g. 'api', 'flow-plan-step'). */
  readonly handlerFile: string;
  readonly description: string;
  /** POWERTOOLS_SERVICE_NAME. */
  readonly service: string;
  readonly logLevel: string;
  readonly logRetention: RetentionDays;
  /** KMS key for the function's log group. */
  readonly logsKey: IKey;
  readonly environment?: Record<string, string>;
  readonly memorySize?: number;
  readonly timeout?: Duration;
  /** Folder holding the handler files; default functions/src/handlers. */
  readonly handlersDir?: string;
}

export function handlerEntry(handlerFile: string, handlersDir = join(REPO_ROOT, 'functions', 'src', 'handlers')): string {
  return join(handlersDir, `${handlerFile}.ts`);
}

export class AppFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    const entry = handlerEntry(props.handlerFile, props.handlersDir);
    if (!existsSync(entry)) {
      throw new Error(`Lambda ${id}: handler file ${entry} does not exist (functions/src/handlers/${props.handlerFile}.ts must export handler)`);
    }
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      encryptionKey: props.logsKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Own role instead of the AWSLambdaBasicExecutionRole managed policy: logs only to this function's group.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `CityOps ${id} Lambda`,
    });
    logGroup.grantWrite(role);
    super(scope, id, {
      role,
      entry,
      handler: 'handler',
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: Tracing.ACTIVE,
      logGroup,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        CITYOPS_RUNTIME: 'aws',
        POWERTOOLS_SERVICE_NAME: props.service,
        POWERTOOLS_LOG_LEVEL: props.logLevel,
        LOG_LEVEL: props.logLevel,
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: ESBUILD_TARGET,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        externalModules: ['@aws-sdk/*'],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        tsconfig: join(REPO_ROOT, 'tsconfig.json'),
      },
    });
    acknowledge(this, RUNTIME_ACK);
    acknowledge(role, [
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray active tracing: xray:PutTraceSegments/PutTelemetryRecords do not support resource-level permissions, so CDK grants them on "*".',
    ]);
  }
}
