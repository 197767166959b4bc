/**
 * The push channel of the monitoring screens: the ingest and the alarm module publish per tenant; the API's
 * event stream (SSE) subscribes per connected screen. In-process here (the local stack, one process); in AWS the
 * same port publishes to IoT Core topics the screens subscribe to over MQTT/WSS (iot-live-publisher.ts, ADR 009).
 */
import { EventEmitter } from 'node:events';
import type { AlarmView, DeviceLiveState } from '../../../contracts';
import type { LiveEvents } from './ingest';

export type LiveMessage = { type: 'device'; data: { id: string; live: DeviceLiveState } } | { type: 'alarm'; data: AlarmView };

export interface LiveFeed extends LiveEvents {
  /** Receive the tenant's messages until the returned function is called. */
  subscribe(tenant: string, fn: (m: LiveMessage) => void): () => void;
}

export function inProcessLiveFeed(): LiveFeed {
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  return {
    device: (tenant, id, live) => void bus.emit(tenant, { type: 'device', data: { id, live } } satisfies LiveMessage),
    alarm: (tenant, alarm) => void bus.emit(tenant, { type: 'alarm', data: alarm } satisfies LiveMessage),
    subscribe(tenant, fn) {
      bus.on(tenant, fn);
      return () => void bus.off(tenant, fn);
    },
  };
}
