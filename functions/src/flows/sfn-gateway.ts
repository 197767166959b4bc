/** WorkflowGateway on AWS Step Functions (the local stack uses infra/local/flows instead). */
import { ExecutionAlreadyExists, SFNClient, SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { WorkflowGateway } from './gateway';

export function sfnGateway(client: SFNClient, stateMachineArns: Record<string, string>): WorkflowGateway {
  return {
    async startExecution(flow, name, input) {
      const arn = stateMachineArns[flow];
      if (!arn) throw new Error(`no state machine configured for flow ${flow}`);
      try {
        const r = await client.send(new StartExecutionCommand({ stateMachineArn: arn, name, input: JSON.stringify(input) }));
        return { executionArn: r.executionArn ?? '', started: true };
      } catch (err) {
        // Same name and same input is idempotent in Step Functions; a different input with the same name is a bug.
        if (err instanceof ExecutionAlreadyExists) {
          return { executionArn: `${arn.replace(':stateMachine:', ':execution:')}:${name}`, started: false };
        }
        throw err;
      }
    },
    async sendTaskSuccess(token, output) {
      await client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
    },
    async sendTaskFailure(token, error, cause) {
      await client.send(new SendTaskFailureCommand({ taskToken: token, error, cause }));
    },
  };
}
