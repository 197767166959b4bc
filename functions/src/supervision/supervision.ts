/**
 * PRV-SUP supervision items (督办事项): 统筹布置、按责转办、重点督办、限时反馈. The province assigns an item to one
 * of its cities or counties (the supervision channel is the only way the province writes tenant records,
 * TEN-3); the flow `supervision` waits for the tenant's feedback and the province's review, escalating on
 * timeouts.
 */
import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import { z } from 'zod';
import { CreateSupervision, SupervisionItem, provinceOf, type SupervisionEvent } from '../../../contracts';
import { keys } from '../data/keys';
import { isConditionFailure, type Store, type TxItem } from '../data/store';
import type { WorkflowGateway } from '../flows/gateway';
import { completeTask } from '../flows/tasks';
import { DomainError } from '../shared/errors';
import { findTimeLimit } from '../calendar/deadline';
import { requireRole, useProvince, usePrincipal, useTenant } from '../tenancy/context';
import { provinceTenant, tenantManifest } from '../tenants/tenants';

export const SUPERVISION_FLOW = 'supervision';
const Marker = z.object({ itemId: z.string(), requestHash: z.string(), tenant: z.string() });

const event = (action: SupervisionEvent['action'], text = '', onTime?: boolean): SupervisionEvent => {
  const p = usePrincipal();
  return { at: new Date().toISOString(), action, actor: p.subject, role: p.roles[0] ?? 'unknown', text, ...(onTime === undefined ? {} : { onTime }) };
};

/** Province: assign an item. Re-sending the same clientRequestId returns the same item. */
export async function createSupervision(store: Store, gateway: WorkflowGateway, raw: CreateSupervision, now: Date): Promise<SupervisionItem> {
  const province = useProvince();
  requireRole('province-supervisor', 'province-admin');
  const input = CreateSupervision.parse(raw);
  const requestHash = createHash('sha256').update(JSON.stringify([input.tenant, input.title, input.detail, input.urgency])).digest('hex').slice(0, 16);
  const markerKey = keys.requestMarker(province, `SUP-${input.clientRequestId}`);

  const existing = await store.get(Marker, markerKey);
  if (existing) return await replay(store, gateway, existing, requestHash);

  if (input.tenant === province || provinceOf(input.tenant) !== province) {
    throw new DomainError('VALIDATION_FAILED', [{ path: 'tenant', message: 'a city or county of this province' }]);
  }
  await provinceTenant(store, input.tenant);
  // The flow cannot plan a deadline without the tenant's limit: refuse now rather than fail later.
  const targetManifest = await tenantManifest(store, input.tenant);
  if (!findTimeLimit(targetManifest.timeLimits, 'supervision.feedback', input.urgency)) {
    throw new DomainError('VALIDATION_FAILED', [{ path: 'tenant', message: `tenant ${input.tenant} has no time limit for supervision.feedback (${input.urgency})` }]);
  }

  const item: SupervisionItem = {
    id: ulid(now.getTime()),
    tenant: input.tenant,
    province,
    title: input.title,
    detail: input.detail,
    urgency: input.urgency,
    status: 'awaiting-feedback',
    escalations: 0,
    dueAt: null,
    createdAt: now.toISOString(),
    createdBy: usePrincipal().subject,
    history: [event('assigned')],
  };
  try {
    await store.transact(
      [
        { Put: { Item: { ...markerKey, itemId: item.id, requestHash, tenant: item.tenant }, ConditionExpression: 'attribute_not_exists(PK)' } },
        { Put: { Item: { ...keys.supervisionRef(province, item.id), tenant: item.tenant } } },
        {
          Put: {
            Item: {
              ...keys.supervision(item.tenant, item.id),
              ...item,
              entity: 'supervision',
              GSI1PK: keys.provinceSupervisionList(province),
              GSI1SK: `${item.createdAt}#${item.id}`,
              GSI2PK: keys.tenantSupervisionList(item.tenant),
              GSI2SK: `${item.createdAt}#${item.id}`,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      ],
      { supervisionChannel: true },
    );
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    const raced = await store.get(Marker, markerKey);
    if (raced) return await replay(store, gateway, raced, requestHash);
    throw err;
  }
  await startFlow(gateway, item);
  return item;
}

async function startFlow(gateway: WorkflowGateway, item: Pick<SupervisionItem, 'id' | 'tenant' | 'province' | 'urgency'>): Promise<void> {
  await gateway.startExecution(SUPERVISION_FLOW, `sup-${item.id}`, {
    tenant: item.tenant,
    province: item.province,
    itemId: item.id,
    urgency: item.urgency,
    escalations: 0,
  });
}

/** A retried create: same content → the same item (and make sure its flow runs); different content → 422. */
async function replay(store: Store, gateway: WorkflowGateway, marker: z.infer<typeof Marker>, requestHash: string): Promise<SupervisionItem> {
  if (marker.requestHash !== requestHash) throw new DomainError('IDEMPOTENCY_MISMATCH');
  const item = await getSupervision(store, marker.tenant, marker.itemId);
  await startFlow(gateway, item); // idempotent by execution name
  return item;
}

export async function getSupervision(store: Store, tenant: string, id: string): Promise<SupervisionItem> {
  const item = await store.get(SupervisionItem, keys.supervision(tenant, id)).catch((err: unknown) => {
    if (err instanceof DomainError && err.code === 'NOT_FOUND') return undefined;
    throw err;
  });
  if (!item) throw new DomainError('SUPERVISION_NOT_FOUND');
  return item;
}

/** Province: the tenant an item it assigned belongs to (ids are unique per province). */
export async function supervisionTenant(store: Store, id: string): Promise<string> {
  const ref = await store.get(z.object({ tenant: z.string() }), keys.supervisionRef(useProvince(), id));
  if (!ref) throw new DomainError('SUPERVISION_NOT_FOUND');
  return ref.tenant;
}

/** Items assigned to the caller's tenant, newest first. */
export async function listOwnSupervision(store: Store): Promise<SupervisionItem[]> {
  return await store.query(SupervisionItem, { index: 'GSI2', pk: keys.tenantSupervisionList(useTenant()), newestFirst: true });
}

/** Province: every item it assigned, optionally for one tenant. */
export async function listProvinceSupervision(store: Store, tenant?: string): Promise<SupervisionItem[]> {
  const items = await store.query(SupervisionItem, { index: 'GSI1', pk: keys.provinceSupervisionList(useProvince()), newestFirst: true });
  return tenant ? items.filter((i) => i.tenant === tenant) : items;
}

const appendHistory = (tenant: string, id: string, status: SupervisionItem['status'], ev: SupervisionEvent, expect: SupervisionItem['status']): TxItem => ({
  Update: {
    Key: keys.supervision(tenant, id),
    UpdateExpression: 'SET #s = :s, history = list_append(history, :ev)',
    ConditionExpression: '#s = :expect',
    ExpressionAttributeNames: { '#s': 'status' },
    ExpressionAttributeValues: { ':s': status, ':ev': [ev], ':expect': expect },
  },
});

/** Tenant: feed back on an item assigned to it. */
export async function submitFeedback(store: Store, gateway: WorkflowGateway, id: string, text: string): Promise<SupervisionItem> {
  const tenant = useTenant();
  const item = await getSupervision(store, tenant, id);
  if (item.status !== 'awaiting-feedback') throw new DomainError('TASK_NOT_OPEN');
  const onTime = item.dueAt === null || new Date() <= new Date(item.dueAt);
  await completeTask(store, gateway, { tenant, subject: 'supervision', itemId: id, step: 'supervision.feedback' }, { text }, [
    appendHistory(tenant, id, 'awaiting-review', event('feedback', text, onTime), 'awaiting-feedback'),
  ]);
  return await getSupervision(store, tenant, id);
}

/** Province: accept the feedback (closes the item) or return it for more work. */
export async function reviewSupervision(
  store: Store,
  gateway: WorkflowGateway,
  tenant: string,
  id: string,
  decision: 'accept' | 'return',
  comment: string,
): Promise<SupervisionItem> {
  useProvince();
  const item = await getSupervision(store, tenant, id);
  if (item.status !== 'awaiting-review') throw new DomainError('TASK_NOT_OPEN');
  const onTime = item.dueAt === null || new Date() <= new Date(item.dueAt);
  const next = decision === 'accept' ? 'closed' : 'awaiting-feedback';
  await completeTask(
    store,
    gateway,
    { tenant, subject: 'supervision', itemId: id, step: 'supervision.review' },
    { decision, comment },
    [appendHistory(tenant, id, next, event(decision === 'accept' ? 'accepted' : 'returned', comment, onTime), 'awaiting-review')],
    { supervisionChannel: true },
  );
  return await getSupervision(store, tenant, id);
}
