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
