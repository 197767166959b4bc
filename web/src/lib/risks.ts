/**
 * How risk data reads on screen (MON-2, MON-6): names of levels, statuses, sources and plan fields in the
 * current language, the four-colour palette of risk levels (the 预警 colours: 红 橙 黄 蓝), map markers of risk
 * points and open hazards, the actions a hazard offers a role, and who manages what. Leaflet-free, tested.
 */
import {
  HAZARD_LEVEL_NAMES,
  HAZARD_SOURCE_NAMES,
  HAZARD_STATUS_NAMES,
  HAZARD_TRANSITIONS,
  MEASURE_STATUS_NAMES,
  PLAN_CATEGORY_NAMES,
  PLAN_STATUS_NAMES,
  RESPONSE_LEVEL_NAMES,
  RISK_LEVEL_COLOURS,
  RISK_LEVEL_IDS,
  RISK_LEVEL_NAMES,
  type HazardAction,
  type HazardLevel,
  type HazardSource,
  type HazardStatus,
  type HazardView,
  type MeasureStatus,
  type PlanCategory,
  type PlanStatus,
  type PlanView,
  type ResponseLevel,
  type RiskLevel,
  type RiskPoint,
  type Role,
} from '../../../contracts';
import { localized } from '../i18n';
import type { MapMarker } from './geo';
import { ALARM_LEVEL_COLORS } from './monitoring';

/** Most severe first, as registries list them. */
export const RISK_LEVELS: readonly RiskLevel[] = [...RISK_LEVEL_IDS].reverse();
export const HAZARD_LEVELS: readonly HazardLevel[] = ['major', 'general'];
export const HAZARD_STATUSES: readonly HazardStatus[] = ['reported', 'confirmed', 'rectifying', 'rectified', 'closed', 'rejected'];
export const HAZARD_SOURCES: readonly HazardSource[] = ['inspection', 'patrol', 'report', 'alarm'];
export const MEASURE_STATUSES: readonly MeasureStatus[] = ['planned', 'in-place', 'ineffective'];

export const riskLevelName = (level: RiskLevel): string => localized(RISK_LEVEL_NAMES[level]);
export const hazardLevelName = (level: HazardLevel): string => localized(HAZARD_LEVEL_NAMES[level]);
export const hazardStatusName = (status: HazardStatus): string => localized(HAZARD_STATUS_NAMES[status]);
export const hazardSourceName = (source: HazardSource): string => localized(HAZARD_SOURCE_NAMES[source]);
export const measureStatusName = (status: MeasureStatus): string => localized(MEASURE_STATUS_NAMES[status]);
export const planCategoryName = (category: PlanCategory): string => localized(PLAN_CATEGORY_NAMES[category]);
export const planStatusName = (status: PlanStatus): string => localized(PLAN_STATUS_NAMES[status]);
export const responseLevelName = (level: ResponseLevel): string => localized(RESPONSE_LEVEL_NAMES[level]);

/** 重大 red, 较大 orange, 一般 yellow, 低 blue: the same hues as the alarm levels. */
export const riskColor = (level: RiskLevel): string => ALARM_LEVEL_COLORS[RISK_LEVEL_COLOURS[level]];
/** Open hazards are drawn in a colour no risk level uses, darker when 重大隐患. */
export const HAZARD_COLORS: Readonly<Record<HazardLevel, string>> = { major: '#6b21a8', general: '#a855f7' };

export function riskMarkers(points: readonly RiskPoint[]): MapMarker[] {
  return points.map((r) => ({ id: `risk-${r.id}`, lng: r.location.lng, lat: r.location.lat, color: riskColor(r.level), label: `${r.name} · ${riskLevelName(r.level)}`, emphasis: r.level === 'major' }));
}

export function hazardMarkers(hazards: readonly HazardView[]): MapMarker[] {
  return hazards.map((h) => ({ id: `hazard-${h.id}`, lng: h.location.lng, lat: h.location.lat, color: HAZARD_COLORS[h.level], label: `${h.title} · ${hazardLevelName(h.level)} · ${hazardStatusName(h.status)}`, emphasis: h.overdue }));
}

/** Who registers and reviews risk points, confirms and closes hazards, records accidents (as the API allows). */
export const RISK_MANAGER_ROLES: readonly Role[] = ['monitoring-operator', 'tenant-admin'];
const ACTIONS: readonly HazardAction[] = ['confirm', 'start', 'complete', 'close', 'reopen', 'reject'];

/** The steps a hazard in this status offers: all for managers, start/complete for its own department's handlers. */
export function hazardActions(h: Pick<HazardView, 'status' | 'department'>, role: Role | null, department?: string): HazardAction[] {
  const possible = ACTIONS.filter((a) => HAZARD_TRANSITIONS[a].from.includes(h.status));
  if (role !== null && RISK_MANAGER_ROLES.includes(role)) return possible;
  if (role === 'department-handler' && department !== undefined && department === h.department) return possible.filter((a) => a === 'start' || a === 'complete');
  return [];
}

/** Actions whose note must say something (at least 2 characters), as the API requires. */
export const NOTE_REQUIRED: ReadonlySet<HazardAction> = new Set(['reject', 'complete', 'reopen']);

/** The plans that answer an alarm's rule, from the library as GET /v1/plans lists it. */
export const plansOfRule = (plans: readonly PlanView[], ruleId: string): PlanView[] => plans.filter((p) => p.ruleIds.includes(ruleId));

/** 环比/同比 as a signed percentage, or '—' when there is nothing to compare with. */
export function formatChange(change: number | null): string {
  if (change === null) return '—';
  const pct = Math.round(change * 1000) / 10;
  return `${pct > 0 ? '+' : ''}${pct}%`;
}
