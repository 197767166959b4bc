/**
 * The evaluation indicators (CMD-9) as the web shows them: names, rate or count, the order of columns, and how
 * a value is written. The only web module that reads contracts/src/evaluation.ts (not re-exported by the
 * contracts index yet), so a change there is absorbed here.
 */
import { ROLES, type Role } from '../../../contracts';
import { INDICATORS, IndicatorId, SUBJECT_KIND_NAMES, type IndicatorDefinition, type SubjectKind } from '../../../contracts/src/evaluation';
import type { EvaluationIndicatorValue, EvaluationRow, Grade } from '../api/schemas';
import { localized, roleName, t } from '../i18n';

const ORDER: readonly string[] = IndicatorId.options;
const definition = (id: string): IndicatorDefinition | undefined => (Object.hasOwn(INDICATORS, id) ? INDICATORS[id as IndicatorId] : undefined);

export const indicatorName = (id: string): string => {
  const d = definition(id);
  return d ? localized(d.name) : id;
};

/** What the indicator counts, for the column header's hover text. */
export const indicatorHint = (id: string): string => {
  const d = definition(id);
  if (!d) return id;
  return d.denominator ? `${localized(d.numerator)} ÷ ${localized(d.denominator)}` : localized(d.numerator);
};

/** Rates are shown as percentages; counts as numbers. Unknown indicators with a denominator count as rates. */
export const isRate = (id: string, value?: EvaluationIndicatorValue): boolean => definition(id)?.kind === 'rate' || (definition(id) === undefined && value?.denominator != null);

/** The indicator columns of a report: those any row has, in the catalogue's order (unknown ones last). */
export function indicatorColumns(rows: readonly EvaluationRow[]): string[] {
  const present = new Set(rows.flatMap((r) => Object.keys(r.indicators)));
  const known = ORDER.filter((id) => present.has(id));
  const unknown = [...present].filter((id) => !ORDER.includes(id)).sort();
  return [...known, ...unknown];
}

/** A cell: `87.5%` (rate) or `42` (count), with numerator/denominator for the hover. */
export function formatIndicator(id: string, value: EvaluationIndicatorValue | undefined): { text: string; title: string } {
  if (!value) return { text: t('common.dash'), title: '' };
  if (isRate(id, value)) {
    const text = value.value === null ? t('common.dash') : `${(value.value * 100).toFixed(1)}%`;
    return { text, title: t('eval.fraction', { n: value.numerator, d: value.denominator ?? 0 }) };
  }
  return { text: String(value.value ?? value.numerator), title: indicatorHint(id) };
}

export const formatScore = (score: number | null | undefined): string => (score === null || score === undefined ? t('common.dash') : score.toFixed(1));

/** The subject as people know it: its name, a department's name, a role's name, a kind's name, or its id. */
export function subjectName(row: EvaluationRow, departmentName: (code: string) => string): string {
  if (row.subject.name) return row.subject.name;
  if (row.subject.kind === 'department') return departmentName(row.subject.id);
  if ((ROLES as readonly string[]).includes(row.subject.id)) return roleName(row.subject.id as Role);
  if (Object.hasOwn(SUBJECT_KIND_NAMES, row.subject.id)) return localized(SUBJECT_KIND_NAMES[row.subject.id as SubjectKind]);
  return row.subject.id;
}

/** Rows best first; rows without a score last. */
export function sortRows(rows: readonly EvaluationRow[]): EvaluationRow[] {
  const score = (r: EvaluationRow) => r.score ?? -1;
  return [...rows].sort((a, b) => score(b) - score(a) || a.subject.id.localeCompare(b.subject.id));
}

export const GRADE_COLORS: Readonly<Record<Grade, string>> = { A: '#1e7a46', B: '#0e7490', C: '#1d5fa8', D: '#a15c00', E: '#b42318' };

export interface ScoreBar {
  name: string;
  score: number;
  color: string;
}

/** The chart's bars: scored rows only, best first. */
export function scoreBars(rows: readonly EvaluationRow[], name: (row: EvaluationRow) => string): ScoreBar[] {
  return sortRows(rows)
    .filter((r) => typeof r.score === 'number')
    .map((r) => ({ name: name(r), score: Math.round((r.score as number) * 10) / 10, color: r.grade ? GRADE_COLORS[r.grade] : '#9aa5b1' }));
}
