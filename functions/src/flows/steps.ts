/**
 * Human steps of the flows: who works on them. The time limit of each comes from the tenant's time-limit
 * table (立结案标准) and calendar, never from here.
 */
import type { Role } from '../../../contracts';

export interface StepDefinition {
  /** Roles that see and complete the task. */
  roles: readonly Role[];
  /** Whose inbox: the tenant that owns the item, or its province. */
  assignee: 'item-tenant' | 'province';
  title: { zh: string; en: string };
}

export const STEPS: Record<string, StepDefinition> = {
  'supervision.feedback': {
    roles: ['tenant-admin', 'shift-leader', 'leader'],
    assignee: 'item-tenant',
    title: { zh: '督办事项反馈', en: 'Feed back on a supervision item' },
  },
  'supervision.review': {
    roles: ['province-supervisor', 'province-admin'],
    assignee: 'province',
    title: { zh: '督办反馈审核', en: 'Review supervision feedback' },
  },
};

export function stepDefinition(step: string): StepDefinition {
  const s = STEPS[step];
  if (!s) throw new Error(`unknown flow step ${step}`);
  return s;
}
