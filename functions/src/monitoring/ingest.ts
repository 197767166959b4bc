/**
 * The telemetry ingest (MON-1, MON-3): what the IoT rule's queue delivers (in AWS, the SQS-batched Lambda) or the
 * local broker's rule router hands over, one batch of `RuleEnvelope`s at a time. Per message: the device is looked
 * up (unknown or decommissioned → dead letter), the payload is checked against its kind (size, JSON, metrics,
 * types, ranges → dead letter with the reason); per device, the messages are folded into its latest state by the
 * pure engine (duplicates and redeliveries change nothing), closed time buckets are written as aggregates, and
 * alarm transitions become alarm items (one open alarm per device and rule, whatever the herd of readings).
 * A failure of one tenant's part fails only that part's messages (partial batch response), never the others.
 *
 * In AWS several containers consume one standard queue, so two may hold the same device (ADR 008): each state is
 * written only over the version it was folded from, together with what it caused (closed buckets, alarms), and a
 * device that meets a newer state fails only its own messages, which come again and are folded on the table's state.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  DeadLetter,
  Device,
  DeviceState,
  MAX_TELEMETRY_BYTES,
  TenantAlarmRules,
  effectiveRules,
  isAtLeast,
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
import { cancellationCodes, isConditionFailure, type Item, type Store, type TxItem } from '../data/store';
import { envelopePayload, type RuleEnvelope } from '../devices/telemetry-rules';
import { asSystem } from '../flows/task-handlers';
import { logger } from '../shared/logger';
import { inParallel } from '../shared/parallel';
import { AlarmItem, OpenAlarmMarker, alarmView, planAlarmWrites, type OpenAlarm } from './alarm-writes';
import { foldTelemetry, offlineCheck, closeDueBucket } from './engine';

export { AlarmItem, alarmItem, alarmView } from './alarm-writes';

/** Where live changes go (the monitoring screens' push channel); the local stack fans them out over SSE. */
export interface LiveEvents {
  device(tenant: string, id: string, live: DeviceLiveState): void;
  alarm(tenant: string, alarm: AlarmView): void;
}
export const noLiveEvents: LiveEvents = { device: () => undefined, alarm: () => undefined };

export interface IngestOptions {
  bucketSeconds: number;
  /**
   * With `backgroundStateWrites`: write a device's state at most this often unless something else forces it (an
   * alarm transition, a closed bucket). Locally, with one consumer, the state in memory is the truth and the table
   * copy may lag by this much. Without (AWS), every state a batch changed is written with that batch.
   */
  stateFlushSeconds: number;
  /** How long device records and rules are cached. */
  cacheSeconds: number;
  /** Push a device's live state at most this often (alarm level changes are pushed at once). */
  livePushSeconds: number;
  /**
   * Write device states after the batch returns instead of before (the local stack, where memory is the truth):
   * the next batch, and the alarms in it, do not wait for a few hundred state writes. A failed write is retried
   * with a later batch. Off in AWS, where a batch must be written before SQS may delete it, and where other
   * containers write the same devices: there each state is written over the version it was folded from.
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

/**
 * Stored forms: the schemas are strict, so items nest them beside their keys. A state's `version` counts its
 * writes (absent on items written before it existed, which count as 0); a guarded write replaces only the version
 * its fold started from.
 */
const StateItem = z.object({ state: DeviceState, version: z.number().int().min(0).optional(), writtenAt: z.string().optional() });
/** The tenant's alarm rules as stored at onboarding (tenants/<code>/alarm-rules.json). */
export const RulesItem = z.object({ rules: TenantAlarmRules });

/** One rule of a tenant, or undefined (no file, or the rule was removed since). */
export async function tenantRule(store: Store, tenant: string, ruleId: string): Promise<AlarmRule | undefined> {
  return (await store.get(RulesItem, keys.tenantAlarmRules(tenant)))?.rules.rules.find((r) => r.id === ruleId);
}
export const stateItem = (s: DeviceState, now: string, version: number): Item => ({ ...keys.deviceState(s.tenant, s.deviceId), state: s, version, writtenAt: now, entity: 'device-state', GSI2PK: keys.deviceStates(s.tenant), GSI2SK: s.deviceId });
const aggregateItem = (a: TelemetryAggregate): Item => ({ ...keys.telemetryAggregate(a.tenant, a.deviceId, a.bucketStart), aggregate: a, entity: 'telemetry-aggregate', expiresAt: Math.floor(Date.parse(a.bucketStart) / 1000) + 400 * 86400 });
/** Only over `version` (0: no state yet, or one stored before versions): another container may have written since. */
const overVersion = (version: number) =>
  version === 0
    ? { ConditionExpression: 'attribute_not_exists(#v)', ExpressionAttributeNames: { '#v': 'version' } }
    : { ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': version } };
/** DynamoDB's limit on the items of one transaction. */
const MAX_TRANSACTION_ITEMS = 100;
/** Guarded state writes (one request per device) in flight at once, per tenant part. */
const STATE_WRITE_PARALLELISM = 16;

/** A state as the table holds it: what a fold starts from and a guarded write replaces. */
interface Versioned {
  state: DeviceState;
  version: number;
}

export function liveOf(state: DeviceState | undefined, openLevels: Array<AlarmEvent['level']>): DeviceLiveState {
  const level = openLevels.reduce<DeviceLiveState['alarmLevel']>((acc, l) => (acc === null || isAtLeast(l, acc) ? l : acc), null);
  return { online: state?.online ?? false, lastTs: state?.lastTs ?? null, receivedAt: state?.receivedAt ?? null, readings: state?.readings ?? {}, alarmLevel: level };
}
const activeLevels = (s: DeviceState | undefined) => Object.values(s?.rules ?? {}).flatMap((m) => (m.level ? [m.level] : []));

/**
 * One ingest instance keeps per-tenant caches (devices, rules) and per-device states between batches. In AWS an
 * instance lives as long as its Lambda container; its states are a cache of the table, written after every batch
 * over the version they were folded from.
 */
export class TelemetryIngest {
  readonly stats: IngestStats = { received: 0, accepted: 0, duplicates: 0, deadLettered: 0, alarmsRaised: 0 };
  private readonly devices = new Map<string, { at: number; byId: Map<string, Device> }>();
  private readonly rules = new Map<string, { at: number; file: TenantAlarmRules | undefined }>();
  private readonly states = new Map<string, { state: DeviceState; version: number; writtenAt: number; pushedAt: number; pushedLevel: string | null }>();

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
        let mine: number[];
        try {
          mine = await this.exclusive(tenant, () => asSystem(tenant, () => this.ingestTenant(tenant, idx.map((i) => envelopes[i]!)))).then((part) => part.map((j) => idx[j]!));
        } catch (err) {
          logger.error('ingest failed for a tenant batch', { tenant, messages: idx.length, error: (err as Error).message });
          mine = idx;
        }
        this.stats.received -= mine.length; // they come again
        failed.push(...mine);
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

  /** One tenant's part of a batch; returns the indexes (in `envelopes`) of the messages to fail. */
  private async ingestTenant(tenant: string, envelopes: RuleEnvelope[]): Promise<number[]> {
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
    const perDevice = new Map<string, DeviceMessages>();
    envelopes.forEach((e, index) => {
      const device = devices.get(e.deviceId);
      if (!device) return dead(e, 'UNKNOWN_DEVICE', 'no device with this id is registered for the tenant');
      if (device.status !== 'active') return dead(e, 'DEVICE_DECOMMISSIONED', 'the device was decommissioned');
      if (e.channel !== 'telemetry') return; // status messages only prove the device is alive (not yet used)
      const bytes = envelopePayload(e);
      if (bytes.length > MAX_TELEMETRY_BYTES) return dead(e, 'PAYLOAD_TOO_LARGE', `${bytes.length} bytes > ${MAX_TELEMETRY_BYTES}`);
      const parsed = parseTelemetry(device.kind, bytes);
      if (!parsed.ok) return dead(e, parsed.reason, parsed.detail);
      const group = perDevice.get(device.id) ?? { device, messages: [], indexes: [] };
      group.messages.push(parsed.message);
      group.indexes.push(index);
      perDevice.set(device.id, group);
    });

    // States not in memory come from the table in one batch read.
    const missing = [...perDevice.keys()].filter((id) => !this.states.has(`${tenant}/${id}`));
    if (missing.length) {
      for (const it of await this.store.batchGet(StateItem, missing.map((id) => keys.deviceState(tenant, id)))) {
        this.states.set(`${tenant}/${it.state.deviceId}`, { state: it.state, version: it.version ?? 0, writtenAt: Date.now(), pushedAt: 0, pushedLevel: null });
      }
    }
    if (!this.opts.backgroundStateWrites) return await this.foldAndCommit(tenant, perDevice, deadLetters, now);
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
    return [];
  }

  /**
   * AWS: other containers may hold the same devices (a standard queue has no per-device order). Each changed
   * state is written over the version it was folded from, with its closed buckets and alarm transitions in the
   * same transaction, so they exist exactly when the state that produced them does. A device whose write meets a
   * newer state (or fails otherwise) leaves the cache and fails only its own messages: SQS delivers them again,
   * they are folded on the table's state, and the ones already applied there count as duplicates.
   */
  private async foldAndCommit(tenant: string, perDevice: Map<string, DeviceMessages>, deadLetters: Item[], now: Date): Promise<number[]> {
    const rulesFile = await this.tenantRules(tenant);
    // First, so a failure here fails the whole part before any state moved on (keyed by message: no double).
    await this.store.batchPut(deadLetters);
    this.stats.deadLettered += deadLetters.length;
    const failed: number[] = [];
    const touched: Array<{ device: Device; state: DeviceState }> = [];
    await inParallel([...perDevice.values()], STATE_WRITE_PARALLELISM, async ({ device, messages, indexes }) => {
      const key = `${tenant}/${device.id}`;
      const cached = this.states.get(key);
      const rules = rulesFile ? effectiveRules(rulesFile, device) : [];
      let outcome: Awaited<ReturnType<typeof this.commitFold>>;
      try {
        outcome = await this.commitFold(device, rules, messages, cached, now);
      } catch (err) {
        logger.warn('device state write failed; its messages are retried', { tenant, deviceId: device.id, messages: messages.length, error: (err as Error).message });
        outcome = 'conflict';
      }
      if (outcome === 'conflict') {
        this.states.delete(key);
        failed.push(...indexes);
        return;
      }
      this.stats.accepted += outcome.accepted;
      this.stats.duplicates += outcome.duplicates;
      if (!outcome.to || outcome.to === cached) return;
      this.states.set(key, { ...outcome.to, writtenAt: Date.now(), pushedAt: cached?.pushedAt ?? 0, pushedLevel: cached?.pushedLevel ?? null });
      touched.push({ device, state: outcome.to.state });
    });
    if (failed.length) logger.info('device states changed meanwhile; their messages are retried', { tenant, messages: failed.length });
    this.push(touched);
    return failed;
  }

  /**
   * Fold `messages` on `from` and write the result over its version. 'conflict' when the table holds a newer
   * state. A fold whose writes do not fit one transaction (a device back from hours offline closing as many
   * buckets) is split by seq: each half is written in turn, and what the first wrote stays applied.
   */
  private async commitFold(device: Device, rules: AlarmRule[], messages: TelemetryMessage[], from: Versioned | undefined, now: Date): Promise<{ to: Versioned | undefined; accepted: number; duplicates: number } | 'conflict'> {
    const r = foldTelemetry(from?.state, device, messages, rules, { bucketSeconds: this.opts.bucketSeconds, receivedAt: now.toISOString() });
    if (!r.state || r.accepted === 0) return { to: from, accepted: 0, duplicates: r.duplicates };
    if (messages.length > 1 && 1 + r.closedBuckets.length + 2 * r.events.length > MAX_TRANSACTION_ITEMS) {
      const sorted = [...messages].sort((a, b) => a.seq - b.seq);
      const half = Math.ceil(sorted.length / 2);
      const first = await this.commitFold(device, rules, sorted.slice(0, half), from, now);
      if (first === 'conflict') return first;
      const second = await this.commitFold(device, rules, sorted.slice(half), first.to, now);
      return second === 'conflict' ? second : { to: second.to, accepted: first.accepted + second.accepted, duplicates: first.duplicates + second.duplicates };
    }
    const version = from?.version ?? 0;
    const w = await this.writeState(device, rules, { state: r.state, version }, true, r.closedBuckets, r.events, now);
    return w.written ? { to: { state: r.state, version: version + 1 }, accepted: r.accepted, duplicates: r.duplicates } : 'conflict';
  }

  /**
   * Write one device's new state as version `from.version + 1` (over `from.version` when `guarded`), with its
   * closed buckets and alarm transitions in one transaction when there are any. Not written when guarded and the
   * table holds another version. An alarm changed meanwhile by someone else is read again and planned again.
   */
  private async writeState(device: Device, rules: AlarmRule[], from: Versioned, guarded: boolean, closed: TelemetryAggregate[], events: AlarmEvent[], now: Date): Promise<{ written: boolean; raised: number }> {
    const item = stateItem(from.state, now.toISOString(), from.version + 1);
    const condition = guarded ? overVersion(from.version) : {};
    if (!closed.length && !events.length) {
      try {
        await this.store.put(item, condition);
        return { written: true, raised: 0 };
      } catch (err) {
        if (guarded && isConditionFailure(err)) return { written: false, raised: 0 };
        throw err;
      }
    }
    const buckets: TxItem[] = closed.map((a) => ({ Put: { Item: aggregateItem(a) } }));
    for (let attempt = 0; attempt < 5; attempt++) {
      const plan = planAlarmWrites(device, rules, events, await this.openAlarms(device, events), now);
      try {
        await this.store.transact([{ Put: { Item: item, ...condition } }, ...buckets, ...plan.tx]);
      } catch (err) {
        const codes = cancellationCodes(err);
        if (guarded && codes[0] === 'ConditionalCheckFailed') return { written: false, raised: 0 };
        if (codes.includes('ConditionalCheckFailed')) continue;
        throw err;
      }
      this.stats.alarmsRaised += plan.raised.length;
      for (const a of plan.written) this.live.alarm(device.tenant, alarmView(a));
      return { written: true, raised: plan.raised.length };
    }
    throw new Error(`the alarms of device ${device.id} kept changing`);
  }

  /** The alarms open for the rules of `events`, as the table holds them now. */
  private async openAlarms(device: Device, events: readonly AlarmEvent[]): Promise<Map<string, OpenAlarm>> {
    const open = new Map<string, OpenAlarm>();
    for (const ruleId of new Set(events.map((e) => e.ruleId))) {
      const marker = await this.store.get(OpenAlarmMarker, keys.openAlarm(device.tenant, device.id, ruleId));
      if (marker) open.set(ruleId, { alarmId: marker.alarmId, alarm: await this.store.get(AlarmItem, keys.alarm(device.tenant, marker.alarmId)) });
    }
    return open;
  }

  /**
   * The local stack (one consumer, memory is the truth): states are written at most every `stateFlushSeconds`
   * and after their batch returns, in coalesced batch writes; alarms and aggregates with their batch.
   */
  private async foldAndWrite(tenant: string, perDevice: Map<string, DeviceMessages>, deadLetters: Item[], now: Date): Promise<void> {
    const nowIso = now.toISOString();
    const rulesFile = await this.tenantRules(tenant);
    const writes: Item[] = [...deadLetters];
    const stateWrites: Item[] = [];
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
      // The only writer here: versions are kept counting (unguarded) so the items stay what a guarded writer expects.
      const version = (cached?.version ?? 0) + (due ? 1 : 0);
      if (due) stateWrites.push(stateItem(r.state, nowIso, version));
      writes.push(...r.closedBuckets.map(aggregateItem));
      // Jittered, so devices first heard together do not all fall due in the same later batch.
      const writtenAt = due ? Date.now() - Math.random() * this.opts.stateFlushSeconds * 500 : (cached?.writtenAt ?? 0);
      this.states.set(key, { state: r.state, version, writtenAt, pushedAt: cached?.pushedAt ?? 0, pushedLevel: cached?.pushedLevel ?? null });
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
    // Bounded: with two batches' writes still pending, this batch waits (the router slows the broker down).
    if (this.pendingStateWrites >= 2) await this.stateWrites;
    const previous = this.stateWrites;
    this.pendingStateWrites++;
    this.stateWrites = (async () => {
      await previous;
      await asSystem(tenant, () => this.store.batchPut(stateWrites)).catch((err: Error) => {
        logger.warn('state writes failed; retried with a later batch', { tenant, states: stateWrites.length, error: err.message });
        for (const it of stateWrites) {
          const c = this.states.get(`${tenant}/${(it.state as DeviceState).deviceId}`);
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

  /**
   * Alarm transitions alone (the local path, where the state is written later): raise (one open per device and
   * rule), level change, clear, in one transaction per device, planned again if someone changed an alarm meanwhile.
   */
  private async applyAlarmEvents(device: Device, rules: AlarmRule[], events: AlarmEvent[], now: Date): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const plan = planAlarmWrites(device, rules, events, await this.openAlarms(device, events), now);
      if (!plan.tx.length) return;
      try {
        await this.store.transact(plan.tx);
      } catch (err) {
        // Any other cancellation (throttling, a conflict) fails the batch so it is retried.
        if (cancellationCodes(err).includes('ConditionalCheckFailed')) continue;
        throw err;
      }
      this.stats.alarmsRaised += plan.raised.length;
      for (const a of plan.written) this.live.alarm(device.tenant, alarmView(a));
      return;
    }
    throw new Error(`the alarms of device ${device.id} kept changing; the batch is retried`);
  }

  /**
   * Offline detection and silent buckets (a scheduled sweep): devices not heard from for a rule's minutes raise
   * its alarm once; buckets of silent devices are closed. Runs over the tenant's stored states; in AWS, where
   * ingest containers write the same states meanwhile, each write is guarded like theirs, and a device whose
   * state moved on is left to the next sweep.
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
      await inParallel(stored, STATE_WRITE_PARALLELISM, async (it) => {
        const key = `${tenant}/${it.state.deviceId}`;
        const device = devices.get(it.state.deviceId);
        if (!device || device.status !== 'active') return;
        // Locally this process holds the newest state; in AWS, the table does (other containers ingest too).
        const cached = this.opts.backgroundStateWrites ? this.states.get(key) : undefined;
        const from: Versioned = cached ?? { state: it.state, version: it.version ?? 0 };
        const rules = rulesFile ? effectiveRules(rulesFile, device) : [];
        const off = offlineCheck(from.state, rules, nowIso);
        const closed = closeDueBucket(off.state, nowIso, 60);
        if (!off.events.length && !closed.closed) return;
        const w = await this.writeState(device, rules, { state: closed.state, version: from.version }, !this.opts.backgroundStateWrites, closed.closed ? [closed.closed] : [], off.events, now);
        if (!w.written) {
          this.states.delete(key);
          return;
        }
        raised += w.raised;
        this.states.set(key, { state: closed.state, version: from.version + 1, writtenAt: Date.now(), pushedAt: 0, pushedLevel: null });
        if (off.events.length) this.push([{ device, state: closed.state }]);
      });
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

  /** Write every state held in memory that the table has not seen yet (before a stop; the local stack). */
  async flush(): Promise<void> {
    await this.stateWrites;
    const byTenant = new Map<string, Item[]>();
    const nowIso = this.clock().toISOString();
    for (const c of this.states.values()) {
      c.version += 1;
      byTenant.set(c.state.tenant, [...(byTenant.get(c.state.tenant) ?? []), stateItem(c.state, nowIso, c.version)]);
    }
    for (const [tenant, items] of byTenant) await asSystem(tenant, () => this.store.batchPut(items));
  }

  /** The live state of a device as this instance knows it (memory first), for the API. */
  cachedState(tenant: string, id: string): DeviceState | undefined {
    return this.states.get(`${tenant}/${id}`)?.state;
  }
}

/** One device's messages in a tenant's part of a batch, with their indexes in that part. */
interface DeviceMessages {
  device: Device;
  messages: TelemetryMessage[];
  indexes: number[];
}
