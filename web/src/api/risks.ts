/**
 * The risk module's endpoints (MON-2 risk points, hazards, accidents; MON-6 contingency plans), one typed
 * function each, through the same request function as the rest of the client (token, error body, contracts).
 */
import { z } from 'zod';
import {
  Accident,
  AccidentStats,
  CreateRiskPoint,
  HazardTransition,
  HazardView,
  PlanView,
  RecordAccident,
  ReportHazard,
  ReviewRiskPoint,
  RiskPoint,
  type DeviceDomain,
  type HazardLevel,
  type HazardStatus,
  type RiskLevel,
} from '../../../contracts';
import { query } from './client';
import { get, items, post, seg } from './endpoint';

export type CreateRiskInput = z.input<typeof CreateRiskPoint>;
export type ReviewRiskInput = z.input<typeof ReviewRiskPoint>;
export type ReportHazardInput = z.input<typeof ReportHazard>;
export type HazardTransitionInput = z.input<typeof HazardTransition>;
export type RecordAccidentInput = z.input<typeof RecordAccident>;
export interface RiskFilter {
  domain?: DeviceDomain;
  level?: RiskLevel;
}
export interface HazardFilter {
  /** `open` (still being worked on, the default), `all`, or one status. */
  status?: 'open' | 'all' | HazardStatus;
  domain?: DeviceDomain;
  level?: HazardLevel;
}

export const riskApi = {
  risks: {
    list: (filter: RiskFilter = {}) => get(`/v1/risks${query({ ...filter })}`, items(RiskPoint)),
    get: (id: string) => get(`/v1/risks/${seg(id)}`, RiskPoint),
    /** 201 when new, 200 with the same point when the clientId was used before. */
    create: (input: CreateRiskInput) => post('/v1/risks', input, RiskPoint),
    review: (id: string, input: ReviewRiskInput) => post(`/v1/risks/${seg(id)}/review`, input, RiskPoint),
  },
  hazards: {
    list: (filter: HazardFilter = {}) => get(`/v1/hazards${query({ ...filter })}`, items(HazardView)),
    get: (id: string) => get(`/v1/hazards/${seg(id)}`, HazardView),
    report: (input: ReportHazardInput) => post('/v1/hazards', input, HazardView),
    transition: (id: string, input: HazardTransitionInput) => post(`/v1/hazards/${seg(id)}/transitions`, input, HazardView),
  },
  accidents: {
    list: (month?: string) => get(`/v1/accidents${query({ month })}`, items(Accident)),
    record: (input: RecordAccidentInput) => post('/v1/accidents', input, Accident),
    stats: (month?: string) => get(`/v1/accidents/stats${query({ month })}`, AccidentStats),
  },
  plans: {
    list: () => get('/v1/plans', items(PlanView)),
    get: (id: string) => get(`/v1/plans/${seg(id)}`, PlanView),
    ofAlarm: (alarmId: string) => get(`/v1/alarms/${seg(alarmId)}/plans`, items(PlanView)),
  },
};
