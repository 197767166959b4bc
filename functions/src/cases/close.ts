/** 结案类型 (正常 / 超时 / 差错 / 特殊) from a case's history: a pure rule the evaluation relies on. */
import type { Case, CloseType } from '../../../contracts';

export function closeTypeOf(c: Pick<Case, 'history' | 'reworks'>): CloseType {
  const h = c.history;
  // 特殊: it was suspended (挂账) on the way.
  if (h.some((e) => e.action === 'suspension-approved')) return 'special';
  // 超时: any timed step finished late, or the flow had to escalate.
  if (h.some((e) => e.onTime === false || e.action === 'escalated')) return 'overdue';
  // 差错: reworked, or reclassified at filing.
  if (c.reworks > 0 || h.some((e) => e.action === 'check-failed' || e.data?.reclassifiedFrom !== undefined)) return 'error';
  return 'normal';
}
