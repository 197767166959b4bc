/**
 * The patrol module's endpoints (MON-5: teams, plans, tasks, results, statistics), one typed function each,
 * through the client's one request function (token, error body, responses parsed with the contracts).
 */
import { z } from 'zod';
import {
  CreatePatrolPlan,
  CreatePatrolTeam,
  PatrolPlan,
  PatrolStats,
  PatrolTask,
  PatrolTaskDetail,
  PatrolTeam,
  RecordedPatrolResult,
  RecordPatrolResult,
  type PatrolPlanStatus,
} from '../../../contracts';
import { query } from './client';
import { get, items, post, seg } from './endpoint';

export type CreateTeamInput = z.input<typeof CreatePatrolTeam>;
export type CreatePlanInput = z.input<typeof CreatePatrolPlan>;
export type RecordResultInput = z.input<typeof RecordPatrolResult>;
/** Days are YYYY-MM-DD (Beijing); `to` is excluded, as everywhere in the API. */
export interface PatrolPeriod {
  from?: string;
  to?: string;
}

export const patrolApi = {
  teams: () => get('/v1/patrol/teams', items(PatrolTeam)),
  createTeam: (input: CreateTeamInput) => post('/v1/patrol/teams', input, PatrolTeam),
  plans: () => get('/v1/patrol/plans', items(PatrolPlan)),
  plan: (id: string) => get(`/v1/patrol/plans/${seg(id)}`, PatrolPlan),
  createPlan: (input: CreatePlanInput) => post('/v1/patrol/plans', input, PatrolPlan),
  setPlanStatus: (id: string, status: PatrolPlanStatus) => post(`/v1/patrol/plans/${seg(id)}/status`, { status }, PatrolPlan),
  tasks: (filter: PatrolPeriod & { planId?: string } = {}) => get(`/v1/patrol/tasks${query({ ...filter })}`, items(PatrolTask)),
  myTasks: () => get('/v1/patrol/my-tasks', items(PatrolTask)),
  task: (id: string) => get(`/v1/patrol/tasks/${seg(id)}`, PatrolTaskDetail),
  /** 201 for a new result, 200 for the same one again (a retry): both carry the result and the task. */
  recordResult: (taskId: string, input: RecordResultInput) => post(`/v1/patrol/tasks/${seg(taskId)}/results`, input, RecordedPatrolResult),
  stats: (period: PatrolPeriod = {}) => get(`/v1/patrol/stats${query({ ...period })}`, PatrolStats),
};
