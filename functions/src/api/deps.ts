import type { Health } from '../../../contracts';
import type { CitizenIssuer } from '../auth/citizen-issuer';
import type { Verifier } from '../auth/verify';
import type { Config } from '../config';
import type { Store } from '../data/store';
import type { WorkflowGateway } from '../flows/gateway';
import type { WeChatPort } from '../wechat/client';
import type { CaseEnv } from '../cases/ports';
import type { DeviceEnv } from '../devices/devices';
import type { LiveEvents, TelemetryIngest } from '../monitoring/ingest';
import type { LiveFeed } from '../monitoring/live';

/** What the monitoring routes need; absent where monitoring is not configured. */
export interface MonitoringDeps {
  devices: DeviceEnv;
  /** The running ingest of this process (the local stack): its in-memory states are newer than the table's. */
  ingest?: TelemetryIngest;
  /** The in-process push channel (the local stack); without one the event stream (SSE) is not available. */
  feed?: LiveFeed;
  /** Where alarm changes made through the API are pushed when there is no feed (AWS: IoT Core topics, ADR 009). */
  live?: LiveEvents;
  /** Screens follow the push over MQTT/WSS from IoT Core (AWS): its data endpoint and the custom authorizer's name. */
  mqtt?: { endpoint: string; authorizer: string };
}

/** Everything the HTTP app needs, chosen by the runtime (Lambda or the local stack) at start. */
export interface AppDeps {
  config: Config;
  store: Store;
  gateway: WorkflowGateway;
  verify: Verifier;
  citizenIssuer?: CitizenIssuer;
  wechat?: WeChatPort;
  /** The case module's ports (geo, catalogue, files); absent where the case loop is not configured. */
  cases?: CaseEnv;
  monitoring?: MonitoringDeps;
  /** Extra health parts of the runtime (broker, flows, stream poller locally). */
  health?: () => Promise<Record<string, { ok: boolean; detail?: string }>>;
  now?: () => Date;
}

export type HealthFn = () => Promise<Health>;
