/**
 * The port domain code uses to start flows and complete their human steps: Step Functions in AWS, the local
 * runner (./runner.ts) in the embedded stack. Errors named `TaskDoesNotExist` / `TaskTimedOut` (as the AWS
 * SDK names its exceptions) mean the step is no longer waiting for that token.
 */
export interface WorkflowGateway {
  startExecution(flow: string, name: string, input: object): Promise<{ executionArn: string; started: boolean }>;
  sendTaskSuccess(token: string, output: object): Promise<void>;
  sendTaskFailure(token: string, error: string, cause: string): Promise<void>;
}
