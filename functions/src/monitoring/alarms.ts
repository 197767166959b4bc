/**
 * The alarm life cycle after the engine raised one (MON-3): people acknowledge and dispose; a real alarm opens a
 * case in the case loop (source 'sensor', so an inspector confirms it on site first — MUN-3's "work order to
 * confirm"), one per alarm, which is one per device and rule while it is open.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { AcknowledgeAlarm, DisposeAlarm, caseTypeCodeFor, type AlarmCounts, type AlarmQuery, type AlarmView } from '../../../contracts';
import { reportCase } from '../cases/cases';
import type { CaseEnv } from '../cases/ports';
import { keys } from '../data/keys';
import type { Store } from '../data/store';
import { DomainError } from '../shared/errors';
import { logger } from '../shared/logger';
import { usePrincipal, useTenant, withTenant } from '../tenancy/context';
import { Device } from '../../../contracts';
import { nearestInspector } from '../inspectors/positions';
import { notify } from '../notifications/outbox';
import { ALARM_LEVEL_NAMES } from '../../../contracts';
import { AlarmItem, alarmItem, alarmView, tenantRule, type LiveEvents } from './ingest';

export async function getAlarm(store: Store, id: string): Promise<AlarmItem> {
  const a = /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id) ? await store.get(AlarmItem, keys.alarm(useTenant(), id)) : undefined;
  if (!a) throw new DomainError('ALARM_NOT_FOUND');
  return a;
}

/** Alarms of the caller's tenant, newest first, filtered as the board asks. */
export async function listAlarms(store: Store, q: AlarmQuery): Promise<AlarmView[]> {
  const tenant = useTenant();
  const open = q.status === 'open' || q.status === 'raised' || q.status === 'acknowledged' || q.status === 'disposed';
  const parts = q.status === 'all' ? [true, false] : [open];
  // Filtered by the table and read newest first only until `limit` match, so a tenant's years of cleared alarms
  // are not read for one page.
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const match = (attr: string, value: string | undefined) => {
    if (value === undefined) return;
    conditions.push(`#f_${attr} = :f_${attr}`);
    names[`#f_${attr}`] = attr;
    values[`:f_${attr}`] = value;
  };
  match('status', q.status === 'open' || q.status === 'all' ? undefined : q.status);
  match('level', q.level);
  match('domain', q.domain);
  if (q.deviceId && q.status === 'open') {
    // A device's partition holds its open and closed alarms together.
    conditions.push('#f_open <> :f_cleared');
    names['#f_open'] = 'status';
    values[':f_cleared'] = 'cleared';
  }
  const filter = conditions.length ? { expression: conditions.join(' AND '), names, values } : undefined;
  // One device's alarms come from their own index partition, open and closed together.
  const partitions = q.deviceId ? [{ index: 'GSI2' as const, pk: keys.deviceAlarms(tenant, q.deviceId) }] : parts.map((p) => ({ index: 'GSI1' as const, pk: keys.alarmIndex(tenant, p) }));
  const out: AlarmItem[] = [];
  for (const part of partitions) {
    out.push(
      ...(await store.query(AlarmItem, {
        ...part,
        newestFirst: true,
        limit: q.limit,
        ...(q.since ? { skBetween: [q.since, '9999'] as [string, string] } : {}),
        ...(filter ? { filter } : {}),
      })),
    );
  }
  // Each partition is read newest first, so the newest `limit` of their union are the page.
  return out
    .sort((a, b) => b.raisedAt.localeCompare(a.raisedAt))
    .slice(0, q.limit)
    .map(alarmView);
}

async function move(store: Store, live: LiveEvents, id: string, to: 'acknowledged' | 'disposed', from: AlarmItem['status'][], note: string): Promise<AlarmView> {
  const a = await getAlarm(store, id);
  if (!from.includes(a.status)) throw new DomainError('ALARM_ACTION_NOT_ALLOWED', [{ path: 'status', message: a.status }]);
  const next: AlarmItem = { ...a, status: to, history: [...a.history, { at: new Date().toISOString(), action: to, actor: usePrincipal().subject, ...(note ? { note } : {}) }] };
  try {
    await store.put(alarmItem(next), { ConditionExpression: '#s = :s AND size(history) = :n', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': a.status, ':n': a.history.length } });
  } catch (err) {
    if ((err as Error).name === 'ConditionalCheckFailedException') throw new DomainError('CONFLICT');
    throw err;
  }
  live.alarm(a.tenant, alarmView(next));
  return alarmView(next);
}

export const acknowledgeAlarm = async (store: Store, live: LiveEvents, id: string, raw: unknown) =>
  await move(store, live, id, 'acknowledged', ['raised'], AcknowledgeAlarm.parse(raw).note);
export const disposeAlarm = async (store: Store, live: LiveEvents, id: string, raw: unknown) =>
  await move(store, live, id, 'disposed', ['raised', 'acknowledged'], DisposeAlarm.parse(raw).note);


/**
 * Stream reaction: an alarm that wants a case and has none gets one. The case's client id is the alarm id, so a
 * redelivered record finds the same case (reportCase is idempotent per reporter and client id).
 */
export async function openCaseForAlarm(env: CaseEnv, live: LiveEvents, record: DynamoDBRecord): Promise<boolean> {
  const img = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
  if (!img || img.entity?.S !== 'alarm' || img.wantsCase?.BOOL !== true || img.caseId?.S || img.status?.S === 'cleared') return false;
  const alarm = AlarmItem.parse(unmarshall(img));
  const principal = { subject: 'system:monitoring', tenant: alarm.tenant, roles: ['monitoring-operator' as const], kind: 'staff' as const };
  return await withTenant({ principal, requestId: `alarm-${alarm.id}` }, async () => {
    const device = await env.store.get(Device, keys.device(alarm.tenant, alarm.deviceId));
    const rule = await tenantRule(env.store, alarm.tenant, alarm.ruleId);
    if (!device || !rule) return false;
    const typeCode = caseTypeCodeFor({ caseTypeCode: rule.caseTypeCode }, device);
    // MUN-3: the nearest inspector with a fresh position confirms it (nobody near: every inspector, as before).
    // Chosen anew on a redelivery, but the repeated report finds the case it made the first time.
    const assignedInspector = await nearestInspector(env.store, device.location, env.now());
    // The request depends only on what never changes about the alarm (its raise), so a later image of the same
    // alarm (escalated meanwhile) repeats it exactly and finds the same case.
    const raised = alarm.history.find((h) => h.action === 'raised');
    const level = raised?.level ?? alarm.level;
    const value = raised?.value ?? alarm.value;
    let reported: Awaited<ReturnType<typeof reportCase>>;
    try {
      reported = await reportCase(env, {
      clientId: `alarm-${alarm.id}`,
      source: 'sensor',
      kind: 'component',
      typeCode,
      ...(device.componentId && device.componentId.slice(6, 11) === typeCode ? { componentId: device.componentId } : {}),
      description: `【${rule.name.zh}】${device.name}（${alarm.deviceId}）读数 ${String(value)}`,
      location: device.location,
      ...(device.address ? { address: device.address } : {}),
      urgency: level === 'red' || level === 'orange' ? 'urgent' : 'ordinary',
      }, { ...(device.ownerDepartment ? { ownerDepartment: device.ownerDepartment } : {}), ...(assignedInspector ? { assignedInspector } : {}) });
    } catch (err) {
      // A case that cannot be opened (a rule's type code unknown to the catalogue, a device moved outside the
      // grids) is a data problem, not a reason to hold up the stream for every tenant: it is logged and left.
      if (!(err instanceof DomainError)) throw err;
      logger.error('no case for alarm', { tenant: alarm.tenant, alarmId: alarm.id, code: err.code });
      return false;
    }
    const c = reported.case;
    if (c.assignedInspector && c.status === 'verifying') {
      // Keyed by the case, so a redelivered record writes the same item once.
      await notify(
        env.store,
        {
          id: `verify-${c.id}`,
          at: c.createdAt,
          channel: 'inbox',
          to: { user: c.assignedInspector },
          title: { zh: `就近核实：${rule.name.zh}`, en: `Nearest to confirm: ${rule.name.en}` },
          body: `${c.number} ${c.description.slice(0, 60)}`,
          caseId: c.id,
        },
        env.now(),
      );
    }
    const entry = { at: new Date().toISOString(), action: 'case-opened' as const, actor: 'system', note: c.number };
    // Appended, not rewritten: a person may have acknowledged the alarm since this image was taken.
    const updated = await env.store
      .update({
        Key: keys.alarm(alarm.tenant, alarm.id),
        UpdateExpression: 'SET caseId = :c, history = list_append(history, :h)',
        ConditionExpression: 'attribute_not_exists(caseId)',
        ExpressionAttributeValues: { ':c': c.id, ':h': [entry] },
        ReturnValues: 'ALL_NEW',
      })
      .catch((err: Error) => {
        if (err.name !== 'ConditionalCheckFailedException') throw err;
        return undefined;
      });
    if (updated) live.alarm(alarm.tenant, alarmView(AlarmItem.parse(updated)));
    return true;
  });
}

/**
 * MON-8 warning push: a raised alarm is announced to the monitoring operators and, when the device has an owner
 * unit, to that department's handlers, with the linked contingency plan (MON-6). Through the notification port
 * (the outbox; SMS/WeChat adapters read it). Keyed by the alarm, so a redelivered record writes the same item.
 */
export async function announceAlarm(store: Store, record: DynamoDBRecord): Promise<boolean> {
  const img = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
  if (record.eventName !== 'INSERT' || !img || img.entity?.S !== 'alarm') return false;
  const alarm = AlarmItem.parse(unmarshall(img));
  const principal = { subject: 'system:monitoring', tenant: alarm.tenant, roles: ['monitoring-operator' as const], kind: 'staff' as const };
  return await withTenant({ principal, requestId: `alarm-${alarm.id}` }, async () => {
    const device = await store.get(Device, keys.device(alarm.tenant, alarm.deviceId));
    const rule = await tenantRule(store, alarm.tenant, alarm.ruleId);
    const level = ALARM_LEVEL_NAMES[alarm.level];
    const plan = rule?.contingencyPlan ? `；应急预案：${rule.contingencyPlan.name.zh}` : '';
    const title = { zh: `${level.zh}：${rule?.name.zh ?? alarm.ruleId}`, en: `${level.en}: ${rule?.name.en ?? alarm.ruleId}` };
    const body = `${alarm.deviceName}（${alarm.deviceId}）读数 ${String(alarm.value)}${plan}`;
    const at = alarm.history[0]?.at ?? alarm.raisedAt;
    await notify(store, { id: `alarm-${alarm.id}-ops`, at, channel: 'inbox', to: { roles: ['monitoring-operator', 'shift-leader'] }, title, body }, new Date());
    if (device?.ownerDepartment) {
      await notify(store, { id: `alarm-${alarm.id}-owner`, at, channel: 'inbox', to: { roles: ['department-handler'], department: device.ownerDepartment }, title, body }, new Date());
    }
    return true;
  });
}

/** Alarms raised in a month (YYYY-MM, Beijing time), counted by domain and level. */
export async function alarmCounts(store: Store, month: string): Promise<AlarmCounts> {
  const tenant = useTenant();
  const [from, to] = monthRange(month);
  const out: AlarmCounts = { total: 0, byDomain: {}, byLevel: {} };
  for (const open of [true, false]) {
    for (const a of await store.query(AlarmItem, { index: 'GSI1', pk: keys.alarmIndex(tenant, open), skBetween: [from, to] })) {
      out.total++;
      out.byDomain[a.domain] = (out.byDomain[a.domain] ?? 0) + 1;
      out.byLevel[a.level] = (out.byLevel[a.level] ?? 0) + 1;
    }
  }
  return out;
}

/**
 * A Beijing-time month (`2026-11`) as UTC instants [start, start of the next month). Built from the month's
 * numbers, not by adding a month to the UTC instant: 1 Nov 00:00 +08:00 is 31 Oct in UTC, and "31 Oct + 1
 * month" overflows to 1 Dec.
 */
export function monthRange(month: string): [string, string] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  const at = (ym: string) => new Date(Date.parse(`${ym}-01T00:00:00+08:00`)).toISOString();
  return [at(month), at(next)];
}

/** MON-7: the month against the previous month (环比) and the same month a year earlier (同比). */
export function comparisonMonths(month: string): { previous: string; lastYear: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const prev = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  return { previous: prev, lastYear: `${y - 1}-${String(m).padStart(2, '0')}` };
}

export const change = (now: number, before: number): number | null => (before === 0 ? null : Math.round(((now - before) / before) * 1000) / 1000);
