/**
 * Who may follow which live topics (ADR 009), decided from a verified principal only. Pure: the IoT Core
 * custom authorizer (functions/src/handlers/live-authorizer.ts) turns it into a policy, and the API's
 * live-channel route into connection parameters, so both always agree.
 *
 * A tenant's screens receive their own tenant's topics. A province user of a province tenant (the same test as
 * the API's province read paths, `useProvince`) receives every tenant of its province: it subscribes to the
 * `+` filter and IoT Core delivers only the topics its policy lets it receive (iot:Receive is checked per
 * message). Nobody may publish: only the platform's functions publish, with IAM rights.
 */
import { createHash } from 'node:crypto';
import { isProvinceRole, liveTopic, liveTopicFilter, LiveKind, LIVE_TOPIC_ROOT, provinceOf, type Principal, type Role } from '../../../contracts';

/** Roles that see the monitoring screens (the same as the API's monitoring read routes). */
export const MONITORING_VIEWER_ROLES = ['tenant-admin', 'monitoring-operator', 'leader', 'shift-leader', 'dispatcher'] as const satisfies readonly Role[];

export type LiveScope = { kind: 'tenant'; tenant: string } | { kind: 'province'; province: string };

/** The scope of a principal's live access, or undefined when it may not follow the live push at all. */
export function liveScope(p: Principal): LiveScope | undefined {
  if (p.kind !== 'staff') return undefined;
  if (p.roles.some(isProvinceRole) && provinceOf(p.tenant) === p.tenant) return { kind: 'province', province: p.tenant };
  if (p.roles.some((r) => (MONITORING_VIEWER_ROLES as readonly string[]).includes(r))) return { kind: 'tenant', tenant: p.tenant };
  return undefined;
}

/** The topic filters a screen subscribes to. */
export function liveSubscriptions(scope: LiveScope): string[] {
  return LiveKind.options.map((k) => (scope.kind === 'tenant' ? liveTopic(scope.tenant, k) : liveTopicFilter(k)));
}

/**
 * The MQTT client id prefix of a user: `live-` and 32 hex digits of a hash of tenant and subject, so IoT Core's
 * logs and the client id carry no personal data, and one user's screens (any suffix) cannot take another's id.
 */
export function liveClientKey(p: Pick<Principal, 'tenant' | 'subject'>): string {
  return createHash('sha256').update(`${p.tenant}\n${p.subject}`).digest('hex').slice(0, 32);
}
export const liveClientIdPrefix = (p: Pick<Principal, 'tenant' | 'subject'>): string => `live-${liveClientKey(p)}-`;

export interface ArnParts {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

export interface IotPolicy {
  readonly Version: '2012-10-17';
  readonly Statement: ReadonlyArray<{ readonly Effect: 'Allow'; readonly Action: string; readonly Resource: string[] }>;
}

/**
 * The IoT policy of a screen's connection: connect with its own client id prefix, subscribe to its filters,
 * receive its topics. Topics a province may receive are `cityops/live/<2 digits>*` (all six-digit codes of the
 * province); a tenant's are exact.
 */
export function livePolicy(arn: ArnParts, p: Principal, scope: LiveScope): IotPolicy {
  const base = `arn:${arn.partition}:iot:${arn.region}:${arn.account}`;
  const receivable = LiveKind.options.map((k) =>
    scope.kind === 'tenant' ? liveTopic(scope.tenant, k) : `${LIVE_TOPIC_ROOT}/${scope.province.slice(0, 2)}*/${k}`,
  );
  // A province may also subscribe to one of its tenants' topics (a drill-down screen); `+` in a resource is literal.
  const filters = scope.kind === 'tenant' ? liveSubscriptions(scope) : [...liveSubscriptions(scope), ...receivable];
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'iot:Connect', Resource: [`${base}:client/${liveClientIdPrefix(p)}*`] },
      { Effect: 'Allow', Action: 'iot:Subscribe', Resource: filters.map((f) => `${base}:topicfilter/${f}`) },
      { Effect: 'Allow', Action: 'iot:Receive', Resource: receivable.map((t) => `${base}:topic/${t}`) },
    ],
  };
}
