/**
 * The monitoring screens' live push, as the screens see it (ADR 009). Locally the API streams it as SSE
 * (GET /v1/monitoring/events, one `device` or `alarm` event per change); in AWS the platform publishes to IoT
 * Core topics (contracts/src/mqtt.ts `liveTopic`) that screens subscribe to over MQTT/WSS, several changes per
 * message. GET /v1/monitoring/live-channel says which one applies and how to connect.
 */
import { z } from 'zod';
import { AlarmView, DeviceLiveEvent } from './monitoring-api';

/** Payload on cityops/live/<tenant>/devices: devices whose live state changed, the newest state of each. */
export const LiveDevicesMessage = z.object({ devices: z.array(DeviceLiveEvent).min(1) });
export type LiveDevicesMessage = z.infer<typeof LiveDevicesMessage>;

/** Payload on cityops/live/<tenant>/alarms: alarms raised or changed, the newest version of each. */
export const LiveAlarmsMessage = z.object({ alarms: z.array(AlarmView).min(1) });
export type LiveAlarmsMessage = z.infer<typeof LiveAlarmsMessage>;

/** The largest message the platform publishes (IoT Core refuses payloads over 128 KB); larger batches are split. */
export const LIVE_MESSAGE_MAX_BYTES = 96 * 1024;

/** The MQTT connection parameters of a screen (AWS). */
export const MqttLiveChannel = z.object({
  kind: z.literal('mqtt'),
  /** wss://<IoT data endpoint>/mqtt */
  url: z.string().regex(/^wss:\/\/[^/]+\/mqtt$/),
  /** The IoT Core custom authorizer; the client names it in the URL query and sends its token as the MQTT password. */
  authorizer: z.string().min(1),
  /** The client id must start with this (one per user; a random suffix per screen). */
  clientIdPrefix: z.string().regex(/^[A-Za-z0-9-]{1,100}$/),
  /** The topic filters to subscribe to. */
  topics: z.array(z.string().min(1)).min(1).max(8),
});
export type MqttLiveChannel = z.infer<typeof MqttLiveChannel>;

/** GET /v1/monitoring/live-channel: SSE from the API (local stack), MQTT over WSS (AWS), or no push (lists only). */
export const LiveChannel = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sse'), url: z.string().startsWith('/') }),
  MqttLiveChannel,
  z.object({ kind: z.literal('none') }),
]);
export type LiveChannel = z.infer<typeof LiveChannel>;
