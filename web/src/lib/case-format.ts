/**
 * How a case reads on screen: zh/en names of statuses, sources, kinds, urgencies, history actions and task
 * steps (from the catalogues), the catalogue name of a type code (GB/T 47678.5 via contracts), and the
 * colour of each status on maps and badges.
 */
import { CaseStatus, lookupType, type CaseAction, type CaseKind, type CaseSource, type Urgency } from '../../../contracts';
import { isMessageKey, localized, roleName, t } from '../i18n';
import type { Role } from '../../../contracts';

export const OPEN_STATUSES: readonly CaseStatus[] = CaseStatus.options.filter((s) => s !== 'closed' && s !== 'cancelled');

export const statusName = (status: CaseStatus): string => t(`case.status.${status}`);
export const sourceName = (source: CaseSource): string => t(`case.source.${source}`);
export const kindName = (kind: CaseKind): string => t(`case.kind.${kind}`);
export const urgencyName = (urgency: Urgency): string => t(`case.urgency.${urgency}`);
export const eventName = (action: CaseAction): string => t(`case.event.${action}`);

/** A role of the history (or the flow itself, `system`). */
export const actorRoleName = (role: Role | 'system'): string => (role === 'system' ? t('case.system') : roleName(role));

/** The name of a type code in the catalogue (Chinese always; English when the catalogue has one), or the code. */
export function typeName(kind: CaseKind, code: string): string {
  const type = lookupType(kind, code);
  if (!type) return code;
  return localized({ zh: type.name.zh, en: type.name.en ?? type.name.zh });
}

/** `供水井盖 (01001)`. */
export const typeLabel = (kind: CaseKind, code: string): string => `${typeName(kind, code)} (${code})`;

/** The name of a task step from the catalogue, or the step id for steps it does not know yet. */
export function stepName(step: string): string {
  const key = `step.${step}`;
  return isMessageKey(key) ? t(key) : step;
}

/** One colour per status: the same on map markers, counters and badges (styles.css `.status-<s>`). */
export const STATUS_COLORS: Readonly<Record<CaseStatus, string>> = {
  verifying: '#7c3aed',
  filing: '#1d5fa8',
  dispatching: '#0e7490',
  handling: '#d97706',
  'extension-review': '#b45309',
  'suspension-review': '#9d174d',
  suspended: '#6b7280',
  checking: '#15803d',
  closed: '#1e7a46',
  cancelled: '#9aa5b1',
};
