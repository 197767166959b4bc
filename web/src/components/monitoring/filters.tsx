/**
 * The filter bar of the monitoring lists and maps, and the selects it holds: each bound to a page's signal,
 * `''` standing for "all". The domain, alarm level and risk level filters read the same on every page (same
 * label, same test id), so they are made here once; a status filter defaults to the items still open.
 */
import type { JSX } from 'solid-js';
import type { AlarmLevel, DeviceDomain, RiskLevel } from '../../../../contracts';
import { t } from '../../i18n';
import { DOMAINS, domainName, LEVELS, levelName } from '../../lib/monitoring';
import { RISK_LEVELS, riskLevelName } from '../../lib/risks';
import { choicesOf, Options, type Choice } from '../form-field';

export type { Choice } from '../form-field';

export function FilterBar(props: { children: JSX.Element; testid?: string }) {
  return (
    <div class="filter-bar" role="group" aria-label={t('mon.filters')} data-testid={props.testid ?? 'filter-bar'}>
      {props.children}
    </div>
  );
}

/** A labelled select; `''` stands for "all" (offered when `all` names it). */
export function FilterSelect<T extends string>(props: { label: string; value: T | ''; choices: readonly Choice<T>[]; onChange: (value: T | '') => void; testid: string; all?: string }) {
  return (
    <label class="field filter-field">
      <span>{props.label}</span>
      <select data-testid={props.testid} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value as T | '')}>
        {props.all !== undefined && (
          <option value="" selected={props.value === ''}>
            {props.all}
          </option>
        )}
        <Options choices={props.choices} selected={props.value} />
      </select>
    </label>
  );
}

/** One of a list of values, or all of them. */
export function ValueFilter<T extends string>(props: { label: string; testid: string; values: readonly T[]; name: (value: T) => string; value: T | ''; onChange: (value: T | '') => void }) {
  return <FilterSelect label={props.label} testid={props.testid} value={props.value} all={t('mon.all')} choices={choicesOf(props.values, props.name)} onChange={props.onChange} />;
}

/** 燃气、供水、排水 …: the monitoring domain. */
export function DomainFilter(props: { value: DeviceDomain | ''; onChange: (value: DeviceDomain | '') => void }) {
  return <ValueFilter label={t('mon.domain')} testid="filter-domain" values={DOMAINS} name={domainName} value={props.value} onChange={props.onChange} />;
}

/** 蓝/黄/橙/红 预警: the alarm level. */
export function AlarmLevelFilter(props: { value: AlarmLevel | ''; onChange: (value: AlarmLevel | '') => void }) {
  return <ValueFilter label={t('mon.level')} testid="filter-level" values={LEVELS} name={levelName} value={props.value} onChange={props.onChange} />;
}

/** 重大/较大/一般/低: the risk level. */
export function RiskLevelFilter(props: { value: RiskLevel | ''; onChange: (value: RiskLevel | '') => void }) {
  return <ValueFilter label={t('risk.level')} testid="filter-risk-level" values={RISK_LEVELS} name={riskLevelName} value={props.value} onChange={props.onChange} />;
}

/** `open` (the default: still being worked on), each status, or `all`; choosing nothing goes back to `open`. */
export function OpenStatusFilter<S extends string>(props: {
  label: string;
  testid: string;
  /** What `open` is called on this list. */
  openLabel: string;
  statuses: readonly S[];
  name: (status: S) => string;
  value: 'open' | 'all' | S;
  onChange: (value: 'open' | 'all' | S) => void;
}) {
  const choices = (): Choice<'open' | 'all' | S>[] => [{ value: 'open', label: props.openLabel }, ...choicesOf(props.statuses, props.name), { value: 'all', label: t('mon.all') }];
  return <FilterSelect label={props.label} testid={props.testid} value={props.value} choices={choices()} onChange={(s) => props.onChange(s || 'open')} />;
}
