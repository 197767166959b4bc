import { render, screen } from '@solidjs/testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { ERRORS } from '../../../contracts';
import { ApiError } from '../api/client';
import { setLang } from '../i18n';
import { ErrorMessage } from './error-message';

describe('error messages', () => {
  afterEach(() => setLang('zh-CN'));

  const forbidden = new ApiError(403, 'FORBIDDEN_ROLE', { zh: ERRORS.FORBIDDEN_ROLE.zh, en: ERRORS.FORBIDDEN_ROLE.en }, 'req-42');

  it('shows the API message in Chinese with the code and request id', () => {
    render(() => <ErrorMessage error={forbidden} />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('当前角色无权执行此操作');
    expect(alert.textContent).toContain('错误代码: FORBIDDEN_ROLE');
    expect(alert.textContent).toContain('req-42');
  });

  it('switches to the English message when the language switches', () => {
    render(() => <ErrorMessage error={forbidden} />);
    setLang('en');
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Your role may not do this');
    expect(alert.textContent).toContain('Error code: FORBIDDEN_ROLE');
    expect(alert.textContent).not.toContain('当前角色');
  });

  it('explains failures the client detects itself, in both languages', () => {
    render(() => <ErrorMessage error={new ApiError(0, 'NETWORK_ERROR')} />);
    expect(screen.getByRole('alert').textContent).toContain('网络连接失败');
    setLang('en');
    expect(screen.getByRole('alert').textContent).toContain('Network error');
  });

  it('says something sensible for an unexpected throw', () => {
    render(() => <ErrorMessage error={new TypeError('x is undefined')} />);
    expect(screen.getByRole('alert').textContent).toBe('发生未知错误，请稍后重试');
  });
});
