/**
 * Alarm transitions as writes (MON-3): the engine's events of one device, applied to the alarms open now, become
 * the items of one DynamoDB transaction. The telemetry ingest puts them in the same transaction as the device
 * state that produced them, so an alarm is raised or escalated exactly when that state is written: a container
 * folding on a stale state raises nothing, and a retried batch finds its alarms already there or not at all.
 * Pure: the caller reads the open alarms and runs the transaction; a failed condition here means someone changed
 * an alarm meanwhile (a person acknowledged it, a case was opened for it), and the caller reads and plans again.
 */
import { ulid } from 'ulid';
import { z } from 'zod';
import { DEVICE_KINDS, Alarm, isAtLeast, opensCase, type AlarmEvent, type AlarmRule, type AlarmView, type Device } from '../../../contracts';
import { keys } from '../data/keys';
import type { Item, TxItem } from '../data/store';

export const AlarmItem = Alarm.extend({ wantsCase: z.boolean().optional(), domain: z.string(), deviceName: z.string(), location: z.object({ lng: z.number(), lat: z.number() }) });
export type AlarmItem = z.infer<typeof AlarmItem>;

export const alarmItem = (a: AlarmItem): Item => ({
  ...keys.alarm(a.tenant, a.id),
  ...a,
  entity: 'alarm',
  GSI1PK: keys.alarmIndex(a.tenant, a.status !== 'cleared'),
  GSI1SK: `${a.raisedAt}#${a.id}`,
  GSI2PK: keys.deviceAlarms(a.tenant, a.deviceId),
  GSI2SK: `${a.raisedAt}#${a.id}`,
});
export const alarmView = (a: AlarmItem): AlarmView => {
  const { wantsCase: _w, ...rest } = a;
  return rest as AlarmView;
};

/** The marker of the alarm open for a device and rule: while it exists, a herd of readings raises nothing more. */
export const OpenAlarmMarker = z.object({ alarmId: z.string() });

/** What was open for a rule when read: the marker's alarm id and that alarm (undefined if it could not be found). */
export interface OpenAlarm {
  alarmId: string;
  alarm: AlarmItem | undefined;
}

export interface AlarmWrites {
  /** Transaction items: each alarm written once in its final form, the marker changed at most once. */
  tx: TxItem[];
  /** Alarms raised, oldest first, as raised. */
  raised: AlarmItem[];
  /** Every alarm written, in its final form (for the screens). */
  written: AlarmItem[];
}

/**
 * Plan the writes of `events` (in order) over the alarms `open` per rule id. Repeats change nothing: a raise while
 * an alarm is open, an escalation to a level the alarm already has, a level change or clear with nothing open.
 * Events of rules not in `rules` (removed since) are left out.
 */
export function planAlarmWrites(device: Device, rules: readonly AlarmRule[], events: readonly AlarmEvent[], open: ReadonlyMap<string, OpenAlarm>, now: Date): AlarmWrites {
  const nowIso = now.toISOString();
  const out: AlarmWrites = { tx: [], raised: [], written: [] };
  for (const ruleId of new Set(events.map((e) => e.ruleId))) {
    const rule = rules.find((r) => r.id === ruleId);
    if (!rule) continue;
    const before = open.get(ruleId);
    let markerId = before?.alarmId;
    let current = before?.alarm;
    const finals = new Map<string, AlarmItem>();
    for (const ev of events) {
      if (ev.ruleId !== ruleId) continue;
      if (ev.type === 'raise') {
        if (markerId !== undefined) continue;
        current = {
          id: ulid(now.getTime()),
          tenant: device.tenant,
          deviceId: device.id,
          kind: device.kind,
          ruleId: rule.id,
          type: rule.type,
          level: ev.level,
          value: ev.value,
          status: 'raised',
          raisedAt: ev.at,
          history: [{ at: nowIso, action: 'raised', actor: 'system', level: ev.level, value: ev.value }],
          domain: DEVICE_KINDS[device.kind].domain,
          deviceName: device.name,
          location: device.location,
          ...(opensCase(rule, ev.level) ? { wantsCase: true } : {}),
        };
        markerId = current.id;
        out.raised.push(current);
      } else if (current === undefined || current.id !== markerId) {
        continue;
      } else if (ev.type === 'level') {
        if (isAtLeast(current.level, ev.level)) continue;
        current = {
          ...current,
          level: ev.level,
          value: ev.value,
          history: [...current.history, { at: nowIso, action: 'escalated', actor: 'system', level: ev.level, value: ev.value }],
          ...(opensCase(rule, ev.level) ? { wantsCase: true } : {}),
        };
      } else {
        finals.set(current.id, { ...current, status: 'cleared', clearedAt: ev.at, history: [...current.history, { at: nowIso, action: 'cleared', actor: 'system', value: ev.value }] });
        current = undefined;
        markerId = undefined;
        continue;
      }
      finals.set(current.id, current);
    }

    for (const a of finals.values()) {
      // The alarm read is written only over what was read; a new one only where nothing is.
      const was = before?.alarm?.id === a.id ? before.alarm : undefined;
      const condition = was
        ? { ConditionExpression: '#s = :s AND size(history) = :n', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': was.status, ':n': was.history.length } }
        : { ConditionExpression: 'attribute_not_exists(PK)' };
      out.tx.push({ Put: { Item: alarmItem(a), ...condition } });
      out.written.push(a);
    }
    if (markerId === before?.alarmId) continue;
    const marker = keys.openAlarm(device.tenant, device.id, ruleId);
    const over = before ? { ConditionExpression: 'alarmId = :was', ExpressionAttributeValues: { ':was': before.alarmId } } : { ConditionExpression: 'attribute_not_exists(PK)' };
    out.tx.push(markerId === undefined ? { Delete: { Key: marker, ...over } } : { Put: { Item: { ...marker, alarmId: markerId, entity: 'open-alarm' }, ...over } });
  }
  return out;
}
