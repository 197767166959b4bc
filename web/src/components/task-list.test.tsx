import { render, screen } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { signIn, signOut } from '../auth/session';
import { installFakeApi } from '../test/fake-api';
import { TOKENS, task } from '../test/fixtures';
import { TaskList } from './task-list';

const NOW = new Date('2025-11-24T06:00:00.000Z');

describe('open tasks', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
    signIn(TOKENS);
  });
  afterEach(() => {
    vi.useRealTimers();
    signOut();
  });

  it('lists the soonest time limit first and marks overdue and due-soon tasks', async () => {
    // Prepare
    installFakeApi({
      'GET /v1/tasks': {
        body: {
          items: [
            task({ taskId: 'later', title: '下周反馈', dueAt: '2025-12-01T06:00:00.000Z' }),
            task({ taskId: 'late', title: '超时未反馈', dueAt: '2025-11-24T04:00:00.000Z', escalations: 2 }),
            task({ taskId: 'soon', title: '即将到期', step: 'supervision.review', dueAt: '2025-11-24T07:00:00.000Z' }),
          ],
        },
      },
    });
    // Act
    render(() => <TaskList />);
    // Assess
    await screen.findByText('超时未反馈');
    const items = screen.getAllByTestId('task');
    expect(items.map((li) => li.dataset.dueState)).toEqual(['overdue', 'soon', 'ok']);
    expect(items[0]!.classList.contains('overdue')).toBe(true);
    expect(items[0]!.textContent).toContain('已超时');
    expect(items[0]!.textContent).toContain('超时 2 小时');
    expect(items[0]!.textContent).toContain('已督办 2 次');
    expect(items[1]!.textContent).toContain('督办审核');
    expect(items[1]!.textContent).toContain('即将到期');
    expect(items[1]!.textContent).toContain('2025-11-24 15:00');
  });

  it('says so when there is nothing to do', async () => {
    installFakeApi({ 'GET /v1/tasks': { body: { items: [] } } });
    render(() => <TaskList />);
    expect((await screen.findByTestId('empty-state')).textContent).toBe('当前没有待办任务');
  });
});
