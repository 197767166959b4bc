import { screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Me } from '../../api/schemas';
import { installFakeApi } from '../../test/fake-api';
import { CHANGSHA, COVER_ID, deadLetter, LEADER, TENANT_ADMIN } from '../../test/fixtures';
import { HEALTH } from '../../test/helpers';
import { renderApp, resetClientState, signedIn } from '../../test/render-app';

function setup(user: Me) {
  return installFakeApi({
    'GET /v1/me': { body: user },
    'GET /v1/tasks': { body: { items: [] } },
    'GET /healthz': HEALTH,
    'GET /v1/notifications': { body: { items: [] } },
    'GET /v1/tenant': { body: CHANGSHA },
    'GET /v1/monitoring/dead-letters': {
      body: {
        items: [
          deadLetter(),
          deadLetter({ id: 'dl-2', deviceId: undefined, topic: 'cityops/430100/devices/GHOST/telemetry', reason: 'MALFORMED_JSON', detail: 'payload is not valid JSON', payloadPreview: btoa(String.fromCharCode(0xde, 0xad, 0xbe, 0xef)), size: 2048 }),
        ],
      },
    },
  });
}

describe('dead letters', () => {
  beforeEach(() => resetClientState());
  afterEach(() => resetClientState());

  it('the tenant admin sees reason names, device, time, size and a payload preview', async () => {
    setup(TENANT_ADMIN);
    signedIn();
    renderApp('/monitoring/dead-letters');
    const table = await screen.findByTestId('dead-letter-table', {}, { timeout: 3000 });
    const first = within(table).getByTestId('dead-letter-dl-1');
    expect(within(first).getByTestId('dead-letter-reason').textContent).toBe('数值超出量程');
    expect(within(first).getByRole('link', { name: COVER_ID }).getAttribute('href')).toBe(`/monitoring/devices/${COVER_ID}`);
    expect(first.textContent).toContain('2025-11-24 13:30');
    expect(first.textContent).toContain('68 B');
    expect(within(first).getByTestId('dead-letter-payload').textContent).toBe('{"seq":7,"ts":"2025-11-24T13:30:00+08:00","readings":{"tiltDeg":400}}');
    const second = within(table).getByTestId('dead-letter-dl-2');
    expect(within(second).getByTestId('dead-letter-reason').textContent).toBe('报文不是合法 JSON');
    expect(within(second).getByTestId('dead-letter-payload').textContent).toBe('de ad be ef');
    expect(second.textContent).toContain('2 KB');
    expect(second.textContent).toContain('cityops/430100/devices/GHOST/telemetry');
  });

  it('other roles are told it is for the tenant admin, and nothing is asked of the API', async () => {
    const api = setup(LEADER);
    signedIn();
    renderApp('/monitoring/dead-letters');
    expect((await screen.findByTestId('dead-letters-forbidden', {}, { timeout: 3000 })).textContent).toContain('仅平台管理员和监测值守员');
    await waitFor(() => expect(api.called('GET /v1/me')).toHaveLength(1));
    expect(api.called('GET /v1/monitoring/dead-letters')).toHaveLength(0);
  });
});
