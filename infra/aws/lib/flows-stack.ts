/**
 * One Standard state machine per ASL file in functions/flows (loaded generically: a new file becomes a new
 * machine), logging ALL events to a KMS-encrypted log group, X-Ray tracing on. The task Lambdas referenced as
 * `${XFunctionArn}` are created once each and shared between machines.
 *
 * Why DefinitionBody.fromString(file text) and not DefinitionBody.fromFile: fromFile uploads the file unchanged
 * as an S3 asset, so its `arn:aws:states:::lambda:invoke.waitForTaskToken` literal would reach aws-cn, and the
 * definition would not be visible in the template (nor in `cdk diff`). The text is the file's, rewritten only
 * for the partition; the `${...}` placeholders stay and are resolved by CloudFormation through
 * DefinitionSubstitutions, exactly as with fromFile.
 */
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { flowHandlerFile, listFlowFiles, loadFlowFile, PARTITION_PLACEHOLDER, pascalCase } from './asl';
import type { CityOpsConfig } from './config';
import { type DataStack, grantTableAccess } from './data-stack';
import { AppFunction } from './lambda';
import { acknowledge } from './nag';
import { FLOWS_DIR } from './paths';

export interface FlowsStackProps extends StackProps {
  readonly config: CityOpsConfig;
  readonly data: DataStack;
  readonly logRetention: RetentionDays;
  readonly flowsDir?: string;
  readonly handlersDir?: string;
}

/** Table access of each flow task (least privilege); tasks not listed get read/write. */
export const FLOW_FUNCTION_ACCESS: Record<string, 'read' | 'write'> = {
  PlanStep: 'read', // reads the tenant's manifest and calendar
  OpenTask: 'write', // stores the task token beside a work item
  Escalate: 'write', // counts the escalation on the item
};

export class FlowsStack extends Stack {
  /** Flow name (ASL file name) -> state machine. */
  readonly stateMachines = new Map<string, StateMachine>();
  /** Function name (the X of XFunctionArn) -> function. */
  readonly functions = new Map<string, AppFunction>();

  constructor(scope: Construct, id: string, props: FlowsStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    const files = listFlowFiles(props.flowsDir ?? FLOWS_DIR).map(loadFlowFile);
    if (files.length === 0) throw new Error(`no *.asl.json flow files in ${props.flowsDir ?? FLOWS_DIR}`);

    const fn = (name: string): IFunction => {
      let f = this.functions.get(name);
      if (!f) {
        f = new AppFunction(this, `${name}Function`, {
          handlerFile: flowHandlerFile(name),
          handlersDir: props.handlersDir,
          description: `CityOps flow task ${name}`,
          service: `cityops-flow-${flowHandlerFile(name).slice('flow-'.length)}`,
          logLevel: config.logLevel,
          logRetention: props.logRetention,
          logsKey: data.logsKey,
          timeout: Duration.seconds(30),
          environment: { TABLE_NAME: data.table.tableName },
        });
        grantTableAccess(f, data, FLOW_FUNCTION_ACCESS[name] ?? 'write');
        this.functions.set(name, f);
      }
      return f;
    };

    for (const flow of files) {
      const id = pascalCase(flow.name);
      const functions = flow.functions.map((name) => [name, fn(name)] as const);
      const substitutions: Record<string, string> = { [PARTITION_PLACEHOLDER]: this.partition };
      for (const [name, f] of functions) substitutions[`${name}FunctionArn`] = f.functionArn;

      const logGroup = new LogGroup(this, `${id}FlowLogs`, {
        // /aws/vendedlogs/ keeps CloudWatch Logs resource policies small for vended (Step Functions) logs.
        logGroupName: `/aws/vendedlogs/states/cityops-${config.stage}-${flow.name}`,
        retention: props.logRetention,
        encryptionKey: data.logsKey,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      const machine = new StateMachine(this, `${id}Flow`, {
        stateMachineName: `cityops-${config.stage}-${flow.name}`,
        stateMachineType: StateMachineType.STANDARD,
        definitionBody: DefinitionBody.fromString(flow.definition),
        definitionSubstitutions: substitutions,
        // Execution data (inputs/outputs) stays out of the logs: items can carry personal data (PIPL).
        logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
        tracingEnabled: true,
        comment: `CityOps flow ${flow.name} (functions/flows/${flow.name}.asl.json)`,
      });
      // Invoke exactly the functions this definition names (both plain Lambda ARNs and lambda:invoke tasks).
      machine.addToRolePolicy(
        new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: functions.map(([, f]) => f.functionArn) }),
      );
      acknowledge(machine, [
        'AwsSolutions-IAM5[Resource::*]',
        'Set by CDK for logging and tracing: CloudWatch Logs vended-delivery actions (logs:CreateLogDelivery etc.) and X-Ray PutTraceSegments ' +
          'do not support resource-level permissions.',
      ]);
      this.stateMachines.set(flow.name, machine);
    }
  }
}
