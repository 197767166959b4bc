/**
 * The telemetry ingest (MON-1, MON-3): what the IoT rule's queue delivers (in AWS, the SQS-batched Lambda) or the
 * local broker's rule router hands over, one batch of `RuleEnvelope`s at a time. Per message: the device is looked
 * up (unknown or decommissioned → dead letter), the payload is checked against its kind (size, JSON, metrics,
 * types, ranges → dead letter with the reason); per device, the messages are folded into its latest state by the
 * pure engine (duplicates and redeliveries change nothing), closed time buckets are written as aggregates, and
 * alarm transitions become alarm items (one open alarm per device and rule, whatever the herd of readings).
 * A failure of one tenant's part fails only that part's messages (partial batch response), never the others.
 */
import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import { z } from 'zod';
import {
  DEVICE_KINDS,
  Alarm,
  DeadLetter,
  Device,
  DeviceState,
  MAX_TELEMETRY_BYTES,
  TenantAlarmRules,
  effectiveRules,
  isAtLeast,
  opensCase,
  parseTelemetry,
  type AlarmEvent,
  type AlarmRule,
  type AlarmView,
  type DeadLetterReason,
  type DeviceLiveState,
  type TelemetryAggregate,
  type TelemetryMessage,
} from '../../../contracts';
import { keys } from '../data/keys';
import { isConditionFailure, type Item, type Store, type TxItem } from '../data/store';
import { envelopePayload, type RuleEnvelope } from '../devices/telemetry-rules';
import { asSystem } from '../flows/task-handlers';
import { logger } from '../shared/logger';
import { foldTelemetry, offlineCheck, closeDueBucket } from './engine';

/** Where live changes go (the monitoring screens' push channel); the local stack fans them out over SSE. */
export interface LiveEvents {
  device(tenant: string, id: string, live: DeviceLiveState): void;
  alarm(tenant: string, alarm: AlarmView): void;
}
export const noLiveEvents: LiveEvents = { device: () => undefined, alarm: () => undefined };

export interface IngestOptions {
  bucketSeconds: number;
  /**
   * Write a device's state at most this often unless something else forces it (an alarm transition, a closed
   * bucket). 0 = after every batch (AWS: each Lambda container only caches). Locally, with one consumer, the
   * state in memory is the truth and the table copy may lag by this much.
   */
  stateFlushSeconds: number;
  /** How long device records and rules are cached. */
  cacheSeconds: number;
  /** Push a device's live state at most this often (alarm level changes are pushed at once). */
  livePushSeconds: number;
  /**
   * Write device states after the batch returns instead of before (the local stack, where memory is the truth):
   * the next batch, and the alarms in it, do not wait for a few hundred state writes. A failed write is retried
   * with a later batch. Off in AWS, where a batch must be written before SQS may delete it.
   */
  backgroundStateWrites: boolean;
}
export const DEFAULT_INGEST: IngestOptions = { bucketSeconds: 60, stateFlushSeconds: 0, cacheSeconds: 30, livePushSeconds: 5, backgroundStateWrites: false };

export interface IngestStats {
  received: number;
  accepted: number;
  duplicates: number;
  deadLettered: number;
  alarmsRaised: number;
}

/** Stored forms: the schemas are strict, so items nest them beside their keys. */
const StateItem = z.object({ state: DeviceState, writtenAt: z.string().optional() });
/** The tenant's alarm rules as stored at onboarding (tenants/<code>/alarm-rules.json). */
export const RulesItem = z.object({ rules: TenantAlarmRules });

/** One rule of a tenant, or undefined (no file, or the rule was removed since). */
export async function tenantRule(store: Store, tenant: string, ruleId: string): Promise<AlarmRule | undefined> {
  return (await store.get(RulesItem, keys.tenantAlarmRules(tenant)))?.rules.rules.find((r) => r.id === ruleId);
}
export const AlarmItem = Alarm.extend({ wantsCase: z.boolean().optional(), domain: z.string(), deviceName: z.string(), location: z.object({ lng: z.number(), lat: z.number() }) });
export type AlarmItem = z.infer<typeof AlarmItem>;

export const stateItem = (s: DeviceState, now: string): Item => ({ ...keys.deviceState(s.tenant, s.deviceId), state: s, writtenAt: now, entity: 'device-state', GSI2PK: keys.deviceStates(s.tenant), GSI2SK: s.deviceId });
const aggregateItem = (a: TelemetryAggregate): Item => ({ ...keys.telemetryAggregate(a.tenant, a.deviceId, a.bucketStart), aggregate: a, entity: 'telemetry-aggregate', expiresAt: Math.floor(Date.parse(a.bucketStart) / 1000) + 400 * 86400 });
export const alarmItem = (a: AlarmItem): Item => ({ ...keys.alarm(a.tenant, a.id), ...a, entity: 'alarm', GSI1PK: keys.alarmIndex(a.tenant, a.status !== 'cleared'), GSI1SK: `${a.raisedAt}#${a.id}` });
export const alarmView = (a: AlarmItem): AlarmView => {
  const { wantsCase: _w, ...rest } = a;
  return rest as AlarmView;
};

export function liveOf(state: DeviceState | undefined, openLevels: Array<AlarmEvent['level']>): DeviceLiveState {
  const level = openLevels.reduce<DeviceLiveState['alarmLevel']>((acc, l) => (acc === null || isAtLeast(l, acc) ? l : acc), null);
  return { online: state?.online ?? false, lastTs: state?.lastTs ?? null, receivedAt: state?.receivedAt ?? null, readings: state?.readings ?? {}, alarmLevel: level };
}
const activeLevels = (s: DeviceState | undefined) => Object.values(s?.rules ?? {}).flatMap((m) => (m.level ? [m.level] : []));

/**
 * One ingest instance keeps per-tenant caches (devices, rules) and per-device states between batches. In AWS an
 * instance lives as long as its Lambda container; states are then written after every batch.
 */
export class TelemetryIngest {
  readonly stats: IngestStats = { received: 0, accepted: 0, duplicates: 0, deadLettered: 0, alarmsRaised: 0 };
  private readonly devices = new Map<string, { at: number; byId: Map<string, Device> }>();
  private readonly rules = new Map<string, { at: number; file: TenantAlarmRules | undefined }>();
  private readonly states = new Map<string, { state: DeviceState; writtenAt: number; pushedAt: number; pushedLevel: string | null }>();

  constructor(
    private readonly store: Store,
    private readonly live: LiveEvents = noLiveEvents,
    private readonly opts: IngestOptions = DEFAULT_INGEST,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Ingest a batch; returns the indexes of envelopes that failed (to be retried), none when all were handled. */
  async ingest(envelopes: readonly RuleEnvelope[]): Promise<number[]> {
    this.stats.received += envelopes.length;
    const byTenant = new Map<string, number[]>();
    envelopes.forEach((e, i) => byTenant.set(e.tenant, [...(byTenant.get(e.tenant) ?? []), i]));
    const failed: number[] = [];
    await Promise.all(
      [...byTenant].map(async ([tenant, idx]) => {
        try {
          await this.exclusive(tenant, () => asSystem(tenant, () => this.ingestTenant(tenant, idx.map((i) => envelopes[i]!))));
        } catch (err) {
          logger.error('ingest failed for a tenant batch', { tenant, messages: idx.length, error: (err as Error).message });
          this.stats.received -= idx.length; // they come again
          failed.push(...idx);
        }
      }),
    );
    return failed.sort((a, b) => a - b);
  }

  private async tenantDevices(tenant: string, force = false): Promise<Map<string, Device>> {
    const hit = this.devices.get(tenant);
    if (hit && !force && Date.now() - hit.at < this.opts.cacheSeconds * 1000) return hit.byId;
    const list = await this.store.query(Device, { index: 'GSI1', pk: keys.deviceList(tenant) });
    const byId = new Map(list.map((d) => [d.id, d]));
    this.devices.set(tenant, { at: Date.now(), byId });
    return byId;
  }

  private async tenantRules(tenant: string): Promise<TenantAlarmRules | undefined> {
    const hit = this.rules.get(tenant);
    if (hit && Date.now() - hit.at < this.opts.cacheSeconds * 1000) return hit.file;
    const file = (await this.store.get(RulesItem, keys.tenantAlarmRules(tenant)))?.rules;
    this.rules.set(tenant, { at: Date.now(), file });
    return file;
  }

  private async ingestTenant(tenant: string, envelopes: RuleEnvelope[]): Promise<void> {
    const now = this.clock();
    let devices = await this.tenantDevices(tenant);
    // A device registered after the cache was filled: look again once.
    if (envelopes.some((e) => !devices.has(e.deviceId))) devices = await this.tenantDevices(tenant, true);
    const deadLetters: Item[] = [];
    const dead = (e: RuleEnvelope, reason: DeadLetterReason, detail: string) => {
      const bytes = envelopePayload(e);
      // Keyed by the message itself, so a retried batch writes the same dead letter again, not a second one.
      const id = createHash('sha256').update(`${tenant}/${e.deviceId}/${e.channel}/${e.receivedAt}/${e.payload}`).digest('hex').slice(0, 26);
      const d: DeadLetter = { id, tenant, deviceId: e.deviceId, topic: `cityops/${tenant}/devices/${e.deviceId}/${e.channel}`, reason, detail, receivedAt: new Date(e.receivedAt).toISOString(), payloadPreview: bytes.subarray(0, 256).toString('base64'), size: bytes.length };
      deadLetters.push({ PK: keys.deadLetters(tenant), SK: `${d.receivedAt}#${d.id}`, deadLetter: d, entity: 'dead-letter', expiresAt: Math.floor(now.getTime() / 1000) + 30 * 86400 });
    };
    const perDevice = new Map<string, { device: Device; messages: TelemetryMessage[] }>();
    for (const e of envelopes) {
      const device = devices.get(e.deviceId);
      if (!device) { dead(e, 'UNKNOWN_DEVICE', 'no device with this id is registered for the tenant'); continue; }
      if (device.status !== 'active') { dead(e, 'DEVICE_DECOMMISSIONED', 'the device was decommissioned'); continue; }
      if (e.channel !== 'telemetry') continue; // status messages only prove the device is alive (not yet used)
      const bytes = envelopePayload(e);
      if (bytes.length > MAX_TELEMETRY_BYTES) { dead(e, 'PAYLOAD_TOO_LARGE', `${bytes.length} bytes > ${MAX_TELEMETRY_BYTES}`); continue; }
      const parsed = parseTelemetry(device.kind, bytes);
      if (!parsed.ok) { dead(e, parsed.reason, parsed.detail); continue; }
      const group = perDevice.get(device.id) ?? { device, messages: [] };
      group.messages.push(parsed.message);
      perDevice.set(device.id, group);
    }

    // States not in memory come from the table in one batch read.
    const missing = [...perDevice.keys()].filter((id) => !this.states.has(`${tenant}/${id}`));
    if (missing.length) {
      for (const it of await this.store.batchGet(StateItem, missing.map((id) => keys.deviceState(tenant, id)))) {
        this.states.set(`${tenant}/${it.state.deviceId}`, { state: it.state, writtenAt: Date.now(), pushedAt: 0, pushedLevel: null });
      }
    }
    // If a write below fails, the batch comes again: the states must be as they were, or its messages would all
    // look like duplicates of what only memory saw.
    const before = new Map<string, ReturnType<typeof this.states.get>>();
    for (const id of perDevice.keys()) before.set(`${tenant}/${id}`, this.states.get(`${tenant}/${id}`));
    try {
      await this.foldAndWrite(tenant, perDevice, deadLetters, now);
    } catch (err) {
      for (const [key, entry] of before) (entry ? this.states.set(key, entry) : this.states.delete(key));
      throw err;
    }
  }

  private async foldAndWrite(tenant: string, perDevice: Map<string, { device: Device; messages: TelemetryMessage[] }>, deadLetters: Item[], now: Date): Promise<void> {
    const nowIso = now.toISOString();
    const rulesFile = await this.tenantRules(tenant);
    const writes: Item[] = [...deadLetters];
    const states: DeviceState[] = [];
    const transitions: Array<{ device: Device; rules: AlarmRule[]; events: AlarmEvent[] }> = [];
    const touched: Array<{ device: Device; state: DeviceState }> = [];
    const counted = { accepted: 0, duplicates: 0 };
    for (const { device, messages } of perDevice.values()) {
      const key = `${tenant}/${device.id}`;
      const cached = this.states.get(key);
      const rules = rulesFile ? effectiveRules(rulesFile, device) : [];
      const r = foldTelemetry(cached?.state, device, messages, rules, { bucketSeconds: this.opts.bucketSeconds, receivedAt: nowIso });
      counted.accepted += r.accepted;
      counted.duplicates += r.duplicates;
      if (!r.state) continue;
      // A device first heard now counts as just written (with jitter below) unless nothing may wait: otherwise a
      // fleet connecting together makes one batch write every state at once.
      const due = r.closedBuckets.length > 0 || r.events.length > 0 || Date.now() - (cached?.writtenAt ?? Date.now()) >= this.opts.stateFlushSeconds * 1000;
      if (due) states.push(r.state);
      writes.push(...r.closedBuckets.map(aggregateItem));
      // Jittered, so devices first heard together do not all fall due in the same later batch.
      const writtenAt = due ? Date.now() - Math.random() * this.opts.stateFlushSeconds * 500 : (cached?.writtenAt ?? 0);
      this.states.set(key, { state: r.state, writtenAt, pushedAt: cached?.pushedAt ?? 0, pushedLevel: cached?.pushedLevel ?? null });
      if (r.events.length) transitions.push({ device, rules, events: r.events });
      touched.push({ device, state: r.state });
    }
    // Alarms first: they are what someone waits for; the bulk of state writes follows.
    for (const t of transitions) await this.applyAlarmEvents(t.device, t.rules, t.events, now);
    await this.store.batchPut(writes);
    // Counted once written: a failed part is counted when it comes again.
    this.stats.accepted += counted.accepted;
    this.stats.duplicates += counted.duplicates;
    this.stats.deadLettered += deadLetters.length;
    this.push(touched);
    if (!this.opts.backgroundStateWrites) {
      await this.store.batchPut(states.map((st) => stateItem(st, nowIso)));
      return;
    }
    // Bounded: with two batches' writes still pending, this batch waits (the router slows the broker down).
    if (this.pendingStateWrites >= 2) await this.stateWrites;
    const previous = this.stateWrites;
    this.pendingStateWrites++;
    this.stateWrites = (async () => {
      await previous;
      await asSystem(tenant, () => this.store.batchPut(states.map((st) => stateItem(st, nowIso)))).catch((err: Error) => {
        logger.warn('state writes failed; retried with a later batch', { tenant, states: states.length, error: err.message });
        for (const st of states) {
          const c = this.states.get(`${tenant}/${st.deviceId}`);
          if (c) c.writtenAt = 0;
        }
      });
      this.pendingStateWrites--;
    })();
  }

  /** Push live states that changed their alarm level, or were not pushed for a while. */
  private push(touched: Array<{ device: Device; state: DeviceState }>): void {
    for (const { device, state } of touched) {
      const c = this.states.get(`${device.tenant}/${device.id}`);
      if (!c) continue;
      const live = liveOf(state, activeLevels(state));
      if (live.alarmLevel === c.pushedLevel && Date.now() - c.pushedAt < this.opts.livePushSeconds * 1000) continue;
      c.pushedAt = Date.now();
      c.pushedLevel = live.alarmLevel;
      this.live.device(device.tenant, device.id, live);
    }
  }

  /** Alarm transitions into alarm items: raise (one open per device and rule), level change, clear. */
  private async applyAlarmEvents(device: Device, rules: AlarmRule[], events: AlarmEvent[], now: Date): Promise<void> {
    for (const ev of events) {
      const rule = rules.find((r) => r.id === ev.ruleId);
      if (!rule) continue;
      const marker = keys.openAlarm(device.tenant, device.id, rule.id);
      if (ev.type === 'raise') {
        const alarm: AlarmItem = {
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
          history: [{ at: now.toISOString(), action: 'raised', actor: 'system', level: ev.level, value: ev.value }],
          domain: DEVICE_KINDS[device.kind].domain,
          deviceName: device.name,
          location: device.location,
          ...(opensCase(rule, ev.level) ? { wantsCase: true } : {}),
        };
        const tx: TxItem[] = [
          { Put: { Item: { ...marker, alarmId: alarm.id, entity: 'open-alarm' }, ConditionExpression: 'attribute_not_exists(PK)' } },
          { Put: { Item: alarmItem(alarm) } },
        ];
        try {
          await this.store.transact(tx);
          this.stats.alarmsRaised++;
          this.live.alarm(device.tenant, alarmView(alarm));
        } catch (err) {
          // Already open (a redelivered batch, or state lost and rebuilt): the herd raises one alarm. Any other
          // cancellation (throttling, a conflict) fails the batch so it is retried.
          const reasons = (err as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
          if (!isConditionFailure(err) || reasons?.[0]?.Code !== 'ConditionalCheckFailed') throw err;
        }
        continue;
      }
      const open = await this.store.get(z.object({ alarmId: z.string() }), marker);
      if (!open) continue;
      // A person may acknowledge or dispose at the same moment: write only over the version read, else read again.
      for (let attempt = 0; ; attempt++) {
        if (attempt === 5) throw new Error(`alarm ${open.alarmId} kept changing; the batch is retried`);
        const current = await this.store.get(AlarmItem, keys.alarm(device.tenant, open.alarmId));
        if (!current) break;
        const unchanged = { ConditionExpression: '#s = :s AND size(history) = :n', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': current.status, ':n': current.history.length } };
        try {
          if (ev.type === 'level') {
            const next: AlarmItem = {
              ...current,
              level: ev.level,
              value: ev.value,
              history: [...current.history, { at: now.toISOString(), action: 'escalated', actor: 'system', level: ev.level, value: ev.value }],
              ...(opensCase(rule, ev.level) ? { wantsCase: true } : {}),
            };
            await this.store.put(alarmItem(next), unchanged);
            this.live.alarm(device.tenant, alarmView(next));
          } else {
            const next: AlarmItem = { ...current, status: 'cleared', clearedAt: ev.at, history: [...current.history, { at: now.toISOString(), action: 'cleared', actor: 'system', value: ev.value }] };
            await this.store.transact([{ Put: { Item: alarmItem(next), ...unchanged } }, { Delete: { Key: marker } }]);
            this.live.alarm(device.tenant, alarmView(next));
          }
          break;
        } catch (err) {
          if (!isConditionFailure(err)) throw err;
        }
      }
    }
  }

  /**
   * Offline detection and silent buckets (a scheduled sweep): devices not heard from for a rule's minutes raise
   * its alarm once; buckets of silent devices are closed. Runs over the tenant's stored states.
   */
  async sweep(tenant: string): Promise<number> {
    return await this.exclusive(tenant, () => asSystem(tenant, async () => {
      const now = this.clock();
      const nowIso = now.toISOString();
      const rulesFile = await this.tenantRules(tenant);
      const devices = await this.tenantDevices(tenant);
      await this.stateWrites;
      const stored = await this.store.query(StateItem, { index: 'GSI2', pk: keys.deviceStates(tenant) });
      let raised = 0;
      const writes: Item[] = [];
      for (const it of stored) {
        const key = `${tenant}/${it.state.deviceId}`;
        const device = devices.get(it.state.deviceId);
        if (!device || device.status !== 'active') continue;
        // Locally this process holds the newest state; in AWS, the table does (other containers ingest too).
        const state = (this.opts.backgroundStateWrites ? this.states.get(key)?.state : undefined) ?? it.state;
        const rules = rulesFile ? effectiveRules(rulesFile, device) : [];
        const off = offlineCheck(state, rules, nowIso);
        const closed = closeDueBucket(off.state, nowIso, 60);
        if (!off.events.length && !closed.closed) continue;
        writes.push(stateItem(closed.state, nowIso));
        if (closed.closed) writes.push(aggregateItem(closed.closed));
        this.states.set(key, { state: closed.state, writtenAt: Date.now(), pushedAt: 0, pushedLevel: null });
        if (off.events.length) {
          await this.store.batchPut(writes.splice(0));
          await this.applyAlarmEvents(device, rules, off.events, now);
          raised += off.events.filter((e) => e.type === 'raise').length;
          this.push([{ device, state: closed.state }]);
        }
      }
      await this.store.batchPut(writes);
      return raised;
    }));
  }

  /** One batch or sweep of a tenant at a time: both read and replace the in-memory states. */
  private readonly running = new Map<string, Promise<unknown>>();
  private async exclusive<T>(tenant: string, fn: () => Promise<T>): Promise<T> {
    const before = this.running.get(tenant) ?? Promise.resolve();
    const mine = before.catch(() => undefined).then(fn);
    this.running.set(tenant, mine);
    try {
      return await mine;
    } finally {
      if (this.running.get(tenant) === mine) this.running.delete(tenant);
    }
  }

  /** State writes running after their batch (backgroundStateWrites). */
  private stateWrites: Promise<void> = Promise.resolve();
  private pendingStateWrites = 0;

  /** Write every state held in memory that the table has not seen yet (before a stop). */
  async flush(): Promise<void> {
    await this.stateWrites;
    const byTenant = new Map<string, DeviceState[]>();
    for (const c of this.states.values()) byTenant.set(c.state.tenant, [...(byTenant.get(c.state.tenant) ?? []), c.state]);
    const nowIso = this.clock().toISOString();
    for (const [tenant, states] of byTenant) await asSystem(tenant, () => this.store.batchPut(states.map((s) => stateItem(s, nowIso))));
  }

  /** The live state of a device as this instance knows it (memory first), for the API. */
  cachedState(tenant: string, id: string): DeviceState | undefined {
    return this.states.get(`${tenant}/${id}`)?.state;
  }
}
