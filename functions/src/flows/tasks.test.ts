/**
 * Claiming a human task (functions/src/flows/tasks.ts) against DynamoDB Local, with a gateway that records what
 * the flow would receive: a task assigned to named people (就近派单) is theirs alone; anyone else is refused and
 * nothing is written or sent.
 */
import { describe, expect, it } from 'vitest';
import { testTable } from '../../../test/support/dynamo';
import { keys } from '../data/keys';
import { Store } from '../data/store';
import { withTenant } from '../tenancy/context';
import type { WorkflowGateway } from './gateway';
import { completeTask, openTask, TaskItem } from './tasks';

const T = '430100';
const as = <R>(subject: string, fn: () => Promise<R>) =>
  withTenant({ principal: { subject, tenant: T, roles: ['inspector'], kind: 'staff' }, requestId: `test-${subject}` }, fn);

function recordingGateway(): WorkflowGateway & { sent: { token: string; output: Record<string, unknown> }[] } {
  const sent: { token: string; output: Record<string, unknown> }[] = [];
  return {
    sent,
    startExecution: async () => ({ executionArn: 'arn', started: true }),
    sendTaskSuccess: async (token, output) => void sent.push({ token, output }),
    sendTaskFailure: async () => {},
  };
}

describe('MUN-3 a task assigned to the nearest inspector', () => {
  it('is completed by its assignee alone; another inspector is refused and nothing is claimed or sent', async () => {
    // Prepare: an open 核实 task assigned to 430100.near
    const t = await testTable('tasks');
    const store = new Store({ client: t.client, tableName: t.tableName });
    const gateway = recordingGateway();
    const target = { tenant: T, subject: 'case', itemId: '01KASSIGNED0000000000000000', step: 'case.verify' };
    await as('system:flow', () =>
      openTask(store, { taskToken: 'token-assigned-0001', executionId: 'exec-1', tenant: T, subject: 'case', itemId: target.itemId, step: target.step, dueAt: '2026-11-25T08:00:00.000Z', escalations: 0 }, '核实', new Date(), undefined, [`${T}.near`]),
    );
    const taskNow = () => as('system:flow', () => store.get(TaskItem, keys.task(T, 'case', target.itemId, target.step)));
    // Act & assess: someone else
    await expect(as(`${T}.far`, () => completeTask(store, gateway, target, { confirmed: true }, []))).rejects.toMatchObject({ code: 'TASK_NOT_ASSIGNED' });
    expect((await taskNow())?.status).toBe('open');
    expect(gateway.sent).toEqual([]);
    // the assignee
    await as(`${T}.near`, () => completeTask(store, gateway, target, { confirmed: true }, []));
    expect((await taskNow())?.status).toBe('done');
    expect(gateway.sent).toEqual([{ token: 'token-assigned-0001', output: { confirmed: true } }]);
  });
});
