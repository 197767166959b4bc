/** Render the real route table in a memory router at a given path, and reset all client state after. */
import { createMemoryHistory, MemoryRouter } from '@solidjs/router';
import { render } from '@solidjs/testing-library';
import { routes } from '../app';
import { forgetAppConfig } from '../auth/config';
import { signIn, signOut } from '../auth/session';
import { setLang } from '../i18n';
import { TOKENS } from './fixtures';

export function renderApp(path: string) {
  const history = createMemoryHistory();
  history.set({ value: path });
  const result = render(() => <MemoryRouter history={history}>{routes}</MemoryRouter>);
  return { ...result, history };
}

/** Start signed in, as after a successful login (the fake API then answers /v1/me). */
export function signedIn(): void {
  signIn(TOKENS);
}

export function resetClientState(): void {
  signOut();
  forgetAppConfig();
  sessionStorage.clear();
  localStorage.clear();
  setLang('zh-CN');
}
