/**
 * Accident records (事故, MON-2 accident statistics): when and where, the domain, casualties and direct loss,
 * the cause, and the risk point or hazard it came from; counted per month (Beijing time) by domain, against
 * the previous month (环比) and the same month a year earlier (同比), with the monitoring module's helpers.
 */
import { ulid } from 'ulid';
import { z } from 'zod';
import { Accident, RecordAccident, type AccidentCounts, type AccidentStats, type Role } from '../../../contracts';
import { keys } from '../data/keys';
import type { Store } from '../data/store';
import { change, comparisonMonths, monthRange } from '../monitoring/alarms';

export { monthRange };
import { DomainError } from '../shared/errors';
import { useTenant } from '../tenancy/context';
import { createOnce, eventBy, gridOf, type RiskEnv } from './env';
import { linkedRiskPoint } from './risk-points';

/** Who records accidents. */
export const ACCIDENT_RECORDER_ROLES: readonly Role[] = ['monitoring-operator', 'tenant-admin'];

export const accidentItem = (a: Accident) => ({ ...keys.accident(a.tenant, a.id), ...a, entity: 'accident', GSI1PK: keys.accidentList(a.tenant), GSI1SK: `${a.occurredAt}#${a.id}` });

const byId = z.object({ id: z.string() });

async function getAccident(store: Store, id: string): Promise<Accident> {
  const a = await store.get(Accident, keys.accident(useTenant(), id));
  if (!a) throw new DomainError('NOT_FOUND');
  return a;
}

/** Record an accident; the same clientId again returns it. Occurrence is stored in UTC (it sorts and compares by month). */
export async function recordAccident(env: RiskEnv, raw: RecordAccident): Promise<{ record: Accident; created: boolean }> {
  const input = RecordAccident.parse(raw);
  const tenant = useTenant();
  const now = env.now();
  if (Date.parse(input.occurredAt) > now.getTime() + 60_000) throw new DomainError('ACCIDENT_IN_FUTURE', [{ path: 'occurredAt', message: input.occurredAt }]);
  const gridId = await gridOf(env, input.location);
  await linkedRiskPoint(env.store, input.riskId);
  if (input.hazardId && !(await env.store.get(byId, keys.hazard(tenant, input.hazardId)))) {
    throw new DomainError('RISK_LINK_UNKNOWN', [{ path: 'hazardId', message: input.hazardId }]);
  }
  const id = ulid(now.getTime());
  const event = eventBy('recorded', ACCIDENT_RECORDER_ROLES, now);
  const { clientId, ...fields } = input;
  const record = Accident.parse({ ...fields, occurredAt: new Date(input.occurredAt).toISOString(), tenant, id, gridId, recordedBy: event.actor, recordedAt: event.at });
  return await createOnce(env.store, { kind: 'ACCIDENT', clientId, request: fields, recordId: id, item: accidentItem(record), now, read: (aid) => getAccident(env.store, aid), record });
}

/** Accidents counted (pure). */
export function countAccidents(items: readonly Pick<Accident, 'domain' | 'deaths' | 'injuries' | 'directLossWanYuan'>[]): AccidentCounts {
  const out: AccidentCounts = { total: 0, deaths: 0, injuries: 0, directLossWanYuan: 0, byDomain: {} };
  for (const a of items) {
    out.total++;
    out.deaths += a.deaths;
    out.injuries += a.injuries;
    out.directLossWanYuan = Math.round((out.directLossWanYuan + a.directLossWanYuan) * 100) / 100;
    out.byDomain[a.domain] = (out.byDomain[a.domain] ?? 0) + 1;
  }
  return out;
}

/** The tenant's accidents whose occurrence lies in [from, to), oldest first. */
export async function listAccidents(store: Store, from = '0000', to = '9999'): Promise<Accident[]> {
  return await store.query(Accident, { index: 'GSI1', pk: keys.accidentList(useTenant()), skBetween: [from, to] });
}

/** The month's accidents with 环比 and 同比 (of the count). */
export async function accidentStats(store: Store, month: string): Promise<AccidentStats> {
  const { previous, lastYear } = comparisonMonths(month);
  const counts = async (m: string) => {
    const [from, to] = monthRange(m);
    // The upper bound excludes the next month's first instant: every key there is `<to>#<id>`, above `<to>`.
    return countAccidents(await listAccidents(store, from, to));
  };
  const [current, previousMonth, sameMonthLastYear] = await Promise.all([counts(month), counts(previous), counts(lastYear)]);
  return { month, current, previousMonth, sameMonthLastYear, monthOnMonth: change(current.total, previousMonth.total), yearOnYear: change(current.total, sameMonthLastYear.total) };
}
