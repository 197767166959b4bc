/**
 * buildApp: the one place the CDK app is assembled, shared by bin/app.ts (the CLI) and the tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Tags, Validations } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ApiStack } from './api-stack';
import { type CityOpsConfig, type Partition, readConfig } from './config';
import { DataStack } from './data-stack';
import { FlowsStack } from './flows-stack';
import { IdentityStack } from './identity-stack';
import { IotStack } from './iot-stack';
import { ObservabilityStack } from './observability-stack';
import { REPO_ROOT } from './paths';
import { WebStack } from './web-stack';

export interface BuildAppOptions {
  /** Shortcut for context `partition`. */
  readonly partition?: Partition;
  /** Context values (override cdk.json's). */
  readonly context?: Record<string, unknown>;
  readonly outdir?: string;
  /** Skip esbuild bundling (tests): context aws:cdk:bundling-stacks = []. */
  readonly skipBundling?: boolean;
  /** aws-cdk-lib's built-in CloudFormation validation (~3 s per stack). Default: context cfnValidation, else false. */
  readonly cfnValidation?: boolean;
  /** Register cdk-nag AwsSolutionsChecks as a validation plugin (synth fails on unacknowledged findings). */
  readonly nag?: boolean;
  readonly handlersDir?: string;
  readonly flowsDir?: string;
  readonly webDistDir?: string;
}

export interface CityOpsApp {
  readonly app: App;
  readonly config: CityOpsConfig;
  readonly data: DataStack;
  readonly identity: IdentityStack;
  readonly flows: FlowsStack;
  readonly api: ApiStack;
  readonly iot: IotStack;
  readonly web: WebStack;
  readonly observability: ObservabilityStack;
}

/** cdk.json's context (feature flags and defaults), so tests synthesize with the same flags as the CLI. */
export function cdkJsonContext(): Record<string, unknown> {
  const json = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return json.context ?? {};
}

function retention(days: number): RetentionDays {
  const valid = Object.values(RetentionDays).filter((v): v is number => typeof v === 'number');
  if (!valid.includes(days)) throw new Error(`context logRetentionDays must be one of ${valid.join(', ')}, got ${days}`);
  return days as RetentionDays;
}

export function buildApp(options: BuildAppOptions = {}): CityOpsApp {
  const context: Record<string, unknown> = { ...cdkJsonContext(), ...options.context };
  if (options.partition) context.partition = options.partition;
  if (options.skipBundling) context['aws:cdk:bundling-stacks'] = [];
  // The CLI's -c values reach the app through the environment, only visible once an App exists; read them with a
  // throwaway App (autoSynth off) because the validation switch is a constructor prop of the real one.
  const cfnValidation =
    options.cfnValidation ?? ['true', true].includes(new App({ context, autoSynth: false }).node.tryGetContext('cfnValidation') as string | boolean);

  const app = new App({ context, outdir: options.outdir, builtinCloudFormationValidation: cfnValidation });
  const config = readConfig(app.node);
  const env = { account: config.account, region: config.region };
  const prefix = `CityOps-${config.stage}`;
  const logRetention = retention(config.logRetentionDays);
  const common = { env, config, terminationProtection: config.stage === 'prod' };

  const data = new DataStack(app, `${prefix}-Data`, { ...common, description: 'CityOps data: table, files bucket, keys' });
  const identity = new IdentityStack(app, `${prefix}-Identity`, { ...common, description: 'CityOps identity: staff OIDC, login secrets' });
  const flows = new FlowsStack(app, `${prefix}-Flows`, {
    ...common,
    description: 'CityOps flows: Step Functions from functions/flows/*.asl.json',
    data,
    logRetention,
    flowsDir: options.flowsDir,
    handlersDir: options.handlersDir,
  });
  const api = new ApiStack(app, `${prefix}-Api`, {
    ...common,
    description: 'CityOps HTTP API and stream handler',
    data,
    identity,
    flows,
    logRetention,
    handlersDir: options.handlersDir,
  });
  const iot = new IotStack(app, `${prefix}-Iot`, {
    ...common,
    description: 'CityOps IoT: device policy, telemetry rule, queue, live push to the screens',
    data,
    identity,
    logRetention,
    handlersDir: options.handlersDir,
  });
  const web = new WebStack(app, `${prefix}-Web`, { ...common, description: 'CityOps web: S3 + CloudFront', webDistDir: options.webDistDir });

  // The API (alarm actions, the live channel) and the stream handler (alarms that got a case) publish live changes too.
  iot.live.grantPublish(api.apiFunction, { channel: true });
  iot.live.grantPublish(api.streamFunction);

  const functions: Record<string, import('aws-cdk-lib/aws-lambda').IFunction> = { api: api.apiFunction, stream: api.streamFunction };
  for (const [name, fn] of flows.functions) functions[`flow-${name}`] = fn;
  if (iot.ingestFunction) functions.ingest = iot.ingestFunction;
  if (iot.sweepFunction) functions['monitoring-sweep'] = iot.sweepFunction;
  if (iot.live.authorizerFunction) functions['live-authorizer'] = iot.live.authorizerFunction;
  if (iot.patrolScheduleFunction) functions['patrol-schedule'] = iot.patrolScheduleFunction;
  const observability = new ObservabilityStack(app, `${prefix}-Observability`, {
    ...common,
    description: 'CityOps alarms and dashboard',
    functions,
    api: api.api,
    stateMachines: Object.fromEntries(flows.stateMachines),
    deadLetterQueues: { telemetry: iot.deadLetterQueue, stream: api.streamDlq },
    table: data.table,
  });

  Tags.of(app).add('project', 'cityops');
  Tags.of(app).add('stage', config.stage);

  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, config, data, identity, flows, api, iot, web, observability };
}
