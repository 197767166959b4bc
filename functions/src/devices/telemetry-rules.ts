/**
 * The device message rules, declared once. The CDK app turns each entry into an IoT Core topic rule
 * (infra/aws/lib/iot-stack.ts: name, SQL, actions per target); the local stack routes broker messages through
 * the same table with `matchRule` + `ruleEnvelope` + `archiveKey`, which compute locally what the rule's SQL and
 * S3 key template compute in IoT Core. Pure: no AWS SDK, no CDK.
 *
 * Every rule emits the same envelope (`RuleEnvelope`): the device's payload bytes, base64-encoded and untouched,
 * plus tenant, device and channel from the topic and the time IoT Core received the message. The device policy
 * pins a device to publishing under cityops/<its tenant attribute>/devices/<its thing name>/, so these
 * topic-derived fields are trustworthy. Encoding the payload instead of `SELECT *, …`:
 * - malformed or non-JSON payloads still reach the ingest, which can dead-letter them with a reason (with
 *   `SELECT *, …` IoT Core fails such messages into the error action and the ingest never sees them);
 * - the payload's own fields never mix with (or spoof) the topic fields, and a strict payload schema still holds;
 * - an archived object is an SQS message body as the ingest receives it, so the archive can be replayed.
 */
import { z } from 'zod';
import { Channel, DeviceId, parseTopic, ruleTopicFilter } from '../../../contracts/src/mqtt';
import { DivisionCode } from '../../../contracts/src/divisions';

/** Where a rule sends its output: the ingest queue (→ batched ingest Lambda) and/or the raw archive in S3. */
export const RULE_TARGETS = ['ingest-queue', 'raw-archive'] as const;
export type RuleTarget = (typeof RULE_TARGETS)[number];

/** 1-based topic levels of cityops/<tenant>/devices/<deviceId>/<channel>, as IoT SQL's topic(n) counts them. */
export const TOPIC_LEVEL = { tenant: 2, deviceId: 4, channel: 5 } as const;

/** IoT SQL version of every rule. */
export const RULE_SQL_VERSION = '2016-03-23';

export interface TelemetryRule {
  /** Short name, [a-z0-9_]; the IoT rule is named cityops_<stage>_<name>. */
  readonly name: string;
  readonly channel: Channel;
  readonly description: string;
  /** The FROM topic filter: this channel for every tenant and device. */
  readonly topicFilter: string;
  /** The complete IoT SQL statement. */
  readonly sql: string;
  readonly targets: readonly RuleTarget[];
}

/** The SQL of a channel's rule: the `RuleEnvelope` of every message on that channel. */
export function ruleSql(channel: Channel): string {
  const t = TOPIC_LEVEL;
  return (
    `SELECT encode(*, 'base64') AS payload, topic(${t.tenant}) AS tenant, topic(${t.deviceId}) AS deviceId, ` +
    `topic(${t.channel}) AS channel, timestamp() AS receivedAt FROM '${ruleTopicFilter(channel)}'`
  );
}

function declare(name: string, channel: Channel, description: string, targets: readonly RuleTarget[]): TelemetryRule {
  return { name, channel, description, topicFilter: ruleTopicFilter(channel), sql: ruleSql(channel), targets };
}

/**
 * The rules. `events` has no rule yet: nothing consumes device events, and IoT Core drops a message no rule
 * selects (the device policy still allows publishing it).
 */
export const TELEMETRY_RULES: readonly TelemetryRule[] = [
  declare('telemetry', 'telemetry', 'Device readings -> ingest queue + raw archive in S3', ['ingest-queue', 'raw-archive']),
  declare('status', 'status', 'Device status (online, battery, faults) -> ingest queue + raw archive in S3', ['ingest-queue', 'raw-archive']),
];

/** The SQL of the telemetry rule (kept for infra/aws/lib/iot-policy.ts and its tests). */
export const telemetryRuleSql = (): string => ruleSql('telemetry');

/**
 * S3 key of the raw archive, an IoT substitution template:
 * telemetry/<tenant>/<date in China time>/<device>/<channel>/<ms>-<uuid>.json. `archiveKey` is the local twin.
 */
export const ARCHIVE_KEY_TEMPLATE =
  `telemetry/\${topic(${TOPIC_LEVEL.tenant})}/\${parse_time("yyyy-MM-dd", timestamp(), "Asia/Shanghai")}/` +
  `\${topic(${TOPIC_LEVEL.deviceId})}/\${topic(${TOPIC_LEVEL.channel})}/\${timestamp()}-\${newuuid()}.json`;

/** The key `ARCHIVE_KEY_TEMPLATE` yields for a message received at `receivedAt` (ms); undefined off-grammar. */
export function archiveKey(topic: string, receivedAt: number, uuid: string): string | undefined {
  const parsed = parseTopic(topic);
  if (!parsed) return undefined;
  // China Standard Time is UTC+8 all year (no daylight saving), so a fixed offset equals Asia/Shanghai.
  const date = new Date(receivedAt + 8 * 3_600_000).toISOString().slice(0, 10);
  return `telemetry/${parsed.tenant}/${date}/${parsed.deviceId}/${parsed.channel}/${receivedAt}-${uuid}.json`;
}

/**
 * MQTT topic filter matching (MQTT 3.1.1 §4.7): `+` matches exactly one level (possibly empty), `#` (last level
 * only) matches the parent level and any number of levels below it; filters starting with a wildcard do not
 * match topics starting with `$`. A malformed filter matches nothing.
 */
export function topicMatches(filter: string, topic: string): boolean {
  if (filter === '' || topic === '' || topic.includes('+') || topic.includes('#')) return false;
  const f = filter.split('/');
  const t = topic.split('/');
  if ((f[0] === '+' || f[0] === '#') && topic.startsWith('$')) return false;
  for (let i = 0; i < f.length; i++) {
    const level = f[i]!;
    if (level === '#') return i === f.length - 1;
    if (level.includes('#') || (level.includes('+') && level !== '+')) return false;
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
}

/** The declared rule whose topic filter matches `topic` (filters are per channel, so at most one). */
export function matchRule(topic: string, rules: readonly TelemetryRule[] = TELEMETRY_RULES): TelemetryRule | undefined {
  return rules.find((r) => topicMatches(r.topicFilter, topic));
}

/** What every rule emits for one message: the SQS message body, and the archived object. */
export const RuleEnvelope = z.object({
  /** The MQTT payload exactly as published, base64. */
  payload: z.base64(),
  tenant: DivisionCode,
  deviceId: DeviceId,
  channel: Channel,
  /** Epoch ms at which the broker received the message (IoT SQL `timestamp()`). */
  receivedAt: z.number().int().nonnegative(),
});
export type RuleEnvelope = z.infer<typeof RuleEnvelope>;

/**
 * The local equivalent of `rule.sql` for one message. Undefined when the rule does not match the topic or the
 * topic is off the grammar (IoT Core's rule would not select it either: the policy forbids such topics).
 */
export function ruleEnvelope(rule: TelemetryRule, topic: string, payload: string | Uint8Array, receivedAt: number): RuleEnvelope | undefined {
  const parsed = parseTopic(topic);
  if (!parsed || !topicMatches(rule.topicFilter, topic)) return undefined;
  const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  return { payload: bytes.toString('base64'), tenant: parsed.tenant, deviceId: parsed.deviceId, channel: parsed.channel, receivedAt };
}

/** The payload bytes of an envelope (for the ingest: size check, then UTF-8 + JSON + message schema). */
export const envelopePayload = (envelope: Pick<RuleEnvelope, 'payload'>): Buffer => Buffer.from(envelope.payload, 'base64');
