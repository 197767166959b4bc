import type { TxItem } from '../data/store';

/**
 * WorkflowGateway: how domain code starts flows and completes human steps. Step Functions in AWS
 * (./sfn-gateway.ts), the local runner in the embedded stack (infra/local/flows). Errors named
 * TaskDoesNotExist / TaskTimedOut mean the step is no longer waiting.
 */
export interface WorkflowGateway {
  startExecution(flow: string, name: string, input: Record<string, unknown>): Promise<{ executionArn: string; started: boolean }>;
  sendTaskSuccess(token: string, output: Record<string, unknown>): Promise<void>;
  /**
   * sendTaskSuccess and `writes` in one transaction, where the gateway keeps its tokens in the platform's table
   * (the local runner; Step Functions cannot). Throws a task-gone error with nothing written when the step no
   * longer waits, and the transaction's own error when a condition of `writes` fails.
   */
  sendTaskSuccessWith?(token: string, output: Record<string, unknown>, writes: TxItem[]): Promise<void>;
  sendTaskFailure(token: string, error: string, cause: string): Promise<void>;
}

export const isTaskGone = (err: unknown): boolean => {
  const name = (err as { name?: string } | null)?.name ?? '';
  return name === 'TaskDoesNotExist' || name === 'TaskTimedOut' || name === 'InvalidToken';
};
