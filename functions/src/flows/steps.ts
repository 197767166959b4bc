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
  'case.verify': { roles: ['inspector'], assignee: 'item-tenant', title: { zh: '案件核实', en: 'Verify on site' } },
  'case.file': { roles: ['shift-leader'], assignee: 'item-tenant', title: { zh: '立案', en: 'File or cancel' } },
  'case.dispatch': { roles: ['dispatcher'], assignee: 'item-tenant', title: { zh: '派遣', en: 'Dispatch' } },
  'case.handle': { roles: ['department-handler'], assignee: 'item-tenant', title: { zh: '处置', en: 'Handle' } },
  'case.extension-approval': { roles: ['dispatcher'], assignee: 'item-tenant', title: { zh: '延期审批', en: 'Approve extension' } },
  'case.suspension-approval': { roles: ['shift-leader'], assignee: 'item-tenant', title: { zh: '挂账审批', en: 'Approve suspension' } },
  'case.suspended': { roles: ['shift-leader'], assignee: 'item-tenant', title: { zh: '挂账恢复', en: 'Resume suspended case' } },
  'case.check': { roles: ['inspector'], assignee: 'item-tenant', title: { zh: '案件核查', en: 'Check on site' } },
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
