/**
 * MQTT topic grammar, declared once: cityops/<tenant>/devices/<deviceId>/<channel>.
 * The broker ACL (locally) and the IoT policy and topic rules (in AWS) are generated from this module.
 */
import { z } from 'zod';
import { DivisionCode } from './divisions';

export const TOPIC_ROOT = 'cityops';
export const DeviceId = z.string().regex(/^[A-Za-z0-9_-]{3,64}$/, { message: 'a device id is 3–64 letters, digits, _ or -' });
export const Channel = z.enum(['telemetry', 'status', 'events']);
export type Channel = z.infer<typeof Channel>;

export const deviceTopic = (tenant: string, deviceId: string, channel: Channel): string =>
  `${TOPIC_ROOT}/${tenant}/devices/${deviceId}/${channel}`;

/** The prefix a device may publish under (and nothing else). */
export const devicePrefix = (tenant: string, deviceId: string): string => `${TOPIC_ROOT}/${tenant}/devices/${deviceId}/`;

export const ParsedTopic = z.object({ tenant: DivisionCode, deviceId: DeviceId, channel: Channel });
export type ParsedTopic = z.infer<typeof ParsedTopic>;

/** Parse a concrete topic; undefined when it does not follow the grammar. */
export function parseTopic(topic: string): ParsedTopic | undefined {
  const parts = topic.split('/');
  if (parts.length !== 5 || parts[0] !== TOPIC_ROOT || parts[2] !== 'devices') return undefined;
  const r = ParsedTopic.safeParse({ tenant: parts[1], deviceId: parts[3], channel: parts[4] });
  return r.success ? r.data : undefined;
}

/** IoT SQL topic filter for a channel across all tenants and devices; topic(2) is the tenant, topic(4) the device. */
export const ruleTopicFilter = (channel: Channel): string => `${TOPIC_ROOT}/+/devices/+/${channel}`;

/**
 * Live topics of the monitoring screens (AWS: IoT Core, ADR 009): cityops/live/<tenant>/<kind>. Only the
 * platform publishes here (the device policy pins devices under cityops/<tenant>/devices/…, and `live` is no
 * division code, so device rules never select these); screens only subscribe, each to its own tenant.
 */
export const LIVE_TOPIC_ROOT = `${TOPIC_ROOT}/live`;
export const LiveKind = z.enum(['devices', 'alarms']);
export type LiveKind = z.infer<typeof LiveKind>;

export const liveTopic = (tenant: string, kind: LiveKind): string => `${LIVE_TOPIC_ROOT}/${tenant}/${kind}`;

/** Every tenant's topic of a kind (a province screen subscribes to this; IoT Core delivers only what it may receive). */
export const liveTopicFilter = (kind: LiveKind): string => `${LIVE_TOPIC_ROOT}/+/${kind}`;

export const ParsedLiveTopic = z.object({ tenant: DivisionCode, kind: LiveKind });
export type ParsedLiveTopic = z.infer<typeof ParsedLiveTopic>;

/** Parse a concrete live topic; undefined when it does not follow the grammar. */
export function parseLiveTopic(topic: string): ParsedLiveTopic | undefined {
  const parts = topic.split('/');
  if (parts.length !== 4 || `${parts[0]}/${parts[1]}` !== LIVE_TOPIC_ROOT) return undefined;
  const r = ParsedLiveTopic.safeParse({ tenant: parts[2], kind: parts[3] });
  return r.success ? r.data : undefined;
}
