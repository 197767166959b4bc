/**
 * PRV-SUP through the HTTP API on the local stack: the province assigns, the tenant feeds back, the province
 * returns and then accepts; timeouts escalate; concurrent actions and retried creates behave.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowGateway } from '../../functions/src/flows/gateway';
import { asSystem } from '../../functions/src/flows/task-handlers';
import { redeliverTasks } from '../../functions/src/flows/tasks';
import { submitFeedback } from '../../functions/src/supervision/supervision';
import { withTenant } from '../../functions/src/tenancy/context';
import type { Platform } from '../../infra/local/platform';
import { apiClient, eventually, startTestPlatform, tenantsWithLimits, tokenFor } from '../support/platform';

let p: Platform;
let province: ReturnType<typeof apiClient>;
let city: ReturnType<typeof apiClient>;

beforeAll(async () => {
  // 430100 answers urgent items within ~2 s, so a timeout and escalation happen inside the test.
  p = await startTestPlatform({ loadBaseData: false, tenantsDir: tenantsWithLimits({ '430100:supervision.feedback:urgent': 0.0006 }) });
  province = apiClient(p.url, await tokenFor(p, '430000', ['province-supervisor']));
  city = apiClient(p.url, await tokenFor(p, '430100', ['tenant-admin']));
}, 60_000);

afterAll(async () => {
  await p?.stop();
});

const create = (clientRequestId: string, extra: Record<string, unknown> = {}) =>
  province('POST', '/v1/province/supervision', { clientRequestId, tenant: '430100', title: '背街小巷环境整治', detail: '请于时限内反馈', urgency: 'ordinary', ...extra });

async function waitForTask(client: ReturnType<typeof apiClient>, itemId: string, step: string) {
  return await eventually(async () => {
    const r = await client('GET', '/v1/tasks');
    return r.json.items.find((t: { itemId: string; step: string }) => t.itemId === itemId && t.step === step);
  });
}

describe('PRV-SUP supervision loop', () => {
  it('assign → feedback → return → feedback → accept closes the item, with every step recorded', async () => {
    const created = await create('sup-loop-0001');
    expect(created.status).toBe(201);
    const id = created.json.id as string;

    const task = await waitForTask(city, id, 'supervision.feedback');
    expect(task.token).toBeUndefined();
    expect(new Date(task.dueAt).getTime()).toBeGreaterThan(Date.now());

    expect((await city('POST', `/v1/supervision/${id}/feedback`, { text: '已完成整治，附照片' })).status).toBe(200);
    await waitForTask(province, id, 'supervision.review');
    const returned = await province('POST', `/v1/province/supervision/${id}/review`, { decision: 'return', comment: '请补充整改前后对比' });
    expect(returned.status).toBe(200);
    expect(returned.json.status).toBe('awaiting-feedback');

    await waitForTask(city, id, 'supervision.feedback');
    expect((await city('POST', `/v1/supervision/${id}/feedback`, { text: '已补充对比照片' })).status).toBe(200);
    await waitForTask(province, id, 'supervision.review');
    const accepted = await province('POST', `/v1/province/supervision/${id}/review`, { decision: 'accept', comment: '' });
    expect(accepted.json.status).toBe('closed');
    expect(accepted.json.history.map((h: { action: string }) => h.action)).toEqual(['assigned', 'feedback', 'returned', 'feedback', 'accepted']);
    expect(accepted.json.history[1]).toMatchObject({ role: 'tenant-admin', onTime: true });

    const exec = await eventually(async () => {
      const [e] = (await p.runner.listExecutions({})).filter((x) => x.name === `sup-${id}`);
      return e?.status === 'SUCCEEDED' ? e : undefined;
    });
    expect(exec.status).toBe('SUCCEEDED');
  });

  it('a retried create returns the same item; the same request id with other content is refused', async () => {
    const a = await create('sup-retry-0001');
    const b = await create('sup-retry-0001');
    expect(b.status).toBe(201);
    expect(b.json.id).toBe(a.json.id);
    const c = await create('sup-retry-0001', { title: '另一个标题' });
    expect(c.status).toBe(422);
    expect(c.json.error.code).toBe('IDEMPOTENCY_MISMATCH');
    const list = await province('GET', '/v1/province/supervision?tenant=430100');
    expect(list.json.items.filter((i: { id: string }) => i.id === a.json.id)).toHaveLength(1);
  });

  it('two people feeding back at once: one wins, the other gets 409', async () => {
    const { json } = await create('sup-race-0001');
    await waitForTask(city, json.id, 'supervision.feedback');
    const leader = apiClient(p.url, await tokenFor(p, '430100', ['leader'], '430100.leader'));
    const results = await Promise.all([city('POST', `/v1/supervision/${json.id}/feedback`, { text: '甲的反馈' }), leader('POST', `/v1/supervision/${json.id}/feedback`, { text: '乙的反馈' })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)!.json.error.code).toBe('TASK_NOT_OPEN');
  });

  it('an overdue step is escalated (督办) and waits again with a new deadline', async () => {
    const { json } = await create('sup-late-0001', { urgency: 'urgent' });
    const first = await waitForTask(city, json.id, 'supervision.feedback');
    const again = await eventually(async () => {
      const t = await waitForTask(city, json.id, 'supervision.feedback');
      return t.escalations >= 1 ? t : undefined;
    }, 15_000);
    expect(again.dueAt > first.dueAt).toBe(true);
    const item = await city('GET', `/v1/supervision/${json.id}`);
    expect(item.json.escalations).toBeGreaterThanOrEqual(1);
    expect(item.json.history.some((h: { action: string }) => h.action === 'escalated')).toBe(true);
    expect((await city('POST', `/v1/supervision/${json.id}/feedback`, { text: '已处理' })).status).toBe(200);
  }, 30_000);

  it('a step claimed just before a crash (output not yet sent to the flow) is redelivered, not lost', async () => {
    const { json } = await create('sup-crash-0001');
    await waitForTask(city, json.id, 'supervision.feedback');
    const dying: WorkflowGateway = { ...p.runner, startExecution: p.runner.startExecution.bind(p.runner), sendTaskFailure: p.runner.sendTaskFailure.bind(p.runner), sendTaskSuccess: async () => Promise.reject(new Error('process died')) };
    const principal = { subject: '430100.admin', tenant: '430100', roles: ['tenant-admin' as const], kind: 'staff' as const };
    await expect(withTenant({ principal, requestId: 'crash' }, () => submitFeedback(p.store, dying, json.id, '崩溃前的反馈'))).rejects.toThrow('process died');
    // The person sees the step as handled; the flow has not heard of it yet.
    expect((await city('GET', `/v1/supervision/${json.id}`)).json.status).toBe('awaiting-review');
    expect(await asSystem('430100', () => redeliverTasks(p.store, p.runner))).toBe(1);
    await waitForTask(province, json.id, 'supervision.review');
    expect(await asSystem('430100', () => redeliverTasks(p.store, p.runner))).toBe(0);
  });

  it('a step claimed just as it timed out is handed to the re-opened task after the escalation', async () => {
    const { json } = await create('sup-timeout-race-01', { urgency: 'urgent' });
    await waitForTask(city, json.id, 'supervision.feedback');
    // The send meets a token that has just timed out (as SendTaskSuccess answers TaskTimedOut in AWS).
    const late: WorkflowGateway = {
      startExecution: p.runner.startExecution.bind(p.runner),
      sendTaskFailure: p.runner.sendTaskFailure.bind(p.runner),
      sendTaskSuccess: async () => Promise.reject(Object.assign(new Error('timed out'), { name: 'TaskTimedOut' })),
    };
    const principal = { subject: '430100.admin', tenant: '430100', roles: ['tenant-admin' as const], kind: 'staff' as const };
    const item = await withTenant({ principal, requestId: 'race' }, () => submitFeedback(p.store, late, json.id, '超时瞬间提交的反馈'));
    expect(item.status).toBe('awaiting-review');
    // The flow times out, escalates, opens the step again and finds the claimed feedback waiting for it.
    await waitForTask(province, json.id, 'supervision.review');
  }, 30_000);

  it('bad input gets a coded, bilingual 4xx and changes nothing', async () => {
    const bad = await province('POST', '/v1/province/supervision', { clientRequestId: 'x', tenant: '43', title: '' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('VALIDATION_FAILED');
    expect(bad.json.error.message).toEqual({ zh: expect.any(String), en: expect.any(String) });
    expect(bad.json.error.details.length).toBeGreaterThan(0);
    const own = await create('sup-self-0001', { tenant: '430000' });
    expect(own.status).toBe(400);
    const wrongRole = apiClient(p.url, await tokenFor(p, '430000', ['province-analyst']));
    expect((await wrongRole('POST', '/v1/province/supervision', { clientRequestId: 'analyst-0001', tenant: '430100', title: '标题' })).json.error.code).toBe('FORBIDDEN_ROLE');
    const inspector = apiClient(p.url, await tokenFor(p, '430100', ['inspector']));
    const { json } = await create('sup-role-0001');
    await waitForTask(city, json.id, 'supervision.feedback');
    expect((await inspector('POST', `/v1/supervision/${json.id}/feedback`, { text: '不该我来' })).status).toBe(403);
    expect((await city('POST', `/v1/supervision/${json.id}/feedback`, 'not json' as unknown as object)).status).toBe(400);
  });

  it('the province sees per-tenant counters rolled up from the stream', async () => {
    const stats = await eventually(async () => {
      const r = await province('GET', '/v1/province/stats');
      return (r.json.byTenant['430100']?.['supervision#closed'] ?? 0) >= 1 ? r.json : undefined;
    }, 15_000);
    expect(stats.totals['supervision#closed']).toBeGreaterThanOrEqual(1);
  });
});
