import { fireEvent, render, screen, within } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { DataTable, ListActions, type Column } from './data-table';

type Row = { id: string; name: string; size: number };
const COLUMNS: Column<Row>[] = [
  { header: 'risk.name', class: 'span', cell: (r) => r.name },
  { header: 'mon.dead.size', class: 'num', testid: 'size', cell: (r) => r.size },
];
const ROWS: Row[] = [
  { id: 'a', name: '五一大道井盖', size: 3 },
  { id: 'b', name: '湘江泵站', size: 5 },
];

describe('data table', () => {
  it('shows a header per column and a row per item, each cell labelled with its column', () => {
    // Prepare
    render(() => <DataTable testid="t" rows={ROWS} columns={COLUMNS} row={(r) => ({ 'data-testid': `row-${r.id}`, 'data-size': String(r.size) })} />);
    // Act
    const table = screen.getByTestId('t');
    // Assess
    expect([...table.querySelectorAll('th')].map((th) => [th.textContent, th.getAttribute('scope')])).toEqual([
      ['名称', 'col'],
      ['大小', 'col'],
    ]);
    const row = screen.getByTestId('row-b');
    expect(row.getAttribute('data-size')).toBe('5');
    const cells = within(row).getAllByRole('cell');
    expect(cells.map((c) => c.getAttribute('data-label'))).toEqual(['名称', '大小']);
    expect(cells[0]!.className).toBe('span');
    expect(within(row).getByTestId('size').textContent).toBe('5');
  });

  it('shows the empty state instead of the table when there are no rows', () => {
    render(() => <DataTable testid="t" rows={[]} columns={COLUMNS} empty={{ title: '暂无数据', testid: 'none' }} />);
    expect(screen.getByTestId('none').textContent).toBe('暂无数据');
    expect(screen.queryByTestId('t')).toBeNull();
  });

  it('keeps the table with one row saying so when asked to', () => {
    render(() => <DataTable testid="t" caption="按计划" rows={[]} columns={COLUMNS} emptyRow="暂无任务" />);
    const table = screen.getByTestId('t');
    expect(table.querySelector('caption')?.textContent).toBe('按计划');
    expect(table.querySelector('td')?.getAttribute('colspan')).toBe('2');
    expect(table.querySelector('tbody')?.textContent).toBe('暂无任务');
  });

  it('says it is loading until rows arrive, and shows a failed load with a retry', () => {
    const retry = vi.fn();
    const [error, setError] = createSignal<unknown>();
    render(() => <DataTable testid="t" rows={undefined} error={error()} onRetry={retry} columns={COLUMNS} />);
    expect(screen.getByRole('status').textContent).toBe('加载中…');
    setError(new ApiError(0, 'NETWORK_ERROR'));
    expect(screen.getByTestId('error-message').textContent).toContain('网络连接失败');
    fireEvent.click(within(screen.getByTestId('error-message')).getByRole('button'));
    expect(retry).toHaveBeenCalledOnce();
  });

  it('keeps the rows on screen under the error of a later load', () => {
    render(() => <DataTable testid="t" rows={ROWS} error={new ApiError(0, 'NETWORK_ERROR')} columns={COLUMNS} />);
    expect(screen.getByTestId('error-message')).toBeTruthy();
    expect(screen.getByTestId('t').querySelectorAll('tbody tr')).toHaveLength(2);
  });

  it('shows a column only while its condition holds, keeping the rows', () => {
    const [shown, setShown] = createSignal(false);
    render(() => <DataTable testid="t" rows={ROWS} columns={[...COLUMNS, { header: 'mon.alarm.actions', when: shown, cell: () => 'x' }]} />);
    expect(screen.getByTestId('t').querySelectorAll('th')).toHaveLength(2);
    const first = screen.getByTestId('t').querySelector('tbody tr');
    setShown(true);
    expect(screen.getByTestId('t').querySelectorAll('th')).toHaveLength(3);
    expect(screen.getByTestId('t').querySelector('tbody tr')).toBe(first);
  });
});

describe('list actions', () => {
  it('shows the count once known and refreshes on click, disabled while busy', () => {
    const refresh = vi.fn();
    const [count, setCount] = createSignal<number>();
    render(() => <ListActions count={count()} onRefresh={refresh} busy={count() === undefined} />);
    expect(document.querySelector('.count')).toBeNull();
    expect((screen.getByRole('button') as HTMLButtonElement).disabled).toBe(true);
    setCount(3);
    expect(document.querySelector('.count')?.textContent).toBe('共 3 项');
    fireEvent.click(screen.getByRole('button'));
    expect(refresh).toHaveBeenCalledOnce();
  });
});
