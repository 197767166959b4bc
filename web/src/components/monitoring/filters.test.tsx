import { fireEvent, render, screen } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { describe, expect, it } from 'vitest';
import type { DeviceDomain } from '../../../../contracts';
import { DOMAINS, domainName, LEVELS } from '../../lib/monitoring';
import { RISK_LEVELS, riskLevelName } from '../../lib/risks';
import { AlarmLevelFilter, DomainFilter, FilterBar, OpenStatusFilter, RiskLevelFilter, ValueFilter } from './filters';

const optionValues = (testid: string) => [...(screen.getByTestId(testid) as HTMLSelectElement).options].map((o) => o.value);

describe('monitoring filters', () => {
  it('groups the selects under one labelled bar', () => {
    render(() => (
      <FilterBar>
        <DomainFilter value="" onChange={() => undefined} />
      </FilterBar>
    ));
    const bar = screen.getByRole('group', { name: '筛选' });
    expect(bar.getAttribute('data-testid')).toBe('filter-bar');
    expect(bar.textContent).toContain('监测领域');
  });

  it('offers all domains after 全部 and binds the choice to a signal', () => {
    // Prepare
    const [domain, setDomain] = createSignal<DeviceDomain | ''>('');
    render(() => <DomainFilter value={domain()} onChange={setDomain} />);
    expect(optionValues('filter-domain')).toEqual(['', ...DOMAINS]);
    // Act
    fireEvent.change(screen.getByTestId('filter-domain'), { target: { value: DOMAINS[1] } });
    // Assess
    expect(domain()).toBe(DOMAINS[1]);
    expect(screen.getByRole('option', { name: domainName(DOMAINS[1]!) }).getAttribute('value')).toBe(DOMAINS[1]);
  });

  it('names the alarm and risk level filters the same on every page', () => {
    render(() => (
      <>
        <AlarmLevelFilter value="" onChange={() => undefined} />
        <RiskLevelFilter value={RISK_LEVELS[0]!} onChange={() => undefined} />
      </>
    ));
    expect(optionValues('filter-level')).toEqual(['', ...LEVELS]);
    expect(screen.getByLabelText('预警级别').getAttribute('data-testid')).toBe('filter-level');
    expect(screen.getByLabelText('风险等级').getAttribute('data-testid')).toBe('filter-risk-level');
    expect((screen.getByTestId('filter-risk-level') as HTMLSelectElement).value).toBe(RISK_LEVELS[0]);
    expect(screen.getByRole('option', { name: riskLevelName(RISK_LEVELS[0]!), selected: true })).toBeTruthy();
  });

  it('a value filter names its values with the given function', () => {
    render(() => <ValueFilter label="种类" testid="filter-kind" values={['a', 'b'] as const} name={(v) => `种类 ${v}`} value="b" onChange={() => undefined} />);
    expect([...(screen.getByTestId('filter-kind') as HTMLSelectElement).options].map((o) => o.textContent)).toEqual(['全部', '种类 a', '种类 b']);
  });

  it('a status filter starts from the open ones, ends with 全部, and goes back to open when cleared', () => {
    const [status, setStatus] = createSignal<'open' | 'all' | 'new' | 'closed'>('open');
    render(() => <OpenStatusFilter label="状态" testid="filter-status" openLabel="未关闭" statuses={['new', 'closed'] as const} name={(s) => (s === 'new' ? '新' : '关')} value={status()} onChange={setStatus} />);
    expect(optionValues('filter-status')).toEqual(['open', 'new', 'closed', 'all']);
    fireEvent.change(screen.getByTestId('filter-status'), { target: { value: 'all' } });
    expect(status()).toBe('all');
    fireEvent.change(screen.getByTestId('filter-status'), { target: { value: '' } });
    expect(status()).toBe('open');
  });
});
